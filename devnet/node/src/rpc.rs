//! The node's JSON-RPC extensions beyond sc-service's built-ins (chainHead_v1_*, state_*, …):
//! `system_accountNextIndex` for the devnet's admin transactions, and `grandpa_*` (the voter's
//! set id and round state, finality proofs) as finney's nodes serve them, for checkpoints.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use taoscope_devnet_runtime::{opaque::Block, AccountId, Nonce};

/// What the GRANDPA RPC needs.
pub struct GrandpaDeps<B> {
    /// The voter's state (round, votes).
    pub shared_voter_state: sc_consensus_grandpa::SharedVoterState,
    /// The current authority set (and its id).
    pub shared_authority_set: sc_consensus_grandpa::SharedAuthoritySet<taoscope_devnet_runtime::Hash, u32>,
    /// New justifications, for `grandpa_subscribeJustifications`.
    pub justification_stream: sc_consensus_grandpa::GrandpaJustificationStream<Block>,
    /// Runs subscriptions.
    pub subscription_executor: sc_rpc::SubscriptionTaskExecutor,
    /// Builds finality proofs.
    pub finality_provider: Arc<sc_consensus_grandpa::FinalityProofProvider<B, Block>>,
}

/// What the RPC extensions need.
pub struct FullDeps<C, P, B> {
    /// The client.
    pub client: Arc<C>,
    /// The transaction pool.
    pub pool: Arc<P>,
    /// GRANDPA's shared state.
    pub grandpa: GrandpaDeps<B>,
}

/// Builds the extra RPC methods.
pub fn create_full<C, P, B>(
    deps: FullDeps<C, P, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
    C: ProvideRuntimeApi<Block>
        + HeaderBackend<Block>
        + HeaderMetadata<Block, Error = BlockChainError>
        + Send
        + Sync
        + 'static,
    C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
    C::Api: BlockBuilder<Block>,
    P: TransactionPool + 'static,
    B: sc_client_api::Backend<Block> + Send + Sync + 'static,
    B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
    use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
    use substrate_frame_rpc_system::{System, SystemApiServer};
    let mut module = RpcModule::new(());
    let FullDeps { client, pool, grandpa } = deps;
    module.merge(System::new(client, pool).into_rpc())?;
    module.merge(
        Grandpa::new(
            grandpa.subscription_executor,
            grandpa.shared_authority_set,
            grandpa.shared_voter_state,
            grandpa.justification_stream,
            grandpa.finality_provider,
        )
        .into_rpc(),
    )?;
    Ok(module)
}
