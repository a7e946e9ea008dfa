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
