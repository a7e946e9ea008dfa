//! Runtime API declarations with finney's trait and method names and argument/return shapes.

use crate::rpc_info::{
    BasketSummary, DelegateInfo, DynamicInfo, Metagraph, NeuronInfoLite, SelectiveMetagraph, SimSwapResult, SubnetPrice,
};
use sp_runtime::AccountId32;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
    /// Subnet-level queries.
    #[api_version(2)]
    pub trait SubnetInfoRuntimeApi {
        fn get_dynamic_info(netuid: u16) -> Option<DynamicInfo>;
        fn get_all_dynamic_info() -> Vec<Option<DynamicInfo>>;
        fn get_metagraph(netuid: u16) -> Option<Metagraph>;
        fn get_selective_metagraph(netuid: u16, metagraph_indexes: Vec<u16>) -> Option<SelectiveMetagraph>;
        fn get_mechagraph(netuid: u16, mecid: u8) -> Option<Metagraph>;
        fn get_selective_mechagraph(netuid: u16, subid: u8, metagraph_indexes: Vec<u16>) -> Option<SelectiveMetagraph>;
        fn get_block_emission() -> u64;
        fn get_next_epoch_start_block(netuid: u16) -> Option<u64>;
    }

    /// Neuron-level queries.
    pub trait NeuronInfoRuntimeApi {
        fn get_neurons_lite(netuid: u16) -> Vec<NeuronInfoLite>;
    }

    /// Delegate (validator) queries.
    pub trait DelegateInfoRuntimeApi {
        fn get_delegates() -> Vec<DelegateInfo>;
    }

    /// Root baskets ("Root Reborn"): each validator's fund of subnet α.
    pub trait BetaBasketRuntimeApi {
        fn get_validator_basket_summary(hotkey: AccountId32) -> BasketSummary;
        fn get_all_validator_baskets() -> Vec<BasketSummary>;
    }

    /// Pool prices.
    pub trait SwapRuntimeApi {
        fn current_alpha_price(netuid: u16) -> u64;
        fn current_alpha_price_all() -> Vec<SubnetPrice>;
        fn sim_swap_tao_for_alpha(netuid: u16, tao: u64) -> SimSwapResult;
        fn sim_swap_alpha_for_tao(netuid: u16, alpha: u64) -> SimSwapResult;
    }
}
