//! What differs between the browser and native builds, behind the same names on both sides:
//! the smoldot platform, a text WebSocket for trusted JSON-RPC endpoints, task spawning and sleeping,
//! and the count of bytes received. Native (tests, tools) uses smoldot's default
//! platform and smol; the browser uses `browser.rs` and wasm-bindgen-futures.

mod peer_address;
mod rpc_url;
mod traffic;
pub use peer_address::{needs_secure_websocket, page_can_dial};
pub use rpc_url::{RpcUrl, RpcUrlError};
#[cfg(target_arch = "wasm32")]
pub(crate) use traffic::count_from_peer;
pub(crate) use traffic::count_from_rpc_node;
pub use traffic::traffic;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::*;

/// A deadline passed before the awaited answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePassed;

/// Waits for `future` for at most `deadline`.
pub async fn with_deadline<T>(
    deadline: std::time::Duration,
    future: impl std::future::Future<Output = T>,
) -> Result<T, DeadlinePassed> {
    use futures::future::{Either, select};
    let future = std::pin::pin!(future);
    let timer = std::pin::pin!(sleep(deadline));
    match select(future, timer).await {
        Either::Left((value, _)) => Ok(value),
        Either::Right(_) => Err(DeadlinePassed),
    }
}
