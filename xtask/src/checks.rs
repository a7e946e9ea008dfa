//! Repository checks that keep the architecture honest, run with the unit tests.

use crate::paths::repo_root;

/// Crates only `light-client/` may use: the app sees typed values, never JSON-RPC or SCALE.
const CHAIN_ONLY_CRATES: &[&str] = &[
    "smoldot",
    "smoldot-light",
    "serde_json",
    "parity-scale-codec",
    "scale-decode",
    "scale-value",
    "scale-info",
    "frame-metadata",
    "frame-decode",
    "jsonrpsee",
];

/// Names of the `[dependencies]`-like tables' entries in a Cargo.toml.
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_dependencies = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line.contains("dependencies");
            continue;
        }
        if in_dependencies
            && let Some((name, value)) = line.split_once('=')
            && !line.starts_with('#')
        {
            let name = name.trim().to_string();
            // `alias = { package = "real-name", … }` depends on the real name.
            let real = value
                .split_once("package")
                .and_then(|(_, rest)| rest.split('"').nth(1))
                .map(str::to_string);
            names.push(real.unwrap_or(name));
        }
    }
    names
}

#[test]
fn app_does_not_depend_on_chain_crates() {
    let manifest = std::fs::read_to_string(repo_root().join("app/Cargo.toml")).unwrap();
    let names = dependency_names(&manifest);
    assert!(names.iter().any(|n| n == "leptos"), "parsed {names:?}");
    for forbidden in CHAIN_ONLY_CRATES {
        assert!(
            !names.iter().any(|n| n == forbidden),
            "app/Cargo.toml depends on {forbidden}"
        );
    }
}

#[test]
fn dependency_parser_sees_renamed_crates() {
    let manifest = "[dependencies]\nfoo = \"1\"\nbar = { package = \"serde_json\", version = \"1\" }\n\
                    [features]\nx = []\n";
    assert_eq!(dependency_names(manifest), ["foo", "serde_json"]);
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
    let mut files = Vec::new();
    let mut folders = vec![src.join(name)];
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
