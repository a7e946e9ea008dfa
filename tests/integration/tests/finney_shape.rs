//! The finney-shape contract against the running devnet: every storage item and runtime API the
//! light client uses has finney's hashers and type shapes on the devnet.

use devnet_runner::Devnet;
use light_client::contract;
use light_client::metadata::Metadata;
use taoscope_integration_tests::devnet_metadata_bytes;

#[test]
fn devnet_matches_finney_item_by_item_and_api_by_api() {
    let devnet = Devnet::shared().expect("devnet starts");
    let devnet_metadata = Metadata::from_bytes(&devnet_metadata_bytes(&devnet)).expect("devnet metadata decodes");
    let finney_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/chain/finney-metadata.scale"
    );
    let finney = Metadata::from_bytes(&std::fs::read(finney_path).expect("finney metadata")).expect("decodes");
    let mismatches = contract::compare(&finney, &devnet_metadata);
    let report: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "devnet differs from finney:\n{}", report.join("\n"));
}
