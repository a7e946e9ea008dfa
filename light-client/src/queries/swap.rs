//! `swap_quote(netuid, direction, amount)`: what staking TAO into (or unstaking α out of) a
//! subnet's pool would give at the block, as the runtime simulates it over one call proof
//! (`SwapRuntimeApi.sim_swap_tao_for_alpha` / `sim_swap_alpha_for_tao`): the amounts, the fees and
//! the slippage, decoded against the `SimSwapResult` the runtime declares. Exit-value quotes are
//! built on it.

use super::runtime_api::RuntimeApiRead;
use super::{CallQuery, Called, Query, Reads, Results};
use crate::decode::{DecodeError, Value, as_u64, field};
use crate::metadata::Metadata;
use crate::model::{SwapDirection, SwapQuote};

/// The simulated swap of `amount` (rao, or α units) through `netuid`'s pool.
struct QuoteCall {
    netuid: u16,
    direction: SwapDirection,
    amount: u64,
}

impl CallQuery for QuoteCall {
    type Output = SwapQuote;

    fn call(&self) -> RuntimeApiRead {
        RuntimeApiRead::SwapQuote {
            netuid: self.netuid,
            direction: self.direction,
            amount: self.amount,
        }
    }

    fn alongside(&self, _: &Metadata) -> Result<Reads, DecodeError> {
        Ok(Reads::new())
    }

    fn assemble(&self, _: &Metadata, answer: &Value, _: &Results) -> Result<SwapQuote, DecodeError> {
        let (api, method) = self.call().method();
        let amount = |name: &str| {
            field(answer, name).and_then(as_u64).ok_or_else(|| DecodeError::Retyped {
                item: format!("{api}.{method}"),
                expected: "a SimSwapResult of amounts (tao_amount, alpha_amount, fees, slippage)".into(),
            })
        };
        Ok(SwapQuote {
            netuid: self.netuid,
            direction: self.direction,
            amount_in: self.amount,
            tao_amount: amount("tao_amount")?,
            alpha_amount: amount("alpha_amount")?,
            tao_fee: amount("tao_fee")?,
            alpha_fee: amount("alpha_fee")?,
            tao_slippage: amount("tao_slippage")?,
            alpha_slippage: amount("alpha_slippage")?,
        })
    }
}

/// The runtime's quote for swapping `amount` through `netuid`'s pool in `direction`, in one call
/// (a runtime without the swap API is refused by the driver as unsupported).
pub fn query(netuid: u16, direction: SwapDirection, amount: u64) -> impl Query<Output = SwapQuote> {
    Called(QuoteCall {
        netuid,
        direction,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::fake_chain::run;
    use codec::Encode;

    /// July's finney (spec 425) declares both simulations; an answer of six amounts in its
    /// `SimSwapResult` order reads field by field, and a shorter one is malformed.
    #[test]
    fn a_sim_swap_answer_reads_field_by_field() {
        let metadata = crate::contract::tests::finney();
        let answer = (1u64, 2u64, 3u64, 4u64, 5u64, 6u64).encode();
        let (quote, rounds) = run(
            &metadata,
            &[],
            &[("SwapRuntimeApi_sim_swap_alpha_for_tao", answer.clone())],
            query(7, SwapDirection::AlphaForTao, 100),
        )
        .expect("a quote");
        assert_eq!(rounds, 1);
        assert_eq!(
            quote,
            SwapQuote {
                netuid: 7,
                direction: SwapDirection::AlphaForTao,
                amount_in: 100,
                tao_amount: 1,
                alpha_amount: 2,
                tao_fee: 3,
                alpha_fee: 4,
                tao_slippage: 5,
                alpha_slippage: 6,
            }
        );
        let short = run(
            &metadata,
            &[],
            &[("SwapRuntimeApi_sim_swap_tao_for_alpha", answer[..40].to_vec())],
            query(7, SwapDirection::TaoForAlpha, 100),
        );
        assert!(matches!(short, Err(DecodeError::Malformed { .. })), "{short:?}");
    }

    #[test]
    fn the_arguments_are_the_netuid_then_the_amount() {
        let read = RuntimeApiRead::SwapQuote {
            netuid: 92,
            direction: SwapDirection::TaoForAlpha,
            amount: 10_000_000_000,
        };
        assert_eq!(read.function(), "SwapRuntimeApi_sim_swap_tao_for_alpha");
        // finney's own recorded arguments for sim_swap_tao_for_alpha(92, 10 τ).
        assert_eq!(hex::encode(read.arguments()), "5c0000e40b5402000000");
    }
}
