//! Which miner a registration on a full subnet would replace, by the chain's own rule
//! (subtensor `subnets/registration.rs` `get_neuron_to_prune`), and which subnet a new subnet
//! would replace (`coinbase/root.rs` `get_network_to_prune`), as plain functions.
//!
//! The rule: the subnet owner's hotkey is never pruned. A uid is immune while
//! `block − BlockAtRegistration < ImmunityPeriod`. While more than `MinNonImmuneUids` uids are past
//! their immunity, the one with the least `Emission` goes (ties: the earliest registration, then
//! the lowest uid); otherwise the immune uid that ranks first by the same order goes.

/// One uid as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Uid.
    pub uid: u16,
    /// α emitted to it at the last epoch (`Emission`).
    pub emission_alpha: u64,
    /// Block it registered at (`BlockAtRegistration`).
    pub registered_at: u64,
    /// It is the subnet owner's hotkey (`SubnetOwnerHotkey`), which is never pruned.
    pub owner: bool,
}

/// The rule's subnet parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `ImmunityPeriod[netuid]`, blocks.
    pub immunity_period: u16,
    /// `MinNonImmuneUids[netuid]`.
    pub min_non_immune: u16,
}

/// The last block of a uid's immunity when it is still immune at `block`, else `None`.
pub fn immune_until(registered_at: u64, immunity_period: u16, block: u64) -> Option<u64> {
    let end = registered_at.saturating_add(u64::from(immunity_period));
    (block < end).then(|| end - 1)
}

/// The uid the chain would prune next at `block`, if any.
pub fn next_to_prune(candidates: &[Candidate], rule: Rule, block: u64) -> Option<u16> {
    let eligible = candidates.iter().filter(|c| !c.owner);
    let (immune, free): (Vec<&Candidate>, Vec<&Candidate>) =
        eligible.partition(|c| immune_until(c.registered_at, rule.immunity_period, block).is_some());
    let pool = if free.len() > usize::from(rule.min_non_immune) {
        free
    } else {
        immune
    };
    pool.into_iter()
        .min_by_key(|c| (c.emission_alpha, c.registered_at, c.uid))
        .map(|c| c.uid)
}

/// Where one uid stands under the rule at a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// The last block of its immunity, while it is immune.
    pub immune_until: Option<u64>,
    /// Its place among the uids past their immunity in the order pruning takes them (1 = first);
    /// `None` while immune, and for the owner's hotkey.
    pub rank: Option<u16>,
    /// The uid the chain would prune next.
    pub next: bool,
    /// The subnet owner's hotkey, never pruned.
    pub owner: bool,
}

/// Every candidate's standing at `block`, in the candidates' order.
pub fn standings(candidates: &[Candidate], rule: Rule, block: u64) -> Vec<Standing> {
    let next = next_to_prune(candidates, rule, block);
    let mut order: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| !c.owner && immune_until(c.registered_at, rule.immunity_period, block).is_none())
        .collect();
    order.sort_by_key(|c| (c.emission_alpha, c.registered_at, c.uid));
    candidates
        .iter()
        .map(|c| Standing {
            immune_until: immune_until(c.registered_at, rule.immunity_period, block),
            rank: order
                .iter()
                .position(|o| o.uid == c.uid)
                .and_then(|place| u16::try_from(place + 1).ok()),
            next: next == Some(c.uid),
            owner: c.owner,
        })
        .collect()
}

/// A subnet as the subnet-pruning rule sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubnetCandidate {
    /// Netuid (root, 0, is never pruned).
    pub netuid: u16,
    /// `SubnetMovingPrice`, TAO per α.
    pub moving_price: f64,
    /// `NetworkRegisteredAt`.
    pub registered_at: u64,
    /// `NetworkRegisteredAt + NetworkImmunityPeriod`: prunable from this block on.
    pub immunity_ends_at: u64,
}

/// The subnet a new subnet would replace at `block`: among subnets other than root past their
/// immunity, the lowest moving price, then the earliest registration (then the lowest netuid,
/// the chain's iteration order). `None` while every one is immune.
pub fn subnet_to_prune(candidates: &[SubnetCandidate], block: u64) -> Option<u16> {
    candidates
        .iter()
        .filter(|c| c.netuid != 0 && block >= c.immunity_ends_at)
        .min_by(|a, b| {
            a.moving_price
                .total_cmp(&b.moving_price)
                .then(a.registered_at.cmp(&b.registered_at))
                .then(a.netuid.cmp(&b.netuid))
        })
        .map(|c| c.netuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(uid: u16, emission_alpha: u64, registered_at: u64) -> Candidate {
        Candidate {
            uid,
            emission_alpha,
            registered_at,
            owner: false,
        }
    }

    /// Seen at block 1,000: uids 0–2 past immunity (1 and 2 tied on emission), uid 3 immune
    /// with the least emission, uid 4 the owner's hotkey.
    fn subnet_at_block_1000() -> [Candidate; 5] {
        [
            candidate(0, 50, 10),
            candidate(1, 7, 300),
            candidate(2, 7, 200),
            candidate(3, 0, 950),
            Candidate {
                owner: true,
                ..candidate(4, 0, 0)
            },
        ]
    }

    const RULE: Rule = Rule {
        immunity_period: 100,
        min_non_immune: 2,
    };

    #[test]
    fn immunity_ends_after_the_period() {
        assert_eq!(immune_until(50, 100, 149), Some(149));
        assert_eq!(
            immune_until(50, 100, 150),
            None,
            "block − registered = period: no longer immune"
        );
        assert_eq!(immune_until(0, 0, 0), None);
    }

    #[test]
    fn the_least_emission_past_immunity_goes_first_with_finneys_tie_breaks() {
        let block = 1_000;
        let uids = subnet_at_block_1000();
        assert_eq!(
            next_to_prune(&uids, RULE, block),
            Some(2),
            "tie on emission: earlier registration"
        );
        let tied = [candidate(5, 7, 200), candidate(2, 7, 200), candidate(0, 9, 0)];
        assert_eq!(next_to_prune(&tied, RULE, block), Some(2), "then the lower uid");
    }

    #[test]
    fn standings_rank_the_uids_past_immunity_and_mark_the_next() {
        let uids = subnet_at_block_1000();
        let standings = standings(&uids, RULE, 1_000);
        let ranks: Vec<_> = standings.iter().map(|s| s.rank).collect();
        assert_eq!(ranks, [Some(3), Some(2), Some(1), None, None]);
        assert_eq!(standings[3].immune_until, Some(1_049));
        assert!(standings[2].next && standings.iter().filter(|s| s.next).count() == 1);
        assert!(standings[4].owner && standings[4].rank.is_none());
    }

    #[test]
    fn the_cheapest_subnet_past_its_immunity_is_pruned_first() {
        let subnet = |netuid, moving_price, registered_at| SubnetCandidate {
            netuid,
            moving_price,
            registered_at,
            immunity_ends_at: registered_at + 100,
        };
        let subnets = [
            subnet(0, 0.0, 0),
            subnet(1, 0.02, 0),
            subnet(2, 0.01, 50),
            subnet(3, 0.01, 20),
            subnet(4, 0.001, 950),
        ];
        assert_eq!(
            subnet_to_prune(&subnets, 1_000),
            Some(3),
            "root and the immune subnet 4 are skipped; tie: earlier"
        );
        assert_eq!(subnet_to_prune(&subnets, 60), None, "all immune");
    }

    #[test]
    fn with_too_few_past_immunity_an_immune_uid_goes() {
        let uids = [
            candidate(0, 1, 0),
            candidate(1, 2, 0),
            candidate(2, 9, 950),
            candidate(3, 4, 960),
        ];
        assert_eq!(next_to_prune(&uids, RULE, 1_000), Some(3));
        let only_owner = [Candidate {
            owner: true,
            ..candidate(0, 0, 0)
        }];
        assert_eq!(next_to_prune(&only_owner, RULE, 1_000), None);
    }
}
