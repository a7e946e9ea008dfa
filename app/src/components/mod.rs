//! Reusable pieces of the interface shared by several pages.

pub mod alerts;
pub mod badges;
pub mod export;
pub mod history;
pub mod method;
pub mod provenance;
pub mod service_notice;
pub mod stale_start;
pub mod state;
pub mod swap_simulator;
pub mod sync_status;
pub mod url_state;
