//! `taoscope-checkpoint --rpc URL --out FILE`: reads a node's latest finalized block (header, Aura
//! authorities and slot duration, GRANDPA set id and authorities) over its JSON-RPC WebSocket and
//! writes it as a smoldot database that the light client accepts at start. Run through
//! `cargo xtask checkpoint`.

use std::process::ExitCode;

use light_client::{checkpoint, platform};

const USAGE: &str = "usage: taoscope-checkpoint --rpc ws://host:port --out FILE";

fn parse(mut args: impl Iterator<Item = String>) -> Result<(String, String), String> {
    let (mut rpc, mut out) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rpc" => rpc = Some(args.next().ok_or("--rpc needs a URL")?),
            "--out" => out = Some(args.next().ok_or("--out needs a file")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (rpc, out) {
        (Some(rpc), Some(out)) => Ok((rpc, out)),
        _ => Err("both --rpc and --out are required".into()),
    }
}

fn main() -> ExitCode {
    let (rpc, out) = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("{error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let built = platform::block_on(checkpoint::read_finalized_state(&rpc)).and_then(|state| checkpoint::encode(&state));
    let text = match built {
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
    fn needs_both_arguments() {
        assert_eq!(
            parse(args(&["--rpc", "ws://a", "--out", "f"])),
            Ok(("ws://a".into(), "f".into()))
        );
        assert!(parse(args(&["--rpc", "ws://a"])).is_err());
        assert!(parse(args(&["--out"])).is_err());
        assert!(parse(args(&["--bogus"])).is_err());
    }
}
