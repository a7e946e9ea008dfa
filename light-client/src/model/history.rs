//! History this browser has seen: verified snapshots reduced to the figures charts draw (the
//! subnets' prices and emission shares, a validator's stake, trust and epoch yields, a hotkey's
//! incentive, a coldkey's positions), the watchlist that says what to record, the file format,
//! and when a point is due and how series are thinned. Pure; the chain worker records and saves it.

use serde::{Deserialize, Serialize};

use super::{Account, Metagraph, Subnet, Validator};

/// The `format` field every history file carries.
pub const FORMAT: &str = "taoscope-history/1";

/// Most points one series keeps; beyond it the older half is thinned (every second point goes),
/// so the series spans ever longer with coarser old points.
pub const MAX_POINTS: usize = 240;

/// Most characters a saved history may take; beyond it the subnets series is thinned first.
pub const BUDGET_CHARS: usize = 1_500_000;

/// Blocks between two points of one series when the chain's manifest does not say.
pub const DEFAULT_EVERY_BLOCKS: u64 = 25;

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
    pub fn epoch_blocks(&self) -> Option<u64> {
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
    /// Adds what `other` holds that this one lacks (a watchlist handed over from another store).
    pub fn absorb(&mut self, other: Watchlist) {
        fn union<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
            for item in from {
                if !into.contains(&item) {
                    into.push(item);
                }
            }
        }
        union(&mut self.subnets, other.subnets);
        union(&mut self.validators, other.validators);
        union(&mut self.hotkeys, other.hotkeys);
        union(&mut self.coldkeys, other.coldkeys);
    }
}

/// Something the user can star.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Starred {
    /// A subnet.
    Subnet(u16),
    /// A validator, by hotkey.
    Validator(String),
    /// A hotkey on a subnet.
    Hotkey(u16, String),
    /// A coldkey, whose positions are recorded for its earnings.
    Coldkey(String),
}

impl Starred {
    /// Whether `watchlist` holds it.
    pub fn is_in(&self, watchlist: &Watchlist) -> bool {
        match self {
            Starred::Subnet(netuid) => watchlist.subnets.contains(netuid),
            Starred::Validator(hotkey) => watchlist.validators.contains(hotkey),
            Starred::Hotkey(netuid, hotkey) => watchlist.hotkeys.contains(&(*netuid, hotkey.clone())),
            Starred::Coldkey(coldkey) => watchlist.coldkeys.contains(coldkey),
        }
    }

    /// Stars it in `watchlist` (`on`) or unstars it; starring twice keeps one.
    pub fn set(&self, watchlist: &mut Watchlist, on: bool) {
        fn set<T: PartialEq>(items: &mut Vec<T>, item: T, on: bool) {
            items.retain(|i| *i != item);
            if on {
                items.push(item);
            }
        }
        match self {
            Starred::Subnet(netuid) => set(&mut watchlist.subnets, *netuid, on),
            Starred::Validator(hotkey) => set(&mut watchlist.validators, hotkey.clone(), on),
            Starred::Hotkey(netuid, hotkey) => set(&mut watchlist.hotkeys, (*netuid, hotkey.clone()), on),
            Starred::Coldkey(coldkey) => set(&mut watchlist.coldkeys, coldkey.clone(), on),
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
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
    merge(history, imported, true)
}

/// Merges a history this browser recorded elsewhere (handed over from the page's old storage):
/// its points at blocks this one lacks, as they were marked. Returns how many points were added.
pub fn merge_own(history: &mut History, own: History) -> usize {
    merge(history, own, false)
}

fn merge(history: &mut History, other: History, mark_imported: bool) -> usize {
    fn merge<P: Stamped>(into: &mut Vec<P>, from: Vec<P>, mark_imported: bool) -> usize {
        let mut added = 0;
        for mut point in from {
            if into.iter().any(|p| p.stamp().block == point.stamp().block) {
                continue;
            }
            point.stamp_mut().imported |= mark_imported;
            into.push(point);
            added += 1;
        }
        into.sort_by_key(|p| p.stamp().block);
        added
    }
    let mut added = merge(&mut history.subnets, other.subnets, mark_imported);
    for series in other.validators {
        added += merge(validator_series(history, &series.hotkey), series.points, mark_imported);
    }
    for series in other.hotkeys {
        added += merge(
            hotkey_series(history, series.netuid, &series.hotkey),
            series.points,
            mark_imported,
        );
    }
    for series in other.coldkeys {
        added += merge(coldkey_series(history, &series.coldkey), series.points, mark_imported);
    }
    added
}

/// What is due at `block`, for the series `watchlist` asks for: the subnets list (always
/// recorded), starred validators, the subnets whose mechanism-0 metagraph a starred hotkey needs,
/// watched coldkeys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Due {
    /// The subnets list.
    pub subnets: bool,
    /// Starred validators' hotkeys.
    pub validators: Vec<String>,
    /// Subnets with a starred hotkey.
    pub metagraphs: Vec<u16>,
    /// Watched coldkeys.
    pub coldkeys: Vec<String>,
}

impl Due {
    /// True when nothing is due.
    pub fn is_empty(&self) -> bool {
        !self.subnets && self.validators.is_empty() && self.metagraphs.is_empty() && self.coldkeys.is_empty()
    }
}

/// What `watchlist` asks to record at `block`, given what `history` holds.
pub fn due_at(history: &History, watchlist: &Watchlist, block: u64, every: u64) -> Due {
    let mut metagraphs: Vec<u16> = watchlist
        .hotkeys
        .iter()
        .filter(|(netuid, hotkey)| due(newest_of_hotkey(history, *netuid, hotkey), block, every))
        .map(|(netuid, _)| *netuid)
        .collect();
    metagraphs.sort_unstable();
    metagraphs.dedup();
    Due {
        subnets: due(history.subnets.last().map(|p| &p.stamp), block, every),
        validators: watchlist
            .validators
            .iter()
            .filter(|hotkey| due(newest_of_validator(history, hotkey), block, every))
            .cloned()
            .collect(),
        metagraphs,
        coldkeys: watchlist
            .coldkeys
            .iter()
            .filter(|coldkey| due(newest_of_coldkey(history, coldkey), block, every))
            .cloned()
            .collect(),
    }
}

/// Records every starred hotkey of the metagraph's subnet (mechanism 0 only) when due; true when
/// any point was appended.
pub fn record_hotkeys(
    history: &mut History,
    watchlist: &Watchlist,
    metagraph: &Metagraph,
    stamp: &Stamp,
    every: u64,
) -> bool {
    if metagraph.mechanism != 0 {
        return false;
    }
    let mut recorded = false;
    for (_, hotkey) in watchlist
        .hotkeys
        .iter()
        .filter(|(netuid, _)| *netuid == metagraph.netuid)
    {
        let point = hotkey_point(metagraph, hotkey, stamp.clone());
        recorded |= record_hotkey(history, metagraph.netuid, hotkey, point, every);
    }
    recorded
}

/// The history's file text within [`BUDGET_CHARS`]: the subnets series (the largest) is thinned
/// until it fits.
pub fn to_file_within_budget(history: &mut History, genesis: &str) -> String {
    let mut text = to_file(history, genesis);
    while text.len() > BUDGET_CHARS && {
        let half = history.subnets.len() / 2;
        thin_to(&mut history.subnets, half)
    } {
        text = to_file(history, genesis);
    }
    text
}

/// Whether history is being recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recording {
    /// Waiting for the chain's genesis.
    Starting,
    /// Every due verified snapshot is recorded.
    On,
    /// Saving failed (storage full or refused); nothing new is recorded until a save succeeds.
    Paused(String),
    /// The data comes from a trusted RPC node, which this browser cannot check.
    Unverified,
}

/// The history's points, counted.
pub fn point_count(history: &History) -> usize {
    history.subnets.len()
        + history.validators.iter().map(|s| s.points.len()).sum::<usize>()
        + history.hotkeys.iter().map(|s| s.points.len()).sum::<usize>()
        + history.coldkeys.iter().map(|s| s.points.len()).sum::<usize>()
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
    fn a_handed_over_history_keeps_its_marks_and_a_watchlist_adds_what_it_lacks() {
        let mut mine = History::default();
        mine.subnets.push(SubnetsPoint {
            stamp: stamp(10),
            subnets: vec![],
        });
        let mut theirs = mine.clone();
        theirs.subnets.push(SubnetsPoint {
            stamp: stamp(5),
            subnets: vec![],
        });
        assert_eq!(merge_own(&mut mine, theirs), 1);
        assert_eq!(mine.subnets[0].stamp, stamp(5), "in block order, not marked imported");
        let mut watchlist = Watchlist {
            subnets: vec![1],
            ..Watchlist::default()
        };
        watchlist.absorb(Watchlist {
            subnets: vec![1, 2],
            coldkeys: vec!["5cold".into()],
            ..Watchlist::default()
        });
        assert_eq!(watchlist.subnets, [1, 2]);
        assert_eq!(watchlist.coldkeys, ["5cold"]);
    }

    #[test]
    fn starring_twice_keeps_one_and_unstarring_removes_it() {
        let mut watchlist = Watchlist::default();
        let item = Starred::Hotkey(3, "5hot".into());
        item.set(&mut watchlist, true);
        item.set(&mut watchlist, true);
        assert_eq!(watchlist.hotkeys, [(3, "5hot".to_string())]);
        assert!(item.is_in(&watchlist));
        item.set(&mut watchlist, false);
        assert!(!item.is_in(&watchlist));
    }

    #[test]
    fn what_is_due_follows_the_watchlist_and_each_series_newest_point() {
        let watchlist = Watchlist {
            subnets: vec![4],
            validators: vec!["5val".into()],
            hotkeys: vec![(2, "5a".into()), (2, "5b".into()), (3, "5c".into())],
            coldkeys: vec!["5cold".into()],
        };
        let mut history = History::default();
        assert_eq!(
            due_at(&history, &watchlist, 100, 25),
            Due {
                subnets: true,
                validators: vec!["5val".into()],
                metagraphs: vec![2, 3],
                coldkeys: vec!["5cold".into()],
            }
        );
        record_subnets(
            &mut history,
            SubnetsPoint {
                stamp: stamp(100),
                subnets: vec![],
            },
            25,
        );
        for hotkey in ["5a", "5b"] {
            let point = HotkeyPoint {
                stamp: stamp(100),
                uid: None,
                incentive: 0.0,
            };
            record_hotkey(&mut history, 2, hotkey, point, 25);
        }
        let due = due_at(&history, &watchlist, 110, 25);
        assert!(!due.subnets);
        assert_eq!(due.metagraphs, [3], "subnet 2's hotkeys are not due yet");
        assert!(due_at(&history, &Watchlist::default(), 110, 25).is_empty());
    }

    #[test]
    fn a_history_over_budget_is_thinned_to_fit() {
        let mut history = History::default();
        let subnets: Vec<SubnetFigures> = (0..256).map(|netuid| figures(netuid, 0.5, 0.01)).collect();
        for block in 0..MAX_POINTS as u64 {
            history.subnets.push(SubnetsPoint {
                stamp: stamp(block),
                subnets: subnets.clone(),
            });
        }
        assert!(to_file(&history, "0xabc").len() > BUDGET_CHARS);
        let text = to_file_within_budget(&mut history, "0xabc");
        assert!(text.len() <= BUDGET_CHARS);
        assert_eq!(parse(&text, "0xabc"), Ok(history));
    }
}
