//! The finney-shape contracts. `compare`: every storage item and runtime API Taoscope reads has the
//! same hashers and an equivalent type shape on the chain under test as in finney's July 2026
//! metadata (spec 425, `../shared/chain/finney-metadata.scale`). `finney_475`: the same items
//! and APIs as finney declares them at spec 475, by type name. This keeps the devnet honest, and
//! tells the app which widgets a changed runtime breaks.

pub mod finney_475;

use std::fmt;

use crate::metadata::{Metadata, Shape};

/// `(storage prefix, item)` pairs the light client reads.
pub const USED_STORAGE_ITEMS: &[(&str, &str)] = &[
    ("SubtensorModule", "NetworksAdded"),
    ("SubtensorModule", "TotalNetworks"),
    ("SubtensorModule", "SubnetLimit"),
    ("SubtensorModule", "SubnetworkN"),
    ("SubtensorModule", "MaxAllowedUids"),
    ("SubtensorModule", "MaxAllowedValidators"),
    ("SubtensorModule", "Tempo"),
    ("SubtensorModule", "SubnetMechanism"),
    ("SubtensorModule", "SubtokenEnabled"),
    ("SubtensorModule", "FirstEmissionBlockNumber"),
    ("SubtensorModule", "NetworkRegisteredAt"),
    ("SubtensorModule", "SubnetOwner"),
    ("SubtensorModule", "SubnetOwnerHotkey"),
    ("SubtensorModule", "TokenSymbol"),
    ("SubtensorModule", "SubnetIdentitiesV3"),
    ("SubtensorModule", "Burn"),
    ("SubtensorModule", "Keys"),
    ("SubtensorModule", "Uids"),
    ("SubtensorModule", "Owner"),
    ("SubtensorModule", "Active"),
    ("SubtensorModule", "ValidatorPermit"),
    ("SubtensorModule", "Consensus"),
    ("SubtensorModule", "Incentive"),
    ("SubtensorModule", "Dividends"),
    ("SubtensorModule", "ValidatorTrust"),
    ("SubtensorModule", "StakeWeight"),
    ("SubtensorModule", "Emission"),
    ("SubtensorModule", "LastUpdate"),
    ("SubtensorModule", "BlockAtRegistration"),
    ("SubtensorModule", "Axons"),
    ("SubtensorModule", "Delegates"),
    ("SubtensorModule", "IdentitiesV2"),
    ("SubtensorModule", "TotalHotkeyAlpha"),
    ("SubtensorModule", "SubnetTAO"),
    ("SubtensorModule", "SubnetAlphaIn"),
    ("SubtensorModule", "SubnetAlphaOut"),
    ("SubtensorModule", "SubnetTaoInEmission"),
    ("SubtensorModule", "SubnetExcessTao"),
    ("SubtensorModule", "SubnetAlphaInEmission"),
    ("SubtensorModule", "SubnetAlphaOutEmission"),
    ("SubtensorModule", "SubnetMovingPrice"),
    ("SubtensorModule", "SubnetVolume"),
    ("SubtensorModule", "TotalIssuance"),
    ("SubtensorModule", "TotalStake"),
    ("SubtensorModule", "TaoWeight"),
    ("SubtensorModule", "AlphaDividendsPerSubnet"),
    ("SubtensorModule", "TotalHotkeyAlphaLastEpoch"),
    ("SubtensorModule", "TotalHotkeySharesV2"),
    ("SubtensorModule", "AlphaV2"),
    ("SubtensorModule", "StakingHotkeys"),
    ("SubtensorModule", "ImmunityPeriod"),
    ("SubtensorModule", "MinNonImmuneUids"),
    ("System", "Account"),
    ("SubtensorModule", "MechanismCountCurrent"),
    ("SubtensorModule", "MechanismEmissionSplit"),
    ("SubtensorModule", "LastEpochBlock"),
    ("SubtensorModule", "PendingEpochAt"),
    ("SubtensorModule", "SubnetEmissionEnabled"),
    ("Swap", "SwapBalancer"),
];

/// `(trait, method)` pairs of the runtime APIs the light client calls.
pub const USED_RUNTIME_APIS: &[(&str, &str)] = &[
    ("SubnetInfoRuntimeApi", "get_all_dynamic_info"),
    ("SubnetInfoRuntimeApi", "get_dynamic_info"),
    ("SubnetInfoRuntimeApi", "get_metagraph"),
    ("SubnetInfoRuntimeApi", "get_selective_metagraph"),
    ("NeuronInfoRuntimeApi", "get_neurons_lite"),
    ("DelegateInfoRuntimeApi", "get_delegates"),
    ("SwapRuntimeApi", "current_alpha_price"),
];

/// One way the candidate runtime differs from the reference (finney).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The item or method does not exist on the candidate.
    Missing(String),
    /// The item's hashers differ.
    Hashers(String, String, String),
    /// A type differs: what, finney's shape, the candidate's shape.
    Shape(String, Shape, Shape),
    /// Query kind differs (value vs option).
    Optionality(String),
}

impl Mismatch {
    /// The item, key, value or method output it is about.
    pub fn what(&self) -> &str {
        match self {
            Mismatch::Missing(what)
            | Mismatch::Hashers(what, ..)
            | Mismatch::Shape(what, ..)
            | Mismatch::Optionality(what) => what,
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Missing(what) => write!(f, "{what}: missing"),
            Mismatch::Hashers(what, reference, candidate) => {
                write!(f, "{what}: hashers {candidate} instead of finney's {reference}")
            }
            Mismatch::Shape(what, reference, candidate) => {
                write!(f, "{what}: shape {candidate} instead of finney's {reference}")
            }
            Mismatch::Optionality(what) => write!(f, "{what}: ValueQuery/OptionQuery differs"),
        }
    }
}

fn compare_shapes(what: String, reference: Shape, candidate: Shape, out: &mut Vec<Mismatch>) {
    if reference != candidate {
        out.push(Mismatch::Shape(what, reference, candidate));
    }
}

/// Every difference between `reference` and `candidate` over the items and APIs Taoscope uses.
pub fn compare(reference: &Metadata, candidate: &Metadata) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (pallet, name) in USED_STORAGE_ITEMS {
        let what = format!("{pallet}.{name}");
        let (Some(expected), Some(actual)) = (
            reference.storage_item(pallet, name),
            candidate.storage_item(pallet, name),
        ) else {
            mismatches.push(Mismatch::Missing(what));
            continue;
        };
        if expected.hashers != actual.hashers {
            mismatches.push(Mismatch::Hashers(
                what.clone(),
                format!("{:?}", expected.hashers),
                format!("{:?}", actual.hashers),
            ));
        }
        if expected.optional != actual.optional {
            mismatches.push(Mismatch::Optionality(what.clone()));
        }
        for (i, (e, a)) in expected.key_types.iter().zip(&actual.key_types).enumerate() {
            compare_shapes(
                format!("{what} key {i}"),
                reference.shape(*e),
                candidate.shape(*a),
                &mut mismatches,
            );
        }
        compare_shapes(
            format!("{what} value"),
            reference.shape(expected.value_type),
            candidate.shape(actual.value_type),
            &mut mismatches,
        );
    }
    for (api, method) in USED_RUNTIME_APIS {
        let what = format!("{api}_{method}");
        let (Some(expected), Some(actual)) = (reference.api_method(api, method), candidate.api_method(api, method))
        else {
            mismatches.push(Mismatch::Missing(what));
            continue;
        };
        let expected_inputs: Vec<Shape> = expected.inputs.iter().map(|(_, ty)| reference.shape(*ty)).collect();
        let actual_inputs: Vec<Shape> = actual.inputs.iter().map(|(_, ty)| candidate.shape(*ty)).collect();
        compare_shapes(
            format!("{what} arguments"),
            Shape::Tuple(expected_inputs),
            Shape::Tuple(actual_inputs),
            &mut mismatches,
        );
        compare_shapes(
            format!("{what} output"),
            reference.shape(expected.output),
            candidate.shape(actual.output),
            &mut mismatches,
        );
    }
    mismatches
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn finney() -> Metadata {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/chain/finney-metadata.scale");
        let bytes = std::fs::read(path).expect("../shared/chain/finney-metadata.scale is readable");
        Metadata::from_bytes(&bytes).expect("finney metadata decodes")
    }

    #[test]
    fn finney_has_every_item_and_api_taoscope_reads() {
        assert_eq!(compare(&finney(), &finney()), Vec::new());
    }

    #[test]
    fn a_renamed_item_is_caught() {
        let mut candidate = finney();
        candidate.rename_storage_item("SubtensorModule", "Incentive", "Incentives");
        assert_eq!(
            compare(&finney(), &candidate),
            vec![Mismatch::Missing("SubtensorModule.Incentive".into())]
        );
    }

    #[test]
    fn a_retyped_item_is_caught() {
        let reference = finney();
        let mut candidate = finney();
        // Give Incentive (Vec<u16>) the value type of Emission (Vec<u64>).
        let emission = reference
            .storage_item("SubtensorModule", "Emission")
            .unwrap()
            .value_type;
        candidate.retype_storage_item("SubtensorModule", "Incentive", emission);
        let mismatches = compare(&reference, &candidate);
        assert_eq!(mismatches.len(), 1, "{mismatches:?}");
        assert_eq!(
            mismatches[0].to_string(),
            "SubtensorModule.Incentive value: shape Vec<u64> instead of finney's Vec<u16>"
        );
    }

    #[test]
    fn shapes_read_like_the_reference_dump() {
        let finney = finney();
        let identity = finney.storage_item("SubtensorModule", "SubnetIdentitiesV3").unwrap();
        assert_eq!(
            finney.shape(identity.value_type).to_string(),
            "{ subnet_name: Vec<u8>, github_repo: Vec<u8>, subnet_contact: Vec<u8>, subnet_url: Vec<u8>, \
             discord: Vec<u8>, description: Vec<u8>, logo_url: Vec<u8>, additional: Vec<u8> }"
        );
        let price = finney.storage_item("SubtensorModule", "SubnetMovingPrice").unwrap();
        assert_eq!(finney.shape(price.value_type), Shape::Primitive("i128"));
    }
}
