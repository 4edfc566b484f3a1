//! Project automation behind `cargo xtask`. The library part exists so that tests can run
//! the same freshness check CI runs.

pub mod codegen;
pub mod corpus;
pub mod node;

/// Runs `command` with its output passed through; fails, naming it, unless it exits with 0.
/// `missing` is added to the error when the program itself cannot be found.
pub fn run(command: &mut std::process::Command, missing: Option<&str>) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| match missing {
        Some(hint) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("cannot run {shown}: {e} ({hint})")
        }
        _ => format!("cannot run {shown}: {e}"),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} exited with {status}"))
    }
}
