//! Command-line parsing for the xtask: subcommands and their options (tokenized by `lexopt`), with
//! one usage text that a test holds to what the parser accepts.

use devnet_runner::Preset;
use lexopt::{Arg, Parser};

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Print usage.
    Help,
    /// Build the app and serve it.
    Serve(ServeOptions),
    /// Run the whole suite.
    Test(TestOptions),
    /// Run the benchmarks.
    Bench,
    /// Start the local chain and keep it running.
    Devnet(DevnetOptions),
    /// Build a smoldot database checkpoint from a node's RPC (with `tools/checkpoint`).
    Checkpoint(CheckpointOptions),
    /// Build the static site for one chain.
    Dist(DistOptions),
}

/// Options of `cargo xtask devnet`.
#[derive(Debug, PartialEq, Eq)]
pub struct DevnetOptions {
    /// Genesis preset.
    pub preset: Preset,
    /// Number of nodes (1 to 3).
    pub nodes: u8,
    /// RPC port of the first node (a free one if absent).
    pub rpc_port: Option<u16>,
}

/// Options of `cargo xtask serve`.
#[derive(Debug, PartialEq, Eq)]
pub struct ServeOptions {
    /// Port to serve on, on 127.0.0.1.
    pub port: u16,
    /// Devnet genesis preset.
    pub preset: Preset,
    /// Devnet nodes.
    pub nodes: u8,
    /// The chain the page opens on (a manifest id); any but the devnet starts no local chain.
    pub chain: String,
}

/// Options of `cargo xtask dist`.
#[derive(Debug, PartialEq, Eq)]
pub struct DistOptions {
    /// The manifest id of the chain the site opens on.
    pub chain: String,
    /// The folder to write (created; refused if it holds anything but an earlier build).
    pub out: String,
    /// The chain's spec file, for a chain whose spec is not among the app's files (the devnet's).
    pub spec: Option<String>,
}

/// Options of `cargo xtask test`.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct TestOptions {
    /// Skip the headless-Chromium tests (for a quick inner loop; CI never sets this).
    pub skip_browser: bool,
}

/// Options of `cargo xtask checkpoint` (passed on to `tools/checkpoint`, which checks the URL).
#[derive(Debug, PartialEq, Eq)]
pub struct CheckpointOptions {
    /// The node's JSON-RPC WebSocket, `ws://HOST:PORT`.
    pub rpc: String,
    /// Where the checkpoint is written.
    pub out: String,
    /// Where finney's chain spec is written, if wanted.
    pub finney_spec: Option<String>,
}

pub const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N] [--preset small|finney-scale] [--nodes 1|2|3] [--chain devnet|finney]
                          build the app, start the devnet, serve on http://127.0.0.1:N (8080)
                          until Ctrl-C or SIGTERM, which also stop the devnet; with --chain
                          finney no devnet: the page syncs finney from its ws boot nodes
  dist --chain devnet|finney --out DIR [--spec FILE]
                          a static site in DIR for any static host, opening on that chain: the
                          release build, the chain files, _headers and an nginx snippet (CSP,
                          framing); --spec ships a spec the app does not have (the devnet's)
  test [--skip-browser]   the whole suite: fmt, clippy (native + wasm32), unit and integration
                          tests, browser tests in headless Chromium; ends with each tier's time
                          and a count line
  bench                   benchmarks (print numbers, never pass/fail)
  devnet [--preset small|finney-scale] [--nodes 1|2|3] [--rpc-port N]
                          build (once, cached) and run the local chain until Ctrl-C or SIGTERM
  checkpoint --rpc ws://HOST:PORT --out FILE [--finney-spec FILE]
                          write a light-client checkpoint (finalized header, Aura and GRANDPA
                          authorities, GRANDPA set id) read from a node's JSON-RPC WebSocket, and
                          with --finney-spec finney's chain spec (refused unless the node is finney's)
  help, --help, -h        this text

Missing tools (wasm target, trunk, wasm-bindgen-cli, Chromium, npm packages) are installed on first
use into ~/.cache/taoscope (override with TAOSCOPE_CACHE).";

/// Parses the arguments after `cargo xtask`. Every error names the argument as the user typed it.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut parser = Parser::from_args(args);
    let command = match parser.next().map_err(|error| error.to_string())? {
        None => return Ok(Command::Help),
        Some(Arg::Value(name)) => name.to_string_lossy().into_owned(),
        Some(Arg::Long("help") | Arg::Short('h')) => "help".to_string(),
        Some(option) => return Err(format!("unknown command: {}", typed(&option))),
    };
    match command.as_str() {
        "help" => no_options(&mut parser).map(|()| Command::Help),
        "serve" => serve(&mut parser).map(Command::Serve),
        "test" => test(&mut parser).map(Command::Test),
        "bench" => no_options(&mut parser).map(|()| Command::Bench),
        "devnet" => devnet(&mut parser).map(Command::Devnet),
        "checkpoint" => checkpoint(&mut parser).map(Command::Checkpoint),
        "dist" => dist(&mut parser).map(Command::Dist),
        other => Err(format!("unknown command: {other}")),
    }
}

fn serve(parser: &mut Parser) -> Result<ServeOptions, String> {
    let mut options = ServeOptions {
        port: 8080,
        preset: Preset::Small,
        nodes: 1,
        chain: "devnet".to_string(),
    };
    each_option(parser, |flag, parser| {
        match flag {
            "--port" => options.port = port(flag, parser)?,
            "--preset" => options.preset = preset(flag, parser)?,
            "--nodes" => options.nodes = nodes(flag, parser)?,
            "--chain" => options.chain = value(flag, parser)?,
            _ => return Err(format!("unknown option for serve: {flag}")),
        }
        Ok(())
    })?;
    Ok(options)
}

fn test(parser: &mut Parser) -> Result<TestOptions, String> {
    let mut options = TestOptions::default();
    each_option(parser, |flag, _| {
        match flag {
            "--skip-browser" => options.skip_browser = true,
            _ => return Err(format!("unknown option for test: {flag}")),
        }
        Ok(())
    })?;
    Ok(options)
}

fn devnet(parser: &mut Parser) -> Result<DevnetOptions, String> {
    let mut options = DevnetOptions {
        preset: Preset::Small,
        nodes: 1,
        rpc_port: None,
    };
    each_option(parser, |flag, parser| {
        match flag {
            "--preset" => options.preset = preset(flag, parser)?,
            "--nodes" => options.nodes = nodes(flag, parser)?,
            "--rpc-port" => options.rpc_port = Some(port(flag, parser)?),
            _ => return Err(format!("unknown option for devnet: {flag}")),
        }
        Ok(())
    })?;
    Ok(options)
}

fn checkpoint(parser: &mut Parser) -> Result<CheckpointOptions, String> {
    let (mut rpc, mut out, mut finney_spec) = (None, None, None);
    each_option(parser, |flag, parser| {
        match flag {
            "--rpc" => rpc = Some(value(flag, parser)?),
            "--out" => out = Some(value(flag, parser)?),
            "--finney-spec" => finney_spec = Some(value(flag, parser)?),
            _ => return Err(format!("unknown option for checkpoint: {flag}")),
        }
        Ok(())
    })?;
    let rpc = rpc.ok_or("checkpoint needs --rpc ws://HOST:PORT")?;
    let out = out.ok_or("checkpoint needs --out FILE")?;
    Ok(CheckpointOptions { rpc, out, finney_spec })
}

fn dist(parser: &mut Parser) -> Result<DistOptions, String> {
    let (mut chain, mut out, mut spec) = (None, None, None);
    each_option(parser, |flag, parser| {
        match flag {
            "--chain" => chain = Some(value(flag, parser)?),
            "--out" => out = Some(value(flag, parser)?),
            "--spec" => spec = Some(value(flag, parser)?),
            _ => return Err(format!("unknown option for dist: {flag}")),
        }
        Ok(())
    })?;
    let chain = chain.ok_or("dist needs --chain NAME (an id in public/chain-specs/index.json)")?;
    let out = out.ok_or("dist needs --out DIR")?;
    Ok(DistOptions { chain, out, spec })
}

/// An option as typed (`--rpc-port`, `-x`), or a positional argument as it is.
fn typed(arg: &Arg<'_>) -> String {
    match arg {
        Arg::Long(name) => format!("--{name}"),
        Arg::Short(letter) => format!("-{letter}"),
        Arg::Value(value) => value.to_string_lossy().into_owned(),
    }
}

/// Hands every option, as typed, to `apply` (which takes its value from the parser); a positional
/// argument is an error. The flag `apply` sees is the one its errors name, so they cannot differ.
fn each_option(
    parser: &mut Parser,
    mut apply: impl FnMut(&str, &mut Parser) -> Result<(), String>,
) -> Result<(), String> {
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        if let Arg::Value(_) = arg {
            return Err(format!("unexpected argument: {}", typed(&arg)));
        }
        let flag = typed(&arg);
        apply(&flag, parser)?;
    }
    Ok(())
}

fn no_options(parser: &mut Parser) -> Result<(), String> {
    match parser.next().map_err(|error| error.to_string())? {
        Some(arg) => Err(format!("unexpected argument: {}", typed(&arg))),
        None => Ok(()),
    }
}

/// The value after `flag` (or after `flag=`).
fn value(flag: &str, parser: &mut Parser) -> Result<String, String> {
    match parser.value() {
        Ok(value) => Ok(value.to_string_lossy().into_owned()),
        Err(lexopt::Error::MissingValue { .. }) => Err(format!("{flag} needs a value")),
        Err(error) => Err(error.to_string()),
    }
}

fn nodes(flag: &str, parser: &mut Parser) -> Result<u8, String> {
    let value = value(flag, parser)?;
    match value.as_str() {
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        _ => Err(format!("{flag} takes 1, 2 or 3, not {value:?}")),
    }
}

fn port(flag: &str, parser: &mut Parser) -> Result<u16, String> {
    let value = value(flag, parser)?;
    match value.parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(format!("{flag} takes a port number from 1 to 65535, not {value:?}")),
    }
}

fn preset(flag: &str, parser: &mut Parser) -> Result<Preset, String> {
    value(flag, parser)?.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(args: &[&str], expected: Result<Command, &str>) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        assert_eq!(parse(&args), expected.map_err(str::to_string), "{args:?}");
    }

    #[test]
    fn commands_and_options() {
        check(&[], Ok(Command::Help));
        check(&["--help"], Ok(Command::Help));
        let serve = |port| ServeOptions {
            port,
            preset: Preset::Small,
            nodes: 1,
            chain: "devnet".into(),
        };
        check(&["serve"], Ok(Command::Serve(serve(8080))));
        check(&["serve", "--port", "9000"], Ok(Command::Serve(serve(9000))));
        check(&["serve", "--port=9000"], Ok(Command::Serve(serve(9000))));
        check(
            &["test", "--skip-browser"],
            Ok(Command::Test(TestOptions { skip_browser: true })),
        );
        check(&["bench"], Ok(Command::Bench));
        check(
            &["dist", "--chain", "finney", "--out", "site"],
            Ok(Command::Dist(DistOptions {
                chain: "finney".into(),
                out: "site".into(),
                spec: None,
            })),
        );
        check(
            &["checkpoint", "--rpc", "ws://h", "--out", "f"],
            Ok(Command::Checkpoint(CheckpointOptions {
                rpc: "ws://h".into(),
                out: "f".into(),
                finney_spec: None,
            })),
        );
        check(
            &["devnet", "--preset", "finney-scale", "--nodes", "3"],
            Ok(Command::Devnet(DevnetOptions {
                preset: Preset::FinneyScale,
                nodes: 3,
                rpc_port: None,
            })),
        );
    }

    #[test]
    fn bad_input_is_named() {
        check(&["deploy"], Err("unknown command: deploy"));
        check(&["--deploy"], Err("unknown command: --deploy"));
        check(&["serve", "--prot", "1"], Err("unknown option for serve: --prot"));
        check(&["serve", "-p", "1"], Err("unknown option for serve: -p"));
        check(&["serve", "--port"], Err("--port needs a value"));
        check(
            &["serve", "--port", "http"],
            Err("--port takes a port number from 1 to 65535, not \"http\""),
        );
        check(&["serve", "now"], Err("unexpected argument: now"));
        check(&["bench", "now"], Err("unexpected argument: now"));
        check(
            &["devnet", "--preset", "huge"],
            Err("unknown preset \"huge\" (choose small or finney-scale)"),
        );
        check(&["devnet", "--nodes", "4"], Err("--nodes takes 1, 2 or 3, not \"4\""));
        check(
            &["checkpoint", "--out", "f"],
            Err("checkpoint needs --rpc ws://HOST:PORT"),
        );
        check(&["checkpoint", "--rpc", "ws://h"], Err("checkpoint needs --out FILE"));
        check(
            &["dist", "--out", "site"],
            Err("dist needs --chain NAME (an id in public/chain-specs/index.json)"),
        );
        check(&["dist", "--chain", "devnet"], Err("dist needs --out DIR"));
        check(&["dist", "--chain"], Err("--chain needs a value"));
        check(
            &["checkpoint", "--rpc", "ws://h", "--port", "1"],
            Err("unknown option for checkpoint: --port"),
        );
        check(
            &["test", "--skip-browser=yes"],
            Err("unexpected argument for option '--skip-browser': \"yes\""),
        );
    }

    /// The bug lexopt's rewrite fixed: errors about `--rpc-port` used to say `--port`.
    #[test]
    fn errors_name_the_flag_that_was_typed() {
        check(&["devnet", "--rpc-port"], Err("--rpc-port needs a value"));
        check(
            &["devnet", "--rpc-port", "0"],
            Err("--rpc-port takes a port number from 1 to 65535, not \"0\""),
        );
        check(
            &["devnet", "--rpc-port=x"],
            Err("--rpc-port takes a port number from 1 to 65535, not \"x\""),
        );
        check(&["serve", "--nodes"], Err("--nodes needs a value"));
        check(&["devnet", "--preset"], Err("--preset needs a value"));
        check(&["checkpoint", "--finney-spec"], Err("--finney-spec needs a value"));
        check(&["checkpoint", "--rpc"], Err("--rpc needs a value"));
    }

    /// The synopses in USAGE's command list ("serve [--port N] …"), split where the description
    /// column starts; "a, b" lists two spellings of one command.
    fn usage_synopses() -> Vec<String> {
        let commands = USAGE.split_once("commands:\n").expect("USAGE has a command list").1;
        commands
            .lines()
            .take_while(|line| !line.is_empty())
            .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
            .flat_map(|line| {
                let synopsis = line.trim_start().split("  ").next().unwrap_or_default();
                synopsis.split(", ").map(str::to_string).collect::<Vec<_>>()
            })
            .collect()
    }

    /// A value for a USAGE placeholder, other than the option's default: the last of `a|b|c`.
    fn example(placeholder: &str) -> &str {
        match placeholder {
            "N" => "9000",
            "ws://HOST:PORT" => "ws://127.0.0.1:9944",
            "FILE" => "out.json",
            "DIR" => "site",
            choices if choices.contains('|') => choices.rsplit('|').next().unwrap_or_default(),
            other => panic!("USAGE uses a placeholder this test does not know: {other}"),
        }
    }

    /// Splits a synopsis into its command and its options, each with its placeholder if it takes one.
    fn options_of(synopsis: &str) -> (String, Vec<(String, Option<String>)>) {
        let words: Vec<&str> = synopsis.split_whitespace().collect();
        let mut options = Vec::new();
        let mut index = 1;
        while index < words.len() {
            let word = words[index];
            let flag = word.trim_start_matches('[').trim_end_matches(']');
            assert!(flag.starts_with('-'), "{synopsis:?}: {word:?} is not an option");
            let next = words
                .get(index + 1)
                .filter(|next| !word.ends_with(']') && !next.starts_with(['[', '-']));
            options.push((flag.to_string(), next.map(|n| n.trim_end_matches(']').to_string())));
            index += if next.is_some() { 2 } else { 1 };
        }
        (words[0].to_string(), options)
    }

    /// USAGE and the parser cannot drift: each synopsis, driven with a non-default value for
    /// every option, must parse to options that all differ from their defaults. An option the
    /// parser accepts but USAGE omits leaves its field at the default and fails the comparison;
    /// one USAGE names but the parser refuses fails to parse.
    #[test]
    fn usage_names_every_command_and_option() {
        let mut parsed = Vec::new();
        for synopsis in usage_synopses() {
            let (command, options) = options_of(&synopsis);
            let mut args = vec![command.clone()];
            for (flag, placeholder) in &options {
                args.push(flag.clone());
                args.extend(placeholder.as_deref().map(|p| example(p).to_string()));
            }
            // Every listed choice parses, in place of the example value.
            for (flag, placeholder) in &options {
                let position = args.iter().position(|arg| arg == flag).expect("pushed above") + 1;
                for choice in placeholder
                    .iter()
                    .filter(|p| p.contains('|'))
                    .flat_map(|p| p.split('|'))
                {
                    let mut single = args.clone();
                    single[position] = choice.to_string();
                    assert!(parse(&single).is_ok(), "{single:?} is in USAGE but does not parse");
                }
            }
            parsed.push(parse(&args).unwrap_or_else(|error| panic!("{args:?} (from USAGE): {error}")));
        }
        assert_eq!(
            parsed,
            [
                Command::Serve(ServeOptions {
                    port: 9000,
                    preset: Preset::FinneyScale,
                    nodes: 3,
                    chain: "finney".into(),
                }),
                Command::Dist(DistOptions {
                    chain: "finney".into(),
                    out: "site".into(),
                    spec: Some("out.json".into()),
                }),
                Command::Test(TestOptions { skip_browser: true }),
                Command::Bench,
                Command::Devnet(DevnetOptions {
                    preset: Preset::FinneyScale,
                    nodes: 3,
                    rpc_port: Some(9000),
                }),
                Command::Checkpoint(CheckpointOptions {
                    rpc: "ws://127.0.0.1:9944".into(),
                    out: "out.json".into(),
                    finney_spec: Some("out.json".into()),
                }),
                Command::Help,
                Command::Help,
                Command::Help,
            ]
        );
    }

    /// README's options table has one row per command, naming exactly the options USAGE names.
    #[test]
    fn readme_options_table_matches_usage() {
        let readme = std::fs::read_to_string(crate::paths::repo_root().join("README.md")).unwrap();
        for synopsis in usage_synopses() {
            let (command, options) = options_of(&synopsis);
            if command.starts_with('-') || command == "help" {
                continue;
            }
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `cargo xtask {command}` |")))
                .unwrap_or_else(|| panic!("README's options table has no row for {command}"));
            let mut documented: Vec<&str> = row
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter(|word| word.starts_with("--"))
                .collect();
            documented.sort_unstable();
            documented.dedup();
            let mut listed: Vec<String> = options.into_iter().map(|(flag, _)| flag).collect();
            listed.sort_unstable();
            assert_eq!(documented, listed, "README's row for {command} against USAGE");
        }
    }

    #[test]
    fn usage_lists_every_preset() {
        let mut seen = 0;
        for synopsis in usage_synopses() {
            for (flag, placeholder) in options_of(&synopsis).1 {
                if flag == "--preset" {
                    seen += 1;
                    let choices: Vec<&str> = placeholder.as_deref().unwrap_or_default().split('|').collect();
                    let names: Vec<&str> = Preset::ALL.iter().map(|preset| preset.name()).collect();
                    assert_eq!(choices, names, "{synopsis}");
                }
            }
        }
        assert_eq!(seen, 2, "serve and devnet take --preset");
    }
}
