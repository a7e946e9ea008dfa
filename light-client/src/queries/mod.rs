//! The dashboard's queries as pure step machines ([`Query`]): each says which storage to read or
//! which runtime API to call (keys built from the runtime's metadata), is handed back what came
//! of it, and in the end assembles the typed model. One driver, the client's, holds the block,
//! fetches the metadata, runs each step and meters the bytes; [`CallOrReads`] is the runtime call
//! that falls back on storage reads and records why.

pub mod basket;
pub mod metagraph;
pub mod network;
pub mod overview;
pub mod price;
pub mod runtime_api;
pub mod stake;
pub mod subnets;
pub mod swap;
pub mod validators;

/// Runs a query against a chain given as its storage and call answers, as the client's driver
/// does: for the queries' unit tests, and for the tests that replay real finney answers.
#[cfg(any(test, feature = "internals"))]
pub mod fake_chain;

use std::collections::BTreeMap;

use crate::decode::{DecodeError, Item, Value, as_u16, as_u64, as_variant_name};
use crate::keys::StorageQueryKind;
use crate::metadata::Metadata;
use crate::model::{ConsensusMode, EpochSpacing};
use runtime_api::RuntimeApiRead;

/// Storage reads a query needs.
pub type Reads = Vec<(Vec<u8>, StorageQueryKind)>;

/// What the reads returned: every key with its value.
pub type Results = [(Vec<u8>, Vec<u8>)];

/// What a query asks its driver for next.
#[derive(Debug, PartialEq)]
pub enum Step<T> {
    /// Read these storage items; their results join everything read before.
    Read(Reads),
    /// Run this runtime API at the block (over a call proof), reading `alongside` in the same
    /// round. A query asks only for calls its runtime has: the driver refuses others as
    /// unsupported by this runtime.
    Call {
        /// The call.
        read: RuntimeApiRead,
        /// Storage read at the same time.
        alongside: Reads,
    },
    /// The answer.
    Done(T),
}

/// What the driver brings back from a step.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// Every storage result read so far, in every round.
    pub results: &'a Results,
    /// The call's output when the step was a call.
    pub call_output: Option<&'a [u8]>,
}

/// A query as a pure step machine, run by a driver that answers each [`Step`].
pub trait Query {
    /// What the query assembles.
    type Output;
    /// The first step, at a block whose runtime is described by `metadata`.
    fn start(&mut self, metadata: &Metadata) -> Result<Step<Self::Output>, DecodeError>;
    /// The step after the last one was answered.
    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Self::Output>, DecodeError>;
}

/// A query of one round: `reads`, then `assemble` over their results.
pub struct OneRound<R, A> {
    reads: R,
    assemble: A,
}

/// The query that reads `reads(metadata)` and assembles with `assemble(metadata, results)`.
pub fn one_round<T, R, A>(reads: R, assemble: A) -> OneRound<R, A>
where
    R: FnMut(&Metadata) -> Result<Reads, DecodeError>,
    A: FnMut(&Metadata, &Results) -> Result<T, DecodeError>,
{
    OneRound { reads, assemble }
}

impl<T, R, A> Query for OneRound<R, A>
where
    R: FnMut(&Metadata) -> Result<Reads, DecodeError>,
    A: FnMut(&Metadata, &Results) -> Result<T, DecodeError>,
{
    type Output = T;
    fn start(&mut self, metadata: &Metadata) -> Result<Step<T>, DecodeError> {
        Ok(Step::Read((self.reads)(metadata)?))
    }
    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<T>, DecodeError> {
        Ok(Step::Done((self.assemble)(metadata, answer.results)?))
    }
}

/// A query answered by one runtime call (with storage read alongside).
pub trait CallQuery {
    /// What the query assembles.
    type Output;
    /// The call.
    fn call(&self) -> RuntimeApiRead;
    /// Storage read in the same round as the call.
    fn alongside(&self, metadata: &Metadata) -> Result<Reads, DecodeError>;
    /// The model from the call's decoded answer and the storage read alongside.
    fn assemble(&self, metadata: &Metadata, answer: &Value, results: &Results) -> Result<Self::Output, DecodeError>;
}

/// A query of one runtime call, with no fallback: a runtime without the call is refused by the
/// driver as unsupported.
pub struct Called<C>(pub C);

impl<C: CallQuery> Query for Called<C> {
    type Output = C::Output;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<C::Output>, DecodeError> {
        Ok(Step::Call {
            read: self.0.call(),
            alongside: self.0.alongside(metadata)?,
        })
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<C::Output>, DecodeError> {
        let value = decoded_call(&self.0.call(), metadata, answer)?;
        Ok(Step::Done(self.0.assemble(metadata, &value, answer.results)?))
    }
}

/// The call output the driver brought for `read`, decoded as the type the runtime declares.
fn decoded_call(read: &RuntimeApiRead, metadata: &Metadata, answer: Answer<'_>) -> Result<Value, DecodeError> {
    let output = answer.call_output.ok_or_else(|| DecodeError::Malformed {
        item: read.function(),
        detail: "the driver brought no call output".into(),
    })?;
    read.decode_answer(metadata, output)
}

/// A runtime call, or the same data from storage reads where the runtime lacks the call or
/// answers in a shape that does not assemble; `record(output, why)` marks the fallback's answer
/// with the reason, so the page can say it.
pub struct CallOrReads<C, S, W> {
    call: C,
    reads: S,
    record: W,
    fell_back: Option<String>,
}

impl<C, S, W> CallOrReads<C, S, W>
where
    C: CallQuery,
    S: Query<Output = C::Output>,
    W: FnMut(&mut C::Output, String),
{
    /// `call`, falling back on `reads` and marking its answer with `record`.
    pub fn new(call: C, reads: S, record: W) -> Self {
        Self {
            call,
            reads,
            record,
            fell_back: None,
        }
    }

    fn fall_back(&mut self, metadata: &Metadata, why: String) -> Result<Step<C::Output>, DecodeError> {
        self.fell_back = Some(why);
        let step = self.reads.start(metadata)?;
        Ok(self.marked(step))
    }

    fn marked(&mut self, step: Step<C::Output>) -> Step<C::Output> {
        match (step, &self.fell_back) {
            (Step::Done(mut output), Some(why)) => {
                (self.record)(&mut output, why.clone());
                Step::Done(output)
            }
            (step, _) => step,
        }
    }
}

impl<C, S, W> Query for CallOrReads<C, S, W>
where
    C: CallQuery,
    S: Query<Output = C::Output>,
    W: FnMut(&mut C::Output, String),
{
    type Output = C::Output;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<C::Output>, DecodeError> {
        let read = self.call.call();
        let (api, method) = read.method();
        if metadata.api_method(api, method).is_none() {
            return self.fall_back(metadata, format!("this runtime has no {api}.{method}"));
        }
        Ok(Step::Call {
            read,
            alongside: self.call.alongside(metadata)?,
        })
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<C::Output>, DecodeError> {
        if self.fell_back.is_some() {
            let step = self.reads.next(metadata, answer)?;
            return Ok(self.marked(step));
        }
        let read = self.call.call();
        let assembled = decoded_call(&read, metadata, answer)
            .and_then(|value| self.call.assemble(metadata, &value, answer.results));
        match assembled {
            Ok(model) => Ok(Step::Done(model)),
            Err(error) => {
                let (api, method) = read.method();
                self.fall_back(
                    metadata,
                    format!("{api}.{method} answered in a shape this dashboard does not read ({error})"),
                )
            }
        }
    }
}

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

/// `PendingEpochAt` (an owner's triggered epoch), where the runtime has it (finney since spec 475).
fn pending_epoch(metadata: &Metadata) -> Option<Item<'_>> {
    subtensor(metadata, "PendingEpochAt").ok()
}

/// The netuid-keyed maps a subnet's epoch spacing is read from: `Tempo`, `LastEpochBlock`, and
/// `PendingEpochAt` where the runtime has it; each read whole (one descendants read).
pub(crate) fn epoch_reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    let mut items = vec![subtensor(metadata, "Tempo")?, subtensor(metadata, "LastEpochBlock")?];
    items.extend(pending_epoch(metadata));
    Ok(items
        .iter()
        .map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues))
        .collect())
}

/// Every subnet's epoch schedule from the maps of [`epoch_reads`] (read whole or, for one
/// subnet, at its netuid): its tempo and the spacing its yields are annualised on.
pub(crate) struct EpochSchedule<'m, 'r> {
    tempo: (Item<'m>, BTreeMap<u16, &'r [u8]>),
    last: (Item<'m>, BTreeMap<u16, &'r [u8]>),
    pending: Option<(Item<'m>, BTreeMap<u16, &'r [u8]>)>,
}

impl<'m, 'r> EpochSchedule<'m, 'r> {
    /// The schedule in `results`.
    pub(crate) fn new(metadata: &'m Metadata, results: &'r Results) -> Result<Self, DecodeError> {
        let indexed = |item: Item<'m>| {
            let values = by_netuid(&item, results);
            (item, values)
        };
        Ok(EpochSchedule {
            tempo: indexed(subtensor(metadata, "Tempo")?),
            last: indexed(subtensor(metadata, "LastEpochBlock")?),
            pending: pending_epoch(metadata).map(indexed),
        })
    }

    /// `Tempo[netuid]`.
    pub(crate) fn tempo(&self, netuid: u16) -> Result<u16, DecodeError> {
        let (item, values) = &self.tempo;
        Ok(item.read(values.get(&netuid).copied(), "u16", as_u16)?.unwrap_or_default())
    }

    /// The subnet's epoch spacing: `next epoch start − LastEpochBlock` by the runtime's rule
    /// (`PendingEpochAt` taken as 0 where the runtime lacks it); `None` for tempo 0.
    pub(crate) fn spacing(&self, netuid: u16) -> Result<Option<EpochSpacing>, DecodeError> {
        let block = |(item, values): &(Item, BTreeMap<u16, &[u8]>)| -> Result<u64, DecodeError> {
            Ok(item.read(values.get(&netuid).copied(), "u64", as_u64)?.unwrap_or_default())
        };
        let pending = self.pending.as_ref().map(block).transpose()?.unwrap_or(0);
        Ok(EpochSpacing::from_chain(block(&self.last)?, self.tempo(netuid)?, pending))
    }
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
mod tests {
    use super::fake_chain::run;
    use super::{Metadata, Reads};
    use crate::decode::DecodeError;

    /// A call query of the root basket, answering with its summary: only to drive the
    /// combinator on a runtime (July's finney) without the call.
    struct BasketOrNothing;

    impl super::CallQuery for BasketOrNothing {
        type Output = String;
        fn call(&self) -> super::RuntimeApiRead {
            super::RuntimeApiRead::ValidatorBasket { hotkey: [1; 32] }
        }
        fn alongside(&self, _: &Metadata) -> Result<Reads, DecodeError> {
            Ok(Reads::new())
        }
        fn assemble(&self, _: &Metadata, _: &super::Value, _: &super::Results) -> Result<String, DecodeError> {
            Ok("from the call".into())
        }
    }

    #[test]
    fn a_runtime_without_the_call_falls_back_on_the_reads_and_says_why() {
        let metadata = crate::contract::tests::finney();
        assert!(
            metadata
                .api_method("BetaBasketRuntimeApi", "get_validator_basket_summary")
                .is_none(),
            "July's finney has no basket API"
        );
        let reads = super::one_round(|_: &Metadata| Ok(Reads::new()), |_: &Metadata, _: &super::Results| Ok(String::from("from storage")));
        let query = super::CallOrReads::new(BasketOrNothing, reads, |answer: &mut String, why| {
            answer.push_str(&format!(" ({why})"));
        });
        let (answer, rounds) = run(&metadata, &[], &[], query).unwrap();
        assert_eq!(
            answer,
            "from storage (this runtime has no BetaBasketRuntimeApi.get_validator_basket_summary)"
        );
        assert_eq!(rounds, 1, "no call was made");
    }

    #[test]
    fn a_call_answer_is_used_and_one_in_another_shape_falls_back_saying_why() {
        use crate::model::MetagraphSource;
        let metadata = crate::contract::tests::finney();
        let function = "SubnetInfoRuntimeApi_get_selective_metagraph";
        // `None`: no such subnet, an empty metagraph straight from the call.
        let (metagraph, rounds) = run(&metadata, &[], &[(function, vec![0])], super::metagraph::query(9, 0)).unwrap();
        assert_eq!((metagraph.source, metagraph.neurons.len(), rounds), (MetagraphSource::RuntimeCall, 0, 1));
        // Bytes left over: the storage reads (two rounds) after the call, and the reason kept.
        let (metagraph, rounds) = run(&metadata, &[], &[(function, vec![0, 9])], super::metagraph::query(9, 0)).unwrap();
        assert_eq!(rounds, 3);
        assert!(
            matches!(&metagraph.source, MetagraphSource::StorageReads { why }
                if why.starts_with("SubnetInfoRuntimeApi.get_selective_metagraph answered in a shape this dashboard does not read")
                    && why.contains("bytes left over")),
            "{:?}",
            metagraph.source
        );
    }
}
