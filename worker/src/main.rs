//! The chain service's worker: a second wasm bundle, started by `public/chain-worker.js`, that runs
//! the light client for every Taoscope page and embed of the site (`light_client::service::host`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    light_client::service::host::serve();
}
