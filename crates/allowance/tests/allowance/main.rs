//! Whole-flow tests of the data allowance.
mod month;
mod alerts;
