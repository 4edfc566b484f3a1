//! Project automation behind `cargo xtask`. The library part exists so that tests can run
//! the same freshness check CI runs.

pub mod codegen;
pub mod corpus;
pub mod node;
