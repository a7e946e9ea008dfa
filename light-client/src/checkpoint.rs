//! Checkpoints: a smoldot database (finalized header, Aura authorities and slot duration, GRANDPA
//! set id and authorities) built from a node's JSON-RPC with smoldot's own encoder, so a light
//! client can start at a recent finalized block of a chain whose history it cannot warp-sync.

use std::num::NonZero;

use codec::Decode;
use serde_json::{Value, json};
use smoldot::chain::chain_information::{
    ChainInformation, ChainInformationConsensus, ChainInformationFinality, ValidChainInformation,
};
use smoldot::database::finalized_serialize;
use smoldot::header::{self, AuraAuthority, GrandpaAuthority};

use crate::rpc::{RpcClient, RpcError};
use crate::transport::{self, StartError};

/// Subtensor (like most Substrate chains) encodes block numbers as u32.
const BLOCK_NUMBER_BYTES: usize = 4;

/// Why a checkpoint could not be built or read.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum CheckpointError {
    /// The node could not be reached.
    #[error(transparent)]
    Connect(#[from] StartError),
    /// A JSON-RPC call failed.
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// The node answered something that does not fit the chain's known shapes.
    #[error("the node's answer to {what} is malformed: {detail}")]
    Malformed {
        /// What was asked.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A forced GRANDPA change is pending at the finalized block: a checkpoint made now would be
    /// wrong after it. Try again once it is enacted.
    #[error("a forced GRANDPA authority change is pending (enacted at block #{0}); make the checkpoint after it")]
    ForcedChangePending(u64),
    /// smoldot refused the assembled chain information.
    #[error("the chain information is inconsistent: {0}")]
    Invalid(String),
    /// The text is not a smoldot database with chain information.
    #[error("not a checkpoint: {0}")]
    NotACheckpoint(String),
}

/// GRANDPA authorities: ed25519 public keys and weights.
pub type GrandpaAuthorities = Vec<([u8; 32], u64)>;

/// What a node says about its latest finalized block: everything a checkpoint holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalizedState {
    /// Genesis block hash.
    pub genesis_hash: [u8; 32],
    /// The genesis block's state root (`0x` hex): with the chain's facts, enough for a chain spec
    /// (`chain_spec::from_facts`).
    pub genesis_state_root: String,
    /// SCALE-encoded finalized header.
    pub header: Vec<u8>,
    /// Aura authorities (sr25519 public keys) at the finalized block.
    pub aura_authorities: Vec<[u8; 32]>,
    /// Aura slot duration in milliseconds.
    pub slot_duration_ms: u64,
    /// The GRANDPA authority set id that finalizes the blocks after this one.
    pub grandpa_set_id: u64,
    /// GRANDPA authorities (ed25519 public keys, weights) of that set.
    pub grandpa_authorities: GrandpaAuthorities,
    /// A standard GRANDPA change already scheduled: the block it applies at, the next set.
    pub scheduled_change: Option<(u64, GrandpaAuthorities)>,
}

/// A checkpoint's summary, read back from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointSummary {
    /// Genesis hash (`0x` hex).
    pub genesis_hash: String,
    /// Finalized block number.
    pub block_number: u64,
    /// Finalized block hash (`0x` hex).
    pub block_hash: String,
    /// GRANDPA set id after the finalized block.
    pub grandpa_set_id: u64,
    /// GRANDPA authorities (public keys, `0x` hex).
    pub grandpa_authorities: Vec<String>,
    /// Aura authorities (public keys, `0x` hex).
    pub aura_authorities: Vec<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(what: &'static str, text: &str) -> Result<Vec<u8>, CheckpointError> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if !digits.len().is_multiple_of(2) {
        return Err(CheckpointError::Malformed {
            what,
            detail: "odd number of hex digits".into(),
        });
    }
    (0..digits.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&digits[at..at + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|error| CheckpointError::Malformed {
            what,
            detail: error.to_string(),
        })
}

fn decode<T: Decode>(what: &'static str, bytes: &[u8]) -> Result<T, CheckpointError> {
    T::decode(&mut &bytes[..]).map_err(|error| CheckpointError::Malformed {
        what,
        detail: error.to_string(),
    })
}

fn grandpa_authorities(list: &[([u8; 32], u64)]) -> Result<Vec<GrandpaAuthority>, CheckpointError> {
    list.iter()
        .map(|(public_key, weight)| {
            Ok(GrandpaAuthority {
                public_key: *public_key,
                weight: NonZero::new(*weight)
                    .ok_or_else(|| CheckpointError::Invalid("a GRANDPA authority has weight 0".into()))?,
            })
        })
        .collect()
}

/// smoldot's chain information for an Aura + GRANDPA chain, checked by smoldot for coherence. Both
/// ways in (a node's RPC in `encode`, a published checkpoint in `from_published`) build it here.
fn aura_grandpa_chain_information(
    header: &[u8],
    aura_authorities: Vec<AuraAuthority>,
    slot_duration_ms: u64,
    finality: ChainInformationFinality,
) -> Result<ValidChainInformation, CheckpointError> {
    let header = header::decode(header, BLOCK_NUMBER_BYTES)
        .map_err(|error| CheckpointError::Invalid(format!("finalized header: {error}")))?;
    let information = ChainInformation {
        finalized_block_header: Box::new(header.into()),
        consensus: ChainInformationConsensus::Aura {
            finalized_authorities_list: aura_authorities,
            slot_duration: NonZero::new(slot_duration_ms)
                .ok_or_else(|| CheckpointError::Invalid("the Aura slot duration is 0".into()))?,
        },
        finality,
    };
    ValidChainInformation::try_from(information).map_err(|error| CheckpointError::Invalid(error.to_string()))
}

/// The light client's database envelope around `information` (smoldot's `finalized_serialize`),
/// keyed by the genesis hash: the fields smoldot-light's database decoder reads.
fn database_envelope(
    genesis_hash: &[u8; 32],
    information: &ValidChainInformation,
) -> Result<serde_json::Map<String, Value>, CheckpointError> {
    let chain = finalized_serialize::encode_chain(information, BLOCK_NUMBER_BYTES);
    let chain: Value = serde_json::from_str(&chain).map_err(|error| CheckpointError::Invalid(error.to_string()))?;
    let mut envelope = serde_json::Map::new();
    envelope.insert("chain".into(), chain);
    envelope.insert("genesisHash".into(), Value::String(hex(genesis_hash)));
    envelope.insert("nodes".into(), json!({}));
    Ok(envelope)
}

/// Encodes `state` as a smoldot database (smoldot's `finalized_serialize` inside the light
/// client's database envelope, keyed by the genesis hash).
pub fn encode(state: &FinalizedState) -> Result<String, CheckpointError> {
    let information = aura_grandpa_chain_information(
        &state.header,
        state
            .aura_authorities
            .iter()
            .map(|public_key| AuraAuthority {
                public_key: *public_key,
            })
            .collect(),
        state.slot_duration_ms,
        ChainInformationFinality::Grandpa {
            after_finalized_block_authorities_set_id: state.grandpa_set_id,
            finalized_triggered_authorities: grandpa_authorities(&state.grandpa_authorities)?,
            finalized_scheduled_change: state
                .scheduled_change
                .as_ref()
                .map(|(at, next)| Ok::<_, CheckpointError>((*at, grandpa_authorities(next)?)))
                .transpose()?,
        },
    )?;
    Ok(Value::Object(database_envelope(&state.genesis_hash, &information)?).to_string())
}

/// Reads a checkpoint (or any smoldot database with chain information) back with smoldot's own
/// decoder.
pub fn summarize(database: &str) -> Result<CheckpointSummary, CheckpointError> {
    use smoldot::chain::chain_information::{ChainInformationConsensusRef, ChainInformationFinalityRef};

    let not = |detail: String| CheckpointError::NotACheckpoint(detail);
    let envelope: Value = serde_json::from_str(database).map_err(|error| not(error.to_string()))?;
    let genesis = envelope["genesisHash"]
        .as_str()
        .filter(|hash| hash.len() == 64)
        .ok_or_else(|| not("no genesisHash".into()))?;
    // smoldot-light's database decoder requires `nodes`; without it, it would ignore the whole
    // database and silently start from the chain spec (the placeholder at block 1).
    if !envelope["nodes"].is_object() {
        return Err(not("no nodes object".into()));
    }
    let chain = envelope
        .get("chain")
        .ok_or_else(|| not("no chain information".into()))?;
    let decoded = finalized_serialize::decode_chain(&chain.to_string(), BLOCK_NUMBER_BYTES)
        .map_err(|error| not(error.to_string()))?;
    let information = decoded.chain_information.as_ref();
    let header = information.finalized_block_header;
    let (grandpa_set_id, grandpa_authorities) = match information.finality {
        ChainInformationFinalityRef::Grandpa {
            after_finalized_block_authorities_set_id,
            finalized_triggered_authorities,
            ..
        } => (
            after_finalized_block_authorities_set_id,
            finalized_triggered_authorities
                .iter()
                .map(|authority| format!("0x{}", hex(&authority.public_key)))
                .collect(),
        ),
        ChainInformationFinalityRef::Outsourced => return Err(not("no GRANDPA finality".into())),
    };
    let aura_authorities = match information.consensus {
        ChainInformationConsensusRef::Aura {
            finalized_authorities_list,
            ..
        } => finalized_authorities_list
            .map(|authority| format!("0x{}", hex(authority.public_key)))
            .collect(),
        _ => Vec::new(),
    };
    Ok(CheckpointSummary {
        genesis_hash: format!("0x{genesis}"),
        block_number: header.number,
        block_hash: format!("0x{}", hex(&header.hash(BLOCK_NUMBER_BYTES))),
        grandpa_set_id,
        grandpa_authorities,
        aura_authorities,
    })
}

/// The SCALE header from `chain_getHeader`'s JSON (digest logs arrive SCALE-encoded already).
fn header_from_json(value: &Value) -> Result<Vec<u8>, CheckpointError> {
    let malformed = |detail: &str| CheckpointError::Malformed {
        what: "chain_getHeader",
        detail: detail.to_string(),
    };
    let field = |name: &str| value[name].as_str().ok_or_else(|| malformed(name));
    let number = u32::from_str_radix(field("number")?.trim_start_matches("0x"), 16).map_err(|_| malformed("number"))?;
    let mut out = unhex("parentHash", field("parentHash")?)?;
    codec::Encode::encode_to(&codec::Compact(number), &mut out);
    out.extend(unhex("stateRoot", field("stateRoot")?)?);
    out.extend(unhex("extrinsicsRoot", field("extrinsicsRoot")?)?);
    let logs = value["digest"]["logs"]
        .as_array()
        .ok_or_else(|| malformed("digest.logs"))?;
    codec::Encode::encode_to(&codec::Compact(logs.len() as u32), &mut out);
    for log in logs {
        out.extend(unhex(
            "digest log",
            log.as_str().ok_or_else(|| malformed("digest log"))?,
        )?);
    }
    Ok(out)
}

/// GRANDPA's pending change as the runtime stores it (`Grandpa.PendingChange`).
#[derive(Decode)]
struct StoredPendingChange {
    scheduled_at: u32,
    delay: u32,
    next_authorities: GrandpaAuthorities,
    forced: Option<u32>,
}

/// Reads the latest finalized block's state from the node at `url` (a trusted JSON-RPC endpoint).
///
/// The GRANDPA set id comes from the node's voter (`grandpa_roundState`) when it serves that
/// method: the runtime's `CurrentSetId` does not count forced changes. Without it, the runtime's
/// value is used.
pub async fn read_finalized_state(url: &str) -> Result<FinalizedState, CheckpointError> {
    let rpc = RpcClient::new(transport::connect_rpc(url).await?);
    let text = |value: Value, what: &'static str| {
        value.as_str().map(str::to_string).ok_or(CheckpointError::Malformed {
            what,
            detail: format!("expected a string, got {value}"),
        })
    };
    let call = |method: &'static str, hash: String| {
        let rpc = rpc.clone();
        async move {
            let output = rpc.request("state_call", json!([method, "0x", hash])).await?;
            unhex(method, &text(output, method)?)
        }
    };
    let genesis = text(
        rpc.request("chain_getBlockHash", json!([0])).await?,
        "chain_getBlockHash",
    )?;
    let genesis_header = rpc.request("chain_getHeader", json!([genesis])).await?;
    let genesis_state_root = text(genesis_header["stateRoot"].clone(), "chain_getHeader (genesis)")?;
    let hash = text(
        rpc.request("chain_getFinalizedHead", json!([])).await?,
        "chain_getFinalizedHead",
    )?;
    let header = header_from_json(&rpc.request("chain_getHeader", json!([hash])).await?)?;
    let aura_authorities: Vec<[u8; 32]> =
        decode("AuraApi_authorities", &call("AuraApi_authorities", hash.clone()).await?)?;
    let slot_duration_ms: u64 = decode(
        "AuraApi_slot_duration",
        &call("AuraApi_slot_duration", hash.clone()).await?,
    )?;
    let grandpa_authorities: GrandpaAuthorities = decode(
        "GrandpaApi_grandpa_authorities",
        &call("GrandpaApi_grandpa_authorities", hash.clone()).await?,
    )?;
    let grandpa_set_id = match rpc.request("grandpa_roundState", json!([])).await {
        Ok(state) => state["setId"].as_u64().ok_or(CheckpointError::Malformed {
            what: "grandpa_roundState",
            detail: format!("no setId in {state}"),
        })?,
        Err(_) => decode(
            "GrandpaApi_current_set_id",
            &call("GrandpaApi_current_set_id", hash.clone()).await?,
        )?,
    };
    let pending_key = format!(
        "0x{}{}",
        hex(&sp_crypto_hashing::twox_128(b"Grandpa")),
        hex(&sp_crypto_hashing::twox_128(b"PendingChange"))
    );
    let pending = rpc.request("state_getStorage", json!([pending_key, hash])).await?;
    let scheduled_change = match pending.as_str() {
        None => None,
        Some(bytes) => {
            let change: StoredPendingChange = decode("Grandpa.PendingChange", &unhex("Grandpa.PendingChange", bytes)?)?;
            let at = u64::from(change.scheduled_at) + u64::from(change.delay);
            if change.forced.is_some() {
                return Err(CheckpointError::ForcedChangePending(at));
            }
            Some((at, change.next_authorities))
        }
    };
    Ok(FinalizedState {
        genesis_hash: unhex("chain_getBlockHash", &genesis)?
            .try_into()
            .map_err(|_| CheckpointError::Malformed {
                what: "chain_getBlockHash",
                detail: "not 32 bytes".into(),
            })?,
        genesis_state_root,
        header,
        aura_authorities,
        slot_duration_ms,
        grandpa_set_id,
        grandpa_authorities,
        scheduled_change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DigestItem::PreRuntime(*b"aura", slot.encode())` for slot 100.
    fn aura_slot_log() -> Vec<u8> {
        let mut log = vec![6, b'a', b'u', b'r', b'a', 8 << 2];
        log.extend(100u64.to_le_bytes());
        log
    }

    /// `DigestItem::Seal(*b"aura", signature)` (64 bytes).
    fn aura_seal_log() -> Vec<u8> {
        let mut log = vec![5, b'a', b'u', b'r', b'a'];
        codec::Encode::encode_to(&vec![0x11u8; 64], &mut log);
        log
    }

    fn state() -> FinalizedState {
        let mut header = vec![7u8; 32];
        codec::Encode::encode_to(&codec::Compact(1234u32), &mut header);
        header.extend([1u8; 32]);
        header.extend([2u8; 32]);
        header.push(2 << 2); // two digest logs: Aura's pre-runtime slot and its seal
        header.extend(aura_slot_log());
        header.extend(aura_seal_log());
        FinalizedState {
            genesis_hash: [9; 32],
            genesis_state_root: format!("0x{}", "08".repeat(32)),
            header,
            aura_authorities: vec![[3; 32]],
            slot_duration_ms: 12_000,
            grandpa_set_id: 7,
            grandpa_authorities: vec![([4; 32], 1), ([5; 32], 1)],
            scheduled_change: None,
        }
    }

    #[test]
    fn a_checkpoint_reads_back_with_smoldots_decoder() {
        let text = encode(&state()).expect("encodes");
        let summary = summarize(&text).expect("decodes");
        assert_eq!(summary.genesis_hash, format!("0x{}", "09".repeat(32)));
        assert_eq!(summary.block_number, 1234);
        assert_eq!(summary.grandpa_set_id, 7);
        assert_eq!(
            summary.grandpa_authorities,
            vec![format!("0x{}", "04".repeat(32)), format!("0x{}", "05".repeat(32))]
        );
        assert_eq!(summary.aura_authorities, vec![format!("0x{}", "03".repeat(32))]);
    }

    #[test]
    fn inconsistent_states_are_refused() {
        let mut zero_slot = state();
        zero_slot.slot_duration_ms = 0;
        assert!(matches!(encode(&zero_slot), Err(CheckpointError::Invalid(_))));
        let mut zero_weight = state();
        zero_weight.grandpa_authorities[0].1 = 0;
        assert!(matches!(encode(&zero_weight), Err(CheckpointError::Invalid(_))));
        let mut bad_header = state();
        bad_header.header.truncate(10);
        assert!(matches!(encode(&bad_header), Err(CheckpointError::Invalid(_))));
        assert!(matches!(summarize("{}"), Err(CheckpointError::NotACheckpoint(_))));
        let mut no_nodes: Value = serde_json::from_str(&encode(&state()).unwrap()).unwrap();
        no_nodes.as_object_mut().unwrap().remove("nodes");
        assert!(matches!(
            summarize(&no_nodes.to_string()),
            Err(CheckpointError::NotACheckpoint(detail)) if detail.contains("nodes")
        ));
        assert!(matches!(summarize("not json"), Err(CheckpointError::NotACheckpoint(_))));
    }

    #[test]
    fn headers_from_json_are_scale_encoded() {
        let value = json!({
            "parentHash": format!("0x{}", "07".repeat(32)),
            "number": "0x4d2",
            "stateRoot": format!("0x{}", "01".repeat(32)),
            "extrinsicsRoot": format!("0x{}", "02".repeat(32)),
            "digest": { "logs": [format!("0x{}", hex(&aura_slot_log())), format!("0x{}", hex(&aura_seal_log()))] },
        });
        assert_eq!(header_from_json(&value).unwrap(), state().header);
        assert!(header_from_json(&json!({"number": "0x1"})).is_err());
    }
}
