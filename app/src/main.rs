//! Entry point of the wasm bundle: mounts the app (or an embed) on `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(taoscope_app::Main);
}
