//! The settings page: which chain and transport the page uses (the light client, or a trusted RPC
//! node the user names), the live connection state, the chain spec's boot nodes, and the user's
//! own peers (WebSocket multiaddrs). Choices are saved per chain and used from the next load.

use leptos::prelude::*;
use light_client::chain_spec;

use light_client::chains::StartPoint;

use crate::chain::{save_chain, save_peers, save_rpc_endpoint, use_chain};
use crate::components::sync_status::describe;
use crate::components::url_state::UnknownParameters;
use crate::format;

/// The settings page.
#[component]
pub fn Settings() -> impl IntoView {
    let store = use_chain();
    let draft = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let page_is_https = crate::chain::page_is_https();
    let save = move |peers: Vec<String>| {
        let Some(info) = store.spec_info.get_untracked() else {
            return message.set(Some((false, "The chain spec is not loaded yet.".into())));
        };
        match save_peers(&info.id, &peers) {
            Ok(()) => {
                store.extra_peers.set(peers);
                message.set(Some((
                    true,
                    "Saved. Reload the page to connect with this peer list.".into(),
                )));
            }
            Err(error) => message.set(Some((false, error))),
        }
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let peer = draft.get_untracked().trim().to_string();
        if let Err(error) = chain_spec::check_peer(&peer) {
            return message.set(Some((false, error.to_string())));
        }
        if !light_client::platform::page_can_dial(&peer, page_is_https) {
            return message.set(Some((
                false,
                "This peer needs wss: an https page cannot open plain ws:// connections to other hosts.".into(),
            )));
        }
        let mut peers = store.extra_peers.get_untracked();
        if !peers.contains(&peer) {
            peers.push(peer);
        }
        draft.set(String::new());
        save(peers);
    };
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Settings"</h1>
            <UnknownParameters/>
            <div class="settings-grid">
                <section class="panel" aria-labelledby="chain-title">
                    <h2 id="chain-title">"Chain"</h2>
                    <dl class="facts">
                        <dt>"Network"</dt>
                        <dd>{move || store.spec_info.get().map(|i| format!("{} ({})", i.name, i.id)).unwrap_or_else(|| "loading…".into())}</dd>
                        <dt>"Chain spec"</dt>
                        <dd class="mono">{move || match store.chain.get() {
                            None => "loading…".to_string(),
                            Some(chain) => chain.spec.unwrap_or_else(|| format!("built in this browser from {}'s facts", chain.label)),
                        }}</dd>
                        <dt>"Started from"</dt>
                        <dd>{move || match store.started_from.get() {
                            None => "—".to_string(),

                            Some((StartPoint::Checkpoint, _)) => format!(
                                "the checkpoint this site serves ({}), then verified block by block",
                                store.chain.get().and_then(|c| c.checkpoint).unwrap_or_default()
                            ),
                            Some((StartPoint::RpcBootstrap, _)) => format!(
                                "a {}, then verified block by block",
                                store.trusted_once.get().unwrap_or_default()
                            ),
                            Some((StartPoint::Saved, _)) => match store.trusted_once.get() {
                                Some(note) => format!("the state this browser saved, verified since a {note}"),
                                None => "the state this browser saved on an earlier visit".to_string(),
                            },
                            Some((StartPoint::Genesis, None)) => "the genesis block".to_string(),
                            Some((StartPoint::Genesis, Some(why))) => format!("the genesis block ({why})"),
                        }}</dd>
                        <dt>"Transport"</dt>
                        <dd>{move || match store.rpc_endpoint.get() {
                            None => "Embedded light client (smoldot): every value is checked against the finalized block's state root. Nothing is trusted but the chain spec.".to_string(),
                            Some(url) => format!("Trusted RPC node {url}: values are taken on trust from that node, not verified. Its genesis hash was checked against the chain spec."),
                        }}</dd>
                        <dt>"Status"</dt>
                        <dd>{move || match store.start_error.get() {
                            Some(error) => format!("Failed to start: {error}"),
                            None => describe(&store.status.get()),
                        }}</dd>
                        <dt>"Finalized block"</dt>
                        <dd>{move || store.finalized.get().map(|b| format!("{} · {}", format::block(b.number), format::short(&b.hash))).unwrap_or_else(|| "none yet".into())}</dd>
                        <dt>"Downloaded"</dt>
                        <dd>{move || {
                            // Re-read with the page's clock: the counters are not signals.
                            store.now.track();
                            let counters = store.client().map(|service| service.counters()).unwrap_or_default();
                            match store.rpc_endpoint.get() {
                                Some(_) => format!("{} from the RPC node", format::data_size(counters.from_rpc_nodes)),
                                None => format!("{} from peers (blocks, proofs and the runtime), shared by this site's tabs", format::data_size(counters.from_peers)),
                            }
                        }}</dd>
                        <dt>"Runtime"</dt>
                        <dd>{move || store.finalized.get().and_then(|b| b.runtime).map(|r| format!("{} v{}", r.spec_name, r.spec_version)).unwrap_or_else(|| "unknown yet".into())}</dd>
                    </dl>
                </section>
                <ChainPicker/>
                <RpcSettings/>
                <section class="panel" aria-labelledby="peers-title">
                    <h2 id="peers-title">"Peers"</h2>
                    <p class="muted">"Boot nodes from the chain spec:"</p>
                    <ul class="peer-list">
                        {move || store.spec_info.get().map(|i| i.boot_nodes).unwrap_or_default().into_iter().map(|peer| view! {
                            <li class="mono">{peer}</li>
                        }).collect_view()}
                    </ul>
                    <p class="muted">"Your peers (used from the next load):"</p>
                    <ul class="peer-list">
                        {move || {
                            let peers = store.extra_peers.get();
                            if peers.is_empty() {
                                view! { <li class="muted">"none"</li> }.into_any()
                            } else {
                                peers.into_iter().map(|peer| {
                                    let remove = peer.clone();
                                    view! {
                                        <li>
                                            <span class="mono">{peer.clone()}</span>" "
                                            <button type="button" class="button" aria-label=format!("Remove {peer}") on:click=move |_| {
                                                let peers: Vec<String> = store.extra_peers.get_untracked().into_iter().filter(|p| *p != remove).collect();
                                                save(peers);
                                            }>"Remove"</button>
                                        </li>
                                    }
                                }).collect_view().into_any()
                            }
                        }}
                    </ul>
                    <form class="filters" on:submit=add aria-label="Add a peer">
                        <label>"Add a WebSocket peer"
                            <input type="text" class="peer-input" placeholder="/dns/host/tcp/443/wss/p2p/12D3Koo…" prop:value=move || draft.get()
                                on:input=move |event| draft.set(event_target_value(&event))/>
                        </label>
                        <button type="submit" class="button">"Add"</button>
                    </form>
                    {move || message.get().map(|(ok, text)| view! {
                        <p class="form-message" class:error=!ok role="status">{text}</p>
                    })}
                </section>
            </div>
        </section>
    }
}

/// Choosing between the light client and a trusted RPC node (saved per chain, next load).
#[component]
fn RpcSettings() -> impl IntoView {
    let store = use_chain();
    let draft = RwSignal::new(store.rpc_endpoint.get_untracked().unwrap_or_default());
    let message = RwSignal::new(None::<(bool, String)>);
    let save = move |endpoint: Option<String>| {
        let Some(info) = store.spec_info.get_untracked() else {
            return message.set(Some((false, "The chain spec is not loaded yet.".into())));
        };
        if let Some(url) = &endpoint
            && let Err(error) = light_client::platform::RpcUrl::parse(url)
        {
            return message.set(Some((false, error.to_string())));
        }
        match save_rpc_endpoint(&info.id, endpoint.as_deref()) {
            Ok(()) if endpoint.is_some() => message.set(Some((
                true,
                "Saved. Reload the page to read through this node (unverified).".into(),
            ))),
            Ok(()) => message.set(Some((true, "Saved. Reload the page to use the light client.".into()))),
            Err(error) => message.set(Some((false, error))),
        }
    };
    let use_rpc = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let url = draft.get_untracked().trim().to_string();
        if url.is_empty() {
            return message.set(Some((false, "Enter a WebSocket URL like wss://host:443.".into())));
        }
        save(Some(url));
    };
    view! {
        <section class="panel" aria-labelledby="rpc-title">
            <h2 id="rpc-title">"Trusted RPC node"</h2>
            <p class="muted">"Instead of the light client, read through a node you trust (for example your own). Nothing it says is verified: every view is marked “Unverified”. The node must serve this chain (its genesis hash is checked)."</p>
            <form class="filters" on:submit=use_rpc aria-label="Use a trusted RPC node">
                <label>"Node's WebSocket URL"
                    <input type="url" class="peer-input" placeholder="wss://host:443" prop:value=move || draft.get()
                        on:input=move |event| draft.set(event_target_value(&event))/>
                </label>
                <button type="submit" class="button">"Use this node"</button>
                <button type="button" class="button" on:click=move |_| save(None)>"Use the light client"</button>
            </form>
            {move || message.get().map(|(ok, text)| view! {
                <p class="form-message" class:error=!ok role="status">{text}</p>
            })}
        </section>
    }
}

/// Which of the site's chains this browser uses: saved, then the page reloads on it.
#[component]
fn ChainPicker() -> impl IntoView {
    let store = use_chain();
    let message = RwSignal::new(None::<String>);
    let choose = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        match save_chain(&id) {
            Ok(()) => {
                if let Some(location) = web_sys::window().map(|w| w.location()) {
                    let _ = location.assign(&format!("/settings?chain={}", crate::query::encode(&id)));
                }
            }
            Err(error) => message.set(Some(error)),
        }
    };
    view! {
        <section class="panel" aria-labelledby="network-title">
            <h2 id="network-title">"Network"</h2>
            {move || store.chain_notice.get().map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
            <label class="field">"Chain"
                <select on:change=choose prop:value=move || store.chain.get().map(|c| c.id).unwrap_or_default()>
                    {move || store.manifest.get().map(|m| m.chains).unwrap_or_default().into_iter().map(|chain| view! {
                        <option value=chain.id.clone()>{chain.label.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="muted">"The chains this site offers (its /chain-specs/index.json). Links can name one with ?chain=ID."</p>
            {move || message.get().map(|text| view! { <p class="form-message error" role="status">{text}</p> })}
        </section>
    }
}
