//! The basket leaderboard (`/baskets`): every validator's root basket side by side from one
//! verified `BetaBasketRuntimeApi.get_all_validator_baskets` call, sortable through the URL, with
//! each fund's lifetime return and β price computed as the bittensor SDK computes them. A runtime
//! without the method says so instead of showing a table.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use light_client::client::QueryError;
use light_client::model::{RootBasket, Validator, ValidatorBasket};

use crate::components::method::MethodNotes;
use crate::components::state::Pending;
use crate::components::url_state::{Notices, use_replace_url};
use crate::data::{use_validator_baskets, use_validators};
use crate::export::Cell;
use crate::format;
use crate::names::{shown, validator_name};
use crate::query;
use crate::table::view::{DataTable, TableToolbar};
use crate::table::{Column, Columns, Shown, Sort};

/// How many holdings the "Largest holdings" column names.
const TOP_HOLDINGS: usize = 3;

/// One validator's basket as the leaderboard lists it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// The validator's hotkey, SS58.
    hotkey: String,
    /// Its display name: its owner's identity where the validators list has one, else the
    /// shortened hotkey.
    name: String,
    basket: RootBasket,
}

/// The rows for `baskets` in the runtime's order, named from `names` (hotkey → identity name).
fn rows(baskets: &[ValidatorBasket], names: &HashMap<String, String>) -> Vec<Row> {
    baskets
        .iter()
        .map(|b| Row {
            hotkey: b.hotkey.clone(),
            name: names
                .get(&b.hotkey)
                .filter(|name| !name.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| format::short(&b.hotkey)),
            basket: b.basket.clone(),
        })
        .collect()
}

/// The largest `n` holdings by realizable value, each with its share of the fund's NAV:
/// `SN3 62 % · SN1 30 %`, whole percents (empty when it holds nothing).
fn top_holdings(basket: &RootBasket, n: usize) -> String {
    let mut holdings: Vec<_> = basket.holdings.iter().collect();
    holdings.sort_by(|a, b| b.realizable_rao.cmp(&a.realizable_rao).then(a.netuid.cmp(&b.netuid)));
    holdings
        .iter()
        .take(n)
        .map(|h| match basket.nav_rao {
            0 => format!("SN{}", h.netuid),
            nav => format!(
                "SN{} {}\u{a0}%",
                h.netuid,
                format::number(100.0 * h.realizable_rao as f64 / nav as f64, 0)
            ),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What every basket adds up to: how many, their NAV, what came in and went out.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Totals {
    count: usize,
    nav_rao: u128,
    deposited_rao: u128,
    redeemed_rao: u128,
}

impl Totals {
    fn of(baskets: &[ValidatorBasket]) -> Totals {
        let sum = |figure: fn(&RootBasket) -> u64| baskets.iter().map(|b| u128::from(figure(&b.basket))).sum();
        Totals {
            count: baskets.len(),
            nav_rao: sum(|b| b.nav_rao),
            deposited_rao: sum(|b| b.deposited_rao),
            redeemed_rao: sum(|b| b.redeemed_rao),
        }
    }

    /// Every fund together: (Σ NAV + Σ redeemed) ÷ Σ deposited.
    fn lifetime_return(&self) -> Option<f64> {
        (self.deposited_rao > 0).then(|| (self.nav_rao + self.redeemed_rao) as f64 / self.deposited_rao as f64)
    }
}

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

fn optional(value: Option<f64>) -> Cell {
    Cell::Number(value.unwrap_or(f64::NAN))
}

fn tao_cell(cell: &Cell) -> String {
    format::tao(cell.as_u64())
}

fn multiple(cell: &Cell) -> String {
    match cell.as_f64() {
        value if value.is_nan() => "—".to_string(),
        value => format!("{value:.3} ×"),
    }
}

fn beta_price(cell: &Cell) -> String {
    match cell.as_f64() {
        value if value.is_nan() => "—".to_string(),
        value => format!("{value:.4} τ"),
    }
}

fn name_cell(row: &Row) -> AnyView {
    let name = shown(&row.name);
    view! {
        <A href=format!("/validators/{}", row.hotkey) attr:class="name-cell" attr:title=row.hotkey.clone()><bdi>{name}</bdi></A>
    }
    .into_any()
}

/// The leaderboard.
#[rustfmt::skip]
const COLUMNS: Columns<Row> = Columns(&[
    Column { export: "name", label: "Validator", source: "IdentitiesV2 of the hotkey's owner, from the validators list (untrusted text), else the hotkey", sort_key: Some("name"), numeric: false,
        raw: |r| Cell::Text(r.name.clone()), shown: Shown::View(name_cell) },
    Column { export: "hotkey", label: "", source: "BasketSummary.hotkey", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.hotkey.clone()), shown: Shown::ExportOnly },
    Column { export: "nav_rao", label: "NAV", source: "nav_tao: what selling every holding into its pool would fetch now (realizable, after slippage)", sort_key: Some("nav"), numeric: true,
        raw: |r| integer(r.basket.nav_rao), shown: Shown::Text(tao_cell) },
    Column { export: "lifetime_return", label: "Lifetime return", source: "(nav_tao + redeemed_tao) ÷ deposited_tao: what the fund holds and paid out per τ paid in", sort_key: Some("return"), numeric: true,
        raw: |r| optional(r.basket.lifetime_return()), shown: Shown::Text(multiple) },
    Column { export: "beta_price", label: "β price", source: "nav_tao ÷ shares: τ per β (1 τ when the fund started)", sort_key: Some("beta_price"), numeric: true,
        raw: |r| optional(r.basket.beta_price()), shown: Shown::Text(beta_price) },
    Column { export: "spot_nav_rao", label: "Spot NAV", source: "spot_nav_tao: the holdings at spot prices", sort_key: Some("spot_nav"), numeric: true,
        raw: |r| integer(r.basket.spot_nav_rao), shown: Shown::Text(tao_cell) },
    Column { export: "shares", label: "β supply", source: "shares: β in raw units, 10⁹ per β", sort_key: Some("shares"), numeric: true,
        raw: |r| integer(r.basket.shares), shown: Shown::Text(|c| format!("{} β", format::amount(light_client::units::tao_from_rao(c.as_u64())))) },
    Column { export: "deposited_rao", label: "Paid in", source: "deposited_tao: TAO paid into the fund over its life", sort_key: Some("deposited"), numeric: true,
        raw: |r| integer(r.basket.deposited_rao), shown: Shown::Text(tao_cell) },
    Column { export: "redeemed_rao", label: "Paid out", source: "redeemed_tao: TAO paid out of it (claims) over its life", sort_key: Some("redeemed"), numeric: true,
        raw: |r| integer(r.basket.redeemed_rao), shown: Shown::Text(tao_cell) },
    Column { export: "holdings", label: "Holdings", source: "Subnets the fund holds α of (holdings)", sort_key: Some("holdings"), numeric: true,
        raw: |r| integer(r.basket.holdings.len() as u64), shown: Shown::Text(Cell::text) },
    Column { export: "top_holdings", label: "Largest holdings", source: "The largest holdings by realizable_tao, each as a share of nav_tao", sort_key: None, numeric: false,
        raw: |r| Cell::Text(top_holdings(&r.basket, TOP_HOLDINGS)), shown: Shown::Text(Cell::text) },
]);

fn default_sort() -> Sort<Row> {
    COLUMNS.sort("nav", true)
}

/// The order from the query string (`?sort=-return`), with a notice for one it cannot read.
fn sort_from_query(get: impl Fn(&str) -> Option<String>) -> (Sort<Row>, Vec<String>) {
    let mut notices = Vec::new();
    let sort = COLUMNS.parse_sort(get("sort").as_deref(), default_sort(), &mut notices);
    (sort, notices)
}

/// The query string that reproduces `sort`.
fn sort_query(sort: Sort<Row>) -> String {
    query::query_string(&[("sort", (sort != default_sort()).then(|| COLUMNS.sort_param(sort)))])
}

/// What the page says when the runtime lacks the call.
const UNSUPPORTED: &str = "The basket leaderboard is unsupported by this runtime: it has no BetaBasketRuntimeApi.get_all_validator_baskets, the one call that lists every validator's root basket.";

/// The `/baskets` page.
#[component]
pub fn Baskets() -> impl IntoView {
    let live = use_validator_baskets();
    let validators = use_validators();
    let query = use_query_map();
    let parsed = Memo::new(move |_| query.with(|q| query::read_all(&query::pairs(q), &[], |get| sort_from_query(get))));
    let sort = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let on_sort = Callback::new(move |next: Sort<Row>| replace_url.run(format!("/baskets{}", sort_query(next))));
    let names = Memo::new(move |_| {
        validators.data.with(|d| {
            d.as_ref().map_or_else(HashMap::new, |d| {
                d.data
                    .iter()
                    .map(|v: &Validator| (v.hotkey.clone(), validator_name(v)))
                    .collect::<HashMap<_, _>>()
            })
        })
    });
    let unsupported = Memo::new(move |_| live.error.with(|e| matches!(e, Some(QueryError::Unsupported(_)))));
    let table = Memo::new(move |_| {
        live.data.with(|d| {
            d.as_ref().map(|d| {
                let mut rows = names.with(|names| rows(&d.data, names));
                COLUMNS.sort_rows(&mut rows, sort.get());
                rows
            })
        })
    });
    let totals = Memo::new(move |_| live.data.with(|d| d.as_ref().map(|d| Totals::of(&d.data))));
    let export = move || {
        let provenance = live.provenance.get_untracked()?;
        table.with_untracked(|rows| Some(COLUMNS.export("root-baskets".into(), &provenance, rows.as_deref()?)))
    };
    let count = Signal::derive(move || table.with(|r| r.as_ref().map_or(0, Vec::len)));
    view! {
        <section class="page basket-board" aria-labelledby="page-title">
            <h1 id="page-title">"Root baskets"</h1>
            <p class="lede">"Since Root Reborn, root stakers' dividends accrue in each validator's basket: a fund of subnet α that its stakers own through β and redeem by claiming. Here every basket side by side, as the runtime itself values them in one call."</p>
            <Notices notices=notices/>
            {move || {
                if unsupported.get() {
                    // A runtime without the call (from the start, or since an upgrade removed
                    // it): no table of figures read under the runtime before.
                    return view! { <div class="empty-state error" role="alert">{UNSUPPORTED}</div> }.into_any();
                }
                if live.data.with(Option::is_none) {
                    return view! { <Pending what="root baskets" error=live.error/> }.into_any();
                }
                view! {
                    {move || totals.get().map(|t| view! {
                        <div class="stats basket-totals">
                            <div class="stat"><div class="stat-label">"Baskets"</div><div class="stat-value">{t.count}</div></div>
                            <div class="stat" title="Σ nav_tao"><div class="stat-label">"NAV, all baskets"</div><div class="stat-value">{format::tao(u64::try_from(t.nav_rao).unwrap_or(u64::MAX))}</div></div>
                            <div class="stat" title="(Σ nav_tao + Σ redeemed_tao) ÷ Σ deposited_tao">
                                <div class="stat-label">"Lifetime return, all"</div>
                                <div class="stat-value">{t.lifetime_return().map_or("—".to_string(), |r| format!("{r:.3} ×"))}</div>
                            </div>
                        </div>
                    })}
                    <TableToolbar provenance=live.provenance what="baskets" total=count shown=count table=export/>
                    <DataTable columns=COLUMNS label="Root baskets" rows=Signal::derive(move || table.get().unwrap_or_default())
                        sort=sort on_sort=on_sort empty="No validator has a root basket at this block."/>
                }
                .into_any()
            }}
            <Method/>
        </section>
    }
}

/// How every figure on the leaderboard is computed.
#[component]
fn Method() -> impl IntoView {
    view! {
        <MethodNotes>
            <dt>"Baskets"</dt>
            <dd>"The runtime's BetaBasketRuntimeApi.get_all_validator_baskets at the finalized block named above the table: one summary per validator with a basket (each key of the BasketShares map), verified over one call proof. Every figure in a row is the runtime's own answer or computed from it; nothing else is read for them."</dd>
            <dt>"NAV, spot NAV"</dt>
            <dd>"nav_tao: what selling every holding into its subnet's pool would fetch now, after slippage (realizable); spot_nav_tao: the same α at spot prices. The gap is what the pools' depth costs."</dd>
            <dt>"Lifetime return"</dt>
            <dd>"(nav_tao + redeemed_tao) ÷ deposited_tao: what the fund holds and has paid out per τ paid in over its life, as the bittensor SDK computes it. Above 1 × the fund has grown; it says nothing about when the τ came in."</dd>
            <dt>"β price"</dt>
            <dd>"nav_tao ÷ shares: τ per β (both in units of 10⁻⁹), 1 τ per β when the fund started, as the SDK computes it."</dd>
            <dt>"Paid in, paid out, holdings"</dt>
            <dd>"deposited_tao and redeemed_tao over the fund's life; holdings, the α it holds per subnet with its value at spot (spot_tao) and realizable (realizable_tao). Largest holdings: by realizable_tao, as a share of nav_tao."</dd>
            <dt>"All baskets"</dt>
            <dd>"Sums over the rows: Σ nav_tao, and (Σ nav_tao + Σ redeemed_tao) ÷ Σ deposited_tao."</dd>
            <dt>"Validator"</dt>
            <dd>"The hotkey's owner's on-chain identity (IdentitiesV2), taken from the validators list, which is read at its own block; a hotkey it does not list shows shortened."</dd>
        </MethodNotes>
    }
}

#[cfg(test)]
mod tests {
    use light_client::model::BasketHolding;

    use super::*;

    fn basket(nav: u64, deposited: u64, redeemed: u64, holdings: &[(u16, u64)]) -> RootBasket {
        RootBasket {
            shares: 800,
            nav_rao: nav,
            spot_nav_rao: nav + 50,
            deposited_rao: deposited,
            redeemed_rao: redeemed,
            holdings: holdings
                .iter()
                .map(|&(netuid, realizable_rao)| BasketHolding {
                    netuid,
                    alpha: 1,
                    spot_rao: realizable_rao + 1,
                    realizable_rao,
                })
                .collect(),
        }
    }

    fn listed(hotkey: &str, basket: RootBasket) -> ValidatorBasket {
        ValidatorBasket {
            hotkey: hotkey.into(),
            basket,
        }
    }

    #[test]
    fn the_largest_holdings_are_named_with_their_share_of_nav() {
        let b = basket(1_000, 1_000, 0, &[(1, 100), (3, 600), (7, 300), (9, 0)]);
        assert_eq!(top_holdings(&b, 3), "SN3 60\u{a0}% · SN7 30\u{a0}% · SN1 10\u{a0}%");
        assert_eq!(top_holdings(&basket(0, 1, 0, &[(4, 0)]), 3), "SN4", "no NAV: no share");
        assert_eq!(top_holdings(&basket(0, 1, 0, &[]), 3), "");
    }

    #[test]
    fn totals_add_every_fund() {
        let all = [
            listed("a", basket(900, 1_000, 300, &[])),
            listed("b", basket(100, 1_000, 0, &[])),
        ];
        let totals = Totals::of(&all);
        assert_eq!((totals.count, totals.nav_rao, totals.deposited_rao), (2, 1_000, 2_000));
        assert_eq!(totals.lifetime_return(), Some(0.65));
        assert_eq!(Totals::of(&[]).lifetime_return(), None);
    }

    #[test]
    fn rows_are_named_from_the_validators_list_or_by_their_hotkey() {
        let hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
        let names = HashMap::from([("5Named".to_string(), "Alpha \u{202E}".to_string())]);
        let rows = rows(
            &[
                listed("5Named", basket(1, 1, 0, &[])),
                listed(hotkey, basket(2, 1, 0, &[])),
            ],
            &names,
        );
        assert_eq!(
            rows[0].name, "Alpha \u{202E}",
            "exact in the row; `shown` escapes it on screen"
        );
        assert_eq!(rows[1].name, format::short(hotkey));
    }

    #[test]
    fn the_columns_sort_and_export_their_raw_values() {
        let names = HashMap::new();
        let all = [
            listed("5a", basket(900, 1_000, 300, &[(1, 900)])),
            listed("5b", basket(100, 0, 0, &[])),
            listed("5c", basket(2_000, 1_000, 0, &[(2, 1_500), (3, 500)])),
        ];
        let mut rows = rows(&all, &names);
        crate::table::check_spec(COLUMNS, &rows);
        COLUMNS.sort_rows(&mut rows, COLUMNS.sort("return", true));
        let order: Vec<&str> = rows.iter().map(|r| r.hotkey.as_str()).collect();
        assert_eq!(order, ["5c", "5a", "5b"], "no deposits: no return, listed last");
    }

    #[test]
    fn the_order_round_trips_through_the_url() {
        let (sort, notices) = sort_from_query(|_| None);
        assert_eq!((sort, notices.len()), (default_sort(), 0));
        assert_eq!(sort_query(sort), "");
        let return_up = COLUMNS.sort("return", false);
        assert_eq!(sort_query(return_up), "?sort=return");
        let (parsed, _) = sort_from_query(|name| (name == "sort").then(|| "return".to_string()));
        assert_eq!(parsed, return_up);
        let (fallback, notices) = sort_from_query(|_| Some("-weight".into()));
        assert_eq!(fallback, default_sort());
        assert!(notices[0].contains("sortable columns are name, nav"), "{notices:?}");
    }
}
