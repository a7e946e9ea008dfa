//! The subnets page: every subnet with its pool, price and emission; searchable and sortable
//! through the URL, paginated on small screens, exportable, with emission and price charts and
//! the method behind its figures.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use light_client::model::{Lifecycle, Subnet};

use crate::charts::{self, Chart};
use crate::components::badges::{EMISSION_OFF_SOURCE, subnet_badges};
use crate::components::method::{MethodNotes, PRICE_METHOD, price_method_name};
use crate::components::state::Pending;
use crate::components::url_state::{Notices, use_replace_url};
use crate::data::use_subnets;
use crate::embed::options::Widget;
use crate::export::Cell;
use crate::format;
use crate::names::{shown, subnet_name};
use crate::query::{self, matches_search, param};
use crate::table::view::{DataTable, TableToolbar};
use crate::table::{Column, Columns, Shown, Sort};

/// A subnet as the table shows it: with its age at the block it was read at.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    subnet: Subnet,
    /// Blocks since registration, at the block the data was read at.
    age: u64,
    /// Still immune to pruning at that block.
    immune: bool,
    /// The subnet a new registration would replace at that block.
    next_to_prune: bool,
}

fn prune_risk_text(row: &Row) -> String {
    match (row.next_to_prune, row.immune, row.subnet.immunity_ends_at) {
        (true, _, _) => "▼ next".to_string(),
        (false, true, Some(ends)) => format!("immune until {}", format::block(ends.saturating_sub(1))),
        _ => String::new(),
    }
}

fn name_cell(row: &Row) -> AnyView {
    let subnet = &row.subnet;
    let (symbol, name) = (subnet.symbol.clone(), subnet_name(subnet));
    view! {
        <A href=format!("/subnets/{}", subnet.netuid) attr:class="name-cell" attr:title=subnet.name.clone()>
            <span class="symbol"><bdi>{shown(&symbol)}</bdi></span>" "<bdi>{shown(&name)}</bdi>
        </A>
        {subnet_badges(subnet)}
    }
    .into_any()
}

/// How a subnet's lifecycle is named in exports.
fn lifecycle_name(lifecycle: &Lifecycle) -> String {
    match lifecycle {
        Lifecycle::Active => "active".into(),
        Lifecycle::NotStarted => "not_started".into(),
        Lifecycle::NotReportable => "not_reportable".into(),
        Lifecycle::PendingDissolution => "pending_dissolution".into(),
        Lifecycle::Dissolving => "dissolving".into(),
        Lifecycle::Unknown { state } => format!("unknown: {state}"),
    }
}

/// An optional block number or count (exported as null, sorted last).
fn optional_integer(value: Option<u64>) -> Cell {
    Cell::Number(value.map_or(f64::NAN, |v| v as f64))
}

fn uids_cell(row: &Row) -> AnyView {
    format!("{}/{}", row.subnet.uids, row.subnet.max_uids).into_any()
}

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

/// The subnets table.
#[rustfmt::skip]
const COLUMNS: Columns<Row> = Columns(&[
    Column { export: "netuid", label: "Netuid", source: "Subnet id (NetworksAdded)", sort_key: Some("netuid"), numeric: true,
        raw: |r| integer(u64::from(r.subnet.netuid)), shown: Shown::Text(Cell::text) },
    Column { export: "name", label: "Name", source: "SubnetIdentitiesV3: the owner's self-declared name (untrusted text)", sort_key: Some("name"), numeric: false,
        raw: |r| Cell::Text(subnet_name(&r.subnet)), shown: Shown::View(name_cell) },
    Column { export: "symbol", label: "", source: "TokenSymbol", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.subnet.symbol.clone()), shown: Shown::ExportOnly },
    Column { export: "price_tao_per_alpha", label: "Price", source: "TAO per α: (1 − q)/q × SubnetTAO ÷ SubnetAlphaIn, q = Swap.SwapBalancer quote weight; for a pool with a Swap.SwapSuperellipse curve, SwapRuntimeApi.current_alpha_price_all (see the method)", sort_key: Some("price"), numeric: true,
        raw: |r| Cell::Number(r.subnet.price.unwrap_or(f64::NAN)), shown: Shown::Text(|c| format::price(c.sort_number())) },
    Column { export: "price_method", label: "", source: "How the price was found: balancer_formula, runtime_answer (current_alpha_price_all) or unavailable", sort_key: None, numeric: false,
        raw: |r| Cell::Text(price_method_name(&r.subnet.price_method).into()), shown: Shown::ExportOnly },
    Column { export: "pool_quote_weight", label: "", source: "Swap.SwapBalancer: the pool's TAO-side weight q", sort_key: None, numeric: true,
        raw: |r| Cell::Number(r.subnet.pool_quote_weight), shown: Shown::ExportOnly },
    Column { export: "moving_price", label: "", source: "SubnetMovingPrice", sort_key: None, numeric: true,
        raw: |r| Cell::Number(r.subnet.moving_price), shown: Shown::ExportOnly },
    Column { export: "emission_share", label: "Emission", source: "Share of all subnets' TAO emission in the last block", sort_key: Some("emission"), numeric: true,
        raw: |r| Cell::Number(r.subnet.emission_share), shown: Shown::Text(|c| format::percent(c.as_f64())) },
    Column { export: "tao_emission_per_block_rao", label: "TAO / block", source: "SubnetTaoInEmission + SubnetExcessTao", sort_key: Some("tao_per_block"), numeric: true,
        raw: |r| integer(r.subnet.tao_emission_per_block_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "tao_in_rao", label: "Pool TAO", source: "SubnetTAO", sort_key: Some("pool"), numeric: true,
        raw: |r| integer(r.subnet.tao_in_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "alpha_in", label: "α in", source: "SubnetAlphaIn", sort_key: Some("alpha_in"), numeric: true,
        raw: |r| integer(r.subnet.alpha_in), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "alpha_out", label: "α out", source: "SubnetAlphaOut", sort_key: Some("alpha_out"), numeric: true,
        raw: |r| integer(r.subnet.alpha_out), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "uids", label: "UIDs", source: "SubnetworkN / MaxAllowedUids", sort_key: Some("uids"), numeric: true,
        raw: |r| integer(u64::from(r.subnet.uids)), shown: Shown::View(uids_cell) },
    Column { export: "max_uids", label: "", source: "MaxAllowedUids", sort_key: None, numeric: true,
        raw: |r| integer(u64::from(r.subnet.max_uids)), shown: Shown::ExportOnly },
    Column { export: "tempo", label: "Tempo", source: "Tempo: blocks between scheduled epochs", sort_key: Some("tempo"), numeric: true,
        raw: |r| integer(u64::from(r.subnet.tempo)), shown: Shown::Text(Cell::text) },
    Column { export: "epoch_spacing_blocks", label: "", source: "Next epoch start − LastEpochBlock (LastEpochBlock + Tempo, or an earlier PendingEpochAt)", sort_key: None, numeric: true,
        raw: |r| optional_integer(r.subnet.epoch_spacing.map(|s| s.blocks)), shown: Shown::ExportOnly },
    Column { export: "last_epoch_block", label: "", source: "LastEpochBlock", sort_key: None, numeric: true,
        raw: |r| optional_integer(r.subnet.epoch_spacing.map(|s| s.last_epoch_block)), shown: Shown::ExportOnly },
    Column { export: "next_epoch_start", label: "", source: "LastEpochBlock + Tempo, or PendingEpochAt when that comes first", sort_key: None, numeric: true,
        raw: |r| optional_integer(r.subnet.epoch_spacing.map(|s| s.next_epoch_start)), shown: Shown::ExportOnly },
    Column { export: "registration_cost_rao", label: "Reg. cost", source: "Burn: the current neuron registration cost", sort_key: Some("cost"), numeric: true,
        raw: |r| integer(r.subnet.registration_cost_rao), shown: Shown::Text(|c| format::tao(c.as_u64())) },
    Column { export: "age_blocks", label: "Age", source: "Blocks since NetworkRegisteredAt, at the block read", sort_key: Some("age"), numeric: true,
        raw: |r| integer(r.age), shown: Shown::Text(|c| format::blocks(c.as_u64())) },
    Column { export: "registered_at", label: "", source: "NetworkRegisteredAt", sort_key: None, numeric: true,
        raw: |r| integer(r.subnet.registered_at), shown: Shown::ExportOnly },
    Column { export: "prune_risk", label: "Pruning", source: "A new subnet replaces the one with the lowest SubnetMovingPrice among those past NetworkRegisteredAt + NetworkImmunityPeriod (root never); ▼ marks it", sort_key: None, numeric: false,
        raw: |r| Cell::Text(prune_risk_text(r)), shown: Shown::Text(Cell::text) },
    Column { export: "immunity_ends_at", label: "", source: "NetworkRegisteredAt + NetworkImmunityPeriod: prunable from this block", sort_key: None, numeric: true,
        raw: |r| Cell::Number(r.subnet.immunity_ends_at.map_or(f64::NAN, |b| b as f64)), shown: Shown::ExportOnly },
    Column { export: "next_to_prune", label: "", source: "The subnet a new subnet would replace (get_network_to_prune's rule)", sort_key: None, numeric: false,
        raw: |r| Cell::Bool(r.next_to_prune), shown: Shown::ExportOnly },
    Column { export: "owner_coldkey", label: "", source: "SubnetOwner", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.subnet.owner_coldkey.clone()), shown: Shown::ExportOnly },
    Column { export: "consensus", label: "", source: "SubnetEpochConsensus", sort_key: None, numeric: false,
        raw: |r| Cell::Text(format!("{:?}", r.subnet.consensus)), shown: Shown::ExportOnly },
    Column { export: "mechanisms", label: "", source: "MechanismCountCurrent", sort_key: None, numeric: true,
        raw: |r| integer(u64::from(r.subnet.mechanisms)), shown: Shown::ExportOnly },
    Column { export: "lifecycle", label: "", source: "SubnetState where the runtime has an entry; else NetworksAdded and FirstEmissionBlockNumber", sort_key: None, numeric: false,
        raw: |r| Cell::Text(lifecycle_name(&r.subnet.lifecycle)), shown: Shown::ExportOnly },
    Column { export: "emission_enabled", label: "", source: EMISSION_OFF_SOURCE, sort_key: None, numeric: false,
        raw: |r| Cell::Bool(r.subnet.emission_enabled), shown: Shown::ExportOnly },
]);

/// Rows per page on narrow screens (wide screens show every subnet).
const SMALL_SCREEN_PAGE: usize = 20;

/// The table's state as read from the query string.
#[derive(Debug, Clone, PartialEq)]
struct View {
    search: String,
    sort: Sort<Row>,
    page: usize,
}

fn default_sort() -> Sort<Row> {
    COLUMNS.sort("netuid", false)
}

impl View {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> (View, Vec<String>) {
        let mut notices = Vec::new();
        let page = param::<usize>(get("page").as_deref(), "page", 1, &mut notices).max(1);
        let view = View {
            search: get("q").unwrap_or_default(),
            sort: COLUMNS.parse_sort(get("sort").as_deref(), default_sort(), &mut notices),
            page,
        };
        (view, notices)
    }

    fn to_query(&self) -> String {
        query::query_string(&[
            ("q", Some(self.search.clone()).filter(|s| !s.is_empty())),
            (
                "sort",
                (self.sort != default_sort()).then(|| COLUMNS.sort_param(self.sort)),
            ),
            ("page", (self.page > 1).then(|| self.page.to_string())),
        ])
    }

    /// Matching subnets in the chosen order (all pages), aged at block `read_at`.
    fn apply(&self, subnets: &[Subnet], read_at: u64) -> Vec<Row> {
        let next = light_client::model::subnet_to_prune(subnets, read_at);
        let mut rows: Vec<Row> = subnets
            .iter()
            .filter(|s| matches_search(&self.search, &[&subnet_name(s), &s.symbol, &s.netuid.to_string()]))
            .map(|subnet| Row {
                subnet: subnet.clone(),
                age: read_at.saturating_sub(subnet.registered_at),
                immune: subnet.immunity_ends_at.is_some_and(|ends| read_at < ends),
                next_to_prune: next == Some(subnet.netuid),
            })
            .collect();
        COLUMNS.sort_rows(&mut rows, self.sort);
        rows
    }
}

/// The page `page` (1-based) of `len` rows, `per_page` at a time: the row range and page count.
fn page_range(len: usize, page: usize, per_page: usize) -> (std::ops::Range<usize>, usize) {
    let pages = len.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    ((page - 1) * per_page..(page * per_page).min(len), pages)
}

fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 600.0)
}

/// The subnets page.
#[component]
pub fn Subnets() -> impl IntoView {
    let live = use_subnets();
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| query::read_all(&query::pairs(q), &[], |get| View::from_query(|name| get(name))))
    });
    let state = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let set_state = Callback::new(move |next: View| replace_url.run(format!("/subnets{}", next.to_query())));
    let on_sort = Callback::new(move |sort: Sort<Row>| {
        let mut next = state.get_untracked();
        next.sort = sort;
        next.page = 1;
        set_state.run(next);
    });
    let set_page = move |page: usize| {
        let mut next = state.get_untracked();
        next.page = page;
        set_state.run(next);
    };
    let per_page = if narrow_screen() { SMALL_SCREEN_PAGE } else { usize::MAX };
    let rows = Memo::new(move |_| {
        live.data
            .with(|data| data.as_ref().map(|d| state.with(|s| s.apply(&d.data, d.block_number))))
    });
    let paging = Memo::new(move |_| {
        let len = rows.with(|r| r.as_ref().map_or(0, Vec::len));
        let (range, pages) = page_range(len, state.get().page, per_page);
        (range, pages, state.get().page.clamp(1, pages))
    });
    let page_rows = Signal::derive(move || {
        let range = paging.get().0;
        rows.with(|r| r.as_ref().map(|r| r[range].to_vec()).unwrap_or_default())
    });
    let export = move || {
        let provenance = live.provenance.get_untracked()?;
        rows.with_untracked(|rows| Some(COLUMNS.export("subnets".into(), &provenance, rows.as_deref()?)))
    };
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Subnets"</h1>
            <Notices notices=notices/>
            <form class="filters" on:submit=|event| event.prevent_default() aria-label="Search subnets">
                <label>"Search"
                    <input type="search" placeholder="name, symbol or netuid" prop:value=move || state.get().search
                        on:change=move |event| {
                            let mut next = state.get_untracked();
                            next.search = event_target_value(&event);
                            next.page = 1;
                            set_state.run(next);
                        }/>
                </label>
            </form>
            <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="subnets" error=live.error/> }>
                <TableToolbar provenance=live.provenance what="subnets"
                    total=Signal::derive(move || live.data.with(|d| d.as_ref().map_or(0, |d| d.data.len())))
                    shown=Signal::derive(move || rows.with(|r| r.as_ref().map_or(0, Vec::len))) table=export/>
                <DataTable columns=COLUMNS label="Subnets" rows=page_rows sort=Signal::derive(move || state.get().sort)
                    on_sort=on_sort empty="No subnet matches this search."/>
                {move || {
                    let (_, pages, page) = paging.get();
                    (pages > 1).then(|| view! {
                        <nav class="pager" aria-label="Pages">
                            <button type="button" class="button" disabled=page <= 1 on:click=move |_| set_page(page - 1)>"Previous"</button>
                            <span>{format!("Page {page} of {pages}")}</span>
                            <button type="button" class="button" disabled=page >= pages on:click=move |_| set_page(page + 1)>"Next"</button>
                        </nav>
                    })
                }}
            </Show>
            {move || live.data.get().zip(live.provenance.get_untracked()).map(|(snapshot, provenance)| {
                let subnets: Vec<Subnet> = snapshot.data.iter().filter(|s| s.netuid != 0).cloned().collect();
                view! {
                    <div class="charts">
                        <Chart title="Emission share by subnet" file_topic="emission-share".into() stamp=provenance.chart_stamp()
                            data=charts::data::emission_shares(&subnets, 12)
                            embed=Some((Widget::Emissions.path(), true))/>
                        <Chart title="Price vs emission share" file_topic="price-vs-emission".into() stamp=provenance.chart_stamp()
                            data=charts::data::price_vs_emission(&subnets)
                            embed=Some((Widget::PriceVsEmission.path(), false))/>
                    </div>
                }
            })}
            <Method/>
        </section>
    }
}

/// How the list's figures are computed.
#[component]
fn Method() -> impl IntoView {
    view! {
        <MethodNotes>
            <dt>"Price"</dt>
            <dd>{PRICE_METHOD}" The export's price_method column names the method for each subnet."</dd>
            <dt>"Emission"</dt>
            <dd>"Each subnet's SubnetTaoInEmission + SubnetExcessTao in the last block, and its share of all subnets' total. \"emission off by policy\": SubtensorModule.SubnetEmissionEnabled is false, so the pool-side emission counts as zero (read as on where the runtime lacks the item)."</dd>
            <dt>"Lifecycle"</dt>
            <dd>"SubtensorModule.SubnetState where the runtime has an entry (Registered: not started; Started; PendingDissolution; Dissolving; any other state is named as unknown); otherwise derived: NetworksAdded false is not reportable, no FirstEmissionBlockNumber is not started."</dd>
            <dt>"Pruning"</dt>
            <dd>"A new subnet replaces the one with the lowest SubnetMovingPrice among those past NetworkRegisteredAt + NetworkImmunityPeriod (root never)."</dd>
        </MethodNotes>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(netuid: u16, name: &str, price: f64, registered_at: u64) -> Subnet {
        Subnet {
            netuid,
            name: name.into(),
            symbol: "α".into(),
            tempo: 10,
            uids: 8,
            max_uids: 32,
            price: Some(price),
            registered_at,
            ..Subnet::default()
        }
    }

    #[test]
    fn search_sort_and_age() {
        let all = vec![
            subnet(0, "", 1.0, 0),
            subnet(1, "Apex", 0.5, 90),
            subnet(2, "Omron", 2.0, 10),
        ];
        let view = |pairs: &[(&str, &str)]| {
            View::from_query(|n| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string()))
        };
        let netuids = |v: &View| v.apply(&all, 100).iter().map(|r| r.subnet.netuid).collect::<Vec<_>>();
        assert_eq!(netuids(&view(&[]).0), [0, 1, 2]);
        assert_eq!(netuids(&view(&[("sort", "-price")]).0), [2, 0, 1]);
        assert_eq!(netuids(&view(&[("sort", "-age")]).0), [0, 2, 1]);
        assert_eq!(netuids(&view(&[("sort", "name")]).0), [1, 2, 0], "Apex, Omron, Root");
        assert_eq!(netuids(&view(&[("q", "root")]).0), [0]);
        assert_eq!(netuids(&view(&[("q", "2")]).0), [2]);
        let (fallback, notices) = view(&[("sort", "name;drop"), ("page", "x")]);
        assert_eq!(fallback, view(&[]).0);
        assert_eq!(notices.len(), 2);
        assert_eq!(
            view(&[("sort", "-tempo"), ("page", "3")]).0.to_query(),
            "?sort=-tempo&page=3"
        );
    }

    #[test]
    fn every_column_sorts_and_exports_its_raw_value() {
        let rows = View::from_query(|_| None).0.apply(
            &[
                subnet(0, "", 1.0, 0),
                subnet(1, "Apex", 0.5, 90),
                Subnet {
                    price: None,
                    price_method: light_client::model::PriceMethod::Unavailable {
                        why: "no runtime answer".into(),
                    },
                    ..subnet(2, "Omron", 0.0, 10)
                },
            ],
            100,
        );
        crate::table::check_spec(COLUMNS, &rows);
        let export = COLUMNS.export(
            "subnets".into(),
            &crate::data::provenance::Provenance::of_snapshot(
                &light_client::model::Snapshot {
                    block_number: 100,
                    block_hash: "0x64".into(),
                    source: light_client::model::Source::LightClient,
                    data: (),
                },
                0.0,
            ),
            &rows,
        );
        let column = |name: &str| export.columns.iter().position(|c| *c == name).expect(name);
        assert_eq!(export.rows[1][column("registered_at")], Cell::Integer(90));
        assert_eq!(export.rows[1][column("age_blocks")], Cell::Integer(10));
        assert_eq!(export.rows[0][column("name")], Cell::Text("Root".into()));
        assert!(
            export.rows[2][column("price_tao_per_alpha")].is_missing(),
            "no price, not a guess"
        );
        assert_eq!(export.rows[2][column("price_method")], Cell::Text("unavailable".into()));
        assert_eq!(
            export.rows[1][column("price_method")],
            Cell::Text("balancer_formula".into())
        );
    }

    #[test]
    fn pages() {
        assert_eq!(page_range(129, 1, 20), (0..20, 7));
        assert_eq!(page_range(129, 7, 20), (120..129, 7));
        assert_eq!(
            page_range(129, 99, 20),
            (120..129, 7),
            "past the end shows the last page"
        );
        assert_eq!(page_range(0, 1, 20), (0..0, 1));
        assert_eq!(page_range(5, 1, usize::MAX), (0..5, 1));
    }
}
