//! Fault row 14: a burst of 1,000 queries at once. smoldot limits a follow subscription's
//! operations, so most must wait for a free slot (`limitReached`, retried for a bounded time):
//! every query must end, each either with the node's answer or a typed "busy" error, nothing may
//! crash, and a query after the burst must answer normally.

use std::time::Instant;

use devnet_runner::Devnet;
use futures::StreamExt;
use light_client::chain::ChainError;
use light_client::client::{LightClient, QueryError};
use light_client::platform;
use taoscope_integration_tests::{fault_row_passed, finalized_at_least, within};

const BURST: usize = 1_000;

#[test]
#[ignore = "a fault row, run by the fault tier of `cargo xtask test`"]
fn row_14_a_burst_of_a_thousand_queries_ends_in_answers_or_busy_errors() {
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let client = LightClient::start(&spec, "").expect("light client starts");
    platform::block_on(async {
        let mut blocks = client.finalized_blocks();
        let block = finalized_at_least(&mut blocks, 1, 180).await;
        let expected = within(120, "one overview", client.overview(&block))
            .await
            .expect("an overview before the burst");
        let started = Instant::now();
        let outcomes: Vec<_> = within(
            600,
            "the burst",
            futures::stream::iter(0..BURST)
                .map(|_| client.overview(&block))
                .buffer_unordered(BURST)
                .collect(),
        )
        .await;
        let took = started.elapsed();
        let mut answered = 0;
        let mut busy = 0;
        for outcome in outcomes {
            match outcome {
                Ok(snapshot) => {
                    assert_eq!(snapshot.data, expected.data, "a burst answer differs from the first");
                    answered += 1;
                }
                Err(QueryError::Chain(ChainError::Busy { .. })) => busy += 1,
                Err(error) => panic!("a burst query failed otherwise: {error}"),
            }
        }
        assert!(answered > 0, "no query of the burst was answered");
        let after = Instant::now();
        // The node's finalized block now, not the next one buffered during the burst (by now
        // older than the blocks the client keeps pinned).
        let latest = devnet.finalized_number().expect("the node's finalized number");
        let block = finalized_at_least(&mut blocks, latest, 120).await;
        within(120, "an overview after the burst", client.overview(&block))
            .await
            .expect("an overview after the burst");
        fault_row_passed(
            14,
            "a burst of 1,000 queries at once",
            &format!(
                "{answered} answered, {busy} busy, in {:.1} s; the next query answered {:.1} s later",
                took.as_secs_f64(),
                after.elapsed().as_secs_f64()
            ),
        );
    });
}
