//! A simplified Yuma consensus epoch as a pure function over plain vectors: stake-weighted consensus
//! by κ-quantile, clipping, incentive, dividends, validator trust and per-uid emission.
//! See `../shared/chain/SUBTENSOR-FACTS.md` §3.5 for the real thing this follows.

extern crate alloc;
use alloc::vec;
use alloc::vec::Vec;

/// Fixed-point scale used inside the epoch: 1.0 = `ONE`.
const ONE: u128 = 1_000_000_000;

/// What an epoch needs to know about one subnet.
pub struct EpochInput {
    /// Stake per uid (alpha units).
    pub stake: Vec<u64>,
    /// Raw weights set by each uid (row i = uid i's weights on every uid); rows of uids without a
    /// permit are ignored.
    pub weights: Vec<Vec<u32>>,
    /// Consensus quantile, u16 proportion (0.5 = 32 767).
    pub kappa: u16,
    /// How many top-stake uids get a validator permit.
    pub max_validators: u16,
    /// Finney's Null consensus: one permit (the highest stake), whose weights become incentive as
    /// they are; consensus and validator trust stay zero.
    pub null_consensus: bool,
    /// Alpha accumulated for miners since the last epoch.
    pub pending_server: u64,
    /// Alpha accumulated for validators since the last epoch.
    pub pending_validator: u64,
}

/// The per-uid vectors an epoch writes, in finney's encodings.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct EpochOutput {
    /// Top-`max_validators` by stake.
    pub validator_permit: Vec<bool>,
    /// Normalised stake, u16 proportion.
    pub stake_weight: Vec<u16>,
    /// Consensus weight per uid, u16 proportion.
    pub consensus: Vec<u16>,
    /// Share of the miner emission, u16 proportion (sums to ≈ 65 535).
    pub incentive: Vec<u16>,
    /// Share of the validator emission, u16 proportion (sums to ≈ 65 535).
    pub dividends: Vec<u16>,
    /// Fraction of each validator's weight that survived clipping, u16 proportion.
    pub validator_trust: Vec<u16>,
    /// Alpha emitted to each uid this epoch.
    pub emission: Vec<u64>,
    /// The validator part of `emission` (alpha dividends).
    pub dividend_alpha: Vec<u64>,
}

fn to_u16(value: u128) -> u16 {
    (value.min(ONE) * u128::from(u16::MAX) / ONE) as u16
}

fn normalise(values: &[u128]) -> Vec<u128> {
    let total: u128 = values.iter().sum();
    if total == 0 {
        return vec![0; values.len()];
    }
    values.iter().map(|v| v * ONE / total).collect()
}

/// Indices of the `k` largest stakes (ties broken by lower uid).
fn top_k(stake: &[u64], k: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..stake.len()).collect();
    order.sort_by(|a, b| stake[*b].cmp(&stake[*a]).then(a.cmp(b)));
    let mut permit = vec![false; stake.len()];
    for uid in order.into_iter().take(k) {
        if stake[uid] > 0 {
            permit[uid] = true;
        }
    }
    permit
}

/// Runs one epoch.
pub fn run(input: &EpochInput) -> EpochOutput {
    let n = input.stake.len();
    let stake = normalise(&input.stake.iter().map(|s| u128::from(*s)).collect::<Vec<_>>());
    let permits = if input.null_consensus { 1 } else { input.max_validators as usize };
    let permit = top_k(&input.stake, permits);
    let active_stake = normalise(
        &stake.iter().zip(&permit).map(|(s, p)| if *p { *s } else { 0 }).collect::<Vec<_>>(),
    );

    // Row-normalised weights of permitted validators, self-weights masked.
    let weights: Vec<Vec<u128>> = (0..n)
        .map(|i| {
            let row = input.weights.get(i);
            if !permit[i] || row.is_none() {
                return vec![0; n];
            }
            let raw: Vec<u128> = (0..n)
                .map(|j| if i == j { 0 } else { u128::from(*row.and_then(|r| r.get(j)).unwrap_or(&0)) })
                .collect();
            normalise(&raw)
        })
        .collect();

    // Consensus: the largest weight that validators holding at least κ of the active stake set.
    let kappa = u128::from(input.kappa) * ONE / u128::from(u16::MAX);
    let consensus: Vec<u128> = (0..n)
        .map(|j| {
            let mut column: Vec<(u128, u128)> =
                (0..n).filter(|i| permit[*i]).map(|i| (weights[i][j], active_stake[i])).collect();
            column.sort_by(|a, b| b.0.cmp(&a.0));
            let mut accumulated = 0;
            for (weight, stake) in column {
                accumulated += stake;
                if accumulated >= kappa {
                    return weight;
                }
            }
            0
        })
        .collect();

    let consensus = if input.null_consensus { vec![0; n] } else { consensus };
    let clipped: Vec<Vec<u128>> = if input.null_consensus {
        // Nothing to agree on: the one validator's weights stand unclipped.
        weights.clone()
    } else {
        weights
            .iter()
            .map(|row| row.iter().zip(&consensus).map(|(w, c)| (*w).min(*c)).collect())
            .collect()
    };
    let validator_trust: Vec<u128> = if input.null_consensus {
        vec![0; n]
    } else {
        clipped.iter().map(|row| row.iter().sum()).collect()
    };
    let ranks: Vec<u128> = (0..n)
        .map(|j| (0..n).map(|i| active_stake[i] * clipped[i][j] / ONE).sum())
        .collect();
    let incentive = normalise(&ranks);
    let dividends = normalise(
        &(0..n)
            .map(|i| {
                let bonded: u128 = (0..n).map(|j| clipped[i][j] * incentive[j] / ONE).sum();
                bonded * active_stake[i] / ONE
            })
            .collect::<Vec<_>>(),
    );

    let miner_alpha: Vec<u64> =
        incentive.iter().map(|i| (i * u128::from(input.pending_server) / ONE) as u64).collect();
    let dividend_alpha: Vec<u64> =
        dividends.iter().map(|d| (d * u128::from(input.pending_validator) / ONE) as u64).collect();

    EpochOutput {
        validator_permit: permit,
        stake_weight: stake.iter().map(|s| to_u16(*s)).collect(),
        consensus: consensus.iter().map(|c| to_u16(*c)).collect(),
        incentive: incentive.iter().map(|i| to_u16(*i)).collect(),
        dividends: dividends.iter().map(|d| to_u16(*d)).collect(),
        validator_trust: validator_trust.iter().map(|v| to_u16(*v)).collect(),
        emission: miner_alpha.iter().zip(&dividend_alpha).map(|(m, d)| m + d).collect(),
        dividend_alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two honest validators agree on miner 3; a small dishonest one pushes miner 4.
    #[test]
    fn clipping_protects_consensus_from_a_minority() {
        let n = 5;
        let mut weights = vec![vec![0u32; n]; n];
        weights[0][3] = 100;
        weights[1][3] = 90;
        weights[1][4] = 10;
        weights[2][4] = 100;
        let output = run(&EpochInput {
            stake: vec![600, 300, 100, 0, 0],
            weights,
            kappa: 32_767,
            max_validators: 3,
            null_consensus: false,
            pending_server: 1_000,
            pending_validator: 1_000,
        });
        assert_eq!(output.validator_permit, vec![true, true, true, false, false]);
        // Miner 3 gets nearly all incentive; the minority's favourite is clipped to zero.
        assert!(output.incentive[3] > 65_000, "{:?}", output.incentive);
        assert_eq!(output.incentive[4], 0);
        // The dishonest validator's weight did not survive clipping.
        assert_eq!(output.validator_trust[2], 0);
        assert_eq!(output.validator_trust[0], u16::MAX);
        assert!(output.dividends[0] > output.dividends[1]);
        let total: u64 = output.emission.iter().sum();
        assert!((1_990..=2_000).contains(&total), "{total}");
    }

    /// Null consensus: only the top-stake validator holds a permit, its weights are the
    /// incentive, it takes every dividend, and consensus and trust are zero.
    #[test]
    fn null_consensus_takes_the_one_validator_at_its_word() {
        let n = 4;
        let mut weights = vec![vec![0u32; n]; n];
        weights[0][2] = 75;
        weights[0][3] = 25;
        weights[1][3] = 100;
        let output = run(&EpochInput {
            stake: vec![500, 400, 0, 0],
            weights,
            kappa: 32_767,
            max_validators: 3,
            null_consensus: true,
            pending_server: 1_000,
            pending_validator: 1_000,
        });
        assert_eq!(output.validator_permit, vec![true, false, false, false]);
        assert_eq!(output.consensus, vec![0; n]);
        assert_eq!(output.validator_trust, vec![0; n]);
        assert_eq!(output.incentive[2], 49_151, "{:?}", output.incentive);
        assert_eq!(output.dividends[0], u16::MAX);
    }

    #[test]
    fn no_stake_means_no_permits_and_no_emission() {
        let output = run(&EpochInput {
            stake: vec![0, 0],
            weights: vec![],
            kappa: 32_767,
            max_validators: 2,
            null_consensus: false,
            pending_server: 10,
            pending_validator: 10,
        });
        assert_eq!(output.validator_permit, vec![false, false]);
        assert_eq!(output.emission, vec![0, 0]);
    }
}
