//! Reading and adjusting a chain spec before the client starts: its name and boot nodes for the
//! settings view, the user's own WebSocket peers added to the boot nodes, and the genesis hash a
//! trusted RPC endpoint must serve. Pure: JSON text in, values out.

use serde_json::Value;

/// Why a chain spec or a peer address was refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ChainSpecError {
    /// The text is not a JSON object.
    #[error("the chain spec is not a JSON object: {0}")]
    NotJson(String),
    /// A field the client needs is missing.
    #[error("the chain spec has no {0:?} field")]
    Missing(&'static str),
    /// smoldot could not build the genesis block from the spec (bad genesis storage or runtime).
    #[error("the chain spec's genesis is invalid: {0}")]
    BadGenesis(String),
    /// A peer address is not a libp2p WebSocket multiaddr with a peer id.
    #[error(
        "{0:?} is not a peer address like /dns/host/tcp/443/wss/p2p/12D3Koo… or /ip4/1.2.3.4/tcp/30333/ws/p2p/12D3Koo…"
    )]
    BadPeer(String),
}

/// What the settings view shows about a chain spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainSpecInfo {
    /// Human name (`Bittensor`, `Taoscope devnet`).
    pub name: String,
    /// Identifier (`bittensor`, `taoscope_devnet`).
    pub id: String,
    /// Boot node multiaddrs.
    pub boot_nodes: Vec<String>,
}

fn parse(spec: &str) -> Result<serde_json::Map<String, Value>, ChainSpecError> {
    match serde_json::from_str::<Value>(spec) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ChainSpecError::NotJson("top level is not an object".into())),
        Err(error) => Err(ChainSpecError::NotJson(error.to_string())),
    }
}

/// The genesis block hash (`0x` hex) that `spec` describes, computed the way smoldot computes it:
/// from the genesis storage (its runtime gives the state version), or from a declared state root.
pub fn genesis_hash(spec: &str) -> Result<String, ChainSpecError> {
    use smoldot::chain_spec::{ChainSpec, FromGenesisStorageError, GenesisStorage};
    use smoldot::header;

    let parsed = ChainSpec::from_json_bytes(spec).map_err(|error| ChainSpecError::NotJson(error.to_string()))?;
    let number_bytes = usize::from(parsed.block_number_bytes());
    let encoded = match parsed.to_chain_information() {
        Ok((information, _runtime)) => information
            .as_ref()
            .finalized_block_header
            .scale_encoding_vec(number_bytes),
        Err(FromGenesisStorageError::UnknownStorageItems) => {
            let GenesisStorage::TrieRootHash(state_root) = parsed.genesis_storage() else {
                return Err(ChainSpecError::BadGenesis(
                    "no genesis storage and no state root".into(),
                ));
            };
            header::Header {
                parent_hash: [0; 32],
                number: 0,
                state_root: *state_root,
                extrinsics_root: smoldot::trie::EMPTY_BLAKE2_TRIE_MERKLE_VALUE,
                digest: header::DigestRef::empty().into(),
            }
            .scale_encoding_vec(number_bytes)
        }
        Err(error) => return Err(ChainSpecError::BadGenesis(error.to_string())),
    };
    let hash = header::hash_from_scale_encoded_header(&encoded);
    Ok(format!(
        "0x{}",
        hash.iter().map(|byte| format!("{byte:02x}")).collect::<String>()
    ))
}

/// The blake2-256 digest of a chain spec's text (`0x` hex): what a genesis hash computed from that
/// text is remembered by, so a later start on the same text need not compute it again (for a
/// spec with its genesis storage, that runs the genesis runtime).
pub fn digest(spec: &str) -> String {
    format!("0x{}", hex::encode(sp_crypto_hashing::blake2_256(spec.as_bytes())))
}

/// What a light client needs to know about a chain when its genesis storage is not at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFacts<'a> {
    /// Human name.
    pub name: &'a str,
    /// Identifier (also keys saved state in the app).
    pub id: &'a str,
    /// libp2p protocol id (legacy protocol names).
    pub protocol_id: &'a str,
    /// Token symbol.
    pub token_symbol: &'a str,
    /// Token decimals.
    pub token_decimals: u8,
    /// SS58 address prefix.
    pub ss58_format: u16,
    /// Boot nodes.
    pub boot_nodes: &'a [&'a str],
    /// The genesis block hash (`0x` hex), checked against the spec built from these facts.
    pub genesis_hash: &'a str,
}

/// Finney, Bittensor's main network (../shared/chain/SUBTENSOR-FACTS.md §4.1). Its published boot
/// node is plain `/ws`, which an https page cannot dial: users add a wss peer in the settings.
pub const FINNEY: ChainFacts<'static> = ChainFacts {
    name: "Bittensor",
    id: "bittensor",
    protocol_id: "bittensor",
    token_symbol: "TAO",
    token_decimals: 9,
    ss58_format: 42,
    boot_nodes: &[
        "/dns/bootnode.finney.chain.opentensor.ai/tcp/30333/ws/p2p/12D3KooWRwbMb85RWnT8DSXSYMWQtuDwh4LJzndoRrTDotTR5gDC",
    ],
    genesis_hash: "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03",
};

/// A chain spec from `facts` and the genesis block's state root (`0x` hex; any node gives it as
/// block 0's `stateRoot`). It carries no genesis storage, so the light client starts it only from
/// a checkpoint. Refused when the resulting genesis hash is not the one the facts name.
pub fn from_facts(facts: &ChainFacts<'_>, genesis_state_root: &str) -> Result<String, ChainSpecError> {
    let spec = serde_json::json!({
        "name": facts.name,
        "id": facts.id,
        "chainType": "Live",
        "bootNodes": facts.boot_nodes,
        "telemetryEndpoints": null,
        "protocolId": facts.protocol_id,
        "properties": {
            "tokenSymbol": facts.token_symbol,
            "tokenDecimals": facts.token_decimals,
            "ss58Format": facts.ss58_format,
        },
        "codeSubstitutes": {},
        "genesis": { "stateRootHash": genesis_state_root },
    })
    .to_string();
    let genesis = genesis_hash(&spec)?;
    if !genesis.eq_ignore_ascii_case(facts.genesis_hash) {
        return Err(ChainSpecError::BadGenesis(format!(
            "state root {genesis_state_root} gives genesis {genesis}, not {}",
            facts.genesis_hash
        )));
    }
    Ok(spec)
}

/// `spec` with a placeholder `lightSyncState` at block 1, so that smoldot-light uses the chain
/// information of the database it is started with.
///
/// smoldot-light 3 reads a database's finalized chain information only when the chain spec
/// carries a `lightSyncState` checkpoint that is not newer than it, and that format describes BABE
/// chains only (finney is Aura). The placeholder is never used for verification: the caller adds
/// it only with a database whose chain information decodes, belongs to this genesis and is at
/// block 1 or later, which smoldot then prefers. A spec with its own `lightSyncState` is returned
/// unchanged.
pub fn with_database_checkpoint_enabled(spec: &str) -> Result<String, ChainSpecError> {
    let mut map = parse(spec)?;
    if map.contains_key("lightSyncState") {
        return Ok(spec.to_string());
    }
    let hex = |bytes: &[u8]| format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    map.insert(
        "lightSyncState".into(),
        serde_json::json!({
            "babeEpochChanges": hex(&placeholder::babe_epoch_changes()),
            "babeFinalizedBlockWeight": 0,
            "finalizedBlockHeader": hex(&placeholder::babe_header()),
            "grandpaAuthoritySet": hex(&placeholder::grandpa_authority_set()),
        }),
    );
    Ok(Value::Object(map).to_string())
}

/// The SCALE pieces of the placeholder checkpoint: a BABE block 1 with two epochs and one
/// GRANDPA authority, all zero keys. Only their shape matters (smoldot validates it).
mod placeholder {
    fn compact(count: u8) -> u8 {
        count << 2
    }

    /// Block 1: zero parent and roots, a BABE secondary-plain pre-digest (slot 1) and a seal.
    pub fn babe_header() -> Vec<u8> {
        let mut header = vec![0u8; 32];
        header.push(compact(1));
        header.extend([0u8; 64]);
        header.push(compact(2));
        header.extend([6, b'B', b'A', b'B', b'E', compact(13), 2]);
        header.extend(0u32.to_le_bytes());
        header.extend(1u64.to_le_bytes());
        header.extend([5, b'B', b'A', b'B', b'E', 0x01, 0x01]);
        header.extend([0u8; 64]);
        header
    }

    /// A regular BABE epoch: index, start slot, duration, one authority, randomness, config.
    fn epoch(index: u64, start_slot: u64) -> Vec<u8> {
        let mut epoch = vec![1];
        epoch.extend(index.to_le_bytes());
        epoch.extend(start_slot.to_le_bytes());
        epoch.extend(100u64.to_le_bytes());
        epoch.push(compact(1));
        epoch.extend([0u8; 32]);
        epoch.extend(1u64.to_le_bytes());
        epoch.extend([0u8; 32]);
        epoch.extend(1u64.to_le_bytes());
        epoch.extend(4u64.to_le_bytes());
        epoch.push(1);
        epoch
    }

    /// Epoch changes: an empty fork tree, then epochs 1 and 2 announced at blocks 0 and 1.
    pub fn babe_epoch_changes() -> Vec<u8> {
        let mut changes = vec![compact(0), 0, compact(2)];
        for (index, block) in [(1u64, 0u32), (2, 1)] {
            changes.extend([index as u8; 32]);
            changes.extend(block.to_le_bytes());
            changes.extend(epoch(index, index * 100 - 99));
        }
        changes
    }

    /// One authority of weight 1, set 0, no pending changes.
    pub fn grandpa_authority_set() -> Vec<u8> {
        let mut set = vec![compact(1)];
        set.extend([0u8; 32]);
        set.extend(1u64.to_le_bytes());
        set.extend(0u64.to_le_bytes());
        set.extend([compact(0), 0, compact(0), compact(0)]);
        set
    }
}

/// Name, id and boot nodes of `spec`.
pub fn inspect(spec: &str) -> Result<ChainSpecInfo, ChainSpecError> {
    let map = parse(spec)?;
    let text = |field: &'static str| {
        map.get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or(ChainSpecError::Missing(field))
    };
    Ok(ChainSpecInfo {
        name: text("name")?,
        id: text("id")?,
        boot_nodes: map
            .get("bootNodes")
            .and_then(Value::as_array)
            .map(|nodes| nodes.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// Checks that `address` is a WebSocket multiaddr (`/ws` or `/wss`, or `/tls/ws`) ending in a
/// peer id: the only kind of peer a browser can dial.
pub fn check_peer(address: &str) -> Result<(), ChainSpecError> {
    let bad = || ChainSpecError::BadPeer(address.to_string());
    let parts: Vec<&str> = address.trim().split('/').collect();
    if parts.first() != Some(&"") || parts.len() < 7 {
        return Err(bad());
    }
    let host_kind = parts[1];
    let has_tcp = parts.get(3) == Some(&"tcp") && parts.get(4).is_some_and(|p| p.parse::<u16>().is_ok());
    let websocket = parts.iter().any(|p| *p == "ws" || *p == "wss");
    let peer_id = parts
        .windows(2)
        .any(|w| w[0] == "p2p" && w[1].len() > 40 && w[1].chars().all(|c| c.is_ascii_alphanumeric()));
    let host_ok = matches!(host_kind, "ip4" | "ip6" | "dns" | "dns4" | "dns6") && !parts[2].is_empty();
    if host_ok && has_tcp && websocket && peer_id {
        Ok(())
    } else {
        Err(bad())
    }
}

/// `spec` with `extra` peers appended to its boot nodes (duplicates dropped). Every extra peer is
/// checked first; nothing changes if one is refused.
pub fn with_extra_boot_nodes(spec: &str, extra: &[String]) -> Result<String, ChainSpecError> {
    for peer in extra {
        check_peer(peer)?;
    }
    let mut map = parse(spec)?;
    let nodes = map.entry("bootNodes").or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(nodes) = nodes else {
        return Err(ChainSpecError::Missing("bootNodes"));
    };
    for peer in extra {
        let peer = Value::String(peer.trim().to_string());
        if !nodes.contains(&peer) {
            nodes.push(peer);
        }
    }
    Ok(Value::Object(map).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_digest_is_the_blake2_256_of_its_text() {
        assert_eq!(
            digest(""),
            "0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
        );
        assert_ne!(digest("{\"id\":\"a\"}"), digest("{\"id\":\"b\"}"));
    }

    #[test]
    fn a_spec_from_facts_must_give_the_genesis_it_names() {
        let root = [7u8; 32];
        let root_hex = format!("0x{}", "07".repeat(32));
        // Genesis header: zero parent, number 0, the state root, the empty trie as extrinsics root,
        // no digest; its blake2-256 is the genesis hash.
        let mut header = vec![0u8; 32];
        header.push(0);
        header.extend(root);
        header.extend(sp_crypto_hashing::blake2_256(&[0]));
        header.push(0);
        let expected = format!(
            "0x{}",
            sp_crypto_hashing::blake2_256(&header)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let facts = ChainFacts {
            genesis_hash: &expected,
            ..FINNEY
        };
        let spec = from_facts(&facts, &root_hex).expect("consistent facts");
        let info = inspect(&spec).unwrap();
        assert_eq!((info.name.as_str(), info.id.as_str()), ("Bittensor", "bittensor"));
        assert_eq!(info.boot_nodes, FINNEY.boot_nodes);
        let error = from_facts(&FINNEY, &root_hex).expect_err("not finney's state root");
        assert!(error.to_string().contains(FINNEY.genesis_hash), "{error}");
    }

    #[test]
    fn the_placeholder_checkpoint_is_valid_for_smoldot_and_at_block_1() {
        let spec = serde_json::json!({
            "name": "Test", "id": "test", "chainType": "Live", "bootNodes": [], "protocolId": "test",
            "properties": {}, "genesis": { "stateRootHash": format!("0x{}", "00".repeat(32)) },
        })
        .to_string();
        let enabled = with_database_checkpoint_enabled(&spec).expect("adds the placeholder");
        let parsed = smoldot::chain_spec::ChainSpec::from_json_bytes(&enabled).expect("smoldot parses it");
        let information = parsed
            .light_sync_state()
            .expect("a lightSyncState")
            .to_chain_information()
            .expect("smoldot accepts it");
        assert_eq!(information.as_ref().finalized_block_header.number, 1);
        assert_eq!(
            with_database_checkpoint_enabled(&enabled).unwrap(),
            enabled,
            "added once"
        );
    }

    const PEER: &str = "/ip4/127.0.0.1/tcp/30333/ws/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
    const SPEC: &str = r#"{"name":"Taoscope devnet","id":"taoscope_devnet","bootNodes":["/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"],"genesis":{}}"#;

    #[test]
    fn inspects_name_id_and_boot_nodes() {
        let info = inspect(SPEC).unwrap();
        assert_eq!(
            (info.name.as_str(), info.id.as_str(), info.boot_nodes.len()),
            ("Taoscope devnet", "taoscope_devnet", 1)
        );
        assert!(matches!(inspect("[1]"), Err(ChainSpecError::NotJson(_))));
        assert_eq!(inspect(r#"{"id":"x"}"#), Err(ChainSpecError::Missing("name")));
    }

    #[test]
    fn peers_must_be_websocket_multiaddrs_with_a_peer_id() {
        assert!(check_peer(PEER).is_ok());
        assert!(
            check_peer("/dns/finney.example.org/tcp/443/wss/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp")
                .is_ok()
        );
        for bad in [
            "wss://finney.example.org",
            "/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
            "/ip4/127.0.0.1/tcp/99999/ws/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
            "/ip4/127.0.0.1/tcp/30333/ws/p2p/<script>",
            "javascript:alert(1)",
        ] {
            assert!(
                matches!(check_peer(bad), Err(ChainSpecError::BadPeer(named)) if named == bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn extra_peers_are_appended_once_and_bad_ones_change_nothing() {
        let with = with_extra_boot_nodes(SPEC, &[PEER.to_string(), PEER.to_string()]).unwrap();
        assert_eq!(inspect(&with).unwrap().boot_nodes.len(), 2);
        let refused = with_extra_boot_nodes(SPEC, &["nope".to_string()]);
        assert!(matches!(refused, Err(ChainSpecError::BadPeer(_))));
    }
}
