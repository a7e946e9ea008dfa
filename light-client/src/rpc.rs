//! One JSON-RPC client for every transport: requests are matched to responses by id and
//! subscription notifications routed to their subscriber, all in one background task. Callers see
//! `serde_json::Value` results here; the typed layer above (`chain`) turns them into model values.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use futures::channel::{mpsc, oneshot};
use serde_json::{Value, json};

use crate::platform;

/// A JSON-RPC failure.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
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
}

/// A cloneable handle to the JSON-RPC client.
#[derive(Clone)]
pub struct RpcClient {
    commands: mpsc::UnboundedSender<Command>,
    next_id: Arc<AtomicU64>,
}

enum Pending {
    Request(String, oneshot::Sender<Result<Value, RpcError>>),
    Subscribe(
        String,
        oneshot::Sender<Result<String, RpcError>>,
        mpsc::UnboundedSender<Value>,
    ),
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
                    },
                    message = incoming.next() => {
                        let Some(message) = message else { break };
                        let Ok(value) = serde_json::from_str::<Value>(&message) else { continue };
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
                match waiter {
                    Pending::Request(method, reply) => drop(reply.send(Err(RpcError::Closed(method)))),
                    Pending::Subscribe(method, reply, _) => drop(reply.send(Err(RpcError::Closed(method)))),
                }
            }
        });
        Self {
            commands,
            next_id: Arc::new(AtomicU64::new(1)),
        }
    }

    fn encode(&self, method: &str, params: &Value) -> (u64, String) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        (
            id,
            json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string(),
        )
    }

    /// Calls `method` and waits for its result.
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
        response.await.map_err(|_| RpcError::Closed(method.to_string()))?
    }

    /// Starts a subscription: its id and the stream of its notifications' `result` values.
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
        let subscription = response.await.map_err(|_| RpcError::Closed(method.to_string()))??;
        Ok((subscription, stream))
    }

    /// Stops routing a subscription's notifications (the caller sends the unsubscribe request).
    pub fn forget_subscription(&self, subscription: &str) {
        let _ = self.commands.unbounded_send(Command::Unsubscribe {
            subscription: subscription.to_string(),
        });
    }
}

#[cfg(test)]
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
}
