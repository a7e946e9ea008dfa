//! SS58 addresses: how Bittensor accounts (32-byte public keys) are shown to people.

use sp_crypto_hashing::blake2_512;

/// Bittensor's SS58 network prefix (the generic Substrate one).
pub const BITTENSOR_PREFIX: u16 = 42;

/// A 32-byte account id (hotkey or coldkey public key).
pub type AccountId = [u8; 32];

/// Why a string is not an SS58 address of a 32-byte account.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Ss58Error {
    /// The text contains characters outside the base-58 alphabet.
    #[error("not base-58 text")]
    NotBase58,
    /// The decoded bytes have the wrong length for a one-byte prefix and a 32-byte account.
    #[error("wrong length for an SS58 account address")]
    WrongLength,
    /// The two checksum bytes do not match the address.
    #[error("bad SS58 checksum")]
    BadChecksum,
    /// The address belongs to another network.
    #[error("SS58 prefix {0} is not Bittensor's (42)")]
    WrongPrefix(u16),
}

fn checksum(payload: &[u8]) -> [u8; 2] {
    let mut preimage = Vec::with_capacity(7 + payload.len());
    preimage.extend_from_slice(b"SS58PRE");
    preimage.extend_from_slice(payload);
    let hash = blake2_512(&preimage);
    [hash[0], hash[1]]
}

/// Encodes an account as an SS58 address with Bittensor's prefix (42).
pub fn encode(account: &AccountId) -> String {
    // Prefixes below 64 take one byte.
    let mut bytes = Vec::with_capacity(35);
    bytes.push(BITTENSOR_PREFIX as u8);
    bytes.extend_from_slice(account);
    let check = checksum(&bytes);
    bytes.extend_from_slice(&check);
    bs58::encode(bytes).into_string()
}

/// Decodes a Bittensor (prefix 42) SS58 address back to its account bytes.
pub fn decode(address: &str) -> Result<AccountId, Ss58Error> {
    let bytes = bs58::decode(address).into_vec().map_err(|_| Ss58Error::NotBase58)?;
    if bytes.len() != 35 {
        return Err(Ss58Error::WrongLength);
    }
    if checksum(&bytes[..33]) != bytes[33..] {
        return Err(Ss58Error::BadChecksum);
    }
    if u16::from(bytes[0]) != BITTENSOR_PREFIX {
        return Err(Ss58Error::WrongPrefix(bytes[0].into()));
    }
    let mut account = [0u8; 32];
    account.copy_from_slice(&bytes[1..33]);
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alice's well-known sr25519 public key and its generic-prefix address.
    const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    const ALICE_KEY: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    fn alice_key() -> AccountId {
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&ALICE_KEY[2 * i..2 * i + 2], 16).unwrap();
        }
        key
    }

    #[test]
    fn round_trip_of_a_known_address() {
        assert_eq!(encode(&alice_key()), ALICE);
        assert_eq!(decode(ALICE), Ok(alice_key()));
    }

    #[test]
    fn bad_addresses_are_named() {
        assert_eq!(decode("0OIl"), Err(Ss58Error::NotBase58));
        assert_eq!(decode("5Grwva"), Err(Ss58Error::WrongLength));
        let mut tampered = ALICE.to_string();
        tampered.replace_range(10..11, "A");
        assert_eq!(decode(&tampered), Err(Ss58Error::BadChecksum));
    }
}
