//! `root_basket(hotkey)`: a validator's root basket from `BetaBasketRuntimeApi
//! .get_validator_basket_summary`, run over one call proof. Only the runtime call reports a
//! basket's valuation, so there is no storage fallback: a runtime without the method says so.
//! Fields are read by the names the bittensor SDK reads (`hotkey`, `shares`, `nav_tao`,
//! `spot_nav_tao`, `deposited_tao`, `redeemed_tao`, `holdings` of `netuid`, `alpha`, `spot_tao`,
//! `realizable_tao`), decoded against the type the runtime declares.

use super::runtime_api::RuntimeApiRead;
use super::{CallQuery, Called, Reads, Results};
use crate::decode::{DecodeError, Value, as_list, as_option, as_u16, as_u64, field};
use crate::metadata::Metadata;
use crate::model::{BasketHolding, RootBasket};

/// `root_basket(hotkey)`: one call, nothing read alongside.
pub struct BasketCall {
    hotkey: [u8; 32],
}

/// The query for `hotkey`'s root basket.
pub fn query(hotkey: [u8; 32]) -> Called<BasketCall> {
    Called(BasketCall { hotkey })
}

impl CallQuery for BasketCall {
    type Output = Option<RootBasket>;

    fn call(&self) -> RuntimeApiRead {
        RuntimeApiRead::ValidatorBasket { hotkey: self.hotkey }
    }

    fn alongside(&self, _: &Metadata) -> Result<Reads, DecodeError> {
        Ok(Reads::new())
    }

    fn assemble(&self, _: &Metadata, answer: &Value, _: &Results) -> Result<Option<RootBasket>, DecodeError> {
        assemble(answer)
    }
}

const API: &str = "BetaBasketRuntimeApi.get_validator_basket_summary";

fn retyped(expected: &'static str) -> DecodeError {
    DecodeError::Retyped {
        item: API.to_string(),
        expected,
    }
}

/// Assembles the basket from the call's decoded answer (`None`: the validator has no basket).
pub fn assemble(answer: &Value) -> Result<Option<RootBasket>, DecodeError> {
    let summary = match as_option(answer) {
        Some(None) => return Ok(None),
        Some(Some(summary)) => summary,
        None => answer,
    };
    let number = |value: &Value, name: &str| field(value, name).and_then(as_u64).ok_or(retyped("a basket summary"));
    let holdings = field(summary, "holdings")
        .and_then(as_list)
        .ok_or(retyped("a basket summary with holdings"))?
        .into_iter()
        .map(|holding| {
            Ok(BasketHolding {
                netuid: field(holding, "netuid")
                    .and_then(as_u16)
                    .ok_or(retyped("a basket holding"))?,
                alpha: number(holding, "alpha")?,
                spot_rao: number(holding, "spot_tao")?,
                realizable_rao: number(holding, "realizable_tao")?,
            })
        })
        .collect::<Result<Vec<_>, DecodeError>>()?;
    let basket = RootBasket {
        shares: number(summary, "shares")?,
        nav_rao: number(summary, "nav_tao")?,
        spot_nav_rao: number(summary, "spot_nav_tao")?,
        deposited_rao: number(summary, "deposited_tao")?,
        redeemed_rao: number(summary, "redeemed_tao")?,
        holdings,
    };
    // Since spec 475 the answer is no Option: a hotkey without a basket gets an all-zero summary.
    let empty = basket.shares == 0 && basket.deposited_rao == 0 && basket.nav_rao == 0 && basket.holdings.is_empty();
    Ok((!empty).then_some(basket))
}

#[cfg(test)]
mod tests {
    use scale_value::{Composite, Value as V};

    use super::*;

    fn summary(holdings: Vec<V<()>>) -> V<()> {
        V::named_composite([
            ("hotkey", V::from_bytes([7u8; 32])),
            ("shares", V::u128(800)),
            ("nav_tao", V::u128(900)),
            ("spot_nav_tao", V::u128(950)),
            ("deposited_tao", V::u128(1_000)),
            ("redeemed_tao", V::u128(300)),
            ("holdings", V::unnamed_composite(holdings)),
        ])
    }

    fn typed(value: V<()>) -> Value {
        value.map_context(|_| 0u32)
    }

    #[test]
    fn a_summary_is_read_by_its_field_names() {
        let holding = V::named_composite([
            ("netuid", V::u128(3)),
            ("alpha", V::u128(5_000)),
            ("spot_tao", V::u128(600)),
            ("realizable_tao", V::u128(590)),
        ]);
        let answer = typed(V::variant("Some", Composite::Unnamed(vec![summary(vec![holding])])));
        let basket = assemble(&answer).unwrap().expect("a basket");
        assert_eq!(
            (basket.shares, basket.nav_rao, basket.deposited_rao, basket.redeemed_rao),
            (800, 900, 1_000, 300)
        );
        assert_eq!(
            basket.holdings,
            vec![BasketHolding {
                netuid: 3,
                alpha: 5_000,
                spot_rao: 600,
                realizable_rao: 590
            }]
        );
        assert_eq!(
            assemble(&typed(V::variant("None", Composite::Unnamed(vec![])))).unwrap(),
            None
        );
    }

    /// Spec 475 answers a bare summary, all zeros for a hotkey without a basket.
    #[test]
    fn a_bare_summary_reads_and_an_all_zero_one_is_no_basket() {
        assert!(assemble(&typed(summary(vec![]))).unwrap().is_some());
        let zero = V::named_composite([
            ("hotkey", V::u128(0)),
            ("nav_tao", V::u128(0)),
            ("spot_nav_tao", V::u128(0)),
            ("shares", V::u128(0)),
            ("deposited_tao", V::u128(0)),
            ("redeemed_tao", V::u128(0)),
            ("weights", V::unnamed_composite([])),
            ("holdings", V::unnamed_composite([])),
        ]);
        assert_eq!(assemble(&typed(zero)).unwrap(), None);
    }

    #[test]
    fn a_summary_without_its_fields_is_a_typed_error() {
        let answer = typed(V::named_composite([("shares", V::u128(1))]));
        assert!(matches!(assemble(&answer), Err(DecodeError::Retyped { .. })));
    }
}
