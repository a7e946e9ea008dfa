//! The subnets page: every subnet with its pool, price and emission.

use leptos::prelude::*;
use leptos_router::components::A;
use light_client::model::Subnet;

use crate::chain::use_live;
use crate::components::{provenance::Provenance, state::Pending};
use crate::format;

/// The subnets page.
#[component]
pub fn Subnets() -> impl IntoView {
    let live = use_live::<Vec<Subnet>, _, _>(|client, block| async move {
        client.subnets(&block).await.map_err(|error| error.to_string())
    });
    let error = Signal::derive(move || live.with(|l| l.error.clone()));
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Subnets"</h1>
            {move || match live.with(|l| l.data.clone()) {
                None => view! { <Pending what="subnets" error=error/> }.into_any(),
                Some(snapshot) => view! {
                    <Provenance block_number=snapshot.block_number block_hash=snapshot.block_hash.clone() verified=snapshot.verified/>
                    <div class="table-wrap">
                        <table class="data-table" aria-label="Subnets">
                            <thead>
                                <tr>
                                    <th scope="col">"Netuid"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col" class="num">"Price"</th>
                                    <th scope="col" class="num">"Emission"</th>
                                    <th scope="col" class="num">"TAO / block"</th>
                                    <th scope="col" class="num">"Pool TAO"</th>
                                    <th scope="col" class="num">"α in"</th>
                                    <th scope="col" class="num">"α out"</th>
                                    <th scope="col" class="num">"UIDs"</th>
                                    <th scope="col" class="num">"Tempo"</th>
                                    <th scope="col" class="num">"Reg. cost"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {snapshot.data.into_iter().map(|subnet| {
                                    let name = match (subnet.netuid, subnet.name.is_empty()) {
                                        (0, true) => "Root".to_string(),
                                        (_, true) => "—".to_string(),
                                        _ => subnet.name.clone(),
                                    };
                                    view! {
                                        <tr>
                                            <td>{subnet.netuid}</td>
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
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
