//! Reusable pieces of the interface shared by several pages.

pub mod sync_status;
