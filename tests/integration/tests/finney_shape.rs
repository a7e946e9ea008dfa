//! The finney-shape contracts against the running devnet: every storage item and runtime API the
//! light client uses has finney's hashers and type shapes, as of July 2026 (spec 425, from its
//! metadata) except where finney has changed since, and as of spec 475 (written out in
//! `light_client::contract::finney_475`).

use devnet_runner::Devnet;
use light_client::contract::{self, finney_475};
use light_client::metadata::Metadata;
use taoscope_integration_tests::devnet_metadata_bytes;

#[test]
fn devnet_matches_finney_item_by_item_and_api_by_api() {
    let devnet = Devnet::shared().expect("devnet starts");
    let devnet_metadata = Metadata::from_bytes(&devnet_metadata_bytes(&devnet)).expect("devnet metadata decodes");
    let july_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/chain/finney-metadata.scale"
    );
    let july = Metadata::from_bytes(&std::fs::read(july_path).expect("finney metadata")).expect("decodes");

    let findings = finney_475::check(&devnet_metadata);
    for finding in &findings {
        println!("finney 475: {finding}");
    }
    let failures: Vec<String> = findings
        .iter()
        .filter(|f| f.is_failure())
        .map(ToString::to_string)
        .collect();
    assert!(
        failures.is_empty(),
        "devnet differs from finney 475:\n{}",
        failures.join("\n")
    );

    let changed: Vec<String> = contract::compare(&july, &devnet_metadata)
        .iter()
        .map(|mismatch| mismatch.what().to_string())
        .collect();
    assert_eq!(
        changed,
        finney_475::CHANGED_SINCE_JULY,
        "the devnet differs from July's finney beyond what changed by 475"
    );
}
