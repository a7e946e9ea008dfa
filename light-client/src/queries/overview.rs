//! `overview()`: network-wide totals, the last block's TAO emission summed over subnets (its
//! injection and chain-buy parts), and the halving schedule's block emission as the runtime
//! answers it (`get_block_emission`, read in the same round as the storage). The deprecated
//! `BlockEmission` storage item is never read: finney stopped writing it, and it says 1 τ where
//! the runtime answers 0.5 τ.

use super::runtime_api::RuntimeApiRead;
use super::{ByKey, CallOrReads, CallQuery, Query, Reads, Results, by_netuid, one_round, subtensor};
use crate::decode::{DecodeError, Value, as_bool, as_u64};
use crate::keys::StorageQueryKind;
use crate::metadata::Metadata;
use crate::model::{BlockEmission, Overview, RuntimeVersion};

/// `overview()` at a block of `runtime`: one round, the runtime's block emission called with the
/// storage reads alongside; on a runtime without that call (or with an answer in another shape),
/// the storage reads alone, the overview saying why it has no block emission.
pub fn query(runtime: RuntimeVersion) -> impl Query<Output = Overview> {
    let storage_runtime = runtime.clone();
    CallOrReads::new(
        WithBlockEmission { runtime },
        one_round(reads, move |metadata, results| {
            assemble(metadata, results, storage_runtime.clone(), BlockEmission::Unread { why: String::new() })
        }),
        |overview: &mut Overview, why| overview.block_emission = BlockEmission::Unread { why },
    )
}

/// The overview with `get_block_emission`'s answer.
struct WithBlockEmission {
    runtime: RuntimeVersion,
}

impl CallQuery for WithBlockEmission {
    type Output = Overview;

    fn call(&self) -> RuntimeApiRead {
        RuntimeApiRead::BlockEmission
    }

    fn alongside(&self, metadata: &Metadata) -> Result<Reads, DecodeError> {
        reads(metadata)
    }

    fn assemble(&self, metadata: &Metadata, answer: &Value, results: &Results) -> Result<Overview, DecodeError> {
        let (api, method) = self.call().method();
        let rao = as_u64(answer).ok_or_else(|| DecodeError::Retyped {
            item: format!("{api}.{method}"),
            expected: "rao per block (u64)".into(),
        })?;
        assemble(metadata, results, self.runtime.clone(), BlockEmission::Rao(rao))
    }
}

/// Reads: two totals and three netuid-keyed maps.
fn reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    Ok(vec![
        (subtensor(metadata, "TotalIssuance")?.key(&[]), StorageQueryKind::Value),
        (subtensor(metadata, "TotalStake")?.key(&[]), StorageQueryKind::Value),
        (
            subtensor(metadata, "NetworksAdded")?.key(&[]),
            StorageQueryKind::DescendantsValues,
        ),
        (
            subtensor(metadata, "SubnetTaoInEmission")?.key(&[]),
            StorageQueryKind::DescendantsValues,
        ),
        (
            subtensor(metadata, "SubnetExcessTao")?.key(&[]),
            StorageQueryKind::DescendantsValues,
        ),
    ])
}

/// Assembles the overview.
fn assemble(
    metadata: &Metadata,
    results: &Results,
    runtime: RuntimeVersion,
    block_emission: BlockEmission,
) -> Result<Overview, DecodeError> {
    let values = ByKey::new(results);
    let total = |name: &str| -> Result<u64, DecodeError> {
        let item = subtensor(metadata, name)?;
        Ok(item
            .read(values.get(&item.key(&[])), "u64", as_u64)?
            .unwrap_or_default())
    };
    let sum = |name: &str| -> Result<u64, DecodeError> {
        let item = subtensor(metadata, name)?;
        by_netuid(&item, results)
            .values()
            .map(|bytes| Ok(item.read(Some(bytes), "u64", as_u64)?.unwrap_or_default()))
            .sum()
    };
    let networks = subtensor(metadata, "NetworksAdded")?;
    let mut subnet_count = 0;
    for bytes in by_netuid(&networks, results).values() {
        if networks.read(Some(bytes), "bool", as_bool)?.unwrap_or(false) {
            subnet_count += 1;
        }
    }
    let injected = sum("SubnetTaoInEmission")?;
    let chain_buy = sum("SubnetExcessTao")?;
    Ok(Overview {
        total_issuance_rao: total("TotalIssuance")?,
        total_stake_rao: total("TotalStake")?,
        tao_emission_per_block_rao: injected + chain_buy,
        tao_injected_per_block_rao: injected,
        tao_chain_buy_per_block_rao: chain_buy,
        block_emission,
        subnet_count,
        runtime,
    })
}
