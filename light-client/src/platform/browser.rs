//! Browser platform: tasks on the page's event loop. The smoldot `PlatformRef` for the browser
//! (WebSocket streams, timers, randomness) lands with the in-browser light client.

use std::future::Future;
use std::time::Duration;

/// Runs `future` in the background on the page's event loop.
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(future);
}

/// Waits for `duration`.
pub async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}
