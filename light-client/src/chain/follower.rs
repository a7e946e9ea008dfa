//! The follower's state as a pure state machine: follow events, header answers and holds go in,
//! the actions the I/O loop must take come out (fetch a header, unpin, publish a block, route an
//! operation event, follow again, report a problem). No I/O and no `.await` here, so every rule
//! (the pin window, holds, unpinning what is pruned, runtime tracking, operation routing) is
//! tested with scripts of events.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::BlockRef;
use super::events::FollowEvent;
use crate::model::RuntimeVersion;

/// How many recent finalized blocks stay pinned: a query can start on a block this many
/// finalizations after it was the latest (32 s on the devnet, over 3 min on finney). A block that
/// is held stays pinned past that until released. smoldot allows a few dozen pinned blocks per
/// subscription.
pub const KEPT_FINALIZED: usize = 16;

/// How many times a finalized block's header is asked for before the problem is reported.
pub const HEADER_ATTEMPTS: u32 = 3;

/// Why a header is wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderFor {
    /// To publish this finalized block, with the runtime it runs.
    Finalized {
        /// The runtime at the time it was finalized.
        runtime: Option<RuntimeVersion>,
        /// Attempts so far (0 for the first).
        attempt: u32,
    },
    /// To publish the best block's number.
    Best,
}

/// Something the follower's I/O loop must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Read `hash`'s header (`chainHead_v1_header`) and give the number to `on_header`.
    FetchHeader {
        /// The block.
        hash: String,
        /// What the number is for.
        purpose: HeaderFor,
    },
    /// Unpin these blocks of `subscription`.
    Unpin {
        /// The follow subscription.
        subscription: String,
        /// The blocks.
        hashes: Vec<String>,
    },
    /// Tell every listener about a new finalized block.
    PublishFinalized(BlockRef),
    /// Tell every listener about a new best block number.
    PublishBest(u64),
    /// Hand an operation's event to the query waiting for it.
    Route {
        /// The operation.
        operation_id: String,
        /// Its event.
        event: Value,
    },
    /// The subscription ended: tell these waiting operations, then follow again.
    Refollow {
        /// Operations that were waiting for events.
        ended_operations: Vec<String>,
    },
    /// A problem users should hear about (the follower carries on).
    Report(FollowerProblem),
}

/// A problem the follower met and reports on the status stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum FollowerProblem {
    /// A finalized block's header could not be read, so that block is not shown.
    #[error("the header of finalized block {hash} could not be read after {attempts} tries: {reason}")]
    HeaderUnavailable {
        /// The block.
        hash: String,
        /// How many tries.
        attempts: u32,
        /// The last error.
        reason: String,
    },
    /// The server sent a follow event that does not read; it was skipped.
    #[error("{0}")]
    UnreadableEvent(String),
    /// The follow subscription could not be started.
    #[error("the chain could not be followed: {0}")]
    FollowRefused(String),
}

/// The follower's state for one follow subscription at a time.
#[derive(Debug, Default)]
pub struct Follower {
    subscription: Option<String>,
    finalized: Option<BlockRef>,
    /// Finalized hashes still pinned, oldest first.
    pinned_finalized: VecDeque<String>,
    /// How many holds each block has: a held block is not unpinned.
    holds: HashMap<String, usize>,
    /// Held blocks that left the kept window: unpinned when their last hold is released.
    unpin_when_released: HashSet<String>,
    /// Runtimes announced by `newBlock`, until their block is finalized or pruned.
    new_runtimes: HashMap<String, RuntimeVersion>,
    /// The runtime of the latest finalized block.
    finalized_runtime: Option<RuntimeVersion>,
    best: Option<u64>,
    /// Events of operations nobody waits for yet.
    buffered: HashMap<String, Vec<Value>>,
    /// Operations whose query waits for their events.
    waiting: HashSet<String>,
}

impl Follower {
    /// The current follow subscription.
    pub fn subscription(&self) -> Option<&str> {
        self.subscription.as_deref()
    }

    /// Finalized blocks pinned now (without the held ones outside the window).
    #[cfg(test)]
    pub fn pinned(&self) -> impl Iterator<Item = &str> {
        self.pinned_finalized.iter().map(String::as_str)
    }

    /// A new follow subscription is running.
    pub fn on_followed(&mut self, subscription: String) {
        self.subscription = Some(subscription);
    }

    /// Handles one follow event.
    pub fn on_event(&mut self, event: FollowEvent) -> Vec<Action> {
        match event {
            FollowEvent::Initialized {
                finalized_block_hashes,
                finalized_block_runtime,
            } => {
                self.finalized_runtime = finalized_block_runtime;
                self.on_finalized(finalized_block_hashes, Vec::new())
            }
            FollowEvent::NewBlock {
                block_hash,
                new_runtime: Some(runtime),
            } => {
                self.new_runtimes.insert(block_hash, runtime);
                Vec::new()
            }
            FollowEvent::NewBlock { new_runtime: None, .. } | FollowEvent::Ignored => Vec::new(),
            FollowEvent::BestBlockChanged { best_block_hash } => vec![Action::FetchHeader {
                hash: best_block_hash,
                purpose: HeaderFor::Best,
            }],
            FollowEvent::Finalized {
                finalized_block_hashes,
                pruned_block_hashes,
            } => self.on_finalized(finalized_block_hashes, pruned_block_hashes),
            FollowEvent::Operation { operation_id, event } => {
                if self.waiting.contains(&operation_id) {
                    vec![Action::Route { operation_id, event }]
                } else {
                    self.buffered.entry(operation_id).or_default().push(event);
                    Vec::new()
                }
            }
            FollowEvent::Stop => self.on_stop(),
        }
    }

    /// An event that did not read: reported, and otherwise skipped.
    pub fn on_unreadable_event(&mut self, problem: String) -> Vec<Action> {
        vec![Action::Report(FollowerProblem::UnreadableEvent(problem))]
    }

    /// The subscription ended (a `stop` event or a closed stream): its pins and operations die
    /// with it; holds stay counted but unpin nothing any more.
    pub fn on_stop(&mut self) -> Vec<Action> {
        self.subscription = None;
        self.pinned_finalized.clear();
        self.unpin_when_released.clear();
        self.buffered.clear();
        let mut ended_operations: Vec<String> = self.waiting.drain().collect();
        ended_operations.sort();
        vec![Action::Refollow { ended_operations }]
    }

    fn on_finalized(&mut self, finalized: Vec<String>, pruned: Vec<String>) -> Vec<Action> {
        let Some(latest) = finalized.last().cloned() else {
            return Vec::new();
        };
        for hash in &finalized {
            if let Some(runtime) = self.new_runtimes.remove(hash) {
                self.finalized_runtime = Some(runtime);
            }
        }
        let mut unpin = pruned;
        unpin.extend(finalized[..finalized.len() - 1].iter().cloned());
        for hash in &unpin {
            self.new_runtimes.remove(hash);
        }
        self.pinned_finalized.push_back(latest.clone());
        while self.pinned_finalized.len() > KEPT_FINALIZED {
            let oldest = self.pinned_finalized.pop_front().expect("longer than the window");
            if self.holds.contains_key(&oldest) {
                self.unpin_when_released.insert(oldest);
            } else {
                unpin.push(oldest);
            }
        }
        let mut actions = vec![Action::FetchHeader {
            hash: latest,
            purpose: HeaderFor::Finalized {
                runtime: self.finalized_runtime.clone(),
                attempt: 0,
            },
        }];
        if let (Some(subscription), false) = (&self.subscription, unpin.is_empty()) {
            actions.push(Action::Unpin {
                subscription: subscription.clone(),
                hashes: unpin,
            });
        }
        actions
    }

    /// The answer to a `FetchHeader`: the block's number, or why it could not be read.
    pub fn on_header(&mut self, hash: String, purpose: HeaderFor, number: Result<u64, String>) -> Vec<Action> {
        match (purpose, number) {
            (HeaderFor::Best, Ok(number)) => {
                self.best = Some(number);
                vec![Action::PublishBest(number)]
            }
            // A newer best block follows soon; a missed one is not worth a notice.
            (HeaderFor::Best, Err(_)) => Vec::new(),
            (HeaderFor::Finalized { runtime, .. }, Ok(number)) => {
                let newer = self.finalized.as_ref().is_none_or(|shown| number > shown.number);
                if !newer {
                    // Finalized never goes backwards, and a re-follow re-announces the same block.
                    return Vec::new();
                }
                let block = BlockRef { number, hash, runtime };
                self.finalized = Some(block.clone());
                vec![Action::PublishFinalized(block)]
            }
            (HeaderFor::Finalized { runtime, attempt }, Err(reason)) => {
                let still_latest = self.pinned_finalized.back() == Some(&hash);
                if !still_latest {
                    // A newer finalized block replaced it: that one is published instead.
                    return Vec::new();
                }
                let attempts = attempt + 1;
                if attempts < HEADER_ATTEMPTS {
                    vec![Action::FetchHeader {
                        hash,
                        purpose: HeaderFor::Finalized {
                            runtime,
                            attempt: attempts,
                        },
                    }]
                } else {
                    vec![Action::Report(FollowerProblem::HeaderUnavailable {
                        hash,
                        attempts,
                        reason,
                    })]
                }
            }
        }
    }

    /// Keeps `hash` pinned until released, even after it leaves the window.
    pub fn hold(&mut self, hash: &str) {
        *self.holds.entry(hash.to_string()).or_default() += 1;
    }

    /// Releases one hold on `hash`; the last one unpins it if it left the window meanwhile.
    pub fn release(&mut self, hash: &str) -> Vec<Action> {
        let Some(count) = self.holds.get_mut(hash) else {
            return Vec::new();
        };
        *count -= 1;
        if *count > 0 {
            return Vec::new();
        }
        self.holds.remove(hash);
        match (self.unpin_when_released.remove(hash), &self.subscription) {
            (true, Some(subscription)) => vec![Action::Unpin {
                subscription: subscription.clone(),
                hashes: vec![hash.to_string()],
            }],
            _ => Vec::new(),
        }
    }

    /// A query starts waiting for operation `id`'s events: those that arrived first.
    pub fn wait_for_operation(&mut self, id: &str) -> Vec<Value> {
        self.waiting.insert(id.to_string());
        self.buffered.remove(id).unwrap_or_default()
    }

    /// The query of operation `id` is done with it.
    pub fn finish_operation(&mut self, id: &str) {
        self.waiting.remove(id);
        self.buffered.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// One step of a script: something that happens to the follower.
    enum Step<'a> {
        Followed(&'a str),
        Event(Value),
        Header(&'a str, HeaderFor, Result<u64, &'a str>),
        Hold(&'a str),
        Release(&'a str),
        Wait(&'a str),
    }
    use Step::*;

    fn runtime(version: u32) -> RuntimeVersion {
        RuntimeVersion {
            spec_name: "node-subtensor".into(),
            spec_version: version,
        }
    }

    fn finalized_header(version: Option<u32>) -> HeaderFor {
        HeaderFor::Finalized {
            runtime: version.map(runtime),
            attempt: 0,
        }
    }

    fn fetch(hash: &str, version: Option<u32>) -> Action {
        Action::FetchHeader {
            hash: hash.into(),
            purpose: finalized_header(version),
        }
    }

    fn publish(number: u64, hash: &str, version: Option<u32>) -> Action {
        Action::PublishFinalized(BlockRef {
            number,
            hash: hash.into(),
            runtime: version.map(runtime),
        })
    }

    fn unpin(hashes: &[&str]) -> Action {
        Action::Unpin {
            subscription: "s".into(),
            hashes: hashes.iter().map(|h| h.to_string()).collect(),
        }
    }

    fn finalized_event(hashes: &[&str], pruned: &[&str]) -> Value {
        json!({"event": "finalized", "finalizedBlockHashes": hashes, "prunedBlockHashes": pruned})
    }

    fn initialized(hashes: &[&str], version: u32) -> Value {
        json!({"event": "initialized", "finalizedBlockHashes": hashes,
               "finalizedBlockRuntime": {"type": "valid", "spec": {"specName": "node-subtensor", "specVersion": version}}})
    }

    /// Runs `steps` on a fresh follower and compares the actions of each step with `expected`
    /// (one list per step), naming the first step that differs; returns the follower.
    fn check(steps: Vec<Step<'_>>, expected: Vec<Vec<Action>>) -> Follower {
        assert_eq!(steps.len(), expected.len(), "one expected list per step");
        let mut follower = Follower::default();
        for (index, (step, expected)) in steps.into_iter().zip(expected).enumerate() {
            let actions = match step {
                Followed(subscription) => {
                    follower.on_followed(subscription.into());
                    Vec::new()
                }
                Event(event) => match FollowEvent::parse(event) {
                    Ok(event) => follower.on_event(event),
                    Err(error) => follower.on_unreadable_event(error.to_string()),
                },
                Header(hash, purpose, number) => follower.on_header(hash.into(), purpose, number.map_err(String::from)),
                Hold(hash) => {
                    follower.hold(hash);
                    Vec::new()
                }
                Release(hash) => follower.release(hash),
                Wait(id) => follower
                    .wait_for_operation(id)
                    .into_iter()
                    .map(|event| Action::Route {
                        operation_id: id.into(),
                        event,
                    })
                    .collect(),
            };
            assert_eq!(actions, expected, "step {index}");
        }
        follower
    }

    #[test]
    fn initialized_publishes_the_latest_and_unpins_the_older() {
        let follower = check(
            vec![
                Followed("s"),
                Event(initialized(&["0xa", "0xb"], 7)),
                Header("0xb", finalized_header(Some(7)), Ok(10)),
            ],
            vec![
                vec![],
                vec![fetch("0xb", Some(7)), unpin(&["0xa"])],
                vec![publish(10, "0xb", Some(7))],
            ],
        );
        assert_eq!(follower.pinned().collect::<Vec<_>>(), ["0xb"]);
    }

    #[test]
    fn pruned_blocks_and_skipped_finalized_ones_are_unpinned() {
        check(
            vec![
                Followed("s"),
                Event(finalized_event(&["0x1", "0x2", "0x3"], &["0xdead"])),
            ],
            vec![vec![], vec![fetch("0x3", None), unpin(&["0xdead", "0x1", "0x2"])]],
        );
    }

    #[test]
    fn the_window_keeps_the_last_blocks_and_held_ones_until_released() {
        let hashes: Vec<String> = (0..=KEPT_FINALIZED + 1).map(|n| format!("0x{n:x}")).collect();
        let names: Vec<&str> = hashes.iter().map(String::as_str).collect();
        let mut steps = vec![Followed("s"), Hold(names[0])];
        let mut expected = vec![vec![], vec![]];
        for (n, hash) in names.iter().enumerate() {
            steps.push(Event(finalized_event(&[hash], &[])));
            let mut actions = vec![fetch(hash, None)];
            // Block 0 is held when it leaves the window; block 1 is not, and is unpinned at once.
            if n == KEPT_FINALIZED + 1 {
                actions.push(unpin(&[names[1]]));
            }
            expected.push(actions);
        }
        steps.push(Release(names[0]));
        expected.push(vec![unpin(&[names[0]])]);
        // A second release of a block no longer held does nothing.
        steps.push(Release(names[0]));
        expected.push(vec![]);
        let follower = check(steps, expected);
        assert_eq!(follower.pinned().count(), KEPT_FINALIZED);
    }

    #[test]
    fn a_block_held_twice_is_unpinned_by_the_last_release_only() {
        let hashes: Vec<String> = (0..KEPT_FINALIZED).map(|n| format!("0x{n:x}")).collect();
        let mut steps = vec![
            Followed("s"),
            Event(finalized_event(&["0xaa"], &[])),
            Hold("0xaa"),
            Hold("0xaa"),
        ];
        let mut expected = vec![vec![], vec![fetch("0xaa", None)], vec![], vec![]];
        for hash in &hashes {
            steps.push(Event(finalized_event(&[hash], &[])));
            expected.push(vec![fetch(hash, None)]);
        }
        steps.extend([Release("0xaa"), Release("0xaa")]);
        expected.extend([vec![], vec![unpin(&["0xaa"])]]);
        check(steps, expected);
    }

    #[test]
    fn a_new_runtime_applies_when_its_block_is_finalized_and_is_forgotten_when_pruned() {
        let upgrade = |hash: &str, version: u32| {
            json!({"event": "newBlock", "blockHash": hash, "parentBlockHash": "0x0",
                   "newRuntime": {"type": "valid", "spec": {"specName": "node-subtensor", "specVersion": version}}})
        };
        check(
            vec![
                Followed("s"),
                Event(initialized(&["0x1"], 1)),
                Event(upgrade("0xfork", 9)),
                Event(upgrade("0x2", 2)),
                Event(finalized_event(&["0x2"], &["0xfork"])),
                Header("0x2", finalized_header(Some(2)), Ok(2)),
                Event(finalized_event(&["0x3"], &[])),
            ],
            vec![
                vec![],
                vec![fetch("0x1", Some(1))],
                vec![],
                vec![],
                vec![fetch("0x2", Some(2)), unpin(&["0xfork"])],
                vec![publish(2, "0x2", Some(2))],
                vec![fetch("0x3", Some(2))],
            ],
        );
    }

    #[test]
    fn finalized_never_goes_backwards_and_a_refollow_does_not_republish() {
        check(
            vec![
                Followed("s"),
                Event(finalized_event(&["0x5"], &[])),
                Header("0x5", finalized_header(None), Ok(5)),
                Header("0x4", finalized_header(None), Ok(4)),
                Event(json!({"event": "stop"})),
                Followed("s"),
                Event(initialized(&["0x5"], 1)),
                Header("0x5", finalized_header(Some(1)), Ok(5)),
            ],
            vec![
                vec![],
                vec![fetch("0x5", None)],
                vec![publish(5, "0x5", None)],
                vec![],
                vec![Action::Refollow {
                    ended_operations: vec![],
                }],
                vec![],
                vec![fetch("0x5", Some(1))],
                vec![],
            ],
        );
    }

    #[test]
    fn a_header_that_fails_is_retried_then_reported_unless_a_newer_block_replaced_it() {
        let attempt = |n| HeaderFor::Finalized {
            runtime: None,
            attempt: n,
        };
        check(
            vec![
                Followed("s"),
                Event(finalized_event(&["0x7"], &[])),
                Header("0x7", attempt(0), Err("timeout")),
                Header("0x7", attempt(1), Err("timeout")),
                Header("0x7", attempt(2), Err("timeout")),
                Event(finalized_event(&["0x8"], &[])),
                Header("0x7", attempt(0), Err("late")),
            ],
            vec![
                vec![],
                vec![fetch("0x7", None)],
                vec![Action::FetchHeader {
                    hash: "0x7".into(),
                    purpose: attempt(1),
                }],
                vec![Action::FetchHeader {
                    hash: "0x7".into(),
                    purpose: attempt(2),
                }],
                vec![Action::Report(FollowerProblem::HeaderUnavailable {
                    hash: "0x7".into(),
                    attempts: HEADER_ATTEMPTS,
                    reason: "timeout".into(),
                })],
                vec![fetch("0x8", None)],
                vec![],
            ],
        );
    }

    #[test]
    fn operation_events_are_buffered_until_waited_for_then_routed_and_ended_by_stop() {
        let done = |id: &str| json!({"event": "operationCallDone", "operationId": id, "output": "0x"});
        let route = |id: &str| Action::Route {
            operation_id: id.into(),
            event: done(id),
        };
        check(
            vec![
                Followed("s"),
                Event(done("early")),
                Wait("early"),
                Wait("late"),
                Event(done("late")),
                Wait("never"),
                Event(json!({"event": "stop"})),
            ],
            vec![
                vec![],
                vec![],
                vec![route("early")],
                vec![],
                vec![route("late")],
                vec![],
                vec![Action::Refollow {
                    ended_operations: vec!["early".into(), "late".into(), "never".into()],
                }],
            ],
        );
    }

    #[test]
    fn best_blocks_publish_their_number_and_unreadable_events_are_reported() {
        check(
            vec![
                Followed("s"),
                Event(json!({"event": "bestBlockChanged", "bestBlockHash": "0x9"})),
                Header("0x9", HeaderFor::Best, Ok(9)),
                Header("0xa", HeaderFor::Best, Err("gone")),
                Event(json!({"event": "finalized", "finalizedBlockHashes": 3})),
            ],
            vec![
                vec![],
                vec![Action::FetchHeader {
                    hash: "0x9".into(),
                    purpose: HeaderFor::Best,
                }],
                vec![Action::PublishBest(9)],
                vec![],
                vec![Action::Report(FollowerProblem::UnreadableEvent(
                    FollowEvent::parse(json!({"event": "finalized", "finalizedBlockHashes": 3}))
                        .unwrap_err()
                        .to_string(),
                ))],
            ],
        );
    }
}
