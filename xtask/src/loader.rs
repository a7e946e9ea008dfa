//! Seals the page's loader and the chain worker after Trunk builds: Trunk's inline script imports
//! the app's JavaScript and fetches its wasm without integrity checks (only its preload hints carry
//! them, and a failed hint is fetched again unchecked), so a tampered file would run. The sealed
//! loader names both files' SHA-384 (an import map's `integrity` for the module, `fetch`'s for the
//! wasm), and a file that fails its check stops the page with a message instead of running.
//! Browsers give `new SharedWorker` no `integrity`, so the worker is sealed as one script (its
//! loader with the wasm-bindgen glue written in and its wasm's SHA-384), named after its own hash;
//! the page checks that script's SHA-384 before it starts it.

use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha384};

/// The app's two files, as Trunk's loader names them (`/name.js`, `/name_bg.wasm`).
#[derive(Debug, PartialEq)]
struct AppFiles {
    script: String,
    wasm: String,
}

/// Finds the files Trunk's inline loader imports and instantiates.
fn trunk_loader_files(html: &str) -> Result<AppFiles, String> {
    let between = |after: &str, before: char| -> Option<String> {
        let start = html.find(after)? + after.len();
        let end = html[start..].find(before)? + start;
        Some(html[start..end].to_string())
    };
    let script = between("import init, * as bindings from '", '\'');
    let wasm = between("init({ module_or_path: '", '\'');
    match (script, wasm) {
        (Some(script), Some(wasm)) => Ok(AppFiles { script, wasm }),
        _ => {
            Err("index.html has no Trunk loader of the known shape (import init … init({ module_or_path: … }))".into())
        }
    }
}

/// `sha384-…` of `bytes`, as SRI writes it.
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// The loader script that replaces Trunk's: the same start (bindings on `window`, Trunk's started
/// event), with both files checked, and a page that says so when one fails.
fn sealed_loader(files: &AppFiles, script_integrity: &str, wasm_integrity: &str) -> String {
    let AppFiles { script, wasm } = files;
    format!(
        r#"<script type="importmap">{{"integrity":{{"{script}":"{script_integrity}"}}}}</script>
<script type="module">
try {{
  const bindings = await import('{script}');
  const wasm = await bindings.default({{ module_or_path: fetch('{wasm}', {{ integrity: '{wasm_integrity}' }}) }});
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", {{ detail: {{ wasm }} }}));
}} catch (error) {{
  const message = document.createElement("p");
  message.className = "boot-error";
  message.setAttribute("role", "alert");
  message.textContent = "Taoscope did not start: one of its files did not load or failed its integrity check (" + error + "). Reload the page; if this stays, this copy of the site is damaged or was tampered with, and nothing from it was run.";
  document.body.replaceChildren(message);
}}
</script>"#
    )
}

/// Rewrites `html`'s Trunk loader script into the sealed one, given each file's bytes.
fn seal_html(html: &str, read: impl Fn(&str) -> Result<Vec<u8>, String>) -> Result<String, String> {
    let files = trunk_loader_files(html)?;
    let start = html
        .find("<script type=\"module\">")
        .ok_or("index.html has no module script")?;
    let end = html[start..]
        .find("</script>")
        .map(|end| start + end + "</script>".len())
        .ok_or("index.html's module script is not closed")?;
    let loader = sealed_loader(
        &files,
        &integrity(&read(&files.script)?),
        &integrity(&read(&files.wasm)?),
    );
    Ok(format!("{}{loader}{}", &html[..start], &html[end..]))
}

/// The worker's loader as `public/chain-worker.js` has it, the files it loads, and what sealing
/// writes in their place.
const WORKER_TEMPLATE: &str = "/chain-worker.js";
const WORKER_GLUE: &str = "/taoscope-worker.js";
const WORKER_WASM: &str = "/taoscope-worker_bg.wasm";
const GLUE_IMPORT: &str = "importScripts(\"/taoscope-worker.js\");";
const WASM_PATH: &str = "module_or_path: \"/taoscope-worker_bg.wasm\"";
/// Where `index.html`'s start script names the worker before sealing.
const PAGE_WORKER_ENTRY: &str = "url: \"/chain-worker.js\", integrity: \"\"";

/// The sealed worker: its path (named after its hash) and text.
#[derive(Debug, PartialEq)]
struct SealedWorker {
    path: String,
    script: String,
}

/// Seals the worker's loader `template` with its `glue` written in and `wasm`'s hash checked, and
/// points `html`'s start script at it with its hash; returns the new page and the worker.
fn seal_worker(html: &str, template: &str, glue: &str, wasm: &[u8]) -> Result<(String, SealedWorker), String> {
    if !template.contains(GLUE_IMPORT) || !template.contains(WASM_PATH) {
        return Err(format!(
            "{WORKER_TEMPLATE} no longer has `{GLUE_IMPORT}` and `{WASM_PATH}` to seal"
        ));
    }
    if !html.contains(PAGE_WORKER_ENTRY) {
        return Err(format!(
            "index.html's start script no longer names the worker as `{PAGE_WORKER_ENTRY}`"
        ));
    }
    let script = template.replacen(GLUE_IMPORT, glue, 1).replacen(
        WASM_PATH,
        &format!(
            "module_or_path: fetch(\"{WORKER_WASM}\", {{ integrity: \"{}\" }})",
            integrity(wasm)
        ),
        1,
    );
    let digest = Sha384::digest(script.as_bytes());
    let short: String = digest[..8].iter().map(|byte| format!("{byte:02x}")).collect();
    let path = format!("/chain-worker-{short}.js");
    let html = html.replacen(
        PAGE_WORKER_ENTRY,
        &format!("url: \"{path}\", integrity: \"{}\"", integrity(script.as_bytes())),
        1,
    );
    Ok((html, SealedWorker { path, script }))
}

/// Seals the loader and the chain worker of the Trunk build in `dir` (its `index.html` is rewritten
/// in place; the worker's loader and glue are replaced by the sealed worker).
pub fn seal(dir: &Path) -> Result<(), String> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|error| format!("reading {}: {error}", index.display()))?;
    let path_of = |file: &str| dir.join(file.trim_start_matches('/'));
    let read = |file: &str| {
        std::fs::read(path_of(file)).map_err(|error| format!("reading {}: {error}", path_of(file).display()))
    };
    let text = |file: &str| read(file).map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let sealed = seal_html(&html, read)?;
    let (sealed, worker) = seal_worker(
        &sealed,
        &text(WORKER_TEMPLATE)?,
        &text(WORKER_GLUE)?,
        &read(WORKER_WASM)?,
    )?;
    let write = |file: &str, contents: &str| {
        std::fs::write(path_of(file), contents).map_err(|error| format!("writing {}: {error}", path_of(file).display()))
    };
    write(&worker.path, &worker.script)?;
    for unsealed in [WORKER_TEMPLATE, WORKER_GLUE] {
        std::fs::remove_file(path_of(unsealed))
            .map_err(|error| format!("removing {}: {error}", path_of(unsealed).display()))?;
    }
    write("/index.html", &sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_PAGE: &str = "<head><link rel=\"stylesheet\" href=\"/main.css\"/>\n<script type=\"module\">\nimport init, * as bindings from '/app-1.js';\nconst wasm = await init({ module_or_path: '/app-1_bg.wasm' });\nwindow.wasmBindings = bindings;\n</script>\n<link rel=\"modulepreload\" href=\"/app-1.js\"></head><body></body>";

    #[test]
    fn finds_the_files_trunk_loads() {
        assert_eq!(
            trunk_loader_files(TRUNK_PAGE),
            Ok(AppFiles {
                script: "/app-1.js".into(),
                wasm: "/app-1_bg.wasm".into()
            })
        );
        assert!(
            trunk_loader_files("<script type=\"module\">import('/x.js')</script>")
                .unwrap_err()
                .starts_with("index.html has no Trunk loader of the known shape")
        );
    }

    #[test]
    fn the_sealed_loader_checks_both_files_and_replaces_trunks() {
        let sealed = seal_html(TRUNK_PAGE, |file| Ok(file.as_bytes().to_vec())).expect("sealed");
        let script_hash = integrity(b"/app-1.js");
        let wasm_hash = integrity(b"/app-1_bg.wasm");
        assert!(
            sealed.contains(&format!(r#"{{"integrity":{{"/app-1.js":"{script_hash}"}}}}"#)),
            "{sealed}"
        );
        assert!(
            sealed.contains(&format!("fetch('/app-1_bg.wasm', {{ integrity: '{wasm_hash}' }})")),
            "{sealed}"
        );
        assert!(
            !sealed.contains("import init, * as bindings"),
            "Trunk's loader is gone: {sealed}"
        );
        assert!(sealed.starts_with("<head><link rel=\"stylesheet\" href=\"/main.css\"/>\n<script type=\"importmap\">"));
        assert!(sealed.ends_with("</script>\n<link rel=\"modulepreload\" href=\"/app-1.js\"></head><body></body>"));
        assert_eq!(sealed.matches("<script").count(), 2, "{sealed}");
    }

    #[test]
    fn the_sealed_worker_carries_its_glue_and_wasm_hash_and_the_page_names_and_checks_it() {
        let template = "self.early = [];\nimportScripts(\"/taoscope-worker.js\");\nwasm_bindgen({ module_or_path: \"/taoscope-worker_bg.wasm\" });\n";
        let html = "<script>self.w = { url: \"/chain-worker.js\", integrity: \"\" };</script>";
        let (page, worker) = seal_worker(html, template, "let wasm_bindgen = glue;", b"wasm").expect("sealed");
        assert_eq!(
            worker.script,
            format!(
                "self.early = [];\nlet wasm_bindgen = glue;\nwasm_bindgen({{ module_or_path: fetch(\"/taoscope-worker_bg.wasm\", {{ integrity: \"{}\" }}) }});\n",
                integrity(b"wasm")
            )
        );
        assert!(worker.path.starts_with("/chain-worker-") && worker.path.len() == "/chain-worker-.js".len() + 16);
        assert_eq!(
            page,
            format!(
                "<script>self.w = {{ url: \"{}\", integrity: \"{}\" }};</script>",
                worker.path,
                integrity(worker.script.as_bytes())
            )
        );
        let other = seal_worker(html, template, "let wasm_bindgen = other;", b"wasm")
            .expect("sealed")
            .1;
        assert_ne!(
            other.path, worker.path,
            "another worker gets another name, so another shared worker"
        );
    }

    #[test]
    fn a_worker_template_or_page_of_another_shape_is_refused_by_name() {
        let html = "url: \"/chain-worker.js\", integrity: \"\"";
        let error = seal_worker(html, "importScripts(\"/other.js\");", "", b"").unwrap_err();
        assert!(error.contains("/chain-worker.js no longer has"), "{error}");
        let template =
            "importScripts(\"/taoscope-worker.js\"); wasm_bindgen({ module_or_path: \"/taoscope-worker_bg.wasm\" });";
        let error = seal_worker("<script></script>", template, "", b"").unwrap_err();
        assert!(error.contains("index.html's start script"), "{error}");
    }

    #[test]
    fn the_repositorys_templates_have_the_shape_sealing_expects() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let html = std::fs::read_to_string(format!("{root}/index.html")).expect("index.html");
        let template = std::fs::read_to_string(format!("{root}/public/chain-worker.js")).expect("chain-worker.js");
        assert!(seal_worker(&html, &template, "", b"").is_ok());
    }

    #[test]
    fn a_known_digest() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let error = seal_html(TRUNK_PAGE, |file| Err(format!("reading {file}: gone"))).unwrap_err();
        assert_eq!(error, "reading /app-1.js: gone");
    }
}
