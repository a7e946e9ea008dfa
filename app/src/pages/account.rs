//! "My stake": a coldkey pasted or linked (`/account/:coldkey`) and its positions on every hotkey
//! and subnet, valued in TAO, with each validator's take, trust and last-epoch APY beside them and
//! the whole stake's estimated yield. Read-only: no wallet, nothing to sign.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use light_client::model::{StakePosition, SwapQuote};

use crate::components::alerts::{AlertButton, Scope};
use crate::components::history::{StarButton, Starred};
use crate::data::history::use_history;
use crate::data::provenance::Provenance;
use crate::earnings::{self, PositionEarnings};

use crate::components::export::CopyText;
use crate::components::method::{ANNUALISED, MethodNotes, PRICE_METHOD};
use crate::components::state::Pending;
use crate::components::url_state::UnknownParameters;
use crate::data::{AccountExits, use_account};
use crate::export::Cell;
use crate::format;
use crate::names::shown;
use crate::table::view::SortedTable;
use crate::table::{Column, Columns, Shown};

/// A position and what unstaking it alone would return now (`None` where the runtime cannot quote).
#[derive(Debug, Clone, PartialEq)]
struct PositionRow {
    position: StakePosition,
    exit: Option<SwapQuote>,
}

impl PositionRow {
    /// The exit value, rao, unless the pool would refuse the unstake.
    fn exit_received(&self) -> Option<u64> {
        self.exit.as_ref().filter(|q| !q.refused()).map(SwapQuote::received)
    }
}

/// The rows of an account's table: each position beside its exit quote.
fn position_rows(data: &AccountExits) -> Vec<PositionRow> {
    let exits = data.exits.as_ref().ok();
    data.account
        .positions
        .iter()
        .enumerate()
        .map(|(index, position)| PositionRow {
            position: position.clone(),
            exit: exits.and_then(|exits| exits.get(index).cloned()),
        })
        .collect()
}

/// The account's total exit value, rao, and whether every position could be quoted.
fn total_exit_rao(rows: &[PositionRow]) -> (u64, bool) {
    let total = rows.iter().filter_map(PositionRow::exit_received).sum();
    (total, rows.iter().all(|row| row.exit_received().is_some()))
}

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

fn optional(value: Option<f64>) -> Cell {
    Cell::Number(value.unwrap_or(f64::NAN))
}

fn validator_cell(p: &PositionRow) -> AnyView {
    let name = if p.position.name.is_empty() {
        format::short(&p.position.hotkey)
    } else {
        p.position.name.clone()
    };
    if p.position.delegate {
        view! { <A href=format!("/validators/{}", p.position.hotkey) attr:class="name-cell" attr:title=p.position.name.clone()><bdi>{shown(&name)}</bdi></A> }.into_any()
    } else {
        view! { <span class="name-cell" title="Not a delegate"><bdi>{shown(&name)}</bdi></span> }.into_any()
    }
}

fn hotkey_cell(p: &PositionRow) -> AnyView {
    view! { <CopyText text=p.position.hotkey.clone() label="hotkey"/> }.into_any()
}

fn netuid_cell(p: &PositionRow) -> AnyView {
    let netuid = p.position.netuid;
    view! { <A href=format!("/subnets/{netuid}")>{netuid}</A> }.into_any()
}

fn slippage_cell(p: &PositionRow) -> AnyView {
    match p.exit.as_ref().filter(|q| !q.refused()) {
        Some(quote) => {
            let share = quote
                .slippage_share()
                .map(|s| format!(" ({})", format::percent(s)))
                .unwrap_or_default();
            view! { <span>{format::tao(quote.slippage())}<span class="cell-note">{share}</span></span> }.into_any()
        }
        None => "—".into_any(),
    }
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
const COLUMNS: Columns<PositionRow> = Columns(&[
    Column { export: "validator", label: "Validator", source: "IdentitiesV2 of the hotkey's owner (untrusted text)", sort_key: Some("validator"), numeric: false,
        raw: |p| Cell::Text(if p.position.name.is_empty() { format::short(&p.position.hotkey) } else { p.position.name.clone() }), shown: Shown::View(validator_cell) },
    Column { export: "hotkey", label: "Hotkey", source: "A hotkey in StakingHotkeys(coldkey)", sort_key: None, numeric: false,
        raw: |p| Cell::Text(p.position.hotkey.clone()), shown: Shown::View(hotkey_cell) },
    Column { export: "netuid", label: "Subnet", source: "The AlphaV2 key's netuid", sort_key: Some("netuid"), numeric: true,
        raw: |p| integer(u64::from(p.position.netuid)), shown: Shown::View(netuid_cell) },
    Column { export: "alpha", label: "Stake", source: "TotalHotkeyAlpha × AlphaV2 ÷ TotalHotkeySharesV2", sort_key: Some("alpha"), numeric: true,
        raw: |p| integer(p.position.alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "price_tao_per_alpha", label: "Price", source: "(1 − q)/q × SubnetTAO ÷ SubnetAlphaIn, q = Swap.SwapBalancer quote weight (1 on root); for a pool with a Swap.SwapSuperellipse curve, SwapRuntimeApi.current_alpha_price_all (see the subnet's page)", sort_key: Some("price"), numeric: true,
        raw: |p| optional(p.position.price), shown: Shown::Text(|c| format::price(c.sort_number())) },
    Column { export: "value_rao", label: "Value", source: "Stake × spot price (— without a price)", sort_key: Some("value"), numeric: true,
        raw: |p| p.position.value_rao().map_or(Cell::Number(f64::NAN), integer), shown: Shown::Text(|c| c.sort_number().map_or("—".into(), |_| format::tao(c.as_u64()))) },
    Column { export: "exit_value_rao", label: "Exit value", source: "SwapRuntimeApi.sim_swap_alpha_for_tao(netuid, stake).tao_amount: what unstaking this position alone would return now, after the pool's fee and slippage (— where the pool would refuse it or the runtime cannot quote)", sort_key: Some("exit"), numeric: true,
        raw: |p| p.exit_received().map_or(Cell::Number(f64::NAN), integer), shown: Shown::Text(|c| c.sort_number().map_or("—".into(), |_| format::tao(c.as_u64()))) },
    Column { export: "exit_fee_alpha", label: "", source: "SimSwapResult.alpha_fee: the pool's fee, taken from the α sold (Swap.FeeRate, default 33/65535)", sort_key: None, numeric: true,
        raw: |p| p.exit.as_ref().map_or(Cell::Number(f64::NAN), |q| integer(q.fee())), shown: Shown::ExportOnly },
    Column { export: "exit_slippage_rao", label: "Slippage", source: "SimSwapResult.tao_slippage: the stake at the pre-trade spot price less the exit value (the fee's cost included), with its share of the spot value", sort_key: Some("slippage"), numeric: true,
        raw: |p| p.exit.as_ref().filter(|q| !q.refused()).map_or(Cell::Number(f64::NAN), |q| integer(q.slippage())), shown: Shown::View(slippage_cell) },
    Column { export: "take", label: "Take", source: "Delegates(hotkey) ÷ 65,535", sort_key: Some("take"), numeric: true,
        raw: |p| Cell::Number(p.position.take), shown: Shown::Text(|c| format::percent(c.as_f64())) },
    Column { export: "validator_trust", label: "V. trust", source: "ValidatorTrust at the hotkey's uid, where it holds a permit (— otherwise, and on Null-consensus subnets)", sort_key: Some("vtrust"), numeric: true,
        raw: |p| optional(p.position.validator_trust.filter(|_| !p.position.null_consensus)), shown: Shown::Text(fraction) },
    Column { export: "dividends_alpha", label: "", source: "AlphaDividendsPerSubnet(netuid, hotkey)", sort_key: None, numeric: true,
        raw: |p| integer(p.position.dividends_alpha), shown: Shown::ExportOnly },
    Column { export: "stake_last_epoch_alpha", label: "", source: "TotalHotkeyAlphaLastEpoch(hotkey, netuid)", sort_key: None, numeric: true,
        raw: |p| integer(p.position.stake_last_epoch_alpha), shown: Shown::ExportOnly },
    Column { export: "tempo", label: "", source: "Tempo(netuid)", sort_key: None, numeric: true,
        raw: |p| integer(u64::from(p.position.tempo)), shown: Shown::ExportOnly },
    Column { export: "epoch_spacing_blocks", label: "", source: "S = next epoch start − LastEpochBlock(netuid): LastEpochBlock + Tempo, or an earlier PendingEpochAt (null for tempo 0)", sort_key: None, numeric: true,
        raw: |p| optional(p.position.epoch_spacing.map(|e| e.blocks as f64)), shown: Shown::ExportOnly },
    Column { export: "apy", label: "APY", source: "Last epoch, annualised (see the method)", sort_key: Some("apy"), numeric: true,
        raw: |p| optional(p.position.apy()), shown: Shown::Text(rate) },
]);

fn earnings_hotkey_cell(p: &PositionEarnings) -> AnyView {
    let (href, text) = (format!("/validators/{}", p.hotkey), format::short(&p.hotkey));
    view! { <A href=href>{text}</A> }.into_any()
}

/// A signed amount of 10⁻⁹ units, shown by `unit` (a sign only where something rounds to show).
fn signed(value: f64, unit: fn(u64) -> String) -> String {
    let magnitude = value.abs().round() as u64;
    let sign = if value < 0.0 && magnitude > 0 { "−" } else { "" };
    format!("{sign}{}", unit(magnitude))
}

fn alpha_figure(cell: &Cell) -> String {
    signed(cell.as_f64(), format::alpha)
}

/// The earnings table: per position, what its shares earned and what was staked or unstaked.
#[rustfmt::skip]
const EARNINGS_COLUMNS: Columns<PositionEarnings> = Columns(&[
    Column { export: "hotkey", label: "Hotkey", source: "The position's hotkey", sort_key: None, numeric: false,
        raw: |p| Cell::Text(p.hotkey.clone()), shown: Shown::View(earnings_hotkey_cell) },
    Column { export: "netuid", label: "Subnet", source: "The position's subnet", sort_key: Some("netuid"), numeric: true,
        raw: |p| integer(u64::from(p.netuid)), shown: Shown::Text(|c| c.as_u64().to_string()) },
    Column { export: "start_alpha", label: "At start", source: "AlphaV2 × TotalHotkeyAlpha ÷ TotalHotkeySharesV2 at the first recorded block", sort_key: None, numeric: true,
        raw: |p| Cell::Number(p.start_alpha), shown: Shown::Text(alpha_figure) },
    Column { export: "earned_alpha", label: "Earned", source: "Σ shares held × the share value's rise (TotalHotkeyAlpha ÷ TotalHotkeySharesV2) between recorded blocks", sort_key: Some("earned"), numeric: true,
        raw: |p| Cell::Number(p.earned_alpha), shown: Shown::Text(alpha_figure) },
    Column { export: "moved_alpha", label: "Staked or unstaked", source: "Σ the change of AlphaV2 (shares) × the share value: stake moved in (+) or out (−), not earnings", sort_key: Some("moved"), numeric: true,
        raw: |p| Cell::Number(p.moved_alpha), shown: Shown::Text(alpha_figure) },
    Column { export: "end_alpha", label: "At end", source: "The same at the last recorded block", sort_key: None, numeric: true,
        raw: |p| Cell::Number(p.end_alpha), shown: Shown::Text(alpha_figure) },
    Column { export: "earned_rao", label: "Earned, τ", source: "Earned α × the latest recorded spot price", sort_key: Some("earned_tao"), numeric: true,
        raw: |p| optional(p.earned_tao().map(|t| t * 1e9)), shown: Shown::Text(|c| c.sort_number().map_or("—".into(), |v| signed(v, format::tao))) },
]);

/// A watched coldkey's earnings net of trades over what this browser recorded, or how to start.
#[component]
fn EarningsSection(coldkey: String, #[prop(into)] provenance: Signal<Option<Provenance>>) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let watched = {
        let coldkey = coldkey.clone();
        Memo::new(move |_| store.watchlist.with(|w| w.coldkeys.contains(&coldkey)))
    };
    let split = {
        let coldkey = coldkey.clone();
        Memo::new(move |_| {
            store.history.with(|h| {
                h.coldkeys
                    .iter()
                    .find(|s| s.coldkey == coldkey)
                    .and_then(earnings::earnings)
            })
        })
    };
    let rows = Signal::derive(move || split.with(|s| s.as_ref().map(|s| s.positions.clone()).unwrap_or_default()));
    let export_name = format!("earnings-{}", format::short(&coldkey).replace('…', "-"));
    let star = coldkey.clone();
    view! {
        <section class="earnings" aria-labelledby="earnings-title">
            <h2 id="earnings-title">"Earnings net of trades"</h2>
            <p class="identity-links"><StarButton item=Starred::Coldkey(star.clone()) what=format!("coldkey {star}")/></p>
            {move || match (watched.get(), split.get()) {
                _ if !store.shown() => view! { <p class="hint" role="status">"Not recorded here: this page reads through a trusted RPC node, which this browser cannot check, so its figures are never recorded as history."</p> }.into_any(),
                (false, _) => view! { <p class="hint">"Watch this coldkey to record its positions in this browser. Earnings then show for the blocks recorded while a Taoscope tab is open: what the shares earned, apart from stake moved in or out."</p> }.into_any(),
                (true, None) => view! { <p class="hint" role="status">"Recording this coldkey's positions: earnings show once this browser has two recorded points."</p> }.into_any(),
                (true, Some(split)) => view! {
                    <div class="stats account-summary" data-from-block=split.from_block.to_string() data-to-block=split.to_block.to_string()>
                        <div class="stat" title="Σ earned α × latest spot price"><div class="stat-label">"Earned"</div><div class="stat-value">{signed(split.earned_tao() * 1e9, format::tao)}</div></div>
                        <div class="stat" title="Σ staked or unstaked α × latest spot price"><div class="stat-label">"Staked or unstaked"</div><div class="stat-value">{signed(split.moved_tao() * 1e9, format::tao)}</div></div>
                        <div class="stat" title="Recorded blocks the split covers"><div class="stat-label">"Blocks covered"</div><div class="stat-value">{format!("{} – {}", format::block(split.from_block), format::block(split.to_block))}</div><div class="stat-note">{format!("{} recorded points", split.points)}</div></div>
                    </div>
                }.into_any(),
            }}
            <Show when=move || split.with(Option::is_some)>
                <SortedTable columns=EARNINGS_COLUMNS label="Earnings per position" what="positions" export_name=export_name.clone()
                    rows=rows provenance=provenance initial=EARNINGS_COLUMNS.sort("earned", true) empty="No positions."/>
            </Show>
        </section>
    }
    .into_any()
}

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
            .with(|d| d.as_ref().map(|d| position_rows(&d.data)).unwrap_or_default())
    });
    let export_name = format!("account-{}", format::short(&coldkey).replace('…', "-"));
    view! {
        <header class="subnet-header">
            <h1 id="page-title">"My stake"</h1>
            <p class="identity-links"><span class="identity-link"><span class="identity-label">"Coldkey: "</span><CopyText text=coldkey.clone() label="coldkey"/></span></p>
            <AlertButton scope=Scope::Account(coldkey.clone()) what=format!("coldkey {coldkey}")/>
        </header>
        <Show when=move || live.data.with(Option::is_some) fallback=move || view! { <Pending what="this account" error=live.error/> }>
            {move || live.data.get().map(|snapshot| {
                let account = &snapshot.data.account;
                let staked = account.staked_value_rao();
                let rated = account.rated_value_rao();
                let coverage = (rated < staked).then(|| format!("over the {} with a last-epoch figure", format::tao(rated)));
                let (exit_total, all_quoted) = total_exit_rao(&position_rows(&snapshot.data));
                let exit_card = match &snapshot.data.exits {
                    Ok(_) => {
                        let note = if all_quoted {
                            format!("{} below spot; each position sold alone", format::tao(staked.saturating_sub(exit_total)))
                        } else {
                            "positions the pool would refuse are left out".to_string()
                        };
                        view! {
                            <div class="stat exit-total" title="Σ SwapRuntimeApi.sim_swap_alpha_for_tao(netuid, stake).tao_amount" data-rao=exit_total.to_string()>
                                <div class="stat-label">"If unstaked now"</div><div class="stat-value">{format::tao(exit_total)}</div><div class="stat-note">{note}</div>
                            </div>
                        }.into_any()
                    }
                    Err(_) => ().into_any(),
                };
                let unsupported = snapshot.data.exits.as_ref().err().map(|what| view! {
                    <p class="notice" role="status">{format!("Exit values are unavailable: this runtime cannot simulate an unstake ({what}).")}</p>
                });
                view! {
                    <div class="stats account-summary">
                        <div class="stat" title="System.Account free balance"><div class="stat-label">"Free balance"</div><div class="stat-value">{format::tao(account.free_rao)}</div></div>
                        <div class="stat" title="Σ stake × spot price"><div class="stat-label">"Staked, at spot prices"</div><div class="stat-value">{format::tao(staked)}</div></div>
                        {exit_card}
                        <div class="stat" title="Positions with stake"><div class="stat-label">"Positions"</div><div class="stat-value">{account.positions.len()}</div></div>
                        <div class="stat" title="Each position's last-epoch APY weighted by its value"><div class="stat-label">"Estimated APY"</div><div class="stat-value">{format::rate(account.apy())}</div>{coverage.map(|text| view! { <div class="stat-note">{text}</div> })}</div>
                    </div>
                    {unsupported}
                    {account.positions.is_empty().then(|| view! {
                        <div class="empty-state"><p>{format!("No stake found for this coldkey at finalized block {}: none of the hotkeys in its StakingHotkeys holds shares of it.", format::block(snapshot.block_number))}</p></div>
                    })}
                }
            })}
            <p class="notice locks-note" role="note">{LOCKS_NOT_SHOWN}</p>
            <SortedTable columns=COLUMNS label="Stake positions" what="positions" export_name=export_name.clone()
                rows=rows provenance=live.provenance initial=COLUMNS.sort("value", true) empty="No positions."/>
            <EarningsSection coldkey=coldkey.clone() provenance=live.provenance/>
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
            <dt>"Exit value and slippage"</dt>
            <dd>"What unstaking the position alone would return now: the runtime's own simulation, SwapRuntimeApi.sim_swap_alpha_for_tao(netuid, stake) at the same block (one verified call proof per position). The pool's fee, Swap.FeeRate(netuid) (33/65535 by default), is taken from the α sold; the rest is sold along the pool's curve (Swap.SwapBalancer's weights, or the Swap.SwapSuperellipse curve where a pool has one) against SubtensorModule.SubnetTAO and SubnetAlphaIn. Slippage is the runtime's tao_slippage: the whole stake at the pre-trade spot price less the exit value, so it includes the fee's cost; the share beside it is of the spot value. Root stake and subnets off the dynamic mechanism swap 1:1 without a fee. The total sells each position alone: selling several positions on one subnet together would slip more. A position the pool would refuse (the runtime answers zeros) shows —."</dd>
            <dt>"APY"</dt>
            <dd>"Per position, the validator's last epoch on that subnet: y = D ÷ (T − D) with D = AlphaDividendsPerSubnet (after take) and T = TotalHotkeyAlphaLastEpoch, compounded once per epoch over a year: (1 + y)^(365 × 7,200 ÷ S) − 1, "{ANNUALISED}" (S per position in the export's epoch_spacing_blocks). Estimated APY: the positions' APYs weighted by their value; positions without a figure (no epoch has paid them yet) are left out, and the card says how much of the value the estimate covers."</dd>
            <dt>"Earnings net of trades"</dt>
            <dd>"For a watched coldkey, this browser records each position's share count (SubtensorModule.AlphaV2) and share value (TotalHotkeyAlpha ÷ TotalHotkeySharesV2, α per share) at verified blocks, every few blocks while a Taoscope tab is open. Between two recorded blocks, with s shares and v α per share: earned = s before × (v after − v before); staked or unstaked = s after × v after − s before × v before − earned. Emission raises the share value; a stake or an unstake changes the share count at the current value, so it is never counted as earnings. A move between two recorded points is valued at the later point's share value. τ figures use the latest recorded spot price. Nothing is recorded from a trusted RPC node."</dd>
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
            shares: alpha as f64,
            alpha_per_share: 1.0,
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
        let row = |position: StakePosition, exit: Option<SwapQuote>| PositionRow { position, exit };
        let rows = vec![
            row(position(1, "Alpha", 1_000, 0.5), Some(quote(1, 1_000, 480, 20))),
            row(position(3, "", 10, 2.0), None),
            row(position(0, "Root", 5, 1.0), Some(quote(0, 5, 5, 0))),
        ];
        crate::table::check_spec(COLUMNS, &rows);
        assert!(
            (COLUMNS.0[10].raw)(&rows[1]).as_f64().is_nan(),
            "no trust figure on Null consensus"
        );
    }

    fn quote(netuid: u16, alpha: u64, tao_out: u64, slippage: u64) -> SwapQuote {
        SwapQuote {
            netuid,
            direction: light_client::model::SwapDirection::AlphaForTao,
            amount_in: alpha,
            tao_amount: tao_out,
            alpha_amount: alpha,
            tao_fee: 0,
            alpha_fee: 0,
            tao_slippage: slippage,
            alpha_slippage: 0,
        }
    }

    #[test]
    fn the_total_exit_sums_each_position_sold_alone_and_says_when_one_is_refused() {
        let row = |exit| PositionRow {
            position: position(1, "Alpha", 1_000, 0.5),
            exit,
        };
        assert_eq!(
            total_exit_rao(&[row(Some(quote(1, 1_000, 480, 20))), row(Some(quote(1, 1_000, 470, 30)))]),
            (950, true)
        );
        // A refused unstake (all zeros) counts for nothing and is flagged.
        assert_eq!(
            total_exit_rao(&[row(Some(quote(1, 1_000, 480, 20))), row(Some(quote(1, 1_000, 0, 0)))]),
            (480, false)
        );
    }

    #[test]
    fn signed_figures_show_a_sign_only_where_a_figure_shows() {
        assert_eq!(signed(-0.4, format::alpha), "0 α");
        assert_eq!(signed(-2_500_000_000.0, format::tao), "−2.50 τ");
        assert_eq!(signed(40_000_000_000.0, format::tao), "40.00 τ");
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
