//! "My stake": a coldkey pasted or linked (`/account/:coldkey`) and its positions on every hotkey
//! and subnet, valued in TAO, with each validator's take, trust and last-epoch APY beside them and
//! the whole stake's estimated yield. Read-only: no wallet, nothing to sign.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use light_client::model::StakePosition;

use crate::components::export::CopyText;
use crate::components::method::{ANNUALISED, MethodNotes, PRICE_METHOD};
use crate::components::state::Pending;
use crate::components::url_state::UnknownParameters;
use crate::data::use_account;
use crate::export::Cell;
use crate::format;
use crate::names::shown;
use crate::table::view::SortedTable;
use crate::table::{Column, Columns, Shown};

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

fn optional(value: Option<f64>) -> Cell {
    Cell::Number(value.unwrap_or(f64::NAN))
}

fn validator_cell(p: &StakePosition) -> AnyView {
    let name = if p.name.is_empty() {
        format::short(&p.hotkey)
    } else {
        p.name.clone()
    };
    if p.delegate {
        view! { <A href=format!("/validators/{}", p.hotkey) attr:class="name-cell" attr:title=p.name.clone()><bdi>{shown(&name)}</bdi></A> }.into_any()
    } else {
        view! { <span class="name-cell" title="Not a delegate"><bdi>{shown(&name)}</bdi></span> }.into_any()
    }
}

fn hotkey_cell(p: &StakePosition) -> AnyView {
    view! { <CopyText text=p.hotkey.clone() label="hotkey"/> }.into_any()
}

fn netuid_cell(p: &StakePosition) -> AnyView {
    let netuid = p.netuid;
    view! { <A href=format!("/subnets/{netuid}")>{netuid}</A> }.into_any()
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

/// What the page says about locked stake, beside the positions.
const LOCKS_NOT_SHOWN: &str =
    "Locked α (SubtensorModule.Lock, conviction locks at spec 475) is not shown: part of a position may be locked.";

/// The positions table.
#[rustfmt::skip]
const COLUMNS: Columns<StakePosition> = Columns(&[
    Column { export: "validator", label: "Validator", source: "IdentitiesV2 of the hotkey's owner (untrusted text)", sort_key: Some("validator"), numeric: false,
        raw: |p| Cell::Text(if p.name.is_empty() { format::short(&p.hotkey) } else { p.name.clone() }), shown: Shown::View(validator_cell) },
    Column { export: "hotkey", label: "Hotkey", source: "A hotkey in StakingHotkeys(coldkey)", sort_key: None, numeric: false,
        raw: |p| Cell::Text(p.hotkey.clone()), shown: Shown::View(hotkey_cell) },
    Column { export: "netuid", label: "Subnet", source: "The AlphaV2 key's netuid", sort_key: Some("netuid"), numeric: true,
        raw: |p| integer(u64::from(p.netuid)), shown: Shown::View(netuid_cell) },
    Column { export: "alpha", label: "Stake", source: "TotalHotkeyAlpha × AlphaV2 ÷ TotalHotkeySharesV2", sort_key: Some("alpha"), numeric: true,
        raw: |p| integer(p.alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "price_tao_per_alpha", label: "Price", source: "(1 − q)/q × SubnetTAO ÷ SubnetAlphaIn, q = Swap.SwapBalancer quote weight (1 on root); for a pool with a Swap.SwapSuperellipse curve, SwapRuntimeApi.current_alpha_price_all (see the subnet's page)", sort_key: Some("price"), numeric: true,
        raw: |p| optional(p.price), shown: Shown::Text(|c| format::price(c.sort_number())) },
    Column { export: "value_rao", label: "Value", source: "Stake × spot price (— without a price)", sort_key: Some("value"), numeric: true,
        raw: |p| p.value_rao().map_or(Cell::Number(f64::NAN), integer), shown: Shown::Text(|c| c.sort_number().map_or("—".into(), |_| format::tao(c.as_u64()))) },
    Column { export: "take", label: "Take", source: "Delegates(hotkey) ÷ 65,535", sort_key: Some("take"), numeric: true,
        raw: |p| Cell::Number(p.take), shown: Shown::Text(|c| format::percent(c.as_f64())) },
    Column { export: "validator_trust", label: "V. trust", source: "ValidatorTrust at the hotkey's uid, where it holds a permit (— otherwise, and on Null-consensus subnets)", sort_key: Some("vtrust"), numeric: true,
        raw: |p| optional(p.validator_trust.filter(|_| !p.null_consensus)), shown: Shown::Text(fraction) },
    Column { export: "dividends_alpha", label: "", source: "AlphaDividendsPerSubnet(netuid, hotkey)", sort_key: None, numeric: true,
        raw: |p| integer(p.dividends_alpha), shown: Shown::ExportOnly },
    Column { export: "stake_last_epoch_alpha", label: "", source: "TotalHotkeyAlphaLastEpoch(hotkey, netuid)", sort_key: None, numeric: true,
        raw: |p| integer(p.stake_last_epoch_alpha), shown: Shown::ExportOnly },
    Column { export: "tempo", label: "", source: "Tempo(netuid)", sort_key: None, numeric: true,
        raw: |p| integer(u64::from(p.tempo)), shown: Shown::ExportOnly },
    Column { export: "epoch_spacing_blocks", label: "", source: "S = next epoch start − LastEpochBlock(netuid): LastEpochBlock + Tempo, or an earlier PendingEpochAt (null for tempo 0)", sort_key: None, numeric: true,
        raw: |p| optional(p.epoch_spacing.map(|e| e.blocks as f64)), shown: Shown::ExportOnly },
    Column { export: "apy", label: "APY", source: "Last epoch, annualised (see the method)", sort_key: Some("apy"), numeric: true,
        raw: |p| optional(p.apy()), shown: Shown::Text(rate) },
]);

/// The address form, on `/account` and above an account's figures.
#[component]
fn AddressForm(#[prop(optional)] initial: String) -> impl IntoView {
    let navigate = use_navigate();
    let text = RwSignal::new(initial);
    let problem = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let address = text.get_untracked().trim().to_string();
        match light_client::ss58::decode(&address) {
            Ok(_) => {
                problem.set(None);
                navigate(&format!("/account/{address}"), Default::default());
            }
            Err(error) => problem.set(Some(address_problem(&address, &error.to_string()))),
        }
    };
    view! {
        <form class="filters account-form" on:submit=submit aria-label="Look up a coldkey">
            <label>"Coldkey (SS58)"
                <input type="text" spellcheck="false" autocomplete="off" placeholder="5…" prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))/>
            </label>
            <button type="submit" class="button">"Show stake"</button>
        </form>
        {move || problem.get().map(|message| view! { <p class="notice" role="alert">{message}</p> })}
    }
}

/// What is wrong with an address, in words a person can act on.
fn address_problem(address: &str, reason: &str) -> String {
    if address.is_empty() {
        "Paste a coldkey address (SS58, starting with 5 on Bittensor).".to_string()
    } else {
        format!("{address:?} is not an SS58 address ({reason}). Check that it was copied whole.")
    }
}

/// `/account`: the form alone.
#[component]
pub fn AccountLookup() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"My stake"</h1>
            <UnknownParameters/>
            <p class="lede">"Paste a coldkey to see its stake on every validator and subnet as the chain records it; the line above the table says who vouches for the figures. Read-only: nothing is signed, nothing leaves this page."</p>
            <AddressForm/>
            <Method/>
        </section>
    }
}

/// `/account/:coldkey`: a coldkey's balance and positions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let coldkey = Memo::new(move |_| params.with(|p| p.get("coldkey").unwrap_or_default()));
    move || {
        let coldkey = coldkey.get();
        let body = match light_client::ss58::decode(coldkey.trim()) {
            Ok(_) => view! { <AccountView coldkey=coldkey.trim().to_string()/> }.into_any(),
            Err(error) => view! {
                <h1 id="page-title">"Not an address"</h1>
                <div class="empty-state" role="alert"><p>{address_problem(&coldkey, &error.to_string())}</p></div>
                <AddressForm initial=coldkey.clone()/>
            }
            .into_any(),
        };
        view! {
            <section class="page" aria-labelledby="page-title">
                <p class="breadcrumb"><A href="/account">"My stake"</A>" / "{format::short(&coldkey)}</p>
                <UnknownParameters/>
                {body}
                <Method/>
            </section>
        }
    }
}

#[component]
fn AccountView(coldkey: String) -> impl IntoView {
    let live = use_account(coldkey.clone());
    let rows = Signal::derive(move || {
        live.data
            .with(|d| d.as_ref().map(|d| d.data.positions.clone()).unwrap_or_default())
    });
    let export_name = format!("account-{}", format::short(&coldkey).replace('…', "-"));
    view! {
        <header class="subnet-header">
            <h1 id="page-title">"My stake"</h1>
            <p class="identity-links"><span class="identity-link"><span class="identity-label">"Coldkey: "</span><CopyText text=coldkey.clone() label="coldkey"/></span></p>
        </header>
        <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="this account" error=live.error/> }>
            {move || live.data.get().map(|snapshot| {
                let account = &snapshot.data;
                let staked = account.staked_value_rao();
                let rated = account.rated_value_rao();
                let coverage = (rated < staked).then(|| format!("over the {} with a last-epoch figure", format::tao(rated)));
                view! {
                    <div class="stats account-summary">
                        <div class="stat" title="System.Account free balance"><div class="stat-label">"Free balance"</div><div class="stat-value">{format::tao(account.free_rao)}</div></div>
                        <div class="stat" title="Σ stake × spot price"><div class="stat-label">"Staked, at spot prices"</div><div class="stat-value">{format::tao(staked)}</div></div>
                        <div class="stat" title="Positions with stake"><div class="stat-label">"Positions"</div><div class="stat-value">{account.positions.len()}</div></div>
                        <div class="stat" title="Each position's last-epoch APY weighted by its value"><div class="stat-label">"Estimated APY"</div><div class="stat-value">{format::rate(account.apy())}</div>{coverage.map(|text| view! { <div class="stat-note">{text}</div> })}</div>
                    </div>
                    {account.positions.is_empty().then(|| view! {
                        <div class="empty-state"><p>{format!("No stake found for this coldkey at finalized block {}: none of the hotkeys in its StakingHotkeys holds shares of it.", format::block(snapshot.block_number))}</p></div>
                    })}
                }
            })}
            <p class="notice locks-note" role="note">{LOCKS_NOT_SHOWN}</p>
            <SortedTable columns=COLUMNS label="Stake positions" what="positions" export_name=export_name.clone()
                rows=rows provenance=live.provenance initial=COLUMNS.sort("value", true) empty="No positions."/>
        </Show>
    }
}

/// How the figures are computed.
#[component]
fn Method() -> impl IntoView {
    view! {
        <MethodNotes>
            <dt>"Positions"</dt>
            <dd>"Every hotkey listed in SubtensorModule.StakingHotkeys(coldkey); under each, the coldkey's shares AlphaV2(hotkey, coldkey, subnet). Stake = TotalHotkeyAlpha(hotkey, subnet) × AlphaV2 ÷ TotalHotkeySharesV2(hotkey, subnet), shares being mantissa × 10^exponent. Hotkeys whose shares are worth nothing any more are left out."</dd>
            <dt>"Value"</dt>
            <dd>"Stake × the subnet's spot price: what it is worth at today's price, not what unstaking returns after slippage. The price: "{PRICE_METHOD}" A position without a price has no value here, and the totals leave it out."</dd>
            <dt>"APY"</dt>
            <dd>"Per position, the validator's last epoch on that subnet: y = D ÷ (T − D) with D = AlphaDividendsPerSubnet (after take) and T = TotalHotkeyAlphaLastEpoch, compounded once per epoch over a year: (1 + y)^(365 × 7,200 ÷ S) − 1, "{ANNUALISED}" (S per position in the export's epoch_spacing_blocks). Estimated APY: the positions' APYs weighted by their value; positions without a figure (no epoch has paid them yet) are left out, and the card says how much of the value the estimate covers."</dd>
            <dt>"Free balance"</dt>
            <dd>"System.Account(coldkey).data.free."</dd>
        </MethodNotes>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(netuid: u16, name: &str, alpha: u64, price: f64) -> StakePosition {
        StakePosition {
            hotkey: format!("5{name}hot"),
            name: name.into(),
            netuid,
            alpha,
            price: Some(price),
            delegate: true,
            take: 0.18,
            validator_trust: Some(0.9),
            null_consensus: netuid == 3,
            dividends_alpha: 10,
            stake_last_epoch_alpha: 1_010,
            tempo: 99,
            epoch_spacing: light_client::model::EpochSpacing::from_chain(0, 99, 0),
        }
    }

    #[test]
    fn every_column_sorts_and_exports_its_raw_value() {
        let rows = vec![
            position(1, "Alpha", 1_000, 0.5),
            position(3, "", 10, 2.0),
            position(0, "Root", 5, 1.0),
        ];
        crate::table::check_spec(COLUMNS, &rows);
        assert!(
            (COLUMNS.0[7].raw)(&rows[1]).as_f64().is_nan(),
            "no trust figure on Null consensus"
        );
    }

    #[test]
    fn address_problems_say_what_to_do() {
        assert!(address_problem("", "empty").starts_with("Paste a coldkey"));
        let message = address_problem("5abc", "bad checksum");
        assert!(
            message.contains("\"5abc\"") && message.contains("bad checksum"),
            "{message}"
        );
    }
}
