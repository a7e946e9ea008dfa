//! One module per route.

pub mod not_found;
pub mod overview;
pub mod settings;
pub mod subnet;
pub mod subnets;
pub mod validators;
