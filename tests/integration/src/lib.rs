//! Helpers for the integration tests: independent reads of the devnet through its own RPC, decoded
//! here with plain SCALE decoding of the known shapes, so tests compare the light client against
//! something that shares none of its code paths.

use codec::Decode;
use devnet_runner::Devnet;

/// Bytes from `0x`-prefixed hex.
pub fn from_hex(text: &str) -> Vec<u8> {
    hex::decode(text.trim_start_matches("0x")).expect("hex from the node")
}

/// `0x`-prefixed hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// The devnet's V16 metadata, through `state_call Metadata_metadata_at_version(16)` on node 0.
pub fn devnet_metadata_bytes(devnet: &Devnet) -> Vec<u8> {
    let result = devnet
        .rpc(
            "state_call",
            serde_json::json!(["Metadata_metadata_at_version", to_hex(&16u32.to_le_bytes())]),
        )
        .expect("state_call Metadata_metadata_at_version");
    let wrapped = from_hex(result.as_str().expect("hex result"));
    // Option<OpaqueMetadata>: Some(Vec<u8>).
    let opaque = Option::<Vec<u8>>::decode(&mut &wrapped[..]).expect("Option<Vec<u8>>");
    opaque.expect("the devnet serves V16 metadata")
}

/// Prints fault row `number`'s line, `row N | pass | name | figure`, which the fault tier's report
/// collects (a row that panics is reported from the test harness's FAILED line instead). Rows are
/// `#[ignore]`d, so plain `cargo test` skips them; the fault tier runs them with `--ignored`.
pub fn fault_row_passed(number: u8, name: &str, figure: &str) {
    println!("row {number} | pass | {name} | {figure}");
}

/// Runs `future` with a deadline; panics with `what` if it takes longer.
pub async fn within<T>(seconds: u64, what: &str, future: impl std::future::Future<Output = T>) -> T {
    use futures::FutureExt;
    futures::select! {
        value = future.fuse() => value,
        () = light_client::platform::sleep(std::time::Duration::from_secs(seconds)).fuse() => {
            panic!("{what} took more than {seconds} s")
        }
    }
}

/// Waits (up to `seconds`) for a finalized block numbered at least `number`.
pub async fn finalized_at_least(
    blocks: &mut futures::channel::mpsc::UnboundedReceiver<light_client::chain::BlockRef>,
    number: u64,
    seconds: u64,
) -> light_client::chain::BlockRef {
    use futures::StreamExt;
    within(seconds, &format!("finality reaching #{number}"), async {
        loop {
            let block = blocks.next().await.expect("finalized blocks");
            if block.number >= number {
                break block;
            }
        }
    })
    .await
}
