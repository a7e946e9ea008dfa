//! Taoscope's chain side: turns the Bittensor chain (subtensor) into typed, verified values.
//!
//! The app depends on this crate only; smoldot, JSON-RPC and SCALE never leave it. The pure layers
//! (storage keys, units, addresses, the data model) are plain functions tested natively.

#![warn(missing_docs)]

pub mod bootstrap;
pub mod chain;
pub mod chain_spec;
pub mod chains;
pub mod checkpoint;
pub mod client;
pub mod contract;
pub mod decode;
pub mod keys;
pub mod live;
pub mod metadata;
pub mod model;
pub mod platform;
pub mod pruning;
pub mod queries;
pub mod rpc;
pub mod ss58;
pub mod staking;
pub mod transport;
pub mod units;
