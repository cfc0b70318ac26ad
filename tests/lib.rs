//! Whole-flow tests live in `tests/whole/`; this library is empty.
