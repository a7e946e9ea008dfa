//! Browser-side helpers for getting data out of the page: file downloads (CSV, JSON, SVG) through a
//! Blob URL, and copy-to-clipboard buttons for addresses and hashes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::export::{Table, to_csv, to_json};

/// Offers `contents` to the user as a file named `file_name`.
pub fn download(file_name: &str, mime: &str, contents: &str) {
    let save = || -> Option<()> {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let document = web_sys::window()?.document()?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
        web_sys::Url::revoke_object_url(&url).ok()
    };
    if save().is_none() {
        web_sys::console::warn_1(&format!("could not offer {file_name} for download").into());
    }
}

/// "CSV" and "JSON" buttons exporting the table `table()` returns (the rows on screen).
#[component]
pub fn ExportButtons(table: impl Fn() -> Option<Table> + Send + Sync + 'static) -> impl IntoView {
    let table = StoredValue::new(table);
    let export = move |json: bool| {
        if let Some(table) = table.with_value(|t| t()) {
            if json {
                download(
                    &format!("{}.json", table.file_stem()),
                    "application/json",
                    &to_json(&table),
                );
            } else {
                download(&format!("{}.csv", table.file_stem()), "text/csv", &to_csv(&table));
            }
        }
    };
    view! {
        <div class="export" role="group" aria-label="Export the table">
            <button type="button" class="button" on:click=move |_| export(false)>"CSV"</button>
            <button type="button" class="button" on:click=move |_| export(true)>"JSON"</button>
        </div>
    }
}

/// Copies `text` to the clipboard, waiting for the browser's answer: `Err` says why not (no
/// clipboard outside https and localhost, or the browser refused).
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let available =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|clipboard| !clipboard.is_undefined());
    if !available {
        return Err(
            "this page cannot use the clipboard (it needs https or localhost): select the text and copy it".into(),
        );
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused to copy: select the text and copy it".into())
}

/// A shortened address or hash with its full value on hover and a button that copies it.
#[component]
pub fn CopyText(text: String, #[prop(optional)] label: &'static str) -> impl IntoView {
    // `Some(Ok)` for a moment after a copy the browser confirmed, `Some(Err)` when it failed.
    let copied = RwSignal::new(None::<Result<(), String>>);
    let full = text.clone();
    let copy = move |_| {
        let full = full.clone();
        wasm_bindgen_futures::spawn_local(async move {
            copied.set(Some(copy_to_clipboard(&full).await));
            gloo_timers::callback::Timeout::new(1_500, move || copied.set(None)).forget();
        });
    };
    let name = if label.is_empty() { "value" } else { label };
    view! {
        <span class="copy-text">
            <span class="mono" title=text.clone()>{crate::format::short(&text)}</span>
            <button type="button" class="copy-button" on:click=copy aria-label=format!("Copy {name} {text}")>
                {move || if let Some(outcome) = copied.get() {
                    match outcome {
                        Ok(()) => view! { <span title="Copied">"✓"</span> }.into_any(),
                        Err(why) => view! { <span class="copy-failed" title=why>"✗"</span> }.into_any(),
                    }
                } else {
                    // Two overlapping sheets: drawn, so no font needs the glyph.
                    view! {
                        <svg class="copy-icon" viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
                            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"/>
                            <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H11" fill="none" stroke="currentColor" stroke-width="1.5"/>
                        </svg>
                    }.into_any()
                }}
            </button>
        </span>
    }
}
