//! Repository checks that keep the architecture honest, run with the unit tests.

use crate::paths::repo_root;

/// Crates only `light-client/` may use: the app sees typed values, never JSON-RPC or SCALE.
/// (serde_json is not among them: the app writes its own files with it; that it never speaks
/// JSON-RPC is checked on its sources, `app_never_speaks_json_rpc`.)
const CHAIN_ONLY_CRATES: &[&str] = &[
    "smoldot",
    "smoldot-light",
    "parity-scale-codec",
    "scale-decode",
    "scale-value",
    "scale-info",
    "frame-metadata",
    "frame-decode",
    "jsonrpsee",
];

/// The package names `package` depends on (every kind, renamed ones by their real name), as
/// `cargo metadata` reports them.
fn dependencies_of(package: &str) -> Vec<String> {
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(repo_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages = metadata["packages"].as_array().expect("a package list");
    let found = packages
        .iter()
        .find(|p| p["name"] == package)
        .unwrap_or_else(|| panic!("no package {package} in the workspace"));
    found["dependencies"]
        .as_array()
        .expect("a dependency list")
        .iter()
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn app_does_not_depend_on_chain_crates() {
    let names = dependencies_of("taoscope-app");
    assert!(names.iter().any(|n| n == "leptos"), "found {names:?}");
    assert!(
        names.iter().any(|n| n == "taoscope-light-client"),
        "a renamed dependency by its real name: {names:?}"
    );
    for forbidden in CHAIN_ONLY_CRATES {
        assert!(
            !names.iter().any(|n| n == forbidden),
            "app/Cargo.toml depends on {forbidden}"
        );
    }
}

/// Keys only a JSON-RPC envelope has, as a client writing requests spells them.
/// Method names may appear in the app's texts (a figure's tooltip names `chainHead_v1_follow`).
const JSON_RPC_WORDS: &[&str] = &["\"jsonrpc\"", "\"params\""];

#[test]
fn app_never_speaks_json_rpc() {
    let mut checked = 0;
    for file in module_files_under(&repo_root().join("app/src")) {
        let source = std::fs::read_to_string(&file).unwrap();
        checked += 1;
        for word in JSON_RPC_WORDS {
            assert!(
                !source.contains(word),
                "{} contains {word}: JSON-RPC belongs to light-client/",
                file.display()
            );
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
}

#[test]
fn architecture_codemap_names_only_existing_folders() {
    let text = std::fs::read_to_string(repo_root().join("ARCHITECTURE.md")).unwrap();
    let mut named = 0;
    for line in text.lines() {
        // Codemap entries are headings of the form "### `folder/`".
        if let Some(rest) = line.strip_prefix("### `")
            && let Some(folder) = rest.strip_suffix("/`")
        {
            named += 1;
            assert!(
                repo_root().join(folder).is_dir(),
                "ARCHITECTURE.md names {folder}/, which does not exist"
            );
        }
    }
    assert!(
        named >= 5,
        "ARCHITECTURE.md's codemap should name the top-level folders"
    );
}

/// Layers of the app: a module (folder or file under `app/src/`) may not import the modules listed
/// beside it, so the arrows point one way (pages use embeds' neighbours, never the reverse).
const APP_LAYERS: &[(&str, &[&str])] = &[
    ("data", &["pages", "embed", "charts", "components", "table"]),
    ("table", &["pages", "embed"]),
    ("components", &["pages", "embed"]),
    ("charts", &["pages", "embed"]),
    ("embed", &["pages"]),
    ("names", &["pages", "embed"]),
    ("history", &["pages", "embed", "charts", "components", "table", "data"]),
    ("alerts", &["pages", "embed", "charts", "components", "table", "data"]),
];

/// The `crate::…` modules `source` imports or names.
fn crate_modules(source: &str) -> Vec<&str> {
    source
        .match_indices("crate::")
        .filter_map(|(at, prefix)| {
            let rest = &source[at + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
            Some(&rest[..end])
        })
        .collect()
}

/// Every `.rs` file of module `name` in `app/src/` (its folder, or its single file).
fn module_files(name: &str) -> Vec<std::path::PathBuf> {
    let src = repo_root().join("app/src");
    let single = src.join(format!("{name}.rs"));
    if single.is_file() {
        return vec![single];
    }
    module_files_under(&src.join(name))
}

/// Every `.rs` file under `folder`, at any depth.
fn module_files_under(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn app_layers_import_one_way() {
    let mut checked = 0;
    for (module, forbidden) in APP_LAYERS {
        for file in module_files(module) {
            let source = std::fs::read_to_string(&file).unwrap();
            checked += 1;
            for imported in crate_modules(&source) {
                assert!(
                    !forbidden.contains(&imported),
                    "{} imports crate::{imported}, which app/src/{module} may not use",
                    file.display()
                );
            }
        }
    }
    assert!(checked >= 10, "only {checked} files checked");
}

#[test]
fn crate_paths_are_found() {
    assert_eq!(
        crate_modules("use crate::pages::x;\nlet a = crate::format::short(b); // crate::"),
        ["pages", "format"]
    );
}

/// Every file git tracks, as repository-relative paths.
fn tracked_files() -> Vec<String> {
    let output = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(repo_root())
        .output()
        .expect("git ls-files runs");
    String::from_utf8(output.stdout)
        .expect("git prints paths as UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let mut missing = Vec::new();
    for path in tracked_files() {
        let marker = if path.ends_with(".rs") {
            "//!"
        } else if path.ends_with(".mjs") {
            "//"
        } else {
            continue;
        };
        let text = std::fs::read_to_string(repo_root().join(&path)).unwrap_or_default();
        if !text.trim_start().starts_with(marker) {
            missing.push(path);
        }
    }
    assert!(
        missing.is_empty(),
        "these files do not open with a doc comment saying what they are for: {missing:?}"
    );
}

#[test]
fn every_file_architecture_md_names_exists() {
    let text = std::fs::read_to_string(repo_root().join("ARCHITECTURE.md")).unwrap();
    let files = tracked_files();
    let mut named = 0;
    for token in text.split('`').skip(1).step_by(2) {
        // A pattern such as `*.test.mjs` names a kind of file, not one file.
        if !(token.ends_with(".rs") || token.ends_with(".mjs")) || token.contains([' ', '*']) {
            continue;
        }
        named += 1;
        let found = files.iter().any(|f| f == token || f.ends_with(&format!("/{token}")));
        assert!(found, "ARCHITECTURE.md names {token}, which no tracked file is");
    }
    assert!(named >= 10, "only {named} file names found in ARCHITECTURE.md");
}
