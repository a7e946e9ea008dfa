//! What differs between the browser and native builds, behind the same names on both sides:
//! the smoldot platform, a text WebSocket for trusted JSON-RPC endpoints, task spawning and sleeping. Native (tests, tools) uses smoldot's default
//! platform and smol; the browser uses `browser.rs` and wasm-bindgen-futures.

mod peer_address;
mod rpc_url;
pub use peer_address::needs_secure_websocket;
pub use rpc_url::{RpcUrl, RpcUrlError};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::*;
