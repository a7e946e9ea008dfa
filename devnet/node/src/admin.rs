//! `admin`: root-only changes to a running devnet, for tests: signed by Alice (the devnet's sudo
//! key), wrapped in `Sudo.sudo`, submitted through the node's JSON-RPC.

use std::io::{Read, Write};
use std::net::TcpStream;

use codec::Encode;
use sp_core::{crypto::Ss58Codec, Pair, H256};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::generic::Era;
use taoscope_devnet_runtime::{pallet_subtensor, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};

/// `admin --rpc-port P <action>`.
#[derive(Debug, clap::Parser)]
pub struct AdminCmd {
    /// RPC port of the node to submit to (on 127.0.0.1).
    #[arg(long)]
    pub rpc_port: u16,
    #[command(subcommand)]
    pub action: AdminAction,
}

/// What to change.
#[derive(Debug, clap::Subcommand)]
pub enum AdminAction {
    /// Set a subnet's identity (any bytes: hostile strings welcome).
    SetIdentity {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        url: String,
        #[arg(long, default_value = "")]
        github: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        logo_url: String,
    },
    /// Set a subnet's token symbol.
    SetSymbol {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        symbol: String,
    },
    /// Register a neuron whose keys derive from `--seed`.
    RegisterNeuron {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        seed: String,
        #[arg(long, default_value_t = 0)]
        stake: u64,
    },
    /// Give a uid to a fresh hotkey (deregistration without holes).
    DeregisterNeuron {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        uid: u16,
    },
    /// Schedule a forced GRANDPA authority change to the named dev keys (alice, bob, charlie).
    ForceGrandpaChange {
        #[arg(long, value_delimiter = ',')]
        authorities: Vec<String>,
        #[arg(long, default_value_t = 3)]
        delay: u32,
    },
    /// Turn a subnet's pool-side emission on or off (`SubnetEmissionEnabled`).
    SetEmissionEnabled {
        #[arg(long)]
        netuid: u16,
        #[arg(long, action = clap::ArgAction::Set)]
        enabled: bool,
    },
    /// Set a subnet's tempo (the epoch cycle restarts at the change's block).
    SetTempo {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        tempo: u16,
    },
    /// Stake `--tao` rao from a coldkey on a hotkey at a subnet, through the subnet's pool (the
    /// price moves; the α joins the coldkey's shares). Accounts as 0x-prefixed hex public keys.
    AddStake {
        #[arg(long)]
        netuid: u16,
        #[arg(long)]
        hotkey: String,
        #[arg(long)]
        coldkey: String,
        #[arg(long)]
        tao: u64,
    },
    /// Install the built-in upgraded runtime (`spec_version` one higher, no
    /// `BetaBasketRuntimeApi`) with `System.set_code`.
    UpgradeRuntime,
}

fn rpc(port: u16, method: &str, params: serde_json::Value) -> Result<serde_json::Value, String> {
    let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("{method}: connect: {e}"))?;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| format!("{method}: {e}"))?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| format!("{method}: {e}"))?;
    let json = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    let reply: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{method}: bad reply: {e}"))?;
    if let Some(error) = reply.get("error") {
        return Err(format!("{method}: {error}"));
    }
    Ok(reply["result"].clone())
}

/// The sudo call that makes the change.
fn sudo_call_for(action: &AdminAction) -> Result<RuntimeCall, String> {
    if let AdminAction::UpgradeRuntime = action {
        let code =
            taoscope_devnet_runtime::upgraded::WASM_BINARY.ok_or("the upgraded runtime's wasm was not built")?.to_vec();
        // `set_code` declares a whole block's weight; a devnet upgrade does not need to wait for
        // an empty block, so sudo overrides the weight.
        return Ok(RuntimeCall::Sudo(pallet_sudo::Call::sudo_unchecked_weight {
            call: Box::new(RuntimeCall::System(frame_system::Call::set_code { code })),
            weight: frame_support::weights::Weight::from_parts(1_000_000_000, 0),
        }));
    }
    Ok(RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(subtensor_call_for(action)?) }))
}

fn subtensor_call_for(action: &AdminAction) -> Result<RuntimeCall, String> {
    use pallet_subtensor::types::SubnetIdentityV3;
    let subtensor = |call| RuntimeCall::SubtensorModule(call);
    Ok(match action {
        AdminAction::SetIdentity { netuid, name, url, github, description, logo_url } => {
            subtensor(pallet_subtensor::Call::sudo_set_subnet_identity {
                netuid: *netuid,
                identity: SubnetIdentityV3 {
                    subnet_name: name.clone().into_bytes(),
                    github_repo: github.clone().into_bytes(),
                    subnet_url: url.clone().into_bytes(),
                    description: description.clone().into_bytes(),
                    logo_url: logo_url.clone().into_bytes(),
                    ..Default::default()
                },
            })
        }
        AdminAction::SetSymbol { netuid, symbol } => subtensor(pallet_subtensor::Call::sudo_set_token_symbol {
            netuid: *netuid,
            symbol: symbol.clone().into_bytes(),
        }),
        AdminAction::RegisterNeuron { netuid, seed, stake } => {
            let hotkey = sp_core::sr25519::Pair::from_string(&format!("//{seed}//hot"), None)
                .map_err(|e| format!("bad seed: {e:?}"))?;
            let coldkey = sp_core::sr25519::Pair::from_string(&format!("//{seed}//cold"), None)
                .map_err(|e| format!("bad seed: {e:?}"))?;
            subtensor(pallet_subtensor::Call::sudo_register_neuron {
                netuid: *netuid,
                hotkey: hotkey.public().into(),
                coldkey: coldkey.public().into(),
                stake: *stake,
            })
        }
        AdminAction::DeregisterNeuron { netuid, uid } => {
            subtensor(pallet_subtensor::Call::sudo_deregister_neuron { netuid: *netuid, uid: *uid })
        }
        AdminAction::ForceGrandpaChange { authorities, delay } => {
            let keys = authorities
                .iter()
                .map(|name| match name.to_ascii_lowercase().as_str() {
                    "alice" => Ok((Ed25519Keyring::Alice.public().into(), 1)),
                    "bob" => Ok((Ed25519Keyring::Bob.public().into(), 1)),
                    "charlie" => Ok((Ed25519Keyring::Charlie.public().into(), 1)),
                    other => Err(format!("unknown authority {other:?} (alice, bob or charlie)")),
                })
                .collect::<Result<Vec<_>, String>>()?;
            subtensor(pallet_subtensor::Call::sudo_force_grandpa_change { authorities: keys, delay: *delay })
        }
        AdminAction::SetEmissionEnabled { netuid, enabled } => {
            subtensor(pallet_subtensor::Call::sudo_set_subnet_emission_enabled { netuid: *netuid, enabled: *enabled })
        }
        AdminAction::SetTempo { netuid, tempo } => {
            subtensor(pallet_subtensor::Call::sudo_set_tempo { netuid: *netuid, tempo: *tempo })
        }
        AdminAction::AddStake { netuid, hotkey, coldkey, tao } => subtensor(pallet_subtensor::Call::sudo_add_stake {
            netuid: *netuid,
            hotkey: account_from_hex(hotkey)?,
            coldkey: account_from_hex(coldkey)?,
            tao: *tao,
        }),
        AdminAction::UpgradeRuntime => return Err("a runtime upgrade is not a SubtensorModule call".into()),
    })
}

/// An account from its public key as 0x-prefixed (or bare) hex.
fn account_from_hex(text: &str) -> Result<sp_runtime::AccountId32, String> {
    let bytes = sp_core::bytes::from_hex(text).map_err(|e| format!("bad account {text}: {e:?}"))?;
    let key: [u8; 32] = bytes.try_into().map_err(|_| format!("bad account {text}: not 32 bytes"))?;
    Ok(key.into())
}

fn hash_from(value: &serde_json::Value) -> Result<H256, String> {
    let text = value.as_str().ok_or("expected a hash")?;
    let bytes = sp_core::bytes::from_hex(text).map_err(|e| format!("bad hash {text}: {e:?}"))?;
    Ok(H256::from_slice(&bytes))
}

/// Builds, signs and submits the action; prints the extrinsic hash.
pub fn run(cmd: &AdminCmd) -> Result<(), String> {
    let call = sudo_call_for(&cmd.action)?;
    let alice = Sr25519Keyring::Alice;
    let genesis = hash_from(&rpc(cmd.rpc_port, "chain_getBlockHash", serde_json::json!([0]))?)?;
    let version = rpc(cmd.rpc_port, "state_getRuntimeVersion", serde_json::json!([]))?;
    let spec_version = version["specVersion"].as_u64().ok_or("no specVersion")? as u32;
    let transaction_version = version["transactionVersion"].as_u64().ok_or("no transactionVersion")? as u32;
    let nonce = rpc(cmd.rpc_port, "system_accountNextIndex", serde_json::json!([alice.to_account_id().to_ss58check()]))?
        .as_u64()
        .ok_or("no nonce")? as u32;
    let extension: TxExtension = (
        frame_system::CheckNonZeroSender::<Runtime>::new(),
        frame_system::CheckSpecVersion::<Runtime>::new(),
        frame_system::CheckTxVersion::<Runtime>::new(),
        frame_system::CheckGenesis::<Runtime>::new(),
        frame_system::CheckEra::<Runtime>::from(Era::Immortal),
        frame_system::CheckNonce::<Runtime>::from(nonce),
        frame_system::CheckWeight::<Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
    );
    let implicit = ((), spec_version, transaction_version, genesis, genesis, (), (), ());
    let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
    let signature = payload.using_encoded(|bytes| alice.sign(bytes));
    let extrinsic = UncheckedExtrinsic::new_signed(call, alice.to_account_id().into(), signature.into(), extension);
    let hash = rpc(
        cmd.rpc_port,
        "author_submitExtrinsic",
        serde_json::json!([sp_core::bytes::to_hex(&extrinsic.encode(), false)]),
    )?;
    println!("{}", hash.as_str().unwrap_or_default());
    Ok(())
}
