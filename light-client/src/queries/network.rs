//! The whole network's metagraphs from batched storage proofs: which keys each round reads and how
//! they are packed into requests, as plain functions; the client's `whole_network` runs them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::metagraph::{VECTORS, hotkey_reads, hotkeys, storage_index};
use super::{Results, subtensor};
use crate::decode::{DecodeError, as_u16};
use crate::metadata::Metadata;

/// At most this many batched requests in flight at once, hence never more at one peer: a
/// Substrate node queues 20 light-client requests (sc-network-light's `MAX_LIGHT_REQUEST_QUEUE`)
/// and drops the rest, for which smoldot bans it. 8 leaves room for the follower and the page's
/// other views on the same peer.
pub const MAX_REQUESTS_IN_FLIGHT: usize = 8;

/// smoldot-light 3.0.0's estimate of how many trie nodes fit one storage-proof response
/// (`response_nodes_cap`, 16 MiB / 164 bytes), which it fills at two nodes per key byte
/// (`sync_service::StorageQuery::advance`): a batch within it is exactly one network request.
pub const RESPONSE_NODES_CAP: usize = 16 * 1024 * 1024 / 164;

/// The per-netuid items of a metagraph (mechanism 0), read for every subnet in the first round:
/// the per-uid vectors, the uid count and the pruning parameters the runtime has.
pub fn subnet_keys(metadata: &Metadata, netuid: u16) -> Result<Vec<Vec<u8>>, DecodeError> {
    let index = storage_index(netuid, 0).to_le_bytes();
    let mut keys = VECTORS
        .iter()
        .map(|name| Ok(subtensor(metadata, name)?.key(&[&index])))
        .collect::<Result<Vec<_>, DecodeError>>()?;
    keys.push(subtensor(metadata, "SubnetworkN")?.key(&[&netuid.to_le_bytes()]));
    for name in ["ImmunityPeriod", "MinNonImmuneUids", "SubnetOwnerHotkey"] {
        if let Ok(item) = subtensor(metadata, name) {
            keys.push(item.key(&[&netuid.to_le_bytes()]));
        }
    }
    Ok(keys)
}

/// The subnet's uid count from the first round's results (0 when it has none).
pub fn uid_count(metadata: &Metadata, netuid: u16, results: &Results) -> Result<u16, DecodeError> {
    let item = subtensor(metadata, "SubnetworkN")?;
    let key = item.key(&[&netuid.to_le_bytes()]);
    let value = results.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_slice());
    Ok(item.read(value, "u16", as_u16)?.unwrap_or_default())
}

/// The `(netuid, uid)` items of every uid below `uids`: its hotkey and registration block.
pub fn uid_keys(metadata: &Metadata, netuid: u16, uids: u16) -> Result<Vec<Vec<u8>>, DecodeError> {
    let (keys, registered) = (subtensor(metadata, "Keys")?, subtensor(metadata, "BlockAtRegistration")?);
    let netuid = netuid.to_le_bytes();
    Ok((0..uids)
        .flat_map(|uid| {
            let uid = uid.to_le_bytes();
            [keys.key(&[&netuid, &uid]), registered.key(&[&netuid, &uid])]
        })
        .collect())
}

/// The hotkey-keyed items, once the `(netuid, uid)` round has named the hotkeys: each one's
/// owner, its stake on this subnet and its axon.
pub fn hotkey_keys(metadata: &Metadata, netuid: u16, results: &Results) -> Result<Vec<Vec<u8>>, DecodeError> {
    let hotkeys = hotkeys(metadata, netuid, results)?;
    let axons = subtensor(metadata, "Axons")?;
    let mut keys: Vec<Vec<u8>> = hotkey_reads(metadata, netuid, &hotkeys)?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    keys.extend(
        hotkeys
            .iter()
            .map(|(_, hotkey)| axons.key(&[&netuid.to_le_bytes(), hotkey])),
    );
    Ok(keys)
}

/// `keys` sorted, without duplicates, and cut into batches that each fit one storage-proof
/// response by smoldot's estimate ([`RESPONSE_NODES_CAP`]), so each batch is one request.
pub fn batches(mut keys: Vec<Vec<u8>>) -> Vec<Vec<Vec<u8>>> {
    keys.sort_unstable();
    keys.dedup();
    let mut batches: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut nodes = RESPONSE_NODES_CAP;
    for key in keys {
        let cost = key.len().max(1) * 2;
        if nodes + cost > RESPONSE_NODES_CAP {
            batches.push(Vec::new());
            nodes = 0;
        }
        nodes += cost;
        batches.last_mut().expect("a batch was just started").push(key);
    }
    batches
}

/// How the rounds after the first are cut into requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounds {
    /// Per subnet: its `(netuid, uid)` items, then its hotkeys' items, so a metagraph arrives as
    /// soon as its own requests are answered.
    PerSubnet,
    /// Every subnet's `(netuid, uid)` items in one key-sorted round, then every subnet's
    /// hotkey-keyed items in another: keys that are neighbours in the trie share its nodes in one
    /// proof, but a metagraph is complete only once every batch holding its keys is answered.
    KeySorted,
}

/// One round's keys for several subnets, sorted across them and cut into [`batches`], with which
/// subnets asked for each key and how many batches each subnet still waits for.
#[derive(Debug)]
pub struct SharedRound {
    /// The requests, each one batch of keys.
    pub batches: Vec<Vec<Vec<u8>>>,
    askers: BTreeMap<Vec<u8>, Vec<u16>>,
    serves: Vec<Vec<u16>>,
    waiting: BTreeMap<u16, usize>,
}

impl SharedRound {
    /// The round of `keys`, given per subnet.
    pub fn new(keys: Vec<(u16, Vec<Vec<u8>>)>) -> Self {
        let mut askers: BTreeMap<Vec<u8>, Vec<u16>> = BTreeMap::new();
        let mut waiting = BTreeMap::new();
        for (netuid, keys) in keys {
            waiting.insert(netuid, 0);
            for key in keys {
                let subnets = askers.entry(key).or_default();
                if !subnets.contains(&netuid) {
                    subnets.push(netuid);
                }
            }
        }
        let batches = batches(askers.keys().cloned().collect());
        let serves: Vec<Vec<u16>> = batches
            .iter()
            .map(|batch| {
                let mut subnets: Vec<u16> = batch.iter().flat_map(|key| askers[key].iter().copied()).collect();
                subnets.sort_unstable();
                subnets.dedup();
                subnets
            })
            .collect();
        for netuid in serves.iter().flatten() {
            *waiting.entry(*netuid).or_default() += 1;
        }
        SharedRound {
            batches,
            askers,
            serves,
            waiting,
        }
    }

    /// The subnets that asked for `key`.
    pub fn askers(&self, key: &[u8]) -> &[u16] {
        self.askers.get(key).map_or(&[], Vec::as_slice)
    }

    /// The subnets with no key in this round: complete before any answer.
    pub fn without_keys(&self) -> Vec<u16> {
        self.waiting
            .iter()
            .filter(|(_, waiting)| **waiting == 0)
            .map(|(netuid, _)| *netuid)
            .collect()
    }

    /// Marks batch `index` answered; the subnets it was the last one for.
    pub fn answered(&mut self, index: usize) -> Vec<u16> {
        let mut complete = Vec::new();
        for netuid in self.serves.get(index).into_iter().flatten() {
            if let Some(waiting) = self.waiting.get_mut(netuid) {
                *waiting -= 1;
                if *waiting == 0 {
                    complete.push(*netuid);
                }
            }
        }
        complete
    }
}

/// `0x`-prefixed hex → bytes.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    hex::decode(text.strip_prefix("0x")?).ok()
}

/// The entries a `state_queryStorageAt` answer carries (one change set, `[key, value]` pairs in
/// hex), without the keys it found empty; `None` when the answer has another shape.
pub fn query_storage_at_changes(answer: &serde_json::Value) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    let [set] = answer.as_array()?.as_slice() else {
        return None;
    };
    let mut entries = Vec::new();
    for change in set.get("changes")?.as_array()? {
        let [key, value] = change.as_array()?.as_slice() else {
            return None;
        };
        let key = from_hex(key.as_str()?)?;
        if !value.is_null() {
            entries.push((key, from_hex(value.as_str()?)?));
        }
    }
    Some(entries)
}

/// Batched requests counted as they go: how many were sent and the most in flight at once,
/// counted apart from whatever bounds them.
#[derive(Debug, Default)]
pub struct RequestMeter {
    now: AtomicUsize,
    max: AtomicUsize,
    sent: AtomicUsize,
}

/// One request in flight, counted until dropped.
pub struct InFlight<'m>(&'m RequestMeter);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

impl RequestMeter {
    /// Counts a request from now until the returned guard is dropped.
    pub fn start(&self) -> InFlight<'_> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        InFlight(self)
    }

    /// Requests sent so far.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }

    /// The most requests that were ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_sorted_deduplicated_and_within_one_response() {
        let key = |n: u32, len: usize| {
            let mut key = n.to_be_bytes().to_vec();
            key.resize(len, 0);
            key
        };
        // 80-byte keys, as the hotkey-keyed items: 639 of them fill a response's estimate.
        let keys: Vec<Vec<u8>> = (0..1_500u32).rev().map(|n| key(n, 80)).chain([key(3, 80)]).collect();
        let batches = batches(keys);
        assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [639, 639, 222]);
        let flat: Vec<Vec<u8>> = batches.concat();
        assert_eq!(flat, (0..1_500u32).map(|n| key(n, 80)).collect::<Vec<_>>());
        for batch in &batches {
            assert!(batch.iter().map(|k| k.len() * 2).sum::<usize>() <= RESPONSE_NODES_CAP);
        }
        assert!(super::batches(Vec::new()).is_empty());
    }

    #[test]
    fn a_shared_round_sorts_keys_across_subnets_and_says_when_each_subnet_is_complete() {
        // 80-byte keys: 639 per batch. Subnet 1 asks for 0..700, subnet 2 for 600..1300 (the
        // overlap once), subnet 3 for none.
        let key = |n: u32| {
            let mut key = n.to_be_bytes().to_vec();
            key.resize(80, 0);
            key
        };
        let mut round = SharedRound::new(vec![
            (2, (600..1_300).rev().map(key).collect()),
            (1, (0..700).map(key).collect()),
            (3, Vec::new()),
        ]);
        assert_eq!(round.batches.iter().map(Vec::len).collect::<Vec<_>>(), [639, 639, 22]);
        assert_eq!(round.batches.concat(), (0..1_300).map(key).collect::<Vec<_>>());
        assert_eq!(round.askers(&key(650)), [2, 1]);
        assert_eq!(round.askers(&key(5)), [1]);
        assert!(round.askers(&key(5_000)).is_empty());
        assert_eq!(round.without_keys(), [3]);
        // Batch 0 holds keys 0..639 and batch 1 639..1278 (both subnets'), batch 2 the rest (2's).
        assert_eq!(round.answered(2), Vec::<u16>::new());
        assert_eq!(round.answered(0), Vec::<u16>::new());
        assert_eq!(round.answered(1), [1, 2]);
    }

    #[test]
    fn a_query_storage_at_answer_gives_its_entries_without_the_empty_ones() {
        let answer = serde_json::json!([{
            "block": "0x00",
            "changes": [["0x0102", "0x0a"], ["0x0103", null], ["0x0104", "0x"]],
        }]);
        assert_eq!(
            query_storage_at_changes(&answer),
            Some(vec![(vec![1, 2], vec![10]), (vec![1, 4], vec![])])
        );
        assert_eq!(query_storage_at_changes(&serde_json::json!([])), None);
        assert_eq!(
            query_storage_at_changes(&serde_json::json!([{ "changes": [["0x01"]] }])),
            None
        );
    }

    #[test]
    fn the_meter_counts_requests_and_the_most_at_once() {
        let meter = RequestMeter::default();
        let first = meter.start();
        {
            let _second = meter.start();
        }
        let _third = meter.start();
        drop(first);
        let _fourth = meter.start();
        assert_eq!((meter.sent(), meter.max_in_flight()), (4, 2));
    }
}
