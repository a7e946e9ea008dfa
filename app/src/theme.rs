//! Light and dark themes: the system's choice by default, or the one picked in the header, kept in
//! localStorage and applied as `data-theme` on the document (styles/main.css reads it). Charts read
//! `is_dark` to draw in the matching palette.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

const STORAGE_KEY: &str = "taoscope.theme";

/// The user's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the operating system.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// Parses a stored or URL value (`light`, `dark`, `auto`/`system`).
    pub fn parse(text: &str) -> Option<ThemeChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "light" => Some(ThemeChoice::Light),
            "dark" => Some(ThemeChoice::Dark),
            "auto" | "system" => Some(ThemeChoice::System),
            _ => None,
        }
    }

    /// The value stored and shown in the switcher.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// Whether pages render dark, given whether the system prefers dark.
    pub fn is_dark(self, system_prefers_dark: bool) -> bool {
        match self {
            ThemeChoice::System => system_prefers_dark,
            ThemeChoice::Light => false,
            ThemeChoice::Dark => true,
        }
    }
}

/// The theme signals every view can read.
#[derive(Clone, Copy)]
pub struct ThemeStore {
    /// What the user chose.
    pub choice: RwSignal<ThemeChoice>,
    /// What is shown.
    pub is_dark: Signal<bool>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn dark_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

/// Creates the store (stored choice or `initial`), keeps the document's `data-theme` in step and
/// follows system changes. `remember` stores the user's later choices.
pub fn provide_theme(initial: Option<ThemeChoice>, remember: bool) -> ThemeStore {
    let stored = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| ThemeChoice::parse(&v));
    let choice = RwSignal::new(initial.or(stored).unwrap_or(ThemeChoice::System));
    let system_dark = RwSignal::new(dark_query().is_some_and(|q| q.matches()));
    if let Some(query) = dark_query() {
        let listener =
            Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |event: web_sys::MediaQueryListEvent| {
                system_dark.set(event.matches())
            });
        let _ = query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        // The page lives as long as the listener is needed.
        listener.forget();
    }
    let is_dark = Signal::derive(move || choice.get().is_dark(system_dark.get()));
    Effect::new(move |previous: Option<ThemeChoice>| {
        let current = choice.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = match current {
                ThemeChoice::System => root.remove_attribute("data-theme"),
                other => root.set_attribute("data-theme", other.as_str()),
            };
        }
        if remember && previous.is_some_and(|p| p != current) {
            // Quota or privacy errors only mean the choice is not remembered.
            let _ = storage().map(|s| s.set_item(STORAGE_KEY, current.as_str()));
        }
        current
    });
    let store = ThemeStore { choice, is_dark };
    provide_context(store);
    store
}

/// The store provided by the app (or an embed).
pub fn use_theme() -> ThemeStore {
    expect_context::<ThemeStore>()
}

/// The header's theme picker.
#[component]
pub fn ThemeSwitcher() -> impl IntoView {
    let theme = use_theme();
    view! {
        <label class="theme-switcher">
            <span class="visually-hidden">"Theme"</span>
            <select aria-label="Theme" prop:value=move || theme.choice.get().as_str()
                on:change=move |event| {
                    if let Some(choice) = ThemeChoice::parse(&event_target_value(&event)) {
                        theme.choice.set(choice);
                    }
                }>
                <option value="system">"Auto theme"</option>
                <option value="light">"Light"</option>
                <option value="dark">"Dark"</option>
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_resolve() {
        assert_eq!(ThemeChoice::parse(" Dark "), Some(ThemeChoice::Dark));
        assert_eq!(ThemeChoice::parse("auto"), Some(ThemeChoice::System));
        assert_eq!(ThemeChoice::parse("javascript:x"), None);
        assert!(ThemeChoice::System.is_dark(true));
        assert!(!ThemeChoice::Light.is_dark(true));
        assert!(ThemeChoice::Dark.is_dark(false));
        assert_eq!(
            ThemeChoice::parse(ThemeChoice::Light.as_str()),
            Some(ThemeChoice::Light)
        );
    }
}
