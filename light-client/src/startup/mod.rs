//! What a start is made of: the chain spec (read, built from facts, extra peers), the site's
//! chain manifest and the start point it implies, checkpoints (smoldot databases at a finalized
//! block), checkpoints read from a chain's RPC bootstrap nodes, and a saved database's runtime code
//! kept apart. The worker's start decisions
//! (`service::startup`) are made from these.

pub mod bootstrap;
pub mod chain_spec;
pub mod chains;
pub mod checkpoint;
pub mod runtime_code;
