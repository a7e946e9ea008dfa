//! A fake chain for driving the query step machines without a node: storage given as key–value
//! pairs and runtime calls as recorded outputs by function name, answered round by round as the
//! client's driver answers them. The queries' unit tests run on it, and so do the tests that
//! replay real finney answers (`tests/integration/tests/finney_real.rs`).

use super::{Answer, Query, Reads, Step};
use crate::decode::DecodeError;
use crate::keys::StorageQueryKind;
use crate::metadata::Metadata;

/// The most rounds a query may take here before the fake chain gives up on it.
const MAX_ROUNDS: usize = 10;

/// Answers `reads` from the fake chain's storage `state`: a value read gives the entry at its
/// key, a descendants read every entry under its prefix.
pub fn answer(state: &[(Vec<u8>, Vec<u8>)], reads: &Reads) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for (key, kind) in reads {
        out.extend(
            state
                .iter()
                .filter(|(k, _)| match kind {
                    StorageQueryKind::Value => k == key,
                    StorageQueryKind::DescendantsValues => k.starts_with(key),
                })
                .cloned(),
        );
    }
    out
}

/// Runs `query` to its answer the way the client's driver does, against a fake chain: its
/// storage `state`, and `calls`' outputs by runtime function (`Trait_method`). Returns the
/// answer and the number of rounds it took.
///
/// # Panics
/// When the query calls a function `calls` has no output for, or takes more than ten rounds.
pub fn run<Q: Query>(
    metadata: &Metadata,
    state: &[(Vec<u8>, Vec<u8>)],
    calls: &[(&str, Vec<u8>)],
    mut query: Q,
) -> Result<(Q::Output, usize), DecodeError> {
    let mut results = Vec::new();
    let mut step = query.start(metadata)?;
    for rounds in 0..MAX_ROUNDS {
        let call_output = match step {
            Step::Done(output) => return Ok((output, rounds)),
            Step::Read(reads) => {
                results.extend(answer(state, &reads));
                None
            }
            Step::Call { read, alongside } => {
                results.extend(answer(state, &alongside));
                let function = read.function();
                let output = calls.iter().find(|(name, _)| *name == function);
                Some(
                    output
                        .unwrap_or_else(|| panic!("the fake chain has no answer to {function}"))
                        .1
                        .clone(),
                )
            }
        };
        let answer = Answer {
            results: &results,
            call_output: call_output.as_deref(),
        };
        step = query.next(metadata, answer)?;
    }
    panic!("the query took more than {MAX_ROUNDS} rounds")
}
