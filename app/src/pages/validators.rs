//! The validators pages: every delegate with the figures a staker compares (take, stake, where it
//! validates, validator trust, dividends), filterable and sortable through the URL; and one
//! validator's per-subnet figures. Each derived figure says how it is computed.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use light_client::model::Validator;

use crate::chain::use_live;
use crate::components::export::{CopyText, ExportButtons};
use crate::components::table::{Notices, SortHeader, TableToolbar, use_replace_url};
use crate::components::{provenance::Provenance, state::Pending};
use crate::export::{Cell, Table};
use crate::format;
use crate::links::safe_http_url;
use crate::query::{self, Sort, matches_search, number_param};

/// Sortable columns.
const SORT_KEYS: &[&str] = &["stake", "take", "subnets", "vtrust", "min_vtrust", "dividends"];
const DEFAULT_SORT: Sort = Sort {
    key: "stake",
    descending: true,
};

/// The list's filters and order, as read from the query string.
#[derive(Debug, Clone, PartialEq)]
struct Filters {
    search: String,
    min_stake_tao: Option<f64>,
    max_take_percent: Option<f64>,
    min_vtrust: Option<f64>,
    subnet: Option<u16>,
    sort: Sort,
}

impl Filters {
    /// Reads the filters; invalid values fall back to "no filter" with a notice each.
    fn from_query(get: impl Fn(&str) -> Option<String>) -> (Filters, Vec<String>) {
        let mut notices = Vec::new();
        let subnet = get("subnet").filter(|s| !s.trim().is_empty()).and_then(|raw| {
            let parsed = raw.trim().parse::<u16>().ok();
            if parsed.is_none() {
                notices.push(format!("Ignored subnet={raw:?}: not a subnet id."));
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
            subnet,
            sort: Sort::parse(get("sort").as_deref(), SORT_KEYS, DEFAULT_SORT, &mut notices),
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
            ("subnet", self.subnet.map(|s| s.to_string())),
            ("sort", (self.sort != DEFAULT_SORT).then(|| self.sort.to_param())),
        ])
    }

    /// Validators that pass the filters, in the chosen order. Validator trust filters and sorts
    /// use the subnet filter's subnet when one is chosen, otherwise the mean over permits.
    fn apply(&self, validators: &[Validator]) -> Vec<Validator> {
        let vtrust = |v: &Validator| match self.subnet {
            Some(netuid) => v.subnets.iter().find(|s| s.netuid == netuid).map(|s| s.validator_trust),
            None => v.mean_validator_trust(),
        };
        let mut rows: Vec<Validator> = validators
            .iter()
            .filter(|v| matches_search(&self.search, &[&v.name, &v.hotkey, &v.coldkey]))
            .filter(|v| {
                self.min_stake_tao
                    .is_none_or(|min| light_client::units::tao_from_rao(v.stake_tao_equivalent_rao) >= min)
            })
            .filter(|v| self.max_take_percent.is_none_or(|max| v.take * 100.0 <= max + 1e-9))
            .filter(|v| self.subnet.is_none_or(|n| v.subnets.iter().any(|s| s.netuid == n)))
            .filter(|v| self.min_vtrust.is_none_or(|min| vtrust(v).is_some_and(|t| t >= min)))
            .cloned()
            .collect();
        query::sort_by(&mut rows, self.sort, |v, key| match key {
            "take" => v.take,
            "subnets" => v.subnets.len() as f64,
            "vtrust" => vtrust(v).unwrap_or(f64::NAN),
            "min_vtrust" => v.min_validator_trust().unwrap_or(f64::NAN),
            "dividends" => v.dividends_tao_equivalent_rao() as f64,
            _ => v.stake_tao_equivalent_rao as f64,
        });
        rows
    }
}

/// A validator's display name: its identity name, or its shortened hotkey.
pub fn display_name(validator: &Validator) -> String {
    if validator.name.trim().is_empty() {
        format::short(&validator.hotkey)
    } else {
        validator.name.clone()
    }
}

fn fraction(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_else(|| "—".to_string())
}

fn export_table(rows: &[Validator], block_number: u64, block_hash: &str, verified: bool) -> Table {
    Table {
        name: "validators".into(),
        block_number,
        block_hash: block_hash.to_string(),
        verified,
        columns: vec![
            "hotkey",
            "coldkey",
            "name",
            "take",
            "stake_tao_equivalent_rao",
            "subnets_with_permit",
            "mean_validator_trust",
            "min_validator_trust",
            "dividends_tao_equivalent_rao",
        ],
        rows: rows
            .iter()
            .map(|v| {
                vec![
                    Cell::Text(v.hotkey.clone()),
                    Cell::Text(v.coldkey.clone()),
                    Cell::Text(v.name.clone()),
                    Cell::Number(v.take),
                    Cell::Integer(u128::from(v.stake_tao_equivalent_rao)),
                    Cell::Text(
                        v.subnets
                            .iter()
                            .map(|s| s.netuid.to_string())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Cell::Number(v.mean_validator_trust().unwrap_or(f64::NAN)),
                    Cell::Number(v.min_validator_trust().unwrap_or(f64::NAN)),
                    Cell::Integer(u128::from(v.dividends_tao_equivalent_rao())),
                ]
            })
            .collect(),
    }
}

/// How every figure on these pages is computed.
#[component]
fn Method() -> impl IntoView {
    view! {
        <details class="method">
            <summary>"How these figures are computed"</summary>
            <dl>
                <dt>"Validators"</dt>
                <dd>"Every hotkey with a SubtensorModule.Delegates entry (open for nomination) at the finalized block."</dd>
                <dt>"Take"</dt>
                <dd>"Delegates(hotkey) ÷ 65,535: the share of dividends the validator keeps before nominators are paid."</dd>
                <dt>"Stake"</dt>
                <dd>"Σ over subnets of TotalHotkeyAlpha(hotkey, subnet) × the subnet's spot price (SubnetTAO ÷ SubnetAlphaIn; 1 on root). A TAO value at today's prices, not what unstaking would return after slippage."</dd>
                <dt>"Subnets"</dt>
                <dd>"Subnets where the hotkey holds a validator permit (ValidatorPermit at its uid in Keys)."</dd>
                <dt>"V. trust (mean, min)"</dt>
                <dd>"ValidatorTrust ÷ 65,535 at its uid on each permitted subnet: how much of its weight agreed with consensus. Mean and lowest over those subnets; with a subnet filter, that subnet's value."</dd>
                <dt>"Dividends"</dt>
                <dd>"Σ AlphaDividendsPerSubnet(subnet, hotkey) × spot price: the α the validator earned at each subnet's last epoch, valued in TAO. Past epochs do not promise future ones."</dd>
            </dl>
        </details>
    }
}

/// The validators list.
#[component]
pub fn Validators() -> impl IntoView {
    let live = use_live::<Vec<Validator>, _, _>(|client, block| async move {
        client.validators(&block).await.map_err(|error| error.to_string())
    });
    let query = use_query_map();
    let parsed = Memo::new(move |_| query.with(|q| Filters::from_query(|name| q.get(name))));
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
    let sort = Signal::derive(move || filters.get().sort);
    let on_sort = Callback::new(move |sort: Sort| {
        let mut next = filters.get_untracked();
        next.sort = sort;
        set_filters.run(next);
    });
    let error = Signal::derive(move || live.error.get());
    let rows = Memo::new(move |_| {
        live.data
            .with(|d| d.as_ref().map(|d| filters.with(|f| f.apply(&d.data))))
    });
    let shown = move || {
        let confirmed = live.confirmed.get_untracked()?;
        live.data.with(|data| {
            data.as_ref().map(|d| {
                let rows = rows.get().unwrap_or_default();
                export_table(&rows, confirmed.0, &confirmed.1, d.verified)
            })
        })
    };
    let value_of = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Validators"</h1>
            <p class="lede">"Delegates you can stake with, compared on what the chain itself records. Filter, sort, then open a validator for its per-subnet figures."</p>
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
                <label>"Subnet"
                    <input type="number" min="0" max="65535" step="1" inputmode="numeric" prop:value=move || filters.get().subnet.map(|s| s.to_string()).unwrap_or_default()
                        on:change=update(|f, v| f.subnet = v.trim().parse().ok())/>
                </label>
            </form>
            {move || match live.data.with(|d| d.as_ref().map(|d| (d.verified, d.data.len()))) {
                None => view! { <Pending what="validators" error=error/> }.into_any(),
                Some((verified, total)) => view! {
                    <TableToolbar block=live.confirmed verified=verified what="validators" total=total
                        shown=Signal::derive(move || rows.get().map(|r| r.len()).unwrap_or(0)) table=shown/>
                }.into_any(),
            }}
            {move || rows.get().map(|rows| view! {
                <div class="table-wrap">
                    <table class="data-table" aria-label="Validators">
                        <thead>
                            <tr>
                                <th scope="col">"Validator"</th>
                                <th scope="col">"Hotkey"</th>
                                <SortHeader label="Take" key="take" numeric=true sort=sort on_sort=on_sort title="Delegates ÷ 65,535"/>
                                <SortHeader label="Stake" key="stake" numeric=true sort=sort on_sort=on_sort title="Σ TotalHotkeyAlpha × spot price"/>
                                <SortHeader label="Subnets" key="subnets" numeric=true sort=sort on_sort=on_sort title="Subnets with a validator permit"/>
                                <SortHeader label="V. trust" key="vtrust" numeric=true sort=sort on_sort=on_sort title="Mean ValidatorTrust over permitted subnets (or the filtered subnet's)"/>
                                <SortHeader label="Min v. trust" key="min_vtrust" numeric=true sort=sort on_sort=on_sort title="Lowest ValidatorTrust over permitted subnets"/>
                                <SortHeader label="Dividends" key="dividends" numeric=true sort=sort on_sort=on_sort title="Σ AlphaDividendsPerSubnet × spot price, last epoch"/>
                            </tr>
                        </thead>
                        <tbody>
                            {if rows.is_empty() {
                                view! { <tr><td colspan="8" class="empty-row">"No validator matches these filters."</td></tr> }.into_any()
                            } else {
                                rows.into_iter().map(|v| {
                                    let name = display_name(&v);
                                    let vtrust = filters.with_untracked(|f| match f.subnet {
                                        Some(n) => v.subnets.iter().find(|s| s.netuid == n).map(|s| s.validator_trust),
                                        None => v.mean_validator_trust(),
                                    });
                                    view! {
                                        <tr>
                                            <td class="name-cell"><A href=format!("/validators/{}", v.hotkey) attr:title=v.name.clone()>{name}</A></td>
                                            <td><CopyText text=v.hotkey.clone() label="hotkey"/></td>
                                            <td class="num">{format::percent(v.take)}</td>
                                            <td class="num">{format::tao(v.stake_tao_equivalent_rao)}</td>
                                            <td class="num">{v.subnets.len()}</td>
                                            <td class="num">{fraction(vtrust)}</td>
                                            <td class="num">{fraction(v.min_validator_trust())}</td>
                                            <td class="num">{format::tao(v.dividends_tao_equivalent_rao())}</td>
                                        </tr>
                                    }
                                }).collect_view().into_any()
                            }}
                        </tbody>
                    </table>
                </div>
            })}
            <Method/>
        </section>
    }
}

/// One validator's page; a hotkey that is not a delegate shows a not-found message with a way back.
#[component]
pub fn ValidatorPage() -> impl IntoView {
    let params = use_params_map();
    let hotkey = move || params.with(|p| p.get("hotkey").unwrap_or_default());
    let live = use_live::<Vec<Validator>, _, _>(|client, block| async move {
        client.validators(&block).await.map_err(|error| error.to_string())
    });
    let error = Signal::derive(move || live.error.get());
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/validators">"Validators"</A>" / "{move || format::short(&hotkey())}</p>
            {move || match live.data.get() {
                None => view! {
                    <h1 id="page-title">"Validator"</h1>
                    <Pending what="this validator" error=error/>
                }.into_any(),
                Some(snapshot) => match snapshot.data.iter().find(|v| v.hotkey == hotkey()).cloned() {
                    None => view! {
                        <h1 id="page-title">"Validator not found"</h1>
                        <div class="empty-state">
                            <p>{format!("No delegate with hotkey {} at finalized block {}.", hotkey(), format::block(snapshot.block_number))}</p>
                            <A href="/validators">"Back to all validators"</A>
                        </div>
                    }.into_any(),
                    Some(v) => view! { <ValidatorDetail validator=v block=live.confirmed verified=snapshot.verified/> }.into_any(),
                },
            }}
            <Method/>
        </section>
    }
}

#[component]
fn ValidatorDetail(
    validator: Validator,
    #[prop(into)] block: Signal<Option<(u64, String)>>,
    verified: bool,
) -> impl IntoView {
    let v = validator;
    let url = (!v.url.is_empty()).then(|| match safe_http_url(&v.url) {
        Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{v.url.clone()}</a> }.into_any(),
        None => {
            view! { <span class="unsafe-url" title="Not a web link: shown as text">{v.url.clone()}</span> }.into_any()
        }
    });
    let rows = v.subnets.clone();
    let export_rows = rows.clone();
    let export_hotkey = v.hotkey.clone();
    let shown = move || {
        let (block_number, block_hash) = block.get_untracked()?;
        Some(Table {
            name: format!("validator-{}", format::short(&export_hotkey).replace('…', "-")),
            block_number,
            block_hash,
            verified,
            columns: vec![
                "netuid",
                "uid",
                "stake_alpha",
                "price_tao_per_alpha",
                "validator_trust",
                "dividends",
                "dividends_alpha",
            ],
            rows: export_rows
                .iter()
                .map(|s| {
                    vec![
                        Cell::Integer(u128::from(s.netuid)),
                        Cell::Integer(u128::from(s.uid)),
                        Cell::Integer(u128::from(s.stake_alpha)),
                        Cell::Number(s.price),
                        Cell::Number(s.validator_trust),
                        Cell::Number(s.dividends),
                        Cell::Integer(u128::from(s.dividends_alpha)),
                    ]
                })
                .collect(),
        })
    };
    view! {
        <header class="subnet-header">
            <h1 id="page-title" class="subnet-name" title=v.name.clone()>{display_name(&v)}</h1>
            <p class="identity-links">
                <span class="identity-link"><span class="identity-label">"Hotkey: "</span><CopyText text=v.hotkey.clone() label="hotkey"/></span>
                <span class="identity-link"><span class="identity-label">"Owner: "</span><CopyText text=v.coldkey.clone() label="coldkey"/></span>
                {url.map(|link| view! { <span class="identity-link"><span class="identity-label">"Website: "</span>{link}</span> })}
            </p>
            <div class="stats">
                <div class="stat" title="Delegates ÷ 65,535"><div class="stat-label">"Take"</div><div class="stat-value">{format::percent(v.take)}</div></div>
                <div class="stat" title="Σ TotalHotkeyAlpha × spot price"><div class="stat-label">"Stake"</div><div class="stat-value">{format::tao(v.stake_tao_equivalent_rao)}</div></div>
                <div class="stat" title="Mean ValidatorTrust over permitted subnets"><div class="stat-label">"Mean v. trust"</div><div class="stat-value">{fraction(v.mean_validator_trust())}</div></div>
                <div class="stat" title="Σ AlphaDividendsPerSubnet × spot price"><div class="stat-label">"Dividends, last epochs"</div><div class="stat-value">{format::tao(v.dividends_tao_equivalent_rao())}</div></div>
            </div>
        </header>
        <div class="table-toolbar">
            <Provenance block=block verified=verified/>
            <ExportButtons table=shown/>
        </div>
        {if rows.is_empty() {
            view! { <div class="empty-state">"This delegate holds no validator permit at this block."</div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table" aria-label="Per-subnet figures">
                        <thead>
                            <tr>
                                <th scope="col" class="num">"Subnet"</th>
                                <th scope="col" class="num">"UID"</th>
                                <th scope="col" class="num" title="TotalHotkeyAlpha">"Stake"</th>
                                <th scope="col" class="num" title="SubnetTAO ÷ SubnetAlphaIn">"Price"</th>
                                <th scope="col" class="num" title="ValidatorTrust ÷ 65,535">"V. trust"</th>
                                <th scope="col" class="num" title="Dividends ÷ 65,535: share of the subnet's validator emission">"Dividend share"</th>
                                <th scope="col" class="num" title="AlphaDividendsPerSubnet, last epoch">"Dividends"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|s| view! {
                                <tr>
                                    <td class="num"><A href=format!("/subnets/{}?tab=validators", s.netuid)>{s.netuid}</A></td>
                                    <td class="num">{s.uid}</td>
                                    <td class="num">{format::alpha(s.stake_alpha)}</td>
                                    <td class="num">{format!("{} τ", format::amount(s.price))}</td>
                                    <td class="num">{format!("{:.4}", s.validator_trust)}</td>
                                    <td class="num">{format::percent(s.dividends)}</td>
                                    <td class="num">{format::alpha(s.dividends_alpha)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[cfg(test)]
mod tests {
    use light_client::model::ValidatorSubnet;

    use super::*;

    fn validator(name: &str, take: f64, stake_tao: u64, seats: &[(u16, f64)]) -> Validator {
        Validator {
            hotkey: format!("5{name}hot"),
            coldkey: format!("5{name}cold"),
            name: name.into(),
            url: String::new(),
            take,
            stake_tao_equivalent_rao: stake_tao * 1_000_000_000,
            subnets: seats
                .iter()
                .map(|&(netuid, validator_trust)| ValidatorSubnet {
                    netuid,
                    uid: 0,
                    stake_alpha: 0,
                    price: 1.0,
                    validator_trust,
                    dividends: 0.0,
                    dividends_alpha: 0,
                })
                .collect(),
        }
    }

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
            validator("Alpha", 0.18, 100, &[(1, 0.9), (2, 0.5)]),
            validator("Beta", 0.09, 50, &[(2, 0.95)]),
            validator("Gamma", 0.0, 10, &[]),
        ];
        let names = |f: &Filters| f.apply(&all).iter().map(|v| v.name.clone()).collect::<Vec<_>>();
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
}
