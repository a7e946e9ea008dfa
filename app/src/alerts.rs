//! Alerts on watched items: the rules a user sets (a subnet's price move, a validator's take or
//! trust, a place in a pruning order), when a verified reading crosses one (edge-triggered: once
//! per crossing, again only after it un-crosses), and the file they are kept in. Pure: no browser,
//! no clock; `data::alerts` keeps the file in the browser's storage and feeds it readings.

use serde::{Deserialize, Serialize};

use light_client::model::{Account, Metagraph, Subnet, SwapQuote, Validator, subnet_to_prune};

use crate::format;
use crate::history::History;

/// The `format` field every alerts file carries.
pub const FORMAT: &str = "taoscope-alerts/1";

/// Most firings the file keeps (the oldest go first).
pub const MAX_FIRINGS: usize = 200;

/// What a rule watches for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// Subnet `netuid`'s α price moved by more than `percent` % from `base`, its price when the
    /// rule was set (TAO per α).
    PriceMove {
        /// The subnet.
        netuid: u16,
        /// The move that fires, in percent (either way).
        percent: f64,
        /// The price the move is measured from.
        base: f64,
    },
    /// Subnet `netuid`'s α price moved by more than `percent` % within the last `hours`: from
    /// the oldest price this browser recorded in that window (the history) to the current one.
    PriceMoveWithin {
        /// The subnet.
        netuid: u16,
        /// The move that fires, in percent (either way).
        percent: f64,
        /// The window, in hours.
        hours: f64,
    },
    /// Validator `hotkey`'s take rose above `base`, its take when the rule was set (0–1).
    TakeRaised {
        /// The validator's hotkey (SS58).
        hotkey: String,
        /// The take the rule was set at.
        base: f64,
    },
    /// Validator `hotkey`'s validator trust on subnet `netuid` fell below `below` (0–1).
    TrustBelow {
        /// The validator's hotkey (SS58).
        hotkey: String,
        /// The subnet it validates on.
        netuid: u16,
        /// The trust under which the rule fires.
        below: f64,
    },
    /// Hotkey `hotkey` on subnet `netuid` is among the first `within` uids the pruning order
    /// takes (immune uids and the owner's are not in the order).
    PruneWithin {
        /// The subnet.
        netuid: u16,
        /// The hotkey (SS58).
        hotkey: String,
        /// How many of the first places fire.
        within: u16,
    },
    /// Subnet `netuid` is the one a new subnet's registration would replace.
    NextSubnetPruned {
        /// The subnet.
        netuid: u16,
    },
    /// What unstaking `coldkey`'s position on `hotkey` at `netuid` would return (the runtime's
    /// `sim_swap_alpha_for_tao`) fell below `below_rao`.
    ExitBelow {
        /// The coldkey (SS58).
        coldkey: String,
        /// The position's hotkey (SS58).
        hotkey: String,
        /// The position's subnet.
        netuid: u16,
        /// The exit value under which the rule fires, rao.
        below_rao: u64,
    },
}

/// What one verified snapshot says about a rule's item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Figure {
    /// A price, TAO per α.
    Price(f64),
    /// A price now against the window's first recorded price (TAO per α) and its block.
    Move {
        /// The window's first recorded price.
        from: f64,
        /// The block it was recorded at.
        from_block: u64,
        /// The price now.
        to: f64,
    },
    /// A fraction 0–1 (take, trust).
    Fraction(f64),
    /// A place in the pruning order (`None`: not in it, immune or the owner's).
    Rank(Option<u16>),
    /// Whether the subnet is next to be pruned.
    Next(bool),
    /// An amount of TAO, rao (an exit value).
    Rao(u64),
}

impl Figure {
    /// The figure as a plain number for the page's data attributes (a rank's place, empty when
    /// not in the order; 1 or 0 for next-to-be-pruned).
    pub fn raw(&self) -> String {
        match self {
            Figure::Price(value) | Figure::Fraction(value) | Figure::Move { to: value, .. } => value.to_string(),
            Figure::Rank(rank) => rank.map(|r| r.to_string()).unwrap_or_default(),
            Figure::Next(next) => u8::from(*next).to_string(),
            Figure::Rao(rao) => rao.to_string(),
        }
    }

    /// The figure as the alert list shows it.
    pub fn text(&self) -> String {
        match self {
            Figure::Price(price) => format!("{} τ", format::number(*price, 6)),
            Figure::Move { from, from_block, to } => format!(
                "{} since {} ({}): {}",
                Figure::Price(*to).text(),
                format::block(*from_block),
                Figure::Price(*from).text(),
                signed_percent(moved_percent(*from, *to))
            ),
            Figure::Fraction(fraction) => format::percent(*fraction),
            Figure::Rank(Some(rank)) => format!("place {rank}"),
            Figure::Rank(None) => "not in the order".to_string(),
            Figure::Next(true) => "next to be pruned".to_string(),
            Figure::Next(false) => "not next".to_string(),
            Figure::Rao(rao) => format::tao(*rao),
        }
    }
}

impl Condition {
    /// Whether `figure` is past the rule's threshold (`None` when it is not this rule's kind of
    /// figure).
    pub fn crossed(&self, figure: Figure) -> Option<bool> {
        match (self, figure) {
            (Condition::PriceMove { percent, base, .. }, Figure::Price(price)) => {
                Some(*base > 0.0 && ((price - base) / base).abs() * 100.0 > *percent)
            }
            (Condition::PriceMoveWithin { percent, .. }, Figure::Move { from, to, .. }) => {
                Some(from > 0.0 && moved_percent(from, to).abs() > *percent)
            }
            (Condition::TakeRaised { base, .. }, Figure::Fraction(take)) => Some(take > *base),
            (Condition::TrustBelow { below, .. }, Figure::Fraction(trust)) => Some(trust < *below),
            (Condition::PruneWithin { within, .. }, Figure::Rank(rank)) => Some(rank.is_some_and(|r| r <= *within)),
            (Condition::NextSubnetPruned { .. }, Figure::Next(next)) => Some(next),
            (Condition::ExitBelow { below_rao, .. }, Figure::Rao(exit)) => Some(exit < *below_rao),
            _ => None,
        }
    }

    /// The validator whose delegate entry the rule reads.
    pub fn validator(&self) -> Option<&str> {
        match self {
            Condition::TakeRaised { hotkey, .. } | Condition::TrustBelow { hotkey, .. } => Some(hotkey),
            _ => None,
        }
    }

    /// The coldkey whose positions (and their exit quotes) the rule reads.
    pub fn account(&self) -> Option<&str> {
        match self {
            Condition::ExitBelow { coldkey, .. } => Some(coldkey),
            _ => None,
        }
    }

    /// The subnet whose metagraph the rule reads (its pruning order).
    pub fn metagraph(&self) -> Option<u16> {
        match self {
            Condition::PruneWithin { netuid, .. } => Some(*netuid),
            _ => None,
        }
    }

    /// The rule in words, item first ("SN3: price moves more than 5 % from 1.02 τ").
    pub fn text(&self) -> String {
        match self {
            Condition::PriceMove { netuid, percent, base } => format!(
                "SN{netuid}: price moves more than {} % from {}",
                format::number(*percent, 2),
                Figure::Price(*base).text()
            ),
            Condition::TakeRaised { hotkey, base } => format!(
                "Validator {}: take raised above {}",
                format::short(hotkey),
                format::percent(*base)
            ),
            Condition::TrustBelow { hotkey, netuid, below } => format!(
                "Validator {} on SN{netuid}: trust falls below {}",
                format::short(hotkey),
                format::number(*below, 4)
            ),
            Condition::PruneWithin { netuid, hotkey, within } => format!(
                "Hotkey {} on SN{netuid}: enters the pruning order's next {within}",
                format::short(hotkey)
            ),
            Condition::PriceMoveWithin { netuid, percent, hours } => format!(
                "SN{netuid}: price moves more than {} % within {} h",
                format::number(*percent, 2),
                format::number(*hours, 0)
            ),
            Condition::NextSubnetPruned { netuid } => format!("SN{netuid}: becomes the next subnet to be pruned"),
            Condition::ExitBelow {
                coldkey,
                hotkey,
                netuid,
                below_rao,
            } => format!(
                "Coldkey {}'s stake on {} in SN{netuid}: exit value falls below {}",
                format::short(coldkey),
                format::short(hotkey),
                format::tao(*below_rao)
            ),
        }
    }

    /// The threshold as the alert list shows it.
    pub fn threshold_text(&self) -> String {
        match self {
            Condition::PriceMove { percent, .. } | Condition::PriceMoveWithin { percent, .. } => {
                format!("± {} %", format::number(*percent, 2))
            }
            Condition::TakeRaised { base, .. } => format!("> {}", format::percent(*base)),
            Condition::TrustBelow { below, .. } => format!("< {}", format::number(*below, 4)),
            Condition::PruneWithin { within, .. } => format!("place ≤ {within}"),
            Condition::NextSubnetPruned { .. } => "next to be pruned".to_string(),
            Condition::ExitBelow { below_rao, .. } => format!("< {}", format::tao(*below_rao)),
        }
    }
}

/// One rule and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Its number in this browser's file (never reused).
    pub id: u64,
    /// What it watches for.
    pub condition: Condition,
    /// The finalized block it was set at.
    pub set_at_block: u64,
    /// Whether the last reading was past the threshold: a crossed rule does not fire again until
    /// a reading un-crosses it.
    pub crossed: bool,
    /// The last reading, with its block (the "before" of the next firing).
    pub last: Option<(u64, Figure)>,
}

/// One crossing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firing {
    /// The rule that fired.
    pub rule_id: u64,
    /// The rule as it was (it may be removed later).
    pub condition: Condition,
    /// The finalized block whose verified reading crossed it.
    pub block: u64,
    /// When this browser saw it (milliseconds since the epoch, the page's clock).
    pub at_ms: f64,
    /// The reading before, with its block (`None` when this was the rule's first).
    pub before: Option<(u64, Figure)>,
    /// The reading that crossed.
    pub after: Figure,
}

/// Every rule and firing of one chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Alerts {
    /// The rules, in the order they were set.
    pub rules: Vec<Rule>,
    /// The firings, oldest first.
    pub firings: Vec<Firing>,
    /// The next rule's id.
    pub next_id: u64,
}

impl Alerts {
    /// Adds a rule set at `block`, not crossed yet (a reading already past it fires at once).
    pub fn add(&mut self, condition: Condition, block: u64) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.rules.push(Rule {
            id,
            condition,
            set_at_block: block,
            crossed: false,
            last: None,
        });
        id
    }

    /// Removes rule `id` (its firings stay in the list).
    pub fn remove(&mut self, id: u64) {
        self.rules.retain(|rule| rule.id != id);
    }

    /// Applies a verified reading of every rule `read` has a figure for, at `block`; returns the
    /// firings it caused (also appended to the list). A reading older than a rule's last changes
    /// nothing.
    pub fn observe(&mut self, block: u64, at_ms: f64, read: impl Fn(&Condition) -> Option<Figure>) -> Vec<Firing> {
        let mut fired = Vec::new();
        for rule in &mut self.rules {
            if rule.last.is_some_and(|(last, _)| last > block) {
                continue;
            }
            let Some(figure) = read(&rule.condition) else { continue };
            let Some(crossed) = rule.condition.crossed(figure) else {
                continue;
            };
            if crossed && !rule.crossed {
                fired.push(Firing {
                    rule_id: rule.id,
                    condition: rule.condition.clone(),
                    block,
                    at_ms,
                    before: rule.last,
                    after: figure,
                });
            }
            rule.crossed = crossed;
            rule.last = Some((block, figure));
        }
        self.firings.extend(fired.iter().cloned());
        let excess = self.firings.len().saturating_sub(MAX_FIRINGS);
        self.firings.drain(..excess);
        fired
    }
}

/// A firing in one line: the rule, the block and the figures ("SN3: price moves more than 5 % from
/// 2 τ · at #1,234: 2.05 τ (#1,230) → 2.2 τ").
pub fn firing_text(firing: &Firing) -> String {
    let before = firing
        .before
        .map(|(block, figure)| format!("{} ({}) → ", figure.text(), format::block(block)))
        .unwrap_or_default();
    format!(
        "{} · at {}: {before}{}",
        firing.condition.text(),
        format::block(firing.block),
        firing.after.text()
    )
}

/// The move from `from` to `to`, in percent.
fn moved_percent(from: f64, to: f64) -> f64 {
    (to - from) / from * 100.0
}

/// "+4.20 %", "-3.00 %".
fn signed_percent(value: f64) -> String {
    let sign = if value > 0.0 { "+" } else { "" };
    format!("{sign}{} %", format::number(value, 2))
}

/// A subnet's price now against the oldest price this browser recorded for it (verified, not
/// imported) at `window_start_ms` or later; `None` before there is such a point.
pub fn window_move_reading(history: &History, subnets: &[Subnet], netuid: u16, window_start_ms: f64) -> Option<Figure> {
    let to = subnets.iter().find(|s| s.netuid == netuid)?.price?;
    let (from_block, from) = history
        .subnets
        .iter()
        .filter(|point| !point.stamp.imported && point.stamp.at_ms >= window_start_ms)
        .find_map(|point| {
            let price = point.subnets.iter().find(|s| s.netuid == netuid)?.price?;
            Some((point.stamp.block, price))
        })?;
    Some(Figure::Move { from, from_block, to })
}

/// A subnet's price in the subnets list.
pub fn price_reading(subnets: &[Subnet], netuid: u16) -> Option<Figure> {
    subnets.iter().find(|s| s.netuid == netuid)?.price.map(Figure::Price)
}

/// Whether a subnet is next to be pruned at `block` (`None` when the list does not have it).
pub fn next_pruned_reading(subnets: &[Subnet], netuid: u16, block: u64) -> Option<Figure> {
    subnets
        .iter()
        .any(|s| s.netuid == netuid)
        .then(|| Figure::Next(subnet_to_prune(subnets, block) == Some(netuid)))
}

/// A validator's take, or its trust on a subnet where it holds a seat.
pub fn validator_reading(validator: &Validator, condition: &Condition) -> Option<Figure> {
    match condition {
        Condition::TakeRaised { .. } => Some(Figure::Fraction(validator.take)),
        Condition::TrustBelow { netuid, .. } => validator
            .subnets
            .iter()
            .find(|seat| seat.netuid == *netuid)
            .map(|seat| Figure::Fraction(seat.validator_trust)),
        _ => None,
    }
}

/// A hotkey's place in a metagraph's pruning order at `block` (not in the order when it holds no
/// uid; `None` when the runtime lacks the rule's items).
pub fn rank_reading(metagraph: &Metagraph, hotkey: &str, block: u64) -> Option<Figure> {
    let standings = metagraph.pruning_standings(block)?;
    let rank = metagraph
        .neurons
        .iter()
        .zip(standings)
        .find(|(neuron, _)| neuron.hotkey == hotkey)
        .and_then(|(_, standing)| standing.rank);
    Some(Figure::Rank(rank))
}

/// The alerts file.
#[derive(Serialize)]
struct File<'a> {
    format: &'a str,
    genesis: &'a str,
    #[serde(flatten)]
    alerts: &'a Alerts,
}

/// The exit value of `coldkey`'s position on `hotkey` at `netuid`, from the account's positions
/// and their unstake quotes (in the same order): what the runtime says unstaking it would return;
/// 0 when the position is gone or the pool would refuse the unstake.
pub fn exit_reading(account: &Account, exits: &[SwapQuote], hotkey: &str, netuid: u16) -> Option<Figure> {
    let Some(index) = account
        .positions
        .iter()
        .position(|p| p.hotkey == hotkey && p.netuid == netuid)
    else {
        return Some(Figure::Rao(0));
    };
    let quote = exits.get(index)?;
    Some(Figure::Rao(if quote.refused() { 0 } else { quote.received() }))
}

/// Why a saved alerts file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    /// Not JSON, or not an object with the file's fields.
    #[error("not a Taoscope alerts file: {0}")]
    Unreadable(String),
    /// Another version of the format.
    #[error("alerts format “{0}” is not {FORMAT}")]
    Format(String),
    /// Saved for another chain.
    #[error("these alerts belong to another chain (genesis {found}), not this one ({expected})")]
    OtherChain {
        /// The file's genesis.
        found: String,
        /// This chain's genesis.
        expected: String,
    },
    /// One record does not read; names it.
    #[error("{list} record {index} is corrupt: {reason}")]
    Record {
        /// "rule" or "firing".
        list: &'static str,
        /// Its place in the list (from 0).
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// The file's text for `alerts` of the chain with genesis `genesis`.
pub fn to_file(alerts: &Alerts, genesis: &str) -> String {
    serde_json::to_string(&File {
        format: FORMAT,
        genesis,
        alerts,
    })
    .expect("alerts serialise")
}

/// Reads an alerts file of the chain with genesis `genesis`; a record that does not read is
/// refused by its list and place, never dropped.
pub fn parse(text: &str, genesis: &str) -> Result<Alerts, FileError> {
    #[derive(Deserialize)]
    struct Raw {
        format: String,
        genesis: String,
        rules: Vec<serde_json::Value>,
        firings: Vec<serde_json::Value>,
        next_id: u64,
    }
    let raw: Raw = serde_json::from_str(text).map_err(|e| FileError::Unreadable(e.to_string()))?;
    if raw.format != FORMAT {
        return Err(FileError::Format(raw.format));
    }
    if !raw.genesis.eq_ignore_ascii_case(genesis) {
        return Err(FileError::OtherChain {
            found: raw.genesis,
            expected: genesis.to_string(),
        });
    }
    fn records<T: for<'de> Deserialize<'de>>(
        list: &'static str,
        values: Vec<serde_json::Value>,
    ) -> Result<Vec<T>, FileError> {
        values
            .into_iter()
            .enumerate()
            .map(|(index, value)| {
                serde_json::from_value(value).map_err(|e| FileError::Record {
                    list,
                    index,
                    reason: e.to_string(),
                })
            })
            .collect()
    }
    let rules: Vec<Rule> = records("rule", raw.rules)?;
    let firings = records("firing", raw.firings)?;
    if let Some(index) = rules.iter().position(|rule| rule.id >= raw.next_id) {
        return Err(FileError::Record {
            list: "rule",
            index,
            reason: format!("id {} is not below next_id {}", rules[index].id, raw.next_id),
        });
    }
    Ok(Alerts {
        rules,
        firings,
        next_id: raw.next_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENESIS: &str = "0xabcd";

    fn price_rule() -> Alerts {
        let mut alerts = Alerts::default();
        alerts.add(
            Condition::PriceMove {
                netuid: 3,
                percent: 5.0,
                base: 2.0,
            },
            100,
        );
        alerts
    }

    /// Feeds `prices` at consecutive blocks from 101 and returns the blocks that fired.
    fn check(alerts: &mut Alerts, prices: &[f64]) -> Vec<u64> {
        let mut fired = Vec::new();
        for (block, price) in (101..).zip(prices) {
            fired.extend(
                alerts
                    .observe(block, 0.0, |_| Some(Figure::Price(*price)))
                    .iter()
                    .map(|f| f.block),
            );
        }
        fired
    }

    #[test]
    fn a_crossing_fires_once_with_the_figures_before_and_after() {
        let mut alerts = price_rule();
        assert_eq!(check(&mut alerts, &[2.0, 2.05, 2.2, 2.3, 2.25]), vec![103]);
        let firing = &alerts.firings[0];
        assert_eq!(firing.before, Some((102, Figure::Price(2.05))));
        assert_eq!(firing.after, Figure::Price(2.2));
        assert_eq!(firing.condition.threshold_text(), "± 5.00 %");
        assert_eq!(
            firing_text(firing),
            "SN3: price moves more than 5.00 % from 2.000000 τ · at #103: 2.050000 τ (#102) → 2.200000 τ"
        );
        assert_eq!(alerts.firings.len(), 1);
    }

    #[test]
    fn an_exit_value_rule_fires_below_its_floor_and_when_the_position_is_gone() {
        use light_client::model::{StakePosition, SwapDirection};
        let position = StakePosition {
            hotkey: "5hot".into(),
            name: String::new(),
            netuid: 2,
            alpha: 1_000,
            shares: 1_000.0,
            alpha_per_share: 1.0,
            price: Some(0.5),
            delegate: true,
            take: 0.18,
            validator_trust: None,
            null_consensus: false,
            dividends_alpha: 0,
            stake_last_epoch_alpha: 0,
            tempo: 10,
            epoch_spacing: None,
        };
        let account = Account {
            coldkey: "5cold".into(),
            free_rao: 0,
            positions: vec![position],
        };
        let quote = |tao_amount| SwapQuote {
            netuid: 2,
            direction: SwapDirection::AlphaForTao,
            amount_in: 1_000,
            tao_amount,
            alpha_amount: 999,
            tao_fee: 0,
            alpha_fee: 1,
            tao_slippage: 0,
            alpha_slippage: 0,
        };
        let mut alerts = Alerts::default();
        alerts.add(
            Condition::ExitBelow {
                coldkey: "5cold".into(),
                hotkey: "5hot".into(),
                netuid: 2,
                below_rao: 450,
            },
            1,
        );
        let read = |exit: u64| exit_reading(&account, &[quote(exit)], "5hot", 2);
        assert_eq!(read(480), Some(Figure::Rao(480)));
        assert!(alerts.observe(2, 0.0, |_| read(480)).is_empty());
        let fired = alerts.observe(3, 0.0, |_| read(440));
        assert_eq!(fired.len(), 1);
        assert_eq!(
            (fired[0].before, fired[0].after),
            (Some((2, Figure::Rao(480))), Figure::Rao(440))
        );
        // A position that is gone is worth nothing on exit.
        let empty = Account {
            positions: Vec::new(),
            ..account.clone()
        };
        assert_eq!(exit_reading(&empty, &[], "5hot", 2), Some(Figure::Rao(0)));
    }

    #[test]
    fn a_rule_re_arms_only_after_it_un_crosses() {
        let mut alerts = price_rule();
        // Up past 5 %, back inside, down past 5 %: two crossings.
        assert_eq!(check(&mut alerts, &[2.2, 2.3, 2.01, 1.8, 1.7]), vec![101, 104]);
    }

    #[test]
    fn a_saved_crossed_rule_does_not_fire_again_after_a_reload() {
        let mut alerts = price_rule();
        assert_eq!(check(&mut alerts, &[2.2]), vec![101]);
        let mut reloaded = parse(&to_file(&alerts, GENESIS), GENESIS).unwrap();
        assert_eq!(reloaded, alerts);
        assert!(reloaded.observe(102, 0.0, |_| Some(Figure::Price(2.3))).is_empty());
        // A reading from before the last one (another tab's older block) changes nothing.
        assert!(reloaded.observe(90, 0.0, |_| Some(Figure::Price(2.0))).is_empty());
        assert!(reloaded.rules[0].crossed);
    }

    #[test]
    fn each_kind_crosses_on_its_own_figure_only() {
        let take = Condition::TakeRaised {
            hotkey: "5A".into(),
            base: 0.18,
        };
        assert_eq!(take.crossed(Figure::Fraction(0.18)), Some(false));
        assert_eq!(take.crossed(Figure::Fraction(0.2)), Some(true));
        assert_eq!(take.crossed(Figure::Price(0.2)), None);
        let trust = Condition::TrustBelow {
            hotkey: "5A".into(),
            netuid: 1,
            below: 0.5,
        };
        assert_eq!(trust.crossed(Figure::Fraction(0.49)), Some(true));
        assert_eq!(trust.crossed(Figure::Fraction(0.5)), Some(false));
        let prune = Condition::PruneWithin {
            netuid: 1,
            hotkey: "5A".into(),
            within: 3,
        };
        assert_eq!(prune.crossed(Figure::Rank(Some(3))), Some(true));
        assert_eq!(prune.crossed(Figure::Rank(Some(4))), Some(false));
        assert_eq!(prune.crossed(Figure::Rank(None)), Some(false));
        let next = Condition::NextSubnetPruned { netuid: 2 };
        assert_eq!(next.crossed(Figure::Next(true)), Some(true));
        let zero = Condition::PriceMove {
            netuid: 1,
            percent: 1.0,
            base: 0.0,
        };
        assert_eq!(
            zero.crossed(Figure::Price(5.0)),
            Some(false),
            "no move is measured from a zero price"
        );
    }

    #[test]
    fn a_window_rule_measures_from_the_oldest_verified_point_in_its_window() {
        use crate::history::{Stamp, SubnetFigures, SubnetsPoint};
        let point = |block, at_ms, price, imported| SubnetsPoint {
            stamp: Stamp { block, at_ms, imported },
            subnets: vec![SubnetFigures {
                netuid: 3,
                price: Some(price),
                emission_share: 0.0,
            }],
        };
        let history = History {
            subnets: vec![
                point(10, 1_000.0, 1.0, false),
                point(20, 5_000.0, 9.0, true),
                point(30, 6_000.0, 2.0, false),
            ],
            ..History::default()
        };
        let subnet = |price| Subnet {
            netuid: 3,
            price: Some(price),
            ..Subnet::default()
        };
        // The window starts after block 10's point; the imported point is not this browser's.
        let reading = window_move_reading(&history, &[subnet(2.2)], 3, 2_000.0).unwrap();
        assert_eq!(
            reading,
            Figure::Move {
                from: 2.0,
                from_block: 30,
                to: 2.2
            }
        );
        assert_eq!(reading.text(), "2.200000 τ since #30 (2.000000 τ): +10.00 %");
        let rule = Condition::PriceMoveWithin {
            netuid: 3,
            percent: 5.0,
            hours: 24.0,
        };
        assert_eq!(rule.crossed(reading), Some(true));
        let calm = window_move_reading(&history, &[subnet(2.05)], 3, 2_000.0).unwrap();
        assert_eq!(rule.crossed(calm), Some(false));
        assert_eq!(
            window_move_reading(&history, &[subnet(2.0)], 3, 7_000.0),
            None,
            "no point in the window yet"
        );
        assert_eq!(
            window_move_reading(&history, &[subnet(2.0)], 4, 0.0),
            None,
            "no such subnet"
        );
    }

    #[test]
    fn a_rule_already_past_when_set_fires_at_its_first_reading() {
        let mut alerts = Alerts::default();
        alerts.add(
            Condition::TrustBelow {
                hotkey: "5A".into(),
                netuid: 1,
                below: 0.5,
            },
            10,
        );
        let fired = alerts.observe(11, 0.0, |_| Some(Figure::Fraction(0.1)));
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].before, None);
    }

    #[test]
    fn removed_rules_keep_their_firings_and_ids_are_not_reused() {
        let mut alerts = price_rule();
        check(&mut alerts, &[2.2]);
        alerts.remove(0);
        assert!(alerts.rules.is_empty());
        assert_eq!(alerts.firings.len(), 1);
        assert_eq!(alerts.add(Condition::NextSubnetPruned { netuid: 1 }, 200), 1);
    }

    #[test]
    fn the_firing_list_is_bounded() {
        let mut alerts = price_rule();
        let prices: Vec<f64> = (0..2 * MAX_FIRINGS + 10)
            .map(|i| if i % 2 == 0 { 3.0 } else { 2.0 })
            .collect();
        check(&mut alerts, &prices);
        assert_eq!(alerts.firings.len(), MAX_FIRINGS);
        assert_eq!(alerts.firings.last().unwrap().block, 101 + 2 * MAX_FIRINGS as u64 + 8);
    }

    #[test]
    fn a_corrupt_file_is_refused_by_name() {
        let mut alerts = price_rule();
        alerts.add(Condition::NextSubnetPruned { netuid: 1 }, 100);
        let good = to_file(&alerts, GENESIS);
        assert_eq!(
            parse("{", GENESIS),
            Err(FileError::Unreadable(
                "EOF while parsing an object at line 1 column 1".into()
            ))
        );
        assert_eq!(
            parse(&good.replace(FORMAT, "taoscope-alerts/9"), GENESIS),
            Err(FileError::Format("taoscope-alerts/9".into()))
        );
        assert!(matches!(parse(&good, "0xother"), Err(FileError::OtherChain { .. })));
        let bad = good.replace("next_subnet_pruned", "next_subnet_eaten");
        let error = parse(&bad, GENESIS).unwrap_err();
        assert!(
            matches!(&error, FileError::Record { list: "rule", index: 1, reason } if reason.contains("next_subnet_eaten")),
            "{error:?}"
        );
        assert!(error.to_string().starts_with("rule record 1 is corrupt: "), "{error}");
        let reused = good.replace("\"next_id\":2", "\"next_id\":1");
        assert!(matches!(
            parse(&reused, GENESIS),
            Err(FileError::Record {
                list: "rule",
                index: 1,
                ..
            })
        ));
    }

    #[test]
    fn the_file_carries_its_version_and_chain() {
        let text = to_file(&price_rule(), GENESIS);
        assert!(text.starts_with(r#"{"format":"taoscope-alerts/1","genesis":"0xabcd","rules":[{"id":0,"condition":{"kind":"price_move","netuid":3"#), "{text}");
    }
}
