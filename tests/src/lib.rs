//! Helpers shared by the integration tests in `tests/tests/`: where the spec is, and the
//! generator run exactly as `cargo xtask codegen` runs it.
//!
//! The repository README is included below, so that its usage example is compiled as a
//! doctest of this crate.
#![doc = include_str!("../../README.md")]

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Runs `cargo rustdoc <args> --lib --all-features` in `dir` with rustdoc's JSON output into
/// `target`, and gives the path of `crate_name`'s JSON. rustdoc JSON is unstable, so it takes
/// `RUSTC_BOOTSTRAP=1` on the stable toolchain: an escape hatch taken only to read a crate's
/// public API, never to build what users get.
///
/// # Panics
///
/// When cargo cannot run or fails (its output is in the message).
#[must_use]
pub fn rustdoc_json(dir: &Path, args: &[&str], target: &Path, crate_name: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .arg("rustdoc")
        .args(args)
        .args(["--lib", "--all-features", "--", "-Z", "unstable-options"])
        .args(["--output-format", "json"])
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTC_BOOTSTRAP", "1")
        // The test run's own flags would leak into the build.
        .env_remove("RUSTDOCFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo rustdoc failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    target.join(format!("doc/{crate_name}.json"))
}
