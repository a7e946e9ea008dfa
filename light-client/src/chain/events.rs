//! The `chainHead_v1_follow` events as typed values, read with serde: what the follower's state
//! machine consumes. Operation events stay JSON, routed by id to the operation that waits for them.

use serde::Deserialize;
use serde_json::Value;

use crate::model::RuntimeVersion;

/// One follow event.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowEvent {
    /// The subscription starts: the finalized blocks it pinned, oldest first.
    Initialized {
        /// Pinned finalized hashes; the last is the latest finalized block.
        finalized_block_hashes: Vec<String>,
        /// The latest finalized block's runtime.
        finalized_block_runtime: Option<RuntimeVersion>,
    },
    /// A new block (not finalized yet); `new_runtime` when it upgrades the runtime.
    NewBlock {
        /// Its hash.
        block_hash: String,
        /// Its runtime, when it differs from its parent's.
        new_runtime: Option<RuntimeVersion>,
    },
    /// The best block changed.
    BestBlockChanged {
        /// The new best block.
        best_block_hash: String,
    },
    /// Blocks were finalized (oldest first) and others pruned.
    Finalized {
        /// Newly finalized hashes; the last is the latest finalized block.
        finalized_block_hashes: Vec<String>,
        /// Blocks that can no longer be finalized.
        pruned_block_hashes: Vec<String>,
    },
    /// An event of a storage or call operation.
    Operation {
        /// The operation it belongs to.
        operation_id: String,
        /// The event as sent.
        event: Value,
    },
    /// The subscription has ended: follow again.
    Stop,
    /// An event this client does not use (for example `newBlock` without a runtime change is
    /// still typed above; this is for names a newer server may add).
    Ignored,
}

/// A follow event that does not read.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
#[error("unreadable follow event ({reason}): {excerpt}")]
pub struct EventError {
    /// What serde said.
    pub reason: String,
    /// The start of the event's text.
    pub excerpt: String,
}

#[derive(Deserialize)]
#[serde(tag = "event", rename_all = "camelCase")]
enum Wire {
    #[serde(rename_all = "camelCase")]
    Initialized {
        finalized_block_hashes: Vec<String>,
        #[serde(default)]
        finalized_block_runtime: Option<WireRuntime>,
    },
    #[serde(rename_all = "camelCase")]
    NewBlock {
        block_hash: String,
        #[serde(default)]
        new_runtime: Option<WireRuntime>,
    },
    #[serde(rename_all = "camelCase")]
    BestBlockChanged {
        best_block_hash: String,
    },
    #[serde(rename_all = "camelCase")]
    Finalized {
        finalized_block_hashes: Vec<String>,
        #[serde(default)]
        pruned_block_hashes: Vec<String>,
    },
    Stop,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum WireRuntime {
    Valid { spec: WireSpec },
    Invalid {},
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireSpec {
    spec_name: String,
    spec_version: u32,
}

impl WireRuntime {
    fn version(self) -> Option<RuntimeVersion> {
        match self {
            WireRuntime::Valid { spec } => Some(RuntimeVersion {
                spec_name: spec.spec_name,
                spec_version: spec.spec_version,
            }),
            WireRuntime::Invalid {} => None,
        }
    }
}

impl FollowEvent {
    /// Reads one notification's `result`.
    pub fn parse(event: Value) -> Result<FollowEvent, EventError> {
        let name = event["event"].as_str().unwrap_or_default();
        if name.starts_with("operation") {
            let Some(operation_id) = event["operationId"].as_str().map(String::from) else {
                return Err(error_of("an operation event without operationId", &event));
            };
            return Ok(FollowEvent::Operation { operation_id, event });
        }
        let wire = Wire::deserialize(&event).map_err(|error| error_of(&error.to_string(), &event))?;
        Ok(match wire {
            Wire::Initialized {
                finalized_block_hashes,
                finalized_block_runtime,
            } => FollowEvent::Initialized {
                finalized_block_hashes,
                finalized_block_runtime: finalized_block_runtime.and_then(WireRuntime::version),
            },
            Wire::NewBlock {
                block_hash,
                new_runtime,
            } => FollowEvent::NewBlock {
                block_hash,
                new_runtime: new_runtime.and_then(WireRuntime::version),
            },
            Wire::BestBlockChanged { best_block_hash } => FollowEvent::BestBlockChanged { best_block_hash },
            Wire::Finalized {
                finalized_block_hashes,
                pruned_block_hashes,
            } => FollowEvent::Finalized {
                finalized_block_hashes,
                pruned_block_hashes,
            },
            Wire::Stop => FollowEvent::Stop,
            Wire::Other => FollowEvent::Ignored,
        })
    }
}

fn error_of(reason: &str, event: &Value) -> EventError {
    EventError {
        reason: reason.to_string(),
        excerpt: super::excerpt(event),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn runtime(version: u32) -> RuntimeVersion {
        RuntimeVersion {
            spec_name: "node-subtensor".into(),
            spec_version: version,
        }
    }

    #[test]
    fn events_read_as_the_spec_writes_them() {
        let cases = [
            (
                json!({"event":"initialized","finalizedBlockHashes":["0x01","0x02"],
                       "finalizedBlockRuntime":{"type":"valid","spec":{"specName":"node-subtensor","specVersion":7,"implVersion":1,"apis":{}}}}),
                FollowEvent::Initialized {
                    finalized_block_hashes: vec!["0x01".into(), "0x02".into()],
                    finalized_block_runtime: Some(runtime(7)),
                },
            ),
            (
                json!({"event":"newBlock","blockHash":"0x03","parentBlockHash":"0x02","newRuntime":null}),
                FollowEvent::NewBlock {
                    block_hash: "0x03".into(),
                    new_runtime: None,
                },
            ),
            (
                json!({"event":"newBlock","blockHash":"0x03","parentBlockHash":"0x02",
                       "newRuntime":{"type":"invalid","error":"bad wasm"}}),
                FollowEvent::NewBlock {
                    block_hash: "0x03".into(),
                    new_runtime: None,
                },
            ),
            (
                json!({"event":"finalized","finalizedBlockHashes":["0x03"],"prunedBlockHashes":[]}),
                FollowEvent::Finalized {
                    finalized_block_hashes: vec!["0x03".into()],
                    pruned_block_hashes: vec![],
                },
            ),
            (
                json!({"event":"bestBlockChanged","bestBlockHash":"0x04"}),
                FollowEvent::BestBlockChanged {
                    best_block_hash: "0x04".into(),
                },
            ),
            (json!({"event":"stop"}), FollowEvent::Stop),
            (json!({"event":"somethingNew","x":1}), FollowEvent::Ignored),
            (
                json!({"event":"operationCallDone","operationId":"7","output":"0x"}),
                FollowEvent::Operation {
                    operation_id: "7".into(),
                    event: json!({"event":"operationCallDone","operationId":"7","output":"0x"}),
                },
            ),
        ];
        for (event, expected) in cases {
            assert_eq!(FollowEvent::parse(event.clone()), Ok(expected), "{event}");
        }
    }

    #[test]
    fn malformed_events_are_errors_that_quote_them() {
        for event in [
            json!({"event":"finalized","finalizedBlockHashes":"0x03"}),
            json!({"event":"bestBlockChanged"}),
            json!({"event":"operationCallDone"}),
            json!(42),
        ] {
            let error = FollowEvent::parse(event.clone()).expect_err(&event.to_string());
            assert!(error.excerpt.starts_with(&event.to_string()[..2]), "{error}");
        }
    }
}
