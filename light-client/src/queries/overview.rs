//! `overview()`: network-wide totals, plus the last block's TAO emission summed over subnets (its
//! injection and chain-buy parts; the deprecated `BlockEmission` is never read).

use super::{ByKey, Query, Reads, Results, by_netuid, one_round, subtensor};
use crate::keys::StorageQueryKind;
use crate::decode::{DecodeError, as_bool, as_u64};
use crate::metadata::Metadata;
use crate::model::{Overview, RuntimeVersion};

/// `overview()` at a block of `runtime`: one round.
pub fn query(runtime: RuntimeVersion) -> impl Query<Output = Overview> {
    one_round(reads, move |metadata, results| assemble(metadata, results, runtime.clone()))
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
fn assemble(metadata: &Metadata, results: &Results, runtime: RuntimeVersion) -> Result<Overview, DecodeError> {
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
        subnet_count,
        runtime,
    })
}
