//! One module per route.

pub mod account;
pub mod alerts;
pub mod baskets;
pub mod compare;
pub mod not_found;
pub mod overview;
pub mod settings;
pub mod shortlist;
pub mod subnet;
pub mod subnets;
pub mod validators;
pub mod watchlist;

/// Validators for the pages' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use light_client::model::{EpochSpacing, Validator, ValidatorSubnet};

    /// A delegate named `name` with a seat per `(netuid, validator trust, α dividends)`: 1,000 α
    /// staked at price 1 on each, the last epoch having paid those dividends on it.
    pub(crate) fn validator(name: &str, take: f64, stake_tao: u64, seats: &[(u16, f64, u64)]) -> Validator {
        Validator {
            hotkey: format!("5{name}hot"),
            coldkey: format!("5{name}cold"),
            name: name.into(),
            url: String::new(),
            take,
            stake_tao_equivalent_rao: stake_tao * 1_000_000_000,
            subnets: seats
                .iter()
                .map(|&(netuid, validator_trust, dividends_alpha)| ValidatorSubnet {
                    netuid,
                    stake_alpha: 1_000,
                    price: Some(1.0),
                    validator_trust,
                    dividends_alpha,
                    stake_last_epoch_alpha: 1_000 + dividends_alpha,
                    tempo: 360,
                    epoch_spacing: EpochSpacing::from_chain(0, 360, 0),
                    ..ValidatorSubnet::default()
                })
                .collect(),
        }
    }
}
