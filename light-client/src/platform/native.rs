//! Native platform: smoldot's default platform (std networking, smol executor), and a plain
//! `ws://` text socket (soketto) for trusted JSON-RPC endpoints.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The smoldot platform used by this build.
pub type Platform = Arc<smoldot_light::platform::DefaultPlatform>;

/// A new platform instance for one client.
pub fn new_platform() -> Platform {
    smoldot_light::platform::DefaultPlatform::new("taoscope".into(), env!("CARGO_PKG_VERSION").into())
}

/// Runs `future` in the background.
pub fn spawn(future: impl Future<Output = ()> + Send + 'static) {
    smol::spawn(future).detach();
}

/// Waits for `duration`.
pub async fn sleep(duration: Duration) {
    smol::Timer::after(duration).await;
}

/// Runs a future to completion on the current thread (tests and tools).
pub fn block_on<T>(future: impl Future<Output = T>) -> T {
    smol::block_on(future)
}

/// A text WebSocket to a trusted JSON-RPC endpoint: messages to send, and messages received
/// (that stream ends when the connection closes).
pub type TextSocket = (
    futures::channel::mpsc::UnboundedSender<String>,
    futures::channel::mpsc::UnboundedReceiver<String>,
);

/// Opens a text WebSocket to `url` (plain `ws://` only: the native build carries no TLS).
pub async fn open_text_socket(url: &super::RpcUrl) -> Result<TextSocket, String> {
    use futures::StreamExt;
    use soketto::handshake::{Client, ServerResponse};

    if url.secure {
        return Err("wss:// needs TLS, which the native build does not include; use a ws:// endpoint".into());
    }
    let tcp = smol::net::TcpStream::connect((url.host.as_str(), url.port))
        .await
        .map_err(|error| error.to_string())?;
    let host = format!("{}:{}", url.host, url.port);
    let mut handshake = Client::new(tcp, &host, &url.path);
    match handshake.handshake().await.map_err(|error| error.to_string())? {
        ServerResponse::Accepted { .. } => {}
        ServerResponse::Redirect { status_code, location } => {
            return Err(format!("the server redirects ({status_code}) to {location}"));
        }
        ServerResponse::Rejected { status_code } => {
            return Err(format!("the server refused the WebSocket upgrade (HTTP {status_code})"));
        }
    }
    let (mut sender, mut receiver) = handshake.into_builder().finish();
    let (outgoing, mut to_send) = futures::channel::mpsc::unbounded::<String>();
    let (received, incoming) = futures::channel::mpsc::unbounded::<String>();
    spawn(async move {
        while let Some(text) = to_send.next().await {
            if sender.send_text_owned(text).await.is_err() || sender.flush().await.is_err() {
                break;
            }
        }
        let _ = sender.close().await;
    });
    spawn(async move {
        loop {
            let mut message = Vec::new();
            match receiver.receive_data(&mut message).await {
                Ok(soketto::Data::Text(_)) => {
                    super::count_from_rpc_node(message.len());
                    let Ok(text) = String::from_utf8(message) else { break };
                    if received.unbounded_send(text).is_err() {
                        break;
                    }
                }
                Ok(soketto::Data::Binary(_)) => {}
                Err(_) => break,
            }
        }
    });
    Ok((outgoing, incoming))
}
