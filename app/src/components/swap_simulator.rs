//! The stake/unstake simulator on a subnet's and a validator's page: an amount in, what the pool
//! would give out at the latest finalized block, with the fee and the slippage, as the runtime's
//! own `sim_swap_*` simulation answers it over a verified call proof.

use leptos::prelude::*;
use light_client::model::{SwapDirection, SwapQuote};

use crate::components::provenance::ProvenanceLine;
use crate::components::state::Pending;
use crate::data::use_swap_quote;
use crate::format;

/// Nine decimals: rao per τ, and α units per α.
const UNITS_PER_TOKEN: u64 = 1_000_000_000;

/// An amount typed in whole tokens ("12.5", "0.000000001", "1,000") as units of 10⁻⁹, or what is
/// wrong with it.
pub fn parse_amount(text: &str) -> Result<u64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Err("Type an amount, for example 10 or 2.5.".into());
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(format!(
            "{:?} is not an amount: use digits and one decimal point.",
            text.trim()
        ));
    }
    if fraction.len() > 9 {
        return Err("At most 9 decimals: the chain counts in units of 10⁻⁹.".into());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "That amount is too large.".to_string())?
    };
    let fraction: u64 = format!("{fraction:0<9}").parse().unwrap_or(0);
    let units = whole
        .checked_mul(UNITS_PER_TOKEN)
        .and_then(|units| units.checked_add(fraction))
        .ok_or_else(|| "That amount is too large.".to_string())?;
    if units == 0 {
        return Err("The amount must be more than zero.".into());
    }
    Ok(units)
}

/// What to simulate, once the form was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Asked {
    netuid: u16,
    direction: SwapDirection,
    amount: u64,
}

/// The simulator; `netuids` are the subnets one may pick (one on a subnet's page). It keeps what
/// was typed when the list changes with a new block's figures.
#[component]
pub fn SwapSimulator(#[prop(into)] netuids: Signal<Vec<u16>>) -> impl IntoView {
    let picked = RwSignal::new(None::<u16>);
    let netuid = Memo::new(move |_| {
        netuids.with(|list| {
            picked
                .get()
                .filter(|n| list.contains(n))
                .or_else(|| list.first().copied())
        })
    });
    let direction = RwSignal::new(SwapDirection::TaoForAlpha);
    let amount = RwSignal::new("10".to_string());
    let problem = RwSignal::new(None::<String>);
    let asked = RwSignal::new(None::<Asked>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(netuid) = netuid.get_untracked() else { return };
        match parse_amount(&amount.get_untracked()) {
            Ok(units) => {
                problem.set(None);
                asked.set(Some(Asked {
                    netuid,
                    direction: direction.get_untracked(),
                    amount: units,
                }));
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let unit = move || match direction.get() {
        SwapDirection::TaoForAlpha => "τ",
        SwapDirection::AlphaForTao => "α",
    };
    let picker = move || {
        let list = netuids.get();
        (list.len() > 1).then(|| {
            let options = list
                .iter()
                .map(|n| view! { <option value=n.to_string() selected=netuid.get_untracked() == Some(*n)>{format!("Subnet {n}")}</option> })
                .collect_view();
            view! {
                <label>"Subnet"
                    <select on:change=move |event| picked.set(event_target_value(&event).parse().ok())>{options}</select>
                </label>
            }
        })
    };
    view! {
        <Show when=move || netuids.with(|list| !list.is_empty())>
            <section class="simulator" aria-labelledby="simulator-title">
                <h2 id="simulator-title">"Stake or unstake: what you would get"</h2>
                <p class="hint">"The runtime's own simulation at the latest finalized block (SwapRuntimeApi, one verified call): nothing is signed or sent."</p>
                <form class="filters simulator-form" on:submit=submit aria-label="Simulate a stake or an unstake">
                    {picker}
                    <label>"Direction"
                        <select on:change=move |event| direction.set(if event_target_value(&event) == "unstake" { SwapDirection::AlphaForTao } else { SwapDirection::TaoForAlpha })>
                            <option value="stake">"Stake τ for α"</option>
                            <option value="unstake">"Unstake α for τ"</option>
                        </select>
                    </label>
                    <label>{move || format!("Amount ({})", unit())}
                        <input type="text" inputmode="decimal" spellcheck="false" autocomplete="off" prop:value=move || amount.get()
                            on:input=move |event| amount.set(event_target_value(&event))/>
                    </label>
                    <button type="submit" class="button">"Quote"</button>
                </form>
                {move || problem.get().map(|message| view! { <p class="notice" role="alert">{message}</p> })}
                {move || asked.get().map(|asked| view! { <QuoteResult netuid=asked.netuid direction=asked.direction amount=asked.amount/> })}
            </section>
        </Show>
    }
}

/// One quote, followed block by block, with where it comes from.
#[component]
fn QuoteResult(netuid: u16, direction: SwapDirection, amount: u64) -> impl IntoView {
    let live = use_swap_quote(netuid, direction, amount);
    move || match live.data.get() {
        None => view! { <Pending what="the quote" error=live.error/> }.into_any(),
        Some(snapshot) => {
            let quote = snapshot.data.clone();
            view! {
                <QuoteFigures quote=quote/>
                <ProvenanceLine provenance=live.provenance/>
            }
            .into_any()
        }
    }
}

/// The figures of one quote, each with its raw amount for exports and tests (`data-units`).
#[component]
fn QuoteFigures(quote: SwapQuote) -> impl IntoView {
    type Shown = fn(u64) -> String;
    let (shown_in, shown_out): (Shown, Shown) = match quote.direction {
        SwapDirection::TaoForAlpha => (format::tao, format::alpha),
        SwapDirection::AlphaForTao => (format::alpha, format::tao),
    };
    if quote.refused() {
        return view! {
            <p class="notice quote-refused" role="status" data-netuid=quote.netuid.to_string()>{format!(
                "Subnet {}'s pool would refuse {}: it cannot pay that much (the runtime answers zeros for an amount past the pool's size or one that would leave a reserve under its minimum).",
                quote.netuid, shown_in(quote.amount_in)
            )}</p>
        }
        .into_any();
    }
    let share = quote
        .slippage_share()
        .map(format::percent)
        .unwrap_or_else(|| "—".into());
    let row = |label: &'static str, name: &'static str, units: u64, text: String| {
        view! { <div class="stat" data-figure=name data-units=units.to_string()><div class="stat-label">{label}</div><div class="stat-value">{text}</div></div> }
    };
    view! {
        <div class="stats quote" role="group" aria-label=format!("Quote on subnet {}", quote.netuid) data-netuid=quote.netuid.to_string()>
            {row("You put in", "in", quote.amount_in, shown_in(quote.amount_in))}
            {row("Pool fee", "fee", quote.fee(), shown_in(quote.fee()))}
            {row("You would get", "out", quote.received(), shown_out(quote.received()))}
            {row("Slippage", "slippage", quote.slippage(), format!("{} ({share})", shown_out(quote.slippage())))}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_units_of_ten_to_the_minus_nine() {
        assert_eq!(parse_amount("10"), Ok(10_000_000_000));
        assert_eq!(parse_amount(" 2.5 "), Ok(2_500_000_000));
        assert_eq!(parse_amount("1,000.000000001"), Ok(1_000_000_000_001));
        assert_eq!(parse_amount(".5"), Ok(500_000_000));
    }

    #[test]
    fn bad_amounts_say_what_is_wrong() {
        assert!(parse_amount("").unwrap_err().contains("Type an amount"));
        assert!(parse_amount("0").unwrap_err().contains("more than zero"));
        assert!(parse_amount("1.0000000001").unwrap_err().contains("9 decimals"));
        assert!(parse_amount("-3").unwrap_err().contains("not an amount"));
        assert!(parse_amount("1e9").unwrap_err().contains("not an amount"));
        assert!(parse_amount("99999999999999").unwrap_err().contains("too large"));
        assert!(parse_amount(".").unwrap_err().contains("not an amount"));
    }
}
