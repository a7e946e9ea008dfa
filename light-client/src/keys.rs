//! Storage keys: `twox128(pallet) ‖ twox128(item) ‖ hashed keys…`, built from names and hashers.
//!
//! The hasher of each key comes from the runtime's metadata; this module only knows how each hasher
//! turns key bytes into key-path bytes.

use sp_crypto_hashing::{blake2_128, blake2_256, twox_64, twox_128, twox_256};

/// What kind of storage read to make at a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageQueryKind {
    /// The value at exactly this key.
    Value,
    /// Every key and value below this prefix.
    DescendantsValues,
}

/// How a storage map hashes one of its keys, as declared in the runtime metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hasher {
    /// The raw SCALE key bytes (subtensor's netuid maps).
    Identity,
    /// `twox64(key) ‖ key`.
    Twox64Concat,
    /// `blake2_128(key) ‖ key` (hotkey- and coldkey-keyed maps).
    Blake2_128Concat,
    /// `blake2_128(key)`; the key cannot be read back.
    Blake2_128,
    /// `blake2_256(key)`; the key cannot be read back.
    Blake2_256,
    /// `twox128(key)`; the key cannot be read back.
    Twox128,
    /// `twox256(key)`; the key cannot be read back.
    Twox256,
}

impl Hasher {
    /// Appends the hashed form of `key` (its SCALE bytes) to `out`.
    pub fn hash_into(self, key: &[u8], out: &mut Vec<u8>) {
        match self {
            Hasher::Identity => out.extend_from_slice(key),
            Hasher::Twox64Concat => {
                out.extend_from_slice(&twox_64(key));
                out.extend_from_slice(key);
            }
            Hasher::Blake2_128Concat => {
                out.extend_from_slice(&blake2_128(key));
                out.extend_from_slice(key);
            }
            Hasher::Blake2_128 => out.extend_from_slice(&blake2_128(key)),
            Hasher::Blake2_256 => out.extend_from_slice(&blake2_256(key)),
            Hasher::Twox128 => out.extend_from_slice(&twox_128(key)),
            Hasher::Twox256 => out.extend_from_slice(&twox_256(key)),
        }
    }

    /// Number of hash bytes this hasher puts before the raw key, if the raw key follows at all.
    pub fn concat_prefix_len(self) -> Option<usize> {
        match self {
            Hasher::Identity => Some(0),
            Hasher::Twox64Concat => Some(8),
            Hasher::Blake2_128Concat => Some(16),
            Hasher::Blake2_128 | Hasher::Blake2_256 | Hasher::Twox128 | Hasher::Twox256 => None,
        }
    }
}

/// The 32-byte prefix shared by every key of one storage item.
pub fn item_prefix(pallet: &str, item: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(32);
    key.extend_from_slice(&twox_128(pallet.as_bytes()));
    key.extend_from_slice(&twox_128(item.as_bytes()));
    key
}

/// The full key of a storage map entry: the item prefix followed by each key hashed with its hasher.
///
/// `keys` pairs each hasher with the SCALE encoding of that key part, outermost first. Passing fewer
/// parts than the map has gives the prefix of all entries that share those parts.
pub fn map_key(pallet: &str, item: &str, keys: &[(Hasher, &[u8])]) -> Vec<u8> {
    let mut key = item_prefix(pallet, item);
    for (hasher, bytes) in keys {
        hasher.hash_into(bytes, &mut key);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prefixes published in `../shared/chain/SUBTENSOR-FACTS.md`, computed there from finney.
    #[test]
    fn item_prefixes_match_finney() {
        let subtensor = "658faa385070e074c85bf6b568cf0555";
        let cases = [
            ("Active", "0f41321f75df7ea5127be2db4983c8b2"),
            ("ValidatorPermit", "56af5b07ace59da2c9d7f0d48bc93143"),
            ("Consensus", "925bd7637d049b4f2508e14eb43b51a1"),
            ("Incentive", "89c69c2c416b8105d37501394f4de849"),
            ("Dividends", "86752d66f11480ecef37769cdd736b9b"),
            ("ValidatorTrust", "372b10ce520c756285796e436e44318e"),
            ("StakeWeight", "77ad8cc9064f1da3a4455d92db4661ef"),
            ("Emission", "93916af563e2313a574d6cd48caec1a5"),
            ("LastUpdate", "696e262a16e52255a69d8acd79354146"),
            ("Keys", "9f99a2ce711f3a31b2fc05604c93f179"),
            ("Owner", "eca6b7a1fdc9f689184ecb4f359c0518"),
            ("TotalHotkeyAlpha", "ee25c3b5b1886863480497907f1829e6"),
            ("TotalIssuance", "57c875e4cff74148e4628f264b974c80"),
        ];
        for (item, suffix) in cases {
            assert_eq!(
                hex::encode(item_prefix("SubtensorModule", item)),
                format!("{subtensor}{suffix}"),
                "{item}"
            );
        }
        assert_eq!(
            hex::encode(item_prefix("Balances", "TotalIssuance")),
            "c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80"
        );
        assert_eq!(
            hex::encode(item_prefix("Swap", "SwapBalancer")),
            "746cc6d1e9dbcf1d03868e492c1d836e8129c00c7f7dc3242d3df9ca2338dc9a"
        );
    }

    #[test]
    fn identity_netuid_key_appends_little_endian_u16() {
        let key = map_key(
            "SubtensorModule",
            "Incentive",
            &[(Hasher::Identity, &1u16.to_le_bytes())],
        );
        assert_eq!(
            hex::encode(key),
            "658faa385070e074c85bf6b568cf055589c69c2c416b8105d37501394f4de8490100"
        );
    }

    #[test]
    fn concat_hashers_keep_the_raw_key_readable() {
        let account = [7u8; 32];
        let mut out = Vec::new();
        Hasher::Blake2_128Concat.hash_into(&account, &mut out);
        assert_eq!(out.len(), 48);
        assert_eq!(&out[16..], &account);
        assert_eq!(Hasher::Blake2_128Concat.concat_prefix_len(), Some(16));

        let mut out = Vec::new();
        Hasher::Twox64Concat.hash_into(&3u16.to_le_bytes(), &mut out);
        assert_eq!(out.len(), 10);
        assert_eq!(&out[8..], &[3, 0]);
        assert_eq!(Hasher::Blake2_256.concat_prefix_len(), None);
    }
}
