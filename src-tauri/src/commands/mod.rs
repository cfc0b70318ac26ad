//! Commands, grouped by feature. Each is a few lines: take state, call the core, map errors.

pub mod demo;
