//! Following the chain with the `chainHead_v1` API: one follow subscription kept alive (re-followed
//! after `stop`), the finalized block tracked and pinned while queries use it, storage and runtime
//! calls run as operations whose events are routed back to the caller. The rules live in the pure
//! state machine `follower`; this module is its I/O loop.

pub mod events;
mod follower;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codec::{Compact, Decode};
use futures::StreamExt;
use futures::channel::mpsc;
use serde_json::{Value, json};

pub use follower::FollowerProblem;
use follower::{Action, Follower, HeaderFor};

use crate::broadcast::Broadcast;
use crate::keys::StorageQueryKind;
use crate::model::RuntimeVersion;
use crate::platform;
use crate::rpc::{RpcClient, RpcError};
use events::FollowEvent;

/// How long a storage or call operation may go without an event before it is abandoned: long
/// enough for a call proof fetched while many other operations share the peers.
const OPERATION_IDLE_DEADLINE: Duration = Duration::from_secs(120);

/// How many times an operation is refused for the server's limit (`limitReached`, 200 ms
/// apart: two minutes) before the query fails as busy. Generous: a whole-network read at
/// finney's scale queues hundreds of operations behind the server's few slots.
const LIMIT_REACHED_ATTEMPTS: u32 = 600;

/// A finalized block: its number, `0x`-hex hash and the runtime it runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct BlockRef {
    /// Block number.
    pub number: u64,
    /// Block hash, `0x`-prefixed hex.
    pub hash: String,
    /// The runtime of this block (`None` if the follow events did not say).
    pub runtime: Option<RuntimeVersion>,
}

/// Why a chain query failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The server kept refusing new operations (its limit was reached every time).
    #[error("the chain client stayed busy: {attempts} operations refused over {seconds} s")]
    Busy {
        /// Refusals.
        attempts: u32,
        /// Over how long.
        seconds: u64,
    },
    /// An operation sent nothing for too long.
    #[error("{what} sent nothing for {seconds} s")]
    Stalled {
        /// The operation (`chainHead_v1_storage` or `chainHead_v1_call`).
        what: String,
        /// The deadline.
        seconds: u64,
    },
}

/// The follower's state and the senders its actions reach.
#[derive(Default)]
struct Shared {
    follower: Follower,
    /// Senders of the queries waiting for their operation's events.
    operations: HashMap<String, mpsc::UnboundedSender<Value>>,
    finalized: Broadcast<BlockRef>,
    best: Broadcast<u64>,
    problems: Broadcast<FollowerProblem>,
}

/// A handle to the chain follower.
#[derive(Clone)]
pub struct Chain {
    rpc: RpcClient,
    state: Arc<Mutex<Shared>>,
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
    hex::decode(text.strip_prefix("0x").unwrap_or(text)).ok()
}

/// Bytes → `0x`-prefixed hex.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// The `chainHead_v1_storage` item type of a read.
fn storage_query_type(kind: StorageQueryKind) -> &'static str {
    match kind {
        StorageQueryKind::Value => "value",
        StorageQueryKind::DescendantsValues => "descendantsValues",
    }
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

    /// A stream of finalized blocks: the current one (if known) and then each new one.
    pub fn finalized_blocks(&self) -> mpsc::UnboundedReceiver<BlockRef> {
        self.lock().finalized.watch()
    }

    /// A stream of best-block numbers: the current one (if known) and then each change.
    pub fn best_numbers(&self) -> mpsc::UnboundedReceiver<u64> {
        self.lock().best.watch()
    }

    /// Problems the follower met (a finalized block whose header did not read, an unreadable
    /// event, a refused follow): each as it happens.
    pub fn problems(&self) -> mpsc::UnboundedReceiver<FollowerProblem> {
        self.lock().problems.changes()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn run(self) {
        loop {
            let follow = self.rpc.subscribe("chainHead_v1_follow", json!([true])).await;
            let (subscription, mut events) = match follow {
                Ok(follow) => follow,
                Err(RpcError::Closed(_)) => return,
                Err(error) => {
                    let problem = FollowerProblem::FollowRefused(error.to_string());
                    self.perform(vec![Action::Report(problem)]).await;
                    platform::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            self.lock().follower.on_followed(subscription.clone());
            let mut stopped = false;
            while let Some(event) = events.next().await {
                let actions = {
                    let mut state = self.lock();
                    match FollowEvent::parse(event) {
                        Ok(event) => state.follower.on_event(event),
                        Err(error) => state.follower.on_unreadable_event(error.to_string()),
                    }
                };
                if self.perform(actions).await {
                    stopped = true;
                    break;
                }
            }
            if !stopped {
                // The stream closed without `stop`: the same as a stop.
                let actions = self.lock().follower.on_stop();
                self.perform(actions).await;
            }
            self.rpc.forget_subscription(&subscription);
            platform::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Carries out the follower's actions in order, feeding header answers back to it; true when
    /// the subscription has ended.
    async fn perform(&self, actions: Vec<Action>) -> bool {
        let mut queue: VecDeque<Action> = actions.into();
        let mut ended = false;
        while let Some(action) = queue.pop_front() {
            match action {
                Action::FetchHeader { hash, purpose } => {
                    if let HeaderFor::Finalized { attempt, .. } = &purpose
                        && *attempt > 0
                    {
                        platform::sleep(Duration::from_millis(300 * u64::from(*attempt))).await;
                    }
                    let next = match self.header_number(&hash).await {
                        // smoldot answers `null` for a follow subscription it has already ended:
                        // its `stop` event waits in the queue behind this block's, and every
                        // finalized block before it would be asked for, retried and given up in
                        // turn (16 s of a warm start, seen in smoldot's log). End it now instead.
                        Ok(None) => self.lock().follower.on_stop(),
                        Ok(Some(number)) => self.lock().follower.on_header(hash, purpose, Ok(number)),
                        Err(reason) => self.lock().follower.on_header(hash, purpose, Err(reason)),
                    };
                    for action in next.into_iter().rev() {
                        queue.push_front(action);
                    }
                }
                Action::Unpin { subscription, hashes } => {
                    // A failed unpin only costs the server memory until the subscription ends.
                    let _ = self
                        .rpc
                        .request("chainHead_v1_unpin", json!([subscription, hashes]))
                        .await;
                }
                Action::PublishFinalized(block) => {
                    self.lock().finalized.publish(block);
                }
                Action::PublishBest(number) => {
                    self.lock().best.publish(number);
                }
                Action::Route { operation_id, event } => {
                    if let Some(sender) = self.lock().operations.get(&operation_id) {
                        let _ = sender.unbounded_send(event);
                    }
                }
                Action::Refollow { ended_operations } => {
                    let mut state = self.lock();
                    for id in ended_operations {
                        if let Some(sender) = state.operations.remove(&id) {
                            let _ = sender.unbounded_send(json!({ "event": "stop" }));
                        }
                    }
                    ended = true;
                }
                Action::Report(problem) => {
                    self.lock().problems.publish(problem);
                }
            }
        }
        ended
    }

    /// The number of block `hash`, from its header; `None` when the follow subscription has ended.
    async fn header_number(&self, hash: &str) -> Result<Option<u64>, String> {
        let subscription = self.subscription().map_err(|error| error.to_string())?;
        let header = self
            .rpc
            .request("chainHead_v1_header", json!([subscription, hash]))
            .await
            .map_err(|error| error.to_string())?;
        read_header_answer(&header)
    }

    /// Keeps `block` pinned until the returned hold (and every other hold on it) is dropped, even
    /// after it leaves the window of recent finalized blocks: for reads that take longer than that
    /// window, or several queries that must see the same block. A block already unpinned stays so.
    pub fn hold(&self, block: &BlockRef) -> BlockHold {
        self.lock().follower.hold(&block.hash);
        BlockHold {
            chain: self.clone(),
            hash: block.hash.clone(),
        }
    }

    fn release(&self, hash: &str) {
        let actions = self.lock().follower.release(hash);
        if !actions.is_empty() {
            let chain = self.clone();
            platform::spawn(async move {
                chain.perform(actions).await;
            });
        }
    }

    fn subscription(&self) -> Result<String, ChainError> {
        self.lock()
            .follower
            .subscription()
            .map(String::from)
            .ok_or(ChainError::NotFollowing)
    }

    /// Takes the events of operation `id` (those that arrived first, then the rest).
    fn operation_events(&self, id: &str) -> mpsc::UnboundedReceiver<Value> {
        let (sender, receiver) = mpsc::unbounded();
        let mut state = self.lock();
        for event in state.follower.wait_for_operation(id) {
            let _ = sender.unbounded_send(event);
        }
        state.operations.insert(id.to_string(), sender);
        receiver
    }

    /// The next event of an operation; the events that end it badly (`operationError`, the
    /// subscription's `stop`, silence past the deadline) as errors.
    async fn next_operation_event(
        what: &str,
        events: &mut mpsc::UnboundedReceiver<Value>,
    ) -> Result<Value, ChainError> {
        let event = platform::with_deadline(OPERATION_IDLE_DEADLINE, events.next())
            .await
            .map_err(|_| ChainError::Stalled {
                what: what.to_string(),
                seconds: OPERATION_IDLE_DEADLINE.as_secs(),
            })?
            .ok_or(ChainError::NotFollowing)?;
        match event["event"].as_str().unwrap_or_default() {
            "operationError" => Err(ChainError::Operation(
                event["error"].as_str().unwrap_or("unknown").into(),
            )),
            "stop" => Err(ChainError::NotFollowing),
            _ => Ok(event),
        }
    }

    /// Starts a storage or call operation: the subscription, the operation id and the server's
    /// answer. While the server's operation limit is reached it waits and tries again, a bounded
    /// number of times.
    async fn start_operation(
        &self,
        method: &str,
        params: impl Fn(&str) -> Value,
    ) -> Result<(String, String, Value), ChainError> {
        const RETRY: Duration = Duration::from_millis(200);
        for _ in 0..LIMIT_REACHED_ATTEMPTS {
            let subscription = self.subscription()?;
            let started = self.rpc.request(method, params(&subscription)).await?;
            if started["result"] == "limitReached" {
                platform::sleep(RETRY).await;
                continue;
            }
            let id = started["operationId"]
                .as_str()
                .ok_or_else(|| ChainError::Unexpected(format!("{method} answered {}", excerpt(&started))))?
                .to_string();
            return Ok((subscription, id, started));
        }
        Err(ChainError::Busy {
            attempts: LIMIT_REACHED_ATTEMPTS,
            seconds: (RETRY * LIMIT_REACHED_ATTEMPTS).as_secs(),
        })
    }

    fn finish_operation(&self, id: &str) {
        let mut state = self.lock();
        state.follower.finish_operation(id);
        state.operations.remove(id);
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
            .map(|(key, kind)| json!({ "key": to_hex(key), "type": storage_query_type(*kind) }))
            .collect();
        let mut inaccessible = 0;
        while !remaining.is_empty() {
            let (subscription, id, started) = self
                .start_operation("chainHead_v1_storage", |subscription| {
                    json!([subscription, block.hash, remaining, null])
                })
                .await?;
            let discarded = started["discardedItems"].as_u64().unwrap_or(0) as usize;
            let retry_later = remaining.split_off(remaining.len() - discarded);
            let mut events = self.operation_events(&id);
            let outcome = 'events: loop {
                let event = match Self::next_operation_event("chainHead_v1_storage", &mut events).await {
                    Ok(event) => event,
                    Err(error) => break Err(error),
                };
                match event["event"].as_str().unwrap_or_default() {
                    "operationStorageItems" => {
                        for item in event["items"].as_array().into_iter().flatten() {
                            let key = item["key"].as_str().and_then(from_hex);
                            let value = item["value"].as_str().and_then(from_hex);
                            match (key, value) {
                                (Some(key), Some(value)) => results.push((key, value)),
                                // A hash or closest-descendant item carries no value: not asked
                                // for here, so anything else that does not read is an error.
                                _ => {
                                    break 'events Err(ChainError::Unexpected(format!(
                                        "a storage item that is not hex: {}",
                                        excerpt(item)
                                    )));
                                }
                            }
                        }
                    }
                    "operationWaitingForContinue" => {
                        if let Err(error) = self
                            .rpc
                            .request("chainHead_v1_continue", json!([subscription, id]))
                            .await
                        {
                            break Err(error.into());
                        }
                    }
                    "operationStorageDone" => break Ok(true),
                    "operationInaccessible" => break Ok(false),
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
            let (_, id, _) = self
                .start_operation("chainHead_v1_call", |subscription| {
                    json!([subscription, block.hash, function, to_hex(arguments)])
                })
                .await?;
            let mut events = self.operation_events(&id);
            let outcome = loop {
                let event = match Self::next_operation_event("chainHead_v1_call", &mut events).await {
                    Ok(event) => event,
                    Err(error) => break Err(error),
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

/// A `chainHead_v1_header` answer: the block's number, or `None` for `null`, which the spec gives
/// for a follow subscription that is invalid or stale (an unpinned block is an error instead).
fn read_header_answer(header: &Value) -> Result<Option<u64>, String> {
    if header.is_null() {
        return Ok(None);
    }
    header
        .as_str()
        .and_then(from_hex)
        .as_deref()
        .and_then(header_number)
        .map(Some)
        .ok_or_else(|| format!("unreadable header {}", excerpt(header)))
}

/// The start of a JSON value's text, for error messages about what a server sent.
fn excerpt(value: &Value) -> String {
    value.to_string().chars().take(120).collect()
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
        assert_eq!(from_hex("0xé0"), None, "not ASCII: refused, no panic");
        assert_eq!(to_hex(&[1, 171]), "0x01ab");
    }

    #[test]
    fn a_null_header_answer_means_the_subscription_ended() {
        let mut header = vec![0u8; 32];
        header.extend_from_slice(&[0x15, 0x01]);
        assert_eq!(read_header_answer(&json!(to_hex(&header))), Ok(Some(69)));
        assert_eq!(read_header_answer(&Value::Null), Ok(None));
        let refused = read_header_answer(&json!(7)).unwrap_err();
        assert!(refused.contains("unreadable header 7"), "{refused}");
        assert!(read_header_answer(&json!("0x00")).is_err(), "too short for a header");
    }
}
