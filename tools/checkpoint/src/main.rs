//! `taoscope-checkpoint --rpc URL --out FILE [--finney-spec FILE]`: reads a node's latest finalized
//! block (header, Aura authorities and slot duration, GRANDPA set id and authorities) over its
//! JSON-RPC WebSocket and writes it as a smoldot database that the light client accepts at start;
//! with `--finney-spec`, also finney's chain spec from the project's facts and the node's genesis
//! state root (refused unless the node serves finney). Run through `cargo xtask checkpoint`.

use std::process::ExitCode;

use light_client::{chain_spec, checkpoint, platform};

const USAGE: &str = "usage: taoscope-checkpoint --rpc ws://host:port --out FILE [--finney-spec FILE]";

#[derive(Debug, PartialEq, Eq)]
struct Args {
    rpc: String,
    out: String,
    finney_spec: Option<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut rpc, mut out, mut finney_spec) = (None, None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rpc" => rpc = Some(args.next().ok_or("--rpc needs a URL")?),
            "--out" => out = Some(args.next().ok_or("--out needs a file")?),
            "--finney-spec" => finney_spec = Some(args.next().ok_or("--finney-spec needs a file")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (rpc, out) {
        (Some(rpc), Some(out)) => Ok(Args { rpc, out, finney_spec }),
        _ => Err("both --rpc and --out are required".into()),
    }
}

fn main() -> ExitCode {
    let Args { rpc, out, finney_spec } = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("{error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let state = match platform::block_on(checkpoint::read_finalized_state(&rpc)) {
        Ok(state) => state,
        Err(error) => {
            eprintln!("checkpoint: {error}");
            return ExitCode::FAILURE;
        }
    };
    let text = match checkpoint::encode(&state) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("checkpoint: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(file) = finney_spec {
        let written = chain_spec::from_facts(&chain_spec::FINNEY, &state.genesis_state_root)
            .map_err(|error| format!("this node does not serve finney: {error}"))
            .and_then(|spec| std::fs::write(&file, spec).map_err(|error| format!("writing {file}: {error}")));
        match written {
            Ok(()) => println!("finney chain spec -> {file}"),
            Err(error) => {
                eprintln!("checkpoint: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
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
    fn needs_both_arguments() {
        assert_eq!(
            parse(args(&["--rpc", "ws://a", "--out", "f"])),
            Ok(Args {
                rpc: "ws://a".into(),
                out: "f".into(),
                finney_spec: None
            })
        );
        assert_eq!(
            parse(args(&["--out", "f", "--rpc", "ws://a", "--finney-spec", "s"])).map(|a| a.finney_spec),
            Ok(Some("s".into()))
        );
        assert!(parse(args(&["--rpc", "ws://a"])).is_err());
        assert!(parse(args(&["--out"])).is_err());
        assert!(parse(args(&["--bogus"])).is_err());
    }
}
