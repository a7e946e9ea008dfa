//! The light client as the app sees it: start it on a chain spec (or connect to a trusted RPC
//! endpoint of the same chain), watch its sync status and the finalized blocks, and ask typed
//! questions about a finalized block. Every answer is a `Snapshot` that says which block it
//! describes and whether the light client verified it.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use codec::Decode;
use futures::StreamExt;
use futures::channel::mpsc;

use crate::broadcast::Broadcast;
use crate::chain::{BlockHold, BlockRef, Chain, ChainError, FollowerProblem, to_hex};
use crate::chain_spec as light_chain_spec;
use crate::checkpoint;
use crate::decode::DecodeError;
pub use crate::error::QueryError;
use crate::live::{self, LiveUpdate};
use crate::metadata::{Metadata, MetadataError};
use crate::model::{
    Account, Metagraph, MetagraphSource, NominatorCounts, Nominators, Overview, RootBasket, RuntimeVersion, Snapshot,
    Source, Subnet, SwapDirection, SwapQuote, SyncStatus, Validator, ValidatorBasket,
};
use crate::platform;
use crate::queries::network::SharedRound;
pub use crate::queries::network::{MAX_REQUESTS_IN_FLIGHT, RequestMeter, Rounds};
use crate::queries::runtime_api::{AnswerSize, RuntimeApiRead};
use crate::queries::{self, Answer, Query, Reads, Step, network};
use crate::rpc::{RpcClient, Transport};
use crate::transport::{self, StartError};

/// A running light client on one chain.
#[derive(Clone)]
pub struct LightClient {
    chain: Chain,
    status: Arc<Mutex<Broadcast<SyncStatus>>>,
    metadata: Arc<Mutex<HashMap<RuntimeVersion, Arc<Metadata>>>>,
    source: Source,
    value_bytes_read: Arc<AtomicU64>,
}

impl LightClient {
    /// Starts smoldot on `chain_spec` (JSON), from a saved `database` or a checkpoint (see
    /// `checkpoint`) if not empty: the client then starts at its finalized block instead of
    /// genesis. A database that does not read, or belongs to another chain, is refused with a
    /// typed error (start again without it).
    pub fn start(chain_spec: &str, database: &str) -> Result<Self, StartError> {
        Self::start_with_known_genesis(chain_spec, database, None)
    }

    /// [`LightClient::start`], given the genesis hash `chain_spec` describes when the caller
    /// remembers it from an earlier start on the same text (by [`crate::chain_spec::digest`]): the
    /// check that `database` belongs to this chain then does not compute it again. smoldot still
    /// computes it itself and ignores a database of another genesis, so a wrong hint costs the
    /// typed error, never the check.
    pub fn start_with_known_genesis(
        chain_spec: &str,
        database: &str,
        known_genesis: Option<&str>,
    ) -> Result<Self, StartError> {
        let spec = if database.trim().is_empty() {
            chain_spec.to_string()
        } else {
            let saved =
                checkpoint::summarize(database).map_err(|error| StartError::CorruptDatabase(error.to_string()))?;
            let genesis = match known_genesis {
                Some(genesis) => genesis.to_string(),
                None => light_chain_spec::genesis_hash(chain_spec)
                    .map_err(|error| StartError::BadChainSpec(error.to_string()))?,
            };
            if !saved.genesis_hash.eq_ignore_ascii_case(&genesis) {
                return Err(StartError::DatabaseOfAnotherChain {
                    expected: genesis,
                    found: saved.genesis_hash,
                });
            }
            if saved.block_number == 0 {
                chain_spec.to_string()
            } else {
                light_chain_spec::with_database_checkpoint_enabled(chain_spec)
                    .map_err(|error| StartError::BadChainSpec(error.to_string()))?
            }
        };
        let smoldot = transport::start_smoldot(&spec, database)?;
        let chain = Chain::follow(RpcClient::new(smoldot.transport));
        Ok(Self::new(
            chain,
            SyncStatus::Connecting,
            smoldot.status,
            Source::LightClient,
        ))
    }

    /// Connects to a node's JSON-RPC WebSocket endpoint `url` instead of running the light client.
    /// The endpoint must serve the chain `chain_spec` describes (its genesis hash is checked
    /// first); every answer is then marked unverified, because the node is trusted, not checked.
    pub async fn connect_rpc(url: &str, chain_spec: &str) -> Result<Self, StartError> {
        let expected =
            light_chain_spec::genesis_hash(chain_spec).map_err(|error| StartError::BadChainSpec(error.to_string()))?;
        let Transport { outgoing, mut incoming } = transport::connect_rpc(url).await?;
        let (status_tx, status) = mpsc::unbounded();
        let (forward, forwarded) = mpsc::unbounded();
        let closed = status_tx.clone();
        platform::spawn(async move {
            while let Some(message) = incoming.next().await {
                if forward.unbounded_send(message).is_err() {
                    return;
                }
            }
            let _ = closed.unbounded_send(SyncStatus::NoPeers);
        });
        let rpc = RpcClient::new(Transport {
            outgoing,
            incoming: forwarded,
        });
        let no_genesis = |reason: String| StartError::NoGenesis {
            url: url.to_string(),
            reason,
        };
        let found = rpc
            .request("chainSpec_v1_genesisHash", serde_json::json!([]))
            .await
            .map_err(|error| no_genesis(error.to_string()))?;
        let found = found
            .as_str()
            .ok_or_else(|| no_genesis(format!("unexpected answer {found}")))?;
        if !found.eq_ignore_ascii_case(&expected) {
            return Err(StartError::WrongChain {
                url: url.to_string(),
                expected,
                found: found.to_string(),
            });
        }
        let host = platform::RpcUrl::parse(url).map(|endpoint| endpoint.host)?;
        drop(status_tx);
        Ok(Self::new(
            Chain::follow(rpc),
            SyncStatus::TrustedRpc { host: host.clone() },
            status,
            Source::TrustedRpc { host },
        ))
    }

    fn new(
        chain: Chain,
        initial: SyncStatus,
        mut updates: mpsc::UnboundedReceiver<SyncStatus>,
        source: Source,
    ) -> Self {
        let status = Arc::new(Mutex::new(Broadcast::starting_at(initial)));
        let broadcast = status.clone();
        platform::spawn(async move {
            while let Some(update) = updates.next().await {
                broadcast.lock().unwrap_or_else(|p| p.into_inner()).publish(update);
            }
        });
        Self {
            chain,
            status,
            metadata: Arc::default(),
            source,
            value_bytes_read: Arc::default(),
        }
    }

    /// Whether answers are verified by the light client (false for a trusted RPC endpoint).
    pub fn is_verified(&self) -> bool {
        self.source.is_verified()
    }

    /// Where this client's answers come from; every `Snapshot` it returns carries the same.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Sync status updates: the current one, then each change.
    pub fn sync_status(&self) -> mpsc::UnboundedReceiver<SyncStatus> {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).watch()
    }

    /// Problems following the chain (each as it happens); the next finalized block shown means
    /// the follower got past it.
    pub fn follower_problems(&self) -> mpsc::UnboundedReceiver<FollowerProblem> {
        self.chain.problems()
    }

    /// Finalized blocks: the latest known one, then each new one.
    pub fn finalized_blocks(&self) -> mpsc::UnboundedReceiver<BlockRef> {
        self.chain.finalized_blocks()
    }

    /// The chain's genesis hash (`0x` hex), which keys everything saved about the chain.
    pub async fn genesis_hash(&self) -> Result<String, QueryError> {
        let value = self
            .chain
            .rpc()
            .request("chainSpec_v1_genesisHash", serde_json::json!([]))
            .await
            .map_err(ChainError::from)?;
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ChainError::Unexpected(format!("genesis hash {value}")).into())
    }

    /// smoldot's finalized database (at most `max_bytes`): pass it to `start` next time to skip
    /// most of the sync. An opaque string; smoldot ignores one that is corrupt or from another chain.
    pub async fn finalized_database(&self, max_bytes: u64) -> Result<String, QueryError> {
        let value = self
            .chain
            .rpc()
            .request("chainHead_unstable_finalizedDatabase", serde_json::json!([max_bytes]))
            .await
            .map_err(ChainError::from)?;
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ChainError::Unexpected("the finalized database is not a string".into()).into())
    }

    /// Re-runs `query` on each new finalized block, yielding only changes (see `live`).
    pub fn watch<T, E, Q, Fut>(&self, query: Q) -> impl futures::Stream<Item = LiveUpdate<T, E>> + use<T, E, Q, Fut>
    where
        T: PartialEq + Clone,
        Q: Fn(LightClient, BlockRef) -> Fut,
        Fut: std::future::Future<Output = Result<Snapshot<T>, E>>,
    {
        let client = self.clone();
        live::updates(self.finalized_blocks(), move |block| query(client.clone(), block))
    }

    /// Keeps `block` readable until the hold is dropped, also after newer blocks are finalized:
    /// for several queries that must describe the same block, or loads longer than the window
    /// of recent blocks the client keeps (16 finalizations). Each query holds its block anyway.
    pub fn hold(&self, block: &BlockRef) -> BlockHold {
        self.chain.hold(block)
    }

    /// Best-block numbers: the current one, then each change (ahead of finality; not verified
    /// final, shown only as the chain's tip).
    pub fn best_numbers(&self) -> mpsc::UnboundedReceiver<u64> {
        self.chain.best_numbers()
    }

    /// The runtime's metadata at `block`, fetched once per runtime version.
    async fn metadata(&self, block: &BlockRef) -> Result<Arc<Metadata>, QueryError> {
        let runtime = block.runtime.clone().ok_or(QueryError::UnknownRuntime(block.number))?;
        if let Some(metadata) = self.metadata.lock().unwrap_or_else(|p| p.into_inner()).get(&runtime) {
            return Ok(metadata.clone());
        }
        let mut last_error = None;
        for version in [16u32, 15] {
            let output = self
                .chain
                .call(block, "Metadata_metadata_at_version", &version.to_le_bytes())
                .await?;
            match Option::<Vec<u8>>::decode(&mut &output[..]) {
                Ok(Some(bytes)) => {
                    let metadata = Arc::new(Metadata::from_bytes(&bytes)?);
                    self.metadata
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(runtime, metadata.clone());
                    return Ok(metadata);
                }
                Ok(None) => last_error = Some(MetadataError::UnsupportedVersion(version)),
                Err(error) => last_error = Some(MetadataError::Undecodable(error.to_string())),
            }
        }
        Err(last_error.unwrap_or(MetadataError::UnsupportedVersion(15)).into())
    }

    async fn read(&self, block: &BlockRef, reads: &Reads) -> Result<Vec<(Vec<u8>, Vec<u8>)>, QueryError> {
        let results = self.chain.storage(block, reads).await?;
        let bytes: usize = results.iter().map(|(_, value)| value.len()).sum();
        self.value_bytes_read.fetch_add(bytes as u64, Ordering::Relaxed);
        Ok(results)
    }

    /// Bytes of SCALE answers this client's queries have read so far (storage values and runtime
    /// call outputs), without keys or proofs: the least any client must download for them.
    pub fn value_bytes_read(&self) -> u64 {
        self.value_bytes_read.load(Ordering::Relaxed)
    }

    /// Runs the runtime API behind `read` at `block` (the light client executes it over a call
    /// proof), checks the answer against the output type the runtime declares, and returns the
    /// answer's size in bytes. For comparing with the views' storage reads (`cargo xtask bench`).
    pub async fn runtime_api(&self, block: &BlockRef, read: RuntimeApiRead) -> Result<usize, QueryError> {
        Ok(self.run(block, AnswerSize(read)).await?.data)
    }

    /// The one driver of every query: holds `block`, fetches its runtime's metadata, answers each
    /// step (storage reads, or a runtime call with reads alongside) and meters the value bytes.
    /// A call the runtime does not have is [`QueryError::Unsupported`].
    async fn run<Q: Query>(&self, block: &BlockRef, mut query: Q) -> Result<Snapshot<Q::Output>, QueryError> {
        let _hold = self.chain.hold(block);
        let metadata = self.metadata(block).await?;
        let mut results = Vec::new();
        let mut step = query.start(&metadata)?;
        loop {
            let call_output = match step {
                Step::Done(output) => return Ok(self.snapshot(block, output)),
                Step::Read(reads) => {
                    results.extend(self.read(block, &reads).await?);
                    None
                }
                Step::Call { read, alongside } => {
                    let (api, method) = read.method();
                    if metadata.api_method(api, method).is_none() {
                        return Err(QueryError::Unsupported(format!("{api}.{method}")));
                    }
                    let (function, arguments) = (read.function(), read.arguments());
                    let (output, read_alongside) = futures::join!(
                        self.chain.call(block, &function, &arguments),
                        self.read(block, &alongside)
                    );
                    let output = output?;
                    results.extend(read_alongside?);
                    self.value_bytes_read.fetch_add(output.len() as u64, Ordering::Relaxed);
                    Some(output)
                }
            };
            let answer = Answer {
                results: &results,
                call_output: call_output.as_deref(),
            };
            step = query.next(&metadata, answer)?;
        }
    }

    fn snapshot<T>(&self, block: &BlockRef, data: T) -> Snapshot<T> {
        Snapshot {
            block_number: block.number,
            block_hash: block.hash.clone(),
            source: self.source.clone(),
            data,
        }
    }

    /// Network-wide totals at `block`, with the runtime's block emission where it answers one.
    pub async fn overview(&self, block: &BlockRef) -> Result<Snapshot<Overview>, QueryError> {
        let runtime = block.runtime.clone().ok_or(QueryError::UnknownRuntime(block.number))?;
        self.run(block, queries::overview::query(runtime)).await
    }

    /// Every subnet at `block`.
    pub async fn subnets(&self, block: &BlockRef) -> Result<Snapshot<Vec<Subnet>>, QueryError> {
        self.run(block, queries::subnets::all()).await
    }

    /// One subnet at `block` (`None` when it does not exist): the same figures as in `subnets`,
    /// reading only this subnet's values (and the emission maps its share is taken of).
    pub async fn subnet(&self, block: &BlockRef, netuid: u16) -> Result<Snapshot<Option<Subnet>>, QueryError> {
        self.run(block, queries::subnets::one(netuid)).await
    }

    /// One subnet's metagraph at `block` (its mechanism 0; see [`LightClient::mechagraph`]).
    pub async fn metagraph(&self, block: &BlockRef, netuid: u16) -> Result<Snapshot<Metagraph>, QueryError> {
        self.mechagraph(block, netuid, 0).await
    }

    /// One subnet's metagraph at `block` with incentive mechanism `mechanism`'s incentive and
    /// last updates: from the runtime's `get_selective_metagraph` (mechanism 0) or
    /// `get_selective_mechagraph` (one call proof) where the runtime has it in the expected shape,
    /// else from storage reads, saying why.
    pub async fn mechagraph(
        &self,
        block: &BlockRef,
        netuid: u16,
        mechanism: u8,
    ) -> Result<Snapshot<Metagraph>, QueryError> {
        self.run(block, queries::metagraph::query(netuid, mechanism)).await
    }

    /// One subnet's metagraph at `block`, read from storage item by item (what `mechagraph` falls
    /// back to when the runtime lacks the call).
    pub async fn metagraph_from_storage(
        &self,
        block: &BlockRef,
        netuid: u16,
        mechanism: u8,
    ) -> Result<Snapshot<Metagraph>, QueryError> {
        self.run(block, queries::metagraph::from_storage(netuid, mechanism))
            .await
    }

    /// Every metagraph (mechanism 0) of `netuids` at `block`, read as batched storage proofs
    /// (`state_queryStorageAt`: smoldot packs a batch's keys into one request with one proof) in
    /// rounds: every subnet's per-netuid items, then the `(netuid, uid)` items and the items keyed
    /// by the hotkeys those name, cut into requests as `rounds` says. At most `in_flight` requests
    /// at once (clamped to [`MAX_REQUESTS_IN_FLIGHT`]), counted by `meter`; metagraphs arrive as
    /// they are complete. Decoded as [`LightClient::metagraph_from_storage`] decodes.
    pub fn whole_network(
        &self,
        block: &BlockRef,
        netuids: Vec<u16>,
        rounds: Rounds,
        in_flight: usize,
        meter: Arc<RequestMeter>,
    ) -> impl futures::Stream<Item = Result<Snapshot<Metagraph>, QueryError>> + use<> {
        let in_flight = in_flight.clamp(1, MAX_REQUESTS_IN_FLIGHT);
        let (client, block) = (self.clone(), block.clone());
        let first_round = async move {
            let hold = Arc::new(client.chain.hold(&block));
            let metadata = client.metadata(&block).await?;
            let keys = netuids
                .iter()
                .map(|netuid| Ok((*netuid, network::subnet_keys(&metadata, *netuid)?)))
                .collect::<Result<Vec<_>, DecodeError>>()?;
            let mut per_subnet = BTreeMap::new();
            let round = SharedRound::new(keys);
            client
                .shared_round(&block, &round, in_flight, &meter, &mut per_subnet)
                .await?;
            for netuid in netuids {
                per_subnet.entry(netuid).or_default();
            }
            Ok::<_, QueryError>(Batched {
                client,
                block,
                _hold: hold,
                metadata,
                per_subnet,
                meter,
                in_flight,
            })
        };
        futures::stream::once(Box::pin(first_round)).flat_map(move |first| match (first, rounds) {
            (Err(error), _) => futures::stream::iter([Err(error)]).left_stream(),
            (Ok(batched), Rounds::PerSubnet) => batched.per_subnet().left_stream().right_stream(),
            (Ok(batched), Rounds::KeySorted) => batched.key_sorted().right_stream().right_stream(),
        })
    }

    /// Reads every batch of `round` (`in_flight` at once) and hands each value to the subnets
    /// that asked for its key.
    async fn shared_round(
        &self,
        block: &BlockRef,
        round: &SharedRound,
        in_flight: usize,
        meter: &RequestMeter,
        per_subnet: &mut PerSubnet,
    ) -> Result<(), QueryError> {
        let answers: Vec<_> = futures::stream::iter(round.batches.iter().cloned())
            .map(|batch| self.storage_at(block, batch, meter))
            .buffer_unordered(in_flight)
            .collect()
            .await;
        for answer in answers {
            route(round, answer?, per_subnet);
        }
        Ok(())
    }

    /// The values of `keys` at `block` in one `state_queryStorageAt` (smoldot proves them in one
    /// request when they fit one response), counted by `meter` while in flight.
    async fn storage_at(
        &self,
        block: &BlockRef,
        keys: Vec<Vec<u8>>,
        meter: &RequestMeter,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>, QueryError> {
        let keys: Vec<String> = keys.iter().map(|key| to_hex(key)).collect();
        let answer = {
            let _counted = meter.start();
            self.chain
                .rpc()
                .request("state_queryStorageAt", serde_json::json!([keys, block.hash]))
                .await
                .map_err(ChainError::from)?
        };
        let results = network::query_storage_at_changes(&answer).ok_or_else(|| {
            ChainError::Unexpected(format!("state_queryStorageAt answered {:.200}", answer.to_string()))
        })?;
        let bytes: usize = results.iter().map(|(_, value)| value.len()).sum();
        self.value_bytes_read.fetch_add(bytes as u64, Ordering::Relaxed);
        Ok(results)
    }

    /// One delegate at `block` (`None` when `hotkey` is not a delegate): the same figures as in
    /// `validators`, read for this hotkey alone (its seats found through `Uids`, one read per
    /// subnet, instead of the hotkey behind every permit on the network).
    pub async fn validator(&self, block: &BlockRef, hotkey: &str) -> Result<Snapshot<Option<Validator>>, QueryError> {
        let account = parse_address(hotkey)?;
        self.run(block, queries::validators::one(account)).await
    }

    /// A coldkey's balance and stake positions at `block`, each with its hotkey's take, trust and
    /// last-epoch yield. An address that is not SS58 is [`QueryError::BadAddress`].
    pub async fn account(&self, block: &BlockRef, coldkey: &str) -> Result<Snapshot<Account>, QueryError> {
        let account = parse_address(coldkey)?;
        self.run(block, queries::stake::account(account)).await
    }

    /// `hotkey`'s root basket at `block` (`None` inside when it has none), from the runtime's
    /// `BetaBasketRuntimeApi` over one call proof. A runtime without that API is
    /// [`QueryError::Unsupported`].
    pub async fn root_basket(
        &self,
        block: &BlockRef,
        hotkey: &str,
    ) -> Result<Snapshot<Option<RootBasket>>, QueryError> {
        let account = parse_address(hotkey)?;
        self.run(block, queries::basket::query(account)).await
    }

    /// Every validator's root basket at `block`, in the runtime's order, from one
    /// `BetaBasketRuntimeApi.get_all_validator_baskets` call proof. A runtime without that method
    /// is [`QueryError::Unsupported`].
    pub async fn validator_baskets(&self, block: &BlockRef) -> Result<Snapshot<Vec<ValidatorBasket>>, QueryError> {
        self.run(block, queries::basket::all()).await
    }

    /// Every coldkey staked to `hotkey` at `block`, with its stake per subnet.
    pub async fn nominators(&self, block: &BlockRef, hotkey: &str) -> Result<Snapshot<Nominators>, QueryError> {
        let account = parse_address(hotkey)?;
        self.run(block, queries::stake::nominators(account)).await
    }

    /// How many coldkeys stake to each of `hotkeys` at `block` (one descendants read of
    /// `AlphaV2` per hotkey), with the bytes that took.
    pub async fn nominator_counts(
        &self,
        block: &BlockRef,
        hotkeys: &[String],
    ) -> Result<Snapshot<NominatorCounts>, QueryError> {
        let accounts = hotkeys
            .iter()
            .map(|h| parse_address(h))
            .collect::<Result<Vec<_>, _>>()?;
        self.run(block, queries::stake::nominator_counts(accounts)).await
    }

    /// Every delegate at `block`, with its stake and its figures where it validates.
    pub async fn validators(&self, block: &BlockRef) -> Result<Snapshot<Vec<Validator>>, QueryError> {
        self.run(block, queries::validators::all()).await
    }

    /// The runtime's quote at `block` for swapping `amount` (rao, or α units) through `netuid`'s
    /// pool in `direction` (`SwapRuntimeApi`, one call proof): what a stake or an unstake would
    /// give, its fees and its slippage. A runtime without that API is [`QueryError::Unsupported`].
    pub async fn swap_quote(
        &self,
        block: &BlockRef,
        netuid: u16,
        direction: SwapDirection,
        amount: u64,
    ) -> Result<Snapshot<SwapQuote>, QueryError> {
        self.run(block, queries::swap::query(netuid, direction, amount)).await
    }
}

/// Each subnet's storage results so far, by netuid.
type PerSubnet = BTreeMap<u16, Vec<(Vec<u8>, Vec<u8>)>>;

/// The state of a whole-network read after its first round: each subnet's results so far.
struct Batched {
    client: LightClient,
    block: BlockRef,
    _hold: Arc<BlockHold>,
    metadata: Arc<Metadata>,
    per_subnet: PerSubnet,
    meter: Arc<RequestMeter>,
    in_flight: usize,
}

/// Hands each of `results` to the subnets of `round` that asked for its key.
fn route(round: &SharedRound, results: Vec<(Vec<u8>, Vec<u8>)>, per_subnet: &mut PerSubnet) {
    for (key, value) in results {
        for netuid in round.askers(&key) {
            per_subnet
                .entry(*netuid)
                .or_default()
                .push((key.clone(), value.clone()));
        }
    }
}

impl Batched {
    /// The subnet's metagraph from every round's results, as the storage path assembles it.
    fn assemble(&self, netuid: u16, results: &[(Vec<u8>, Vec<u8>)]) -> Result<Snapshot<Metagraph>, QueryError> {
        let mut metagraph = queries::metagraph::assemble(&self.metadata, netuid, 0, results)?;
        metagraph.source = MetagraphSource::StorageReads {
            why: "the whole network is read as batched storage proofs".into(),
        };
        Ok(self.client.snapshot(&self.block, metagraph))
    }

    /// [`Rounds::PerSubnet`]: each subnet's `(netuid, uid)` items, then its hotkeys' items, one
    /// request after another (so each subnet has at most one in flight).
    fn per_subnet(self) -> impl futures::Stream<Item = Result<Snapshot<Metagraph>, QueryError>> {
        let in_flight = self.in_flight;
        let subnets: Vec<_> = self.per_subnet.keys().copied().collect();
        let batched = Arc::new(self);
        futures::stream::iter(subnets)
            .map(move |netuid| {
                let batched = batched.clone();
                async move {
                    let (client, block, meter) = (&batched.client, &batched.block, &batched.meter);
                    let metadata = &batched.metadata;
                    let mut results = batched.per_subnet.get(&netuid).cloned().unwrap_or_default();
                    let uids = network::uid_count(metadata, netuid, &results)?;
                    for batch in network::batches(network::uid_keys(metadata, netuid, uids)?) {
                        results.extend(client.storage_at(block, batch, meter).await?);
                    }
                    for batch in network::batches(network::hotkey_keys(metadata, netuid, &results)?) {
                        results.extend(client.storage_at(block, batch, meter).await?);
                    }
                    batched.assemble(netuid, &results)
                }
            })
            .buffer_unordered(in_flight)
    }

    /// [`Rounds::KeySorted`]: every subnet's `(netuid, uid)` items in one shared round, then every
    /// hotkey-keyed item in another, each subnet's metagraph given once the last batch holding
    /// its keys is answered.
    fn key_sorted(mut self) -> impl futures::Stream<Item = Result<Snapshot<Metagraph>, QueryError>> {
        let second = async move {
            let metadata = self.metadata.clone();
            let keys = self
                .per_subnet
                .iter()
                .map(|(netuid, results)| {
                    let uids = network::uid_count(&metadata, *netuid, results)?;
                    Ok((*netuid, network::uid_keys(&metadata, *netuid, uids)?))
                })
                .collect::<Result<Vec<_>, DecodeError>>()?;
            let mut per_subnet = std::mem::take(&mut self.per_subnet);
            self.client
                .shared_round(
                    &self.block,
                    &SharedRound::new(keys),
                    self.in_flight,
                    &self.meter,
                    &mut per_subnet,
                )
                .await?;
            let keys = per_subnet
                .iter()
                .map(|(netuid, results)| Ok((*netuid, network::hotkey_keys(&metadata, *netuid, results)?)))
                .collect::<Result<Vec<_>, DecodeError>>()?;
            self.per_subnet = per_subnet;
            Ok::<_, QueryError>((self, SharedRound::new(keys)))
        };
        futures::stream::once(Box::pin(second)).flat_map(|second| match second {
            Err(error) => futures::stream::iter([Err(error)]).left_stream(),
            Ok((batched, round)) => {
                let complete: Vec<_> = round
                    .without_keys()
                    .into_iter()
                    .map(|netuid| batched.assemble(netuid, &batched.per_subnet[&netuid]))
                    .collect();
                let requests: Vec<_> = round.batches.iter().cloned().enumerate().collect();
                let (client, block, meter, in_flight) = (
                    batched.client.clone(),
                    batched.block.clone(),
                    batched.meter.clone(),
                    batched.in_flight,
                );
                let state = Arc::new(Mutex::new((batched, round)));
                let answered = futures::stream::iter(requests)
                    .map(move |(index, batch)| {
                        let (client, block, meter) = (client.clone(), block.clone(), meter.clone());
                        async move { (index, client.storage_at(&block, batch, &meter).await) }
                    })
                    .buffer_unordered(in_flight)
                    .flat_map(move |(index, answer)| {
                        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
                        let (batched, round) = &mut *state;
                        let given: Vec<_> = match answer {
                            Err(error) => vec![Err(error)],
                            Ok(results) => {
                                route(round, results, &mut batched.per_subnet);
                                round
                                    .answered(index)
                                    .into_iter()
                                    .map(|netuid| batched.assemble(netuid, &batched.per_subnet[&netuid]))
                                    .collect()
                            }
                        };
                        futures::stream::iter(given)
                    });
                futures::stream::iter(complete).chain(answered).right_stream()
            }
        })
    }
}

/// An SS58 address given to a query, or [`QueryError::BadAddress`] naming what is wrong.
fn parse_address(address: &str) -> Result<[u8; 32], QueryError> {
    crate::ss58::decode(address.trim()).map_err(|error| QueryError::BadAddress {
        address: address.to_string(),
        reason: error.to_string(),
    })
}
