//! Reading and adjusting a chain spec before the client starts: its name and boot nodes for the
//! settings view, and the user's own WebSocket peers added to the boot nodes. Pure JSON in and out.

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
    /// A peer address is not a libp2p WebSocket multiaddr with a peer id.
    #[error(
        "{0:?} is not a peer address like /dns/host/tcp/443/wss/p2p/12D3Koo… or /ip4/1.2.3.4/tcp/30333/ws/p2p/12D3Koo…"
    )]
    BadPeer(String),
}

/// What the settings view shows about a chain spec.
#[derive(Debug, Clone, PartialEq, Eq)]
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
            assert!(check_peer(bad).is_err(), "{bad}");
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
