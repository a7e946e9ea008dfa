//! Entry point of the wasm bundle: mounts the app (or an embed) on `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    // The first mount runs one task after the wasm's instantiation, so that the two do not make
    // one long task on the main thread while the page loads.
    gloo_timers::callback::Timeout::new(0, || leptos::mount::mount_to_body(taoscope_app::Main)).forget();
}
