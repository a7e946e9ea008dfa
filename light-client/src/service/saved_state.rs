//! What the chain service keeps in this browser, in IndexedDB (the worker cannot reach
//! localStorage, and finney's runtime would not fit there): per chain, the light client's
//! finalized database keyed by genesis, its runtime code apart keyed by genesis and code hash
//! (written once per runtime, not with every save), and the start's small facts
//! (the genesis state root, whom a checkpoint was trusted from); per genesis, the history the
//! worker records and the watchlist. Only the worker writes it.

use idb::DatabaseEvent;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::startup::runtime_code;

/// The IndexedDB database and its one object store (string keys, string values).
const DATABASE: &str = "taoscope";
const STORE: &str = "kv";

/// How much of smoldot's finalized database is saved: enough for finney's runtime code
/// (2.6 MB compressed, twice that as hex) with room to spare.
pub const MAX_DATABASE_BYTES: u64 = 16 * 1024 * 1024;

/// The worker's handle on this browser's saved state.
#[derive(Clone)]
pub struct SavedStates {
    /// `None` where the browser gives no IndexedDB (then every start is cold, and saving says why).
    db: Option<std::rc::Rc<idb::Database>>,
}

/// A chain's saved light-client state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedState {
    /// The genesis it was saved for (also its key).
    pub genesis: String,
    /// smoldot's finalized database: an opaque JSON string, with the runtime code when it fits.
    pub database: String,
    /// [`crate::chain_spec::digest`] of the spec text it was saved with: a warm start on the same
    /// text skips computing the genesis again.
    pub spec_digest: Option<String>,
    /// In the saved record only: the hash of the runtime code split off `database`, which is
    /// saved under [`key::code`].
    #[serde(default)]
    pub code_hash: Option<String>,
}

impl SavedState {
    /// The genesis this state was saved with, when it was saved from a client started on exactly
    /// the text of `spec`.
    pub fn genesis_for(&self, spec: &str) -> Option<&str> {
        (self.spec_digest.as_deref()? == crate::chain_spec::digest(spec)).then_some(self.genesis.as_str())
    }
}

fn describe(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// The keys, by what they hold.
pub mod key {
    /// The genesis last seen for a chain-spec id.
    pub fn genesis(chain_id: &str) -> String {
        format!("genesis.{chain_id}")
    }
    /// A genesis's saved state.
    pub fn state(genesis: &str) -> String {
        format!("db.{genesis}")
    }
    /// The runtime code (the database's code fields) with blake2-256 `code_hash`, of a genesis's
    /// saved state.
    pub fn code(genesis: &str, code_hash: &str) -> String {
        format!("code.{genesis}.{code_hash}")
    }
    /// A chain's genesis state root (to build its spec from facts).
    pub fn genesis_root(chain_id: &str) -> String {
        format!("genesis-root.{chain_id}")
    }
    /// Whom the verified state's checkpoint was trusted from.
    pub fn trusted_once(chain_id: &str) -> String {
        format!("trusted-once.{chain_id}")
    }
    /// A chain's recorded history (its `taoscope-history/1` file).
    pub fn history(genesis: &str) -> String {
        format!("history.{genesis}")
    }
    /// A saved history that no longer reads, set aside rather than overwritten.
    pub fn unreadable_history(genesis: &str) -> String {
        format!("history.{genesis}.unreadable")
    }
    /// A chain's watchlist.
    pub fn watchlist(genesis: &str) -> String {
        format!("watchlist.{genesis}")
    }
    /// Set for the next start only: skip the site's checkpoint.
    pub fn skip_served_checkpoint(chain_id: &str) -> String {
        format!("skip-served-checkpoint.{chain_id}")
    }
}

impl SavedStates {
    /// Opens (creating on first use) this origin's saved state. A browser that refuses IndexedDB
    /// gets a store that keeps nothing and says why on every write.
    pub async fn open() -> Self {
        match Self::open_database().await {
            Ok(db) => Self {
                db: Some(std::rc::Rc::new(db)),
            },
            Err(why) => {
                web_sys::console::warn_1(&format!("Taoscope: no saved state in this browser: {why}").into());
                Self { db: None }
            }
        }
    }

    async fn open_database() -> Result<idb::Database, String> {
        let factory = idb::Factory::new().map_err(describe)?;
        let mut request = factory.open(DATABASE, Some(1)).map_err(describe)?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                let _ = database.create_object_store(STORE, idb::ObjectStoreParams::new());
            }
        });
        request.await.map_err(describe)
    }

    fn database(&self) -> Result<&idb::Database, String> {
        self.db
            .as_deref()
            .ok_or_else(|| "this browser gives the site no IndexedDB".to_string())
    }

    /// The text saved under `key`.
    pub async fn value(&self, key: &str) -> Option<String> {
        let transaction = self
            .database()
            .ok()?
            .transaction(&[STORE], idb::TransactionMode::ReadOnly)
            .ok()?;
        let store = transaction.object_store(STORE).ok()?;
        let value = store.get(JsValue::from_str(key)).ok()?.await.ok()??;
        value.as_string()
    }

    /// Saves `value` under `key`; the browser's refusal (a full quota) is returned, named.
    pub async fn set_value(&self, key: &str, value: &str) -> Result<(), String> {
        self.set_values(&[(key, value)]).await
    }

    /// Saves every `(key, value)` in one transaction: all of them or none.
    pub async fn set_values(&self, entries: &[(&str, &str)]) -> Result<(), String> {
        let transaction = self
            .database()?
            .transaction(&[STORE], idb::TransactionMode::ReadWrite)
            .map_err(describe)?;
        let store = transaction.object_store(STORE).map_err(describe)?;
        for (key, value) in entries {
            store
                .put(&JsValue::from_str(value), Some(&JsValue::from_str(key)))
                .map_err(describe)?
                .await
                .map_err(describe)?;
        }
        match transaction.await.map_err(describe)? {
            idb::TransactionResult::Committed => Ok(()),
            idb::TransactionResult::Aborted => Err("the browser aborted the write (storage full?)".into()),
        }
    }

    /// Forgets `key`.
    pub async fn forget(&self, key: &str) {
        let Ok(transaction) = self.database().and_then(|db| {
            db.transaction(&[STORE], idb::TransactionMode::ReadWrite)
                .map_err(describe)
        }) else {
            return;
        };
        if let Ok(store) = transaction.object_store(STORE)
            && let Ok(request) = store.delete(JsValue::from_str(key))
        {
            let _ = request.await;
        }
        let _ = transaction.await;
    }

    /// The state saved for `chain_id` (by its last known genesis), if any, with its runtime code
    /// joined back (without it, when its record is gone or does not read: smoldot then downloads
    /// the code). A record that does not read is returned as unreadable text, so the start refuses
    /// it by name.
    pub async fn state(&self, chain_id: &str) -> Option<SavedState> {
        let genesis = self.value(&key::genesis(chain_id)).await?;
        let text = self.value(&key::state(&genesis)).await?;
        let Ok(mut state) = serde_json::from_str::<SavedState>(&text) else {
            return Some(SavedState {
                genesis,
                database: text,
                spec_digest: None,
                code_hash: None,
            });
        };
        if let Some(code_hash) = state.code_hash.take() {
            let joined = match self.value(&key::code(&genesis, &code_hash)).await {
                Some(fields) => runtime_code::join(&state.database, &fields).map_err(|error| error.to_string()),
                None => Err(format!("no runtime code saved under {code_hash}")),
            };
            match joined {
                Ok(database) => state.database = database,
                Err(why) => web_sys::console::warn_1(
                    &format!("Taoscope: starting without the saved runtime code ({why}); it is downloaded again")
                        .into(),
                ),
            }
        }
        Some(state)
    }

    /// Saves `state` as `chain_id`'s, with the pointer to it, in one transaction. Its runtime
    /// code is saved apart under its hash, only when the saved record had another code (a new
    /// runtime, or the first save); a replaced code record is then removed.
    pub async fn save_state(&self, chain_id: &str, state: &SavedState) -> Result<(), String> {
        let (database, code) = runtime_code::split(&state.database).map_err(describe)?;
        let previous = self.saved_code_hash(&state.genesis).await;
        let record = SavedState {
            database,
            code_hash: code.as_ref().map(|code| code.hash.clone()),
            ..state.clone()
        };
        let text = serde_json::to_string(&record).map_err(describe)?;
        let (state_key, genesis_key) = (key::state(&state.genesis), key::genesis(chain_id));
        let mut entries = vec![
            (state_key.as_str(), text.as_str()),
            (genesis_key.as_str(), state.genesis.as_str()),
        ];
        let code_entry = code
            .as_ref()
            .filter(|code| previous.as_deref() != Some(code.hash.as_str()))
            .map(|code| (key::code(&state.genesis, &code.hash), code.fields.as_str()));
        if let Some((code_key, fields)) = &code_entry {
            entries.push((code_key.as_str(), fields));
        }
        self.set_values(&entries).await?;
        if let Some(replaced) = previous.filter(|previous| record.code_hash.as_deref() != Some(previous.as_str())) {
            self.forget(&key::code(&state.genesis, &replaced)).await;
        }
        Ok(())
    }

    /// The code hash in `genesis`'s saved record: whose runtime code is saved apart.
    async fn saved_code_hash(&self, genesis: &str) -> Option<String> {
        self.value(&key::state(genesis))
            .await
            .and_then(|text| serde_json::from_str::<SavedState>(&text).ok())
            .and_then(|saved| saved.code_hash)
    }

    /// Forgets `chain_id`'s saved state, its runtime code with it.
    pub async fn forget_state(&self, chain_id: &str) {
        if let Some(genesis) = self.value(&key::genesis(chain_id)).await {
            let code_hash = self.saved_code_hash(&genesis).await;
            self.forget(&key::state(&genesis)).await;
            if let Some(code_hash) = code_hash {
                self.forget(&key::code(&genesis, &code_hash)).await;
            }
        }
    }
}
