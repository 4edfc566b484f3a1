//! `cargo xtask codegen [--check]`: regenerates `generated-client/` from `spec/`.
//!
//! This module owns every path the generator's output goes to. It writes a file only when
//! its contents changed, through a temporary file renamed into place; in check mode it writes
//! nothing and fails naming each stale file and the command that fixes it.

use std::fmt;
use std::path::{Path, PathBuf};

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/truv-webhooks.yaml";
/// The generated crate, relative to the workspace root.
pub const OUTPUT: &str = "generated-client";
/// What to run to bring the generated crate up to date.
pub const COMMAND: &str = "cargo xtask codegen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What happened (or, in check mode, would happen) to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    /// Written (or, in check mode, stale: its contents differ or it is missing).
    Updated,
    /// A generated file the generator no longer produces: removed (or, in check mode, stale).
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub mode: Mode,
    /// Paths relative to the workspace root, sorted.
    pub files: Vec<(String, Outcome)>,
}

impl Report {
    /// Files that are not up to date.
    #[must_use]
    pub fn stale(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|(_, outcome)| *outcome != Outcome::Unchanged)
            .map(|(path, _)| path.as_str())
            .collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, outcome) in &self.files {
            let word = match (self.mode, outcome) {
                (_, Outcome::Unchanged) => "unchanged",
                (Mode::Write, Outcome::Updated) => "written",
                (Mode::Write, Outcome::Removed) => "removed",
                (Mode::Check, Outcome::Updated) => "stale",
                (Mode::Check, Outcome::Removed) => "stale (no longer generated)",
            };
            writeln!(f, "{word:>9}  {path}")?;
        }
        Ok(())
    }
}

/// The workspace root (the parent of this crate's directory).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Where fixture specs live, one OpenAPI feature each.
pub const FIXTURES: &str = "tests/fixtures";
/// Where each fixture's generated crate is committed (and compiled as a workspace member).
pub const EXPECTATIONS: &str = "tests/expectations";

/// One spec and the crate generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The spec, relative to the workspace root.
    pub spec: String,
    /// The crate directory, relative to the workspace root.
    pub output: String,
    pub settings: generator::Settings,
}

/// The generator settings for the committed client.
#[must_use]
pub fn settings() -> generator::Settings {
    generator::Settings {
        crate_name: "truv-client".to_owned(),
        crate_version: "0.1.0".to_owned(),
        source_label: SPEC.to_owned(),
        regenerate_command: COMMAND.to_owned(),
        workspace_lints: true,
    }
}

/// Every spec this repository generates a crate from: the Truv spec, then each fixture in
/// `tests/fixtures/*.yaml` (sorted), whose crate goes to `tests/expectations/<name>/`.
pub fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut targets = vec![Target {
        spec: SPEC.to_owned(),
        output: OUTPUT.to_owned(),
        settings: settings(),
    }];
    for entry in read_dir_sorted(&root.join(FIXTURES))? {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = file
            .strip_suffix(".yaml")
            .or_else(|| file.strip_suffix(".json"))
        else {
            continue;
        };
        let spec = format!("{FIXTURES}/{file}");
        targets.push(Target {
            settings: generator::Settings {
                crate_name: format!("fixture-{}", stem.replace('_', "-")),
                crate_version: "0.0.0".to_owned(),
                source_label: spec.clone(),
                regenerate_command: COMMAND.to_owned(),
                workspace_lints: true,
            },
            spec,
            output: format!("{EXPECTATIONS}/{stem}"),
        });
    }
    Ok(targets)
}

/// Generates every target and brings its crate up to date (or, in check mode, reports what
/// is not). Nothing is written unless every spec generates.
pub fn run(root: &Path, mode: Mode) -> Result<Report, String> {
    let targets = targets(root)?;
    let mut generated = Vec::new();
    let mut problems = Vec::new();
    for target in &targets {
        let path = root.join(&target.spec);
        match std::fs::read_to_string(&path) {
            Ok(text) => match generator::generate(&target.spec, &text, &target.settings) {
                Ok(files) => generated.push((target, files)),
                Err(diagnostics) => problems.push(diagnostics.to_string()),
            },
            Err(e) => problems.push(format!("{}: cannot read: {e}", target.spec)),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }

    let mut report = Vec::new();
    for (target, files) in &generated {
        sync_crate(root, &target.output, files, mode, &mut report)?;
    }
    remove_orphaned_expectations(root, &targets, mode, &mut report)?;
    report.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Report {
        mode,
        files: report,
    })
}

/// Brings one crate directory in line with `files`.
fn sync_crate(
    root: &Path,
    output: &str,
    files: &[generator::GeneratedFile],
    mode: Mode,
    report: &mut Vec<(String, Outcome)>,
) -> Result<(), String> {
    let out_dir = root.join(output);
    for file in files {
        let path = out_dir.join(&file.path);
        let fresh = std::fs::read(&path).is_ok_and(|current| current == file.contents.as_bytes());
        let outcome = if fresh {
            Outcome::Unchanged
        } else {
            if mode == Mode::Write {
                generator::write::write_atomically(&path, &file.contents)
                    .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            }
            Outcome::Updated
        };
        report.push((format!("{output}/{}", file.path), outcome));
    }

    // Generated sources the generator no longer produces (a module that went away) are ours to
    // remove; anything else in `src/` was not written by us, and a generated crate must not
    // hold hand-written code.
    for entry in read_dir_sorted(&out_dir.join("src"))? {
        let relative = format!("src/{}", entry.file_name().to_string_lossy());
        if files.iter().any(|f| f.path == relative) {
            continue;
        }
        let path = entry.path();
        let contents = std::fs::read_to_string(&path).unwrap_or_default();
        if !contents.starts_with("// @generated") {
            return Err(format!(
                "{output}/{relative}: not produced by the generator; a generated crate holds no \
                 hand-written files (move it elsewhere)"
            ));
        }
        if mode == Mode::Write {
            std::fs::remove_file(&path)
                .map_err(|e| format!("{}: cannot remove: {e}", path.display()))?;
        }
        report.push((format!("{output}/{relative}"), Outcome::Removed));
    }
    Ok(())
}

/// Expectation crates whose fixture was deleted go too.
fn remove_orphaned_expectations(
    root: &Path,
    targets: &[Target],
    mode: Mode,
    report: &mut Vec<(String, Outcome)>,
) -> Result<(), String> {
    for entry in read_dir_sorted(&root.join(EXPECTATIONS))? {
        let output = format!("{EXPECTATIONS}/{}", entry.file_name().to_string_lossy());
        if targets.iter().any(|t| t.output == output) {
            continue;
        }
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
        if !manifest.starts_with("# @generated") {
            return Err(format!(
                "{output}: not produced by the generator, and no fixture names it"
            ));
        }
        if mode == Mode::Write {
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| format!("{output}: cannot remove: {e}"))?;
        }
        report.push((output, Outcome::Removed));
    }
    Ok(())
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<std::fs::DirEntry>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: cannot list: {e}", dir.display())),
    };
    let mut entries: Vec<_> = entries
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: cannot list: {e}", dir.display()))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch workspace holding a copy of the spec.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        std::fs::copy(workspace_root().join(SPEC), dir.join(SPEC)).unwrap();
        dir
    }

    #[test]
    fn check_writes_nothing_and_write_converges() {
        let root = scratch("converge");
        let report = run(&root, Mode::Check).unwrap();
        assert!(!report.stale().is_empty());
        assert!(!root.join(OUTPUT).exists(), "check mode must not write");

        let written = run(&root, Mode::Write).unwrap();
        assert_eq!(written.stale(), report.stale());
        let again = run(&root, Mode::Check).unwrap();
        assert!(again.stale().is_empty(), "{again}");

        // A hand edit is stale again, and named.
        let lib = root.join(OUTPUT).join("src/lib.rs");
        std::fs::write(&lib, "// edited\n").unwrap();
        let edited = run(&root, Mode::Check).unwrap();
        assert_eq!(edited.stale(), vec!["generated-client/src/lib.rs"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn leftover_generated_files_are_removed_and_foreign_files_refused() {
        let root = scratch("leftover");
        run(&root, Mode::Write).unwrap();
        let old = root.join(OUTPUT).join("src/old_module.rs");
        std::fs::write(&old, "// @generated by an older generator\n").unwrap();
        let check = run(&root, Mode::Check).unwrap();
        assert_eq!(check.stale(), vec!["generated-client/src/old_module.rs"]);
        assert!(old.exists());
        run(&root, Mode::Write).unwrap();
        assert!(!old.exists());

        std::fs::write(
            root.join(OUTPUT).join("src/mine.rs"),
            "fn hand_written() {}\n",
        )
        .unwrap();
        let error = run(&root, Mode::Write).unwrap_err();
        assert!(error.contains("src/mine.rs"), "{error}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
