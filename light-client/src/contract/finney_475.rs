//! Finney at spec 475 (mainnet since 2026-10-07), item by item, for what Taoscope reads. No
//! metadata of that runtime ships with the project, so the contract is written out here from two
//! public sources: the type names from the catalog the bittensor SDK 11.3.0 wheel generates from
//! ≥ 475 metadata (`bittensor/_generated/storage.py`, `runtime_apis.py`), and the hashers, keys
//! and metagraph fields from RaoFoundation/subtensor's sources (`pallets/subtensor/src/lib.rs`,
//! `subnets/mechanism.rs`, `rpc_info/metagraph.rs`, `pallets/swap/src/pallet/mod.rs`).
//!
//! A type that differs from finney's only because one side wraps a primitive in one of finney's
//! newtypes (`TaoBalance` around `u64`, `PerU16` around `u16`…) encodes to the same bytes: the
//! check reports it as [`Finding::SameBytes`] and passes.

use std::fmt;

use crate::keys::Hasher;
use crate::metadata::Metadata;

/// One storage item as finney declares it at spec 475.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item475 {
    /// Storage prefix (pallet).
    pub pallet: &'static str,
    /// Item name.
    pub name: &'static str,
    /// One hasher per key part.
    pub hashers: &'static [Hasher],
    /// Each key part's type name.
    pub keys: &'static [&'static str],
    /// The value's type name (the catalog's `value_type_ident`).
    pub value: &'static str,
}

/// Finney's newtypes at 475 and the primitive each one wraps (one field: the same SCALE bytes).
pub const NEWTYPES: &[(&str, &str)] = &[
    ("TaoBalance", "u64"),
    ("AlphaBalance", "u64"),
    ("PerU16", "u16"),
    ("NetUid", "u16"),
    ("NetUidStorageIndex", "u16"),
    ("MechId", "u8"),
];

/// Every storage item Taoscope reads, as declared at 475.
#[rustfmt::skip]
pub const STORAGE: &[Item475] = &[
    Item475 { pallet: "SubtensorModule", name: "NetworksAdded", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "bool" },
    Item475 { pallet: "SubtensorModule", name: "TotalNetworks", hashers: &[], keys: &[], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "SubnetLimit", hashers: &[], keys: &[], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "SubnetworkN", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "MaxAllowedUids", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "MaxAllowedValidators", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "Tempo", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "SubnetMechanism", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "SubtokenEnabled", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "bool" },
    Item475 { pallet: "SubtensorModule", name: "FirstEmissionBlockNumber", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "NetworkRegisteredAt", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "SubnetOwner", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AccountId32" },
    Item475 { pallet: "SubtensorModule", name: "SubnetOwnerHotkey", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AccountId32" },
    Item475 { pallet: "SubtensorModule", name: "TokenSymbol", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<u8>" },
    Item475 { pallet: "SubtensorModule", name: "SubnetIdentitiesV3", hashers: &[Hasher::Blake2_128Concat], keys: &["NetUid"], value: "SubnetIdentityV3" },
    Item475 { pallet: "SubtensorModule", name: "Burn", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "Keys", hashers: &[Hasher::Identity, Hasher::Identity], keys: &["NetUid", "u16"], value: "AccountId32" },
    Item475 { pallet: "SubtensorModule", name: "Uids", hashers: &[Hasher::Identity, Hasher::Blake2_128Concat], keys: &["NetUid", "AccountId32"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "Owner", hashers: &[Hasher::Blake2_128Concat], keys: &["AccountId32"], value: "AccountId32" },
    Item475 { pallet: "SubtensorModule", name: "Active", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<bool>" },
    Item475 { pallet: "SubtensorModule", name: "ValidatorPermit", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<bool>" },
    Item475 { pallet: "SubtensorModule", name: "Consensus", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<PerU16>" },
    Item475 { pallet: "SubtensorModule", name: "Incentive", hashers: &[Hasher::Identity], keys: &["NetUidStorageIndex"], value: "Vec<PerU16>" },
    Item475 { pallet: "SubtensorModule", name: "Dividends", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<PerU16>" },
    Item475 { pallet: "SubtensorModule", name: "ValidatorTrust", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<PerU16>" },
    Item475 { pallet: "SubtensorModule", name: "StakeWeight", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<u16>" },
    Item475 { pallet: "SubtensorModule", name: "Emission", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "Vec<AlphaBalance>" },
    Item475 { pallet: "SubtensorModule", name: "LastUpdate", hashers: &[Hasher::Identity], keys: &["NetUidStorageIndex"], value: "Vec<u64>" },
    Item475 { pallet: "SubtensorModule", name: "BlockAtRegistration", hashers: &[Hasher::Identity, Hasher::Identity], keys: &["NetUid", "u16"], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "Axons", hashers: &[Hasher::Identity, Hasher::Blake2_128Concat], keys: &["NetUid", "AccountId32"], value: "AxonInfo" },
    Item475 { pallet: "SubtensorModule", name: "Delegates", hashers: &[Hasher::Blake2_128Concat], keys: &["AccountId32"], value: "PerU16" },
    Item475 { pallet: "SubtensorModule", name: "IdentitiesV2", hashers: &[Hasher::Blake2_128Concat], keys: &["AccountId32"], value: "ChainIdentityV2" },
    Item475 { pallet: "SubtensorModule", name: "TotalHotkeyAlpha", hashers: &[Hasher::Blake2_128Concat, Hasher::Identity], keys: &["AccountId32", "NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetTAO", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetAlphaIn", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetAlphaOut", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetTaoInEmission", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetExcessTao", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetAlphaInEmission", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetAlphaOutEmission", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "SubnetMovingPrice", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "FixedI128" },
    Item475 { pallet: "SubtensorModule", name: "SubnetVolume", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u128" },
    Item475 { pallet: "SubtensorModule", name: "TotalIssuance", hashers: &[], keys: &[], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "TotalStake", hashers: &[], keys: &[], value: "TaoBalance" },
    Item475 { pallet: "SubtensorModule", name: "TaoWeight", hashers: &[], keys: &[], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "AlphaDividendsPerSubnet", hashers: &[Hasher::Identity, Hasher::Blake2_128Concat], keys: &["NetUid", "AccountId32"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "TotalHotkeyAlphaLastEpoch", hashers: &[Hasher::Blake2_128Concat, Hasher::Identity], keys: &["AccountId32", "NetUid"], value: "AlphaBalance" },
    Item475 { pallet: "SubtensorModule", name: "TotalHotkeySharesV2", hashers: &[Hasher::Blake2_128Concat, Hasher::Identity], keys: &["AccountId32", "NetUid"], value: "SafeFloat" },
    Item475 { pallet: "SubtensorModule", name: "AlphaV2", hashers: &[Hasher::Blake2_128Concat, Hasher::Blake2_128Concat, Hasher::Identity], keys: &["AccountId32", "AccountId32", "NetUid"], value: "SafeFloat" },
    Item475 { pallet: "SubtensorModule", name: "StakingHotkeys", hashers: &[Hasher::Blake2_128Concat], keys: &["AccountId32"], value: "Vec<AccountId32>" },
    Item475 { pallet: "SubtensorModule", name: "ImmunityPeriod", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "SubtensorModule", name: "MinNonImmuneUids", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u16" },
    Item475 { pallet: "System", name: "Account", hashers: &[Hasher::Blake2_128Concat], keys: &["AccountId32"], value: "AccountInfo" },
    Item475 { pallet: "SubtensorModule", name: "MechanismCountCurrent", hashers: &[Hasher::Twox64Concat], keys: &["NetUid"], value: "MechId" },
    Item475 { pallet: "SubtensorModule", name: "MechanismEmissionSplit", hashers: &[Hasher::Twox64Concat], keys: &["NetUid"], value: "Vec<u16>" },
    Item475 { pallet: "SubtensorModule", name: "SubnetEpochConsensus", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "EpochConsensus" },
    Item475 { pallet: "SubtensorModule", name: "LastEpochBlock", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "PendingEpochAt", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "u64" },
    Item475 { pallet: "SubtensorModule", name: "SubnetEmissionEnabled", hashers: &[Hasher::Identity], keys: &["NetUid"], value: "bool" },
    Item475 { pallet: "Swap", name: "SwapBalancer", hashers: &[Hasher::Twox64Concat], keys: &["NetUid"], value: "Balancer" },
];

/// Runtime API methods Taoscope calls or checks against (`runtime_apis.py`).
pub const RUNTIME_APIS: &[(&str, &str)] = &[
    ("SubnetInfoRuntimeApi", "get_all_dynamic_info"),
    ("SubnetInfoRuntimeApi", "get_dynamic_info"),
    ("SubnetInfoRuntimeApi", "get_metagraph"),
    ("SubnetInfoRuntimeApi", "get_selective_metagraph"),
    ("SubnetInfoRuntimeApi", "get_mechagraph"),
    ("SubnetInfoRuntimeApi", "get_selective_mechagraph"),
    ("SubnetInfoRuntimeApi", "get_block_emission"),
    ("NeuronInfoRuntimeApi", "get_neurons_lite"),
    ("DelegateInfoRuntimeApi", "get_delegates"),
    ("SwapRuntimeApi", "current_alpha_price"),
    ("SwapRuntimeApi", "current_alpha_price_all"),
    ("BetaBasketRuntimeApi", "get_validator_basket_summary"),
    ("BetaBasketRuntimeApi", "get_all_validator_baskets"),
];

/// The metagraph answers' last fields at 475 (`rpc_info/metagraph.rs`): plain vectors in
/// `Metagraph`, each wrapped in `Option` in `SelectiveMetagraph` (indexes 74–76).
pub const METAGRAPH_TRAILING_FIELDS: [&str; 3] = ["collateral_locked", "collateral_min", "collateral_earned"];

/// What the July contract ([`super::compare`]) must find changed on a runtime that satisfies this
/// one: the metagraph answers, which gained the trailing fields.
pub const CHANGED_SINCE_JULY: &[&str] = &[
    "SubnetInfoRuntimeApi_get_metagraph output",
    "SubnetInfoRuntimeApi_get_selective_metagraph output",
];

/// The methods whose answer is a metagraph, with whether it is the selective kind.
const METAGRAPH_METHODS: &[(&str, bool)] = &[
    ("get_metagraph", false),
    ("get_mechagraph", false),
    ("get_selective_metagraph", true),
    ("get_selective_mechagraph", true),
];

/// What the check found for one item or method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Absent from the candidate.
    Missing(String),
    /// Hashers differ: what, 475's, the candidate's.
    Hashers(String, String, String),
    /// A type differs in its bytes: what, 475's name, the candidate's.
    Type(String, String, String),
    /// A type differs only by newtype wrapping (same bytes): what, 475's name, the candidate's.
    /// Not a failure.
    SameBytes(String, String, String),
    /// A metagraph answer lacks 475's trailing fields: what, the fields it ends with instead.
    Trailing(String, String),
}

impl Finding {
    /// Whether this finding breaks the contract (everything but [`Finding::SameBytes`]).
    pub fn is_failure(&self) -> bool {
        !matches!(self, Finding::SameBytes(..))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Missing(what) => write!(f, "{what}: missing (finney 475 has it)"),
            Finding::Hashers(what, expected, actual) => {
                write!(f, "{what}: hashers {actual} instead of finney 475's {expected}")
            }
            Finding::Type(what, expected, actual) => write!(f, "{what}: {actual} instead of finney 475's {expected}"),
            Finding::SameBytes(what, expected, actual) => write!(
                f,
                "{what}: {actual} where finney 475 has {expected}; newtype wrapping only, same bytes (passes)"
            ),
            Finding::Trailing(what, actual) => write!(
                f,
                "{what}: ends with {actual}, not finney 475's {}",
                METAGRAPH_TRAILING_FIELDS.join(", ")
            ),
        }
    }
}

/// `name` with every newtype of [`NEWTYPES`] replaced by the primitive it wraps.
fn erase_newtypes(name: &str) -> String {
    let mut erased = String::with_capacity(name.len());
    let mut word = String::new();
    let flush = |word: &mut String, erased: &mut String| {
        let primitive = NEWTYPES.iter().find(|(newtype, _)| newtype == word).map(|(_, p)| *p);
        erased.push_str(primitive.unwrap_or(word));
        word.clear();
    };
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut erased);
            erased.push(c);
        }
    }
    flush(&mut word, &mut erased);
    erased
}

/// Compares a type name with finney 475's.
fn compare_type(what: String, expected: &str, actual: &str, out: &mut Vec<Finding>) {
    if expected == actual {
        return;
    }
    if erase_newtypes(expected) == erase_newtypes(actual) {
        out.push(Finding::SameBytes(what, expected.into(), actual.into()));
    } else {
        out.push(Finding::Type(what, expected.into(), actual.into()));
    }
}

/// Every way `candidate` differs from finney at 475 over what Taoscope reads; a candidate
/// satisfies the contract when no finding [`is_failure`](Finding::is_failure).
pub fn check(candidate: &Metadata) -> Vec<Finding> {
    let mut findings = Vec::new();
    for expected in STORAGE {
        let what = format!("{}.{}", expected.pallet, expected.name);
        let Some(actual) = candidate.storage_item(expected.pallet, expected.name) else {
            findings.push(Finding::Missing(what));
            continue;
        };
        if actual.hashers != expected.hashers {
            findings.push(Finding::Hashers(
                what.clone(),
                format!("{:?}", expected.hashers),
                format!("{:?}", actual.hashers),
            ));
        }
        for (index, (key, id)) in expected.keys.iter().zip(&actual.key_types).enumerate() {
            compare_type(
                format!("{what} key {index}"),
                key,
                &candidate.type_name(*id),
                &mut findings,
            );
        }
        compare_type(
            format!("{what} value"),
            expected.value,
            &candidate.type_name(actual.value_type),
            &mut findings,
        );
    }
    for (api, method) in RUNTIME_APIS {
        if candidate.api_method(api, method).is_none() {
            findings.push(Finding::Missing(format!("{api}_{method}")));
        }
    }
    for (method, selective) in METAGRAPH_METHODS {
        let Some(api) = candidate.api_method("SubnetInfoRuntimeApi", method) else {
            continue;
        };
        let what = format!("SubnetInfoRuntimeApi_{method} output");
        let fields = candidate.struct_fields(api.output).unwrap_or_default();
        let last: Vec<&(String, u32)> = fields.iter().rev().take(3).rev().collect();
        let names: Vec<&str> = last.iter().map(|(name, _)| name.as_str()).collect();
        if names != METAGRAPH_TRAILING_FIELDS {
            findings.push(Finding::Trailing(what, names.join(", ")));
            continue;
        }
        let expected = if *selective {
            "Option<Vec<Compact<AlphaBalance>>>"
        } else {
            "Vec<Compact<AlphaBalance>>"
        };
        for (name, id) in last {
            compare_type(
                format!("{what} {name}"),
                expected,
                &candidate.type_name(*id),
                &mut findings,
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::tests::finney as july;

    #[test]
    fn newtypes_are_erased_word_by_word() {
        assert_eq!(erase_newtypes("Vec<PerU16>"), "Vec<u16>");
        assert_eq!(
            erase_newtypes("Option<Vec<Compact<AlphaBalance>>>"),
            "Option<Vec<Compact<u64>>>"
        );
        assert_eq!(erase_newtypes("NetUidStorageIndex"), "u16");
        assert_eq!(erase_newtypes("PerU16x"), "PerU16x");
    }

    /// July's runtime (spec 425) against the 475 contract: the newtyped items pass as same
    /// bytes, and what really changed since fails: the new item, the new API methods and the
    /// metagraph answers without their collateral fields.
    #[test]
    fn the_july_runtime_fails_where_finney_changed_and_passes_where_only_names_did() {
        let findings = check(&july());
        let failures: Vec<&Finding> = findings.iter().filter(|f| f.is_failure()).collect();
        let trailing = |method: &str, fields: &str| {
            Finding::Trailing(format!("SubnetInfoRuntimeApi_{method} output"), fields.into())
        };
        let plain = "total_stake, tao_dividends_per_hotkey, alpha_dividends_per_hotkey";
        let selective = "alpha_dividends_per_hotkey, validators, commitments";
        assert_eq!(
            failures,
            [
                &Finding::Missing("SubtensorModule.SubnetEpochConsensus".into()),
                &Finding::Missing("SubnetInfoRuntimeApi_get_block_emission".into()),
                &Finding::Missing("BetaBasketRuntimeApi_get_validator_basket_summary".into()),
                &Finding::Missing("BetaBasketRuntimeApi_get_all_validator_baskets".into()),
                &trailing("get_metagraph", plain),
                &trailing("get_mechagraph", plain),
                &trailing("get_selective_metagraph", selective),
                &trailing("get_selective_mechagraph", selective),
            ]
        );
        assert!(findings.contains(&Finding::SameBytes(
            "SubtensorModule.Incentive value".into(),
            "Vec<PerU16>".into(),
            "Vec<u16>".into()
        )));
        assert!(findings.contains(&Finding::SameBytes(
            "SubtensorModule.Incentive key 0".into(),
            "NetUidStorageIndex".into(),
            "u16".into()
        )));
    }

    /// An item whose bytes changed (here: `Incentive` given `Emission`'s `Vec<u64>`) fails.
    #[test]
    fn a_retyped_item_fails() {
        let mut candidate = july();
        let emission = candidate
            .storage_item("SubtensorModule", "Emission")
            .unwrap()
            .value_type;
        candidate.retype_storage_item("SubtensorModule", "Incentive", emission);
        assert!(check(&candidate).contains(&Finding::Type(
            "SubtensorModule.Incentive value".into(),
            "Vec<PerU16>".into(),
            "Vec<u64>".into()
        )));
    }
}
