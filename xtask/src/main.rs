//! `cargo xtask …`: the project's commands. `serve` builds and serves the app, `test` runs the whole
//! suite, `bench` prints benchmarks, `devnet` runs the local chain, `checkpoint` writes a light-client
//! checkpoint from a node's RPC, `dist` builds the static site. Each installs what it needs first (see `bootstrap`).

mod bench;
mod bootstrap;
#[cfg(test)]
mod checks;
mod cli;
mod dist;
mod loader;
mod paths;
mod shell;
mod signals;
mod static_server;
mod suite;
mod tally;

use std::process::ExitCode;

use cli::Command;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Serve(options) => suite::serve(&options),
        Command::Test(options) => suite::test(&options),
        Command::Devnet(options) => suite::devnet(&options),
        Command::Bench => bench::bench(),
        Command::Checkpoint(options) => suite::checkpoint(&options),
        Command::Dist(options) => dist::dist(&options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
