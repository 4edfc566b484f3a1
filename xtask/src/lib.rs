//! Project automation behind `cargo xtask`. The library part exists so that tests can run
//! the same freshness checks CI runs, and render fixture snapshots the way codegen does.

pub mod api_diff;
pub mod bench;
pub mod codegen;
pub mod corpus;
pub mod fastapi;
pub mod fixtures;
pub mod node;
pub mod python;

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

/// Runs `command` capturing its output: its standard output, or, when it cannot run or exits
/// with another status than 0, why (its standard error).
pub fn output(command: &mut std::process::Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|e| format!("{shown}: {e}"))
    } else {
        Err(format!(
            "{shown} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Runs `cargo <args>` in `root` (the cargo that runs xtask, where there is one) with `env`
/// added.
pub fn cargo(root: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = std::process::Command::new(cargo);
    command.current_dir(root).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    run(&mut command, None)
}
