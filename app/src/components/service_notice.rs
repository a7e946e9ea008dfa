//! Says what happened to the chain service under this page: that it restarted (the page keeps its
//! data, reconnects, and says when it has), and what became of the light client's saved state
//! (refused at the start, or saving paused because the browser refused the write).

use leptos::prelude::*;
use light_client::service::protocol::SavedStateNotice;

use crate::chain::use_chain;
use crate::format;

/// How long "reconnected" stays on screen after the fresh service's first block.
const RECONNECTED_SHOWN_SECONDS: f64 = 20.0;

/// The restart notice, then the saved-state notice, each only while it applies.
#[component]
pub fn ServiceNotice() -> impl IntoView {
    let store = use_chain();
    let restart = move || {
        let restarted = store.service_restarted.get()?;
        let reconnected = store.finalized_at.get() > restarted;
        let since = (store.now.get() - restarted) / 1000.0;
        if reconnected && since > RECONNECTED_SHOWN_SECONDS {
            return None;
        }
        let text = if reconnected {
            format!(
                "The chain service restarted {} ago and reconnected; the data is live again.",
                format::duration(since)
            )
        } else {
            "The chain service restarted: reconnecting. The data shown is the last verified, kept until new blocks arrive."
                .to_string()
        };
        Some(view! { <div class="notice page-notice service-restarted" role="status">{text}</div> })
    };
    let saved = move || {
        let text = match store.saved_state.get()? {
            SavedStateNotice::Refused(why) => {
                format!("The light client's saved state was refused ({why}); it started without it.")
            }
            SavedStateNotice::SavingPaused(why) => {
                format!(
                    "Saving the light client's state is paused: {why}. Everything works; the next visit starts colder."
                )
            }
            SavedStateNotice::SavingResumed => return None,
        };
        Some(view! { <div class="notice page-notice saved-state-notice" role="status">{text}</div> })
    };
    view! { {restart} {saved} }
}
