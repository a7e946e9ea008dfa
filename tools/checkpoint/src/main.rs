//! `taoscope-checkpoint --rpc URL --out FILE [--finney-spec FILE]`: reads a node's latest finalized
//! block (header, Aura authorities and slot duration, GRANDPA set id and authorities) over its
//! JSON-RPC WebSocket and writes it as a smoldot database that the light client accepts at start;
//! with `--finney-spec`, also finney's chain spec from the project's facts and the node's genesis
//! state root (refused unless the node serves finney). Run through `cargo xtask checkpoint`.
//!
//! `taoscope-checkpoint --from-published FILE --out FILE`: converts finney's published GRANDPA
//! warp-sync checkpoint (the JSON of `../shared/chain/finney-checkpoint.json`) into the same
//! database, naming its source; this is how `public/chain-specs/finney.checkpoint.json` is made.

use std::process::ExitCode;

use light_client::{chain_spec, checkpoint, platform};

const USAGE: &str = "usage: taoscope-checkpoint --rpc ws://host:port --out FILE [--finney-spec FILE]\n       \
                     taoscope-checkpoint --from-published PUBLISHED.json --out FILE";

#[derive(Debug, PartialEq, Eq)]
enum Args {
    /// Read the checkpoint from a node.
    Rpc {
        rpc: String,
        out: String,
        finney_spec: Option<String>,
    },
    /// Convert finney's published checkpoint.
    Published { from: String, out: String },
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut rpc, mut out, mut finney_spec, mut from) = (None, None, None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rpc" => rpc = Some(args.next().ok_or("--rpc needs a URL")?),
            "--out" => out = Some(args.next().ok_or("--out needs a file")?),
            "--finney-spec" => finney_spec = Some(args.next().ok_or("--finney-spec needs a file")?),
            "--from-published" => from = Some(args.next().ok_or("--from-published needs a file")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (rpc, from, out) {
        (Some(_), Some(_), _) => Err("--rpc and --from-published are two ways in: give one".into()),
        (None, Some(_), _) if finney_spec.is_some() => {
            Err("--finney-spec needs a node (--rpc): a published checkpoint has no genesis state root".into())
        }
        (None, Some(from), Some(out)) => Ok(Args::Published { from, out }),
        (Some(rpc), None, Some(out)) => Ok(Args::Rpc { rpc, out, finney_spec }),
        (None, None, _) => Err("--rpc or --from-published is required".into()),
        (_, _, None) => Err("--out is required".into()),
    }
}

/// The checkpoint's text from a node, writing finney's spec too if asked.
fn from_rpc(rpc: &str, finney_spec: Option<String>) -> Result<String, String> {
    let state = platform::block_on(checkpoint::read_finalized_state(rpc)).map_err(|error| error.to_string())?;
    let text = checkpoint::encode(&state).map_err(|error| error.to_string())?;
    if let Some(file) = finney_spec {
        let spec = chain_spec::from_facts(&chain_spec::FINNEY, &state.genesis_state_root)
            .map_err(|error| format!("this node does not serve finney: {error}"))?;
        std::fs::write(&file, spec).map_err(|error| format!("writing {file}: {error}"))?;
        println!("finney chain spec -> {file}");
    }
    Ok(text)
}

/// The checkpoint's text converted from finney's published checkpoint in `file`.
fn from_published(file: &str) -> Result<String, String> {
    let json = std::fs::read_to_string(file).map_err(|error| format!("reading {file}: {error}"))?;
    let published = checkpoint::PublishedCheckpoint::from_json(&json)
        .map_err(|error| format!("{file} is not a usable published checkpoint: {error}"))?;
    let text = checkpoint::from_published(&published, &chain_spec::FINNEY, checkpoint::FINNEY_SLOT_DURATION_MS)
        .map_err(|error| format!("{file} does not convert: {error}"))?;
    let source = &published.source;
    println!(
        "converting {}'s {} at {} ({})",
        source.repository, source.path, source.commit, source.field
    );
    Ok(text)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("{error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (made, out) = match args {
        Args::Rpc { rpc, out, finney_spec } => (from_rpc(&rpc, finney_spec), out),
        Args::Published { from, out } => (from_published(&from), out),
    };
    let text = match made {
        Ok(text) => text,
        Err(error) => {
            eprintln!("checkpoint: {error}");
            return ExitCode::FAILURE;
        }
    };
    let summary = match checkpoint::summarize(&text) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("checkpoint: the encoded checkpoint does not read back: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::write(&out, &text) {
        eprintln!("checkpoint: writing {out}: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "checkpoint of {} at finalized #{} ({}): GRANDPA set {} with {} authorities, {} Aura authorities -> {out}",
        summary.genesis_hash,
        summary.block_number,
        summary.block_hash,
        summary.grandpa_set_id,
        summary.grandpa_authorities.len(),
        summary.aura_authorities.len()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn needs_a_way_in_and_an_output() {
        assert_eq!(
            parse(args(&["--rpc", "ws://a", "--out", "f"])),
            Ok(Args::Rpc {
                rpc: "ws://a".into(),
                out: "f".into(),
                finney_spec: None
            })
        );
        assert!(matches!(
            parse(args(&["--out", "f", "--rpc", "ws://a", "--finney-spec", "s"])),
            Ok(Args::Rpc { finney_spec: Some(spec), .. }) if spec == "s"
        ));
        assert_eq!(parse(args(&["--rpc", "ws://a"])), Err("--out is required".into()));
        assert_eq!(parse(args(&["--out"])), Err("--out needs a file".into()));
        assert_eq!(parse(args(&["--bogus"])), Err("unknown argument \"--bogus\"".into()));
    }

    #[test]
    fn converts_a_published_checkpoint_alone() {
        assert_eq!(
            parse(args(&["--from-published", "p.json", "--out", "f"])),
            Ok(Args::Published {
                from: "p.json".into(),
                out: "f".into()
            })
        );
        assert_eq!(
            parse(args(&["--from-published", "p.json"])),
            Err("--out is required".into())
        );
        assert_eq!(
            parse(args(&["--from-published"])),
            Err("--from-published needs a file".into())
        );
        assert_eq!(
            parse(args(&["--from-published", "p.json", "--rpc", "ws://a", "--out", "f"])),
            Err("--rpc and --from-published are two ways in: give one".into())
        );
        assert!(matches!(
            parse(args(&[
                "--from-published",
                "p.json",
                "--finney-spec",
                "s",
                "--out",
                "f"
            ])),
            Err(message) if message.starts_with("--finney-spec needs a node")
        ));
    }

    #[test]
    fn an_unusable_published_file_is_named() {
        let error = from_published("/nonexistent/finney-checkpoint.json").expect_err("no file");
        assert!(error.contains("/nonexistent/finney-checkpoint.json"), "{error}");
        let dir = std::env::temp_dir().join(format!("taoscope-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.json");
        std::fs::write(&file, r#"{"genesisHash": "0x00"}"#).unwrap();
        let error = from_published(file.to_str().unwrap()).expect_err("not a checkpoint");
        assert!(error.contains("not a usable published checkpoint"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
