//! Dispatches the command line: run the node, or one of the subcommands.

use crate::{
    chain_spec::{self, Preset},
    cli::{Cli, Subcommand},
    service,
};
use sc_cli::SubstrateCli;

impl SubstrateCli for Cli {
    fn impl_name() -> String {
        "Taoscope devnet node".into()
    }
    fn impl_version() -> String {
        env!("SUBSTRATE_CLI_IMPL_VERSION").into()
    }
    fn description() -> String {
        env!("CARGO_PKG_DESCRIPTION").into()
    }
    fn author() -> String {
        "Taoscope".into()
    }
    fn support_url() -> String {
        "see the Taoscope README".into()
    }
    fn copyright_start_year() -> i32 {
        2026
    }
    fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
        Ok(match id {
            "" | "dev" => Box::new(chain_spec::devnet(Preset::Small, 1, &[])?),
            name => match name.parse::<Preset>() {
                Ok(preset) => Box::new(chain_spec::devnet(preset, 1, &[])?),
                Err(_) => Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(name))?),
            },
        })
    }
}

/// Parses the command line and runs it.
pub fn run() -> sc_cli::Result<()> {
    let cli = Cli::from_args();
    match &cli.subcommand {
        Some(Subcommand::Key(cmd)) => cmd.run(&cli),
        Some(Subcommand::Admin(cmd)) => crate::admin::run(cmd).map_err(Into::into),
        Some(Subcommand::ChainSpec(cmd)) => {
            let spec = chain_spec::devnet(cmd.preset, cmd.authorities, &cmd.bootnode)?;
            let json = sc_service::ChainSpec::as_json(&spec, !cmd.plain)?;
            match &cmd.out {
                Some(path) => std::fs::write(path, json)
                    .map_err(|error| format!("writing {}: {error}", path.display()).into()),
                None => {
                    println!("{json}");
                    Ok(())
                }
            }
        }
        None => {
            let runner = cli.create_runner(&cli.run)?;
            runner.run_node_until_exit(|config| async move {
                service::new_full(config).map_err(sc_cli::Error::Service)
            })
        }
    }
}
