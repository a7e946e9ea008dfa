//! The chain service: one light client per browser, run in a worker that every page and embed of
//! the site shares. `protocol` is what the two sides say; `host`, `startup` and `recorder` (with
//! `saved_state`) are the worker's side, `page` the page's. Imports point one way: the page side
//! never reaches the worker's modules, both speak only `protocol`.

pub mod protocol;

// The page side builds natively too (the app's native build and unit tests name its types); only
// a browser runs it.
#[cfg(target_arch = "wasm32")]
pub mod host;
pub mod page;
#[cfg(target_arch = "wasm32")]
mod recorder;
#[cfg(target_arch = "wasm32")]
mod saved_state;
#[cfg(target_arch = "wasm32")]
mod startup;

/// The Web Lock a worker holds for its whole life: a page that asks for it gets it only once
/// that worker has stopped.
fn alive_lock_name(instance: &str) -> String {
    format!("taoscope-chain-alive-{instance}")
}

/// `navigator.locks.request(name, callback)`, where the browser has Web Locks (secure contexts):
/// the promise settles once `callback` was granted the lock and its own promise settled.
fn locks_request(name: &str, callback: &wasm_bindgen::JsValue) -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    let request: js_sys::Function = js_sys::Reflect::get(&locks, &"request".into()).ok()?.dyn_into().ok()?;
    request
        .call2(&locks, &name.into(), callback)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}
