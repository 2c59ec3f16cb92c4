//! SQLite's dialect: how its catalog reads, what it predicts. No connection needed.

pub(crate) mod alter;
pub(crate) mod catalog;
mod predict;
pub(crate) mod scan;

pub use predict::as_built;
