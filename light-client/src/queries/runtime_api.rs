//! Runtime API reads: the other way to fill a view, by running a runtime function over a call
//! proof instead of reading storage. `cargo xtask bench` compares the two per view (bytes from
//! peers and time); the metagraph view uses its call, the root baskets have nothing else to read,
//! the overview asks the runtime for the block emission, a swap quote is the runtime's
//! simulation, and pools whose price no storage formula gives are priced by the runtime. Pure: the call to make and how to check its answer against the runtime's declared
//! output type.

use codec::Encode;

use super::{Answer, Query, Reads, Step};
use crate::decode::{DecodeError, Value};
use crate::metadata::Metadata;
use crate::model::SwapDirection;

/// A runtime API read that could replace a view's storage reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeApiRead {
    /// `SubnetInfoRuntimeApi.get_all_dynamic_info`: every subnet's pool and emission figures
    /// (the subnets view).
    AllDynamicInfo,
    /// `SubnetInfoRuntimeApi.get_selective_metagraph` (mechanism 0) or `get_selective_mechagraph`
    /// (any other) with the fields the metagraph view shows. finney's `Metagraph` has no
    /// validator trust, so this read alone cannot fill the view.
    MetagraphView {
        /// The subnet.
        netuid: u16,
        /// The incentive mechanism.
        mechanism: u8,
    },
    /// `BetaBasketRuntimeApi.get_validator_basket_summary`: a validator's root basket.
    ValidatorBasket {
        /// The validator's hotkey.
        hotkey: [u8; 32],
    },
    /// `BetaBasketRuntimeApi.get_all_validator_baskets`: every validator's root basket (the
    /// leaderboard).
    AllValidatorBaskets,
    /// `SubnetInfoRuntimeApi.get_block_emission`: TAO per block by the halving schedule (the
    /// overview).
    BlockEmission,
    /// `SwapRuntimeApi.sim_swap_tao_for_alpha` or `sim_swap_alpha_for_tao`: a swap through a
    /// subnet's pool, simulated (a stake's or an unstake's quote).
    SwapQuote {
        /// The subnet.
        netuid: u16,
        /// Which way.
        direction: SwapDirection,
        /// The amount put in, rao or α units.
        amount: u64,
    },
    /// `SwapRuntimeApi.current_alpha_price_all`: every subnet's α price, rao per α, as the
    /// runtime computes it (for pools the balancer formula does not price).
    AlphaPricesAll,
}

/// Positions in finney's `SelectiveMetagraphIndex` of the metagraph view's columns: hotkeys 52,
/// coldkeys 53, axons 55, active 56, validator permit 57, last update 59, emission 60,
/// dividends 61, incentives 62, consensus 63, block at registration 66, alpha stake 67
/// (../shared/chain/SUBTENSOR-FACTS.md §2.1).
const METAGRAPH_VIEW_FIELDS: [u16; 12] = [52, 53, 55, 56, 57, 59, 60, 61, 62, 63, 66, 67];

impl RuntimeApiRead {
    /// The runtime API trait and method.
    pub fn method(&self) -> (&'static str, &'static str) {
        match self {
            RuntimeApiRead::AllDynamicInfo => ("SubnetInfoRuntimeApi", "get_all_dynamic_info"),
            RuntimeApiRead::MetagraphView { mechanism: 0, .. } => ("SubnetInfoRuntimeApi", "get_selective_metagraph"),
            RuntimeApiRead::MetagraphView { .. } => ("SubnetInfoRuntimeApi", "get_selective_mechagraph"),
            RuntimeApiRead::ValidatorBasket { .. } => ("BetaBasketRuntimeApi", "get_validator_basket_summary"),
            RuntimeApiRead::AllValidatorBaskets => ("BetaBasketRuntimeApi", "get_all_validator_baskets"),
            RuntimeApiRead::BlockEmission => ("SubnetInfoRuntimeApi", "get_block_emission"),
            RuntimeApiRead::SwapQuote {
                direction: SwapDirection::TaoForAlpha,
                ..
            } => ("SwapRuntimeApi", "sim_swap_tao_for_alpha"),
            RuntimeApiRead::SwapQuote {
                direction: SwapDirection::AlphaForTao,
                ..
            } => ("SwapRuntimeApi", "sim_swap_alpha_for_tao"),
            RuntimeApiRead::AlphaPricesAll => ("SwapRuntimeApi", "current_alpha_price_all"),
        }
    }

    /// The function name the runtime exports (`Trait_method`).
    pub fn function(&self) -> String {
        let (api, method) = self.method();
        format!("{api}_{method}")
    }

    /// The SCALE-encoded arguments.
    pub fn arguments(&self) -> Vec<u8> {
        match self {
            RuntimeApiRead::AllDynamicInfo
            | RuntimeApiRead::AllValidatorBaskets
            | RuntimeApiRead::BlockEmission
            | RuntimeApiRead::AlphaPricesAll => Vec::new(),
            RuntimeApiRead::MetagraphView { netuid, mechanism: 0 } => (netuid, METAGRAPH_VIEW_FIELDS.to_vec()).encode(),
            RuntimeApiRead::MetagraphView { netuid, mechanism } => {
                (netuid, mechanism, METAGRAPH_VIEW_FIELDS.to_vec()).encode()
            }
            RuntimeApiRead::ValidatorBasket { hotkey } => hotkey.to_vec(),
            RuntimeApiRead::SwapQuote { netuid, amount, .. } => (netuid, amount).encode(),
        }
    }

    /// Decodes the runtime's answer against the output type its metadata declares; the whole
    /// answer must be consumed.
    pub fn decode_answer(&self, metadata: &Metadata, bytes: &[u8]) -> Result<Value, DecodeError> {
        let (api, method) = self.method();
        decode_output(metadata, api, method, bytes)
    }
}

/// Decodes runtime API method `api.method`'s answer against the output type the runtime declares
/// for it; the whole answer must be consumed.
pub fn decode_output(metadata: &Metadata, api: &str, method: &str, bytes: &[u8]) -> Result<Value, DecodeError> {
    let name = format!("{api}.{method}");
    let declared = metadata
        .api_method(api, method)
        .ok_or_else(|| DecodeError::Missing(name.clone()))?;
    let mut cursor = bytes;
    let value = scale_value::scale::decode_as_type(&mut cursor, declared.output, &metadata.types).map_err(|error| {
        DecodeError::Malformed {
            item: name.clone(),
            detail: error.to_string(),
        }
    })?;
    if !cursor.is_empty() {
        return Err(DecodeError::Malformed {
            item: name,
            detail: format!("{} bytes left over", cursor.len()),
        });
    }
    Ok(value)
}

/// A query of the bare call behind `read` (nothing alongside), answering with the size of its
/// output once the output decodes as the type the runtime declares: for comparing a call's
/// answer with the views' storage reads (`cargo xtask bench`).
pub struct AnswerSize(pub RuntimeApiRead);

impl Query for AnswerSize {
    type Output = usize;

    fn start(&mut self, _: &Metadata) -> Result<Step<usize>, DecodeError> {
        Ok(Step::Call {
            read: self.0,
            alongside: Reads::new(),
        })
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<usize>, DecodeError> {
        let output = answer.call_output.unwrap_or_default();
        self.0.decode_answer(metadata, output)?;
        Ok(Step::Done(output.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_the_netuid_then_the_field_indexes() {
        let read = RuntimeApiRead::MetagraphView {
            netuid: 3,
            mechanism: 0,
        };
        assert_eq!(read.function(), "SubnetInfoRuntimeApi_get_selective_metagraph");
        let arguments = read.arguments();
        assert_eq!(&arguments[..3], &[3, 0, 12 << 2]);
        assert_eq!(&arguments[3..5], &52u16.to_le_bytes());
        assert_eq!(arguments.len(), 3 + 2 * METAGRAPH_VIEW_FIELDS.len());
        // Another mechanism: finney's get_selective_mechagraph(netuid, mecid: u8, indexes).
        let read = RuntimeApiRead::MetagraphView {
            netuid: 3,
            mechanism: 1,
        };
        assert_eq!(read.function(), "SubnetInfoRuntimeApi_get_selective_mechagraph");
        assert_eq!(&read.arguments()[..4], &[3, 0, 1, 12 << 2]);
        assert!(RuntimeApiRead::AllDynamicInfo.arguments().is_empty());
    }

    #[test]
    fn finney_declares_both_methods_and_answers_must_fit_their_types() {
        let metadata = crate::contract::tests::finney();
        // `Vec<Option<DynamicInfo>>` with no subnets, and `Option<SelectiveMetagraph>` = None.
        assert!(RuntimeApiRead::AllDynamicInfo.decode_answer(&metadata, &[0]).is_ok());
        let view = RuntimeApiRead::MetagraphView {
            netuid: 1,
            mechanism: 0,
        };
        assert!(view.decode_answer(&metadata, &[0]).is_ok());
        let error = view.decode_answer(&metadata, &[0, 9]).expect_err("left over");
        assert!(error.to_string().contains("left over"), "{error}");
        assert!(matches!(
            RuntimeApiRead::AllDynamicInfo.decode_answer(&metadata, &[4, 1]),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn no_metagraph_is_an_empty_one_and_another_shape_is_retyped() {
        let metadata = crate::contract::tests::finney();
        let none = RuntimeApiRead::MetagraphView {
            netuid: 9,
            mechanism: 0,
        }
        .decode_answer(&metadata, &[0])
        .expect("None decodes");
        let empty = crate::queries::metagraph::assemble_from_call(&metadata, 9, 0, &none, &[]).expect("empty");
        assert_eq!((empty.netuid, empty.neurons.len()), (9, 0));
        let not_an_option = RuntimeApiRead::AllDynamicInfo
            .decode_answer(&metadata, &[0])
            .expect("an empty list");
        let error =
            crate::queries::metagraph::assemble_from_call(&metadata, 9, 0, &not_an_option, &[]).expect_err("retyped");
        assert!(matches!(error, DecodeError::Retyped { .. }), "{error}");
    }

    /// A `SelectiveMetagraph` answer with the view's fields present (empty vectors) and every
    /// other field absent, then `trailing` more absent fields: 0 in July's layout, 3 at 475.
    fn selective_answer(trailing: usize) -> Vec<u8> {
        let mut bytes = vec![1, 4]; // Some, netuid 1 (compact)
        for index in 1..=73u16 {
            if METAGRAPH_VIEW_FIELDS.contains(&index) {
                bytes.extend([1, 0]); // Some(empty vector)
            } else {
                bytes.push(0); // None
            }
        }
        bytes.extend(std::iter::repeat_n(0, trailing));
        bytes
    }

    /// Finney's metagraph answers grew three trailing collateral fields at 475. The decoder reads
    /// the layout the runtime declares, so both a July (425) answer under July's metadata and a
    /// 475 answer under 475's layout decode and assemble; either under the other's layout does not.
    #[test]
    fn a_425_and_a_475_metagraph_answer_both_decode_under_their_own_runtimes_layout() {
        let july = crate::contract::tests::finney();
        let mut current = july.clone();
        let method = current
            .api_method("SubnetInfoRuntimeApi", "get_selective_metagraph")
            .expect("declared")
            .clone();
        let fields = current
            .struct_fields(method.output)
            .expect("Option<SelectiveMetagraph>");
        let last_update = fields.iter().find(|(name, _)| name == "last_update").expect("field").1;
        let selective = {
            let option = current.types.resolve(method.output).expect("type");
            match &option.type_def {
                scale_info::TypeDef::Variant(v) => {
                    v.variants.iter().find(|v| v.name == "Some").expect("Some").fields[0]
                        .ty
                        .id
                }
                _ => panic!("an Option"),
            }
        };
        // Option<Vec<Compact<u64>>>, like last_update: 475's collateral fields in SelectiveMetagraph.
        current.append_struct_fields(
            selective,
            &[
                ("collateral_locked", last_update),
                ("collateral_min", last_update),
                ("collateral_earned", last_update),
            ],
        );
        let view = RuntimeApiRead::MetagraphView {
            netuid: 1,
            mechanism: 0,
        };
        for (metadata, answer) in [(&july, selective_answer(0)), (&current, selective_answer(3))] {
            let value = view
                .decode_answer(metadata, &answer)
                .expect("decodes under its own layout");
            let metagraph =
                crate::queries::metagraph::assemble_from_call(metadata, 1, 0, &value, &[]).expect("assembles");
            assert_eq!(metagraph.neurons.len(), 0);
        }
        assert!(
            matches!(
                view.decode_answer(&july, &selective_answer(3)),
                Err(DecodeError::Malformed { item, detail }) if item == "SubnetInfoRuntimeApi.get_selective_metagraph" && detail.ends_with("bytes left over")
            ),
            "475's answer is longer than July's layout"
        );
        assert!(
            matches!(
                view.decode_answer(&current, &selective_answer(0)),
                Err(DecodeError::Malformed { item, .. }) if item == "SubnetInfoRuntimeApi.get_selective_metagraph"
            ),
            "July's answer is shorter than 475's"
        );
    }
}
