//! Runtime API reads: the other way to fill a view, by running a runtime function over a call
//! proof instead of reading storage. `cargo xtask bench` compares the two per view (bytes from
//! peers and time); the views themselves read storage. Pure: the call to make and how to check
//! its answer against the runtime's declared output type.

use codec::Encode;

use crate::decode::{DecodeError, Value};
use crate::metadata::Metadata;

/// A runtime API read that could replace a view's storage reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeApiRead {
    /// `SubnetInfoRuntimeApi.get_all_dynamic_info`: every subnet's pool and emission figures
    /// (the subnets view).
    AllDynamicInfo,
    /// `SubnetInfoRuntimeApi.get_selective_metagraph` with the fields the metagraph view shows.
    /// finney's `Metagraph` has no validator trust, so this read alone cannot fill the view.
    MetagraphView {
        /// The subnet.
        netuid: u16,
    },
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
            RuntimeApiRead::MetagraphView { .. } => ("SubnetInfoRuntimeApi", "get_selective_metagraph"),
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
            RuntimeApiRead::AllDynamicInfo => Vec::new(),
            RuntimeApiRead::MetagraphView { netuid } => (netuid, METAGRAPH_VIEW_FIELDS.to_vec()).encode(),
        }
    }

    /// Decodes the runtime's answer against the output type its metadata declares; the whole
    /// answer must be consumed.
    pub fn decode_answer(&self, metadata: &Metadata, bytes: &[u8]) -> Result<Value, DecodeError> {
        let (api, method) = self.method();
        let name = format!("{api}.{method}");
        let declared = metadata
            .api_method(api, method)
            .ok_or_else(|| DecodeError::Missing(name.clone()))?;
        let mut cursor = bytes;
        let value =
            scale_value::scale::decode_as_type(&mut cursor, declared.output, &metadata.types).map_err(|error| {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_the_netuid_then_the_field_indexes() {
        let read = RuntimeApiRead::MetagraphView { netuid: 3 };
        assert_eq!(read.function(), "SubnetInfoRuntimeApi_get_selective_metagraph");
        let arguments = read.arguments();
        assert_eq!(&arguments[..3], &[3, 0, 12 << 2]);
        assert_eq!(&arguments[3..5], &52u16.to_le_bytes());
        assert_eq!(arguments.len(), 3 + 2 * METAGRAPH_VIEW_FIELDS.len());
        assert!(RuntimeApiRead::AllDynamicInfo.arguments().is_empty());
    }

    #[test]
    fn finney_declares_both_methods_and_answers_must_fit_their_types() {
        let metadata = crate::contract::tests::finney();
        // `Vec<Option<DynamicInfo>>` with no subnets, and `Option<SelectiveMetagraph>` = None.
        assert!(RuntimeApiRead::AllDynamicInfo.decode_answer(&metadata, &[0]).is_ok());
        let view = RuntimeApiRead::MetagraphView { netuid: 1 };
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
        let none = RuntimeApiRead::MetagraphView { netuid: 9 }
            .decode_answer(&metadata, &[0])
            .expect("None decodes");
        let empty = crate::queries::metagraph::assemble_from_call(&metadata, 9, &none, &[]).expect("empty");
        assert_eq!((empty.netuid, empty.neurons.len()), (9, 0));
        let not_an_option = RuntimeApiRead::AllDynamicInfo
            .decode_answer(&metadata, &[0])
            .expect("an empty list");
        let error =
            crate::queries::metagraph::assemble_from_call(&metadata, 9, &not_an_option, &[]).expect_err("retyped");
        assert!(matches!(error, DecodeError::Retyped { .. }), "{error}");
    }
}
