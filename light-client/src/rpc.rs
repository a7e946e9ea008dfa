//! One JSON-RPC client for every transport: requests are matched to responses by id and
//! subscription notifications routed to their subscriber, all in one background task. Callers see
//! `serde_json::Value` results here; the typed layer above (`chain`) turns them into model values.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use futures::channel::{mpsc, oneshot};
use serde_json::{Value, json};

use crate::platform;

/// A JSON-RPC failure.
#[derive(Debug, Clone, thiserror::Error, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum RpcError {
    /// The server answered with a JSON-RPC error object.
    #[error("{method}: server error {code}: {message}")]
    Server {
        /// The method called.
        method: String,
        /// JSON-RPC error code.
        code: i64,
        /// Error message.
        message: String,
    },
    /// The transport is gone (client stopped, connection closed).
    #[error("{0}: the connection to the chain is closed")]
    Closed(String),
    /// The transport refused the request (for example, too many pending requests).
    #[error("{0}: request refused by the light client (queue full)")]
    Refused(String),
    /// No answer came in time (a node that stalls without closing the connection).
    #[error("{method}: no answer within {seconds} s")]
    Timeout {
        /// The method called.
        method: String,
        /// The deadline.
        seconds: u64,
    },
    /// The server sent a message that is not a JSON-RPC message (or is too large to be one
    /// this client accepts): nothing can be matched to it, so every request waiting when it
    /// came fails with this rather than waiting forever.
    #[error("{method}: the server broke the protocol: {detail}")]
    Protocol {
        /// The method called.
        method: String,
        /// What was wrong with the message.
        detail: String,
    },
    /// The response did not have the expected shape.
    #[error("{method}: unexpected response: {detail}")]
    Unexpected {
        /// The method called.
        method: String,
        /// What was wrong.
        detail: String,
    },
}

/// The two halves of a transport as the client sees them: requests out, messages in.
pub struct Transport {
    /// Serialised requests to send.
    pub outgoing: mpsc::UnboundedSender<String>,
    /// Every message the server sends (responses and notifications).
    pub incoming: mpsc::UnboundedReceiver<String>,
}

enum Command {
    Request {
        id: u64,
        text: String,
        method: String,
        reply: oneshot::Sender<Result<Value, RpcError>>,
    },
    Subscribe {
        id: u64,
        text: String,
        method: String,
        reply: oneshot::Sender<Result<String, RpcError>>,
        notifications: mpsc::UnboundedSender<Value>,
    },
    Unsubscribe {
        subscription: String,
    },
    /// The caller stopped waiting (its deadline passed): forget the request.
    Cancel {
        id: u64,
    },
}

/// How long a request waits for its answer. Requests here are answered at once by a working
/// server (long reads run as chainHead operations, whose events have their own deadline).
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

/// The largest message accepted from a server; finney's largest answers (a subnet's metagraph,
/// a storage batch) are a few megabytes.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

/// What is wrong with a message that is not a JSON-RPC object, if anything.
fn protocol_fault(message: &str) -> Result<Value, String> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(format!(
            "a message of {} bytes, over the {} MB limit",
            message.len(),
            MAX_MESSAGE_BYTES / (1024 * 1024)
        ));
    }
    match serde_json::from_str::<Value>(message) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err("a message that is not a JSON object".to_string()),
        Err(error) => Err(format!(
            "a message that is not JSON ({error}): {:?}",
            message.chars().take(60).collect::<String>()
        )),
    }
}

/// A cloneable handle to the JSON-RPC client.
#[derive(Clone)]
pub struct RpcClient {
    commands: mpsc::UnboundedSender<Command>,
    next_id: Arc<AtomicU64>,
    deadline: Duration,
}

enum Pending {
    Request(String, oneshot::Sender<Result<Value, RpcError>>),
    Subscribe(
        String,
        oneshot::Sender<Result<String, RpcError>>,
        mpsc::UnboundedSender<Value>,
    ),
}

impl Pending {
    /// Answers the waiting caller with the error `error` makes of its method.
    fn fail(self, error: impl FnOnce(String) -> RpcError) {
        match self {
            Pending::Request(method, reply) => drop(reply.send(Err(error(method)))),
            Pending::Subscribe(method, reply, _) => drop(reply.send(Err(error(method)))),
        }
    }
}

fn server_error(method: &str, error: &Value) -> RpcError {
    RpcError::Server {
        method: method.to_string(),
        code: error["code"].as_i64().unwrap_or_default(),
        message: error["message"].as_str().unwrap_or("no message").to_string(),
    }
}

impl RpcClient {
    /// Starts the background task that drives `transport`.
    pub fn new(transport: Transport) -> Self {
        let (commands, mut command_rx) = mpsc::unbounded::<Command>();
        let Transport { outgoing, mut incoming } = transport;
        platform::spawn(async move {
            let mut pending: HashMap<u64, Pending> = HashMap::new();
            let mut subscriptions: HashMap<String, mpsc::UnboundedSender<Value>> = HashMap::new();
            loop {
                futures::select! {
                    command = command_rx.next() => match command {
                        None => break,
                        Some(Command::Request { id, text, method, reply }) => {
                            if outgoing.unbounded_send(text).is_err() {
                                let _ = reply.send(Err(RpcError::Closed(method)));
                            } else {
                                pending.insert(id, Pending::Request(method, reply));
                            }
                        }
                        Some(Command::Subscribe { id, text, method, reply, notifications }) => {
                            if outgoing.unbounded_send(text).is_err() {
                                let _ = reply.send(Err(RpcError::Closed(method)));
                            } else {
                                pending.insert(id, Pending::Subscribe(method, reply, notifications));
                            }
                        }
                        Some(Command::Unsubscribe { subscription }) => {
                            subscriptions.remove(&subscription);
                        }
                        Some(Command::Cancel { id }) => {
                            pending.remove(&id);
                        }
                    },
                    message = incoming.next() => {
                        let Some(message) = message else { break };
                        let value = match protocol_fault(&message) {
                            Ok(value) => value,
                            Err(detail) => {
                                for (_, waiter) in pending.drain() {
                                    waiter.fail(|method| RpcError::Protocol { method, detail: detail.clone() });
                                }
                                continue;
                            }
                        };
                        if let Some(id) = value.get("id").and_then(Value::as_u64) {
                            match pending.remove(&id) {
                                Some(Pending::Request(method, reply)) => {
                                    let result = match value.get("error") {
                                        Some(error) => Err(server_error(&method, error)),
                                        None => Ok(value.get("result").cloned().unwrap_or(Value::Null)),
                                    };
                                    let _ = reply.send(result);
                                }
                                Some(Pending::Subscribe(method, reply, notifications)) => {
                                    let result = match (value.get("error"), value["result"].as_str()) {
                                        (Some(error), _) => Err(server_error(&method, error)),
                                        (None, Some(subscription)) => {
                                            // Registered before the caller hears back, so no
                                            // notification can slip past.
                                            subscriptions.insert(subscription.to_string(), notifications);
                                            Ok(subscription.to_string())
                                        }
                                        (None, None) => Err(RpcError::Unexpected {
                                            method,
                                            detail: "no subscription id".into(),
                                        }),
                                    };
                                    let _ = reply.send(result);
                                }
                                None => {}
                            }
                        } else if let Some(params) = value.get("params") {
                            let subscription = match &params["subscription"] {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            if let Some(sender) = subscriptions.get(&subscription)
                                && sender.unbounded_send(params["result"].clone()).is_err()
                            {
                                subscriptions.remove(&subscription);
                            }
                        }
                    },
                }
            }
            // Everything still waiting learns that the connection is gone.
            for (_, waiter) in pending.drain() {
                waiter.fail(RpcError::Closed);
            }
        });
        Self {
            commands,
            next_id: Arc::new(AtomicU64::new(1)),
            deadline: REQUEST_DEADLINE,
        }
    }

    fn encode(&self, method: &str, params: &Value) -> (u64, String) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        (
            id,
            json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string(),
        )
    }

    /// Waits for the answer to request `id`, at most the client's deadline.
    async fn answer<T>(
        &self,
        id: u64,
        method: &str,
        response: oneshot::Receiver<Result<T, RpcError>>,
    ) -> Result<T, RpcError> {
        match platform::with_deadline(self.deadline, response).await {
            Ok(answer) => answer.map_err(|_| RpcError::Closed(method.to_string()))?,
            Err(platform::DeadlinePassed) => {
                let _ = self.commands.unbounded_send(Command::Cancel { id });
                Err(RpcError::Timeout {
                    method: method.to_string(),
                    seconds: self.deadline.as_secs(),
                })
            }
        }
    }

    /// Calls `method` and waits for its result (at most `REQUEST_DEADLINE`).
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let (id, text) = self.encode(method, &params);
        let (reply, response) = oneshot::channel();
        self.commands
            .unbounded_send(Command::Request {
                id,
                text,
                method: method.to_string(),
                reply,
            })
            .map_err(|_| RpcError::Closed(method.to_string()))?;
        self.answer(id, method, response).await
    }

    /// Starts a subscription: its id and the stream of its notifications' `result` values (the
    /// id within `REQUEST_DEADLINE`).
    pub async fn subscribe(
        &self,
        method: &str,
        params: Value,
    ) -> Result<(String, mpsc::UnboundedReceiver<Value>), RpcError> {
        let (id, text) = self.encode(method, &params);
        let (reply, response) = oneshot::channel();
        let (notifications, stream) = mpsc::unbounded();
        self.commands
            .unbounded_send(Command::Subscribe {
                id,
                text,
                method: method.to_string(),
                reply,
                notifications,
            })
            .map_err(|_| RpcError::Closed(method.to_string()))?;
        let subscription = self.answer(id, method, response).await?;
        Ok((subscription, stream))
    }

    /// Stops routing a subscription's notifications (the caller sends the unsubscribe request).
    pub fn forget_subscription(&self, subscription: &str) {
        let _ = self.commands.unbounded_send(Command::Unsubscribe {
            subscription: subscription.to_string(),
        });
    }
}

// Native only: they drive futures with the native platform's executor.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// A fake server: answers requests by echoing the method, subscriptions with id "s1" followed by
    /// one notification.
    fn echo_transport() -> Transport {
        let (outgoing, mut requests) = mpsc::unbounded::<String>();
        let (responses, incoming) = mpsc::unbounded::<String>();
        platform::spawn(async move {
            while let Some(request) = requests.next().await {
                let request: Value = serde_json::from_str(&request).unwrap();
                let id = request["id"].clone();
                let method = request["method"].as_str().unwrap().to_string();
                if method == "silent" {
                    continue;
                }
                if method == "garbled" {
                    let _ = responses.unbounded_send("{\"jsonrpc\":\"2.0\",\"id\":".to_string());
                    continue;
                }
                if method == "huge" {
                    let _ = responses.unbounded_send(" ".repeat(MAX_MESSAGE_BYTES + 1));
                    continue;
                }
                if method == "broken" {
                    let _ = responses.unbounded_send(
                        json!({"jsonrpc":"2.0","id":id,"error":{"code":-32601,"message":"nope"}}).to_string(),
                    );
                } else if method.ends_with("_subscribe") {
                    let _ = responses.unbounded_send(json!({"jsonrpc":"2.0","id":id,"result":"s1"}).to_string());
                    let _ = responses.unbounded_send(
                        json!({"jsonrpc":"2.0","method":"n","params":{"subscription":"s1","result":7}}).to_string(),
                    );
                } else {
                    let _ = responses.unbounded_send(json!({"jsonrpc":"2.0","id":id,"result":method}).to_string());
                }
            }
        });
        Transport { outgoing, incoming }
    }

    #[test]
    fn requests_subscriptions_and_errors_are_matched() {
        platform::block_on(async {
            let client = RpcClient::new(echo_transport());
            assert_eq!(client.request("a_b", json!([])).await, Ok(json!("a_b")));
            let (id, mut stream) = client.subscribe("x_subscribe", json!([])).await.unwrap();
            assert_eq!(id, "s1");
            assert_eq!(stream.next().await, Some(json!(7)));
            assert_eq!(
                client.request("broken", json!([])).await,
                Err(RpcError::Server {
                    method: "broken".into(),
                    code: -32601,
                    message: "nope".into()
                })
            );
        });
    }

    #[test]
    fn a_silent_server_times_out_and_the_client_carries_on() {
        platform::block_on(async {
            let mut client = RpcClient::new(echo_transport());
            client.deadline = Duration::from_millis(200);
            assert_eq!(
                client.request("silent", json!([])).await,
                Err(RpcError::Timeout {
                    method: "silent".into(),
                    seconds: 0
                })
            );
            assert_eq!(client.request("after", json!([])).await, Ok(json!("after")));
        });
    }

    #[test]
    fn garbled_and_oversized_messages_fail_the_waiting_request_with_a_protocol_error() {
        platform::block_on(async {
            let client = RpcClient::new(echo_transport());
            for method in ["garbled", "huge"] {
                match client.request(method, json!([])).await {
                    Err(RpcError::Protocol { method: failed, detail }) => {
                        assert_eq!(failed, method);
                        assert!(detail.len() < 200, "{detail}");
                    }
                    other => panic!("{method}: {other:?}"),
                }
            }
            assert_eq!(client.request("after", json!([])).await, Ok(json!("after")));
        });
    }
}
