//! Value types stored by the pallet, with finney's exact SCALE shapes (field names and order).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;


extern crate alloc;
use alloc::vec::Vec;

/// `substrate_fixed::FixedI128<U32>` (I96F32): the value is `bits / 2^32`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct FixedI128 {
    /// Raw bits, 32 fractional.
    pub bits: i128,
}

impl FixedI128 {
    /// The fixed-point value closest to `numerator / denominator`.
    pub fn from_ratio(numerator: u128, denominator: u128) -> Self {
        if denominator == 0 {
            return Self::default();
        }
        Self { bits: ((numerator << 32) / denominator) as i128 }
    }
}

/// `pallet_subtensor::pallet::AxonInfo`.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct AxonInfo {
    /// Block of the last serve_axon.
    pub block: u64,
    /// Axon version.
    pub version: u32,
    /// IPv4 or IPv6 address as an integer.
    pub ip: u128,
    /// Port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
    /// Protocol id.
    pub protocol: u8,
    /// Unused.
    pub placeholder1: u8,
    /// Unused.
    pub placeholder2: u8,
}

/// `pallet_subtensor::pallet::PrometheusInfo` (runtime APIs only).
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct PrometheusInfo {
    /// Block of the last serve_prometheus.
    pub block: u64,
    /// Version.
    pub version: u32,
    /// Address as an integer.
    pub ip: u128,
    /// Port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
}

/// `pallet_subtensor::pallet::SubnetIdentityV3`: all user-controlled UTF-8 (or not) bytes.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct SubnetIdentityV3 {
    /// Display name.
    pub subnet_name: Vec<u8>,
    /// Source repository URL.
    pub github_repo: Vec<u8>,
    /// Contact.
    pub subnet_contact: Vec<u8>,
    /// Website URL.
    pub subnet_url: Vec<u8>,
    /// Discord handle or URL.
    pub discord: Vec<u8>,
    /// Free text.
    pub description: Vec<u8>,
    /// Logo URL.
    pub logo_url: Vec<u8>,
    /// Anything else.
    pub additional: Vec<u8>,
}

/// `pallet_subtensor::pallet::ChainIdentityV2`: a coldkey's self-declared identity.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ChainIdentityV2 {
    /// Display name.
    pub name: Vec<u8>,
    /// Website URL.
    pub url: Vec<u8>,
    /// Source repository URL.
    pub github_repo: Vec<u8>,
    /// Image URL.
    pub image: Vec<u8>,
    /// Discord handle.
    pub discord: Vec<u8>,
    /// Free text.
    pub description: Vec<u8>,
    /// Anything else.
    pub additional: Vec<u8>,
}

/// `pallet_subtensor_swap::pallet::balancer::Balancer`: a subnet pool's weights. `quote` is the
/// TAO side's weight q; the α side's is 1 − q, and the spot price is (1 − q)/q · TAO/α.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct Balancer {
    /// The quote (TAO) weight, in parts of 10^18.
    pub quote: sp_arithmetic::Perquintill,
}

/// `pallet_subtensor_swap::pallet::superellipse::Superellipse` (in subtensor's sources, not yet on
/// finney): a pool curve `X²·b² + Y²·a² = K` in Q32 coordinates, `X = center_alpha − α·2³²`,
/// `Y = center_tao − τ·2³²`, whose spot price is `b²·X / (a²·Y)` TAO per α.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct Superellipse {
    /// `a`, the α side's scale (Q32).
    pub alpha_scale: u128,
    /// `b`, the TAO side's scale (Q32).
    pub tao_scale: u128,
    /// The α coordinate of the curve's centre (Q32).
    pub center_alpha: i128,
    /// The TAO coordinate of the curve's centre (Q32).
    pub center_tao: i128,
}

/// `pallet_subtensor::epoch::EpochConsensus`: how a subnet's epoch turns weights into rewards.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub enum EpochConsensus {
    /// Yuma consensus over every permitted validator.
    #[default]
    Yuma,
    /// One permit (the highest stake) whose weights are taken as they are: consensus and trust
    /// stay zero, as they do on finney's Null-mode subnets.
    Null,
}

/// `pallet_commitments::types::Data`, the variants the devnet writes (finney's indexes: `None`
/// 0, `Raw0..=Raw128` 1..=129, hashes 130..=133, timelocked 134, `ResetBondsFlag` 135, `BigRaw` 136).
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum Data {
    /// Nothing.
    #[codec(index = 0)]
    None,
    /// 32 raw bytes (finney's `Raw32`).
    #[codec(index = 33)]
    Raw32([u8; 32]),
    /// A BLAKE2-256 hash.
    #[codec(index = 130)]
    BlakeTwo256([u8; 32]),
    /// The flag that resets a validator's bonds.
    #[codec(index = 135)]
    ResetBondsFlag,
}

/// `pallet_commitments::types::CommitmentInfo`: the fields a neuron committed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct CommitmentInfo {
    /// The committed fields.
    pub fields: Vec<Data>,
}

/// `pallet_commitments::types::Registration`: a commitment with its deposit and block.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct Registration {
    /// Deposit held for it, rao.
    pub deposit: u64,
    /// Block it was made at.
    pub block: u32,
    /// What was committed.
    pub info: CommitmentInfo,
}

/// `share_pool::SafeFloat`: a share count as `mantissa × 10^exponent` (finney's `AlphaV2` and
/// `TotalHotkeySharesV2` values since spec 473).
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct SafeFloat {
    /// Significant digits.
    pub mantissa: u128,
    /// Power of ten the mantissa is scaled by.
    pub exponent: i64,
}
