//! History maths for display: the CSV, the changes since the last visit and windowed yields over
//! the points the chain worker recorded (`light_client::model::history`, re-exported here).

pub use light_client::model::history::*;
use light_client::staking;

/// The whole history as CSV, one row per figure: `series,netuid,hotkey,block,recorded_at_ms,
/// metric,value,origin` (`origin`: "verified in this browser" or "imported").
pub fn to_csv(history: &History) -> String {
    let mut out = String::from("series,netuid,hotkey,block,recorded_at_ms,metric,value,origin\n");
    let mut row = |series: &str, netuid: Option<u16>, hotkey: &str, stamp: &Stamp, metric: &str, value: Option<f64>| {
        let Some(value) = value.filter(|v| v.is_finite()) else {
            return;
        };
        out.push_str(&format!(
            "{series},{},{},{},{},{metric},{value},{}\n",
            netuid.map(|n| n.to_string()).unwrap_or_default(),
            crate::export::csv_field(hotkey),
            stamp.block,
            stamp.at_ms,
            if stamp.imported {
                "imported"
            } else {
                "verified in this browser"
            }
        ));
    };
    for point in &history.subnets {
        for subnet in &point.subnets {
            row(
                "subnets",
                Some(subnet.netuid),
                "",
                &point.stamp,
                "price_tao",
                subnet.price,
            );
            row(
                "subnets",
                Some(subnet.netuid),
                "",
                &point.stamp,
                "emission_share",
                Some(subnet.emission_share),
            );
        }
    }
    for series in &history.validators {
        for point in &series.points {
            row(
                "validator",
                None,
                &series.hotkey,
                &point.stamp,
                "stake_tao",
                Some(point.stake_tao),
            );
            row(
                "validator",
                None,
                &series.hotkey,
                &point.stamp,
                "mean_validator_trust",
                point.trust,
            );
            row(
                "validator",
                None,
                &series.hotkey,
                &point.stamp,
                "last_epoch_apy",
                point.apy,
            );
        }
    }
    for series in &history.hotkeys {
        for point in &series.points {
            row(
                "hotkey",
                Some(series.netuid),
                &series.hotkey,
                &point.stamp,
                "incentive",
                Some(point.incentive),
            );
        }
    }
    out
}

/// How one subnet changed since the last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetChange {
    /// Subnet id.
    pub netuid: u16,
    /// Figures then (`None`: the subnet is new).
    pub then: Option<SubnetFigures>,
    /// Figures now (`None`: the subnet is gone).
    pub now: Option<SubnetFigures>,
}

impl SubnetChange {
    /// Relative price change (`None` unless both prices are there and the old one is not 0).
    pub fn price_change(&self) -> Option<f64> {
        let (then, now) = (self.then.as_ref()?, self.now.as_ref()?);
        let (then, now) = (then.price?, now.price?);
        (then > 0.0).then(|| now / then - 1.0)
    }

    /// Emission share change in fraction points (`None` unless both are there).
    pub fn share_change(&self) -> Option<f64> {
        Some(self.now.as_ref()?.emission_share - self.then.as_ref()?.emission_share)
    }
}

/// The last point recorded before this page session began (`session_start_ms`), not imported:
/// what the user saw last time.
pub fn last_visit(history: &History, session_start_ms: f64) -> Option<&SubnetsPoint> {
    history
        .subnets
        .iter()
        .rev()
        .find(|p| !p.stamp.imported && p.stamp.at_ms < session_start_ms)
}

/// Every subnet's change from `then` to `now`, largest price move first (new and gone subnets
/// first of all).
pub fn since(then: &SubnetsPoint, now: &SubnetsPoint) -> Vec<SubnetChange> {
    let mut netuids: Vec<u16> = then.subnets.iter().chain(&now.subnets).map(|s| s.netuid).collect();
    netuids.sort_unstable();
    netuids.dedup();
    let find = |point: &SubnetsPoint, netuid| point.subnets.iter().find(|s| s.netuid == netuid).cloned();
    let mut changes: Vec<SubnetChange> = netuids
        .into_iter()
        .map(|netuid| SubnetChange {
            netuid,
            then: find(then, netuid),
            now: find(now, netuid),
        })
        .collect();
    let rank = |c: &SubnetChange| c.price_change().map_or(f64::INFINITY, f64::abs);
    changes.sort_by(|a, b| rank(b).total_cmp(&rank(a)).then(a.netuid.cmp(&b.netuid)));
    changes
}

/// A validator's yield over a window of its recorded points.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowedYield {
    /// Compounded return of the epochs seen, annualised (value-weighted over seats).
    pub apy: f64,
    /// Epochs whose payout this browser saw in the window (over all seats).
    pub epochs: usize,
    /// Epochs that ran in the window, from its blocks and each seat's epoch spacing (summed over
    /// seats; an estimate: `blocks ÷ spacing` per seat).
    pub expected_epochs: f64,
    /// First and last block of the points used.
    pub blocks: (u64, u64),
}

/// The yield of the points recorded at or after `from_ms`. Each seat's epochs are the changes of
/// its (`AlphaDividendsPerSubnet`, `TotalHotkeyAlphaLastEpoch`) pair after the first point (whose
/// epoch ran before the window); each epoch's yield is `last_epoch_yield` of that pair, so stake
/// added or removed is never counted as return. A seat's epochs compound, and are annualised on
/// its latest epoch spacing over the number of epochs seen; seats weigh by their latest value.
/// `None` when no epoch paid in the window.
pub fn windowed_yield(points: &[ValidatorPoint], from_ms: f64) -> Option<WindowedYield> {
    let window: Vec<&ValidatorPoint> = points.iter().filter(|p| p.stamp.at_ms >= from_ms).collect();
    let (first, last) = (window.first()?, window.last()?);
    let mut netuids: Vec<u16> = window.iter().flat_map(|p| p.seats.iter().map(|s| s.netuid)).collect();
    netuids.sort_unstable();
    netuids.dedup();
    let (mut epochs, mut expected) = (0, 0.0);
    let mut rates = Vec::new();
    for netuid in netuids {
        let seat_at = |p: &ValidatorPoint| p.seats.iter().find(|s| s.netuid == netuid).cloned();
        let mut previous = seat_at(first).map(|s| (s.dividends_alpha, s.stake_last_epoch_alpha));
        let (mut growth, mut seen, mut spacing) = (1.0, 0usize, None);
        for point in &window[1..] {
            let Some(seat) = seat_at(point) else {
                previous = None;
                continue;
            };
            spacing = seat.epoch_blocks();
            let pair = (seat.dividends_alpha, seat.stake_last_epoch_alpha);
            if previous.is_some_and(|p| p != pair)
                && let Some(y) = staking::last_epoch_yield(pair.0, pair.1)
            {
                growth *= 1.0 + y;
                seen += 1;
            }
            previous = Some(pair);
        }
        let Some(spacing) = spacing else { continue };
        expected += last.stamp.block.saturating_sub(first.stamp.block) as f64 / spacing as f64;
        epochs += seen;
        let value = seat_at(last).map_or(0.0, |s| s.value_tao);
        let rate = (seen > 0).then(|| growth.powf(staking::epochs_per_year(spacing) / seen as f64) - 1.0);
        rates.push((value, rate));
    }
    let apy = staking::weighted_rate(rates)?;
    Some(WindowedYield {
        apy,
        epochs,
        expected_epochs: expected,
        blocks: (first.stamp.block, last.stamp.block),
    })
}

/// Whether the series reaches back `window_ms` before `now_ms` (its oldest point no later than
/// 5 % into the window), so a windowed figure covers the whole window.
pub fn covers(points: &[ValidatorPoint], now_ms: f64, window_ms: f64) -> bool {
    points
        .first()
        .is_some_and(|p| p.stamp.at_ms <= now_ms - 0.95 * window_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(block: u64) -> Stamp {
        Stamp {
            block,
            at_ms: block as f64 * 12_000.0,
            imported: false,
        }
    }

    fn figures(netuid: u16, price: f64, emission_share: f64) -> SubnetFigures {
        SubnetFigures {
            netuid,
            price: Some(price),
            emission_share,
        }
    }

    fn seat(dividends_alpha: u64, stake_last_epoch_alpha: u64) -> SeatFigures {
        SeatFigures {
            netuid: 1,
            value_tao: 10.0,
            dividends_alpha,
            stake_last_epoch_alpha,
            tempo: 9,
            epoch_spacing_blocks: Some(10),
        }
    }

    fn validator_at(block: u64, seats: Vec<SeatFigures>) -> ValidatorPoint {
        ValidatorPoint {
            stamp: stamp(block),
            stake_tao: 1.0,
            trust: Some(0.9),
            apy: None,
            seats,
        }
    }

    #[test]
    fn the_csv_has_one_row_per_figure_and_names_imported_points() {
        let mut history = History::default();
        history.subnets.push(SubnetsPoint {
            stamp: Stamp {
                imported: true,
                ..stamp(4)
            },
            subnets: vec![figures(1, 0.5, 0.25)],
        });
        history.hotkeys.push(HotkeySeries {
            netuid: 1,
            hotkey: "=5hot".into(),
            points: vec![HotkeyPoint {
                stamp: stamp(5),
                uid: Some(2),
                incentive: 0.125,
            }],
        });
        let csv = to_csv(&history);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert_eq!(lines[1], "subnets,1,,4,48000,price_tao,0.5,imported");
        assert_eq!(
            lines[3],
            "hotkey,1,'=5hot,5,60000,incentive,0.125,verified in this browser"
        );
    }

    #[test]
    fn the_last_visit_is_the_newest_own_point_before_this_session() {
        let mut history = History::default();
        for block in [1, 2, 3] {
            history.subnets.push(SubnetsPoint {
                stamp: stamp(block),
                subnets: vec![],
            });
        }
        history.subnets[1].stamp.imported = true;
        assert_eq!(last_visit(&history, stamp(3).at_ms).map(|p| p.stamp.block), Some(1));
        assert_eq!(last_visit(&history, stamp(1).at_ms), None);
    }

    #[test]
    fn changes_since_the_last_visit_rank_new_and_moved_subnets_first() {
        let then = SubnetsPoint {
            stamp: stamp(1),
            subnets: vec![figures(1, 1.0, 0.5), figures(2, 2.0, 0.5), figures(3, 1.0, 0.0)],
        };
        let now = SubnetsPoint {
            stamp: stamp(2),
            subnets: vec![figures(1, 1.1, 0.4), figures(2, 1.0, 0.6), figures(4, 1.0, 0.0)],
        };
        let changes = since(&then, &now);
        let order: Vec<u16> = changes.iter().map(|c| c.netuid).collect();
        assert_eq!(order, [3, 4, 2, 1]);
        assert!((changes[2].price_change().unwrap() + 0.5).abs() < 1e-12);
        assert!((changes[3].share_change().unwrap() + 0.1).abs() < 1e-12);
        assert_eq!(changes[0].now, None);
        assert_eq!(changes[1].then, None);
    }

    #[test]
    fn windowed_yield_compounds_each_epoch_seen_and_ignores_stake_moves() {
        // Epoch 1 (already paid at the first point), then two epochs paying 0.01 % and 0.02 %;
        // the stake doubling between them is not counted as return.
        let points = vec![
            validator_at(100, vec![seat(1, 10_001)]),
            validator_at(105, vec![seat(1, 10_001)]),
            validator_at(110, vec![seat(2, 20_002)]),
            validator_at(115, vec![seat(2, 20_002)]),
            validator_at(120, vec![seat(8, 40_008)]),
        ];
        let windowed = windowed_yield(&points, 0.0).unwrap();
        assert_eq!(windowed.epochs, 2);
        assert!(
            (windowed.expected_epochs - 2.0).abs() < 1e-12,
            "20 blocks, epochs 10 apart"
        );
        assert_eq!(windowed.blocks, (100, 120));
        let expected = (1.0001f64 * 1.0002).powf(staking::epochs_per_year(10) / 2.0) - 1.0;
        assert!(
            (windowed.apy - expected).abs() < 1e-9 * expected,
            "{} vs {expected}",
            windowed.apy
        );
        // Points recorded before the spacing was kept are read at their tempo, 9 blocks.
        let mut before = points.clone();
        before
            .iter_mut()
            .flat_map(|p| &mut p.seats)
            .for_each(|s| s.epoch_spacing_blocks = None);
        let at_tempo = windowed_yield(&before, 0.0).unwrap();
        assert!((at_tempo.expected_epochs - 20.0 / 9.0).abs() < 1e-12);
        // From block 110 on: only the 2 % epoch is inside the window.
        let later = windowed_yield(&points, stamp(110).at_ms).unwrap();
        assert_eq!(later.epochs, 1);
        assert!(
            windowed_yield(&points[..2], 0.0).is_none(),
            "no epoch paid in the window"
        );
        assert!(covers(&points, stamp(120).at_ms, stamp(20).at_ms));
        assert!(!covers(&points, stamp(120).at_ms, stamp(40).at_ms));
    }
}
