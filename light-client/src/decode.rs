//! Bytes → values, driven by the runtime's own metadata: storage keys built from an item's declared
//! hashers, values decoded with scale-value against the declared type, and small accessors that
//! turn decoded values into plain numbers, strings and accounts. Pure: no I/O, no async.

use std::borrow::Cow;

use scale_value::{Composite, Primitive, ValueDef};

use crate::keys::{self, Hasher};
use crate::metadata::{Metadata, StorageItem};

/// A value decoded from SCALE against the runtime's type registry.
pub type Value = scale_value::Value<u32>;

/// Why a storage item could not be read as the dashboard expects.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecodeError {
    /// The runtime has no such item (renamed or removed by an upgrade).
    #[error("{0} is not in this runtime's metadata (unsupported by this runtime)")]
    Missing(String),
    /// The item exists but its bytes do not decode as its declared type.
    #[error("{item}: value does not decode: {detail}")]
    Malformed {
        /// `Pallet.Item`.
        item: String,
        /// What went wrong.
        detail: String,
    },
    /// Items that must agree do not: a per-uid vector shorter than the subnet's uid count would
    /// otherwise read as zeros for the missing uids.
    #[error("{item} has {found} entries for {expected} uids ({against}): the chain's data is inconsistent")]
    Inconsistent {
        /// The short item.
        item: String,
        /// Entries it has.
        found: usize,
        /// Entries it must have.
        expected: usize,
        /// What gives the expected count.
        against: Cow<'static, str>,
    },
    /// The item decodes, but not to the kind of value the dashboard reads (retyped by an upgrade).
    #[error("{item}: expected {expected} (unsupported by this runtime)")]
    Retyped {
        /// `Pallet.Item`.
        item: String,
        /// What the dashboard expected.
        expected: Cow<'static, str>,
    },
}

/// One storage item of the runtime, ready to build keys and decode values.
#[derive(Debug, Clone)]
pub struct Item<'m> {
    metadata: &'m Metadata,
    /// `Pallet.Item`, for messages.
    pub name: String,
    pallet: String,
    item: String,
    entry: &'m StorageItem,
}

impl<'m> Item<'m> {
    /// Looks `pallet.item` up in `metadata`.
    pub fn new(metadata: &'m Metadata, pallet: &str, item: &str) -> Result<Self, DecodeError> {
        let name = format!("{pallet}.{item}");
        let entry = metadata
            .storage_item(pallet, item)
            .ok_or_else(|| DecodeError::Missing(name.clone()))?;
        Ok(Item {
            metadata,
            name,
            pallet: pallet.to_string(),
            item: item.to_string(),
            entry,
        })
    }

    /// The key of the entry whose leading key parts have these SCALE encodings (all parts: one
    /// entry; fewer: the prefix of every entry sharing them).
    pub fn key(&self, parts: &[&[u8]]) -> Vec<u8> {
        let hashed: Vec<(Hasher, &[u8])> = self.entry.hashers.iter().copied().zip(parts.iter().copied()).collect();
        keys::map_key(&self.pallet, &self.item, &hashed)
    }

    /// Reads key part `index` back from a full key, when its hasher keeps it (Identity, *Concat):
    /// the raw SCALE bytes of that part, `len` bytes long.
    pub fn key_part<'k>(&self, key: &'k [u8], index: usize, lengths: &[usize]) -> Option<&'k [u8]> {
        let mut offset = 32;
        for (i, hasher) in self.entry.hashers.iter().enumerate() {
            offset += hasher.concat_prefix_len()?;
            let len = *lengths.get(i)?;
            if i == index {
                return key.get(offset..offset + len);
            }
            offset += len;
        }
        None
    }

    /// A u16 key part (netuid, uid), read back from a full key.
    pub fn key_u16(&self, key: &[u8], index: usize, lengths: &[usize]) -> Option<u16> {
        let bytes = self.key_part(key, index, lengths)?;
        Some(u16::from_le_bytes(bytes.try_into().ok()?))
    }

    /// Decodes a value of this item.
    pub fn decode(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        let mut cursor = bytes;
        let value = scale_value::scale::decode_as_type(&mut cursor, self.entry.value_type, &self.metadata.types)
            .map_err(|error| DecodeError::Malformed {
                item: self.name.clone(),
                detail: error.to_string(),
            })?;
        if !cursor.is_empty() {
            return Err(DecodeError::Malformed {
                item: self.name.clone(),
                detail: format!("{} bytes left over", cursor.len()),
            });
        }
        Ok(value)
    }

    /// The value a missing key reads as: the declared default (ValueQuery) or `None` (OptionQuery).
    pub fn default_value(&self) -> Result<Option<Value>, DecodeError> {
        if self.entry.optional {
            return Ok(None);
        }
        self.decode(&self.entry.default).map(Some)
    }

    /// Decodes `bytes` (or the default when absent) and converts it with `read`, naming the
    /// expected kind in the error if the conversion fails.
    pub fn read<T>(
        &self,
        bytes: Option<&[u8]>,
        expected: &'static str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, DecodeError> {
        let value = match bytes {
            Some(bytes) => Some(self.decode(bytes)?),
            None => self.default_value()?,
        };
        match value {
            None => Ok(None),
            Some(value) => read(&value).map(Some).ok_or_else(|| DecodeError::Retyped {
                item: self.name.clone(),
                expected: expected.into(),
            }),
        }
    }
}

/// Unwraps single-field structs and tuples (newtypes such as `TaoBalance` or `FixedI128 { bits }`).
fn unwrap_newtype(value: &Value) -> &Value {
    match &value.value {
        ValueDef::Composite(Composite::Named(fields)) if fields.len() == 1 => unwrap_newtype(&fields[0].1),
        ValueDef::Composite(Composite::Unnamed(fields)) if fields.len() == 1 => unwrap_newtype(&fields[0]),
        _ => value,
    }
}

/// An unsigned integer of any width.
pub fn as_u128(value: &Value) -> Option<u128> {
    match &unwrap_newtype(value).value {
        ValueDef::Primitive(Primitive::U128(n)) => Some(*n),
        _ => None,
    }
}

/// An unsigned integer that fits in u64.
pub fn as_u64(value: &Value) -> Option<u64> {
    as_u128(value).and_then(|n| u64::try_from(n).ok())
}

/// A u16 (netuids, uids, u16 proportions).
pub fn as_u16(value: &Value) -> Option<u16> {
    as_u128(value).and_then(|n| u16::try_from(n).ok())
}

/// A signed integer (the bits of a signed fixed-point number).
pub fn as_i128(value: &Value) -> Option<i128> {
    match &unwrap_newtype(value).value {
        ValueDef::Primitive(Primitive::I128(n)) => Some(*n),
        ValueDef::Primitive(Primitive::U128(n)) => i128::try_from(*n).ok(),
        _ => None,
    }
}

/// A boolean.
pub fn as_bool(value: &Value) -> Option<bool> {
    match &unwrap_newtype(value).value {
        ValueDef::Primitive(Primitive::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// The items of a sequence, array or tuple.
pub fn as_list(value: &Value) -> Option<Vec<&Value>> {
    match &value.value {
        ValueDef::Composite(Composite::Unnamed(items)) => Some(items.iter().collect()),
        ValueDef::Composite(Composite::Named(fields)) if fields.is_empty() => Some(Vec::new()),
        _ => None,
    }
}

/// A byte string (`Vec<u8>`, `[u8; N]`, or `Vec<Compact<u8>>`).
pub fn as_bytes(value: &Value) -> Option<Vec<u8>> {
    let value = unwrap_newtype(value);
    as_list(value)?
        .into_iter()
        .map(|item| as_u128(item).and_then(|n| u8::try_from(n).ok()))
        .collect()
}

/// A 32-byte account id.
pub fn as_account(value: &Value) -> Option<[u8; 32]> {
    as_bytes(value)?.try_into().ok()
}

/// A named field of a struct.
pub fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    match &value.value {
        ValueDef::Composite(Composite::Named(fields)) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
        _ => None,
    }
}

/// The name of an enum value's variant (`EpochConsensus::Null` → `"Null"`).
pub fn as_variant_name(value: &Value) -> Option<&str> {
    match &unwrap_newtype(value).value {
        ValueDef::Variant(variant) => Some(variant.name.as_str()),
        _ => None,
    }
}

/// The payload of `Some(…)`, or `None` for `None` (an `Option<T>` value).
pub fn as_option(value: &Value) -> Option<Option<&Value>> {
    match &value.value {
        ValueDef::Variant(variant) if variant.name == "None" => Some(None),
        ValueDef::Variant(variant) if variant.name == "Some" => match &variant.values {
            Composite::Unnamed(items) => items.first().map(Some),
            Composite::Named(items) => items.first().map(|(_, v)| Some(v)),
        },
        _ => None,
    }
}

/// Untrusted on-chain bytes as display text: invalid UTF-8 replaced, control characters dropped.
/// The result is still untrusted and must only ever be rendered as text.
pub fn untrusted_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::tests::finney;
    use codec::Encode;

    #[test]
    fn keys_and_key_parts_follow_the_declared_hashers() {
        let metadata = finney();
        let incentive = Item::new(&metadata, "SubtensorModule", "Incentive").unwrap();
        let key = incentive.key(&[&3u16.to_le_bytes()]);
        assert_eq!(incentive.key_u16(&key, 0, &[2]), Some(3));

        let identities = Item::new(&metadata, "SubtensorModule", "SubnetIdentitiesV3").unwrap();
        let key = identities.key(&[&7u16.to_le_bytes()]);
        assert_eq!(
            key.len(),
            32 + 16 + 2,
            "Blake2_128Concat keeps the netuid after its hash"
        );
        assert_eq!(identities.key_u16(&key, 0, &[2]), Some(7));

        let alpha = Item::new(&metadata, "SubtensorModule", "TotalHotkeyAlpha").unwrap();
        let hotkey = [9u8; 32];
        let key = alpha.key(&[&hotkey, &5u16.to_le_bytes()]);
        assert_eq!(alpha.key_part(&key, 0, &[32, 2]), Some(&hotkey[..]));
        assert_eq!(alpha.key_u16(&key, 1, &[32, 2]), Some(5));
    }

    #[test]
    fn values_of_each_shape_decode_against_finney_metadata() {
        let metadata = finney();
        let item = |name| Item::new(&metadata, "SubtensorModule", name).unwrap();

        let incentive = item("Incentive").decode(&vec![1u16, 65_535].encode()).unwrap();
        let incentive: Vec<u16> = as_list(&incentive).unwrap().into_iter().filter_map(as_u16).collect();
        assert_eq!(incentive, vec![1, 65_535]);

        let active = item("Active").decode(&vec![true, false].encode()).unwrap();
        assert_eq!(
            as_list(&active)
                .unwrap()
                .into_iter()
                .filter_map(as_bool)
                .collect::<Vec<_>>(),
            vec![true, false]
        );

        let tao = item("SubnetTAO").decode(&1_234u64.encode()).unwrap();
        assert_eq!(as_u64(&tao), Some(1_234));

        let volume = item("SubnetVolume").decode(&u128::MAX.encode()).unwrap();
        assert_eq!(as_u128(&volume), Some(u128::MAX));

        let price = item("SubnetMovingPrice").decode(&(-(3i128 << 31)).encode()).unwrap();
        assert_eq!(as_i128(&price), Some(-(3i128 << 31)));

        let owner = item("SubnetOwner").decode(&[4u8; 32]).unwrap();
        assert_eq!(as_account(&owner), Some([4u8; 32]));

        let identity_bytes = (
            b"Apex".to_vec(),
            b"https://x".to_vec(),
            vec![0u8; 0],
            vec![0u8; 0],
            vec![0u8; 0],
            b"<img src=x onerror=alert(1)>".to_vec(),
            vec![0u8; 0],
            vec![0u8; 0],
        )
            .encode();
        let identity = item("SubnetIdentitiesV3").decode(&identity_bytes).unwrap();
        assert_eq!(as_bytes(field(&identity, "subnet_name").unwrap()).unwrap(), b"Apex");
        assert_eq!(
            untrusted_text(&as_bytes(field(&identity, "description").unwrap()).unwrap()),
            "<img src=x onerror=alert(1)>"
        );

        let axon = (1u64, 2u32, 0x7f00_0001u128, 8091u16, 4u8, 4u8, 0u8, 0u8).encode();
        let axon = item("Axons").decode(&axon).unwrap();
        assert_eq!(as_u16(field(&axon, "port").unwrap()), Some(8091));

        let first_emission = item("FirstEmissionBlockNumber");
        assert_eq!(
            first_emission.default_value().unwrap(),
            None,
            "OptionQuery has no default"
        );
        assert_eq!(item("SubnetLimit").read(None, "u16", as_u16).unwrap(), Some(128));
    }

    #[test]
    fn bad_bytes_and_unexpected_types_are_named() {
        let metadata = finney();
        let tao = Item::new(&metadata, "SubtensorModule", "SubnetTAO").unwrap();
        assert!(matches!(tao.decode(&[1, 2, 3]), Err(DecodeError::Malformed { .. })));
        assert!(
            matches!(tao.decode(&[0; 9]), Err(DecodeError::Malformed { .. })),
            "trailing byte"
        );
        assert_eq!(
            tao.read(Some(&5u64.encode()), "bool", as_bool),
            Err(DecodeError::Retyped {
                item: "SubtensorModule.SubnetTAO".into(),
                expected: "bool".into()
            })
        );
        assert_eq!(
            Item::new(&metadata, "SubtensorModule", "Rank").unwrap_err().to_string(),
            "SubtensorModule.Rank is not in this runtime's metadata (unsupported by this runtime)"
        );
        assert_eq!(untrusted_text(b"ok\x07\xff"), "ok\u{fffd}");
    }
}
