//! Earnings net of trades: a watched coldkey's recorded positions split, between each two recorded
//! blocks, into what its shares earned (the share value's rise) and stake moved in or out (its
//! share count's change). Pure: the maths over `history::ColdkeySeries`.

use crate::history::{ColdkeySeries, PositionFigures};

/// One position's split over the recorded window.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionEarnings {
    /// The hotkey staked to (SS58).
    pub hotkey: String,
    /// Subnet id.
    pub netuid: u16,
    /// α units at the window's first recorded block (0 when the position began later).
    pub start_alpha: f64,
    /// α units at the window's last recorded block (0 when it was closed).
    pub end_alpha: f64,
    /// α units earned: Σ shares held at a point × the share value's change to the next point.
    pub earned_alpha: f64,
    /// α units staked (positive) or unstaked (negative): Σ the share count's change × the share
    /// value where it was seen.
    pub moved_alpha: f64,
    /// The latest spot price recorded, TAO per α (`None` without one).
    pub price: Option<f64>,
}

impl PositionEarnings {
    /// The earnings in TAO at the latest recorded price.
    pub fn earned_tao(&self) -> Option<f64> {
        Some(self.earned_alpha * self.price? / 1e9)
    }
}

/// A coldkey's earnings over the blocks this browser recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Earnings {
    /// First and last recorded block, and how many points lie between them (both included).
    pub from_block: u64,
    /// The last recorded block.
    pub to_block: u64,
    /// Recorded points in the window.
    pub points: usize,
    /// Per position, in the order first seen.
    pub positions: Vec<PositionEarnings>,
}

impl Earnings {
    /// Total earnings in TAO at each position's latest price (positions without one left out).
    pub fn earned_tao(&self) -> f64 {
        self.positions.iter().filter_map(PositionEarnings::earned_tao).sum()
    }

    /// Total stake moved in TAO at each position's latest price.
    pub fn moved_tao(&self) -> f64 {
        self.positions
            .iter()
            .filter_map(|p| Some(p.moved_alpha * p.price? / 1e9))
            .sum()
    }
}

fn find<'p>(positions: &'p [PositionFigures], hotkey: &str, netuid: u16) -> Option<&'p PositionFigures> {
    positions.iter().find(|p| p.hotkey == hotkey && p.netuid == netuid)
}

/// The split over a recorded series (`None` with fewer than two points). Between points `i − 1`
/// and `i`, with `s` the share count and `v` the α per share: earned `s₀ · (v₁ − v₀)`, moved
/// `s₁ · v₁ − s₀ · v₀ − earned`, so earned + moved is exactly the α's change. A position absent
/// at a point holds no shares there; its share value is carried from its neighbour, so opening or
/// closing a position earns nothing by itself.
pub fn earnings(series: &ColdkeySeries) -> Option<Earnings> {
    let (first, last) = (series.points.first()?, series.points.last()?);
    if series.points.len() < 2 {
        return None;
    }
    let mut keys: Vec<(String, u16)> = Vec::new();
    for point in &series.points {
        for p in &point.positions {
            if !keys.iter().any(|(h, n)| *h == p.hotkey && *n == p.netuid) {
                keys.push((p.hotkey.clone(), p.netuid));
            }
        }
    }
    let positions = keys
        .into_iter()
        .map(|(hotkey, netuid)| {
            let (mut earned, mut moved) = (0.0, 0.0);
            let mut price = None;
            for pair in series.points.windows(2) {
                let before = find(&pair[0].positions, &hotkey, netuid);
                let after = find(&pair[1].positions, &hotkey, netuid);
                let (s0, s1) = (before.map_or(0.0, |p| p.shares), after.map_or(0.0, |p| p.shares));
                let v0 = before.or(after).map_or(0.0, |p| p.alpha_per_share);
                let v1 = after.or(before).map_or(0.0, |p| p.alpha_per_share);
                let gained = s0 * (v1 - v0);
                earned += gained;
                moved += s1 * v1 - s0 * v0 - gained;
            }
            for point in &series.points {
                if let Some(p) = find(&point.positions, &hotkey, netuid) {
                    price = p.price.or(price);
                }
            }
            let alpha_at = |positions: &[PositionFigures]| {
                find(positions, &hotkey, netuid).map_or(0.0, |p| p.shares * p.alpha_per_share)
            };
            PositionEarnings {
                start_alpha: alpha_at(&first.positions),
                end_alpha: alpha_at(&last.positions),
                earned_alpha: earned,
                moved_alpha: moved,
                price,
                hotkey,
                netuid,
            }
        })
        .collect();
    Some(Earnings {
        from_block: first.stamp.block,
        to_block: last.stamp.block,
        points: series.points.len(),
        positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{ColdkeyPoint, Stamp};

    fn point(block: u64, positions: &[(&str, u16, f64, f64)]) -> ColdkeyPoint {
        ColdkeyPoint {
            stamp: Stamp {
                block,
                at_ms: 0.0,
                imported: false,
            },
            positions: positions
                .iter()
                .map(|&(hotkey, netuid, shares, alpha_per_share)| PositionFigures {
                    hotkey: hotkey.into(),
                    netuid,
                    shares,
                    alpha_per_share,
                    price: Some(0.5),
                })
                .collect(),
        }
    }

    fn series(points: Vec<ColdkeyPoint>) -> ColdkeySeries {
        ColdkeySeries {
            coldkey: "5cold".into(),
            points,
        }
    }

    #[test]
    fn a_stake_moved_in_is_not_earnings() {
        // 100 shares worth 1.0 each; the share value rises to 1.1; 50 shares are bought at 1.1;
        // the value rises to 1.2.
        let split = earnings(&series(vec![
            point(10, &[("5h", 1, 100.0, 1.0)]),
            point(20, &[("5h", 1, 100.0, 1.1)]),
            point(30, &[("5h", 1, 150.0, 1.1)]),
            point(40, &[("5h", 1, 150.0, 1.2)]),
        ]))
        .expect("a split");
        let p = &split.positions[0];
        assert!((p.earned_alpha - (10.0 + 15.0)).abs() < 1e-9, "{p:?}");
        assert!((p.moved_alpha - 55.0).abs() < 1e-9, "{p:?}");
        assert!((p.start_alpha + p.earned_alpha + p.moved_alpha - p.end_alpha).abs() < 1e-9);
        assert_eq!((split.from_block, split.to_block, split.points), (10, 40, 4));
        assert!((split.earned_tao() - 25.0 * 0.5 / 1e9).abs() < 1e-18);
    }

    #[test]
    fn opening_and_closing_positions_are_moves() {
        let split = earnings(&series(vec![
            point(10, &[("5a", 1, 100.0, 2.0)]),
            point(20, &[("5a", 1, 100.0, 2.5), ("5b", 2, 10.0, 3.0)]),
            point(30, &[("5b", 2, 10.0, 3.5)]),
        ]))
        .expect("a split");
        let a = &split.positions[0];
        assert!(
            (a.earned_alpha - 50.0).abs() < 1e-9 && (a.moved_alpha + 250.0).abs() < 1e-9,
            "{a:?}"
        );
        assert_eq!(a.end_alpha, 0.0);
        let b = &split.positions[1];
        assert!(
            (b.earned_alpha - 5.0).abs() < 1e-9 && (b.moved_alpha - 30.0).abs() < 1e-9,
            "{b:?}"
        );
        assert_eq!(b.start_alpha, 0.0);
    }

    #[test]
    fn one_point_is_no_window() {
        assert_eq!(earnings(&series(vec![point(10, &[("5h", 1, 1.0, 1.0)])])), None);
        assert_eq!(earnings(&series(vec![])), None);
    }
}
