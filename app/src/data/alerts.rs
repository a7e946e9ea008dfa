//! The alerts store: this chain's alert rules and firings (the `alerts` file, by genesis hash in
//! this browser's localStorage), fed verified readings by the watcher; each firing is kept, shown
//! in the list and sent as a system notification where the user allowed them. Readings from a
//! trusted RPC node are never evaluated.

use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::model::Snapshot;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::alerts::{self, Alerts, Condition, Figure, Firing};
use crate::chain::{local_storage, use_chain};

/// Whether rules are evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum Watching {
    /// Waiting for the chain's genesis.
    Starting,
    /// Every verified reading is evaluated.
    On,
    /// The data comes from a trusted RPC node, which this browser cannot check: nothing is
    /// evaluated.
    Unverified,
}

/// Whether the browser shows this site's notifications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Permission {
    /// Allowed.
    Granted,
    /// Refused by the user.
    Denied,
    /// Not asked yet (asked when a rule is added).
    Ask,
    /// This browser has no notifications.
    Unsupported,
}

/// The alerts of the chain the page shows.
#[derive(Clone, Copy)]
pub struct AlertsStore {
    /// Rules and firings, as last saved.
    pub alerts: RwSignal<Alerts>,
    /// Whether rules are evaluated.
    pub watching: RwSignal<Watching>,
    /// The last problem with the saved file (set aside as unreadable, or a save refused).
    pub problem: RwSignal<Option<String>>,
    /// Whether notifications are allowed.
    pub permission: RwSignal<Permission>,
    genesis: RwSignal<Option<String>>,
}

fn alerts_key(genesis: &str) -> String {
    format!("taoscope.alerts.{genesis}")
}

fn permission_now() -> Permission {
    let supported =
        web_sys::window().is_some_and(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false));
    if !supported {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Provides the alerts store for the app (embeds have none).
pub fn provide_alerts_store() {
    let chain = use_chain();
    let store = AlertsStore {
        alerts: RwSignal::new(Alerts::default()),
        watching: RwSignal::new(Watching::Starting),
        problem: RwSignal::new(None),
        permission: RwSignal::new(permission_now()),
        genesis: RwSignal::new(None),
    };
    provide_context(store);
    let loading = StoredValue::new(false);
    Effect::new(move |_| {
        if chain.finalized.with(Option::is_none) || loading.get_value() {
            return;
        }
        let Some(client) = chain.client() else { return };
        loading.set_value(true);
        let verified = client.is_verified();
        spawn_local(async move {
            if let Ok(genesis) = client.genesis_hash().await {
                store.genesis.set(Some(genesis));
                store.alerts.set(store.read());
                store
                    .watching
                    .set(if verified { Watching::On } else { Watching::Unverified });
                store.follow_other_tabs();
            }
        });
    });
}

/// The app's alerts store (`None` in embeds).
pub fn use_alerts() -> Option<AlertsStore> {
    use_context::<AlertsStore>()
}

impl AlertsStore {
    /// The saved file, read now (another tab may have written it); a file that no longer reads is
    /// kept aside (under `….unreadable`), named in `problem`, and replaced by an empty one.
    fn read(&self) -> Alerts {
        let Some(genesis) = self.genesis.get_untracked() else {
            return Alerts::default();
        };
        let storage = local_storage();
        let Some(text) = storage
            .as_ref()
            .and_then(|s| s.get_item(&alerts_key(&genesis)).ok().flatten())
        else {
            return Alerts::default();
        };
        match alerts::parse(&text, &genesis) {
            Ok(alerts) => alerts,
            Err(error) => {
                let aside = format!("{}.unreadable", alerts_key(&genesis));
                if let Some(storage) = &storage {
                    let _ = storage.set_item(&aside, &text);
                    let _ = storage.remove_item(&alerts_key(&genesis));
                }
                self.problem.set(Some(format!(
                    "The saved alerts could not be read and were set aside (as {aside}): {error}"
                )));
                Alerts::default()
            }
        }
    }

    /// Saves `alerts` and shows them; an error says why the browser refused.
    fn save(&self, alerts: Alerts) -> Result<(), String> {
        let genesis = self.genesis.get_untracked().ok_or("the chain is not known yet")?;
        local_storage()
            .ok_or("this browser does not allow saving")?
            .set_item(&alerts_key(&genesis), &alerts::to_file(&alerts, &genesis))
            .map_err(|_| "the browser's storage for this site is full".to_string())?;
        self.alerts.set(alerts);
        Ok(())
    }

    /// Shows what another tab saved as soon as it saves it.
    fn follow_other_tabs(&self) {
        let store = *self;
        let listener = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            let ours = store
                .genesis
                .get_untracked()
                .is_some_and(|genesis| event.key().as_deref() == Some(alerts_key(&genesis).as_str()));
            if ours {
                store.alerts.set(store.read());
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        }
        listener.forget();
    }

    /// Whether rules can be added and are evaluated (the chain is known and its data verified).
    pub fn ready(&self) -> bool {
        self.watching.get() == Watching::On
    }

    /// Adds a rule set at `block`, and asks for the notification permission if it was never asked.
    pub fn add(&self, condition: Condition, block: u64) -> Result<(), String> {
        if self.watching.get_untracked() != Watching::On {
            return Err("alerts run only on data this browser verified".to_string());
        }
        let mut alerts = self.read();
        alerts.add(condition, block);
        self.save(alerts)?;
        self.ask_permission();
        Ok(())
    }

    /// Removes rule `id`.
    pub fn remove(&self, id: u64) -> Result<(), String> {
        let mut alerts = self.read();
        alerts.remove(id);
        self.save(alerts)
    }

    /// Forgets every firing (the rules stay).
    pub fn clear_firings(&self) -> Result<(), String> {
        let mut alerts = self.read();
        alerts.firings.clear();
        self.save(alerts)
    }

    /// Evaluates the rules `read` has a figure for against a store's new value; nothing unless the
    /// value is verified and the page evaluates. Each new firing is notified.
    pub fn observe<T>(&self, snapshot: &Snapshot<T>, read: impl Fn(&Condition) -> Option<Figure>) {
        if self.watching.get_untracked() != Watching::On || !snapshot.source.is_verified() {
            return;
        }
        let mut alerts = self.read();
        let before = alerts.clone();
        let fired = alerts.observe(snapshot.block_number, js_sys::Date::now(), read);
        if alerts == before {
            return;
        }
        match self.save(alerts) {
            Ok(()) => fired.iter().for_each(|firing| self.notify(firing)),
            Err(reason) => self.problem.set(Some(format!("Alerts not saved: {reason}"))),
        }
    }

    /// Asks the browser for the notification permission, once (never on page load).
    fn ask_permission(&self) {
        if self.permission.get_untracked() != Permission::Ask {
            return;
        }
        let Ok(promise) = web_sys::Notification::request_permission() else {
            return;
        };
        let store = *self;
        spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            store.permission.set(permission_now());
        });
    }

    /// A system notification for `firing`, where allowed.
    fn notify(&self, firing: &Firing) {
        if permission_now() != Permission::Granted {
            return;
        }
        let options = web_sys::NotificationOptions::new();
        options.set_body(&alerts::firing_text(firing));
        options.set_tag(&format!("taoscope-alert-{}-{}", firing.rule_id, firing.block));
        let _ = web_sys::Notification::new_with_options("Taoscope alert", &options);
    }
}
