//! `cargo xtask dist`: a folder any static host can serve — the release build with its loader
//! sealed (`loader`), the chain manifest trimmed to the chains whose files ship (the chosen one is
//! the default), and the headers a host must send (a Content-Security-Policy, framing rules: the
//! app is never framed, `/embed/*` may be) as a `_headers` file and an nginx snippet.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::cli::DistOptions;
use crate::shell::{announce, command, run};
use crate::{bootstrap, loader, paths};

/// The nginx snippet's name inside the folder (the snippet refuses to serve it, and `_headers`).
pub const NGINX_SNIPPET: &str = "nginx-taoscope.conf";

/// Where a user's own node may listen: `?rpc=` on a page is how one reads through it, and the
/// policy must not block that (any port on loopback; nothing else beyond the listed hosts).
const LOCAL_NODES: [&str; 4] = [
    "ws://127.0.0.1:*",
    "ws://localhost:*",
    "wss://127.0.0.1:*",
    "wss://localhost:*",
];

/// `cargo xtask dist`: builds the app into `options.out` and writes the manifest and headers.
pub fn dist(options: &DistOptions) -> Result<(), String> {
    let out = absolute(&options.out)?;
    let spec = options.spec.as_deref().map(absolute).transpose()?;
    let site = build_site(&out, &options.chain, spec.as_deref())?;
    println!("    chains: {} (default {})", site.chains.join(", "), options.chain);
    println!("    connect-src: {}", site.connect_sources.join(" "));
    println!(
        "    headers: {0}/_headers (Netlify, Cloudflare Pages), {0}/{NGINX_SNIPPET} (nginx)",
        out.display()
    );
    println!(
        "Serve {} at the root of any static host; README \"Deploying\" says how.",
        out.display()
    );
    Ok(())
}

/// Builds the site for `chain` into `out` (see `finish`), installing the build tools first.
pub fn build_site(out: &Path, chain: &str, spec: Option<&Path>) -> Result<Site, String> {
    refuse_foreign_folder(out)?;
    bootstrap::app_build_tools()?;
    announce(
        &format!("Building the static site for {chain} into {}", out.display()),
        "seconds when the app is built, else ≈ 3–6 min",
    );
    run("cargo fetch", command("cargo").arg("fetch"))?;
    run(
        "trunk build",
        command("trunk").args(["build", "--release", "--dist"]).arg(out),
    )?;
    loader::seal(out)?;
    finish(out, chain, spec)
}

/// A path as the user typed it, made absolute against the directory they typed it in (the
/// commands this runs work from the repository root).
fn absolute(path: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(path);
    if path.is_absolute() {
        return Ok(path);
    }
    let here = std::env::current_dir().map_err(|error| format!("the current directory: {error}"))?;
    Ok(here.join(path))
}

/// Trunk replaces the folder's contents: refuse one that holds anything but an earlier build.
fn refuse_foreign_folder(out: &Path) -> Result<(), String> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    let earlier_build = out.join("_headers").is_file() && out.join("index.html").is_file();
    if entries.next().is_none() || earlier_build {
        return Ok(());
    }
    Err(format!(
        "{} is not empty and is not an earlier `cargo xtask dist` output; choose an empty or new folder",
        out.display()
    ))
}

/// What `finish` made of the built folder.
#[derive(Debug)]
pub struct Site {
    /// The chains the trimmed manifest lists.
    pub chains: Vec<String>,
    /// The policy's `connect-src` sources.
    pub connect_sources: Vec<String>,
}

/// Turns a Trunk build in `out` into a deployable site for `chain`: ships `spec` as that chain's
/// spec file when given, trims and rewrites the manifest, and writes `_headers` and the nginx
/// snippet.
pub fn finish(out: &Path, chain: &str, spec: Option<&Path>) -> Result<Site, String> {
    let manifest_path = out.join("chain-specs").join("index.json");
    let mut manifest = read_json(&manifest_path)?;
    ship_spec(out, &manifest, chain, spec)?;
    let chains = trim_manifest(&mut manifest, chain, |file| {
        out.join(file.trim_start_matches('/')).is_file()
    })?;
    let mut boot_nodes = Vec::new();
    let mut rpc_nodes = Vec::new();
    for entry in manifest["chains"].as_array().into_iter().flatten() {
        boot_nodes.extend(strings(&entry["facts"]["boot_nodes"]));
        if let Some(file) = entry["spec"].as_str() {
            let spec = read_json(&out.join(file.trim_start_matches('/')))?;
            boot_nodes.extend(strings(&spec["bootNodes"]));
        }
        rpc_nodes.extend(strings(&entry["rpc_bootstrap"]));
    }
    let connect_sources = connect_sources(&boot_nodes, &rpc_nodes);
    let index = read(&out.join("index.html"))?;
    let policy = base_policy(&inline_script_hashes(&index), &connect_sources);
    write(
        &manifest_path,
        &(serde_json::to_string_pretty(&manifest).expect("a JSON value serializes") + "\n"),
    )?;
    write(&out.join("_headers"), &headers_file(&policy))?;
    write(&out.join(NGINX_SNIPPET), &nginx_snippet(&policy))?;
    Ok(Site {
        chains,
        connect_sources,
    })
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("reading {}: {error}", path.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read(path)?).map_err(|error| format!("{}: {error}", path.display()))
}

/// The strings of a JSON list (nothing when it is absent or not a list).
fn strings(list: &Value) -> impl Iterator<Item = String> + '_ {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("writing {}: {error}", path.display()))
}

/// Copies `spec` to where the manifest says `chain`'s spec is served (the devnet's is written when
/// it starts, so it is not among the app's public files).
fn ship_spec(out: &Path, manifest: &Value, chain: &str, spec: Option<&Path>) -> Result<(), String> {
    let Some(spec) = spec else { return Ok(()) };
    let entry = chain_entry(manifest, chain)?;
    let file = entry["spec"]
        .as_str()
        .ok_or_else(|| format!("--spec is for a chain listed by a spec file; {chain} is listed by its facts"))?;
    let target = out.join(file.trim_start_matches('/'));
    std::fs::copy(spec, &target)
        .map(drop)
        .map_err(|error| format!("copying {} to {}: {error}", spec.display(), target.display()))
}

fn chain_entry<'a>(manifest: &'a Value, chain: &str) -> Result<&'a Value, String> {
    let chains = manifest["chains"]
        .as_array()
        .ok_or("the manifest has no \"chains\" list")?;
    chains.iter().find(|entry| entry["id"] == chain).ok_or_else(|| {
        let ids: Vec<&str> = chains.iter().filter_map(|entry| entry["id"].as_str()).collect();
        format!(
            "no chain {chain:?} in public/chain-specs/index.json (it lists {})",
            ids.join(", ")
        )
    })
}

/// Makes `chain` the default and drops every other chain whose files are not in the folder (the
/// app must never ask for a file the site does not serve). Returns the ids kept.
fn trim_manifest(manifest: &mut Value, chain: &str, served: impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let files_of = |entry: &Value| -> Vec<String> {
        ["spec", "checkpoint"]
            .iter()
            .filter_map(|key| entry[*key].as_str().map(str::to_string))
            .collect()
    };
    let missing = files_of(chain_entry(manifest, chain)?)
        .into_iter()
        .filter(|file| !served(file))
        .collect::<Vec<_>>();
    if !missing.is_empty() {
        return Err(format!(
            "{chain}'s {} is not among the app's files; pass it with --spec FILE (the devnet writes its spec \
             when it starts: `cargo xtask devnet` prints where)",
            missing.join(" and ")
        ));
    }
    let chains = manifest["chains"].as_array_mut().expect("chain_entry found the list");
    chains.retain(|entry| entry["id"] == chain || files_of(entry).iter().all(|file| served(file)));
    let kept = chains
        .iter()
        .filter_map(|entry| entry["id"].as_str().map(str::to_string))
        .collect();
    manifest["default"] = Value::from(chain);
    Ok(kept)
}

/// The origins a page dials: each boot node a browser can reach (WebSocket multiaddrs), each RPC
/// bootstrap node, and a user's own local node. Deduplicated, in order.
fn connect_sources(boot_nodes: &[String], rpc_nodes: &[String]) -> Vec<String> {
    let mut sources = vec!["'self'".to_string()];
    let dialable = boot_nodes.iter().filter_map(|address| websocket_origin(address));
    let rpc = rpc_nodes.iter().filter_map(|url| url_origin(url));
    for source in dialable.chain(rpc).chain(LOCAL_NODES.iter().map(|s| s.to_string())) {
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

/// `ws://host:port` or `wss://host:port` for a multiaddr a browser can dial; `None` for the rest
/// (plain TCP, WebRTC), which no page dials.
fn websocket_origin(multiaddr: &str) -> Option<String> {
    let parts: Vec<&str> = multiaddr.split('/').skip(1).collect();
    let (host, rest) = match parts.as_slice() {
        ["ip4" | "dns" | "dns4" | "dns6", host, rest @ ..] => (host.to_string(), rest),
        ["ip6", host, rest @ ..] => (format!("[{host}]"), rest),
        _ => return None,
    };
    match rest {
        ["tcp", port, "ws", ..] => Some(format!("ws://{host}:{port}")),
        ["tcp", port, "wss", ..] | ["tcp", port, "tls", "ws", ..] => Some(format!("wss://{host}:{port}")),
        _ => None,
    }
}

/// `scheme://authority` of a ws/wss URL.
fn url_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "ws" && scheme != "wss" {
        return None;
    }
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|authority| !authority.is_empty())?;
    Some(format!("{scheme}://{authority}"))
}

/// `'sha256-…'` for each inline `<script>` of the page (Trunk's loader is one), so the policy can
/// allow exactly them and no other inline script.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = match rest[start..].find('>') {
            Some(end) => start + end,
            None => break,
        };
        let tag = &rest[start..tag_end];
        let body_end = match rest[tag_end..].find("</script>") {
            Some(end) => tag_end + end,
            None => break,
        };
        if !tag.contains(" src=") {
            let body = &rest[tag_end + 1..body_end];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[body_end..];
    }
    hashes
}

/// The policy every response carries; framing is added per path. Styles allow inline attributes
/// (the views set widths and colours through `style`); scripts are this site's files, the hashed
/// loader and WebAssembly compilation, nothing else.
fn base_policy(script_hashes: &[String], connect_sources: &[String]) -> String {
    let mut scripts = vec!["'self'", "'wasm-unsafe-eval'"];
    scripts.extend(script_hashes.iter().map(String::as_str));
    [
        "default-src 'self'".to_string(),
        format!("script-src {}", scripts.join(" ")),
        // The chain service's worker (`/chain-worker-<hash>.js`, sealed) is this site's own script.
        "worker-src 'self'".to_string(),
        "style-src 'self' 'unsafe-inline'".to_string(),
        "img-src 'self' data: blob:".to_string(),
        format!("connect-src {}", connect_sources.join(" ")),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'none'".to_string(),
    ]
    .join("; ")
}

/// The app's own routes (never framed); `/embed/*` is left framable.
const APP_ROUTES: [&str; 8] = [
    "/",
    "/index.html",
    "/subnets",
    "/subnets/*",
    "/validators",
    "/validators/*",
    "/settings",
    "/bench",
];

/// `_headers` for Netlify and Cloudflare Pages. Both add every matching rule's headers, so the base
/// policy goes on `/*` and the app routes add a second policy, `frame-ancestors 'none'` (a browser
/// enforces both).
fn headers_file(policy: &str) -> String {
    let mut text =
        String::from("# Written by `cargo xtask dist`: the headers this site needs (README \"Deploying\").\n");
    text.push_str(&format!(
        "/*\n  Content-Security-Policy: {policy}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"
    ));
    for route in APP_ROUTES {
        text.push_str(&format!(
            "{route}\n  Content-Security-Policy: frame-ancestors 'none'\n  X-Frame-Options: DENY\n"
        ));
    }
    text.push_str("/embed/*\n  Content-Security-Policy: frame-ancestors *\n");
    text
}

/// An nginx snippet to `include` inside a `server { root …; }` block: the same headers, hashed
/// assets cached for a year (Trunk writes the hash as unpadded hex: up to 16 digits, fewer when
/// it starts with zeros), unknown app paths answered by `index.html` (the app routes in the
/// browser), missing chain files a real 404. Embeds get `index.html` by a `rewrite … break`, not
/// `try_files`, whose internal redirect would land in `location /` and take the app's framing
/// headers.
fn nginx_snippet(policy: &str) -> String {
    let common = format!(
        "    add_header Content-Security-Policy \"{policy}\" always;\n    add_header X-Content-Type-Options nosniff always;\n    add_header Referrer-Policy no-referrer always;\n"
    );
    let app = format!(
        "{common}    add_header Content-Security-Policy \"frame-ancestors 'none'\" always;\n    add_header X-Frame-Options DENY always;\n"
    );
    let embed = format!("{common}    add_header Content-Security-Policy \"frame-ancestors *\" always;\n");
    format!(
        "# Written by `cargo xtask dist`: include inside a `server {{ root /path/to/this/folder; … }}` block.\n\
         index index.html;\n\
         location = /_headers {{ return 404; }}\n\
         location = /{NGINX_SNIPPET} {{ return 404; }}\n\
         location /chain-specs/ {{\n{common}    add_header Cache-Control no-cache;\n    try_files $uri =404;\n}}\n\
         location ~ \"-[0-9a-f]{{1,16}}(_bg\\.wasm|\\.js|\\.css)$\" {{\n{common}    add_header Cache-Control \"public, max-age=31536000, immutable\";\n    try_files $uri =404;\n}}\n\
         location /embed/ {{\n{embed}    add_header Cache-Control no-cache;\n    rewrite ^ /index.html break;\n}}\n\
         location / {{\n{app}    add_header Cache-Control no-cache;\n    try_files $uri /index.html;\n}}\n"
    )
}

/// Where `cargo xtask test` builds the site it serves with nginx.
pub fn test_site_dir() -> PathBuf {
    paths::repo_root().join("target").join("dist-site")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_multiaddrs_become_origins_and_the_rest_is_skipped() {
        let cases = [
            ("/ip4/127.0.0.1/tcp/30333/ws/p2p/12D3Koo", Some("ws://127.0.0.1:30333")),
            (
                "/dns/boot.example/tcp/443/wss/p2p/12D3Koo",
                Some("wss://boot.example:443"),
            ),
            (
                "/dns4/boot.example/tcp/443/tls/ws/p2p/12D3Koo",
                Some("wss://boot.example:443"),
            ),
            ("/ip6/::1/tcp/30333/ws", Some("ws://[::1]:30333")),
            ("/ip4/1.2.3.4/tcp/30333/p2p/12D3Koo", None),
            ("/ip4/1.2.3.4/udp/30333/webrtc-direct", None),
            ("not a multiaddr", None),
        ];
        for (address, origin) in cases {
            assert_eq!(websocket_origin(address).as_deref(), origin, "{address}");
        }
    }

    #[test]
    fn connect_sources_list_peers_rpc_nodes_and_local_nodes_once() {
        let sources = connect_sources(
            &[
                "/dns/boot.example/tcp/443/wss/p2p/A".into(),
                "/dns/boot.example/tcp/443/wss/p2p/B".into(),
            ],
            &[
                "wss://entrypoint.example:443/path".into(),
                "https://not-a-websocket".into(),
            ],
        );
        assert_eq!(
            sources,
            [
                "'self'",
                "wss://boot.example:443",
                "wss://entrypoint.example:443",
                "ws://127.0.0.1:*",
                "ws://localhost:*",
                "wss://127.0.0.1:*",
                "wss://localhost:*",
            ]
        );
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        // sha256("") and sha256("abc"), base64: standard test vectors.
        let html = "<script type=\"module\"></script><script src=\"/a.js\"></script><script>abc</script>";
        assert_eq!(
            inline_script_hashes(html),
            [
                "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
                "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='",
            ]
        );
    }

    fn manifest() -> Value {
        serde_json::json!({
            "default": "devnet",
            "chains": [
                { "id": "devnet", "spec": "/chain-specs/devnet.json" },
                { "id": "finney", "facts": {}, "checkpoint": "/chain-specs/finney.checkpoint.json" },
            ]
        })
    }

    #[test]
    fn the_manifest_keeps_the_chosen_chain_and_chains_whose_files_ship() {
        let mut only_checkpoint = manifest();
        let kept = trim_manifest(&mut only_checkpoint, "finney", |file| file.ends_with("checkpoint.json")).unwrap();
        assert_eq!(kept, ["finney"]);
        assert_eq!(only_checkpoint["default"], "finney");
        let mut everything = manifest();
        assert_eq!(
            trim_manifest(&mut everything, "devnet", |_| true).unwrap(),
            ["devnet", "finney"]
        );
        assert_eq!(everything["default"], "devnet");
    }

    #[test]
    fn a_chosen_chain_without_its_files_or_unknown_is_refused_by_name() {
        let missing = trim_manifest(&mut manifest(), "devnet", |_| false).unwrap_err();
        assert!(
            missing.starts_with("devnet's /chain-specs/devnet.json is not among the app's files; pass it with --spec"),
            "{missing}"
        );
        let unknown = trim_manifest(&mut manifest(), "kusama", |_| true).unwrap_err();
        assert_eq!(
            unknown,
            "no chain \"kusama\" in public/chain-specs/index.json (it lists devnet, finney)"
        );
    }

    #[test]
    fn app_routes_refuse_framing_and_embeds_allow_it() {
        let headers = headers_file("default-src 'self'");
        assert!(
            headers.contains("/*\n  Content-Security-Policy: default-src 'self'\n"),
            "{headers}"
        );
        assert!(
            headers
                .contains("/subnets/*\n  Content-Security-Policy: frame-ancestors 'none'\n  X-Frame-Options: DENY\n")
        );
        assert!(headers.ends_with("/embed/*\n  Content-Security-Policy: frame-ancestors *\n"));
        let nginx = nginx_snippet("default-src 'self'");
        let embed = nginx
            .split("location /embed/ {")
            .nth(1)
            .unwrap()
            .split('}')
            .next()
            .unwrap();
        assert!(
            embed.contains("frame-ancestors *") && !embed.contains("X-Frame-Options"),
            "{embed}"
        );
        let app = nginx.split("location / {").nth(1).unwrap();
        assert!(
            app.contains("frame-ancestors 'none'") && app.contains("X-Frame-Options DENY"),
            "{app}"
        );
    }

    #[test]
    fn a_folder_with_other_files_is_refused() {
        let dir = std::env::temp_dir().join(format!("taoscope-dist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(refuse_foreign_folder(&dir).is_ok(), "empty");
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(refuse_foreign_folder(&dir).unwrap_err().contains("is not empty"));
        std::fs::write(dir.join("_headers"), "").unwrap();
        std::fs::write(dir.join("index.html"), "").unwrap();
        assert!(refuse_foreign_folder(&dir).is_ok(), "an earlier build");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
