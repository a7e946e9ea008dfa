//! α prices by what the runtime says holds: finney's balancer formula over storage
//! (`SubnetTAO`, `SubnetAlphaIn`, `Swap.SwapBalancer`; proven equal to `current_alpha_price` on
//! finney's bytes at spec 475) for every pool it prices, and the runtime's own answer
//! (`SwapRuntimeApi.current_alpha_price_all`, one call) for pools it does not: those with a
//! `Swap.SwapSuperellipse` curve, finney's pool after 475. Which pools have a curve is read in
//! the same storage round as the pools; a query adds the call only when a pool it prices has
//! one, and where the runtime lacks the call (or answers in another shape) such a pool has no
//! price, with the reason, never the formula's wrong one.

use std::collections::{BTreeMap, BTreeSet};

use super::runtime_api::RuntimeApiRead;
use super::{Answer, Reads, Results, Step, by_netuid, subtensor};
use crate::decode::{DecodeError, Item, as_list, as_u16, as_u64, field};
use crate::keys::StorageQueryKind;
use crate::metadata::Metadata;
use crate::model::PriceMethod;
use crate::units;

/// The pools' balancer weights, in the swap pallet.
pub const SWAP_BALANCER: (&str, &str) = ("Swap", "SwapBalancer");

/// The pools' superellipse curves (finney after spec 475: an entry means the pool trades on it).
pub const SWAP_SUPERELLIPSE: (&str, &str) = ("Swap", "SwapSuperellipse");

/// Why a pool with a curve is not priced by the formula, as the page says it.
pub const CURVE_WHY: &str =
    "Swap.SwapSuperellipse holds a curve for this pool, so the balancer formula does not give its price";

/// The netuid-keyed maps the balancer formula reads (with `SubnetMechanism`: 1 τ off the dynamic
/// mechanism).
pub const FORMULA_ITEMS: [&str; 3] = ["SubnetTAO", "SubnetAlphaIn", "SubnetMechanism"];

/// `Swap.SwapBalancer`.
pub(crate) fn swap_balancer(metadata: &Metadata) -> Result<Item<'_>, DecodeError> {
    Item::new(metadata, SWAP_BALANCER.0, SWAP_BALANCER.1)
}

/// `Swap.SwapSuperellipse`, where the runtime has it.
pub(crate) fn swap_superellipse(metadata: &Metadata) -> Option<Item<'_>> {
    Item::new(metadata, SWAP_SUPERELLIPSE.0, SWAP_SUPERELLIPSE.1).ok()
}

/// The curves read whole, where the runtime has them.
pub(crate) fn curve_read(metadata: &Metadata) -> Option<(Vec<u8>, StorageQueryKind)> {
    swap_superellipse(metadata).map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues))
}

/// Each subnet's price, TAO per α (`None`: unavailable), and how it was found.
pub type Prices = BTreeMap<u16, (Option<f64>, PriceMethod)>;

/// Subnet `netuid`'s price in `prices`, where it has one.
pub(crate) fn price_of(prices: &Prices, netuid: u16) -> Option<f64> {
    prices.get(&netuid).and_then(|(price, _)| *price)
}

/// The netuids whose pool has a curve in `results` (none where the runtime has no curves).
pub(crate) fn curve_pools(metadata: &Metadata, results: &Results) -> BTreeSet<u16> {
    swap_superellipse(metadata)
        .map(|item| by_netuid(&item, results).into_keys().collect())
        .unwrap_or_default()
}

/// The runtime's prices, asked for by a query when a pool it prices has a curve.
#[derive(Debug, Default)]
pub(crate) struct RuntimePrices {
    /// The call was asked for, and its answer is due in the next step's answer.
    asked: bool,
    /// Rao per α by netuid, or why there is none.
    answer: Option<Result<BTreeMap<u16, u64>, String>>,
}

impl RuntimePrices {
    /// The call to add to the next step when `needed` (a pool the query prices has a curve) and
    /// the runtime has it; where it lacks it, the reason is kept and no call is made.
    pub(crate) fn ask(&mut self, metadata: &Metadata, needed: bool) -> Option<RuntimeApiRead> {
        if !needed || self.asked || self.answer.is_some() {
            return None;
        }
        let read = RuntimeApiRead::AlphaPricesAll;
        let (api, method) = read.method();
        if metadata.api_method(api, method).is_none() {
            self.answer = Some(Err(format!("this runtime has no {api}.{method}")));
            return None;
        }
        self.asked = true;
        Some(read)
    }

    /// `reads` as the next step, with the price call alongside when [`RuntimePrices::ask`] makes it.
    pub(crate) fn step<T>(&mut self, metadata: &Metadata, needed: bool, reads: Reads) -> Step<T> {
        match self.ask(metadata, needed) {
            Some(read) => Step::Call { read, alongside: reads },
            None => Step::Read(reads),
        }
    }

    /// Keeps the call's answer once the step that asked for it is answered (an answer in a shape
    /// this dashboard does not read is kept as the reason there is no price).
    pub(crate) fn receive(&mut self, metadata: &Metadata, answer: Answer<'_>) {
        if !self.asked || self.answer.is_some() {
            return;
        }
        let read = RuntimeApiRead::AlphaPricesAll;
        let (api, method) = read.method();
        let prices = super::decoded_call(&read, metadata, answer).and_then(|value| {
            let entries = as_list(&value).ok_or(DecodeError::Retyped {
                item: format!("{api}.{method}"),
                expected: "a list of SubnetPrice".into(),
            })?;
            entries
                .into_iter()
                .map(|entry| {
                    let netuid = field(entry, "netuid").and_then(as_u16);
                    let price = field(entry, "price").and_then(as_u64);
                    netuid.zip(price).ok_or(DecodeError::Retyped {
                        item: format!("{api}.{method}"),
                        expected: "SubnetPrice { netuid, price }".into(),
                    })
                })
                .collect::<Result<BTreeMap<u16, u64>, DecodeError>>()
        });
        self.answer = Some(prices.map_err(|error| {
            format!("{api}.{method} answered in a shape this dashboard does not read ({error})")
        }));
    }

    /// The price of subnet `netuid`, TAO per α, and how it was found: the `formula`'s where the
    /// pool has no curve, else the runtime's answer, else none and why.
    pub(crate) fn price(&self, netuid: u16, curve: bool, formula: impl FnOnce() -> f64) -> (Option<f64>, PriceMethod) {
        if !curve {
            return (Some(formula()), PriceMethod::BalancerFormula);
        }
        let unavailable = |why: String| {
            (
                None,
                PriceMethod::Unavailable {
                    why: format!("{CURVE_WHY}, and {why}"),
                },
            )
        };
        match &self.answer {
            Some(Ok(prices)) => match prices.get(&netuid) {
                Some(rao) => (
                    Some(units::tao_from_rao(*rao)),
                    PriceMethod::RuntimeAnswer { why: CURVE_WHY.into() },
                ),
                None => unavailable(format!("SwapRuntimeApi.current_alpha_price_all has no price for subnet {netuid}")),
            },
            Some(Err(why)) => unavailable(why.clone()),
            None => unavailable("the runtime's prices were not read".into()),
        }
    }
}

/// Every subnet's price (those `NetworksAdded` lists) from the formula's maps and the pools'
/// maps in `results`, with the runtime's answer for pools with a curve.
pub(crate) fn prices(metadata: &Metadata, results: &Results, runtime: &RuntimePrices) -> Result<Prices, DecodeError> {
    let indexed = |name: &str| -> Result<(Item<'_>, BTreeMap<u16, &[u8]>), DecodeError> {
        let item = subtensor(metadata, name)?;
        let values = by_netuid(&item, results);
        Ok((item, values))
    };
    let [tao, alpha, mechanisms] = FORMULA_ITEMS.map(indexed);
    let (tao, alpha, mechanisms) = (tao?, alpha?, mechanisms?);
    let balancer = swap_balancer(metadata)?;
    let quotes = by_netuid(&balancer, results);
    let curves = curve_pools(metadata, results);
    let networks = subtensor(metadata, "NetworksAdded")?;
    let mut prices = BTreeMap::new();
    for netuid in by_netuid(&networks, results).into_keys() {
        let number = |(item, values): &(Item, BTreeMap<u16, &[u8]>)| -> Result<u64, DecodeError> {
            Ok(item.read(values.get(&netuid).copied(), "an integer", as_u64)?.unwrap_or(0))
        };
        let quote = balancer
            .read(quotes.get(&netuid).copied(), "a balancer weight", as_u64)?
            .unwrap_or_default();
        let (mechanism_item, mechanism_values) = &mechanisms;
        let mechanism = mechanism_item
            .read(mechanism_values.get(&netuid).copied(), "u16", as_u16)?
            .unwrap_or(0);
        let (tao, alpha) = (number(&tao)?, number(&alpha)?);
        let priced = runtime.price(netuid, curves.contains(&netuid), || {
            units::pool_price(mechanism, quote, tao, alpha)
        });
        prices.insert(netuid, priced);
    }
    Ok(prices)
}

#[cfg(test)]
pub(crate) mod tests {
    use scale_info::form::PortableForm;
    use scale_info::{Field, TypeDef, TypeDefComposite};

    use crate::keys::Hasher;
    use crate::metadata::{Metadata, StorageItem};

    /// The id of primitive type `name` (`u16`, `u128`…) in `metadata`'s registry.
    pub(crate) fn primitive(metadata: &Metadata, name: &str) -> u32 {
        (0..metadata.types.types.len() as u32)
            .find(|id| metadata.type_name(*id) == name)
            .expect("the registry has the primitive")
    }

    /// A netuid-keyed OptionQuery map of `value_type`, hashed with `hasher`.
    pub(crate) fn netuid_map(metadata: &Metadata, hasher: Hasher, value_type: u32) -> StorageItem {
        StorageItem {
            hashers: vec![hasher],
            key_types: vec![primitive(metadata, "u16")],
            value_type,
            optional: true,
            default: Vec::new(),
        }
    }

    /// July's finney with `Swap.SwapSuperellipse` declared as finney's next runtime declares it
    /// (`Twox64Concat` netuid → `Superellipse { alpha_scale: u128, tao_scale: u128,
    /// center_alpha: i128, center_tao: i128 }`, OptionQuery).
    pub(crate) fn with_curves(mut metadata: Metadata) -> Metadata {
        let field = |name: &str, ty: u32| Field::<PortableForm> {
            name: Some(name.into()),
            ty: ty.into(),
            type_name: None,
            docs: Vec::new(),
        };
        let (unsigned, signed) = (primitive(&metadata, "u128"), primitive(&metadata, "i128"));
        let fields = vec![
            field("alpha_scale", unsigned),
            field("tao_scale", unsigned),
            field("center_alpha", signed),
            field("center_tao", signed),
        ];
        let curve = metadata.declare_type(&["pallet_swap", "Superellipse"], TypeDef::Composite(TypeDefComposite { fields }));
        let item = netuid_map(&metadata, Hasher::Twox64Concat, curve);
        metadata.declare_storage_item("Swap", "SwapSuperellipse", item);
        metadata
    }
}
