//! Following the chain with the `chainHead_v1` API: one follow subscription kept alive (re-followed
//! after `stop`), the finalized block tracked and pinned while queries use it, storage and runtime
//! calls run as operations whose events are routed back to the caller.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codec::{Compact, Decode};
use futures::StreamExt;
use futures::channel::mpsc;
use serde_json::{Value, json};

use crate::model::RuntimeVersion;
use crate::platform;
use crate::rpc::{RpcClient, RpcError};

/// How many recent finalized blocks stay pinned: a query can start on a block this many
/// finalizations after it was the latest (32 s on the devnet, over 3 min on finney). A block that
/// is held (`Chain::hold`) stays pinned past that until released. smoldot allows a few dozen
/// pinned blocks per subscription.
const KEPT_FINALIZED: usize = 16;

/// A finalized block: its number, `0x`-hex hash and the runtime it runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlockRef {
    /// Block number.
    pub number: u64,
    /// Block hash, `0x`-prefixed hex.
    pub hash: String,
    /// The runtime of this block (`None` if the follow events did not say).
    pub runtime: Option<RuntimeVersion>,
}

/// Reads `{ specName, specVersion }` from a follow event's runtime object.
fn runtime_of(runtime: &Value) -> Option<RuntimeVersion> {
    if runtime["type"] != "valid" {
        return None;
    }
    let spec = &runtime["spec"];
    Some(RuntimeVersion {
        spec_name: spec["specName"].as_str()?.to_string(),
        spec_version: u32::try_from(spec["specVersion"].as_u64()?).ok()?,
    })
}

/// Why a chain query failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ChainError {
    /// The JSON-RPC layer failed.
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// The follow subscription is not running (yet, or any more).
    #[error("not following the chain yet")]
    NotFollowing,
    /// The server reported an error for an operation.
    #[error("{0}")]
    Operation(String),
    /// The data could not be fetched from peers after several tries.
    #[error("no peer could serve the data (tried {0} times)")]
    Inaccessible(u32),
    /// The server's answer could not be understood.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

/// What kind of storage read to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageQueryKind {
    /// The value at exactly this key.
    Value,
    /// Every key and value below this prefix.
    DescendantsValues,
}

impl StorageQueryKind {
    fn name(self) -> &'static str {
        match self {
            StorageQueryKind::Value => "value",
            StorageQueryKind::DescendantsValues => "descendantsValues",
        }
    }
}

/// Operation events waiting for (or routed to) their caller.
enum OperationSlot {
    Buffered(Vec<Value>),
    Waiting(mpsc::UnboundedSender<Value>),
}

#[derive(Default)]
struct FollowState {
    subscription: Option<String>,
    finalized: Option<BlockRef>,
    /// Finalized hashes still pinned, oldest first; the last `KEPT_FINALIZED` stay pinned so that
    /// queries that started on a recent block can finish on it.
    pinned_finalized: Vec<String>,
    operations: HashMap<String, OperationSlot>,
    /// How many holds each block has (`Chain::hold`): a held block is not unpinned.
    holds: HashMap<String, usize>,
    /// Held blocks that left the kept window: unpinned when their last hold is released.
    unpin_when_released: HashSet<String>,
    listeners: Vec<mpsc::UnboundedSender<BlockRef>>,
    /// Runtimes announced by `newBlock` events, until their block is finalized or pruned.
    new_runtimes: HashMap<String, RuntimeVersion>,
    /// The runtime of the latest finalized block.
    finalized_runtime: Option<RuntimeVersion>,
    /// Number of the best (not yet finalized) block.
    best: Option<u64>,
    best_listeners: Vec<mpsc::UnboundedSender<u64>>,
}

/// A handle to the chain follower.
#[derive(Clone)]
pub struct Chain {
    rpc: RpcClient,
    state: Arc<Mutex<FollowState>>,
}

/// A hold on a pinned block (see `Chain::hold`); dropping it releases the block.
pub struct BlockHold {
    chain: Chain,
    hash: String,
}

impl Drop for BlockHold {
    fn drop(&mut self) {
        self.chain.release(&self.hash);
    }
}

/// Decodes the block number from a SCALE-encoded header (parent hash, then compact number).
pub fn header_number(header: &[u8]) -> Option<u64> {
    let mut rest = header.get(32..)?;
    Compact::<u32>::decode(&mut rest).ok().map(|n| u64::from(n.0))
}

/// `0x`-prefixed hex → bytes.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_prefix("0x").unwrap_or(text);
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Bytes → `0x`-prefixed hex.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(2 + 2 * bytes.len());
    text.push_str("0x");
    for byte in bytes {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

impl Chain {
    /// Starts following the chain behind `rpc`.
    pub fn follow(rpc: RpcClient) -> Self {
        let chain = Chain {
            rpc,
            state: Arc::default(),
        };
        let follower = chain.clone();
        platform::spawn(async move { follower.run().await });
        chain
    }

    /// The JSON-RPC client the follower uses (for requests outside the follow subscription).
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    /// The latest finalized block seen, if any.
    pub fn finalized(&self) -> Option<BlockRef> {
        self.lock().finalized.clone()
    }

    /// A stream of finalized blocks: the current one (if known) and then each new one.
    pub fn finalized_blocks(&self) -> mpsc::UnboundedReceiver<BlockRef> {
        let (sender, receiver) = mpsc::unbounded();
        let mut state = self.lock();
        if let Some(block) = &state.finalized {
            let _ = sender.unbounded_send(block.clone());
        }
        state.listeners.push(sender);
        receiver
    }

    /// A stream of best-block numbers: the current one (if known) and then each change.
    pub fn best_numbers(&self) -> mpsc::UnboundedReceiver<u64> {
        let (sender, receiver) = mpsc::unbounded();
        let mut state = self.lock();
        if let Some(best) = state.best {
            let _ = sender.unbounded_send(best);
        }
        state.best_listeners.push(sender);
        receiver
    }

    /// The number of block `hash`, from its header.
    async fn number_of(&self, subscription: &str, hash: &str) -> Option<u64> {
        match self
            .rpc
            .request("chainHead_v1_header", json!([subscription, hash]))
            .await
        {
            Ok(Value::String(header)) => from_hex(&header).as_deref().and_then(header_number),
            _ => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FollowState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn run(self) {
        loop {
            let follow = self.rpc.subscribe("chainHead_v1_follow", json!([true])).await;
            let (subscription, mut events) = match follow {
                Ok(follow) => follow,
                Err(RpcError::Closed(_)) => return,
                Err(_) => {
                    platform::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            self.lock().subscription = Some(subscription.clone());
            while let Some(event) = events.next().await {
                if !self.handle_event(&subscription, event).await {
                    break;
                }
            }
            // `stop` or a closed stream: forget this subscription (its pins and operations die with
            // it) and follow again.
            {
                let mut state = self.lock();
                state.subscription = None;
                state.pinned_finalized.clear();
                state.unpin_when_released.clear();
                for (_, slot) in state.operations.drain() {
                    if let OperationSlot::Waiting(sender) = slot {
                        let _ = sender.unbounded_send(json!({ "event": "stop" }));
                    }
                }
            }
            self.rpc.forget_subscription(&subscription);
            platform::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Handles one follow event; false when the subscription has ended.
    async fn handle_event(&self, subscription: &str, event: Value) -> bool {
        match event["event"].as_str().unwrap_or_default() {
            "initialized" => {
                self.lock().finalized_runtime = runtime_of(&event["finalizedBlockRuntime"]);
                let hashes: Vec<String> = event["finalizedBlockHashes"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|h| h.as_str().map(String::from)).collect())
                    .unwrap_or_default();
                self.on_finalized(subscription, hashes, Vec::new()).await;
            }
            "newBlock" => {
                // Only finalized blocks are shown; a new block matters here only if it brings a
                // new runtime, which applies once the block is finalized.
                if let (Some(hash), Some(runtime)) = (event["blockHash"].as_str(), runtime_of(&event["newRuntime"])) {
                    self.lock().new_runtimes.insert(hash.to_string(), runtime);
                }
            }
            "finalized" => {
                let strings = |field: &str| -> Vec<String> {
                    event[field]
                        .as_array()
                        .map(|a| a.iter().filter_map(|h| h.as_str().map(String::from)).collect())
                        .unwrap_or_default()
                };
                self.on_finalized(
                    subscription,
                    strings("finalizedBlockHashes"),
                    strings("prunedBlockHashes"),
                )
                .await;
            }
            "bestBlockChanged" => {
                if let Some(hash) = event["bestBlockHash"].as_str()
                    && let Some(number) = self.number_of(subscription, hash).await
                {
                    let mut state = self.lock();
                    state.best = Some(number);
                    state.best_listeners.retain(|l| l.unbounded_send(number).is_ok());
                }
            }
            "stop" => return false,
            name if name.starts_with("operation") => {
                let Some(id) = event["operationId"].as_str().map(String::from) else {
                    return true;
                };
                let mut state = self.lock();
                match state.operations.get_mut(&id) {
                    Some(OperationSlot::Waiting(sender)) => {
                        let _ = sender.unbounded_send(event);
                    }
                    Some(OperationSlot::Buffered(buffer)) => buffer.push(event),
                    None => {
                        state.operations.insert(id, OperationSlot::Buffered(vec![event]));
                    }
                }
            }
            _ => {}
        }
        true
    }

    async fn on_finalized(&self, subscription: &str, finalized: Vec<String>, pruned: Vec<String>) {
        let Some(latest) = finalized.last().cloned() else {
            return;
        };
        let number = self.number_of(subscription, &latest).await;
        let mut unpin: Vec<String> = pruned;
        unpin.extend(finalized.iter().take(finalized.len() - 1).cloned());
        {
            let mut state = self.lock();
            for hash in finalized.iter() {
                if let Some(runtime) = state.new_runtimes.remove(hash) {
                    state.finalized_runtime = Some(runtime);
                }
            }
            for hash in &unpin {
                state.new_runtimes.remove(hash);
            }
            state.pinned_finalized.push(latest.clone());
            while state.pinned_finalized.len() > KEPT_FINALIZED {
                let oldest = state.pinned_finalized.remove(0);
                if state.holds.contains_key(&oldest) {
                    state.unpin_when_released.insert(oldest);
                } else {
                    unpin.push(oldest);
                }
            }
            if let Some(number) = number {
                let block = BlockRef {
                    number,
                    hash: latest,
                    runtime: state.finalized_runtime.clone(),
                };
                state.finalized = Some(block.clone());
                state
                    .listeners
                    .retain(|listener| listener.unbounded_send(block.clone()).is_ok());
            }
        }
        if !unpin.is_empty() {
            // A failed unpin only costs the server memory until the subscription ends.
            let _ = self
                .rpc
                .request("chainHead_v1_unpin", json!([subscription, unpin]))
                .await;
        }
    }

    /// Keeps `block` pinned until the returned hold (and every other hold on it) is dropped, even
    /// after it leaves the window of recent finalized blocks: for reads that take longer than that
    /// window, or several queries that must see the same block. A block already unpinned stays so.
    pub fn hold(&self, block: &BlockRef) -> BlockHold {
        *self.lock().holds.entry(block.hash.clone()).or_default() += 1;
        BlockHold {
            chain: self.clone(),
            hash: block.hash.clone(),
        }
    }

    fn release(&self, hash: &str) {
        let unpin = {
            let mut state = self.lock();
            let Some(count) = state.holds.get_mut(hash) else {
                return;
            };
            *count -= 1;
            if *count > 0 {
                return;
            }
            state.holds.remove(hash);
            let deferred = state.unpin_when_released.remove(hash);
            if deferred { state.subscription.clone() } else { None }
        };
        if let Some(subscription) = unpin {
            let rpc = self.rpc.clone();
            let hash = hash.to_string();
            platform::spawn(async move {
                // A failed unpin only costs the server memory until the subscription ends.
                let _ = rpc.request("chainHead_v1_unpin", json!([subscription, [hash]])).await;
            });
        }
    }

    fn subscription(&self) -> Result<String, ChainError> {
        self.lock().subscription.clone().ok_or(ChainError::NotFollowing)
    }

    /// Takes the events of operation `id` (buffered ones first).
    fn operation_events(&self, id: &str) -> mpsc::UnboundedReceiver<Value> {
        let (sender, receiver) = mpsc::unbounded();
        let mut state = self.lock();
        if let Some(OperationSlot::Buffered(buffer)) = state.operations.remove(id) {
            for event in buffer {
                let _ = sender.unbounded_send(event);
            }
        }
        state.operations.insert(id.to_string(), OperationSlot::Waiting(sender));
        receiver
    }

    /// Starts a storage or call operation: the subscription, the operation id and the server's
    /// answer; `None` after a short wait when the server's operation limit is reached (retry).
    async fn start_operation(
        &self,
        method: &str,
        params: impl FnOnce(&str) -> Value,
    ) -> Result<Option<(String, String, Value)>, ChainError> {
        let subscription = self.subscription()?;
        let started = self.rpc.request(method, params(&subscription)).await?;
        if started["result"] == "limitReached" {
            platform::sleep(Duration::from_millis(200)).await;
            return Ok(None);
        }
        let id = started["operationId"]
            .as_str()
            .ok_or_else(|| ChainError::Unexpected(format!("{method} answered {started}")))?
            .to_string();
        Ok(Some((subscription, id, started)))
    }

    fn finish_operation(&self, id: &str) {
        self.lock().operations.remove(id);
    }

    /// Reads storage at `block`: each `(key, kind)` query's results as `(key, value)` pairs of
    /// bytes. Values are verified against the block's state root by the light client.
    pub async fn storage(
        &self,
        block: &BlockRef,
        queries: &[(Vec<u8>, StorageQueryKind)],
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>, ChainError> {
        const ATTEMPTS: u32 = 5;
        let mut results = Vec::new();
        let mut remaining: Vec<Value> = queries
            .iter()
            .map(|(key, kind)| json!({ "key": to_hex(key), "type": kind.name() }))
            .collect();
        let mut inaccessible = 0;
        while !remaining.is_empty() {
            let Some((subscription, id, started)) = self
                .start_operation("chainHead_v1_storage", |subscription| {
                    json!([subscription, block.hash, remaining, null])
                })
                .await?
            else {
                continue;
            };
            let discarded = started["discardedItems"].as_u64().unwrap_or(0) as usize;
            let retry_later = remaining.split_off(remaining.len() - discarded);
            let mut events = self.operation_events(&id);
            let outcome = loop {
                let Some(event) = events.next().await else {
                    break Err(ChainError::NotFollowing);
                };
                match event["event"].as_str().unwrap_or_default() {
                    "operationStorageItems" => {
                        for item in event["items"].as_array().into_iter().flatten() {
                            let key = item["key"].as_str().and_then(from_hex);
                            let value = item["value"].as_str().and_then(from_hex);
                            if let (Some(key), Some(value)) = (key, value) {
                                results.push((key, value));
                            }
                        }
                    }
                    "operationWaitingForContinue" => {
                        self.rpc
                            .request("chainHead_v1_continue", json!([subscription, id]))
                            .await?;
                    }
                    "operationStorageDone" => break Ok(true),
                    "operationInaccessible" => break Ok(false),
                    "operationError" => {
                        break Err(ChainError::Operation(
                            event["error"].as_str().unwrap_or("unknown").into(),
                        ));
                    }
                    "stop" => break Err(ChainError::NotFollowing),
                    _ => {}
                }
            };
            self.finish_operation(&id);
            if outcome? {
                remaining = retry_later;
            } else {
                inaccessible += 1;
                if inaccessible >= ATTEMPTS {
                    return Err(ChainError::Inaccessible(inaccessible));
                }
                // Retry the whole batch: results of an inaccessible operation are not trusted.
                results.clear();
                remaining.extend(retry_later);
                platform::sleep(Duration::from_millis(300)).await;
            }
        }
        Ok(results)
    }

    /// Calls a runtime API function (`Trait_method`) at `block` with SCALE-encoded arguments; the
    /// light client executes it over a call proof.
    pub async fn call(&self, block: &BlockRef, function: &str, arguments: &[u8]) -> Result<Vec<u8>, ChainError> {
        const ATTEMPTS: u32 = 5;
        for _ in 0..ATTEMPTS {
            let Some((_, id, _)) = self
                .start_operation("chainHead_v1_call", |subscription| {
                    json!([subscription, block.hash, function, to_hex(arguments)])
                })
                .await?
            else {
                continue;
            };
            let mut events = self.operation_events(&id);
            let outcome = loop {
                let Some(event) = events.next().await else {
                    break Err(ChainError::NotFollowing);
                };
                match event["event"].as_str().unwrap_or_default() {
                    "operationCallDone" => {
                        break event["output"]
                            .as_str()
                            .and_then(from_hex)
                            .map(Some)
                            .ok_or_else(|| ChainError::Unexpected("call output is not hex".into()));
                    }
                    "operationInaccessible" => break Ok(None),
                    "operationError" => {
                        break Err(ChainError::Operation(
                            event["error"].as_str().unwrap_or("unknown").into(),
                        ));
                    }
                    "stop" => break Err(ChainError::NotFollowing),
                    _ => {}
                }
            };
            self.finish_operation(&id);
            if let Some(output) = outcome? {
                return Ok(output);
            }
            platform::sleep(Duration::from_millis(300)).await;
        }
        Err(ChainError::Inaccessible(ATTEMPTS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_numbers_and_hex() {
        let mut header = vec![0u8; 32];
        header.extend_from_slice(&[0x15, 0x01]); // Compact(69)
        assert_eq!(header_number(&header), Some(69));
        assert_eq!(header_number(&[0u8; 10]), None);
        assert_eq!(from_hex("0x0aff"), Some(vec![10, 255]));
        assert_eq!(from_hex("0xabc"), None);
        assert_eq!(to_hex(&[1, 171]), "0x01ab");
    }
}
