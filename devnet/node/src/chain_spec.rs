//! The devnet's chain specs: presets of subtensor state and 1–3 authorities (Alice, Bob, Charlie).

use sc_service::ChainType;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use taoscope_devnet_runtime::WASM_BINARY;

/// The devnet's chain spec type (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Genesis state presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// 4 subnets of 24 uids, tempo 10 blocks: fast tests that see epochs. Subnet 2 runs two
    /// mechanisms, subnet 3 Null consensus, odd subnets' pools are not 50/50, and a fifth subnet
    /// is registered but not reportable.
    Small,
    /// 128 subnets plus root, 256 uids each (128 or 85 on the 2- and 3-mechanism subnets 2, 34,
    /// 66, 98), tempo 100: finney's scale for benchmarks.
    FinneyScale,
}

impl Preset {
    /// The name used on the command line and in `load_spec`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Small => "small",
            Preset::FinneyScale => "finney-scale",
        }
    }

    fn subtensor_genesis(self) -> serde_json::Value {
        match self {
            Preset::Small => serde_json::json!({
                "subnets": 4, "neuronsPerSubnet": 24, "maxValidators": 6, "tempo": 10, "seed": 42
            }),
            Preset::FinneyScale => serde_json::json!({
                "subnets": 128, "neuronsPerSubnet": 256, "maxValidators": 64, "tempo": 100, "seed": 42
            }),
        }
    }
}

const AUTHORITIES: [(Sr25519Keyring, Ed25519Keyring); 3] = [
    (Sr25519Keyring::Alice, Ed25519Keyring::Alice),
    (Sr25519Keyring::Bob, Ed25519Keyring::Bob),
    (Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
];

/// Builds the devnet spec for a preset with `authorities` validators and the given bootnodes.
pub fn devnet(preset: Preset, authorities: u8, bootnodes: &[String]) -> Result<ChainSpec, String> {
    let wasm = WASM_BINARY.ok_or("the devnet runtime's wasm was not built")?;
    let authorities = &AUTHORITIES[..usize::from(authorities.clamp(1, 3))];
    let aura: Vec<_> = authorities
        .iter()
        .map(|(sr, _)| sp_consensus_aura::sr25519::AuthorityId::from(sr.public()))
        .collect();
    let grandpa: Vec<_> = authorities
        .iter()
        .map(|(_, ed)| (sp_consensus_grandpa::AuthorityId::from(ed.public()), 1u64))
        .collect();
    let endowed: Vec<_> = Sr25519Keyring::iter().map(|k| (k.to_account_id(), 1_000_000_000_000_000u64)).collect();
    let genesis = serde_json::json!({
        "balances": { "balances": endowed },
        "aura": { "authorities": aura },
        "grandpa": { "authorities": grandpa },
        "sudo": { "key": Sr25519Keyring::Alice.to_account_id() },
        "subtensorModule": preset.subtensor_genesis(),
    });
    let mut properties = sc_chain_spec::Properties::new();
    properties.insert("tokenSymbol".into(), "TAO".into());
    properties.insert("tokenDecimals".into(), 9.into());
    properties.insert("ss58Format".into(), 42.into());
    let boot_nodes = bootnodes
        .iter()
        .map(|addr| addr.parse().map_err(|error| format!("bad bootnode {addr}: {error}")))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ChainSpec::builder(wasm, None)
        .with_name(&format!("Taoscope Devnet ({})", preset.name()))
        .with_id("taoscope_devnet")
        .with_protocol_id("taoscope")
        .with_chain_type(ChainType::Development)
        .with_properties(properties)
        .with_boot_nodes(boot_nodes)
        .with_genesis_config_patch(genesis)
        .build())
}
