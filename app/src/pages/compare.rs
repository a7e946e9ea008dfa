//! Validators side by side (`/compare?v=HK1,HK2,…`, two to four): take, stake, permits, trust
//! and last-epoch APY per subnet, windowed yields where this browser has history, root baskets,
//! nominators on request and the shortlist's warnings, all read at one finalized block. The best
//! figure of each row is marked in words, the method is stated, and the link reproduces the view.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use light_client::model::{RootBasket, Validator};

use crate::components::export::CopyText;
use crate::components::method::{ANNUALISED, MethodNotes, PRICE_METHOD};
use crate::components::state::Pending;
use crate::components::url_state::Notices;
use crate::data::history::use_history;
use crate::data::{Compared, use_compared, use_nominator_counts, use_validators};
use crate::export::{Cell, Table};
use crate::format;
use crate::history;
use crate::names::{shown, validator_name};
use crate::pages::shortlist::{self, Warning};
use crate::query::{self, MAX_COMPARED, MIN_COMPARED, compare_path, quoted};
use crate::table::view::TableToolbar;

/// The hotkeys `v=` names (comma- or space-separated): valid SS58 addresses, each once, the first
/// four; a notice for every entry left out and for a list cut to four.
fn parse_selection(raw: Option<&str>) -> (Vec<String>, Vec<String>) {
    let mut hotkeys: Vec<String> = Vec::new();
    let mut notices = Vec::new();
    let mut beyond = 0;
    let entries = raw
        .unwrap_or_default()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|entry| !entry.is_empty());
    for entry in entries {
        match light_client::ss58::decode(entry) {
            Err(error) => notices.push(format!(
                "Ignored {} in v=: not an SS58 address ({error}).",
                quoted(entry)
            )),
            Ok(_) if hotkeys.iter().any(|h| h == entry) => {
                notices.push(format!("Ignored {} in v=: it is listed twice.", quoted(entry)));
            }
            Ok(_) if hotkeys.len() == MAX_COMPARED => beyond += 1,
            Ok(_) => hotkeys.push(entry.to_string()),
        }
    }
    if beyond > 0 {
        notices.push(format!(
            "v= names {} validators; a comparison holds at most {MAX_COMPARED}: comparing the first {MAX_COMPARED}.",
            MAX_COMPARED + beyond
        ));
    }
    (hotkeys, notices)
}

/// Which way a row's figure is better, if either is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Better {
    Higher,
    Lower,
    /// Neither: more stake or a bigger basket is not better for a staker in itself.
    Neither,
}

/// Which cells of a row are its best: the highest (or lowest) of the known values, only when at
/// least two are known and they differ. Ties for best are all marked.
fn best_cells(values: &[Option<f64>], better: Better) -> Vec<bool> {
    let known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let all_same = known
        .windows(2)
        .all(|w| (w[0] - w[1]).abs() <= 1e-12 * w[0].abs().max(1.0));
    let best = match better {
        _ if known.len() < 2 || all_same => None,
        Better::Higher => known.iter().copied().reduce(f64::max),
        Better::Lower => known.iter().copied().reduce(f64::min),
        Better::Neither => None,
    };
    values
        .iter()
        .map(|v| match (v, best) {
            (Some(v), Some(best)) => (v - best).abs() <= 1e-12 * best.abs().max(1.0),
            _ => false,
        })
        .collect()
}

/// Whether every validator has the same known figure (and at least two have one).
fn no_difference(values: &[Option<f64>]) -> bool {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    values.len() >= 2
        && known.len() == values.len()
        && known
            .windows(2)
            .all(|w| (w[0] - w[1]).abs() <= 1e-12 * w[0].abs().max(1.0))
}

/// One row of the comparison: a figure for each validator.
#[derive(Debug, Clone, PartialEq)]
struct FigureRow {
    /// Row header ("Take", "SN3 APY").
    label: String,
    /// What it is and the chain items behind it (the header's tooltip).
    source: &'static str,
    /// The figure per validator, for marking (`None`: no such figure).
    values: Vec<Option<f64>>,
    /// The cell text per validator.
    texts: Vec<String>,
    better: Better,
}

impl FigureRow {
    fn new(
        label: impl Into<String>,
        source: &'static str,
        better: Better,
        validators: &[Option<&Validator>],
        value: impl Fn(&Validator) -> Option<f64>,
        text: impl Fn(Option<f64>) -> String,
    ) -> FigureRow {
        let values: Vec<Option<f64>> = validators.iter().map(|v| v.and_then(&value)).collect();
        FigureRow {
            label: label.into(),
            source,
            texts: values.iter().map(|v| text(*v)).collect(),
            values,
            better,
        }
    }
}

const APY_SOURCE: &str = "Last epoch, annualised: (1 + D ÷ (T − D))^(365 × 7,200 ÷ S) − 1, D = AlphaDividendsPerSubnet (after take), T = TotalHotkeyAlphaLastEpoch, S = next epoch start − LastEpochBlock";

fn trust_text(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |t| format!("{t:.4}"))
}

fn basket_of(compared: &Compared) -> Option<&RootBasket> {
    compared.basket.as_ref().ok().and_then(Option::as_ref)
}

/// The comparison's rows: validator-wide figures, then trust and APY on every subnet any of them
/// validates on ("—" where one does not), then the root baskets.
fn figure_rows(compared: &[Compared]) -> Vec<FigureRow> {
    let validators: Vec<Option<&Validator>> = compared.iter().map(|c| c.validator.as_ref()).collect();
    let mut rows = vec![
        FigureRow::new(
            "Take",
            "Delegates ÷ 65,535: the share of dividends the validator keeps",
            Better::Lower,
            &validators,
            |v| Some(v.take),
            |t| t.map_or("—".into(), format::percent),
        ),
        FigureRow::new(
            "Stake",
            "Σ TotalHotkeyAlpha × spot price (more is not better for you: see the warnings)",
            Better::Neither,
            &validators,
            |v| Some(v.stake_tao_equivalent_rao as f64),
            |s| s.map_or("—".into(), |s| format::tao(s as u64)),
        ),
        FigureRow::new(
            "Permits (subnets)",
            "Subnets with a validator permit",
            Better::Higher,
            &validators,
            |v| Some(v.subnets.len() as f64),
            |n| n.map_or("—".into(), |n| format!("{n:.0}")),
        ),
        FigureRow::new(
            "Mean v. trust",
            "Mean ValidatorTrust over permitted subnets in Yuma consensus",
            Better::Higher,
            &validators,
            Validator::mean_validator_trust,
            trust_text,
        ),
        FigureRow::new(
            "APY, last epoch",
            "The per-subnet APYs weighted by the TAO value staked on each",
            Better::Higher,
            &validators,
            Validator::apy,
            format::rate,
        ),
    ];
    let mut netuids: Vec<u16> = validators
        .iter()
        .flatten()
        .flat_map(|v| v.subnets.iter().map(|s| s.netuid))
        .collect();
    netuids.sort_unstable();
    netuids.dedup();
    for netuid in netuids {
        let seat = move |v: &Validator| v.subnets.iter().find(|s| s.netuid == netuid).cloned();
        rows.push(FigureRow::new(
            format!("SN{netuid} v. trust"),
            "ValidatorTrust ÷ 65,535 on this subnet (— without a permit, or in Null consensus)",
            Better::Higher,
            &validators,
            move |v| seat(v).filter(|s| !s.null_consensus).map(|s| s.validator_trust),
            trust_text,
        ));
        rows.push(FigureRow::new(
            format!("SN{netuid} APY"),
            APY_SOURCE,
            Better::Higher,
            &validators,
            move |v| seat(v).and_then(|s| s.apy()),
            format::rate,
        ));
    }
    let basket_text = |c: &Compared, figure: &dyn Fn(&RootBasket) -> String| match &c.basket {
        Err(_) => "unsupported by this runtime".to_string(),
        Ok(None) => "no basket".to_string(),
        Ok(Some(basket)) => figure(basket),
    };
    let nav: Vec<Option<f64>> = compared
        .iter()
        .map(|c| basket_of(c).map(|b| b.nav_rao as f64))
        .collect();
    rows.push(FigureRow {
        label: "Root basket NAV".into(),
        source: "BetaBasketRuntimeApi.get_validator_basket_summary nav_tao: what selling every holding would fetch",
        values: nav,
        texts: compared
            .iter()
            .map(|c| basket_text(c, &|b: &RootBasket| format::tao(b.nav_rao)))
            .collect(),
        better: Better::Neither,
    });
    rows.push(FigureRow {
        label: "Root basket lifetime return".into(),
        source: "(NAV + redeemed) ÷ deposited, from the runtime's basket summary",
        values: compared
            .iter()
            .map(|c| basket_of(c).and_then(RootBasket::lifetime_return))
            .collect(),
        texts: compared
            .iter()
            .map(|c| {
                basket_text(c, &|b: &RootBasket| {
                    b.lifetime_return().map_or("—".into(), |r| format!("{r:.3} ×"))
                })
            })
            .collect(),
        better: Better::Higher,
    });
    rows
}

/// The comparison as an export: one row per figure and validator (`netuid` empty for
/// validator-wide figures), raw values as each validator's own page exports them.
fn export_rows(compared: &[Compared]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let number = |v: Option<f64>| Cell::Number(v.unwrap_or(f64::NAN));
    for c in compared {
        let mut push = |figure: &str, netuid: Option<u16>, value: Cell| {
            rows.push(vec![
                Cell::Text(c.hotkey.clone()),
                Cell::Text(figure.to_string()),
                netuid.map_or(Cell::Number(f64::NAN), |n| Cell::Integer(n.into())),
                value,
            ]);
        };
        let Some(v) = &c.validator else {
            push("delegate", None, Cell::Bool(false));
            continue;
        };
        push("name", None, Cell::Text(validator_name(v)));
        push("take", None, Cell::Number(v.take));
        push(
            "stake_tao_equivalent_rao",
            None,
            Cell::Integer(v.stake_tao_equivalent_rao.into()),
        );
        push("permit_count", None, Cell::Integer(v.subnets.len() as u128));
        push("mean_validator_trust", None, number(v.mean_validator_trust()));
        push("apy", None, number(v.apy()));
        for s in &v.subnets {
            push(
                "validator_trust",
                Some(s.netuid),
                number((!s.null_consensus).then_some(s.validator_trust)),
            );
            push("apy", Some(s.netuid), number(s.apy()));
            push(
                "dividends_alpha",
                Some(s.netuid),
                Cell::Integer(s.dividends_alpha.into()),
            );
            push(
                "stake_last_epoch_alpha",
                Some(s.netuid),
                Cell::Integer(s.stake_last_epoch_alpha.into()),
            );
            push(
                "epoch_spacing_blocks",
                Some(s.netuid),
                number(s.epoch_spacing.map(|e| e.blocks as f64)),
            );
        }
        match &c.basket {
            Err(why) => push("root_basket", None, Cell::Text(format!("unsupported: {why}"))),
            Ok(None) => push("root_basket", None, Cell::Text("none".into())),
            Ok(Some(b)) => {
                push("root_basket_nav_rao", None, Cell::Integer(b.nav_rao.into()));
                push("root_basket_spot_nav_rao", None, Cell::Integer(b.spot_nav_rao.into()));
                push("root_basket_lifetime_return", None, number(b.lifetime_return()));
            }
        }
    }
    rows
}

/// The comparison page.
#[component]
pub fn Compare() -> impl IntoView {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| query::read_all(&query::pairs(q), &[], |get| parse_selection(get("v").as_deref())))
    });
    let hotkeys = Memo::new(move |_| parsed.with(|p| p.0.clone()));
    let notices = Signal::derive(move || parsed.with(|p| p.1.clone()));
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/validators">"Validators"</A>" / Compare"</p>
            <h1 id="page-title">"Compare validators"</h1>
            <p class="lede">"Two to four delegates side by side, every figure read at the same finalized block. The best figure of each row is marked “best”; where higher is not better (stake, basket size) nothing is marked."</p>
            <Notices notices=notices closing="The rest are compared."/>
            {move || {
                let hotkeys = hotkeys.get();
                if hotkeys.len() < MIN_COMPARED {
                    view! {
                        <div class="empty-state">
                            <p>{format!("A comparison needs {MIN_COMPARED} to {MAX_COMPARED} validator hotkeys in the link (/compare?v=HOTKEY,HOTKEY); this one has {}.", hotkeys.len())}</p>
                            <p><A href="/validators">"Select validators in the list"</A>" or "<A href="/shortlist">"compare the shortlist's top picks"</A>"."</p>
                        </div>
                    }.into_any()
                } else {
                    view! { <Comparison hotkeys=hotkeys/> }.into_any()
                }
            }}
            <Method/>
        </section>
    }
}

/// The figures of `hotkeys`, read together at one block.
#[component]
fn Comparison(hotkeys: Vec<String>) -> impl IntoView {
    let live = use_compared(hotkeys.clone());
    let everyone = use_validators();
    let link = compare_path(&hotkeys);
    let count = hotkeys.len();
    // Kept here, so a new block's figures do not fold the counts away again.
    let nominators_asked = RwSignal::new(false);
    let export = move || {
        let provenance = live.provenance.get_untracked()?;
        let snapshot = live.data.get_untracked()?;
        Some(Table {
            name: "compare".into(),
            block_number: provenance.confirmed.number,
            block_hash: provenance.confirmed.hash.clone(),
            source: provenance.source.clone(),
            columns: vec!["hotkey", "figure", "netuid", "value"],
            rows: export_rows(&snapshot.data),
        })
    };
    view! {
        <p class="hint compare-link">"Link to this comparison: "<CopyText text=format!("{}{link}", origin()) label="link"/></p>
        <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="these validators" error=live.error/> }>
            <TableToolbar provenance=live.provenance what="validators" total=Signal::derive(move || count) shown=Signal::derive(move || count) table=export>
                <span class="same-block" data-block=move || live.provenance.with(|p| p.as_ref().map(|p| p.confirmed.number.to_string()))>
                    {move || live.provenance.with(|p| p.as_ref().map(|p| format!("Same block: all {count} read at {}", format::block(p.confirmed.number))))}
                </span>
            </TableToolbar>
            {move || live.data.get().map(|snapshot| view! { <CompareTable compared=snapshot.data.clone() everyone=everyone nominators_asked=nominators_asked/> })}
        </Show>
    }
}

/// The page's origin (`https://host`), for the shareable link.
fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn cell_view(text: String, best: bool) -> AnyView {
    if best {
        view! { <td class="num best"><span>{text}</span>" "<span class="best-mark">"best"</span></td> }.into_any()
    } else {
        view! { <td class="num">{text}</td> }.into_any()
    }
}

fn row_view(row: FigureRow) -> AnyView {
    let marks = best_cells(&row.values, row.better);
    let same = no_difference(&row.values);
    let cells = row
        .texts
        .into_iter()
        .zip(marks)
        .map(|(text, best)| cell_view(text, best))
        .collect_view();
    view! {
        <tr>
            <th scope="row" title=row.source>{row.label}{same.then(|| view! { <span class="muted">" · same"</span> })}</th>
            {cells}
        </tr>
    }
    .into_any()
}

/// The side-by-side table: a column per validator, a row per figure.
#[component]
fn CompareTable(
    compared: Vec<Compared>,
    everyone: crate::data::Live<Vec<Validator>>,
    /// Whether the nominator counts were asked for.
    nominators_asked: RwSignal<bool>,
) -> impl IntoView {
    let hotkeys: Vec<String> = compared.iter().map(|c| c.hotkey.clone()).collect();
    let headers = compared
        .iter()
        .map(|c| match &c.validator {
            Some(v) => {
                let name = shown(&validator_name(v));
                view! {
                <th scope="col">
                    <A href=format!("/validators/{}", v.hotkey) attr:class="name-cell" attr:title=v.name.clone()><bdi>{name}</bdi></A>
                    <br/><CopyText text=v.hotkey.clone() label="hotkey"/>
                </th>
                }
                .into_any()
            }
            None => view! {
                <th scope="col"><span class="mono">{format::short(&c.hotkey)}</span><br/><span class="muted">"not a delegate at this block"</span></th>
            }
            .into_any(),
        })
        .collect_view();
    let width = compared.len() + 1;
    let rows = figure_rows(&compared).into_iter().map(row_view).collect_view();
    let validators: Vec<Option<Validator>> = compared.iter().map(|c| c.validator.clone()).collect();
    view! {
        <div class="table-wrap compare-wrap">
            <table class="data-table compare-table" aria-label="Validators compared">
                <thead><tr><th scope="col">"Figure"</th>{headers}</tr></thead>
                <tbody>
                    {rows}
                    <WindowedRows hotkeys=hotkeys.clone() width=width/>
                    <NominatorRow hotkeys=hotkeys.clone() asked=nominators_asked/>
                    <WarningRow validators=validators everyone=everyone/>
                </tbody>
            </table>
        </div>
    }
}

/// The windows a yield is compared over.
const WINDOWS: [(&str, f64); 3] = [
    ("1 day", 86_400_000.0),
    ("7 days", 604_800_000.0),
    ("30 days", 2_592_000_000.0),
];

/// Yields over 1, 7 and 30 days from the points this browser recorded of each validator, where
/// they cover the window; a single row saying so where no validator has any.
#[component]
fn WindowedRows(hotkeys: Vec<String>, width: usize) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let hotkeys = StoredValue::new(hotkeys);
    let rows = move || {
        if !store.shown() {
            return view! { <tr><th scope="row">"Windowed yield"</th><td colspan=(width - 1).to_string() class="muted">"Not shown for data a trusted RPC node serves."</td></tr> }.into_any();
        }
        let series: Vec<Vec<history::ValidatorPoint>> = store.history.with(|h| {
            hotkeys.with_value(|hotkeys| {
                hotkeys
                    .iter()
                    .map(|hotkey| {
                        h.validators
                            .iter()
                            .find(|s| &s.hotkey == hotkey)
                            .map(|s| s.points.clone())
                            .unwrap_or_default()
                    })
                    .collect()
            })
        });
        if series.iter().all(Vec::is_empty) {
            return view! {
                <tr><th scope="row" title="From the points this browser recorded while each validator was starred">"Windowed yield"</th>
                <td colspan=(width - 1).to_string() class="muted">"This browser has no history of these validators: star them to record it."</td></tr>
            }.into_any();
        }
        let now = js_sys::Date::now();
        WINDOWS
            .iter()
            .map(|(name, window)| {
                let values: Vec<Option<f64>> = series
                    .iter()
                    .map(|points| {
                        history::covers(points, now, *window)
                            .then(|| history::windowed_yield(points, now - window).map(|y| y.apy))
                            .flatten()
                    })
                    .collect();
                let texts = series
                    .iter()
                    .zip(&values)
                    .map(|(points, value)| match value {
                        Some(_) => format::rate(*value),
                        None if history::covers(points, now, *window) => "no epoch paid".to_string(),
                        None => "no history".to_string(),
                    })
                    .collect();
                row_view(FigureRow {
                    label: format!("APY over {name} (this browser)"),
                    source: "Each recorded epoch's D ÷ (T − D), compounded over the epochs this browser saw in the window and annualised on the subnet's epoch spacing; seats weighted by value",
                    values,
                    texts,
                    better: Better::Higher,
                })
            })
            .collect_view()
            .into_any()
    };
    view! { {rows} }.into_any()
}

/// Nominator counts, read on request (a read of every share under each hotkey).
#[component]
fn NominatorRow(hotkeys: Vec<String>, asked: RwSignal<bool>) -> impl IntoView {
    let width = hotkeys.len();
    let hotkeys = StoredValue::new(hotkeys);
    move || {
        if asked.get() {
            view! { <NominatorCells hotkeys=hotkeys.get_value()/> }.into_any()
        } else {
            view! {
                <tr>
                    <th scope="row" title="Coldkeys with AlphaV2 shares of the hotkey">"Nominators"</th>
                    <td colspan=width.to_string()>
                        <button type="button" class="button" on:click=move |_| asked.set(true)>"Count nominators"</button>
                        <span class="muted">" one read of each one's AlphaV2 shares; costs bytes in proportion to their stakers"</span>
                    </td>
                </tr>
            }.into_any()
        }
    }
}

/// The counts, once read, with the block they were read at.
#[component]
fn NominatorCells(hotkeys: Vec<String>) -> impl IntoView {
    let width = hotkeys.len();
    let live = use_nominator_counts(hotkeys.clone());
    move || {
        match live.data.get() {
        None => view! {
            <tr><th scope="row">"Nominators"</th><td colspan=width.to_string()><Pending what="nominator counts" error=live.error/></td></tr>
        }.into_any(),
        Some(snapshot) => {
            let values: Vec<Option<f64>> = hotkeys
                .iter()
                .map(|h| snapshot.data.counts.iter().find(|(k, _)| k == h).map(|(_, n)| f64::from(*n)))
                .collect();
            let block = live.provenance.with(|p| p.as_ref().map_or(snapshot.block_number, |p| p.confirmed.number));
            let label = format!("Nominators (at {})", format::block(block));
            row_view(FigureRow {
                label,
                source: "Coldkeys with AlphaV2 shares of the hotkey, counted at the block named",
                texts: values.iter().map(|v| v.map_or("—".into(), |n| format!("{n:.0}"))).collect(),
                values,
                better: Better::Neither,
            })
        }
    }
    }
}

/// The shortlist's warnings for each validator, with the share of all delegated stake taken from
/// the validators list (its block named).
#[component]
fn WarningRow(validators: Vec<Option<Validator>>, everyone: crate::data::Live<Vec<Validator>>) -> impl IntoView {
    move || {
        let total = everyone.data.with(|d| {
            d.as_ref().map(|d| {
                (
                    d.data.iter().map(|v| v.stake_tao_equivalent_rao as f64).sum::<f64>(),
                    everyone
                        .provenance
                        .with(|p| p.as_ref().map_or(d.block_number, |p| p.confirmed.number)),
                )
            })
        });
        let lists: Vec<Option<Vec<Warning>>> = validators
            .iter()
            .map(|v| {
                let v = v.as_ref()?;
                let share = total.map_or(0.0, |(total, _)| shortlist::stake_share(v, total));
                Some(shortlist::warnings(v, None, share))
            })
            .collect();
        let values: Vec<Option<f64>> = lists.iter().map(|l| l.as_ref().map(|l| l.len() as f64)).collect();
        let marks = best_cells(&values, Better::Lower);
        let cells = lists
            .into_iter()
            .zip(marks)
            .map(|(list, best)| match list {
                None => view! { <td>"—"</td> }.into_any(),
                Some(list) if list.is_empty() => view! { <td class:best=best>"None"{best.then(|| view! { " "<span class="best-mark">"fewest"</span> })}</td> }.into_any(),
                Some(list) => {
                    let items = list
                        .iter()
                        .map(|w| view! { <li class="warning" title=w.explanation()><strong>{w.title()}</strong></li> })
                        .collect_view();
                    view! { <td class:best=best><ul class="warnings">{items}</ul>{best.then(|| view! { <span class="best-mark">"fewest"</span> })}</td> }.into_any()
                }
            })
            .collect_view();
        let label = match total {
            Some((_, block)) => format!("Warnings (stake share at {})", format::block(block)),
            None => "Warnings (stake share pending)".to_string(),
        };
        view! {
            <tr class="warning-row">
                <th scope="row" title="The shortlist's warnings; the share of all delegated stake comes from the validators list at the block named">{label}</th>
                {cells}
            </tr>
        }
    }
}

/// How every figure on this page is computed: the validator page's texts, and the shortlist's.
#[component]
fn Method() -> impl IntoView {
    view! {
        <MethodNotes>
            <dt>"One block"</dt>
            <dd>"Every compared validator and its root basket is read at the same finalized block, held while the reads run, by the same queries its own page runs; the toolbar names that block. Nominator counts are read on request and name their own block; the warnings' share of all stake comes from the validators list, whose block the row names."</dd>
            <dt>"Take"</dt>
            <dd>"Delegates(hotkey) ÷ 65,535: the share of dividends the validator keeps before nominators are paid. Lower is marked best."</dd>
            <dt>"Stake"</dt>
            <dd>"Σ over subnets of TotalHotkeyAlpha(hotkey, subnet) × the subnet's spot price. The price: "{PRICE_METHOD}" Not marked: more stake is not better for a staker."</dd>
            <dt>"Permits, v. trust"</dt>
            <dd>"Subnets where the hotkey holds a validator permit (ValidatorPermit at its uid in Keys); ValidatorTrust ÷ 65,535 at its uid on each, and their mean, leaving out subnets in Null consensus (trust is zero there by design). A subnet where a validator holds no permit shows —."</dd>
            <dt>"APY (last epoch, annualised)"</dt>
            <dd>"On each subnet, y = D ÷ (T − D), D = AlphaDividendsPerSubnet(subnet, hotkey), T = TotalHotkeyAlphaLastEpoch(hotkey, subnet). Compounded once per epoch: (1 + y)^(365 × 7,200 ÷ S) − 1, "{ANNUALISED}". Validator-wide: the subnets' APYs weighted by the TAO value staked there."</dd>
            <dt>"Windowed yield"</dt>
            <dd>"From the points this browser recorded (only while a validator is starred): each epoch seen in the window compounds, annualised on its subnet's spacing, seats weighted by value; a window the points do not cover says “no history”."</dd>
            <dt>"Root basket"</dt>
            <dd>"The runtime's BetaBasketRuntimeApi.get_validator_basket_summary: NAV is what selling every holding would fetch; lifetime return = (NAV + redeemed) ÷ deposited. A runtime without the API says “unsupported”."</dd>
            <dt>"Warnings"</dt>
            <dd>{shortlist::warnings_method()}</dd>
            <dt>"Best"</dt>
            <dd>"In each row where a direction is better (lower take, higher trust and APY, more permits, fewer warnings) and the figures differ, the best is marked with the word “best”; a row where all are equal says “same”."</dd>
        </MethodNotes>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::fixtures::validator;

    fn hotkey(seed: u8) -> String {
        // A valid address: SS58 of a 32-byte key (prefix 42).
        let key = [seed; 32];
        light_client::ss58::encode(&key)
    }

    #[test]
    fn the_list_is_parsed_and_round_trips() {
        let (a, b, c) = (hotkey(1), hotkey(2), hotkey(3));
        let (parsed, notices) = parse_selection(Some(&format!("{a},{b} {c}")));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(parsed, [a.clone(), b.clone(), c.clone()]);
        let path = compare_path(&parsed);
        assert_eq!(path, format!("/compare?v={a},{b},{c}"));
        let again = parse_selection(path.strip_prefix("/compare?v=")).0;
        assert_eq!(again, parsed, "the canonical link gives the same columns");
    }

    #[test]
    fn bad_duplicate_and_extra_entries_are_named_not_fatal() {
        let keys: Vec<String> = (1..=6).map(hotkey).collect();
        let raw = format!(
            "{},nope,{},{},,{},{},{},{}",
            keys[0], keys[0], keys[1], keys[2], keys[3], keys[4], keys[5]
        );
        let (parsed, notices) = parse_selection(Some(&raw));
        assert_eq!(parsed, keys[..4]);
        assert_eq!(notices.len(), 3, "{notices:?}");
        assert!(notices[0].contains("\"nope\"") && notices[0].contains("not an SS58 address"));
        assert!(notices[1].contains("twice"));
        assert!(notices[2].contains("names 6 validators") && notices[2].contains("first 4"));
        assert_eq!(parse_selection(None), (vec![], vec![]));
        let (one, _) = parse_selection(Some(&keys[0]));
        assert_eq!(one.len(), 1, "one is too few, and the page says so rather than failing");
    }

    #[test]
    fn the_best_is_marked_only_where_figures_differ() {
        assert_eq!(
            best_cells(&[Some(0.18), Some(0.09), None], Better::Lower),
            [false, true, false]
        );
        assert_eq!(
            best_cells(&[Some(1.0), Some(3.0), Some(3.0)], Better::Higher),
            [false, true, true]
        );
        assert_eq!(best_cells(&[Some(2.0), Some(2.0)], Better::Higher), [false, false]);
        assert_eq!(
            best_cells(&[Some(2.0), None], Better::Higher),
            [false, false],
            "one known figure is no comparison"
        );
        assert_eq!(best_cells(&[Some(1.0), Some(5.0)], Better::Neither), [false, false]);
        assert!(no_difference(&[Some(2.0), Some(2.0)]));
        assert!(!no_difference(&[Some(2.0), None]));
    }

    #[test]
    fn rows_cover_the_union_of_subnets_with_a_dash_where_one_does_not_validate() {
        let compared = vec![
            Compared {
                hotkey: "5Alphahot".into(),
                validator: Some(validator("Alpha", 0.18, 100, &[(1, 0.9, 10), (2, 0.5, 0)])),
                basket: Ok(None),
            },
            Compared {
                hotkey: "5Betahot".into(),
                validator: Some(validator("Beta", 0.09, 50, &[(3, 0.95, 5)])),
                basket: Err("BetaBasketRuntimeApi".into()),
            },
        ];
        let rows = figure_rows(&compared);
        let row = |label: &str| {
            rows.iter()
                .find(|r| r.label == label)
                .unwrap_or_else(|| panic!("{label}"))
        };
        assert_eq!(row("Take").texts, ["18.00 %", "9.00 %"]);
        assert_eq!(best_cells(&row("Take").values, row("Take").better), [false, true]);
        assert_eq!(row("SN1 v. trust").texts, ["0.9000", "—"]);
        assert_eq!(row("SN3 v. trust").texts, ["—", "0.9500"]);
        assert_eq!(row("SN2 APY").values[1], None);
        assert_eq!(
            row("SN1 APY").values[0],
            compared[0].validator.as_ref().unwrap().subnets[0].apy()
        );
        assert_eq!(
            row("Root basket NAV").texts,
            ["no basket", "unsupported by this runtime"]
        );
        let exported = export_rows(&compared);
        assert!(exported.iter().all(|r| r.len() == 4));
        assert!(
            exported
                .iter()
                .any(|r| r[1] == Cell::Text("apy".into()) && r[2] == Cell::Integer(3))
        );
    }
}
