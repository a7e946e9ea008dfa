//! Command-line parsing for the xtask: subcommands and their options, with one usage text.

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
    /// Build a smoldot database checkpoint from a node's RPC (arguments go to `tools/checkpoint`,
    /// which checks them).
    Checkpoint(Vec<String>),
}

/// Options of `cargo xtask devnet`.
#[derive(Debug, PartialEq, Eq)]
pub struct DevnetOptions {
    /// Genesis preset.
    pub preset: devnet_runner::Preset,
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
    pub preset: devnet_runner::Preset,
    /// Devnet nodes.
    pub nodes: u8,
}

/// Options of `cargo xtask test`.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct TestOptions {
    /// Skip the headless-Chromium tests (for a quick inner loop; CI never sets this).
    pub skip_browser: bool,
}

pub const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N] [--preset small|finney-scale] [--nodes 1|2|3]
                          build the app, start the devnet, serve on http://127.0.0.1:N (8080)
  test [--skip-browser]   the whole suite: fmt, clippy (native + wasm32), unit and integration
                          tests, browser tests in headless Chromium; ends with a count line
  bench                   benchmarks (print numbers, never pass/fail)
  devnet [--preset small|finney-scale] [--nodes 1|2|3] [--rpc-port N]
                          build (once, cached) and run the local chain until Ctrl-C
  checkpoint --rpc URL --out FILE
                          write a light-client checkpoint (finalized header, Aura and GRANDPA
                          authorities, GRANDPA set id) read from a node's JSON-RPC WebSocket
  help                    this text

Missing tools (wasm target, trunk, wasm-bindgen-cli, Chromium, npm packages) are installed on first
use into ~/.cache/taoscope (override with TAOSCOPE_CACHE).";

/// Parses the arguments after `cargo xtask`.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    match command.as_str() {
        "help" | "--help" | "-h" => no_options(rest).map(|()| Command::Help),
        "serve" => {
            let mut options = ServeOptions {
                port: 8080,
                preset: devnet_runner::Preset::Small,
                nodes: 1,
            };
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--port" => options.port = port_value(rest.next())?,
                    "--preset" => options.preset = rest.next().ok_or("--preset needs a value")?.parse()?,
                    "--nodes" => options.nodes = nodes_value(rest.next())?,
                    other => return Err(format!("unknown option for serve: {other}")),
                }
            }
            Ok(Command::Serve(options))
        }
        "test" => {
            let mut options = TestOptions::default();
            for arg in rest {
                match arg.as_str() {
                    "--skip-browser" => options.skip_browser = true,
                    other => return Err(format!("unknown option for test: {other}")),
                }
            }
            Ok(Command::Test(options))
        }
        "bench" => no_options(rest).map(|()| Command::Bench),
        "devnet" => {
            let mut options = DevnetOptions {
                preset: devnet_runner::Preset::Small,
                nodes: 1,
                rpc_port: None,
            };
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--preset" => options.preset = rest.next().ok_or("--preset needs a value")?.parse()?,
                    "--nodes" => options.nodes = nodes_value(rest.next())?,
                    "--rpc-port" => options.rpc_port = Some(port_value(rest.next())?),
                    other => return Err(format!("unknown option for devnet: {other}")),
                }
            }
            Ok(Command::Devnet(options))
        }
        "checkpoint" => Ok(Command::Checkpoint(rest.to_vec())),
        other => Err(format!("unknown command: {other}")),
    }
}

fn no_options(rest: &[String]) -> Result<(), String> {
    match rest.first() {
        Some(arg) => Err(format!("unexpected argument: {arg}")),
        None => Ok(()),
    }
}

fn nodes_value(value: Option<&String>) -> Result<u8, String> {
    match value.map(String::as_str) {
        Some("1") => Ok(1),
        Some("2") => Ok(2),
        Some("3") => Ok(3),
        other => Err(format!("--nodes takes 1, 2 or 3, not {other:?}")),
    }
}

fn port_value(value: Option<&String>) -> Result<u16, String> {
    let value = value.ok_or("--port needs a value")?;
    match value.parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(format!("--port takes a port number from 1 to 65535, not {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(args: &[&str], expected: Result<Command, &str>) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        assert_eq!(parse(&args), expected.map_err(str::to_string));
    }

    #[test]
    fn commands_and_options() {
        check(&[], Ok(Command::Help));
        let serve = |port| ServeOptions {
            port,
            preset: devnet_runner::Preset::Small,
            nodes: 1,
        };
        check(&["serve"], Ok(Command::Serve(serve(8080))));
        check(&["serve", "--port", "9000"], Ok(Command::Serve(serve(9000))));
        check(
            &["test", "--skip-browser"],
            Ok(Command::Test(TestOptions { skip_browser: true })),
        );
        check(&["bench"], Ok(Command::Bench));
        check(
            &["checkpoint", "--rpc", "ws://h", "--out", "f"],
            Ok(Command::Checkpoint(
                ["--rpc", "ws://h", "--out", "f"].map(String::from).to_vec(),
            )),
        );
        check(
            &["devnet", "--preset", "finney-scale", "--nodes", "3"],
            Ok(Command::Devnet(DevnetOptions {
                preset: devnet_runner::Preset::FinneyScale,
                nodes: 3,
                rpc_port: None,
            })),
        );
    }

    #[test]
    fn bad_input_is_named() {
        check(&["deploy"], Err("unknown command: deploy"));
        check(&["serve", "--prot", "1"], Err("unknown option for serve: --prot"));
        check(&["serve", "--port"], Err("--port needs a value"));
        check(
            &["serve", "--port", "http"],
            Err("--port takes a port number from 1 to 65535, not \"http\""),
        );
        check(&["bench", "now"], Err("unexpected argument: now"));
        check(
            &["devnet", "--preset", "huge"],
            Err("unknown preset \"huge\" (choose small or finney-scale)"),
        );
        check(
            &["devnet", "--nodes", "4"],
            Err("--nodes takes 1, 2 or 3, not Some(\"4\")"),
        );
    }
}
