//! Chart data builders: typed model values in, the numbers a chart draws out. Pure and unit-tested;
//! labels drawn inside the SVG are our own (`SN3`, `uid 7`, `Rest`), never on-chain text, which
//! only appears in the data table next to the chart.

use light_client::model::{Lifecycle, Neuron, Subnet};

use crate::history::{History, HotkeyPoint, Stamped, SubnetFigures, SubnetsPoint, ValidatorPoint};

/// One bar: a short label drawn on the axis, the full (untrusted) name for the data table.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Axis label, generated here.
    pub label: String,
    /// Full name for the data table (may be on-chain text: rendered as text only).
    pub name: String,
    /// Bar height.
    pub value: f64,
}

/// One scatter point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Short label, generated here.
    pub label: String,
    /// Full name for the data table.
    pub name: String,
    /// Horizontal value.
    pub x: f64,
    /// Vertical value.
    pub y: f64,
}

/// One point of a time series: a block and the value recorded there.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// The finalized block the value was read at.
    pub block: u64,
    /// The value.
    pub value: f64,
    /// Read from an imported file, not verified by this browser (drawn hollow).
    pub imported: bool,
}

/// How values read: fractions shown as percentages, or plain numbers with a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// 0–1, shown as %.
    Percent,
    /// 0–1, shown with 3 decimals.
    Fraction,
    /// A quantity with a unit suffix (τ, α).
    Amount(&'static str),
}

impl Scale {
    /// A value as text on this scale.
    pub fn text(self, value: f64) -> String {
        match self {
            Scale::Percent => format!("{:.1}%", value * 100.0),
            Scale::Fraction => format!("{value:.3}"),
            Scale::Amount(unit) => format!("{} {unit}", crate::format::amount(value)),
        }
    }
}

/// What a chart draws.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// Vertical bars, in the given order.
    Bars {
        /// The bars.
        bars: Vec<Bar>,
        /// Scale of the bar heights.
        scale: Scale,
        /// Axis title.
        axis: &'static str,
    },
    /// Points on two axes.
    Scatter {
        /// The points.
        points: Vec<Point>,
        /// Horizontal axis title and scale.
        x_axis: (&'static str, Scale),
        /// Vertical axis title and scale.
        y_axis: (&'static str, Scale),
    },
    /// A value over blocks, oldest first.
    Series {
        /// The points.
        points: Vec<SeriesPoint>,
        /// Scale of the values.
        scale: Scale,
        /// Vertical axis title.
        axis: &'static str,
    },
}

impl ChartData {
    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        match self {
            ChartData::Bars { bars, .. } => bars.is_empty(),
            ChartData::Scatter { points, .. } => points.is_empty(),
            ChartData::Series { points, .. } => points.is_empty(),
        }
    }
}

fn subnet_name(subnet: &Subnet) -> String {
    if subnet.name.trim().is_empty() {
        format!("Subnet {}", subnet.netuid)
    } else {
        format!("{} · {}", subnet.netuid, subnet.name)
    }
}

/// The `top` subnets by `value`, largest first, plus one "Rest" bar summing the others.
/// Whether a subnet belongs in the network's charts: not one `NetworksAdded` marks `false`
/// (listed in the table, labelled, but it takes no part in emission or prices).
fn is_reported(subnet: &Subnet) -> bool {
    subnet.lifecycle != Lifecycle::NotReportable
}

fn top_subnets(
    subnets: &[Subnet],
    top: usize,
    value: fn(&Subnet) -> f64,
    scale: Scale,
    axis: &'static str,
) -> ChartData {
    let mut sorted: Vec<&Subnet> = subnets.iter().filter(|s| is_reported(s)).collect();
    sorted.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.netuid.cmp(&b.netuid)));
    let mut bars: Vec<Bar> = sorted
        .iter()
        .take(top)
        .map(|s| Bar {
            label: format!("SN{}", s.netuid),
            name: subnet_name(s),
            value: value(s),
        })
        .collect();
    let rest: Vec<&&Subnet> = sorted.iter().skip(top).collect();
    if !rest.is_empty() {
        bars.push(Bar {
            label: "Rest".into(),
            name: format!("The other {} subnets", rest.len()),
            value: rest.iter().map(|s| value(s)).sum(),
        });
    }
    ChartData::Bars { bars, scale, axis }
}

/// A series from stamped points, leaving out those without a value.
fn series<P: Stamped>(points: &[P], value: impl Fn(&P) -> Option<f64>, scale: Scale, axis: &'static str) -> ChartData {
    ChartData::Series {
        points: points
            .iter()
            .filter_map(|p| {
                let stamp = p.stamp();
                value(p).map(|value| SeriesPoint {
                    block: stamp.block,
                    value,
                    imported: stamp.imported,
                })
            })
            .collect(),
        scale,
        axis,
    }
}

/// One figure of a subnet over the recorded subnets points (points without the subnet left out).
fn subnet_history(
    history: &History,
    netuid: u16,
    value: fn(&SubnetFigures) -> Option<f64>,
    scale: Scale,
    axis: &'static str,
) -> ChartData {
    let figure = |p: &SubnetsPoint| p.subnets.iter().find(|s| s.netuid == netuid).and_then(value);
    series(&history.subnets, figure, scale, axis)
}

/// A subnet's α price over the recorded subnets points.
pub fn subnet_price_history(history: &History, netuid: u16) -> ChartData {
    subnet_history(history, netuid, |s| s.price, Scale::Amount("τ"), "Price (τ per α)")
}

/// A subnet's emission share over the recorded subnets points.
pub fn subnet_share_history(history: &History, netuid: u16) -> ChartData {
    subnet_history(
        history,
        netuid,
        |s| Some(s.emission_share),
        Scale::Percent,
        "Emission share",
    )
}

/// A validator's last-epoch APY over its recorded points.
pub fn validator_apy_history(points: &[ValidatorPoint]) -> ChartData {
    series(points, |p| p.apy, Scale::Percent, "Last-epoch APY")
}

/// A validator's mean validator trust over its recorded points.
pub fn validator_trust_history(points: &[ValidatorPoint]) -> ChartData {
    series(points, |p| p.trust, Scale::Fraction, "Mean validator trust")
}

/// A validator's total stake over its recorded points.
pub fn validator_stake_history(points: &[ValidatorPoint]) -> ChartData {
    series(
        points,
        |p| Some(p.stake_tao),
        Scale::Amount("τ"),
        "Stake (τ equivalent)",
    )
}

/// A hotkey's incentive over its recorded points (0 while not registered).
pub fn hotkey_incentive_history(points: &[HotkeyPoint]) -> ChartData {
    series(points, |p| Some(p.incentive), Scale::Fraction, "Incentive")
}

/// Emission share of the `top` largest subnets, largest first, plus one "Rest" bar for the others.
pub fn emission_shares(subnets: &[Subnet], top: usize) -> ChartData {
    top_subnets(
        subnets,
        top,
        |s| s.emission_share,
        Scale::Percent,
        "Share of TAO emission",
    )
}

/// TAO emitted per block to the `top` largest subnets, plus "Rest".
pub fn emission_tao(subnets: &[Subnet], top: usize) -> ChartData {
    top_subnets(
        subnets,
        top,
        |s| light_client::units::tao_from_rao(s.tao_emission_per_block_rao),
        Scale::Amount("τ"),
        "TAO per block",
    )
}

/// Each subnet's spot price against its emission share (subnets without a price left out).
pub fn price_vs_emission(subnets: &[Subnet]) -> ChartData {
    ChartData::Scatter {
        points: subnets
            .iter()
            .filter(|s| is_reported(s))
            .filter_map(|s| {
                Some(Point {
                    label: format!("SN{}", s.netuid),
                    name: subnet_name(s),
                    x: s.price?,
                    y: s.emission_share,
                })
            })
            .collect(),
        x_axis: ("Price (τ per α)", Scale::Amount("τ")),
        y_axis: ("Emission share", Scale::Percent),
    }
}

fn uid_bars(neurons: &[&Neuron], value: impl Fn(&Neuron) -> f64) -> Vec<Bar> {
    let mut bars: Vec<Bar> = neurons
        .iter()
        .map(|n| Bar {
            label: format!("{}", n.uid),
            name: format!("uid {} · {}", n.uid, n.hotkey),
            value: value(n),
        })
        .collect();
    bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    bars
}

/// Every uid's `value` (incentive, dividends, consensus…), largest first.
pub fn uid_distribution(neurons: &[Neuron], value: fn(&Neuron) -> f64, axis: &'static str) -> ChartData {
    let all: Vec<&Neuron> = neurons.iter().collect();
    ChartData::Bars {
        bars: uid_bars(&all, value),
        scale: Scale::Fraction,
        axis,
    }
}

/// Every uid's incentive, largest first: how concentrated the miner rewards are.
pub fn incentive_distribution(neurons: &[Neuron]) -> ChartData {
    uid_distribution(neurons, |n| n.incentive, "Incentive")
}

/// Validator trust of every validator (permit holder), largest first.
pub fn validator_trust(neurons: &[Neuron]) -> ChartData {
    let validators: Vec<&Neuron> = neurons.iter().filter(|n| n.validator_permit).collect();
    ChartData::Bars {
        bars: uid_bars(&validators, |n| n.validator_trust),
        scale: Scale::Fraction,
        axis: "Validator trust",
    }
}

/// Each validator's stake against its dividends.
pub fn stake_vs_dividends(neurons: &[Neuron]) -> ChartData {
    ChartData::Scatter {
        points: neurons
            .iter()
            .filter(|n| n.validator_permit)
            .map(|n| Point {
                label: format!("uid {}", n.uid),
                name: format!("uid {} · {}", n.uid, n.hotkey),
                x: light_client::units::tao_from_rao(n.stake_alpha),
                y: n.dividends,
            })
            .collect(),
        x_axis: ("Stake (α)", Scale::Amount("α")),
        y_axis: ("Dividends", Scale::Fraction),
    }
}

/// How the last epoch's emission split between validators (permit holders) and miners.
pub fn emission_split(neurons: &[Neuron]) -> ChartData {
    let total: u64 = neurons.iter().map(|n| n.emission_alpha).sum();
    let validators: u64 = neurons
        .iter()
        .filter(|n| n.validator_permit)
        .map(|n| n.emission_alpha)
        .sum();
    let share = |part: u64| if total == 0 { 0.0 } else { part as f64 / total as f64 };
    ChartData::Bars {
        bars: vec![
            Bar {
                label: "Validators".into(),
                name: "Validators (permit holders)".into(),
                value: share(validators),
            },
            Bar {
                label: "Miners".into(),
                name: "Miners (no permit)".into(),
                value: share(total - validators),
            },
        ],
        scale: Scale::Percent,
        axis: "Share of the epoch's emission",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Stamp;

    #[test]
    fn a_subnets_history_charts_one_point_per_recorded_block_where_the_subnet_was() {
        let point = |block, imported, subnets: Vec<(u16, f64)>| SubnetsPoint {
            stamp: Stamp {
                block,
                at_ms: 0.0,
                imported,
            },
            subnets: subnets
                .into_iter()
                .map(|(netuid, price)| SubnetFigures {
                    netuid,
                    price: Some(price),
                    emission_share: price / 10.0,
                })
                .collect(),
        };
        let history = History {
            subnets: vec![
                point(10, false, vec![(1, 0.5)]),
                point(15, true, vec![(1, 0.6), (2, 1.0)]),
                point(20, false, vec![(2, 1.1)]),
            ],
            ..History::default()
        };
        let ChartData::Series { points, .. } = subnet_price_history(&history, 1) else {
            panic!("a series")
        };
        let seen: Vec<(u64, f64, bool)> = points.iter().map(|p| (p.block, p.value, p.imported)).collect();
        assert_eq!(seen, [(10, 0.5, false), (15, 0.6, true)]);
        let ChartData::Series { points, .. } = subnet_share_history(&history, 2) else {
            panic!("a series")
        };
        assert_eq!(points.iter().map(|p| p.block).collect::<Vec<_>>(), [15, 20]);
    }

    fn subnet(netuid: u16, share: f64, price: f64) -> Subnet {
        Subnet {
            netuid,
            name: if netuid == 3 { "<b>x</b>".into() } else { String::new() },
            price: Some(price),
            emission_share: share,
            ..Subnet::default()
        }
    }

    fn neuron(uid: u16, permit: bool, incentive: f64, emission_alpha: u64) -> Neuron {
        Neuron {
            uid,
            hotkey: format!("5Hot{uid}"),
            stake_alpha: 2_000_000_000,
            validator_permit: permit,
            validator_trust: if permit { 0.5 } else { 0.0 },
            incentive,
            emission_alpha,
            active: true,
            ..Neuron::default()
        }
    }

    #[test]
    fn subnets_that_are_not_reportable_stay_out_of_the_charts() {
        let dormant = Subnet {
            lifecycle: Lifecycle::NotReportable,
            ..subnet(5, 0.0, 0.0)
        };
        let subnets = [subnet(1, 1.0, 0.5), dormant];
        let ChartData::Bars { bars, .. } = emission_shares(&subnets, 10) else {
            panic!("bars")
        };
        assert_eq!(bars.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(), ["SN1"]);
        let ChartData::Scatter { points, .. } = price_vs_emission(&subnets) else {
            panic!("scatter")
        };
        assert_eq!(points.len(), 1);
    }

    #[test]
    fn top_subnets_plus_rest_keep_the_whole() {
        let subnets = [
            subnet(1, 0.1, 1.0),
            subnet(2, 0.5, 1.0),
            subnet(3, 0.3, 1.0),
            subnet(4, 0.1, 1.0),
        ];
        let ChartData::Bars { bars, .. } = emission_shares(&subnets, 2) else {
            panic!("bars")
        };
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["SN2", "SN3", "Rest"]);
        assert!((bars.iter().map(|b| b.value).sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(
            bars[1].name, "3 · <b>x</b>",
            "the table gets the name; the axis only SN3"
        );
        assert_eq!(bars[2].name, "The other 2 subnets");
        let ChartData::Bars { bars, .. } = emission_shares(&subnets[..2], 5) else {
            panic!("bars")
        };
        assert_eq!(bars.len(), 2, "no Rest bar when every subnet fits");
        let ChartData::Bars { bars, scale, .. } = emission_tao(&subnets, 1) else {
            panic!("bars")
        };
        assert_eq!((bars.len(), scale), (2, Scale::Amount("τ")));
    }

    #[test]
    fn metagraph_charts() {
        let neurons = [
            neuron(0, true, 0.1, 300),
            neuron(1, false, 0.6, 600),
            neuron(2, false, 0.3, 100),
        ];
        let ChartData::Bars { bars, .. } = incentive_distribution(&neurons) else {
            panic!("bars")
        };
        assert_eq!(
            bars.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
            ["1", "2", "0"]
        );
        let ChartData::Bars { bars, .. } = validator_trust(&neurons) else {
            panic!("bars")
        };
        assert_eq!(bars.len(), 1);
        let ChartData::Bars { bars, .. } = emission_split(&neurons) else {
            panic!("bars")
        };
        assert_eq!((bars[0].value, bars[1].value), (0.3, 0.7));
        let ChartData::Scatter { points, .. } = stake_vs_dividends(&neurons) else {
            panic!("scatter")
        };
        assert_eq!((points.len(), points[0].x), (1, 2.0));
        assert!(price_vs_emission(&[]).is_empty());
        let ChartData::Bars { bars, .. } = uid_distribution(&neurons, |n| n.emission_alpha as f64, "Emission") else {
            panic!("bars")
        };
        assert_eq!(bars[0].label, "1");
        assert_eq!(Scale::Percent.text(0.1234), "12.3%");
    }
}
