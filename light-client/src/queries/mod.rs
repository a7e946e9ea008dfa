//! The dashboard's queries, each split in two: which storage to read (keys built from the runtime's
//! metadata) and how to assemble the typed model from what came back. Both halves are pure; the
//! client runs the reads in between.

pub mod basket;
pub mod metagraph;
pub mod overview;
pub mod runtime_api;
pub mod stake;
pub mod subnets;
pub mod validators;

use std::collections::BTreeMap;

use crate::chain::StorageQueryKind;
use crate::decode::{DecodeError, Item, as_variant_name};
use crate::metadata::Metadata;
use crate::model::ConsensusMode;

/// Storage reads a query needs.
pub type Reads = Vec<(Vec<u8>, StorageQueryKind)>;

/// What the reads returned: every key with its value.
pub type Results = [(Vec<u8>, Vec<u8>)];

/// `SubtensorModule` items by name.
pub(crate) fn subtensor<'m>(metadata: &'m Metadata, item: &str) -> Result<Item<'m>, DecodeError> {
    Item::new(metadata, "SubtensorModule", item)
}

/// `SubnetEpochConsensus`, where the runtime has it (finney added it after July 2026).
pub(crate) fn epoch_consensus(metadata: &Metadata) -> Option<Item<'_>> {
    subtensor(metadata, "SubnetEpochConsensus").ok()
}

/// One subnet's consensus mode from its `SubnetEpochConsensus` entry (the default, Yuma, when absent).
pub(crate) fn consensus_mode(item: &Item, bytes: Option<&[u8]>) -> Result<ConsensusMode, DecodeError> {
    let mode = item.read(bytes, "an EpochConsensus", |v| as_variant_name(v).map(String::from))?;
    Ok(if mode.as_deref() == Some("Null") {
        ConsensusMode::Null
    } else {
        ConsensusMode::Yuma
    })
}

/// Entries of a netuid-keyed map (`Identity` or `Blake2_128Concat` u16 key), by netuid.
pub(crate) fn by_netuid<'r>(item: &Item, results: &'r Results) -> BTreeMap<u16, &'r [u8]> {
    let prefix = item.key(&[]);
    results
        .iter()
        .filter(|(key, _)| key.starts_with(&prefix))
        .filter_map(|(key, value)| Some((item.key_u16(key, 0, &[2])?, value.as_slice())))
        .collect()
}

/// The results indexed by key: assembling a query looks up thousands of keys (a 256-uid
/// metagraph), which a scan per lookup would make quadratic.
pub(crate) struct ByKey<'r>(std::collections::HashMap<&'r [u8], &'r [u8]>);

impl<'r> ByKey<'r> {
    /// Indexes `results`.
    pub(crate) fn new(results: &'r Results) -> Self {
        ByKey(results.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).collect())
    }

    /// The value at exactly `key`, if it was returned.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&'r [u8]> {
        self.0.get(key).copied()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{Reads, StorageQueryKind};

    /// Answers reads from a fake chain state, as the client would between rounds.
    pub(crate) fn answer(state: &[(Vec<u8>, Vec<u8>)], reads: &Reads) -> Vec<(Vec<u8>, Vec<u8>)> {
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
}
