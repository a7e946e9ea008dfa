//! The typed values the app renders: plain serde structs, each read tagged with where it came from.

use serde::{Deserialize, Serialize};

/// A value read from the chain at one finalized block, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot<T> {
    /// Number of the block the value was read at.
    pub block_number: u64,
    /// Hash of that block, `0x`-prefixed hex.
    pub block_hash: String,
    /// True when the light client verified the value against the block's state root; false when a
    /// trusted RPC node supplied it.
    pub verified: bool,
    /// The value itself.
    pub data: T,
}

/// What the light client is doing, as every view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncStatus {
    /// No client has been started yet (for example while the chain spec loads).
    NotStarted,
    /// The client is starting and looking for peers.
    Connecting,
    /// Peers are connected and the client is catching up to the finalized block.
    Syncing {
        /// Connected peers.
        peers: u32,
    },
    /// The client is synced and follows new blocks.
    Ready {
        /// Connected peers.
        peers: u32,
    },
    /// Every peer is gone; values on screen are from the last block seen.
    NoPeers,
}

/// The runtime a block was produced with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuntimeVersion {
    /// `node-subtensor` on finney and the devnet.
    pub spec_name: String,
    /// Bumped by every runtime upgrade.
    pub spec_version: u32,
}

/// Network-wide figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// TAO issued so far, in rao (`SubtensorModule.TotalIssuance`).
    pub total_issuance_rao: u64,
    /// TAO staked (pools and stake), in rao (`SubtensorModule.TotalStake`).
    pub total_stake_rao: u64,
    /// TAO emitted into subnets in the last block, in rao: Σ (SubnetTaoInEmission + SubnetExcessTao).
    pub tao_emission_per_block_rao: u64,
    /// Subnets, root included (`NetworksAdded`).
    pub subnet_count: u32,
    /// The runtime at this block.
    pub runtime: RuntimeVersion,
}

/// A subnet's self-declared identity. Every field is untrusted text: render it as text only, and
/// link only to http(s) URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubnetIdentity {
    /// Display name.
    pub name: String,
    /// Source repository URL.
    pub github_repo: String,
    /// Contact.
    pub contact: String,
    /// Website URL.
    pub url: String,
    /// Discord handle or URL.
    pub discord: String,
    /// Free text.
    pub description: String,
    /// Logo URL.
    pub logo_url: String,
}

/// One subnet's header, pool and emission figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// Subnet id (0 = root).
    pub netuid: u16,
    /// Name from the identity (untrusted text; empty if none).
    pub name: String,
    /// Token symbol (untrusted text).
    pub symbol: String,
    /// Owner coldkey, SS58.
    pub owner_coldkey: String,
    /// Owner hotkey, SS58.
    pub owner_hotkey: String,
    /// Blocks between epochs.
    pub tempo: u16,
    /// Registered uids.
    pub uids: u16,
    /// Uid limit.
    pub max_uids: u16,
    /// Neuron registration cost, rao.
    pub registration_cost_rao: u64,
    /// TAO reserve of the pool, rao.
    pub tao_in_rao: u64,
    /// Alpha reserve of the pool.
    pub alpha_in: u64,
    /// Alpha outstanding.
    pub alpha_out: u64,
    /// Spot price, TAO per α (1 for root; reserve ratio with the pool's 50/50 weights).
    pub price: f64,
    /// EMA of the price, TAO per α (`SubnetMovingPrice`, I96F32).
    pub moving_price: f64,
    /// TAO emitted to this subnet in the last block, rao (SubnetTaoInEmission + SubnetExcessTao).
    pub tao_emission_per_block_rao: u64,
    /// This subnet's share of all subnets' TAO emission in the last block (0–1).
    pub emission_share: f64,
    /// Alpha injected into the pool in the last block.
    pub alpha_in_emission: u64,
    /// Alpha minted for participants in the last block.
    pub alpha_out_emission: u64,
    /// Cumulative TAO volume, rao.
    pub volume_rao: u128,
    /// Block the subnet was registered at.
    pub registered_at: u64,
    /// Self-declared identity, if set.
    pub identity: Option<SubnetIdentity>,
}

/// One neuron (uid) of a subnet's metagraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neuron {
    /// Uid in the subnet.
    pub uid: u16,
    /// Hotkey, SS58.
    pub hotkey: String,
    /// Coldkey owning the hotkey, SS58.
    pub coldkey: String,
    /// Alpha staked to the hotkey on this subnet (`TotalHotkeyAlpha`).
    pub stake_alpha: u64,
    /// Holds a validator permit.
    pub validator_permit: bool,
    /// Validator trust, 0–1.
    pub validator_trust: f64,
    /// Consensus, 0–1.
    pub consensus: f64,
    /// Incentive (share of the miner emission), 0–1.
    pub incentive: f64,
    /// Dividends (share of the validator emission), 0–1.
    pub dividends: f64,
    /// Alpha emitted at the last epoch.
    pub emission_alpha: u64,
    /// Active within the activity cutoff.
    pub active: bool,
    /// Block of the last weight update.
    pub last_update: u64,
    /// Block the uid was registered at.
    pub registered_at: u64,
    /// Served axon as `ip:port`, if any.
    pub axon: Option<String>,
}

/// A subnet's neurons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metagraph {
    /// Subnet id.
    pub netuid: u16,
    /// One entry per uid, in uid order.
    pub neurons: Vec<Neuron>,
}
