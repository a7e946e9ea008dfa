//! The chain service's messages between a page and the worker that runs the light client:
//! versioned serde types, carried as JSON text over a `MessagePort`. A message that does not read,
//! or comes from another protocol version, is answered with a typed refusal, never a panic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::chain::{BlockRef, FollowerProblem};
use crate::chain_spec::ChainSpecInfo;
use crate::chains::{ChainEntry, Manifest, StartPoint};
use crate::client::QueryError;
use crate::model::history::{History, Recording, Starred, Watchlist};
use crate::model::{
    Account, Metagraph, NominatorCounts, Nominators, Overview, RootBasket, Snapshot, Source, Subnet, SwapDirection,
    SwapQuote, SyncStatus, Validator, ValidatorBasket,
};
use crate::transport::StartError;

/// The version both sides must speak. A page of one build never talks to a worker of another:
/// the worker's name carries it too (see `page`), so a new deployment starts its own worker.
pub const PROTOCOL_VERSION: u32 = 2;

/// Every message, either way: the protocol version and the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// [`PROTOCOL_VERSION`] of the sender.
    pub version: u32,
    /// The message.
    pub body: T,
}

/// Encodes `body` for the port.
pub fn encode<T: Serialize>(body: T) -> String {
    let envelope = Envelope {
        version: PROTOCOL_VERSION,
        body,
    };
    // Our own types always serialize (no maps with non-string keys, no failing impls).
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads a message from the port: refused by name when it is not JSON of this protocol's shape,
/// or comes from another version.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ProtocolError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    let version = serde_json::from_str::<VersionOnly>(text)
        .map_err(|error| ProtocolError::Unreadable(error.to_string()))?
        .version;
    if version != PROTOCOL_VERSION {
        return Err(ProtocolError::OtherVersion {
            ours: PROTOCOL_VERSION,
            theirs: version,
        });
    }
    serde_json::from_str::<Envelope<T>>(text)
        .map(|envelope| envelope.body)
        .map_err(|error| ProtocolError::Unreadable(error.to_string()))
}

pub use crate::error::{HistoryError, ProtocolError, ServiceError};

/// What a page sends the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// The first message on a port: which chain, and whose trust.
    Connect(Connect),
    /// A question about a block; answered by [`FromWorker::Answer`] with the same `id`.
    Ask {
        /// Chosen by the page, unique on its port.
        id: u64,
        /// The question.
        query: Query,
    },
    /// Keep `block` readable until [`ToWorker::Release`] with the same `id`.
    Hold {
        /// Chosen by the page, unique on its port.
        id: u64,
        /// The block.
        block: BlockRef,
    },
    /// Ends the hold `id`.
    Release {
        /// The hold's id.
        id: u64,
    },
    /// Forget the saved state of the chain this port uses and restart the service, so every page
    /// starts again (from the site's checkpoint, or from one read from the RPC bootstrap nodes).
    StartAfresh {
        /// Skip the site's checkpoint on that start.
        skip_served_checkpoint: bool,
    },
    /// A change to the history or the watchlist of the chain this port's verified client reads;
    /// answered by [`FromWorker::HistoryChanged`] with the same `id`.
    ChangeHistory {
        /// Chosen by the page, unique on its port.
        id: u64,
        /// The change.
        change: HistoryChange,
    },
    /// The page is going away (its holds are released).
    Bye,
}

/// A change a page asks of the history the worker records (the worker is its only writer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HistoryChange {
    /// Star (`on`) or unstar an item of the watchlist.
    Star {
        /// The item.
        item: Starred,
        /// Starred or not.
        on: bool,
    },
    /// Merge an imported history file (its text), marked imported.
    Import(String),
    /// Forget the recorded history (the watchlist stays).
    Clear,
    /// What pages recorded in their own storage before the worker did, merged as this browser's
    /// own; the page forgets its copy once this is answered.
    HandOver {
        /// The page's saved history, if any.
        history: Option<History>,
        /// The page's saved watchlist, if any.
        watchlist: Option<Watchlist>,
    },
}

/// Which chain a page wants, and what this browser saved about it (the page reads its own
/// settings; the worker cannot reach them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connect {
    /// `?chain=` in the page's URL.
    pub requested_chain: Option<String>,
    /// The chain this browser chose last.
    pub saved_chain: Option<String>,
    /// Only embeds set this: the page may then only ever bind to the verified light client, and
    /// the endpoints below are ignored.
    pub light_client_only: bool,
    /// `?rpc=` in the page's URL: a trusted endpoint for this visit.
    pub rpc_from_link: Option<String>,
    /// Trusted endpoints saved in the settings, by chain-spec id.
    pub saved_rpc: BTreeMap<String, String>,
    /// Extra peers saved in the settings, by chain-spec id.
    pub saved_peers: BTreeMap<String, Vec<String>>,
    /// The page shows history: it is sent [`FromWorker::History`] (embeds are not).
    pub wants_history: bool,
}

/// A question about a block, one per read the app makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Query {
    /// [`crate::client::LightClient::overview`].
    Overview {
        /// The block.
        block: BlockRef,
    },
    /// [`crate::client::LightClient::subnets`].
    Subnets {
        /// The block.
        block: BlockRef,
    },
    /// [`crate::client::LightClient::subnet`].
    Subnet {
        /// The block.
        block: BlockRef,
        /// The subnet.
        netuid: u16,
    },
    /// [`crate::client::LightClient::mechagraph`].
    Mechagraph {
        /// The block.
        block: BlockRef,
        /// The subnet.
        netuid: u16,
        /// The mechanism (0 for the subnet's metagraph).
        mechanism: u8,
    },
    /// [`crate::client::LightClient::metagraph_from_storage`].
    MetagraphFromStorage {
        /// The block.
        block: BlockRef,
        /// The subnet.
        netuid: u16,
        /// The mechanism.
        mechanism: u8,
    },
    /// [`crate::client::LightClient::validator`].
    Validator {
        /// The block.
        block: BlockRef,
        /// SS58 hotkey.
        hotkey: String,
    },
    /// [`crate::client::LightClient::validators`].
    Validators {
        /// The block.
        block: BlockRef,
    },
    /// [`crate::client::LightClient::account`].
    Account {
        /// The block.
        block: BlockRef,
        /// SS58 coldkey.
        coldkey: String,
    },
    /// [`crate::client::LightClient::root_basket`].
    RootBasket {
        /// The block.
        block: BlockRef,
        /// SS58 hotkey.
        hotkey: String,
    },
    /// [`crate::client::LightClient::validator_baskets`].
    ValidatorBaskets {
        /// The block.
        block: BlockRef,
    },
    /// [`crate::client::LightClient::nominators`].
    Nominators {
        /// The block.
        block: BlockRef,
        /// SS58 hotkey.
        hotkey: String,
    },
    /// [`crate::client::LightClient::nominator_counts`].
    NominatorCounts {
        /// The block.
        block: BlockRef,
        /// SS58 hotkeys.
        hotkeys: Vec<String>,
    },
    /// [`crate::client::LightClient::swap_quote`].
    SwapQuote {
        /// The block.
        block: BlockRef,
        /// The subnet.
        netuid: u16,
        /// Stake or unstake.
        direction: SwapDirection,
        /// Rao (or alpha rao) in.
        amount: u64,
    },
}

impl Query {
    /// The query's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Query::Overview { .. } => "overview",
            Query::Subnets { .. } => "subnets",
            Query::Subnet { .. } => "subnet",
            Query::Mechagraph { .. } => "metagraph",
            Query::MetagraphFromStorage { .. } => "metagraph (storage)",
            Query::Validator { .. } => "validator",
            Query::Validators { .. } => "validators",
            Query::Account { .. } => "account",
            Query::RootBasket { .. } => "root basket",
            Query::ValidatorBaskets { .. } => "validator baskets",
            Query::Nominators { .. } => "nominators",
            Query::NominatorCounts { .. } => "nominator counts",
            Query::SwapQuote { .. } => "swap quote",
        }
    }
}

/// An answer, one kind per [`Query`] kind (the page checks it got the kind it asked for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs, clippy::large_enum_variant)]
pub enum Answer {
    Overview(Snapshot<Overview>),
    Subnets(Snapshot<Vec<Subnet>>),
    Subnet(Snapshot<Option<Subnet>>),
    Metagraph(Snapshot<Metagraph>),
    Validator(Snapshot<Option<Validator>>),
    Validators(Snapshot<Vec<Validator>>),
    Account(Snapshot<Account>),
    RootBasket(Snapshot<Option<RootBasket>>),
    ValidatorBaskets(Snapshot<Vec<ValidatorBasket>>),
    Nominators(Snapshot<Nominators>),
    NominatorCounts(Snapshot<NominatorCounts>),
    SwapQuote(Snapshot<SwapQuote>),
}

impl Answer {
    /// The answer's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Overview(_) => "overview",
            Answer::Subnets(_) => "subnets",
            Answer::Subnet(_) => "subnet",
            Answer::Metagraph(_) => "metagraph",
            Answer::Validator(_) => "validator",
            Answer::Validators(_) => "validators",
            Answer::Account(_) => "account",
            Answer::RootBasket(_) => "root basket",
            Answer::ValidatorBaskets(_) => "validator baskets",
            Answer::Nominators(_) => "nominators",
            Answer::NominatorCounts(_) => "nominator counts",
            Answer::SwapQuote(_) => "swap quote",
        }
    }
}

/// What the worker sends a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum FromWorker {
    /// Sent first on every port: the worker's instance, whose lock the page watches to learn
    /// when this worker stops (see `page`).
    Hello {
        /// A name unique to this worker's life.
        instance: String,
    },
    /// What the chain is, once the worker has read the manifest and the chain spec.
    Chain(ChainFacts),
    /// The chosen client started.
    Started(Started),
    /// The chosen client could not start.
    Failed(StartFailure),
    /// The client's sync status (the current one, then each change).
    Status(SyncStatus),
    /// A finalized block (the latest, then each new one).
    Finalized(BlockRef),
    /// The best block's number.
    Best(u64),
    /// A problem following the chain.
    Problem(FollowerProblem),
    /// Bytes counted so far by this port's client, for the benchmark and the settings.
    Counters(Counters),
    /// What happened to the saved state (refused at start, saving paused or resumed).
    SavedState(SavedStateNotice),
    /// The answer to [`ToWorker::Ask`] `id`.
    Answer {
        /// The question's id.
        id: u64,
        /// The answer or why there is none.
        answer: Result<Answer, QueryError>,
    },
    /// The history the worker records for the page's chain, the watchlist and whether recording
    /// runs: the current one, then after each change (to pages that want history and read
    /// through the verified client).
    History(Box<HistoryState>),
    /// The answer to [`ToWorker::ChangeHistory`] `id`: points added (by an import or a hand-over)
    /// or why the change was not made.
    HistoryChanged {
        /// The change's id.
        id: u64,
        /// Points added, or why not.
        result: Result<usize, HistoryError>,
    },
    /// A message from the page was refused.
    Refused(ProtocolError),
}

/// A chain's recorded history as the worker keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryState {
    /// The chain's genesis hash, which the history file names.
    pub genesis: String,
    /// Every point recorded.
    pub history: History,
    /// What the user starred.
    pub watchlist: Watchlist,
    /// Whether recording runs (`On`, or `Paused` with why).
    pub recording: Recording,
}

/// The chain a page is bound to, as the worker resolved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainFacts {
    /// The site's chains.
    pub manifest: Manifest,
    /// The chain in use.
    pub chain: ChainEntry,
    /// Why the chain in use is not the one the page asked for, if it is not.
    pub notice: Option<String>,
    /// Name, id and boot nodes of its chain spec.
    pub spec: ChainSpecInfo,
    /// The saved extra peers that were used (ones that no longer parse are dropped).
    pub extra_peers: Vec<String>,
    /// The trusted endpoint this page reads through instead of the light client, if any.
    pub rpc_endpoint: Option<String>,
    /// True when the light client has no peer an https page may dial.
    pub no_dialable_peer: bool,
}

/// A client that started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Started {
    /// Where its answers come from.
    pub source: Source,
    /// The chain's genesis hash (`0x` hex), which keys everything saved about the chain.
    pub genesis_hash: String,
    /// What the light client started from, and why the site's checkpoint was not used when it
    /// was listed but failed (`None` for a trusted endpoint).
    pub from: Option<(StartPoint, Option<String>)>,
    /// "checkpoint #N from HOST (trusted once)" when the verified state descends from one.
    pub trusted_once: Option<String>,
    /// When the client started (ms since the epoch, the worker's clock).
    pub at: f64,
}

/// Bytes a port's client has counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Value bytes its queries read (without keys or proofs).
    pub value_bytes_read: u64,
    /// Bytes received from peers, by every light client of the worker.
    pub from_peers: u64,
    /// Bytes received from trusted RPC nodes, by every client of the worker.
    pub from_rpc_nodes: u64,
}

/// What happened to the light client's saved state, said on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SavedStateNotice {
    /// The saved state was refused at start (unreadable, another chain's) and forgotten.
    Refused(String),
    /// Saving stopped: the browser refused the write (quota, private mode). The client keeps
    /// working; the next visit starts less warm.
    SavingPaused(String),
    /// Saving works again after a pause.
    SavingResumed,
}

/// Why the chosen client could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum StartFailure {
    /// A file the site serves could not be loaded.
    #[error("cannot load {what} {url}: {reason}")]
    Load {
        /// "the chain spec", "its chain manifest"…
        what: String,
        /// Its path.
        url: String,
        /// The HTTP or network error.
        reason: String,
    },
    /// A file the site must serve is not there.
    #[error("this site does not serve {what} at {url}")]
    NotServed {
        /// What it is.
        what: String,
        /// Its path.
        url: String,
    },
    /// The manifest or the chain spec is refused (the text names the problem).
    #[error("{0}")]
    Refused(String),
    /// smoldot or the trusted endpoint refused to start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// Reading a checkpoint from the RPC bootstrap nodes failed.
    #[error("{0}")]
    Bootstrap(String),
    /// The worker itself could not be started in this browser.
    #[error("the chain service could not start in this browser: {0}")]
    NoWorker(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> BlockRef {
        BlockRef {
            number: 7,
            hash: "0x07".into(),
            runtime: None,
        }
    }

    #[test]
    fn messages_read_back_as_sent() {
        let ask = ToWorker::Ask {
            id: 3,
            query: Query::SwapQuote {
                block: block(),
                netuid: 1,
                direction: SwapDirection::TaoForAlpha,
                amount: 10,
            },
        };
        assert_eq!(decode::<ToWorker>(&encode(ask.clone())), Ok(ask));
        let failed: FromWorker = FromWorker::Answer {
            id: 3,
            answer: Err(QueryError::Decode(crate::decode::DecodeError::Retyped {
                item: "A.B".into(),
                expected: "a u64".into(),
            })),
        };
        assert_eq!(decode::<FromWorker>(&encode(failed.clone())), Ok(failed));
    }

    #[test]
    fn another_version_is_refused_by_name() {
        let text = encode(ToWorker::Bye).replace(
            &format!("\"version\":{PROTOCOL_VERSION}"),
            &format!("\"version\":{}", PROTOCOL_VERSION + 1),
        );
        assert_eq!(
            decode::<ToWorker>(&text),
            Err(ProtocolError::OtherVersion {
                ours: PROTOCOL_VERSION,
                theirs: PROTOCOL_VERSION + 1
            })
        );
    }

    #[test]
    fn a_message_of_an_unknown_kind_is_refused_not_a_panic() {
        let unknown = format!("{{\"version\":{PROTOCOL_VERSION},\"body\":{{\"Launch\":{{}}}}}}");
        assert!(matches!(
            decode::<ToWorker>(&unknown),
            Err(ProtocolError::Unreadable(_))
        ));
        assert!(matches!(
            decode::<ToWorker>("not json"),
            Err(ProtocolError::Unreadable(_))
        ));
    }

    #[test]
    fn the_worker_loaders_refusal_is_a_message_of_this_protocol() {
        // `public/chain-worker.js` writes it by hand when the worker's code fails to load.
        let loader = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/chain-worker.js"));
        let shape = format!("JSON.stringify({{ version: {PROTOCOL_VERSION}, body: {{ Failed: {{ NoWorker: ");
        assert!(loader.contains(&shape), "the loader's refusal is not `{shape}…`");
        let sent =
            format!(r#"{{"version":{PROTOCOL_VERSION},"body":{{"Failed":{{"NoWorker":"its code did not load"}}}}}}"#);
        assert_eq!(
            decode::<FromWorker>(&sent),
            Ok(FromWorker::Failed(StartFailure::NoWorker(
                "its code did not load".into()
            )))
        );
    }
}
