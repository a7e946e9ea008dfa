//! The Taoscope devnet node: a Substrate node with Aura block production and GRANDPA finality (what
//! finney runs), serving the devnet runtime over libp2p (ws) and JSON-RPC.

mod admin;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
    command::run()
}
