//! A saved smoldot database's runtime code, kept apart: the code is most of the database
//! (finney's 2.6 MB compressed) and changes only with a runtime upgrade, while the rest changes
//! with every finalized block. Split off, it is saved once per code hash and joined back before
//! smoldot reads the database. smoldot uses saved code only where the Merkle value saved beside it
//! matches the finalized block's `:code` node; a missing code record costs a download.

use serde_json::{Map, Value};
use sp_crypto_hashing::blake2_256;

/// The database's runtime-code fields, as smoldot-light 3 writes them.
const CODE_FIELDS: [&str; 3] = ["runtimeCode", "codeMerkleValue", "codeClosestAncestor"];

/// A database's runtime code, split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeCode {
    /// blake2-256 of the `:code` storage value, `0x` hex: what `state_getStorageHash(":code")`
    /// gives, and the key the code is saved under.
    pub hash: String,
    /// The code's fields of the database, as a JSON object.
    pub fields: String,
}

/// Why a database's code could not be split off or joined back.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RuntimeCodeError {
    /// The database or the code record is not a JSON object.
    #[error("{0} is not a JSON object")]
    NotAnObject(&'static str),
    /// `runtimeCode` is not base64.
    #[error("the database's runtime code is not base64: {0}")]
    NotBase64(String),
}

fn object(text: &str, what: &'static str) -> Result<Map<String, Value>, RuntimeCodeError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(RuntimeCodeError::NotAnObject(what)),
    }
}

/// Splits `database` into the database without its runtime code and the code (`None` when smoldot
/// left the code out, as it does when it would not fit).
pub fn split(database: &str) -> Result<(String, Option<RuntimeCode>), RuntimeCodeError> {
    use base64::Engine as _;
    let mut map = object(database, "the database")?;
    let fields: Map<String, Value> = CODE_FIELDS
        .iter()
        .filter_map(|name| map.remove(*name).map(|value| (name.to_string(), value)))
        .collect();
    let rest = Value::Object(map).to_string();
    let Some(Value::String(encoded)) = fields.get("runtimeCode") else {
        return Ok((database.to_string(), None));
    };
    let code = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|error| RuntimeCodeError::NotBase64(error.to_string()))?;
    let hash = format!("0x{}", hex::encode(blake2_256(&code)));
    Ok((
        rest,
        Some(RuntimeCode {
            hash,
            fields: Value::Object(fields).to_string(),
        }),
    ))
}

/// `database` (split by [`split`]) with the code fields `fields` written back.
pub fn join(database: &str, fields: &str) -> Result<String, RuntimeCodeError> {
    let mut map = object(database, "the database")?;
    for (name, value) in object(fields, "the runtime-code record")? {
        if CODE_FIELDS.contains(&name.as_str()) {
            map.insert(name, value);
        }
    }
    Ok(Value::Object(map).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn database(code: Option<&[u8]>) -> String {
        let mut value = serde_json::json!({
            "genesisHash": "ab".repeat(32),
            "chain": { "finalizedBlockHeader": "00" },
            "nodes": { "12D3KooW": ["/ip4/127.0.0.1/tcp/30333/ws"] },
        });
        if let Some(code) = code {
            value["runtimeCode"] = base64::engine::general_purpose::STANDARD_NO_PAD.encode(code).into();
            value["codeMerkleValue"] = "cd".repeat(32).into();
            value["codeClosestAncestor"] = "3a".into();
        }
        value.to_string()
    }

    #[test]
    fn the_code_splits_off_under_its_blake2_hash_and_joins_back() {
        let code = b"\x52\xbc\x53\x76zstd runtime".as_slice();
        let saved = database(Some(code));
        let (rest, runtime) = split(&saved).expect("splits");
        let runtime = runtime.expect("the code");
        assert_eq!(runtime.hash, format!("0x{}", hex::encode(blake2_256(code))));
        assert!(
            !rest.contains("runtimeCode") && !rest.contains("codeMerkleValue"),
            "{rest}"
        );
        assert!(
            rest.contains("finalizedBlockHeader") && rest.contains("12D3KooW"),
            "{rest}"
        );
        let joined: Value = serde_json::from_str(&join(&rest, &runtime.fields).expect("joins")).unwrap();
        assert_eq!(joined, serde_json::from_str::<Value>(&saved).unwrap());
    }

    #[test]
    fn a_database_without_code_stays_whole() {
        let saved = database(None);
        assert_eq!(split(&saved), Ok((saved.clone(), None)));
    }

    #[test]
    fn what_is_not_a_database_or_not_base64_is_refused_by_name() {
        assert_eq!(split("<too-large>"), Err(RuntimeCodeError::NotAnObject("the database")));
        let mut bad: Value = serde_json::from_str(&database(Some(b"code"))).unwrap();
        bad["runtimeCode"] = "not base64!".into();
        assert!(matches!(split(&bad.to_string()), Err(RuntimeCodeError::NotBase64(_))));
        assert_eq!(
            join(&database(None), "[]"),
            Err(RuntimeCodeError::NotAnObject("the runtime-code record"))
        );
    }

    #[test]
    fn joining_takes_only_the_code_fields() {
        let joined = join(&database(None), r#"{"runtimeCode":"AA","genesisHash":"other"}"#).unwrap();
        let joined: Value = serde_json::from_str(&joined).unwrap();
        assert_eq!(joined["runtimeCode"], "AA");
        assert_eq!(joined["genesisHash"], "ab".repeat(32));
    }
}
