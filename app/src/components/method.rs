//! The fold under a page that says how its figures are computed: a summary line and a definition
//! list the page fills with one term per figure (the formula and the chain items behind it), and
//! the sentences several pages share: how a subnet's price is found, how yields are annualised.

use leptos::prelude::*;
use light_client::model::{EpochSpacing, PriceMethod, Subnet};

use crate::format;

/// "How these figures are computed" (or `summary`), folded, with the page's `<dt>`/`<dd>` pairs.
#[component]
pub fn MethodNotes(
    /// The fold's line.
    #[prop(default = "How these figures are computed")]
    summary: &'static str,
    /// The `<dt>`/`<dd>` pairs.
    children: Children,
) -> impl IntoView {
    view! {
        <details class="method">
            <summary>{summary}</summary>
            <dl>{children()}</dl>
        </details>
    }
}

/// How every subnet's α price is found.
pub const PRICE_METHOD: &str = "By what the runtime's metadata and storage say. Where a pool has no curve: the balancer formula over storage, (1 − q)/q × SubtensorModule.SubnetTAO ÷ SubtensorModule.SubnetAlphaIn with q = Swap.SwapBalancer(netuid).quote (1 τ on root and any subnet off the dynamic mechanism), which is what the runtime's current_alpha_price answers for a balancer pool. Where the runtime declares Swap.SwapSuperellipse and a pool has a curve there, that formula does not hold: the price is the runtime's own answer, SwapRuntimeApi.current_alpha_price_all (one verified call, rao per α). A runtime with curves but without that call leaves such a price unavailable, with the reason; never the formula's wrong figure.";

/// How last-epoch yields are annualised.
pub const ANNUALISED: &str = "annualised on 7,200 × 365 ÷ S epochs a year, S = next epoch start − LastEpochBlock (SubtensorModule.LastEpochBlock, Tempo, PendingEpochAt): the next epoch starts at LastEpochBlock + Tempo, or at PendingEpochAt when an epoch the owner triggered comes first; PendingEpochAt counts as 0 where the runtime lacks it";

/// The name a price method is exported under.
pub fn price_method_name(method: &PriceMethod) -> &'static str {
    match method {
        PriceMethod::BalancerFormula => "balancer_formula",
        PriceMethod::RuntimeAnswer { .. } => "runtime_answer",
        PriceMethod::Unavailable { .. } => "unavailable",
    }
}

/// How one subnet's price was found, with the chain items behind it.
pub fn price_method_text(subnet: &Subnet) -> String {
    match &subnet.price_method {
        PriceMethod::BalancerFormula if subnet.netuid == 0 => "Root: 1 τ per α.".to_string(),
        PriceMethod::BalancerFormula => format!(
            "Balancer formula: (1 − q)/q × SubnetTAO ÷ SubnetAlphaIn, q = Swap.SwapBalancer quote = {:.4}.",
            subnet.pool_quote_weight
        ),
        PriceMethod::RuntimeAnswer { why } => {
            format!("The runtime's answer, SwapRuntimeApi.current_alpha_price_all: {why}.")
        }
        PriceMethod::Unavailable { why } => format!("Unavailable: {why}."),
    }
}

/// One subnet's epoch spacing as the APY method states it: `S = #9,240,495 − #9,240,135 = 360 blocks`.
pub fn spacing_text(spacing: Option<EpochSpacing>) -> String {
    match spacing {
        Some(spacing) => format!(
            "S = {} − {} = {}",
            format::block(spacing.next_epoch_start),
            format::block(spacing.last_epoch_block),
            format::blocks(spacing.blocks)
        ),
        None => "no epochs (tempo 0): no annualised figure".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_price_texts_name_their_figures() {
        let spacing = EpochSpacing::from_chain(9_240_135, 360, 0);
        assert_eq!(spacing_text(spacing), "S = #9,240,495 − #9,240,135 = 360 blocks");
        assert!(spacing_text(None).contains("tempo 0"));
        let curved = Subnet {
            netuid: 4,
            price_method: PriceMethod::Unavailable { why: "no call".into() },
            ..Subnet::default()
        };
        assert_eq!(price_method_text(&curved), "Unavailable: no call.");
        assert_eq!(price_method_name(&curved.price_method), "unavailable");
    }
}
