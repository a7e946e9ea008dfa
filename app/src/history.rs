//! History this browser has seen: verified snapshots reduced to the figures its charts draw (the
//! subnets' prices and emission shares, a validator's stake, trust and epoch yields, a hotkey's
//! incentive), kept bounded, compared with the last visit and turned into windowed yields. Pure:
//! the file format, the recording and thinning rules and the maths; `data::history` keeps it in
//! the browser's storage.

use serde::{Deserialize, Serialize};

use light_client::model::{Account, Metagraph, Subnet, Validator};
use light_client::staking;

/// The `format` field every history file carries.
pub const FORMAT: &str = "taoscope-history/1";

/// Most points one series keeps; beyond it the older half is thinned (every second point goes),
/// so the series spans ever longer with coarser old points.
pub const MAX_POINTS: usize = 240;

/// When and how a point was had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    /// The finalized block the snapshot was read at.
    pub block: u64,
    /// When this browser recorded it (milliseconds since the epoch, the page's clock).
    pub at_ms: f64,
    /// True for points read from an imported file: another browser's word, not checked here.
    #[serde(default)]
    pub imported: bool,
}

/// One subnet's figures in a subnets point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubnetFigures {
    /// Subnet id.
    pub netuid: u16,
    /// α price in TAO, as the subnets view found it (`None` when it had none).
    pub price: Option<f64>,
    /// Share of the TAO emitted per block.
    pub emission_share: f64,
}

/// The subnets list at one block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubnetsPoint {
    /// Block and time.
    pub stamp: Stamp,
    /// Every subnet, by netuid.
    pub subnets: Vec<SubnetFigures>,
}

/// A validator's seat on one subnet in a validator point: what its last epoch paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatFigures {
    /// Subnet id.
    pub netuid: u16,
    /// The stake's value there in TAO (α stake × price; 0 without a price), the seat's weight in a
    /// combined rate.
    pub value_tao: f64,
    /// `AlphaDividendsPerSubnet`, α units.
    pub dividends_alpha: u64,
    /// `TotalHotkeyAlphaLastEpoch`, α units.
    pub stake_last_epoch_alpha: u64,
    /// The subnet's tempo.
    pub tempo: u16,
    /// Blocks between the subnet's epochs as the chain recorded them (next epoch start −
    /// `LastEpochBlock`), what the seat's yield is annualised on; `None` for tempo 0, and in
    /// points recorded before it was kept (read as `tempo`).
    #[serde(default)]
    pub epoch_spacing_blocks: Option<u64>,
}

impl SeatFigures {
    /// Blocks between epochs: as recorded, else the tempo (`None` when neither is above 0).
    fn epoch_blocks(&self) -> Option<u64> {
        self.epoch_spacing_blocks
            .or(Some(u64::from(self.tempo)))
            .filter(|blocks| *blocks > 0)
    }
}

/// A validator at one block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatorPoint {
    /// Block and time.
    pub stamp: Stamp,
    /// Total stake, TAO equivalent.
    pub stake_tao: f64,
    /// Mean validator trust over its Yuma seats.
    pub trust: Option<f64>,
    /// Last-epoch APY, value-weighted over its seats.
    pub apy: Option<f64>,
    /// Each permitted seat's last epoch.
    pub seats: Vec<SeatFigures>,
}

/// A validator's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatorSeries {
    /// The delegate's hotkey (SS58).
    pub hotkey: String,
    /// Oldest first.
    pub points: Vec<ValidatorPoint>,
}

/// A hotkey's incentive at one block (on mechanism 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotkeyPoint {
    /// Block and time.
    pub stamp: Stamp,
    /// Its uid then, `None` when it was not registered.
    pub uid: Option<u16>,
    /// Its incentive (0–1); 0 when not registered.
    pub incentive: f64,
}

/// A hotkey's series on one subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotkeySeries {
    /// Subnet id.
    pub netuid: u16,
    /// Hotkey (SS58).
    pub hotkey: String,
    /// Oldest first.
    pub points: Vec<HotkeyPoint>,
}

/// One position of a watched coldkey at one block: what earnings net of trades are split from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionFigures {
    /// The hotkey staked to (SS58).
    pub hotkey: String,
    /// Subnet id.
    pub netuid: u16,
    /// The coldkey's share count (`AlphaV2`): stake moved in or out changes it.
    pub shares: f64,
    /// α units one share is worth (`TotalHotkeyAlpha ÷ TotalHotkeySharesV2`): earnings raise it.
    pub alpha_per_share: f64,
    /// The subnet's spot price, TAO per α (`None` without one).
    pub price: Option<f64>,
}

/// A watched coldkey's positions at one block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColdkeyPoint {
    /// Block and time.
    pub stamp: Stamp,
    /// Every position with stake.
    pub positions: Vec<PositionFigures>,
}

/// A watched coldkey's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColdkeySeries {
    /// The coldkey (SS58).
    pub coldkey: String,
    /// Oldest first.
    pub points: Vec<ColdkeyPoint>,
}

/// Everything recorded for one chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// The subnets list, every few blocks.
    pub subnets: Vec<SubnetsPoint>,
    /// Validators the user opened or starred.
    pub validators: Vec<ValidatorSeries>,
    /// Hotkeys the user starred.
    pub hotkeys: Vec<HotkeySeries>,
    /// Coldkeys the user watches (absent from files written before they were kept).
    #[serde(default)]
    pub coldkeys: Vec<ColdkeySeries>,
}

/// The file a history is saved, exported and imported as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The chain's genesis hash: a history belongs to one chain.
    pub genesis: String,
    /// The points.
    pub history: History,
}

/// What the user starred on one chain: subnets, validators, and hotkeys on a subnet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Watchlist {
    /// Starred subnets.
    #[serde(default)]
    pub subnets: Vec<u16>,
    /// Starred validators' hotkeys.
    #[serde(default)]
    pub validators: Vec<String>,
    /// Starred hotkeys, each on its subnet.
    #[serde(default)]
    pub hotkeys: Vec<(u16, String)>,
    /// Watched coldkeys (SS58), whose positions are recorded for their earnings.
    #[serde(default)]
    pub coldkeys: Vec<String>,
}

impl Watchlist {
    /// Stars `item` if it is not starred, else unstars it.
    pub fn toggle<T: PartialEq>(items: &mut Vec<T>, item: T) {
        match items.iter().position(|i| *i == item) {
            Some(at) => {
                items.remove(at);
            }
            None => items.push(item),
        }
    }
}

/// Reads a saved watchlist (`None` when it does not read).
pub fn parse_watchlist(text: &str) -> Option<Watchlist> {
    serde_json::from_str(text).ok()
}

/// A watchlist as saved.
pub fn watchlist_file(watchlist: &Watchlist) -> String {
    serde_json::to_string(watchlist).expect("a watchlist serialises")
}

/// Why a history file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    /// Not JSON of the expected shape.
    #[error("not a Taoscope history file: {0}")]
    Unreadable(String),
    /// Another version of the format.
    #[error("history format “{0}” is not {FORMAT}")]
    Format(String),
    /// Recorded on another chain.
    #[error("this history belongs to another chain (genesis {found}), not this one ({expected})")]
    OtherChain {
        /// The file's genesis.
        found: String,
        /// This chain's genesis.
        expected: String,
    },
}

/// Reads a history file of the chain with genesis `genesis`.
pub fn parse(text: &str, genesis: &str) -> Result<History, FileError> {
    let file: HistoryFile = serde_json::from_str(text).map_err(|e| FileError::Unreadable(e.to_string()))?;
    if file.format != FORMAT {
        return Err(FileError::Format(file.format));
    }
    if !file.genesis.eq_ignore_ascii_case(genesis) {
        return Err(FileError::OtherChain {
            found: file.genesis,
            expected: genesis.to_string(),
        });
    }
    Ok(file.history)
}

/// A history as its file's text.
pub fn to_file(history: &History, genesis: &str) -> String {
    let file = HistoryFile {
        format: FORMAT.to_string(),
        genesis: genesis.to_string(),
        history: history.clone(),
    };
    serde_json::to_string(&file).expect("history serialises")
}

/// Whether a point at `block` is due after a series' newest stamp: at least `every` blocks later
/// (never backwards, never the same block twice).
pub fn due(newest: Option<&Stamp>, block: u64, every: u64) -> bool {
    newest.is_none_or(|s| block >= s.block.saturating_add(every.max(1)))
}

/// Keeps a series within [`MAX_POINTS`]: drops every second point of its older half.
pub fn thin<P>(points: &mut Vec<P>) {
    thin_to(points, MAX_POINTS);
}

/// Thins a series longer than `most` points by dropping every second point of its older half;
/// true when it dropped any.
pub fn thin_to<P>(points: &mut Vec<P>, most: usize) -> bool {
    if points.len() <= most.max(2) {
        return false;
    }
    let older = points.len() / 2;
    let mut index = 0;
    points.retain(|_| {
        let keep = index >= older || index % 2 == 0;
        index += 1;
        keep
    });
    true
}

/// The figures a subnets point keeps.
pub fn subnets_point(subnets: &[Subnet], stamp: Stamp) -> SubnetsPoint {
    SubnetsPoint {
        stamp,
        subnets: subnets
            .iter()
            .map(|s| SubnetFigures {
                netuid: s.netuid,
                price: s.price,
                emission_share: s.emission_share,
            })
            .collect(),
    }
}

/// The figures a validator point keeps.
pub fn validator_point(validator: &Validator, stamp: Stamp) -> ValidatorPoint {
    ValidatorPoint {
        stamp,
        stake_tao: validator.stake_tao_equivalent_rao as f64 / 1e9,
        trust: validator.mean_validator_trust(),
        apy: validator.apy(),
        seats: validator
            .subnets
            .iter()
            .map(|s| SeatFigures {
                netuid: s.netuid,
                value_tao: s.price.map_or(0.0, |price| s.stake_alpha as f64 * price / 1e9),
                dividends_alpha: s.dividends_alpha,
                stake_last_epoch_alpha: s.stake_last_epoch_alpha,
                tempo: s.tempo,
                epoch_spacing_blocks: s.epoch_spacing.map(|spacing| spacing.blocks),
            })
            .collect(),
    }
}

/// A hotkey's point from its subnet's metagraph.
pub fn hotkey_point(metagraph: &Metagraph, hotkey: &str, stamp: Stamp) -> HotkeyPoint {
    let neuron = metagraph.neurons.iter().find(|n| n.hotkey == hotkey);
    HotkeyPoint {
        stamp,
        uid: neuron.map(|n| n.uid),
        incentive: neuron.map_or(0.0, |n| n.incentive),
    }
}

/// The figures a watched coldkey's point keeps.
pub fn coldkey_point(account: &Account, stamp: Stamp) -> ColdkeyPoint {
    ColdkeyPoint {
        stamp,
        positions: account
            .positions
            .iter()
            .map(|p| PositionFigures {
                hotkey: p.hotkey.clone(),
                netuid: p.netuid,
                shares: p.shares,
                alpha_per_share: p.alpha_per_share,
                price: p.price,
            })
            .collect(),
    }
}

/// A point with its stamp.
pub trait Stamped {
    /// Block and time.
    fn stamp(&self) -> &Stamp;
    /// Block and time, to mark as imported.
    fn stamp_mut(&mut self) -> &mut Stamp;
}

macro_rules! stamped {
    ($($point:ty),*) => {$(
        impl Stamped for $point {
            fn stamp(&self) -> &Stamp {
                &self.stamp
            }
            fn stamp_mut(&mut self) -> &mut Stamp {
                &mut self.stamp
            }
        }
    )*};
}

stamped!(SubnetsPoint, ValidatorPoint, HotkeyPoint, ColdkeyPoint);

/// Appends `point` to a series when due, thinning it; true when it was appended.
fn push_due<P: Stamped>(points: &mut Vec<P>, point: P, every: u64) -> bool {
    if !due(points.last().map(Stamped::stamp), point.stamp().block, every) {
        return false;
    }
    points.push(point);
    thin(points);
    true
}

/// A validator's points, a new empty series if it has none.
fn validator_series<'h>(history: &'h mut History, hotkey: &str) -> &'h mut Vec<ValidatorPoint> {
    let at = match history.validators.iter().position(|s| s.hotkey == hotkey) {
        Some(at) => at,
        None => {
            history.validators.push(ValidatorSeries {
                hotkey: hotkey.to_string(),
                points: Vec::new(),
            });
            history.validators.len() - 1
        }
    };
    &mut history.validators[at].points
}

/// A watched coldkey's points, a new empty series if it has none.
fn coldkey_series<'h>(history: &'h mut History, coldkey: &str) -> &'h mut Vec<ColdkeyPoint> {
    let at = match history.coldkeys.iter().position(|s| s.coldkey == coldkey) {
        Some(at) => at,
        None => {
            history.coldkeys.push(ColdkeySeries {
                coldkey: coldkey.to_string(),
                points: Vec::new(),
            });
            history.coldkeys.len() - 1
        }
    };
    &mut history.coldkeys[at].points
}

/// A hotkey's points on a subnet, a new empty series if it has none.
fn hotkey_series<'h>(history: &'h mut History, netuid: u16, hotkey: &str) -> &'h mut Vec<HotkeyPoint> {
    let at = match history
        .hotkeys
        .iter()
        .position(|s| s.netuid == netuid && s.hotkey == hotkey)
    {
        Some(at) => at,
        None => {
            history.hotkeys.push(HotkeySeries {
                netuid,
                hotkey: hotkey.to_string(),
                points: Vec::new(),
            });
            history.hotkeys.len() - 1
        }
    };
    &mut history.hotkeys[at].points
}

/// The newest point of a validator's series.
pub fn newest_of_validator<'h>(history: &'h History, hotkey: &str) -> Option<&'h Stamp> {
    let series = history.validators.iter().find(|s| s.hotkey == hotkey)?;
    series.points.last().map(|p| &p.stamp)
}

/// The newest point of a hotkey's series on a subnet.
pub fn newest_of_hotkey<'h>(history: &'h History, netuid: u16, hotkey: &str) -> Option<&'h Stamp> {
    let series = history
        .hotkeys
        .iter()
        .find(|s| s.netuid == netuid && s.hotkey == hotkey)?;
    series.points.last().map(|p| &p.stamp)
}

/// The newest point of a watched coldkey's series.
pub fn newest_of_coldkey<'h>(history: &'h History, coldkey: &str) -> Option<&'h Stamp> {
    let series = history.coldkeys.iter().find(|s| s.coldkey == coldkey)?;
    series.points.last().map(|p| &p.stamp)
}

/// Appends a subnets point when due.
pub fn record_subnets(history: &mut History, point: SubnetsPoint, every: u64) -> bool {
    push_due(&mut history.subnets, point, every)
}

/// Appends a validator point when due.
pub fn record_validator(history: &mut History, hotkey: &str, point: ValidatorPoint, every: u64) -> bool {
    push_due(validator_series(history, hotkey), point, every)
}

/// Appends a hotkey point when due.
pub fn record_hotkey(history: &mut History, netuid: u16, hotkey: &str, point: HotkeyPoint, every: u64) -> bool {
    push_due(hotkey_series(history, netuid, hotkey), point, every)
}

/// Appends a watched coldkey's point when due.
pub fn record_coldkey(history: &mut History, coldkey: &str, point: ColdkeyPoint, every: u64) -> bool {
    push_due(coldkey_series(history, coldkey), point, every)
}

/// Merges an imported history: its points at blocks this one lacks, marked imported, in block
/// order. Returns how many points were added.
pub fn merge_imported(history: &mut History, imported: History) -> usize {
    fn merge<P: Stamped>(into: &mut Vec<P>, from: Vec<P>) -> usize {
        let mut added = 0;
        for mut point in from {
            if into.iter().any(|p| p.stamp().block == point.stamp().block) {
                continue;
            }
            point.stamp_mut().imported = true;
            into.push(point);
            added += 1;
        }
        into.sort_by_key(|p| p.stamp().block);
        added
    }
    let mut added = merge(&mut history.subnets, imported.subnets);
    for series in imported.validators {
        added += merge(validator_series(history, &series.hotkey), series.points);
    }
    for series in imported.hotkeys {
        added += merge(hotkey_series(history, series.netuid, &series.hotkey), series.points);
    }
    for series in imported.coldkeys {
        added += merge(coldkey_series(history, &series.coldkey), series.points);
    }
    added
}

/// The history's points, counted.
pub fn point_count(history: &History) -> usize {
    history.subnets.len()
        + history.validators.iter().map(|s| s.points.len()).sum::<usize>()
        + history.hotkeys.iter().map(|s| s.points.len()).sum::<usize>()
        + history.coldkeys.iter().map(|s| s.points.len()).sum::<usize>()
}

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
    fn points_are_due_every_n_blocks_and_never_backwards() {
        assert!(due(None, 5, 10));
        assert!(!due(Some(&stamp(100)), 109, 10));
        assert!(due(Some(&stamp(100)), 110, 10));
        assert!(
            !due(Some(&stamp(100)), 100, 0),
            "the same block is never recorded twice"
        );
        assert!(!due(Some(&stamp(100)), 90, 1));
    }

    #[test]
    fn thinning_halves_the_older_half_and_keeps_the_newest() {
        let mut points: Vec<u64> = (0..=MAX_POINTS as u64).collect();
        thin(&mut points);
        assert!(points.len() < MAX_POINTS, "{}", points.len());
        assert_eq!(points.first(), Some(&0));
        assert_eq!(points.last(), Some(&(MAX_POINTS as u64)));
        let newer = (MAX_POINTS as u64).div_ceil(2);
        assert!(
            (newer..=MAX_POINTS as u64).all(|p| points.contains(&p)),
            "the newer half stays whole"
        );
        assert!(!points.contains(&1));
    }

    #[test]
    fn a_file_is_refused_for_another_chain_or_format_and_read_back_otherwise() {
        let mut history = History::default();
        record_subnets(
            &mut history,
            SubnetsPoint {
                stamp: stamp(7),
                subnets: vec![figures(1, 0.5, 0.25)],
            },
            1,
        );
        let text = to_file(&history, "0xabc");
        assert_eq!(parse(&text, "0xABC"), Ok(history));
        assert!(matches!(parse(&text, "0xdef"), Err(FileError::OtherChain { .. })));
        let other = text.replace(FORMAT, "taoscope-history/0");
        assert_eq!(
            parse(&other, "0xabc"),
            Err(FileError::Format("taoscope-history/0".into()))
        );
        assert!(matches!(parse("{\"a\":1}", "0xabc"), Err(FileError::Unreadable(_))));
    }

    #[test]
    fn imported_points_fill_gaps_and_are_marked() {
        let mut mine = History::default();
        for block in [10, 30] {
            record_subnets(
                &mut mine,
                SubnetsPoint {
                    stamp: stamp(block),
                    subnets: vec![],
                },
                1,
            );
        }
        let mut theirs = History::default();
        for block in [10, 20] {
            theirs.subnets.push(SubnetsPoint {
                stamp: stamp(block),
                subnets: vec![],
            });
        }
        theirs.hotkeys.push(HotkeySeries {
            netuid: 2,
            hotkey: "5hot".into(),
            points: vec![HotkeyPoint {
                stamp: stamp(20),
                uid: Some(3),
                incentive: 0.1,
            }],
        });
        assert_eq!(merge_imported(&mut mine, theirs), 2);
        let blocks: Vec<(u64, bool)> = mine.subnets.iter().map(|p| (p.stamp.block, p.stamp.imported)).collect();
        assert_eq!(blocks, [(10, false), (20, true), (30, false)]);
        assert!(mine.hotkeys[0].points[0].stamp.imported);
        assert_eq!(point_count(&mine), 4);
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
