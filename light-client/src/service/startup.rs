//! The start's decisions, made in the worker: the site's chain manifest, the chain spec (a file,
//! or built from the chain's facts and its genesis state root), the extra peers, and what the light
//! client starts from (the saved state, the site's checkpoint, one read from the RPC bootstrap
//! nodes, or genesis). A chain that can do none of these is refused with a message.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::protocol::{ChainFacts, Connect, SavedStateNotice, StartFailure};
use super::saved_state::{SavedStates, key};
use crate::bootstrap::{self, Bootstrapped};
use crate::chain_spec;
use crate::chains::{self, ChainEntry, Manifest, StartPoint};
use crate::client::LightClient;
use crate::transport::StartError;

/// A file served beside the app (`what` names it in errors): `Ok(None)` when the site does not
/// serve it (HTTP 404).
pub async fn fetch_served_text(url: &str, what: &str) -> Result<Option<String>, StartFailure> {
    let load = |reason: String| StartFailure::Load {
        what: what.to_string(),
        url: url.to_string(),
        reason,
    };
    let scope: web_sys::WorkerGlobalScope = js_sys::global()
        .dyn_into()
        .map_err(|_| load("not in a worker".into()))?;
    let response: web_sys::Response = JsFuture::from(scope.fetch_with_str(url))
        .await
        .map_err(|error| load(js_text(&error)))?
        .dyn_into()
        .map_err(|_| load("not an HTTP response".into()))?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(load(format!("HTTP {}", response.status())));
    }
    let text = response.text().map_err(|error| load(js_text(&error)))?;
    JsFuture::from(text)
        .await
        .map_err(|error| load(js_text(&error)))?
        .as_string()
        .map(Some)
        .ok_or_else(|| load("not text".into()))
}

/// A file the site must serve.
pub async fn fetch_required_text(url: &str, what: &str) -> Result<String, StartFailure> {
    fetch_served_text(url, what)
        .await?
        .ok_or_else(|| StartFailure::NotServed {
            what: what.to_string(),
            url: url.to_string(),
        })
}

fn js_text(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Reads and parses the site's chain manifest.
pub async fn manifest() -> Result<Manifest, StartFailure> {
    let text = fetch_required_text(chains::MANIFEST_PATH, "its chain manifest").await?;
    Manifest::parse(&text).map_err(|error| StartFailure::Refused(error.to_string()))
}

/// A chain's spec, resolved once per chain and shared by its pages.
#[derive(Debug, Clone)]
pub struct ResolvedChain {
    /// The chain.
    pub chain: ChainEntry,
    /// The spec's text, as the site serves it or built from facts (without extra peers).
    pub spec: String,
    /// A checkpoint read from the bootstrap nodes on the way (only when the site ships none).
    pub bootstrapped: Option<Bootstrapped>,
}

/// The chain's spec: the file the manifest names, or one built from the chain's facts and its
/// genesis state root (saved from an earlier visit, given by the manifest, or read from the
/// bootstrap nodes: alone when the site ships a checkpoint, else together with a checkpoint,
/// which is then returned too). A built spec is accepted only if it hashes to the facts' genesis.
pub async fn resolve(chain: ChainEntry, saved: &SavedStates) -> Result<ResolvedChain, StartFailure> {
    let Some(facts) = &chain.facts else {
        let path = chain.spec.as_deref().unwrap_or_default();
        let spec = fetch_required_text(path, "the chain spec").await?;
        return Ok(ResolvedChain {
            chain,
            spec,
            bootstrapped: None,
        });
    };
    let from_root = |root: &str| {
        facts
            .with_chain_facts(|facts| chain_spec::from_facts(facts, root))
            .map_err(|error| {
                StartFailure::Refused(format!(
                    "the chain spec built from {}'s facts is refused: {error}",
                    chain.label
                ))
            })
    };
    let known_root = match saved.value(&key::genesis_root(&chain.id)).await {
        Some(root) => Some(root),
        None => facts.genesis_state_root.clone(),
    };
    if let Some(root) = known_root {
        let spec = from_root(&root)?;
        return Ok(ResolvedChain {
            chain,
            spec,
            bootstrapped: None,
        });
    }
    // With a checkpoint of its own the site needs only the root; without, a checkpoint too.
    let (root, bootstrapped) = if chain.checkpoint.is_some() {
        let root = bootstrap::genesis_state_root(&facts.genesis_hash, &chain.rpc_bootstrap)
            .await
            .map_err(|error| StartFailure::Bootstrap(error.to_string()))?;
        (root, None)
    } else {
        let bootstrapped = bootstrap::from_rpc_nodes(&facts.genesis_hash, &chain.rpc_bootstrap)
            .await
            .map_err(|error| StartFailure::Bootstrap(error.to_string()))?;
        (bootstrapped.genesis_state_root.clone(), Some(bootstrapped))
    };
    let spec = from_root(&root)?;
    let _ = saved.set_value(&key::genesis_root(&chain.id), &root).await;
    Ok(ResolvedChain {
        chain,
        spec,
        bootstrapped,
    })
}

/// What a page binds to on `resolved`: its facts, the spec with this browser's extra peers, and
/// the trusted endpoint it chose (never for an embed).
pub fn facts_for(
    manifest: &Manifest,
    resolved: &ResolvedChain,
    notice: Option<String>,
    connect: &Connect,
) -> Result<(ChainFacts, String), StartFailure> {
    let info = chain_spec::inspect(&resolved.spec).map_err(|error| StartFailure::Refused(error.to_string()))?;
    // A saved peer that no longer parses is dropped (and shown as gone in the settings) rather
    // than stopping the client.
    let peers: Vec<String> = connect
        .saved_peers
        .get(&info.id)
        .into_iter()
        .flatten()
        .filter(|peer| chain_spec::check_peer(peer).is_ok())
        .cloned()
        .collect();
    let spec = chain_spec::with_extra_boot_nodes(&resolved.spec, &peers).unwrap_or_else(|_| resolved.spec.clone());
    let rpc_endpoint = if connect.light_client_only {
        None
    } else {
        connect
            .rpc_from_link
            .clone()
            .or_else(|| connect.saved_rpc.get(&info.id).cloned())
            .filter(|url| !url.trim().is_empty())
    };
    let https = crate::platform::origin_is_https();
    let no_dialable_peer = rpc_endpoint.is_none()
        && !info
            .boot_nodes
            .iter()
            .chain(&peers)
            .any(|peer| crate::platform::page_can_dial(peer, https));
    let facts = ChainFacts {
        manifest: manifest.clone(),
        chain: resolved.chain.clone(),
        notice,
        spec: info,
        extra_peers: peers,
        rpc_endpoint,
        no_dialable_peer,
    };
    Ok((facts, spec))
}

/// A verified light client as started, with what it started from.
pub struct VerifiedStart {
    /// The client.
    pub client: LightClient,
    /// What it started from, and why the site's checkpoint was not used if it failed.
    pub from: (StartPoint, Option<String>),
    /// Whom its checkpoint was trusted from, when it descends from the RPC bootstrap nodes.
    pub trusted_once: Option<String>,
    /// The saved state refused on the way, if one was.
    pub refused: Option<SavedStateNotice>,
}

/// "checkpoint #N from HOST, HOST (trusted once)".
fn trust_note(bootstrapped: &Bootstrapped) -> String {
    let hosts: Vec<String> = bootstrapped
        .trusted
        .iter()
        .map(|url| crate::platform::RpcUrl::parse(url).map_or_else(|_| url.clone(), |u| u.host))
        .collect();
    format!(
        "checkpoint #{} from {} (trusted once)",
        crate::units::group_digits(&bootstrapped.block_number.to_string()),
        hosts.join(", ")
    )
}

async fn start_bootstrapped(
    spec: &str,
    chain_id: &str,
    bootstrapped: &Bootstrapped,
    saved: &SavedStates,
    refused: Option<SavedStateNotice>,
) -> Result<VerifiedStart, StartFailure> {
    let client = LightClient::start(spec, &bootstrapped.database)?;
    let note = trust_note(bootstrapped);
    let _ = saved.set_value(&key::trusted_once(chain_id), &note).await;
    Ok(VerifiedStart {
        client,
        from: (StartPoint::RpcBootstrap, None),
        trusted_once: Some(note),
        refused,
    })
}

/// Starts the light client on `spec` (with the page's extra peers) from the state saved for
/// `chain_id`, else from the checkpoint the manifest lists (how a chain whose warp sync from
/// genesis fails, like finney, is reached), else from one read from the bootstrap nodes, else from
/// the bootstrap nodes or genesis as `chains::start_point` decides. Saved state that is unreadable
/// or belongs to another chain (a reset devnet) is forgotten, and said.
pub async fn start_verified(
    spec: &str,
    chain_id: &str,
    resolved: &ResolvedChain,
    saved: &SavedStates,
) -> Result<VerifiedStart, StartFailure> {
    let mut refused = None;
    if let Some(state) = saved.state(chain_id).await {
        match LightClient::start_with_known_genesis(spec, &state.database, state.genesis_for(spec)) {
            Err(error @ (StartError::CorruptDatabase(_) | StartError::DatabaseOfAnotherChain { .. })) => {
                let why = format!("starting without the saved state: {error}");
                web_sys::console::warn_1(&format!("Taoscope: {why}").into());
                saved.forget_state(chain_id).await;
                refused = Some(SavedStateNotice::Refused(why));
            }
            started => {
                return Ok(VerifiedStart {
                    client: started?,
                    from: (StartPoint::Saved, None),
                    trusted_once: saved.value(&key::trusted_once(chain_id)).await,
                    refused: None,
                });
            }
        }
    }
    saved.forget(&key::trusted_once(chain_id)).await;
    let skip_served = saved.value(&key::skip_served_checkpoint(chain_id)).await.is_some();
    saved.forget(&key::skip_served_checkpoint(chain_id)).await;
    let chain = &resolved.chain;
    let checkpoint = match &chain.checkpoint {
        None => Ok(None),
        Some(_) if skip_served => Err(format!(
            "the checkpoint this site serves finalized nothing past its block in {} s (too old for the peers?)",
            chains::START_POINT_PROGRESS_SECONDS
        )),
        Some(path) => fetch_served_text(path, "the checkpoint")
            .await
            .map_err(|error| error.to_string()),
    };
    let checkpoint_outcome = match checkpoint {
        Ok(Some(checkpoint)) => match LightClient::start(spec, &checkpoint) {
            Err(error @ (StartError::CorruptDatabase(_) | StartError::DatabaseOfAnotherChain { .. })) => {
                Err(format!("the served checkpoint is refused: {error}"))
            }
            started => {
                return Ok(VerifiedStart {
                    client: started?,
                    from: (StartPoint::Checkpoint, None),
                    trusted_once: None,
                    refused,
                });
            }
        },
        Ok(None) => Ok(false),
        Err(error) => Err(error),
    };
    // The site's own checkpoint is preferred; one read from the bootstrap nodes (with the spec's
    // genesis state root) is used only when the site's is missing or refused.
    if let Some(bootstrapped) = &resolved.bootstrapped {
        return start_bootstrapped(spec, chain_id, bootstrapped, saved, refused).await;
    }
    let why = checkpoint_outcome.as_ref().err().cloned();
    let point = chains::start_point(chain, false, checkpoint_outcome)
        .map_err(|refusal| StartFailure::Refused(refusal.to_string()))?;
    if point == StartPoint::RpcBootstrap {
        let genesis = chain_spec::genesis_hash(spec)
            .map_err(|error| StartFailure::Start(StartError::BadChainSpec(error.to_string())))?;
        let bootstrapped = bootstrap::from_rpc_nodes(&genesis, &chain.rpc_bootstrap)
            .await
            .map_err(|error| StartFailure::Bootstrap(error.to_string()))?;
        return start_bootstrapped(spec, chain_id, &bootstrapped, saved, refused).await;
    }
    if let Some(why) = &why {
        web_sys::console::warn_1(&format!("Taoscope: starting from genesis: {why}").into());
    }
    Ok(VerifiedStart {
        client: LightClient::start(spec, "")?,
        from: (StartPoint::Genesis, why),
        trusted_once: None,
        refused,
    })
}
