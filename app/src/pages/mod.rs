//! One module per route.

pub mod account;
pub mod not_found;
pub mod overview;
pub mod settings;
pub mod shortlist;
pub mod subnet;
pub mod subnets;
pub mod validators;
