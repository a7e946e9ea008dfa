//! Why a read failed, typed all the way to the view: a query's own failures (`QueryError`), and
//! the chain service's (`ServiceError`, `ProtocolError`) when the read went through the worker, and
//! why a change to the history the worker keeps was refused (`HistoryError`).

use serde::{Deserialize, Serialize};

use crate::chain::ChainError;
use crate::decode::DecodeError;
use crate::metadata::MetadataError;

/// Why a query failed. Each is specific to the query: other widgets keep working.
#[derive(Debug, Clone, thiserror::Error, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum QueryError {
    /// Reading from the chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The runtime's metadata could not be read.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// An item is missing, retyped or malformed in this runtime.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The block's runtime is unknown or invalid.
    #[error("the runtime of block #{0} is not known")]
    UnknownRuntime(u64),
    /// An address given to a query is not a valid SS58 account address.
    #[error("{address:?} is not an SS58 account address: {reason}")]
    BadAddress {
        /// The address as given.
        address: String,
        /// What is wrong with it.
        reason: String,
    },
    /// This runtime has no such runtime API method (the widget that needs it says so).
    #[error("this runtime has no {0}")]
    Unsupported(String),
    /// The chain service (the worker running the light client) did not answer.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ProtocolError {
    /// Not a message of this protocol (or of a kind this side does not know).
    #[error("a message of the chain service did not read: {0}")]
    Unreadable(String),
    /// A message of another protocol version (a page and a worker from different deployments).
    #[error("the chain service speaks protocol version {theirs}, this page version {ours}")]
    OtherVersion {
        /// This side's version.
        ours: u32,
        /// The other side's.
        theirs: u32,
    },
}

/// What the service is to a page beyond queries: its failures, as the page's view names them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ServiceError {
    /// The worker running the light client stopped (terminated, crashed, or restarted on purpose);
    /// the page reconnects to a fresh one.
    #[error("the chain service restarted; asking again")]
    Restarted,
    /// The worker answered a question with an answer to another.
    #[error("the chain service answered {found} to a {asked} question")]
    WrongAnswer {
        /// What was asked.
        asked: String,
        /// What came back.
        found: String,
    },
    /// A message was refused.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
}

/// Why the chain worker did not make a change to the history or the watchlist it keeps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum HistoryError {
    /// The page reads through a trusted RPC node: history is kept only for verified data.
    #[error("history is kept only for data this browser verifies, not a trusted RPC node's")]
    Unverified,
    /// The page's chain client has not started yet.
    #[error("the chain is not known yet")]
    NotReady,
    /// An imported history file cannot be used.
    #[error(transparent)]
    File(#[from] crate::model::history::FileError),
    /// The browser refused to save the change (storage full, or no IndexedDB).
    #[error("{0}")]
    NotSaved(String),
    /// The chain service did not answer.
    #[error(transparent)]
    Service(#[from] ServiceError),
}
