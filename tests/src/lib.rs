//! Helpers shared by the integration tests in `tests/tests/`: where the spec is, and the
//! generator run exactly as `cargo xtask codegen` runs it.
//!
//! The repository README is included below, so that its usage example is compiled as a
//! doctest of this crate.
#![doc = include_str!("../../README.md")]

use std::path::PathBuf;

pub mod faults;
pub mod prism;

/// The workspace root.
#[must_use]
pub fn workspace_root() -> PathBuf {
    xtask::codegen::workspace_root()
}

/// The Truv spec's text.
#[must_use]
pub fn truv_spec() -> String {
    let path = workspace_root().join(xtask::codegen::SPEC);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The generated client's files, as `cargo xtask codegen` produces them.
#[must_use]
pub fn generate_truv() -> Vec<generator::GeneratedFile> {
    generator::generate(
        xtask::codegen::SPEC,
        &truv_spec(),
        &xtask::codegen::settings(),
    )
    .unwrap_or_else(|e| panic!("the Truv spec must generate:\n{e}"))
    .files
}
