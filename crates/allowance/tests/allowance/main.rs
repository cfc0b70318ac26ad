//! Whole-flow tests of the data allowance.
