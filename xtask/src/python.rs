//! Python tools in virtual environments under `.tools/` (ignored by git), installed with pip
//! on first use and again only when what they pin changes.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes sure the virtual environment `venv` holds what `pip install <install>` installs,
/// and returns its `bin` directory. `pins` is the text that says which releases (a
/// requirement, the contents of a requirements file): the environment is made afresh, and
/// the install repeated, whenever it differs from what was last installed, so an interrupted
/// install or a changed pin is never taken for a finished one.
pub fn venv(venv: &Path, pins: &str, install: &[&OsStr]) -> Result<PathBuf, String> {
    let bin = venv.join("bin");
    let marker = venv.join(".installed");
    if std::fs::read_to_string(&marker).is_ok_and(|installed| installed == pins) {
        return Ok(bin);
    }
    println!("installing into {}", venv.display());
    let _ = std::fs::remove_file(&marker);
    crate::run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(venv),
        Some("Python 3 with `venv` is needed"),
    )?;
    crate::run(
        Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(install),
        None,
    )?;
    std::fs::write(&marker, pins).map_err(|e| format!("{}: {e}", marker.display()))?;
    Ok(bin)
}
