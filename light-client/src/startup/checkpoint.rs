//! Checkpoints: a smoldot database (finalized header, Aura authorities and slot duration, GRANDPA
//! set id and authorities) built with smoldot's own encoder, so a light client can start at a
//! recent finalized block of a chain whose history it cannot warp-sync. Two ways in: a node's
//! JSON-RPC (`read_finalized_state`, then `encode`), or a checkpoint a chain publishes
//! (`PublishedCheckpoint`, then `from_published`; finney's is shipped as
//! `public/chain-specs/finney.checkpoint.json`).

use std::num::NonZero;

use codec::Decode;
use serde_json::{Value, json};
use smoldot::chain::chain_information::{
    ChainInformation, ChainInformationConsensus, ChainInformationFinality, ValidChainInformation,
};
use smoldot::database::finalized_serialize;
use smoldot::header::{self, AuraAuthority, GrandpaAuthority};

use crate::chain::to_hex;
use crate::chain_spec::ChainFacts;
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
    /// A field of a published checkpoint is missing or malformed.
    #[error("the published checkpoint's {field} is unusable: {detail}")]
    Published {
        /// The field (JSON name, or the SCALE value it holds).
        field: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The checkpoint belongs to another chain.
    #[error("the checkpoint is of genesis {found}, not {chain}'s {expected}")]
    WrongGenesis {
        /// The chain it was meant for.
        chain: String,
        /// That chain's genesis hash.
        expected: String,
        /// The checkpoint's genesis hash.
        found: String,
    },
    /// The finalized header does not hash to the hash it is cross-checked against: it was altered
    /// or mixed up.
    #[error("the finalized header hashes to {found}, not to the cross-checked {expected}")]
    HashMismatch {
        /// The cross-check hash.
        expected: String,
        /// The header's blake2b-256 hash.
        found: String,
    },
    /// The finalized header does not name the Aura authorities of its children.
    #[error("the Aura authorities after the finalized block are not known: {0}")]
    AuraAuthoritiesUnknown(&'static str),
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

fn unhex(what: &'static str, text: &str) -> Result<Vec<u8>, CheckpointError> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text)).map_err(|error| CheckpointError::Malformed {
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
    envelope.insert("genesisHash".into(), Value::String(hex::encode(genesis_hash)));
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
                .map(|authority| to_hex(&authority.public_key))
                .collect(),
        ),
        ChainInformationFinalityRef::Outsourced => return Err(not("no GRANDPA finality".into())),
    };
    let aura_authorities = match information.consensus {
        ChainInformationConsensusRef::Aura {
            finalized_authorities_list,
            ..
        } => finalized_authorities_list
            .map(|authority| to_hex(authority.public_key))
            .collect(),
        _ => Vec::new(),
    };
    Ok(CheckpointSummary {
        genesis_hash: format!("0x{genesis}"),
        block_number: header.number,
        block_hash: to_hex(&header.hash(BLOCK_NUMBER_BYTES)),
        grandpa_set_id,
        grandpa_authorities,
        aura_authorities,
    })
}

/// Finney's Aura slot duration in milliseconds: `MILLISECS_PER_BLOCK` (12 s blocks), the slot being
/// 2 × `MinimumPeriod` (../shared/chain/SUBTENSOR-FACTS.md §4.1). A published checkpoint does not
/// carry it (the runtime's `AuraApi_slot_duration` would), so the conversion is given it.
pub const FINNEY_SLOT_DURATION_MS: u64 = 12_000;

/// Where a published checkpoint was taken from, as its publisher names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublishedSource {
    /// GitHub repository (`owner/name`).
    pub repository: String,
    /// File in that repository (a raw chain spec).
    pub path: String,
    /// Commit the file was read at.
    pub commit: String,
    /// Field of the file that holds the checkpoint.
    pub field: String,
}

/// A GRANDPA warp-sync checkpoint as a chain publishes it (subtensor's raw finney chain spec carries
/// one as `grandpaWarpSyncCheckpoint`), with the hash of its block to cross-check it against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedCheckpoint {
    /// Where it was published.
    pub source: PublishedSource,
    /// The genesis hash it names.
    pub genesis_hash: [u8; 32],
    /// The SCALE-encoded header of the finalized block.
    pub finalized_header: Vec<u8>,
    /// SCALE `(set_id: u64, authorities: Vec<(ed25519 public key, weight: u64)>)`: the GRANDPA set
    /// whose justification finalized that block.
    pub grandpa_authority_set: Vec<u8>,
    /// The block's hash as derived independently from the published header; the header must hash to
    /// it (blake2b-256), so a changed byte or a mixed-up copy is refused.
    pub block_hash: [u8; 32],
}

fn published(field: &'static str, detail: impl Into<String>) -> CheckpointError {
    CheckpointError::Published {
        field,
        detail: detail.into(),
    }
}

fn published_hex(field: &'static str, text: &str) -> Result<Vec<u8>, CheckpointError> {
    unhex(field, text).map_err(|error| match error {
        CheckpointError::Malformed { detail, .. } => published(field, detail),
        other => other,
    })
}

fn published_hash(field: &'static str, text: &str) -> Result<[u8; 32], CheckpointError> {
    published_hex(field, text)?
        .try_into()
        .map_err(|bytes: Vec<u8>| published(field, format!("{} bytes, not 32", bytes.len())))
}

impl PublishedCheckpoint {
    /// Reads the published checkpoint's JSON (the shape of `../shared/chain/finney-checkpoint.json`):
    /// `source`, `genesisHash`, `finalizedBlockHeader`, `grandpaAuthoritySet`, and the cross-check
    /// hash `derived_here_for_cross_checking.blockHash`. A missing or malformed field is named.
    pub fn from_json(text: &str) -> Result<Self, CheckpointError> {
        let value: Value =
            serde_json::from_str(text).map_err(|error| published("(the whole text)", error.to_string()))?;
        let field = |name: &'static str, at: &Value| {
            at.as_str()
                .ok_or_else(|| published(name, "missing, or not a string"))
                .map(str::to_string)
        };
        let source: PublishedSource = serde_json::from_value(
            value
                .get("source")
                .ok_or_else(|| published("source", "missing"))?
                .clone(),
        )
        .map_err(|error| published("source", error.to_string()))?;
        for (name, part) in [
            ("source.repository", &source.repository),
            ("source.path", &source.path),
            ("source.commit", &source.commit),
            ("source.field", &source.field),
        ] {
            if part.trim().is_empty() {
                return Err(published(name, "empty"));
            }
        }
        Ok(Self {
            source,
            genesis_hash: published_hash("genesisHash", &field("genesisHash", &value["genesisHash"])?)?,
            finalized_header: published_hex(
                "finalizedBlockHeader",
                &field("finalizedBlockHeader", &value["finalizedBlockHeader"])?,
            )?,
            grandpa_authority_set: published_hex(
                "grandpaAuthoritySet",
                &field("grandpaAuthoritySet", &value["grandpaAuthoritySet"])?,
            )?,
            block_hash: published_hash(
                "derived_here_for_cross_checking.blockHash",
                &field(
                    "derived_here_for_cross_checking.blockHash",
                    &value["derived_here_for_cross_checking"]["blockHash"],
                )?,
            )?,
        })
    }
}

/// Sorts every object's keys, so the text is the same whether or not serde_json keeps insertion
/// order (a feature another crate in the build may turn on).
fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// Converts a published GRANDPA warp-sync checkpoint of `chain` into the light client's checkpoint
/// format: a smoldot database (as `encode` writes) that also names its `source`, pretty-printed
/// with sorted keys and a final newline, so a fresh conversion is byte-for-byte the shipped file.
/// smoldot-light's database decoder ignores fields it does not know (`source`, `about`), and
/// `summarize` reads only `genesisHash` and `chain`, so `LightClient::start` takes the text as is.
///
/// Checks, in order: the checkpoint names `chain`'s genesis; the header hashes to the cross-check
/// hash; the header decodes (smoldot's decoder) and the authority set is exactly one SCALE
/// `(u64, Vec<([u8; 32], u64)>)`.
///
/// Which block each list describes. smoldot's chain information describes the *children* of the
/// finalized block N: `finalized_authorities_list` "must validate children of" N, and the GRANDPA
/// set id and `finalized_triggered_authorities` are those "of the block right after" N.
///
/// - Aura: the list is the header's own `Consensus(aura, AuthoritiesChange)` log. pallet_aura's
///   `change_authorities` writes its `Authorities` storage ("applied immediately") and deposits
///   that log in the same block, so the runtime state after N holds the list, and Substrate's Aura
///   import queue verifies block N+1 with the authorities read from the runtime at its parent N:
///   the list in N applies from N+1 on. smoldot agrees: its Aura verification of a block uses the
///   parent's list "or, if the parent changes the list of authorities, that new modified list",
///   and a verified block's `AuthoritiesChange` becomes the list of its children
///   (`blocks_tree/verify.rs`). N itself was authored under its parent's list, which the
///   checkpoint does not carry and smoldot does not need (for finney's checkpoint, no key of the
///   header's list verifies block N's own seal, as expected of a block that replaces the list). A
///   header without that log does not say who authors N+1: refused (`AuraAuthoritiesUnknown`), as
///   is a header with two (smoldot refuses such a block).
/// - GRANDPA: the published set finalized N. A `ScheduledChange` log in N with delay d triggers at
///   N + d (smoldot: "if N is 0 … the block where the change is triggered is the same as the one
///   where it is scheduled"). With d = 0 the change is enacted by N itself: its children are
///   finalized by the next set, id + 1, with the log's authorities, and nothing is left scheduled
///   (smoldot refuses a scheduled change at or before the finalized block). This is what smoldot
///   computes when it verifies and finalizes such a block (`triggers_change`, set id + 1), and what
///   the RPC path reads at N (the runtime's authorities, which pallet_grandpa replaces in N's
///   `on_finalize`, and the voter's set id). With d > 0 the published set stays and the change is carried as
///   `finalized_scheduled_change` at N + d. Without a log the published set stays, and no change
///   scheduled by an earlier block can be known (the same assumption smoldot makes when it builds
///   chain information from a runtime). A `ForcedChange` is refused (`ForcedChangePending`):
///   smoldot does not implement forced changes in headers.
pub fn from_published(
    checkpoint: &PublishedCheckpoint,
    chain: &ChainFacts<'_>,
    slot_duration_ms: u64,
) -> Result<String, CheckpointError> {
    use smoldot::header::{AuraConsensusLogRef, DigestItemRef, GrandpaConsensusLogRef};

    let expected_genesis = unhex("the chain's genesis hash", chain.genesis_hash)?;
    if checkpoint.genesis_hash[..] != expected_genesis[..] {
        return Err(CheckpointError::WrongGenesis {
            chain: chain.name.to_string(),
            expected: to_hex(&expected_genesis),
            found: to_hex(&checkpoint.genesis_hash),
        });
    }
    let found = header::hash_from_scale_encoded_header(&checkpoint.finalized_header);
    if found != checkpoint.block_hash {
        return Err(CheckpointError::HashMismatch {
            expected: to_hex(&checkpoint.block_hash),
            found: to_hex(&found),
        });
    }
    let decoded = header::decode(&checkpoint.finalized_header, BLOCK_NUMBER_BYTES)
        .map_err(|error| published("finalizedBlockHeader", error.to_string()))?;
    let number = decoded.number;
    let (set_id, set): (u64, GrandpaAuthorities) =
        codec::DecodeAll::decode_all(&mut &checkpoint.grandpa_authority_set[..])
            .map_err(|error| published("grandpaAuthoritySet", error.to_string()))?;
    if set.is_empty() {
        return Err(published("grandpaAuthoritySet", "no authorities"));
    }

    let mut aura_changes = decoded.digest.logs().filter_map(|item| match item {
        DigestItemRef::AuraConsensus(AuraConsensusLogRef::AuthoritiesChange(list)) => Some(list),
        _ => None,
    });
    let aura_authorities: Vec<AuraAuthority> = match (aura_changes.next(), aura_changes.next()) {
        (Some(list), None) => list.map(AuraAuthority::from).collect(),
        (None, _) => {
            return Err(CheckpointError::AuraAuthoritiesUnknown(
                "the header has no Aura authorities-change log",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(CheckpointError::AuraAuthoritiesUnknown(
                "the header has more than one Aura authorities-change log",
            ));
        }
    };
    if aura_authorities.is_empty() {
        return Err(CheckpointError::AuraAuthoritiesUnknown(
            "the header's Aura authorities-change log lists no authority",
        ));
    }

    // The first scheduled change counts, as in smoldot and Substrate (one per block is allowed).
    let mut scheduled: Option<(u64, Vec<GrandpaAuthority>)> = None;
    for item in decoded.digest.logs() {
        match item {
            DigestItemRef::GrandpaConsensus(GrandpaConsensusLogRef::ForcedChange { change, .. }) => {
                return Err(CheckpointError::ForcedChangePending(
                    number.saturating_add(change.delay),
                ));
            }
            DigestItemRef::GrandpaConsensus(GrandpaConsensusLogRef::ScheduledChange(change)) if scheduled.is_none() => {
                let at = number
                    .checked_add(change.delay)
                    .ok_or_else(|| CheckpointError::Invalid("the GRANDPA change's delay overflows".into()))?;
                scheduled = Some((at, change.next_authorities.map(GrandpaAuthority::from).collect()));
            }
            _ => {}
        }
    }
    let finality = match scheduled {
        Some((at, next)) if at == number => ChainInformationFinality::Grandpa {
            after_finalized_block_authorities_set_id: set_id
                .checked_add(1)
                .ok_or_else(|| CheckpointError::Invalid("the GRANDPA set id overflows".into()))?,
            finalized_triggered_authorities: next,
            finalized_scheduled_change: None,
        },
        scheduled => ChainInformationFinality::Grandpa {
            after_finalized_block_authorities_set_id: set_id,
            finalized_triggered_authorities: grandpa_authorities(&set)?,
            finalized_scheduled_change: scheduled,
        },
    };
    if let ChainInformationFinality::Grandpa {
        finalized_triggered_authorities,
        ..
    } = &finality
        && finalized_triggered_authorities.is_empty()
    {
        return Err(CheckpointError::Invalid(
            "the GRANDPA change in the header lists no authority".into(),
        ));
    }
    let information = aura_grandpa_chain_information(
        &checkpoint.finalized_header,
        aura_authorities,
        slot_duration_ms,
        finality,
    )?;

    let mut database = database_envelope(&checkpoint.genesis_hash, &information)?;
    database.insert(
        "about".into(),
        Value::String(format!(
            "{}'s published GRANDPA warp-sync checkpoint (block #{number}, finalized by GRANDPA set {set_id}), \
             converted by `taoscope-checkpoint --from-published` into a smoldot database; its chain \
             information describes the children of that block. Not a trusted input by itself: its \
             authority is the source's reviewed chain spec.",
            chain.name
        )),
    );
    database.insert(
        "source".into(),
        serde_json::to_value(&checkpoint.source).map_err(|error| CheckpointError::Invalid(error.to_string()))?,
    );
    let mut database = Value::Object(database);
    sort_keys(&mut database);
    let text = serde_json::to_string_pretty(&database).map_err(|error| CheckpointError::Invalid(error.to_string()))?;
    Ok(format!("{text}\n"))
}

/// The hash of the block whose header is `chain_getHeader`'s JSON answer: the header SCALE-encoded
/// again and hashed as smoldot hashes headers (blake2b-256), so a header read from a node can be
/// checked against the hash it was asked by.
pub fn block_hash_from_json_header(value: &Value) -> Result<[u8; 32], CheckpointError> {
    Ok(header::hash_from_scale_encoded_header(header_from_json(value)?))
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
        hex::encode(sp_crypto_hashing::twox_128(b"Grandpa")),
        hex::encode(sp_crypto_hashing::twox_128(b"PendingChange"))
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

    /// A file of the repository (the workspace root is this crate's parent).
    fn repo_file(path: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
    }

    /// Finney's published checkpoint, read-only input beside the repository.
    fn finney_published_json() -> Value {
        serde_json::from_str(&repo_file("../shared/chain/finney-checkpoint.json")).expect("JSON")
    }

    fn finney_published() -> PublishedCheckpoint {
        PublishedCheckpoint::from_json(&repo_file("../shared/chain/finney-checkpoint.json")).expect("reads")
    }

    fn convert(checkpoint: &PublishedCheckpoint) -> Result<String, CheckpointError> {
        from_published(checkpoint, &crate::chain_spec::FINNEY, FINNEY_SLOT_DURATION_MS)
    }

    /// The digest's consensus logs `(engine, payload)`, decoded here with plain SCALE (not smoldot),
    /// so the checks below do not only repeat the converter's own decoding.
    fn consensus_logs(header: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        let mut input = header;
        let _: ([u8; 32], codec::Compact<u32>, [u8; 32], [u8; 32]) = Decode::decode(&mut input).expect("header fields");
        let codec::Compact(count) = <codec::Compact<u32>>::decode(&mut input).expect("log count");
        let mut logs = Vec::new();
        for _ in 0..count {
            match u8::decode(&mut input).expect("log kind") {
                // Consensus (4), Seal (5), PreRuntime (6): an engine id and bytes.
                4..=6 => {
                    let (engine, payload): ([u8; 4], Vec<u8>) = Decode::decode(&mut input).expect("log");
                    logs.push((engine, payload));
                }
                other => panic!("unexpected digest item kind {other}"),
            }
        }
        assert!(input.is_empty(), "the digest is the end of the header");
        logs
    }

    #[test]
    fn finneys_published_checkpoint_converts_to_a_database_smoldot_reads_back() {
        let json = finney_published_json();
        let derived = &json["derived_here_for_cross_checking"];
        let checkpoint = finney_published();
        let text = convert(&checkpoint).expect("converts");

        let summary = summarize(&text).expect("smoldot decodes it");
        assert_eq!(summary.genesis_hash, crate::chain_spec::FINNEY.genesis_hash);
        assert_eq!(summary.block_number, 8_867_448);
        assert_eq!(Some(summary.block_number), derived["blockNumber"].as_u64());
        assert_eq!(Some(summary.block_hash.as_str()), derived["blockHash"].as_str());

        // The published set: id 5, the 20 authorities that finalized block 8,867,448.
        let (published_set_id, published_set): (u64, GrandpaAuthorities) =
            codec::DecodeAll::decode_all(&mut &checkpoint.grandpa_authority_set[..]).expect("SCALE set");
        assert_eq!(published_set_id, 5);
        assert_eq!(Some(published_set_id), derived["grandpaSetId"].as_u64());
        assert_eq!(published_set.len(), 20);

        // The header's logs, decoded independently.
        let logs = consensus_logs(&checkpoint.finalized_header);
        let aura_change = logs
            .iter()
            .find(|(engine, payload)| engine == b"aura" && payload.first() == Some(&1))
            .expect("an Aura authorities change");
        let header_aura: Vec<[u8; 32]> =
            codec::DecodeAll::decode_all(&mut &aura_change.1[1..]).expect("Aura authorities");
        let grandpa_change = logs
            .iter()
            .find(|(engine, _)| engine == b"FRNK")
            .expect("a GRANDPA log");
        assert_eq!(grandpa_change.1[0], 1, "a ScheduledChange");
        let (header_grandpa, delay): (GrandpaAuthorities, u32) =
            codec::DecodeAll::decode_all(&mut &grandpa_change.1[1..]).expect("GRANDPA change");
        assert_eq!(delay, 0, "enacted by block 8,867,448 itself");
        assert_eq!(header_grandpa.len(), 20);
        let kept = header_grandpa
            .iter()
            .filter(|authority| published_set.contains(authority))
            .count();
        assert_eq!(kept, 10, "the change replaces 10 of set 5's authorities");

        // Children of block 8,867,448 are finalized by set 6, the header's change; Aura authors them
        // from the header's list.
        assert_eq!(summary.grandpa_set_id, published_set_id + 1);
        assert_eq!(
            summary.grandpa_authorities,
            header_grandpa.iter().map(|(key, _)| to_hex(key)).collect::<Vec<_>>()
        );
        assert_eq!(summary.aura_authorities.len(), 20);
        assert_eq!(
            summary.aura_authorities,
            header_aura.iter().map(|key| to_hex(key)).collect::<Vec<_>>()
        );
        let published_aura: Vec<&str> = derived["auraAuthorities"]
            .as_array()
            .expect("listed")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(summary.aura_authorities, published_aura);

        // No change is left scheduled, and the slot duration is finney's 12 s.
        let envelope: Value = serde_json::from_str(&text).unwrap();
        let decoded = finalized_serialize::decode_chain(&envelope["chain"].to_string(), BLOCK_NUMBER_BYTES)
            .expect("smoldot decodes the chain information");
        let information = decoded.chain_information.as_ref();
        assert!(matches!(
            information.finality,
            smoldot::chain::chain_information::ChainInformationFinalityRef::Grandpa {
                finalized_scheduled_change: None,
                ..
            }
        ));
        assert!(matches!(
            information.consensus,
            smoldot::chain::chain_information::ChainInformationConsensusRef::Aura { slot_duration, .. }
                if slot_duration.get() == 12_000
        ));
    }

    #[test]
    fn the_shipped_finney_checkpoint_is_a_fresh_conversion_naming_its_source() {
        let shipped = repo_file("public/chain-specs/finney.checkpoint.json");
        let fresh = convert(&finney_published()).expect("converts");
        assert!(
            shipped == fresh,
            "public/chain-specs/finney.checkpoint.json is stale: regenerate it with \
             `cargo run -p taoscope-checkpoint -- --from-published ../shared/chain/finney-checkpoint.json \
             --out public/chain-specs/finney.checkpoint.json`"
        );
        let shipped: Value = serde_json::from_str(&shipped).unwrap();
        assert_eq!(shipped["source"], finney_published_json()["source"]);
        assert_eq!(
            shipped["source"]["field"], "grandpaWarpSyncCheckpoint",
            "names the field it was taken from"
        );
    }

    #[test]
    fn a_tampered_or_mismatched_finney_header_is_refused() {
        let checkpoint = finney_published();
        // A byte of the state root (32 + 4 bytes in: parent hash, compact number).
        let mut tampered = checkpoint.clone();
        tampered.finalized_header[40] ^= 1;
        assert!(matches!(convert(&tampered), Err(CheckpointError::HashMismatch { .. })));
        // A byte of an Aura authority in the digest (its list starts at byte 123).
        let mut tampered = checkpoint.clone();
        tampered.finalized_header[300] ^= 0x80;
        assert!(matches!(convert(&tampered), Err(CheckpointError::HashMismatch { .. })));
        // The right header, the wrong cross-check hash.
        let mut mismatched = checkpoint.clone();
        mismatched.block_hash[31] ^= 1;
        let error = convert(&mismatched).expect_err("refused");
        assert!(matches!(error, CheckpointError::HashMismatch { .. }));
        assert!(error.to_string().contains("0x511948e96e1d"), "{error}");
    }

    #[test]
    fn a_checkpoint_must_name_finneys_genesis() {
        let mut other = finney_published();
        other.genesis_hash[0] ^= 1;
        let error = convert(&other).expect_err("refused");
        assert!(matches!(error, CheckpointError::WrongGenesis { .. }));
        assert!(
            error.to_string().contains(crate::chain_spec::FINNEY.genesis_hash),
            "{error}"
        );
        let devnet = crate::chain_spec::ChainFacts {
            genesis_hash: "0x0000000000000000000000000000000000000000000000000000000000000001",
            ..crate::chain_spec::FINNEY
        };
        assert!(matches!(
            from_published(&finney_published(), &devnet, FINNEY_SLOT_DURATION_MS),
            Err(CheckpointError::WrongGenesis { .. })
        ));
    }

    #[test]
    fn published_json_problems_name_the_field() {
        let json = finney_published_json();
        let without = |field: &str| {
            let mut value = json.clone();
            value.as_object_mut().unwrap().remove(field);
            PublishedCheckpoint::from_json(&value.to_string())
        };
        assert!(matches!(
            without("finalizedBlockHeader"),
            Err(CheckpointError::Published {
                field: "finalizedBlockHeader",
                ..
            })
        ));
        assert!(matches!(
            without("source"),
            Err(CheckpointError::Published { field: "source", .. })
        ));
        assert!(matches!(
            without("derived_here_for_cross_checking"),
            Err(CheckpointError::Published {
                field: "derived_here_for_cross_checking.blockHash",
                ..
            })
        ));
        let mut odd = json.clone();
        odd["genesisHash"] = json!("0x2f0");
        assert!(matches!(
            PublishedCheckpoint::from_json(&odd.to_string()),
            Err(CheckpointError::Published {
                field: "genesisHash",
                ..
            })
        ));
        assert!(matches!(
            PublishedCheckpoint::from_json("not json"),
            Err(CheckpointError::Published { .. })
        ));
        let mut trailing = finney_published();
        trailing.grandpa_authority_set.push(0);
        assert!(matches!(
            convert(&trailing),
            Err(CheckpointError::Published {
                field: "grandpaAuthoritySet",
                ..
            })
        ));
    }

    /// A block at `number` with an Aura slot, `logs` and a seal; a published checkpoint of it
    /// (finney's genesis, set 3 of two authorities, the header's own hash).
    fn synthetic(logs: &[Vec<u8>]) -> PublishedCheckpoint {
        let mut header = vec![7u8; 32];
        codec::Encode::encode_to(&codec::Compact(500u32), &mut header);
        header.extend([1u8; 32]);
        header.extend([2u8; 32]);
        codec::Encode::encode_to(&codec::Compact(logs.len() as u32 + 2), &mut header);
        header.extend(aura_slot_log());
        logs.iter().for_each(|log| header.extend(log));
        header.extend(aura_seal_log());
        let mut set = Vec::new();
        codec::Encode::encode_to(&(3u64, vec![([4u8; 32], 1u64), ([5u8; 32], 1u64)]), &mut set);
        PublishedCheckpoint {
            source: PublishedSource {
                repository: "example/chain".into(),
                path: "spec.json".into(),
                commit: "0".repeat(40),
                field: "checkpoint".into(),
            },
            genesis_hash: unhex("genesis", crate::chain_spec::FINNEY.genesis_hash)
                .unwrap()
                .try_into()
                .unwrap(),
            block_hash: header::hash_from_scale_encoded_header(&header),
            finalized_header: header,
            grandpa_authority_set: set,
        }
    }

    /// `Consensus(engine, payload)`.
    fn consensus_log(engine: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut log = vec![4];
        log.extend(engine);
        codec::Encode::encode_to(&payload.to_vec(), &mut log);
        log
    }

    fn aura_change_log(keys: &[[u8; 32]]) -> Vec<u8> {
        let mut payload = vec![1];
        codec::Encode::encode_to(&keys.to_vec(), &mut payload);
        consensus_log(b"aura", &payload)
    }

    /// GRANDPA's `ScheduledChange` (1) or `ForcedChange` (2, reset at block 0) to one authority.
    fn grandpa_change_log(kind: u8, delay: u32) -> Vec<u8> {
        let mut payload = vec![kind];
        if kind == 2 {
            codec::Encode::encode_to(&0u32, &mut payload);
        }
        codec::Encode::encode_to(&(vec![([6u8; 32], 1u64)], delay), &mut payload);
        consensus_log(b"FRNK", &payload)
    }

    fn convert_summary(checkpoint: &PublishedCheckpoint) -> CheckpointSummary {
        summarize(&convert(checkpoint).expect("converts")).expect("decodes")
    }

    #[test]
    fn the_grandpa_change_in_the_header_decides_the_set_after_it() {
        let aura = aura_change_log(&[[3; 32]]);
        let six = vec![to_hex(&[6; 32])];
        let set_3 = vec![to_hex(&[4; 32]), to_hex(&[5; 32])];

        // Delay 0: enacted by the block itself, so its children belong to set 4.
        let now = convert_summary(&synthetic(&[aura.clone(), grandpa_change_log(1, 0)]));
        assert_eq!((now.grandpa_set_id, now.grandpa_authorities), (4, six.clone()));
        assert_eq!(now.aura_authorities, vec![to_hex(&[3; 32])]);

        // Delay 3: set 3 finalizes up to block 503, which smoldot then switches at.
        let later = synthetic(&[aura.clone(), grandpa_change_log(1, 3)]);
        let summary = convert_summary(&later);
        assert_eq!(
            (summary.grandpa_set_id, summary.grandpa_authorities),
            (3, set_3.clone())
        );
        let text = convert(&later).unwrap();
        let envelope: Value = serde_json::from_str(&text).unwrap();
        let decoded = finalized_serialize::decode_chain(&envelope["chain"].to_string(), BLOCK_NUMBER_BYTES).unwrap();
        let smoldot::chain::chain_information::ChainInformationFinalityRef::Grandpa {
            finalized_scheduled_change: Some((at, next)),
            ..
        } = decoded.chain_information.as_ref().finality
        else {
            panic!("the change is carried as scheduled");
        };
        assert_eq!((at, next[0].public_key), (503, [6; 32]));

        // No change: the published set stays.
        let none = convert_summary(&synthetic(std::slice::from_ref(&aura)));
        assert_eq!((none.grandpa_set_id, none.grandpa_authorities), (3, set_3));

        // A forced change is refused, naming the block it takes effect at.
        assert_eq!(
            convert(&synthetic(&[aura.clone(), grandpa_change_log(2, 2)])),
            Err(CheckpointError::ForcedChangePending(502))
        );
    }

    #[test]
    fn the_aura_authorities_must_be_in_the_header() {
        assert!(matches!(
            convert(&synthetic(&[])),
            Err(CheckpointError::AuraAuthoritiesUnknown(_))
        ));
        assert!(matches!(
            convert(&synthetic(&[aura_change_log(&[])])),
            Err(CheckpointError::AuraAuthoritiesUnknown(_))
        ));
        assert!(matches!(
            convert(&synthetic(&[aura_change_log(&[[3; 32]]), aura_change_log(&[[8; 32]])])),
            Err(CheckpointError::AuraAuthoritiesUnknown(_))
        ));
    }

    #[test]
    fn headers_from_json_are_scale_encoded() {
        let value = json!({
            "parentHash": format!("0x{}", "07".repeat(32)),
            "number": "0x4d2",
            "stateRoot": format!("0x{}", "01".repeat(32)),
            "extrinsicsRoot": format!("0x{}", "02".repeat(32)),
            "digest": { "logs": [to_hex(&aura_slot_log()), to_hex(&aura_seal_log())] },
        });
        assert_eq!(header_from_json(&value).unwrap(), state().header);
        assert!(matches!(
            header_from_json(&json!({"number": "0x1"})),
            Err(CheckpointError::Malformed { what: "chain_getHeader", detail }) if detail == "parentHash"
        ));
    }
}
