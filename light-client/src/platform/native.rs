//! Native platform: smoldot's default platform (std networking, smol executor).

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
