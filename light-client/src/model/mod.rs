//! The typed values the app renders: plain serde structs, each read tagged with where it came from;
//! beside them, the pure maths and formats they are read with (`units`, `staking`, `pruning`,
//! `ss58`, and `history`, what this browser recorded).

pub mod history;
pub mod pruning;
pub mod ss58;
pub mod staking;
pub mod units;

use serde::{Deserialize, Serialize};

/// A value read from the chain at one finalized block, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot<T> {
    /// Number of the block the value was read at.
    pub block_number: u64,
    /// Hash of that block, `0x`-prefixed hex.
    pub block_hash: String,
    /// Who vouches for the value: the light client (verified against the block's state root) or
    /// a trusted RPC node (taken on trust).
    pub source: Source,
    /// The value itself.
    pub data: T,
}

impl<T> Snapshot<T> {
    /// True when the light client verified the value against the block's state root.
    pub fn is_verified(&self) -> bool {
        self.source.is_verified()
    }
}

/// Where a client's answers come from, and so whether they are verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// The embedded light client: every value checked against a finalized block's state root.
    LightClient,
    /// A JSON-RPC node the user chose to trust: nothing it says is checked.
    TrustedRpc {
        /// The node's host name, as the user named it.
        host: String,
    },
}

impl Source {
    /// True for the light client.
    pub fn is_verified(&self) -> bool {
        matches!(self, Source::LightClient)
    }
}

/// Bytes received over the network by this page's clients (see `platform::traffic`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkTraffic {
    /// From chain peers, by the light client (`None` where the platform does not count them).
    pub from_peers: Option<u64>,
    /// From trusted JSON-RPC nodes (the text of their messages).
    pub from_rpc_nodes: u64,
}

/// What the light client is doing, as every view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncStatus {
    /// No client has been started yet (for example while the chain spec loads).
    NotStarted,
    /// The client is starting and looking for peers.
    Connecting,
    /// Peers are connected and the client is catching up (GRANDPA warp sync) to the finalized block.
    Syncing {
        /// Connected peers.
        peers: u32,
        /// Highest block proven finalized so far (0 before the warp sync starts).
        at: u64,
        /// Highest best block a peer advertised (0 when not known yet).
        target: u64,
    },
    /// The client is synced and follows new blocks.
    Ready {
        /// Connected peers.
        peers: u32,
    },
    /// Every peer is gone; values on screen are from the last block seen.
    NoPeers,
    /// Connected to a trusted JSON-RPC node instead of the light client: nothing is verified.
    TrustedRpc {
        /// The node's host name.
        host: String,
    },
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
    /// Never the deprecated `BlockEmission`, which finney no longer writes.
    pub tao_emission_per_block_rao: u64,
    /// The part injected into the pools: Σ SubnetTaoInEmission, rao.
    pub tao_injected_per_block_rao: u64,
    /// The part spent buying α back (the chain buy): Σ SubnetExcessTao, rao.
    pub tao_chain_buy_per_block_rao: u64,
    /// TAO the chain's halving schedule emits per block, as the runtime answers it.
    pub block_emission: BlockEmission,
    /// Subnets, root included (`NetworksAdded`).
    pub subnet_count: u32,
    /// The runtime at this block.
    pub runtime: RuntimeVersion,
}

/// TAO emitted per block by the halving schedule, from the runtime's own answer
/// (`SubnetInfoRuntimeApi.get_block_emission`), never from the `BlockEmission` storage item, which
/// finney no longer writes (it still says 1 τ while the runtime answers 0.5 τ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockEmission {
    /// The runtime's answer, rao per block.
    Rao(u64),
    /// Not read: why (the runtime lacks the call, or answered in a shape this dashboard does not
    /// read), as the page says it.
    Unread {
        /// The reason.
        why: String,
    },
}

/// Which way a swap goes through a subnet's pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SwapDirection {
    /// TAO in, α out: staking (`SwapRuntimeApi.sim_swap_tao_for_alpha`).
    TaoForAlpha,
    /// α in, TAO out: unstaking (`SwapRuntimeApi.sim_swap_alpha_for_tao`).
    AlphaForTao,
}

/// What a swap through a subnet's pool would give at a block, as the runtime simulates it
/// (`SwapRuntimeApi`'s `SimSwapResult`); every amount in rao (TAO) or α units (9 decimals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapQuote {
    /// The subnet whose pool it goes through.
    pub netuid: u16,
    /// Which way.
    pub direction: SwapDirection,
    /// The amount put in (rao for TAO, α units for α), as asked.
    pub amount_in: u64,
    /// TAO side of the swap: what goes into the pool after the fee (TAO for α), or what comes out
    /// (α for TAO).
    pub tao_amount: u64,
    /// α side of the swap: what comes out (TAO for α), or what goes into the pool after the fee
    /// (α for TAO).
    pub alpha_amount: u64,
    /// Fee taken in TAO.
    pub tao_fee: u64,
    /// Fee taken in α.
    pub alpha_fee: u64,
    /// TAO lost to the price moving during the swap, against the spot price.
    pub tao_slippage: u64,
    /// α lost to the price moving during the swap, against the spot price.
    pub alpha_slippage: u64,
}

impl SwapQuote {
    /// What comes out: α for a stake, rao for an unstake.
    pub fn received(&self) -> u64 {
        match self.direction {
            SwapDirection::TaoForAlpha => self.alpha_amount,
            SwapDirection::AlphaForTao => self.tao_amount,
        }
    }

    /// The pool's fee, taken from what goes in (rao for a stake, α for an unstake).
    pub fn fee(&self) -> u64 {
        match self.direction {
            SwapDirection::TaoForAlpha => self.tao_fee,
            SwapDirection::AlphaForTao => self.alpha_fee,
        }
    }

    /// What the whole input is worth at the pre-trade spot price less what comes out (α for a
    /// stake, rao for an unstake): the fee's cost and the price's move together, as the runtime
    /// measures it.
    pub fn slippage(&self) -> u64 {
        match self.direction {
            SwapDirection::TaoForAlpha => self.alpha_slippage,
            SwapDirection::AlphaForTao => self.tao_slippage,
        }
    }

    /// Whether the pool refused the swap: the runtime answers all zeros for an input the pool
    /// cannot pay (over its size, a reserve left too low, nothing out).
    pub fn refused(&self) -> bool {
        self.amount_in > 0 && self.received() == 0 && self.fee() == 0
    }

    /// The slippage as a share of the input's worth at spot (`None` for an empty input).
    pub fn slippage_share(&self) -> Option<f64> {
        let worth = self.received().checked_add(self.slippage())?;
        (worth > 0 && !self.refused()).then(|| self.slippage() as f64 / worth as f64)
    }
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// Spot price, TAO per α, found as [`Subnet::price_method`] says; `None` when it could not
    /// be found ([`PriceMethod::Unavailable`]).
    pub price: Option<f64>,
    /// How the price was found: the balancer formula over storage, or the runtime's answer.
    pub price_method: PriceMethod,
    /// The pool's TAO-side balancer weight `q`, 0–1 (`Swap.SwapBalancer[netuid].quote`).
    pub pool_quote_weight: f64,
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
    /// The first block at which it can be pruned: `NetworkRegisteredAt + NetworkImmunityPeriod`
    /// (`None` when the runtime lacks the period).
    pub immunity_ends_at: Option<u64>,
    /// Self-declared identity, if set.
    pub identity: Option<SubnetIdentity>,
    /// How its epoch reaches consensus (`SubnetEpochConsensus`; Yuma where the runtime has no such item).
    pub consensus: ConsensusMode,
    /// Incentive mechanisms it runs (`MechanismCountCurrent`, at least 1).
    pub mechanisms: u8,
    /// Each mechanism's share of its emission, 0–1 (`MechanismEmissionSplit`; even when unset).
    pub mechanism_split: Vec<f64>,
    /// Where it is in its life: from `SubnetState` where the runtime has an entry, else from
    /// `NetworksAdded` and `FirstEmissionBlockNumber`.
    pub lifecycle: Lifecycle,
    /// Pool-side emission is on (`SubnetEmissionEnabled`; true where the runtime lacks the item).
    /// When false the subnet's `alpha_in`, `tao_in` and chain buys count as 0 by policy.
    pub emission_enabled: bool,
    /// How far apart its epochs are, as the chain records them (`None` for tempo 0).
    pub epoch_spacing: Option<EpochSpacing>,
}

/// How a subnet's α price was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceMethod {
    /// From storage, as finney's balancer pools price (`current_price` at spec 475):
    /// `(1 − q)/q · SubnetTAO/SubnetAlphaIn` with `q = Swap.SwapBalancer[netuid].quote`; 1 τ on root
    /// and any subnet not on the dynamic mechanism.
    #[default]
    BalancerFormula,
    /// The runtime's own answer (`SwapRuntimeApi.current_alpha_price_all`, rao per α), because the
    /// balancer formula does not hold for this pool.
    RuntimeAnswer {
        /// Why the formula does not hold, as the page says it.
        why: String,
    },
    /// No price: the formula does not hold for this pool and the runtime gave no answer to use.
    Unavailable {
        /// Why, as the page says it.
        why: String,
    },
}

/// How far apart a subnet's epochs are, from what the chain records:
/// `next_epoch_start − LastEpochBlock`, the next start by the runtime's rule
/// (`LastEpochBlock + Tempo`, or an earlier `PendingEpochAt`; see
/// [`staking::next_epoch_start`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochSpacing {
    /// Blocks between the last epoch and the next: what yields are annualised on.
    pub blocks: u64,
    /// `LastEpochBlock`: the block of the last epoch.
    pub last_epoch_block: u64,
    /// The block the next epoch starts at.
    pub next_epoch_start: u64,
}

impl EpochSpacing {
    /// The spacing from a subnet's `LastEpochBlock`, `Tempo` and `PendingEpochAt` (0 when none
    /// is pending, or the runtime lacks the item); `None` when no epoch is due after the last
    /// one (tempo 0).
    pub fn from_chain(last_epoch_block: u64, tempo: u16, pending_epoch_at: u64) -> Option<Self> {
        let next_epoch_start = staking::next_epoch_start(last_epoch_block, tempo, pending_epoch_at)?;
        let blocks = next_epoch_start.checked_sub(last_epoch_block).filter(|b| *b > 0)?;
        Some(EpochSpacing {
            blocks,
            last_epoch_block,
            next_epoch_start,
        })
    }

    /// A per-epoch yield annualised on this spacing (see [`staking::annualise`]).
    pub fn annualise(&self, epoch_yield: f64) -> f64 {
        staking::annualise(epoch_yield, self.blocks)
    }
}

/// A subnet's consensus mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsensusMode {
    /// Yuma consensus: validators' weights are clipped to the stake-weighted consensus.
    #[default]
    Yuma,
    /// Null consensus: one validator's weights are used as they are; consensus and trust are
    /// zero by design, not a sign of poor trust.
    Null,
}

/// Where a subnet is in its life.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lifecycle {
    /// Registered and emitting (`SubnetState` = `Started`; where the runtime has no entry, a
    /// `FirstEmissionBlockNumber`, or root).
    #[default]
    Active,
    /// Registered, emission not started yet (`SubnetState` = `Registered`; where the runtime has
    /// no entry, no `FirstEmissionBlockNumber`).
    NotStarted,
    /// Listed in `NetworksAdded` as `false`: runtime calls leave it out (not reportable).
    NotReportable,
    /// `SubnetState` = `PendingDissolution`: queued to be dissolved.
    PendingDissolution,
    /// `SubnetState` = `Dissolving`: its state is being cleaned up.
    Dissolving,
    /// A `SubnetState` this dashboard does not know, by the variant name the runtime declares
    /// (untrusted text).
    Unknown {
        /// The variant's name.
        state: String,
    },
}

/// One neuron (uid) of a subnet's metagraph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

/// How a metagraph was read (both verified by the light client against the block's state root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetagraphSource {
    /// `SubnetInfoRuntimeApi.get_selective_metagraph` run over one call proof, plus the
    /// `ValidatorTrust` storage value it lacks.
    RuntimeCall,
    /// Storage items read one by one.
    StorageReads {
        /// Why not the runtime call (the runtime lacks it, its answer changed shape, or the
        /// caller asked for storage reads), as the page says it.
        why: String,
    },
}

/// The subnet a new subnet's registration would replace at `block` (see
/// [`pruning::subnet_to_prune`]): subnets not reportable, and those whose immunity the runtime
/// cannot say, are not candidates.
pub fn subnet_to_prune(subnets: &[Subnet], block: u64) -> Option<u16> {
    let candidates: Vec<pruning::SubnetCandidate> = subnets
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::NotReportable)
        .filter_map(|s| {
            Some(pruning::SubnetCandidate {
                netuid: s.netuid,
                moving_price: s.moving_price,
                registered_at: s.registered_at,
                immunity_ends_at: s.immunity_ends_at?,
            })
        })
        .collect();
    pruning::subnet_to_prune(&candidates, block)
}

/// A subnet's neurons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metagraph {
    /// Subnet id.
    pub netuid: u16,
    /// The incentive mechanism whose incentive and last updates these are (0 on most subnets);
    /// every other figure is the subnet's.
    pub mechanism: u8,
    /// One entry per uid, in uid order.
    pub neurons: Vec<Neuron>,
    /// The subnet's pruning parameters (`None` when the runtime lacks those items).
    pub pruning: Option<PruningRule>,
    /// How it was read.
    pub source: MetagraphSource,
}

/// What decides which uid a registration on a full subnet replaces.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PruningRule {
    /// `ImmunityPeriod`: blocks after registration during which a uid is immune.
    pub immunity_period: u16,
    /// `MinNonImmuneUids`: no uid past its immunity is pruned unless more than this many are.
    pub min_non_immune: u16,
    /// `SubnetOwnerHotkey`, SS58: never pruned.
    pub owner_hotkey: String,
}

impl Metagraph {
    /// Each neuron's standing under the pruning rule at `block`, in uid order (`None` when the
    /// runtime lacks the rule's items; see [`pruning::standings`]).
    pub fn pruning_standings(&self, block: u64) -> Option<Vec<pruning::Standing>> {
        let rule = self.pruning.as_ref()?;
        let candidates: Vec<pruning::Candidate> = self
            .neurons
            .iter()
            .map(|n| pruning::Candidate {
                uid: n.uid,
                emission_alpha: n.emission_alpha,
                registered_at: n.registered_at,
                owner: n.hotkey == rule.owner_hotkey,
            })
            .collect();
        let rule = pruning::Rule {
            immunity_period: rule.immunity_period,
            min_non_immune: rule.min_non_immune,
        };
        Some(pruning::standings(&candidates, rule, block))
    }
}

/// A delegate hotkey (open for nomination) and where it validates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Validator {
    /// Hotkey, SS58.
    pub hotkey: String,
    /// Coldkey owning the hotkey, SS58 (empty if the chain has no owner for it).
    pub coldkey: String,
    /// Name from the owner's on-chain identity (untrusted text; empty if none).
    pub name: String,
    /// URL from the owner's on-chain identity (untrusted text: link only if http(s)).
    pub url: String,
    /// Delegate take, 0–1 (`Delegates`, u16 proportion).
    pub take: f64,
    /// Stake on every subnet valued in TAO at each subnet's spot price, rao:
    /// Σ `TotalHotkeyAlpha`(hotkey, netuid) × price(netuid) (a subnet without a price counts
    /// for nothing).
    pub stake_tao_equivalent_rao: u64,
    /// Subnets where the hotkey holds a validator permit, in netuid order.
    pub subnets: Vec<ValidatorSubnet>,
}

/// A validator's figures on one subnet where it holds a permit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidatorSubnet {
    /// Subnet id.
    pub netuid: u16,
    /// The validator's uid there.
    pub uid: u16,
    /// α staked to the hotkey there (`TotalHotkeyAlpha`).
    pub stake_alpha: u64,
    /// The subnet's spot price, TAO per α (`None`: unavailable, see [`PriceMethod::Unavailable`]).
    pub price: Option<f64>,
    /// Validator trust, 0–1.
    pub validator_trust: f64,
    /// The subnet runs Null consensus, where validator trust is zero by design: it says nothing
    /// about this validator, and the trust summaries leave it out.
    pub null_consensus: bool,
    /// Share of the subnet's validator emission at the last epoch, 0–1 (`Dividends`).
    pub dividends: f64,
    /// α dividends at the last epoch, after take (`AlphaDividendsPerSubnet`).
    pub dividends_alpha: u64,
    /// α staked to the hotkey there when the last epoch had paid (`TotalHotkeyAlphaLastEpoch`).
    pub stake_last_epoch_alpha: u64,
    /// The subnet's tempo (`Tempo`).
    pub tempo: u16,
    /// How far apart the subnet's epochs are, as the chain records them (`None` for tempo 0).
    pub epoch_spacing: Option<EpochSpacing>,
}

impl ValidatorSubnet {
    /// What the last epoch paid the hotkey's stakers per α, after take (see [`staking::last_epoch_yield`]).
    pub fn last_epoch_yield(&self) -> Option<f64> {
        staking::last_epoch_yield(self.dividends_alpha, self.stake_last_epoch_alpha)
    }

    /// The last epoch's yield annualised on the subnet's epoch spacing ("last-epoch APY").
    pub fn apy(&self) -> Option<f64> {
        Some(self.epoch_spacing?.annualise(self.last_epoch_yield()?))
    }
}

impl Validator {
    /// Validator trust on each permitted subnet where it means something (Yuma consensus).
    fn trusts(&self) -> impl Iterator<Item = f64> + '_ {
        self.subnets
            .iter()
            .filter(|s| !s.null_consensus)
            .map(|s| s.validator_trust)
    }

    /// Mean validator trust over the permitted subnets in Yuma consensus (`None` without any).
    pub fn mean_validator_trust(&self) -> Option<f64> {
        let count = self.trusts().count();
        (count > 0).then(|| self.trusts().sum::<f64>() / count as f64)
    }

    /// Lowest validator trust over the permitted subnets in Yuma consensus (`None` without any).
    pub fn min_validator_trust(&self) -> Option<f64> {
        self.trusts().reduce(f64::min)
    }

    /// Last-epoch APY over the permitted subnets, each weighted by the TAO value of the stake
    /// there (`None` before any epoch has paid; subnets without a price left out).
    pub fn apy(&self) -> Option<f64> {
        staking::weighted_rate(
            self.subnets
                .iter()
                .filter_map(|s| Some((s.stake_alpha as f64 * s.price?, s.apy()))),
        )
    }

    /// Last epoch's α dividends on every permitted subnet valued in TAO at spot price, rao
    /// (subnets without a price left out).
    pub fn dividends_tao_equivalent_rao(&self) -> u64 {
        self.subnets
            .iter()
            .filter_map(|s| Some(s.dividends_alpha as f64 * s.price?))
            .sum::<f64>()
            .round() as u64
    }
}

/// A coldkey's holdings: its free balance and its stake on each (hotkey, subnet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The coldkey, SS58.
    pub coldkey: String,
    /// Free balance, rao (`System.Account`).
    pub free_rao: u64,
    /// Every position with stake, most valuable first.
    pub positions: Vec<StakePosition>,
}

impl Account {
    /// The positions' value in TAO at spot prices, rao (positions on a subnet without a price
    /// left out).
    pub fn staked_value_rao(&self) -> u64 {
        self.positions.iter().filter_map(StakePosition::value_rao).sum()
    }

    /// The value of the positions that have a last-epoch rate, rao (what [`Account::apy`] covers).
    pub fn rated_value_rao(&self) -> u64 {
        self.positions
            .iter()
            .filter(|p| p.apy().is_some())
            .filter_map(StakePosition::value_rao)
            .sum()
    }

    /// Last-epoch APY of the whole stake: each position's weighted by its TAO value (`None`
    /// before any epoch has paid any of them).
    pub fn apy(&self) -> Option<f64> {
        staking::weighted_rate(
            self.positions
                .iter()
                .filter_map(|p| Some((p.value_rao()? as f64, p.apy()))),
        )
    }
}

/// A coldkey's stake on one hotkey on one subnet, with the figures a staker weighs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StakePosition {
    /// The hotkey staked to, SS58.
    pub hotkey: String,
    /// The name in the hotkey owner's identity (untrusted text; empty when none).
    pub name: String,
    /// Subnet id.
    pub netuid: u16,
    /// α owned: `TotalHotkeyAlpha × AlphaV2 / TotalHotkeySharesV2`.
    pub alpha: u64,
    /// The coldkey's share count in the hotkey's pool (`AlphaV2`, mantissa × 10^exponent).
    pub shares: f64,
    /// What one share is worth, α units: `TotalHotkeyAlpha ÷ TotalHotkeySharesV2`. Emission
    /// raises it; staking and unstaking change the share count instead.
    pub alpha_per_share: f64,
    /// The subnet's spot price, TAO per α (`None`: unavailable, see [`PriceMethod::Unavailable`]).
    pub price: Option<f64>,
    /// The hotkey is a delegate (`Delegates` has it).
    pub delegate: bool,
    /// The hotkey's take, 0–1.
    pub take: f64,
    /// Validator trust where the hotkey holds a permit on the subnet.
    pub validator_trust: Option<f64>,
    /// The subnet runs Null consensus (validator trust is zero by design).
    pub null_consensus: bool,
    /// α dividends of the hotkey on the subnet at the last epoch, after take.
    pub dividends_alpha: u64,
    /// α staked to the hotkey there when the last epoch had paid.
    pub stake_last_epoch_alpha: u64,
    /// The subnet's tempo (`Tempo`).
    pub tempo: u16,
    /// How far apart the subnet's epochs are, as the chain records them (`None` for tempo 0).
    pub epoch_spacing: Option<EpochSpacing>,
}

impl StakePosition {
    /// The position's value in TAO at spot price, rao (`None` without a price).
    pub fn value_rao(&self) -> Option<u64> {
        Some((self.alpha as f64 * self.price?).round() as u64)
    }

    /// Last-epoch APY of stake on this hotkey and subnet, annualised on the subnet's epoch spacing.
    pub fn apy(&self) -> Option<f64> {
        let epoch_yield = staking::last_epoch_yield(self.dividends_alpha, self.stake_last_epoch_alpha)?;
        Some(self.epoch_spacing?.annualise(epoch_yield))
    }
}

/// A validator's root basket ("Root Reborn", specs 433–450): the fund of subnet α that its root
/// stakers' dividends accrue in, as `BetaBasketRuntimeApi.get_validator_basket_summary` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RootBasket {
    /// β supply, raw units (10^9 per β; β minted at par, 1 τ each, when the fund started).
    pub shares: u64,
    /// What selling every holding would fetch now, rao (realizable net asset value).
    pub nav_rao: u64,
    /// The holdings at spot prices, rao.
    pub spot_nav_rao: u64,
    /// TAO paid into the fund over its life, rao.
    pub deposited_rao: u64,
    /// TAO paid out of it (claims) over its life, rao.
    pub redeemed_rao: u64,
    /// What it holds, per subnet.
    pub holdings: Vec<BasketHolding>,
}

/// One subnet's α in a root basket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasketHolding {
    /// Subnet id.
    pub netuid: u16,
    /// α held.
    pub alpha: u64,
    /// Its value at spot price, rao.
    pub spot_rao: u64,
    /// What selling it would fetch, rao.
    pub realizable_rao: u64,
}

/// One validator's root basket, as `BetaBasketRuntimeApi.get_all_validator_baskets` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatorBasket {
    /// The validator's hotkey, SS58.
    pub hotkey: String,
    /// Its basket.
    pub basket: RootBasket,
}

impl RootBasket {
    /// Whether this is the all-zero summary finney answers (since spec 475, no longer an
    /// `Option`) for a hotkey without a basket: no β, no value, nothing paid in, no holdings.
    pub fn is_empty(&self) -> bool {
        self.shares == 0 && self.nav_rao == 0 && self.deposited_rao == 0 && self.holdings.is_empty()
    }

    /// The fund's lifetime multiple on what was paid in: `(NAV + redeemed) ÷ deposited`.
    pub fn lifetime_return(&self) -> Option<f64> {
        (self.deposited_rao > 0).then(|| (self.nav_rao as f64 + self.redeemed_rao as f64) / self.deposited_rao as f64)
    }

    /// τ per β: NAV over the β supply (1.0 at the fund's start).
    pub fn beta_price(&self) -> Option<f64> {
        (self.shares > 0).then(|| self.nav_rao as f64 / self.shares as f64)
    }
}

/// Who stakes to a hotkey, and how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nominators {
    /// The hotkey, SS58.
    pub hotkey: String,
    /// Its owner's coldkey, SS58 (empty when unknown).
    pub owner: String,
    /// Every coldkey with stake on it, largest TAO value first.
    pub nominators: Vec<Nominator>,
}

/// How many coldkeys stake to each of some hotkeys (counted from their `AlphaV2` shares), and
/// what reading them cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominatorCounts {
    /// (hotkey SS58, coldkeys with shares), in the order asked.
    pub counts: Vec<(String, u32)>,
    /// Bytes of keys and values the reads returned (proof nodes come on top).
    pub bytes_read: u64,
}

/// One coldkey's stake on a hotkey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nominator {
    /// The coldkey, SS58.
    pub coldkey: String,
    /// (netuid, α) for each subnet it has stake on.
    pub stakes: Vec<(u16, u64)>,
    /// Its stake's value in TAO at spot prices, rao (subnets without a price count for nothing).
    pub value_rao: u64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quote_reads_its_side_of_the_swap() {
        let sell = SwapQuote {
            netuid: 92,
            direction: SwapDirection::AlphaForTao,
            amount_in: 1_000_000_000_000,
            // finney's recorded sim_swap_alpha_for_tao(92, 1000 α) at block 9,240,388.
            tao_amount: 1_344_446_749,
            alpha_amount: 999_496_452_278,
            tao_fee: 0,
            alpha_fee: 503_547_722,
            tao_slippage: 3_764_188,
            alpha_slippage: 0,
        };
        assert_eq!(
            (sell.received(), sell.fee(), sell.slippage()),
            (1_344_446_749, 503_547_722, 3_764_188)
        );
        assert!(!sell.refused());
        let share = sell.slippage_share().expect("a share");
        assert!((share - 3_764_188.0 / 1_348_210_937.0).abs() < 1e-12, "{share}");
        let refused = SwapQuote {
            tao_amount: 0,
            alpha_amount: 0,
            alpha_fee: 0,
            tao_slippage: 0,
            ..sell.clone()
        };
        assert!(refused.refused());
        assert_eq!(refused.slippage_share(), None);
    }

    use super::*;

    fn seat(netuid: u16, validator_trust: f64, dividends_alpha: u64, price: f64) -> ValidatorSubnet {
        ValidatorSubnet {
            netuid,
            price: Some(price),
            validator_trust,
            dividends_alpha,
            tempo: 360,
            epoch_spacing: EpochSpacing::from_chain(0, 360, 0),
            ..ValidatorSubnet::default()
        }
    }

    fn validator(subnets: Vec<ValidatorSubnet>) -> Validator {
        Validator {
            take: 0.18,
            subnets,
            ..Validator::default()
        }
    }

    #[test]
    fn derived_validator_figures() {
        let v = validator(vec![seat(1, 0.5, 1_000, 0.5), seat(2, 0.9, 2_000, 0.25)]);
        assert_eq!(v.mean_validator_trust(), Some(0.7));
        assert_eq!(v.min_validator_trust(), Some(0.5));
        assert_eq!(v.dividends_tao_equivalent_rao(), 1_000);
        let idle = validator(Vec::new());
        assert_eq!(idle.mean_validator_trust(), None);
        assert_eq!(idle.min_validator_trust(), None);
        assert_eq!(idle.dividends_tao_equivalent_rao(), 0);
    }

    #[test]
    fn apy_weights_seats_by_the_value_staked_there() {
        let paid = |netuid, stake_alpha, dividends_alpha, stake_last_epoch_alpha, price| ValidatorSubnet {
            stake_alpha,
            stake_last_epoch_alpha,
            tempo: 99,
            // The owner triggered an epoch 50 blocks after the last one: S = 50.
            epoch_spacing: EpochSpacing::from_chain(1_000, 99, 1_050),
            ..seat(netuid, 1.0, dividends_alpha, price)
        };
        let (a, b) = (paid(1, 1_000, 10, 1_010, 1.0), paid(2, 4_000, 0, 4_000, 0.25));
        let expected_a = 1.01f64.powf(365.0 * 7_200.0 / 50.0) - 1.0;
        assert!((a.apy().unwrap() - expected_a).abs() < 1e-6 * expected_a);
        assert_eq!(b.apy(), Some(0.0));
        // Equal TAO value on both subnets (1 000 × 1 and 4 000 × 0.25): the mean of the two.
        let v = validator(vec![a, b]);
        assert!((v.apy().unwrap() - expected_a / 2.0).abs() < 1e-6 * expected_a);
        assert_eq!(
            validator(vec![seat(1, 1.0, 0, 1.0)]).apy(),
            None,
            "no epoch recorded yet"
        );
        let no_epochs = ValidatorSubnet {
            epoch_spacing: None,
            ..paid(1, 1_000, 10, 1_010, 1.0)
        };
        assert_eq!(no_epochs.apy(), None, "tempo 0: no epochs to annualise on");
    }

    #[test]
    fn epochs_are_spaced_from_the_last_to_the_next_start() {
        let spacing = EpochSpacing::from_chain(9_240_135, 360, 0).unwrap();
        assert_eq!(
            (spacing.blocks, spacing.last_epoch_block, spacing.next_epoch_start),
            (360, 9_240_135, 9_240_495)
        );
        assert_eq!(EpochSpacing::from_chain(5, 0, 0), None, "tempo 0");
        assert_eq!(
            EpochSpacing::from_chain(5, 10, 3),
            None,
            "a pending epoch before the last one is no spacing"
        );
    }

    #[test]
    fn a_basket_returns_what_it_holds_and_paid_out_over_what_came_in() {
        let basket = RootBasket {
            shares: 800,
            nav_rao: 900,
            spot_nav_rao: 950,
            deposited_rao: 1_000,
            redeemed_rao: 300,
            holdings: Vec::new(),
        };
        assert_eq!(basket.lifetime_return(), Some(1.2));
        assert_eq!(basket.beta_price(), Some(1.125));
        let empty = RootBasket {
            shares: 0,
            deposited_rao: 0,
            ..basket
        };
        assert_eq!((empty.lifetime_return(), empty.beta_price()), (None, None));
        assert!(!empty.is_empty(), "a fund that still has value is a basket");
        let zero = RootBasket {
            nav_rao: 0,
            spot_nav_rao: 0,
            redeemed_rao: 0,
            ..empty
        };
        assert!(zero.is_empty(), "finney's answer for a hotkey without a basket");
    }

    /// A Null-consensus seat's zero trust is by design: the summaries leave it out.
    #[test]
    fn trust_summaries_leave_null_consensus_seats_out() {
        let null = ValidatorSubnet {
            null_consensus: true,
            ..seat(3, 0.0, 500, 1.0)
        };
        let v = validator(vec![seat(1, 0.8, 0, 1.0), null.clone()]);
        assert_eq!(v.mean_validator_trust(), Some(0.8));
        assert_eq!(v.min_validator_trust(), Some(0.8));
        assert_eq!(v.dividends_tao_equivalent_rao(), 500, "its dividends still count");
        assert_eq!(validator(vec![null]).min_validator_trust(), None);
    }
}
