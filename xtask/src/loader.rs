//! Seals the page's loader after Trunk builds: Trunk's inline script imports the app's JavaScript
//! and fetches its wasm without integrity checks (only its preload hints carry them, and a failed
//! hint is fetched again unchecked), so a tampered file would run. The sealed loader names both
//! files' SHA-384 (an import map's `integrity` for the module, `fetch`'s for the wasm), and a file
//! that fails its check stops the page with a message instead of running.

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

/// Seals the loader of the Trunk build in `dir` (its `index.html`, rewritten in place).
pub fn seal(dir: &Path) -> Result<(), String> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|error| format!("reading {}: {error}", index.display()))?;
    let read = |file: &str| {
        let path = dir.join(file.trim_start_matches('/'));
        std::fs::read(&path).map_err(|error| format!("reading {}: {error}", path.display()))
    };
    let sealed = seal_html(&html, read)?;
    std::fs::write(&index, sealed).map_err(|error| format!("writing {}: {error}", index.display()))
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
