//! Whole-flow tests of the data allowance.
mod alerts;
mod month;
