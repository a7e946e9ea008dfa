//! The devnet's chain specs: presets of subtensor state and 1–3 authorities (Alice, Bob, Charlie).

use sc_service::ChainType;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use taoscope_devnet_runtime::WASM_BINARY;

/// The devnet's chain spec type (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

pub use taoscope_devnet_presets::Preset;

/// The pallet's genesis config for `preset`'s shape of subtensor state.
fn subtensor_genesis(preset: Preset) -> serde_json::Value {
    let shape = preset.genesis();
    serde_json::json!({
        "subnets": shape.subnets,
        "neuronsPerSubnet": shape.neurons_per_subnet,
        "maxValidators": shape.max_validators,
        "tempo": shape.tempo,
        "seed": shape.seed,
    })
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
        "subtensorModule": subtensor_genesis(preset),
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
