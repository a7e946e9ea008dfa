//! The node's JSON-RPC extensions beyond sc-service's built-ins (chainHead_v1_*, state_*, …):
//! `system_accountNextIndex` for the devnet's admin transactions, `grandpa_*` (the voter's
//! set id and round state, finality proofs) as finney's nodes serve them, for checkpoints, and
//! `devnet_callProof`, the call proof a peer sends a light client, for the benchmark's byte budget.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_client_api::ProofProvider;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_core::Bytes;
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
        + ProofProvider<Block>
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
    module.merge(System::new(client.clone(), pool).into_rpc())?;
    module.register_method("devnet_callProof", move |params, _, _| call_proof(&*client, params))?;
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

/// `devnet_callProof(method, data, at?)`: the trie nodes of the proof a peer answers a light
/// client's remote call request with (sc-network-light's handler sends exactly
/// `execution_proof`'s nodes), at block `at` or the finalized one. Finney's nodes have no such
/// method; the benchmark uses it to say what a call proof's bytes are.
fn call_proof<C>(client: &C, params: jsonrpsee::types::Params) -> Result<Vec<Bytes>, jsonrpsee::types::ErrorObjectOwned>
where
    C: ProofProvider<Block> + HeaderBackend<Block>,
{
    let failed = |message: String| jsonrpsee::types::ErrorObject::owned(1, message, None::<()>);
    let (method, data, at): (String, Bytes, Option<taoscope_devnet_runtime::Hash>) = params.parse()?;
    let at = at.unwrap_or_else(|| client.info().finalized_hash);
    let (_, proof) = client
        .execution_proof(at, &method, &data)
        .map_err(|error| failed(format!("{method} at {at:?}: {error}")))?;
    Ok(proof.into_iter_nodes().map(Bytes).collect())
}
