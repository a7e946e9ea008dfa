//! Taoscope's chain side: turns the Bittensor chain (subtensor) into typed, verified values.
//!
//! The app depends on this crate only; smoldot, JSON-RPC and SCALE never leave it. The pure layers
//! (storage keys, units, addresses, the data model) are plain functions tested natively.

#![warn(missing_docs)]

// What the app (and the checkpoint tool) use: the client facade, the model it returns, and the
// pure helpers the views format with.
//
// In layers: `startup` (what a start is made of), `service` (the worker that runs the light client
// and the page's handle on it), `client` and `live` (the typed facade), `chain` (the follower),
// `queries`, and `model` (the typed values and the pure maths and formats they are read with).
pub mod client;
pub mod error;
pub mod live;
pub mod model;
pub mod platform;
pub mod service;
pub mod startup;

pub use model::{pruning, ss58, staking, units};
pub use startup::{bootstrap, chain_spec, chains, checkpoint, runtime_code};

pub use chain::{BlockRef, ChainError};
pub use queries::runtime_api::RuntimeApiRead;
pub use transport::StartError;

/// The finney contract: the items and runtime APIs the light client reads, checked against real
/// finney metadata. Only the tests check it.
#[cfg(any(test, feature = "internals"))]
pub mod contract;

/// What a proof's bytes are, for the benchmark's byte budget (`cargo xtask bench`).
#[cfg(any(test, feature = "internals"))]
pub mod proof_budget;

/// Declares the crate's internals: its own modules, public only with the `internals` feature
/// (for the integration tests, which drive them directly), so an item nothing in the crate or
/// its facade uses is dead code the compiler names.
macro_rules! internal_modules {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            #[cfg(feature = "internals")]
            pub mod $name;
            $(#[$doc])*
            #[cfg(not(feature = "internals"))]
            pub(crate) mod $name;
        )*
    };
}

internal_modules! {
    broadcast;
    chain;
    decode;
    keys;
    metadata;
    queries;
    rpc;
    transport;
}
