//! Command line: sc-cli's node options plus the devnet's own subcommands.

use crate::chain_spec::Preset;

/// Subcommands beside running the node.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Write the devnet's chain spec (raw by default), with bootnodes filled in.
    ChainSpec(ChainSpecCmd),
    /// Root-only changes to a running devnet (identities, neurons, forced GRANDPA changes).
    Admin(crate::admin::AdminCmd),
    /// Key management (node keys, peer ids).
    #[command(subcommand)]
    Key(sc_cli::KeySubcommand),
}

/// `chain-spec`: the devnet spec for one preset and authority count.
#[derive(Debug, clap::Parser)]
pub struct ChainSpecCmd {
    /// Genesis preset: `small` (4 subnets, short tempo) or `finney-scale` (128 subnets × 256 uids).
    #[arg(long, default_value = "small", value_parser = str::parse::<Preset>)]
    pub preset: Preset,
    /// Number of authorities (Alice, Bob, Charlie), 1 to 3; must equal the number of nodes.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub authorities: u8,
    /// Bootnode multiaddrs (with /p2p/<peer id>) to write into the spec.
    #[arg(long)]
    pub bootnode: Vec<String>,
    /// Write the human-readable (non-raw) form.
    #[arg(long)]
    pub plain: bool,
    /// Output file (stdout if absent).
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// The devnet node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
    #[command(subcommand)]
    pub subcommand: Option<Subcommand>,
    #[clap(flatten)]
    pub run: sc_cli::RunCmd,
}
