//! The devnet's genesis presets: the one `Preset` the node builds state for and the runner, the
//! xtask and the benchmarks ask for, with its command-line name and its shape of subtensor state.

use std::fmt;
use std::str::FromStr;

/// A genesis preset of the devnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// 4 subnets of 24 uids, tempo 10 blocks: fast tests that see epochs. Subnet 2 runs two
    /// mechanisms, subnet 3 Null consensus, odd subnets' pools are not 50/50, and a fifth subnet
    /// is registered but not reportable.
    Small,
    /// 128 subnets plus root, 256 uids each (128 or 85 on the 2- and 3-mechanism subnets 2, 34,
    /// 66, 98), tempo 100: finney's scale for benchmarks.
    FinneyScale,
}

/// The shape of a preset's subtensor genesis state (the pallet's genesis config builds the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenesisShape {
    /// Subnets besides root.
    pub subnets: u16,
    /// Uids registered on each subnet (before the multi-mechanism subnets' reductions).
    pub neurons_per_subnet: u16,
    /// Validator permits per subnet.
    pub max_validators: u16,
    /// Blocks between epochs.
    pub tempo: u16,
    /// Seed of the generated keys and values.
    pub seed: u64,
}

impl Preset {
    /// Every preset, in the order the command lines list them.
    pub const ALL: [Preset; 2] = [Preset::Small, Preset::FinneyScale];

    /// The preset's name on the command lines (and the node's chain id for it).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Small => "small",
            Preset::FinneyScale => "finney-scale",
        }
    }

    /// The subtensor state the preset's genesis holds.
    pub fn genesis(self) -> GenesisShape {
        match self {
            Preset::Small => GenesisShape {
                subnets: 4,
                neurons_per_subnet: 24,
                max_validators: 6,
                tempo: 10,
                seed: 42,
            },
            Preset::FinneyScale => GenesisShape {
                subnets: 128,
                neurons_per_subnet: 256,
                max_validators: 64,
                tempo: 100,
                seed: 42,
            },
        }
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        Preset::ALL
            .into_iter()
            .find(|preset| preset.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Preset::ALL.iter().map(|preset| preset.name()).collect();
                format!("unknown preset {name:?} (choose {})", names.join(" or "))
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_unknown_ones_list_the_choices() {
        for preset in Preset::ALL {
            assert_eq!(preset.to_string().parse::<Preset>(), Ok(preset));
        }
        assert_eq!(
            "huge".parse::<Preset>(),
            Err("unknown preset \"huge\" (choose small or finney-scale)".into())
        );
    }
}
