//! The validators pages: every delegate with the figures a staker compares (take, stake, where it
//! validates, validator trust, dividends, last-epoch yield), filterable and sortable through the
//! URL, with rows to tick for a comparison; and one validator's per-subnet figures and, on
//! demand, its nominators. Each derived figure says how it is computed.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use light_client::model::{BasketHolding, Nominator, Validator, ValidatorSubnet};

use crate::components::alerts::{AlertButton, Scope};
use crate::components::export::CopyText;
use crate::components::history::{HistoryStatus, StarButton, Starred};
use crate::components::method::{ANNUALISED, MethodNotes, PRICE_METHOD};
use crate::components::state::Pending;
use crate::components::swap_simulator::SwapSimulator;
use crate::components::url_state::{Notices, UnknownParameters, use_replace_url};
use crate::data::provenance::Provenance;
use crate::data::{use_nominator_counts, use_nominators, use_root_basket, use_validator, use_validators};
use crate::export::Cell;
use crate::format;
use crate::links::safe_http_url;
use crate::names::{shown, validator_name};
use crate::pages::watchlist::ValidatorHistory;
use crate::query::{self, MAX_COMPARED, MIN_COMPARED, compare_path, matches_search, number_param};
use crate::table::view::{DataTable, RowPicker, SortedTable, TableToolbar};
use crate::table::{Column, Columns, Shown, Sort};

/// A delegate as the list shows it: with the validator trust and APY the filters look at (the
/// filtered subnet's, or the mean over its permits and the stake-weighted APY).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    validator: Validator,
    vtrust: Option<f64>,
    apy: Option<f64>,
    /// Coldkeys staked to it, once counted.
    nominators: Option<u32>,
}

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

fn optional(value: Option<f64>) -> Cell {
    Cell::Number(value.unwrap_or(f64::NAN))
}

fn fraction(cell: &Cell) -> String {
    match cell.as_f64() {
        value if value.is_nan() => "—".to_string(),
        value => format!("{value:.4}"),
    }
}

fn rate(cell: &Cell) -> String {
    let value = cell.as_f64();
    format::rate((!value.is_nan()).then_some(value))
}

/// How the APY columns are computed, for their headers' titles.
const APY_SOURCE: &str = "Last epoch, annualised: (1 + D ÷ (T − D))^(365 × 7,200 ÷ S) − 1, D = AlphaDividendsPerSubnet (after take), T = TotalHotkeyAlphaLastEpoch, S = next epoch start − LastEpochBlock (LastEpochBlock, Tempo, PendingEpochAt)";

/// A count of blocks that may be absent (exported as null, sorted last).
fn optional_blocks(value: Option<u64>) -> Cell {
    Cell::Number(value.map_or(f64::NAN, |v| v as f64))
}

fn blocks_text(cell: &Cell) -> String {
    match cell.as_f64() {
        value if value.is_nan() => "—".to_string(),
        value => format::blocks(value as u64),
    }
}

fn name_cell(row: &Row) -> AnyView {
    let v = &row.validator;
    let name = validator_name(v);
    view! { <A href=format!("/validators/{}", v.hotkey) attr:class="name-cell" attr:title=v.name.clone()><bdi>{shown(&name)}</bdi></A> }
        .into_any()
}

fn hotkey_cell(row: &Row) -> AnyView {
    view! { <CopyText text=row.validator.hotkey.clone() label="hotkey"/> }.into_any()
}

/// The validators list.
#[rustfmt::skip]
const COLUMNS: Columns<Row> = Columns(&[
    Column { export: "name", label: "Validator", source: "IdentitiesV2 of the hotkey's owner (untrusted text)", sort_key: Some("name"), numeric: false,
        raw: |r| Cell::Text(validator_name(&r.validator)), shown: Shown::View(name_cell) },
    Column { export: "hotkey", label: "Hotkey", source: "The delegate's hotkey (Delegates)", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.validator.hotkey.clone()), shown: Shown::View(hotkey_cell) },
    Column { export: "coldkey", label: "", source: "Owner(hotkey)", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.validator.coldkey.clone()), shown: Shown::ExportOnly },
    Column { export: "take", label: "Take", source: "Delegates ÷ 65,535", sort_key: Some("take"), numeric: true,
        raw: |r| Cell::Number(r.validator.take), shown: Shown::Text(|c| format::percent(c.as_f64())) },
    Column { export: "stake_tao_equivalent_rao", label: "Stake", source: "Σ TotalHotkeyAlpha × spot price", sort_key: Some("stake"), numeric: true,
        raw: |r| integer(r.validator.stake_tao_equivalent_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "permit_count", label: "Subnets", source: "Subnets with a validator permit", sort_key: Some("subnets"), numeric: true,
        raw: |r| integer(r.validator.subnets.len() as u64), shown: Shown::Text(Cell::text) },
    Column { export: "subnets_with_permit", label: "", source: "Netuids with a validator permit", sort_key: None, numeric: false,
        raw: |r| { Cell::Text( r.validator .subnets .iter() .map(|s| s.netuid.to_string()) .collect::<Vec<_>>() .join(" "), ) }, shown: Shown::ExportOnly },
    Column { export: "validator_trust", label: "V. trust", source: "Mean ValidatorTrust over permitted subnets in Yuma consensus (or the filtered subnet's)", sort_key: Some("vtrust"), numeric: true,
        raw: |r| optional(r.vtrust), shown: Shown::Text(fraction) },
    Column { export: "mean_validator_trust", label: "", source: "Mean ValidatorTrust over permitted subnets in Yuma consensus", sort_key: None, numeric: true,
        raw: |r| optional(r.validator.mean_validator_trust()), shown: Shown::ExportOnly },
    Column { export: "min_validator_trust", label: "Min v. trust", source: "Lowest ValidatorTrust over permitted subnets in Yuma consensus", sort_key: Some("min_vtrust"), numeric: true,
        raw: |r| optional(r.validator.min_validator_trust()), shown: Shown::Text(fraction) },
    Column { export: "dividends_tao_equivalent_rao", label: "Dividends", source: "Σ AlphaDividendsPerSubnet × spot price, last epoch", sort_key: Some("dividends"), numeric: true,
        raw: |r| integer(r.validator.dividends_tao_equivalent_rao()), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "apy", label: "APY", source: "Last-epoch APY (see the method), weighted by the TAO value staked on each permitted subnet (or the filtered subnet's)", sort_key: Some("apy"), numeric: true,
        raw: |r| optional(r.apy), shown: Shown::Text(rate) },
    Column { export: "nominators", label: "Nominators", source: "Coldkeys with AlphaV2 shares of the hotkey (counted on request)", sort_key: Some("nominators"), numeric: true,
        raw: |r| optional(r.nominators.map(f64::from)), shown: Shown::Text(|c| if c.as_f64().is_nan() { String::new() } else { Cell::text(c) }) },
]);

fn default_sort() -> Sort<Row> {
    COLUMNS.sort("stake", true)
}

/// The list's filters and order, as read from the query string.
#[derive(Debug, Clone, PartialEq)]
struct Filters {
    search: String,
    min_stake_tao: Option<f64>,
    max_take_percent: Option<f64>,
    min_vtrust: Option<f64>,
    min_apy_percent: Option<f64>,
    subnet: Option<u16>,
    sort: Sort<Row>,
}

impl Filters {
    /// Reads the filters; invalid values fall back to "no filter" with a notice each.
    fn from_query(get: impl Fn(&str) -> Option<String>) -> (Filters, Vec<String>) {
        let mut notices = Vec::new();
        let subnet = get("subnet").filter(|s| !s.trim().is_empty()).and_then(|raw| {
            let parsed = raw.trim().parse::<u16>().ok();
            if parsed.is_none() {
                notices.push(format!(
                    "Ignored subnet={}: not a subnet id.",
                    crate::query::quoted(&raw)
                ));
            }
            parsed
        });
        let filters = Filters {
            search: get("q").unwrap_or_default(),
            min_stake_tao: number_param(
                get("min_stake").as_deref(),
                "min_stake",
                (0.0, 1e12),
                None,
                &mut notices,
            ),
            max_take_percent: number_param(get("max_take").as_deref(), "max_take", (0.0, 100.0), None, &mut notices),
            min_vtrust: number_param(
                get("min_vtrust").as_deref(),
                "min_vtrust",
                (0.0, 1.0),
                None,
                &mut notices,
            ),
            min_apy_percent: number_param(get("min_apy").as_deref(), "min_apy", (0.0, 1e9), None, &mut notices),
            subnet,
            sort: COLUMNS.parse_sort(get("sort").as_deref(), default_sort(), &mut notices),
        };
        (filters, notices)
    }

    /// The query string that reproduces these filters.
    fn to_query(&self) -> String {
        let number = |v: Option<f64>| v.map(|v| v.to_string());
        query::query_string(&[
            ("q", Some(self.search.clone()).filter(|s| !s.is_empty())),
            ("min_stake", number(self.min_stake_tao)),
            ("max_take", number(self.max_take_percent)),
            ("min_vtrust", number(self.min_vtrust)),
            ("min_apy", number(self.min_apy_percent)),
            ("subnet", self.subnet.map(|s| s.to_string())),
            (
                "sort",
                (self.sort != default_sort()).then(|| COLUMNS.sort_param(self.sort)),
            ),
        ])
    }

    /// Validators that pass the filters, in the chosen order. Validator trust and APY filters and
    /// sorts use the subnet filter's subnet when one is chosen, otherwise the mean over permits
    /// and the stake-weighted APY.
    fn apply(&self, validators: &[Validator], nominators: &HashMap<String, u32>) -> Vec<Row> {
        let vtrust = |v: &Validator| match self.subnet {
            Some(netuid) => v
                .subnets
                .iter()
                .find(|s| s.netuid == netuid && !s.null_consensus)
                .map(|s| s.validator_trust),
            None => v.mean_validator_trust(),
        };
        let apy = |v: &Validator| match self.subnet {
            Some(netuid) => v
                .subnets
                .iter()
                .find(|s| s.netuid == netuid)
                .and_then(ValidatorSubnet::apy),
            None => v.apy(),
        };
        let mut rows: Vec<Row> = validators
            .iter()
            .filter(|v| matches_search(&self.search, &[&v.name, &v.hotkey, &v.coldkey]))
            .filter(|v| {
                self.min_stake_tao
                    .is_none_or(|min| light_client::units::tao_from_rao(v.stake_tao_equivalent_rao) >= min)
            })
            .filter(|v| self.max_take_percent.is_none_or(|max| v.take * 100.0 <= max + 1e-9))
            .filter(|v| self.subnet.is_none_or(|n| v.subnets.iter().any(|s| s.netuid == n)))
            .filter(|v| self.min_vtrust.is_none_or(|min| vtrust(v).is_some_and(|t| t >= min)))
            .filter(|v| {
                self.min_apy_percent
                    .is_none_or(|min| apy(v).is_some_and(|a| a * 100.0 >= min - 1e-9))
            })
            .map(|v| Row {
                validator: v.clone(),
                vtrust: vtrust(v),
                apy: apy(v),
                nominators: nominators.get(&v.hotkey).copied(),
            })
            .collect();
        COLUMNS.sort_rows(&mut rows, self.sort);
        rows
    }
}

fn netuid_cell(s: &ValidatorSubnet) -> AnyView {
    let netuid = s.netuid;
    view! { <A href=format!("/subnets/{netuid}?tab=validators")>{netuid}</A> }.into_any()
}

/// One validator's per-subnet figures.
#[rustfmt::skip]
const SEAT_COLUMNS: Columns<ValidatorSubnet> = Columns(&[
    Column { export: "netuid", label: "Subnet", source: "Subnet id", sort_key: Some("netuid"), numeric: true,
        raw: |s| integer(u64::from(s.netuid)), shown: Shown::View(netuid_cell) },
    Column { export: "uid", label: "UID", source: "Uids(netuid, hotkey)", sort_key: Some("uid"), numeric: true,
        raw: |s| integer(u64::from(s.uid)), shown: Shown::Text(Cell::text) },
    Column { export: "stake_alpha", label: "Stake", source: "TotalHotkeyAlpha", sort_key: Some("stake"), numeric: true,
        raw: |s| integer(s.stake_alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "price_tao_per_alpha", label: "Price", source: "(1 − q)/q × SubnetTAO ÷ SubnetAlphaIn, q = Swap.SwapBalancer quote weight; for a pool with a Swap.SwapSuperellipse curve, SwapRuntimeApi.current_alpha_price_all (see the subnet's page)", sort_key: Some("price"), numeric: true,
        raw: |s| optional(s.price), shown: Shown::Text(|c| format::price(c.sort_number())) },
    Column { export: "validator_trust", label: "V. trust", source: "ValidatorTrust ÷ 65,535 (— on a Null-consensus subnet, where it is zero by design)", sort_key: Some("vtrust"), numeric: true,
        raw: |s| optional((!s.null_consensus).then_some(s.validator_trust)), shown: Shown::Text(fraction) },
    Column { export: "dividends", label: "Dividend share", source: "Dividends ÷ 65,535: share of the subnet's validator emission", sort_key: Some("dividend_share"), numeric: true,
        raw: |s| Cell::Number(s.dividends), shown: Shown::Text(|c| format::percent(c.as_f64())) },
    Column { export: "dividends_alpha", label: "Dividends", source: "AlphaDividendsPerSubnet, last epoch", sort_key: Some("dividends"), numeric: true,
        raw: |s| integer(s.dividends_alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "stake_last_epoch_alpha", label: "", source: "TotalHotkeyAlphaLastEpoch", sort_key: None, numeric: true,
        raw: |s| integer(s.stake_last_epoch_alpha), shown: Shown::ExportOnly },
    Column { export: "tempo", label: "", source: "Tempo", sort_key: None, numeric: true,
        raw: |s| integer(u64::from(s.tempo)), shown: Shown::ExportOnly },
    Column { export: "epoch_spacing_blocks", label: "Epochs every", source: "S = next epoch start − LastEpochBlock: LastEpochBlock + Tempo, or an earlier PendingEpochAt (— for tempo 0)", sort_key: Some("spacing"), numeric: true,
        raw: |s| optional_blocks(s.epoch_spacing.map(|e| e.blocks)), shown: Shown::Text(blocks_text) },
    Column { export: "last_epoch_block", label: "", source: "LastEpochBlock", sort_key: None, numeric: true,
        raw: |s| optional_blocks(s.epoch_spacing.map(|e| e.last_epoch_block)), shown: Shown::ExportOnly },
    Column { export: "next_epoch_start", label: "", source: "LastEpochBlock + Tempo, or PendingEpochAt when that comes first", sort_key: None, numeric: true,
        raw: |s| optional_blocks(s.epoch_spacing.map(|e| e.next_epoch_start)), shown: Shown::ExportOnly },
    Column { export: "apy", label: "APY", source: APY_SOURCE, sort_key: Some("apy"), numeric: true,
        raw: |s| optional(s.apy()), shown: Shown::Text(rate) },
]);

/// A nominator with its share of everything staked to the hotkey.
#[derive(Debug, Clone, PartialEq)]
struct NominatorRow {
    nominator: Nominator,
    share: f64,
    owner: bool,
}

fn nominator_cell(row: &NominatorRow) -> AnyView {
    let coldkey = row.nominator.coldkey.clone();
    let marker = row
        .owner
        .then(|| view! { <span class="badge" title="The coldkey that owns this hotkey">"owner"</span> });
    let (href, shown) = (format!("/account/{coldkey}"), format::short(&coldkey));
    view! { <A href=href attr:title=coldkey>{shown}</A>" "{marker} }.into_any()
}

fn stakes_text(nominator: &Nominator) -> String {
    nominator
        .stakes
        .iter()
        .map(|(netuid, alpha)| format!("SN{netuid}: {}", format::alpha(*alpha)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A delegate's nominators.
#[rustfmt::skip]
const NOMINATOR_COLUMNS: Columns<NominatorRow> = Columns(&[
    Column { export: "coldkey", label: "Coldkey", source: "The coldkey in an AlphaV2(hotkey, coldkey, netuid) key", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.nominator.coldkey.clone()), shown: Shown::View(nominator_cell) },
    Column { export: "stakes", label: "Stake by subnet", source: "TotalHotkeyAlpha × AlphaV2 ÷ TotalHotkeySharesV2 on each subnet", sort_key: None, numeric: false,
        raw: |r| Cell::Text(stakes_text(&r.nominator)), shown: Shown::Text(Cell::text) },
    Column { export: "value_rao", label: "Value", source: "Σ stake × spot price", sort_key: Some("value"), numeric: true,
        raw: |r| integer(r.nominator.value_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "share", label: "Share", source: "Value ÷ the value of all stake on this hotkey", sort_key: Some("share"), numeric: true,
        raw: |r| Cell::Number(r.share), shown: Shown::Text(|c| format::percent(c.as_f64())) },
]);

fn basket_netuid_cell(h: &BasketHolding) -> AnyView {
    let netuid = h.netuid;
    view! { <A href=format!("/subnets/{netuid}")>{netuid}</A> }.into_any()
}

/// What a root basket holds.
#[rustfmt::skip]
const BASKET_COLUMNS: Columns<BasketHolding> = Columns(&[
    Column { export: "netuid", label: "Subnet", source: "A subnet the basket holds α of", sort_key: Some("netuid"), numeric: true,
        raw: |h| integer(u64::from(h.netuid)), shown: Shown::View(basket_netuid_cell) },
    Column { export: "alpha", label: "α held", source: "holdings.alpha", sort_key: Some("alpha"), numeric: true,
        raw: |h| integer(h.alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "spot_rao", label: "At spot", source: "holdings.spot_tao: α × spot price", sort_key: Some("spot"), numeric: true,
        raw: |h| integer(h.spot_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "realizable_rao", label: "Realizable", source: "holdings.realizable_tao: what selling it into the pool would fetch", sort_key: Some("realizable"), numeric: true,
        raw: |h| integer(h.realizable_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
]);

/// A validator's root basket, from `BetaBasketRuntimeApi` (verified over a call proof). Shown
/// only when it has one; a runtime without the API says so.
#[component]
fn RootBasketSection(hotkey: String) -> impl IntoView {
    let live = use_root_basket(hotkey);
    move || {
        // A runtime without the API (from the start, or since an upgrade removed it) says so
        // instead of showing a basket read under the runtime before.
        let unsupported = live
            .error
            .with(|error| matches!(error, Some(light_client::client::QueryError::Unsupported(_))));
        if unsupported || live.data.with(Option::is_none) {
            // No figures: say why when the read failed (a runtime without the API, or an
            // answer of another shape), else show nothing until it arrives.
            let message = live.error.get().map(|error| match error {
                light_client::client::QueryError::Unsupported(_) => {
                    "Root baskets are unsupported by this runtime: it has no BetaBasketRuntimeApi.".to_string()
                }
                other => format!("Couldn't read this validator's root basket: {other}"),
            });
            return message
                .map(|text| view! { <section class="nominators"><h2>"Root basket"</h2><p class="hint" role="status">{text}</p></section> })
                .into_any();
        }
        let Some(basket) = live.data.with(|d| d.as_ref().and_then(|d| d.data.clone())) else {
            return ().into_any();
        };
        let stat = |label: &'static str, title: &'static str, value: String| {
            view! {
                <div class="stat" title=title><div class="stat-label">{label}</div><div class="stat-value">{value}</div></div>
            }
        };
        view! {
            <section class="nominators root-basket" aria-labelledby="basket-title">
                <h2 id="basket-title">"Root basket"</h2>
                <p class="hint">"Since Root Reborn, root stakers' dividends accrue in each validator's basket: a fund of subnet α that stakers own through β tokens and redeem by claiming. These are the runtime's own figures (BetaBasketRuntimeApi.get_validator_basket_summary); the line below the cards says who vouches for them."</p>
                <div class="stats account-summary">
                    {stat("NAV, realizable", "nav_tao: what selling every holding would fetch now", format::tao(basket.nav_rao))}
                    {stat("NAV at spot", "spot_nav_tao: the holdings at spot prices", format::tao(basket.spot_nav_rao))}
                    {stat("Paid in", "deposited_tao over the fund's life", format::tao(basket.deposited_rao))}
                    {stat("Paid out", "redeemed_tao (claims) over the fund's life", format::tao(basket.redeemed_rao))}
                    {stat("Lifetime return", "(NAV + redeemed) ÷ deposited", basket.lifetime_return().map_or("—".into(), |r| format!("{r:.3} ×")))}
                    {stat("β price", "NAV ÷ β supply: τ per β, 1.000 when the fund started", basket.beta_price().map_or("—".into(), |p| format!("{p:.4} τ")))}
                </div>
                <SortedTable columns=BASKET_COLUMNS label="Basket holdings" what="holdings" export_name="root-basket".to_string()
                    rows=basket.holdings.clone() provenance=live.provenance initial=BASKET_COLUMNS.sort("realizable", true)
                    empty="The basket holds nothing."/>
                <p class="hint"><A href="/baskets">"Every validator's basket side by side"</A>" on the basket leaderboard."</p>
            </section>
        }
        .into_any()
    }
}

/// Who stakes to a delegate, read on demand (one descendants read of `AlphaV2` under the hotkey).
#[component]
fn NominatorList(hotkey: String) -> impl IntoView {
    let live = use_nominators(hotkey);
    let rows = Signal::derive(move || {
        live.data.with(|d| {
            let Some(d) = d else { return Vec::new() };
            let total: u64 = d.data.nominators.iter().map(|n| n.value_rao).sum();
            d.data
                .nominators
                .iter()
                .map(|n| NominatorRow {
                    nominator: n.clone(),
                    share: if total == 0 {
                        0.0
                    } else {
                        n.value_rao as f64 / total as f64
                    },
                    owner: n.coldkey == d.data.owner,
                })
                .collect::<Vec<_>>()
        })
    });
    let count = Signal::derive(move || rows.with(Vec::len));
    let largest = Signal::derive(move || rows.with(|rows| rows.iter().map(|r| r.share).fold(0.0, f64::max)));
    view! {
        <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="nominators" error=live.error/> }>
            <p class="lede">{move || format!("{} coldkeys stake to this hotkey; the largest holds {} of its stake.", count.get(), format::percent(largest.get()))}</p>
            <SortedTable columns=NOMINATOR_COLUMNS label="Nominators" what="nominators" export_name="nominators".to_string()
                rows=rows provenance=live.provenance initial=NOMINATOR_COLUMNS.sort("value", true)
                empty="Nobody stakes to this hotkey."/>
        </Show>
    }
}

/// How every figure on these pages is computed.
#[component]
fn Method() -> impl IntoView {
    view! {
        <MethodNotes>
            <dt>"Validators"</dt>
            <dd>"Every hotkey with a SubtensorModule.Delegates entry (open for nomination) at the finalized block."</dd>
            <dt>"Take"</dt>
            <dd>"Delegates(hotkey) ÷ 65,535: the share of dividends the validator keeps before nominators are paid."</dd>
            <dt>"Stake"</dt>
            <dd>"Σ over subnets of TotalHotkeyAlpha(hotkey, subnet) × the subnet's spot price. A TAO value at today's prices, not what unstaking would return after slippage. The price: "{PRICE_METHOD}" Stake on a subnet without a price counts for nothing."</dd>
            <dt>"Subnets"</dt>
            <dd>"Subnets where the hotkey holds a validator permit (ValidatorPermit at its uid in Keys)."</dd>
            <dt>"V. trust (mean, min)"</dt>
            <dd>"ValidatorTrust ÷ 65,535 at its uid on each permitted subnet: how much of its weight agreed with consensus. Mean and lowest over those subnets, leaving out subnets in Null consensus (one validator's weights are taken as set there, so its trust is zero by design); with a subnet filter, that subnet's value."</dd>
            <dt>"Dividends"</dt>
            <dd>"Σ AlphaDividendsPerSubnet(subnet, hotkey) × spot price: the α the validator earned at each subnet's last epoch, valued in TAO. Past epochs do not promise future ones."</dd>
            <dt>"Root basket"</dt>
            <dd>"The runtime's BetaBasketRuntimeApi.get_validator_basket_summary: the α the fund holds per subnet, valued at spot and at what selling it would fetch (realizable); NAV is the realizable total; lifetime return = (NAV + redeemed) ÷ deposited; β price = NAV ÷ β supply, 1 τ per β when the fund started."</dd>
            <dt>"APY (last epoch, annualised)"</dt>
            <dd>"On each subnet, y = D ÷ (T − D), where D = AlphaDividendsPerSubnet(subnet, hotkey), the α the last epoch paid the hotkey's stakers after the validator's take, and T = TotalHotkeyAlphaLastEpoch(hotkey, subnet), its stake once that epoch had paid, so T − D is the stake that earned D. Compounded once per epoch: (1 + y)^(365 × 7,200 ÷ S) − 1, "{ANNUALISED}"; each subnet's S is in the per-subnet table (Epochs every). For a validator: the APYs of its permitted subnets weighted by the TAO value staked there. Both items are read at the block shown, so no stake moved in or out is counted as return. One epoch is a small sample: a figure, not a promise. DelegateInfo's return_per_1000 is not used (in dynamic TAO it adds α of different subnets)."</dd>
        </MethodNotes>
    }
}

/// The validators list.
#[component]
pub fn Validators() -> impl IntoView {
    let live = use_validators();
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| query::read_all(&query::pairs(q), &[], |get| Filters::from_query(|name| get(name))))
    });
    let filters = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let set_filters = Callback::new(move |next: Filters| replace_url.run(format!("/validators{}", next.to_query())));
    let update = move |change: fn(&mut Filters, String)| {
        move |event: leptos::ev::Event| {
            let mut next = filters.get_untracked();
            change(&mut next, event_target_value(&event));
            set_filters.run(next);
        }
    };
    let on_sort = Callback::new(move |sort: Sort<Row>| {
        let mut next = filters.get_untracked();
        next.sort = sort;
        set_filters.run(next);
    });
    let nominators = RwSignal::new(HashMap::<String, u32>::new());
    // Hotkeys ticked for a comparison, in the order ticked (kept across filters and sorts).
    let picked = RwSignal::new(Vec::<String>::new());
    let picker = RowPicker {
        label: "Compare",
        key: |r: &Row| r.validator.hotkey.clone(),
        name: |r: &Row| validator_name(&r.validator),
        picked,
    };
    let counting = RwSignal::new(None::<Vec<String>>);
    let rows = Memo::new(move |_| {
        live.data.with(|d| {
            d.as_ref()
                .map(|d| nominators.with(|n| filters.with(|f| f.apply(&d.data, n))))
        })
    });
    let export = move || {
        let provenance = live.provenance.get_untracked()?;
        rows.with_untracked(|rows| Some(COLUMNS.export("validators".into(), &provenance, rows.as_deref()?)))
    };
    let value_of = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Validators"</h1>
            <p class="lede">"Delegates you can stake with, compared on what the chain itself records. Filter, sort, then open a validator for its per-subnet figures, or "<A href="/shortlist">"let the shortlist rank them by what matters to you"</A>"."</p>
            <Notices notices=notices/>
            <form class="filters" on:submit=|event| event.prevent_default() aria-label="Filter validators">
                <label>"Search"
                    <input type="search" placeholder="name or address" prop:value=move || filters.get().search on:change=update(|f, v| f.search = v)/>
                </label>
                <label>"Min stake (τ)"
                    <input type="number" min="0" step="any" inputmode="decimal" prop:value=move || value_of(filters.get().min_stake_tao)
                        on:change=update(|f, v| f.min_stake_tao = v.trim().parse().ok())/>
                </label>
                <label>"Max take (%)"
                    <input type="number" min="0" max="100" step="any" inputmode="decimal" prop:value=move || value_of(filters.get().max_take_percent)
                        on:change=update(|f, v| f.max_take_percent = v.trim().parse().ok())/>
                </label>
                <label>"Min v. trust (0–1)"
                    <input type="number" min="0" max="1" step="0.01" inputmode="decimal" prop:value=move || value_of(filters.get().min_vtrust)
                        on:change=update(|f, v| f.min_vtrust = v.trim().parse().ok())/>
                </label>
                <label>"Min APY (%)"
                    <input type="number" min="0" step="any" inputmode="decimal" prop:value=move || value_of(filters.get().min_apy_percent)
                        on:change=update(|f, v| f.min_apy_percent = v.trim().parse().ok())/>
                </label>
                <label>"Subnet"
                    <input type="number" min="0" max="65535" step="1" inputmode="numeric" prop:value=move || filters.get().subnet.map(|s| s.to_string()).unwrap_or_default()
                        on:change=update(|f, v| f.subnet = v.trim().parse().ok())/>
                </label>
            </form>
            <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="validators" error=live.error/> }>
                <TableToolbar provenance=live.provenance what="validators"
                    total=Signal::derive(move || live.data.with(|d| d.as_ref().map_or(0, |d| d.data.len())))
                    shown=Signal::derive(move || rows.with(|r| r.as_ref().map_or(0, Vec::len))) table=export/>
                <CompareSelected picked=picked/>
                <DataTable columns=COLUMNS label="Validators" rows=Signal::derive(move || rows.get().unwrap_or_default())
                    sort=Signal::derive(move || filters.get().sort) on_sort=on_sort empty="No validator matches these filters."
                    picker=picker/>
                {move || match counting.get() {
                    None => view! {
                        <p class="hint">
                            <button type="button" class="button" on:click=move |_| {
                                let hotkeys = rows.with_untracked(|r| r.iter().flatten().map(|row| row.validator.hotkey.clone()).collect::<Vec<_>>());
                                counting.set(Some(hotkeys));
                            }>"Count nominators"</button>
                            " of the validators listed: one read of each one's AlphaV2 shares, so it costs bytes in proportion to their stakers (on finney, MBs for the largest); not done until asked."
                        </p>
                    }.into_any(),
                    Some(hotkeys) => view! { <NominatorCounter hotkeys=hotkeys into=nominators/> }.into_any(),
                }}
            </Show>
            <Method/>
        </section>
    }
}

/// The link to compare the ticked validators: enabled for two to four.
#[component]
fn CompareSelected(picked: RwSignal<Vec<String>>) -> impl IntoView {
    move || {
        let picked = picked.get();
        let n = picked.len();
        if (MIN_COMPARED..=MAX_COMPARED).contains(&n) {
            view! {
                <p class="compare-action">
                    <A href=compare_path(&picked) attr:class="button">{format!("Compare selected ({n})")}</A>
                    " side by side at one block."
                </p>
            }
            .into_any()
        } else {
            let why = if n > MAX_COMPARED {
                format!("{n} ticked: a comparison holds at most {MAX_COMPARED}.")
            } else {
                format!("Tick {MIN_COMPARED} to {MAX_COMPARED} validators to compare them ({n} ticked).")
            };
            view! {
                <p class="compare-action">
                    <button type="button" class="button" disabled=true>"Compare selected"</button>
                    " "<span class="muted">{why}</span>
                </p>
            }
            .into_any()
        }
    }
}

/// Counts the nominators of `hotkeys` (following the chain) into `into`, and says what it read.
#[component]
fn NominatorCounter(hotkeys: Vec<String>, into: RwSignal<HashMap<String, u32>>) -> impl IntoView {
    let live = use_nominator_counts(hotkeys);
    Effect::new(move |_| {
        if let Some(snapshot) = live.data.get() {
            into.set(snapshot.data.counts.iter().cloned().collect());
        }
    });
    move || {
        match live.data.get() {
        None => view! { <Pending what="nominator counts" error=live.error/> }.into_any(),
        Some(snapshot) => view! {
            <p class="hint nominator-cost">{format!(
                "Nominators counted at {}: {} of AlphaV2 keys and shares read for {} validators (with the light client, proof nodes come on top).",
                format::block(snapshot.block_number),
                format::data_size(snapshot.data.bytes_read),
                snapshot.data.counts.len()
            )}</p>
        }.into_any(),
    }
    }
}

/// One validator's page, read for that hotkey alone; a hotkey that is not a delegate shows a
/// not-found message with a way back.
#[component]
pub fn ValidatorPage() -> impl IntoView {
    let params = use_params_map();
    let hotkey = Memo::new(move |_| params.with(|p| p.get("hotkey").unwrap_or_default()));
    move || {
        let hotkey = hotkey.get();
        match light_client::ss58::decode(&hotkey) {
            Ok(_) => view! { <ValidatorView hotkey=hotkey/> }.into_any(),
            Err(error) => view! {
                <section class="page" aria-labelledby="page-title">
                    <p class="breadcrumb"><A href="/validators">"Validators"</A>" / "{format::short(&hotkey)}</p>
                    <h1 id="page-title">"Validator not found"</h1>
                    <div class="empty-state">
                        <p>{format!("{hotkey:?} is not an SS58 address ({error}), so no delegate has it.")}</p>
                        <A href="/validators">"Back to all validators"</A>
                    </div>
                </section>
            }
            .into_any(),
        }
    }
}

#[component]
fn ValidatorView(hotkey: String) -> impl IntoView {
    let show_nominators = RwSignal::new(false);
    let live = use_validator(hotkey.clone());
    let shown_hotkey = hotkey.clone();
    // The subnets it validates, for the simulator, which stays put while the figures refresh.
    let seat_netuids = Memo::new(move |_| {
        live.data.with(|d| {
            d.as_ref()
                .and_then(|d| d.data.as_ref())
                .map(|v| v.subnets.iter().map(|seat| seat.netuid).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="page" aria-labelledby="page-title">
            <div class="breadcrumb-row">
                <p class="breadcrumb"><A href="/validators">"Validators"</A>" / "{format::short(&hotkey)}</p>
                // Outside the detail, which is drawn anew with each block's figures: an open form
                // keeps what was typed.
                <AlertButton scope=Scope::Validator(hotkey.clone()) what=format!("validator {hotkey}")/>
            </div>
            <UnknownParameters/>
            {move || match live.data.get() {
                None => view! {
                    <h1 id="page-title">"Validator"</h1>
                    <Pending what="this validator" error=live.error/>
                }.into_any(),
                Some(snapshot) => match snapshot.data.clone() {
                    None => view! {
                        <h1 id="page-title">"Validator not found"</h1>
                        <div class="empty-state">
                            <p>{format!("No delegate with hotkey {} at finalized block {}.", shown_hotkey, format::block(snapshot.block_number))}</p>
                            <A href="/validators">"Back to all validators"</A>
                        </div>
                    }.into_any(),
                    Some(v) => view! { <ValidatorDetail validator=v provenance=live.provenance show_nominators=show_nominators/> }.into_any(),
                },
            }}
            <SwapSimulator netuids=seat_netuids/>
            <Method/>
        </section>
    }
}

#[component]
fn ValidatorDetail(
    validator: Validator,
    #[prop(into)] provenance: Signal<Option<Provenance>>,
    /// Whether the nominators were asked for: kept by the caller, so a new block's figures do
    /// not fold them away again.
    show_nominators: RwSignal<bool>,
) -> impl IntoView {
    let v = validator;
    let url = (!v.url.is_empty()).then(|| match safe_http_url(&v.url) {
        Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{shown(&v.url)}</a> }.into_any(),
        None => {
            view! { <span class="unsafe-url" title="Not a web link: shown as text">{shown(&v.url)}</span> }.into_any()
        }
    });
    let name = format!("validator-{}", format::short(&v.hotkey).replace('…', "-"));
    let nominators_of = v.hotkey.clone();
    view! {
        <header class="subnet-header">
            <h1 id="page-title" class="subnet-name" title=v.name.clone()><bdi>{shown(&validator_name(&v))}</bdi></h1>
            <p class="identity-links">
                <StarButton item=Starred::Validator(v.hotkey.clone()) what=format!("validator {}", v.hotkey)/>
                <span class="identity-link"><span class="identity-label">"Hotkey: "</span><CopyText text=v.hotkey.clone() label="hotkey"/></span>
                <span class="identity-link"><span class="identity-label">"Owner: "</span><CopyText text=v.coldkey.clone() label="coldkey"/></span>
                {url.map(|link| view! { <span class="identity-link"><span class="identity-label">"Website: "</span>{link}</span> })}
            </p>
            <div class="stats">
                <div class="stat" title="Delegates ÷ 65,535"><div class="stat-label">"Take"</div><div class="stat-value">{format::percent(v.take)}</div></div>
                <div class="stat" title="Σ TotalHotkeyAlpha × spot price"><div class="stat-label">"Stake"</div><div class="stat-value">{format::tao(v.stake_tao_equivalent_rao)}</div></div>
                <div class="stat" title="Mean ValidatorTrust over permitted subnets"><div class="stat-label">"Mean v. trust"</div><div class="stat-value">{fraction(&optional(v.mean_validator_trust()))}</div></div>
                <div class="stat" title="Σ AlphaDividendsPerSubnet × spot price"><div class="stat-label">"Dividends, last epochs"</div><div class="stat-value">{format::tao(v.dividends_tao_equivalent_rao())}</div></div>
                <div class="stat" title=APY_SOURCE><div class="stat-label">"APY, last epoch"</div><div class="stat-value">{format::rate(v.apy())}</div></div>
            </div>
        </header>
        <SortedTable columns=SEAT_COLUMNS label="Per-subnet figures" what="subnets with a permit" export_name=name
            rows=v.subnets.clone() provenance=provenance initial=SEAT_COLUMNS.sort("netuid", false)
            empty="This delegate holds no validator permit at this block."/>
        <RootBasketSection hotkey=v.hotkey.clone()/>
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">"History in this browser"</h2>
            <HistoryStatus/>
            <ValidatorHistory hotkey=v.hotkey.clone()/>
        </section>
        <section class="nominators" aria-labelledby="nominators-title">
            <h2 id="nominators-title">"Nominators"</h2>
            <Show when=move || show_nominators.get() fallback=move || view! {
                <p class="hint">"Every coldkey staked to this hotkey, read from its AlphaV2 shares (one read of all keys under the hotkey)."</p>
                <button type="button" class="button" on:click=move |_| show_nominators.set(true)>"Load nominators"</button>
            }>
                <NominatorList hotkey=nominators_of.clone()/>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::fixtures::validator;

    fn filters(pairs: &[(&str, &str)]) -> (Filters, Vec<String>) {
        Filters::from_query(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let (parsed, notices) = filters(&[
            ("min_stake", "10"),
            ("max_take", "18"),
            ("subnet", "2"),
            ("sort", "-take"),
        ]);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(parsed.to_query(), "?min_stake=10&max_take=18&subnet=2&sort=-take");
        assert_eq!(filters(&[]).0.to_query(), "");
    }

    #[test]
    fn invalid_parameters_fall_back_with_notices() {
        let (parsed, notices) = filters(&[("min_vtrust", "2"), ("subnet", "-4"), ("sort", "evil")]);
        assert_eq!(parsed, filters(&[]).0);
        assert_eq!(notices.len(), 3, "{notices:?}");
    }

    #[test]
    fn filtering_and_sorting() {
        let all = vec![
            validator("Alpha", 0.18, 100, &[(1, 0.9, 0), (2, 0.5, 0)]),
            validator("Beta", 0.09, 50, &[(2, 0.95, 0)]),
            validator("Gamma", 0.0, 10, &[]),
        ];
        let names = |f: &Filters| {
            f.apply(&all, &HashMap::new())
                .iter()
                .map(|r| r.validator.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&filters(&[]).0), ["Alpha", "Beta", "Gamma"]);
        assert_eq!(names(&filters(&[("max_take", "10")]).0), ["Beta", "Gamma"]);
        assert_eq!(names(&filters(&[("min_stake", "20")]).0), ["Alpha", "Beta"]);
        assert_eq!(
            names(&filters(&[("subnet", "2"), ("sort", "-vtrust")]).0),
            ["Beta", "Alpha"]
        );
        assert_eq!(
            names(&filters(&[("min_vtrust", "0.8")]).0),
            ["Beta"],
            "Alpha's mean is 0.7"
        );
        assert_eq!(names(&filters(&[("sort", "take")]).0), ["Gamma", "Beta", "Alpha"]);
        assert_eq!(names(&filters(&[("q", "gAm")]).0), ["Gamma"]);
        assert_eq!(
            names(&filters(&[("sort", "-vtrust")]).0),
            ["Beta", "Alpha", "Gamma"],
            "no permits sorts last"
        );
    }

    #[test]
    fn apy_filters_and_sorts_on_the_chosen_subnet_or_overall() {
        let paid = validator("Paid", 0.18, 100, &[(1, 0.9, 10), (2, 0.9, 0)]);
        let all = vec![validator("Unpaid", 0.0, 50, &[(2, 0.95, 0)]), paid];
        let names = |pairs: &[(&str, &str)]| {
            filters(pairs)
                .0
                .apply(&all, &HashMap::new())
                .iter()
                .map(|r| r.validator.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&[("min_apy", "1")]), ["Paid"]);
        assert_eq!(
            names(&[("min_apy", "1"), ("subnet", "2")]),
            Vec::<String>::new(),
            "subnet 2 paid nothing"
        );
        assert_eq!(names(&[("sort", "-apy")]), ["Paid", "Unpaid"], "no APY sorts last");
    }

    #[test]
    fn counted_nominators_join_their_rows_and_sort() {
        let all = vec![
            validator("Few", 0.1, 10, &[]),
            validator("Many", 0.1, 10, &[]),
            validator("Uncounted", 0.1, 10, &[]),
        ];
        let counts = HashMap::from([("5Fewhot".to_string(), 2), ("5Manyhot".to_string(), 40)]);
        let rows = filters(&[("sort", "-nominators")]).0.apply(&all, &counts);
        let shown: Vec<_> = rows.iter().map(|r| (r.validator.name.as_str(), r.nominators)).collect();
        assert_eq!(shown, [("Many", Some(40)), ("Few", Some(2)), ("Uncounted", None)]);
    }

    #[test]
    fn every_column_sorts_and_exports_its_raw_value() {
        let all = vec![
            validator("Alpha", 0.18, 100, &[(1, 0.9, 0), (2, 0.5, 0)]),
            validator("", 0.09, 50, &[(2, 0.95, 0)]),
            validator("Gamma", 0.0, 10, &[]),
        ];
        let rows = filters(&[]).0.apply(&all, &HashMap::new());
        crate::table::check_spec(COLUMNS, &rows);
        crate::table::check_spec(SEAT_COLUMNS, &all[0].subnets);
        assert_eq!(
            (COLUMNS.0[0].raw)(&rows[1]),
            Cell::Text(crate::format::short(&all[1].hotkey)),
            "a nameless validator is named by its hotkey"
        );
    }
}
