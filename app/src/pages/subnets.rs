//! The subnets page: every subnet with its pool, price and emission; searchable and sortable
//! through the URL, paginated on small screens, exportable, with emission and price charts.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use light_client::model::Subnet;

use crate::chain::{use_chain, use_live};
use crate::charts::{self, Chart};
use crate::components::state::Pending;
use crate::components::table::{Notices, SortHeader, TableToolbar, use_replace_url};
use crate::export::{Cell, Table};
use crate::format;
use crate::query::{self, Sort, matches_search, param};

const SORT_KEYS: &[&str] = &[
    "netuid",
    "price",
    "emission",
    "pool",
    "alpha_in",
    "alpha_out",
    "uids",
    "tempo",
    "cost",
    "age",
];
const DEFAULT_SORT: Sort = Sort {
    key: "netuid",
    descending: false,
};
/// Rows per page on narrow screens (wide screens show every subnet).
const SMALL_SCREEN_PAGE: usize = 20;

/// The table's state as read from the query string.
#[derive(Debug, Clone, PartialEq)]
struct View {
    search: String,
    sort: Sort,
    page: usize,
}

impl View {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> (View, Vec<String>) {
        let mut notices = Vec::new();
        let page = param::<usize>(get("page").as_deref(), "page", 1, &mut notices).max(1);
        let view = View {
            search: get("q").unwrap_or_default(),
            sort: Sort::parse(get("sort").as_deref(), SORT_KEYS, DEFAULT_SORT, &mut notices),
            page,
        };
        (view, notices)
    }

    fn to_query(&self) -> String {
        query::query_string(&[
            ("q", Some(self.search.clone()).filter(|s| !s.is_empty())),
            ("sort", (self.sort != DEFAULT_SORT).then(|| self.sort.to_param())),
            ("page", (self.page > 1).then(|| self.page.to_string())),
        ])
    }

    /// Matching subnets in the chosen order (all pages).
    fn apply(&self, subnets: &[Subnet], now_block: u64) -> Vec<Subnet> {
        let mut rows: Vec<Subnet> = subnets
            .iter()
            .filter(|s| matches_search(&self.search, &[&display_name(s), &s.symbol, &s.netuid.to_string()]))
            .cloned()
            .collect();
        query::sort_by(&mut rows, self.sort, |s, key| match key {
            "price" => s.price,
            "emission" => s.emission_share,
            "pool" => s.tao_in_rao as f64,
            "alpha_in" => s.alpha_in as f64,
            "alpha_out" => s.alpha_out as f64,
            "uids" => f64::from(s.uids),
            "tempo" => f64::from(s.tempo),
            "cost" => s.registration_cost_rao as f64,
            "age" => now_block.saturating_sub(s.registered_at) as f64,
            _ => f64::from(s.netuid),
        });
        rows
    }
}

/// The page `page` (1-based) of `len` rows, `per_page` at a time: the row range and page count.
fn page_range(len: usize, page: usize, per_page: usize) -> (std::ops::Range<usize>, usize) {
    let pages = len.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    ((page - 1) * per_page..(page * per_page).min(len), pages)
}

/// A subnet's name as shown: its identity name, "Root" for netuid 0, or a dash.
pub fn display_name(subnet: &Subnet) -> String {
    match (subnet.netuid, subnet.name.trim().is_empty()) {
        (0, true) => "Root".to_string(),
        (_, true) => "—".to_string(),
        _ => subnet.name.clone(),
    }
}

/// The subnets as an export table.
fn export_table(rows: &[Subnet], block_number: u64, block_hash: &str, verified: bool) -> Table {
    Table {
        name: "subnets".into(),
        block_number,
        block_hash: block_hash.to_string(),
        verified,
        columns: vec![
            "netuid",
            "name",
            "symbol",
            "price_tao_per_alpha",
            "moving_price",
            "emission_share",
            "tao_emission_per_block_rao",
            "tao_in_rao",
            "alpha_in",
            "alpha_out",
            "uids",
            "max_uids",
            "tempo",
            "registration_cost_rao",
            "registered_at",
            "owner_coldkey",
        ],
        rows: rows
            .iter()
            .map(|s| {
                vec![
                    Cell::Integer(u128::from(s.netuid)),
                    Cell::Text(s.name.clone()),
                    Cell::Text(s.symbol.clone()),
                    Cell::Number(s.price),
                    Cell::Number(s.moving_price),
                    Cell::Number(s.emission_share),
                    Cell::Integer(u128::from(s.tao_emission_per_block_rao)),
                    Cell::Integer(u128::from(s.tao_in_rao)),
                    Cell::Integer(u128::from(s.alpha_in)),
                    Cell::Integer(u128::from(s.alpha_out)),
                    Cell::Integer(u128::from(s.uids)),
                    Cell::Integer(u128::from(s.max_uids)),
                    Cell::Integer(u128::from(s.tempo)),
                    Cell::Integer(u128::from(s.registration_cost_rao)),
                    Cell::Integer(u128::from(s.registered_at)),
                    Cell::Text(s.owner_coldkey.clone()),
                ]
            })
            .collect(),
    }
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
    let live = use_live::<Vec<Subnet>, _, _>(|client, block| async move {
        client.subnets(&block).await.map_err(|error| error.to_string())
    });
    let store = use_chain();
    let query = use_query_map();
    let parsed = Memo::new(move |_| query.with(|q| View::from_query(|name| q.get(name))));
    let state = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let set_state = Callback::new(move |next: View| replace_url.run(format!("/subnets{}", next.to_query())));
    let sort = Signal::derive(move || state.get().sort);
    let on_sort = Callback::new(move |sort: Sort| {
        let mut next = state.get_untracked();
        next.sort = sort;
        next.page = 1;
        set_state.run(next);
    });
    let per_page = if narrow_screen() { SMALL_SCREEN_PAGE } else { usize::MAX };
    let error = Signal::derive(move || live.error.get());
    let rows = Memo::new(move |_| {
        live.data.with(|data| {
            data.as_ref().map(|d| {
                let now = store
                    .finalized
                    .with(|f| f.as_ref().map(|b| b.number))
                    .unwrap_or(d.block_number);
                state.with(|s| s.apply(&d.data, now))
            })
        })
    });
    let shown = move || {
        let confirmed = live.confirmed.get_untracked()?;
        live.data.with(|data| {
            data.as_ref()
                .map(|d| export_table(&rows.get().unwrap_or_default(), confirmed.0, &confirmed.1, d.verified))
        })
    };
    let snapshot = Memo::new(move |_| live.data.get());
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
            {move || match live.data.with(|d| d.as_ref().map(|d| (d.verified, d.data.len()))) {
                None => view! { <Pending what="subnets" error=error/> }.into_any(),
                Some((verified, total)) => view! {
                    <TableToolbar block=live.confirmed verified=verified what="subnets" total=total
                        shown=Signal::derive(move || rows.get().map(|r| r.len()).unwrap_or(0)) table=shown/>
                }.into_any(),
            }}
            {move || rows.get().map(|rows| {
                let (range, pages) = page_range(rows.len(), state.get().page, per_page);
                let page = state.get().page.clamp(1, pages);
                let empty = rows.is_empty();
                let now = store.finalized.with(|f| f.as_ref().map(|b| b.number)).unwrap_or(0);
                view! {
                    <div class="table-wrap">
                        <table class="data-table" aria-label="Subnets">
                            <thead>
                                <tr>
                                    <SortHeader label="Netuid" key="netuid" numeric=true sort=sort on_sort=on_sort/>
                                    <th scope="col">"Name"</th>
                                    <SortHeader label="Price" key="price" numeric=true sort=sort on_sort=on_sort title="SubnetTAO ÷ SubnetAlphaIn (TAO per α)"/>
                                    <SortHeader label="Emission" key="emission" numeric=true sort=sort on_sort=on_sort title="Share of all subnets' TAO emission in the last block"/>
                                    <th scope="col" class="num" title="SubnetTaoInEmission + SubnetExcessTao">"TAO / block"</th>
                                    <SortHeader label="Pool TAO" key="pool" numeric=true sort=sort on_sort=on_sort title="SubnetTAO"/>
                                    <SortHeader label="α in" key="alpha_in" numeric=true sort=sort on_sort=on_sort title="SubnetAlphaIn"/>
                                    <SortHeader label="α out" key="alpha_out" numeric=true sort=sort on_sort=on_sort title="SubnetAlphaOut"/>
                                    <SortHeader label="UIDs" key="uids" numeric=true sort=sort on_sort=on_sort title="SubnetworkN / MaxAllowedUids"/>
                                    <SortHeader label="Tempo" key="tempo" numeric=true sort=sort on_sort=on_sort title="Blocks between epochs"/>
                                    <SortHeader label="Reg. cost" key="cost" numeric=true sort=sort on_sort=on_sort title="Burn: the current neuron registration cost"/>
                                    <SortHeader label="Age" key="age" numeric=true sort=sort on_sort=on_sort title="Blocks since NetworkRegisteredAt"/>
                                </tr>
                            </thead>
                            <tbody>
                                {if empty {
                                    view! { <tr><td colspan="12" class="empty-row">"No subnet matches this search."</td></tr> }.into_any()
                                } else {
                                    rows[range].iter().cloned().map(|subnet| {
                                        let name = display_name(&subnet);
                                        view! {
                                            <tr>
                                                <td class="num">{subnet.netuid}</td>
                                                <td class="name-cell">
                                                    <A href=format!("/subnets/{}", subnet.netuid) attr:title=subnet.name.clone()>
                                                        <span class="symbol">{subnet.symbol.clone()}</span>" "{name}
                                                    </A>
                                                </td>
                                                <td class="num">{format!("{} τ", format::amount(subnet.price))}</td>
                                                <td class="num">{format::percent(subnet.emission_share)}</td>
                                                <td class="num">{format::tao(subnet.tao_emission_per_block_rao)}</td>
                                                <td class="num">{format::tao(subnet.tao_in_rao)}</td>
                                                <td class="num">{format::alpha(subnet.alpha_in)}</td>
                                                <td class="num">{format::alpha(subnet.alpha_out)}</td>
                                                <td class="num">{format!("{}/{}", subnet.uids, subnet.max_uids)}</td>
                                                <td class="num">{subnet.tempo}</td>
                                                <td class="num">{format::tao(subnet.registration_cost_rao)}</td>
                                                <td class="num" title=format!("registered at {}", format::block(subnet.registered_at))>
                                                    {format::blocks(now.saturating_sub(subnet.registered_at))}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view().into_any()
                                }}
                            </tbody>
                        </table>
                    </div>
                    {(pages > 1).then(|| view! {
                        <nav class="pager" aria-label="Pages">
                            <button type="button" class="button" disabled=page <= 1 on:click=move |_| {
                                let mut next = state.get_untracked();
                                next.page = page - 1;
                                set_state.run(next);
                            }>"Previous"</button>
                            <span>{format!("Page {page} of {pages}")}</span>
                            <button type="button" class="button" disabled=page >= pages on:click=move |_| {
                                let mut next = state.get_untracked();
                                next.page = page + 1;
                                set_state.run(next);
                            }>"Next"</button>
                        </nav>
                    })}
                }
            })}
            {move || snapshot.get().map(|snapshot| {
                let subnets: Vec<Subnet> = snapshot.data.iter().filter(|s| s.netuid != 0).cloned().collect();
                view! {
                    <div class="charts">
                        <Chart
                            title="Emission share by subnet"
                            file_stem=format!("taoscope-emission-share-block-{}", snapshot.block_number)
                            block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone()
                            data=charts::data::emission_shares(&subnets, 12)
                            embed=Some(("/embed/subnets/emissions".to_string(), true))
                        />
                        <Chart
                            title="Price vs emission share"
                            file_stem=format!("taoscope-price-vs-emission-block-{}", snapshot.block_number)
                            block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone()
                            data=charts::data::price_vs_emission(&subnets)
                            embed=Some(("/embed/subnets/price-emission".to_string(), false))
                        />
                    </div>
                }
            })}
        </section>
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
            owner_coldkey: String::new(),
            owner_hotkey: String::new(),
            tempo: 10,
            uids: 8,
            max_uids: 32,
            registration_cost_rao: 0,
            tao_in_rao: 0,
            alpha_in: 0,
            alpha_out: 0,
            price,
            moving_price: 0.0,
            tao_emission_per_block_rao: 0,
            emission_share: 0.0,
            alpha_in_emission: 0,
            alpha_out_emission: 0,
            volume_rao: 0,
            registered_at,
            identity: None,
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
        let netuids = |v: &View| v.apply(&all, 100).iter().map(|s| s.netuid).collect::<Vec<_>>();
        assert_eq!(netuids(&view(&[]).0), [0, 1, 2]);
        assert_eq!(netuids(&view(&[("sort", "-price")]).0), [2, 0, 1]);
        assert_eq!(netuids(&view(&[("sort", "-age")]).0), [0, 2, 1]);
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
