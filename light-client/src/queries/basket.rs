//! Root baskets from `BetaBasketRuntimeApi`, each over one call proof: `query(hotkey)`, one
//! validator's (`get_validator_basket_summary`), and `all()`, every validator's
//! (`get_all_validator_baskets`, the leaderboard). Only the runtime reports a basket's valuation,
//! so there is no storage fallback: a runtime without the method says so. Fields are read by the
//! names the bittensor SDK reads (`hotkey`, `shares`, `nav_tao`, `spot_nav_tao`, `deposited_tao`,
//! `redeemed_tao`, `holdings` of `netuid`, `alpha`, `spot_tao`, `realizable_tao`), decoded against
//! the type the runtime declares.

use super::runtime_api::RuntimeApiRead;
use super::{CallQuery, Called, Reads, Results};
use crate::decode::{DecodeError, Value, as_account, as_list, as_option, as_u16, as_u64, field};
use crate::metadata::Metadata;
use crate::model::{BasketHolding, RootBasket, ValidatorBasket};
use crate::ss58;

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

/// `validator_baskets()`: one call with no arguments, nothing read alongside.
pub struct AllBasketsCall;

/// The query for every validator's root basket, in the runtime's order (`BasketShares`' keys).
pub fn all() -> Called<AllBasketsCall> {
    Called(AllBasketsCall)
}

impl CallQuery for AllBasketsCall {
    type Output = Vec<ValidatorBasket>;

    fn call(&self) -> RuntimeApiRead {
        RuntimeApiRead::AllValidatorBaskets
    }

    fn alongside(&self, _: &Metadata) -> Result<Reads, DecodeError> {
        Ok(Reads::new())
    }

    fn assemble(&self, _: &Metadata, answer: &Value, _: &Results) -> Result<Vec<ValidatorBasket>, DecodeError> {
        assemble_all(answer)
    }
}

fn retyped(api: &str, expected: &'static str) -> DecodeError {
    DecodeError::Retyped {
        item: format!("BetaBasketRuntimeApi.{api}"),
        expected: expected.into(),
    }
}

/// Assembles the basket from `get_validator_basket_summary`'s decoded answer (`None`: the
/// validator has no basket). Older runtimes answer `Option<BasketSummary>`; finney at 475 answers
/// a `BasketSummary` that is all zeros for a hotkey without a basket, read as none.
pub fn assemble(answer: &Value) -> Result<Option<RootBasket>, DecodeError> {
    const METHOD: &str = "get_validator_basket_summary";
    let summary = match as_option(answer) {
        Some(None) => return Ok(None),
        Some(Some(summary)) => summary,
        None => answer,
    };
    let basket = read_summary(summary).map_err(|expected| retyped(METHOD, expected))?;
    Ok((!basket.is_empty()).then_some(basket))
}

/// Assembles every validator's basket from `get_all_validator_baskets`' decoded answer, in its
/// order.
pub fn assemble_all(answer: &Value) -> Result<Vec<ValidatorBasket>, DecodeError> {
    const METHOD: &str = "get_all_validator_baskets";
    as_list(answer)
        .ok_or(retyped(METHOD, "a list of basket summaries"))?
        .into_iter()
        .map(|summary| {
            let hotkey = field(summary, "hotkey")
                .and_then(as_account)
                .ok_or(retyped(METHOD, "a basket summary with its hotkey"))?;
            Ok(ValidatorBasket {
                hotkey: ss58::encode(&hotkey),
                basket: read_summary(summary).map_err(|expected| retyped(METHOD, expected))?,
            })
        })
        .collect()
}

/// One `BasketSummary`, by field name; on failure, what was expected.
fn read_summary(summary: &Value) -> Result<RootBasket, &'static str> {
    let number = |value: &Value, name: &str| field(value, name).and_then(as_u64).ok_or("a basket summary");
    let holdings = field(summary, "holdings")
        .and_then(as_list)
        .ok_or("a basket summary with holdings")?
        .into_iter()
        .map(|holding| {
            Ok(BasketHolding {
                netuid: field(holding, "netuid").and_then(as_u16).ok_or("a basket holding")?,
                alpha: number(holding, "alpha")?,
                spot_rao: number(holding, "spot_tao")?,
                realizable_rao: number(holding, "realizable_tao")?,
            })
        })
        .collect::<Result<Vec<_>, &'static str>>()?;
    Ok(RootBasket {
        shares: number(summary, "shares")?,
        nav_rao: number(summary, "nav_tao")?,
        spot_nav_rao: number(summary, "spot_nav_tao")?,
        deposited_rao: number(summary, "deposited_tao")?,
        redeemed_rao: number(summary, "redeemed_tao")?,
        holdings,
    })
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

    /// Finney at 475 answers a plain `BasketSummary`, all zeros for a hotkey without a basket.
    #[test]
    fn an_all_zero_summary_is_no_basket() {
        let zero = |name: &'static str| (name, V::u128(0));
        let answer = typed(V::named_composite([
            ("hotkey", V::from_bytes([7u8; 32])),
            zero("nav_tao"),
            zero("spot_nav_tao"),
            zero("shares"),
            zero("deposited_tao"),
            zero("redeemed_tao"),
            ("weights", V::unnamed_composite([])),
            ("holdings", V::unnamed_composite([])),
        ]));
        assert_eq!(assemble(&answer).unwrap(), None);
        let plain = typed(summary(Vec::new()));
        assert_eq!(assemble(&plain).unwrap().map(|b| b.nav_rao), Some(900), "not wrapped in Option");
    }

    #[test]
    fn a_summary_without_its_fields_is_a_typed_error() {
        let answer = typed(V::named_composite([("shares", V::u128(1))]));
        assert!(matches!(assemble(&answer), Err(DecodeError::Retyped { .. })));
    }

    /// July's finney with `BetaBasketRuntimeApi.get_all_validator_baskets` declared as finney
    /// declares it at 475: `Vec<BasketSummary>`, `BasketSummary { hotkey: AccountId32, nav_tao,
    /// spot_nav_tao, shares, deposited_tao, redeemed_tao: u64, weights: Vec<(u16, u16)>, holdings:
    /// Vec<BasketHolding { netuid: u16, alpha, spot_tao, realizable_tao: u64 }> }`.
    fn with_all_baskets() -> Metadata {
        use scale_info::form::PortableForm;
        use scale_info::{Field, TypeDef, TypeDefComposite, TypeDefSequence, TypeDefTuple};

        use crate::metadata::ApiMethod;
        use crate::queries::price::tests::primitive;

        let mut metadata = crate::contract::tests::finney();
        let (u16_id, u64_id) = (primitive(&metadata, "u16"), primitive(&metadata, "u64"));
        let account = primitive(&metadata, "AccountId32");
        let composite = |fields: &[(&str, u32)]| {
            TypeDef::Composite(TypeDefComposite {
                fields: fields
                    .iter()
                    .map(|(name, ty)| Field::<PortableForm> {
                        name: Some((*name).into()),
                        ty: (*ty).into(),
                        type_name: None,
                        docs: Vec::new(),
                    })
                    .collect(),
            })
        };
        let sequence = |of: u32| TypeDef::Sequence(TypeDefSequence { type_param: of.into() });
        let pair = metadata.declare_type(&[], TypeDef::Tuple(TypeDefTuple { fields: vec![u16_id.into(), u16_id.into()] }));
        let weights = metadata.declare_type(&[], sequence(pair));
        let holding = metadata.declare_type(
            &["BasketHolding"],
            composite(&[("netuid", u16_id), ("alpha", u64_id), ("spot_tao", u64_id), ("realizable_tao", u64_id)]),
        );
        let holdings = metadata.declare_type(&[], sequence(holding));
        let summary = metadata.declare_type(
            &["BasketSummary"],
            composite(&[
                ("hotkey", account),
                ("nav_tao", u64_id),
                ("spot_nav_tao", u64_id),
                ("shares", u64_id),
                ("deposited_tao", u64_id),
                ("redeemed_tao", u64_id),
                ("weights", weights),
                ("holdings", holdings),
            ]),
        );
        let output = metadata.declare_type(&[], sequence(summary));
        metadata.declare_api_method(
            "BetaBasketRuntimeApi",
            "get_all_validator_baskets",
            ApiMethod {
                inputs: Vec::new(),
                output,
            },
        );
        metadata
    }

    /// One summary's bytes in finney's 475 field order.
    fn summary_bytes(hotkey: u8, figures: [u64; 5], holdings: &[(u16, u64, u64, u64)]) -> Vec<u8> {
        use codec::Encode;
        let [nav, spot_nav, shares, deposited, redeemed] = figures;
        let weights: Vec<(u16, u16)> = holdings.iter().map(|h| (h.0, 1)).collect();
        ([hotkey; 32], nav, spot_nav, shares, deposited, redeemed, weights, holdings.to_vec()).encode()
    }

    #[test]
    fn every_basket_comes_from_one_call_in_the_runtimes_order() {
        use codec::{Compact, Encode};

        use crate::queries::fake_chain::run;

        let metadata = with_all_baskets();
        let mut answer = Compact(2u32).encode();
        answer.extend(summary_bytes(9, [900, 950, 800, 1_000, 300], &[(3, 5_000, 600, 590), (4, 10, 350, 310)]));
        answer.extend(summary_bytes(1, [0; 5], &[]));
        let function = "BetaBasketRuntimeApi_get_all_validator_baskets";
        assert_eq!(RuntimeApiRead::AllValidatorBaskets.function(), function);
        assert!(RuntimeApiRead::AllValidatorBaskets.arguments().is_empty(), "no arguments");
        let (baskets, rounds) = run(&metadata, &[], &[(function, answer.clone())], all()).expect("baskets");
        assert_eq!(rounds, 1, "one call");
        assert_eq!(baskets.len(), 2);
        assert_eq!(
            (baskets[0].hotkey.clone(), baskets[1].hotkey.clone()),
            (ss58::encode(&[9; 32]), ss58::encode(&[1; 32])),
            "the runtime's order, not sorted"
        );
        let first = &baskets[0].basket;
        assert_eq!(
            (first.nav_rao, first.spot_nav_rao, first.shares, first.deposited_rao, first.redeemed_rao),
            (900, 950, 800, 1_000, 300)
        );
        assert_eq!(first.lifetime_return(), Some(1.2));
        assert_eq!(
            first.holdings[1],
            BasketHolding {
                netuid: 4,
                alpha: 10,
                spot_rao: 350,
                realizable_rao: 310
            }
        );
        assert!(baskets[1].basket.is_empty(), "listed as the runtime lists it");
        // Bytes left over, or a runtime without the method: typed errors, not an empty list.
        let mut longer = answer;
        longer.push(0);
        let error = run(&metadata, &[], &[(function, longer)], all()).expect_err("left over");
        assert!(matches!(error, DecodeError::Malformed { .. }), "{error}");
        let july = crate::contract::tests::finney();
        let error = run(&july, &[], &[(function, vec![0])], all()).expect_err("no such method");
        assert!(matches!(error, DecodeError::Missing(_)), "{error}");
    }

    #[test]
    fn a_list_of_something_else_is_retyped() {
        let answer = typed(V::unnamed_composite([V::named_composite([("shares", V::u128(1))])]));
        assert!(matches!(assemble_all(&answer), Err(DecodeError::Retyped { .. })));
        let not_a_list = typed(V::u128(1));
        assert!(matches!(assemble_all(&not_a_list), Err(DecodeError::Retyped { .. })));
    }
}
