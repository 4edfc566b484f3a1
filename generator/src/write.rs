//! Putting a generated crate on disk: the one write path of the CLI and of
//! `cargo xtask codegen`. The generation pipeline itself never touches the disk.
//!
//! [`sync`] brings a directory in line with the generated files: it writes a file only when
//! its contents changed, through a temporary file renamed into place (a reader, or an
//! interrupted run, never sees half a file); it removes the generated files the generator no
//! longer produces (a module, or an example, that went away) from the folders it writes
//! into, [`OWNED_DIRS`]; and it touches nothing else. Line endings do
//! not count as a change, so a checkout with CRLF line endings is not stale.

use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// What the generator's files start with; a file without it was not written by us.
pub const MARKER: &str = "@generated";

/// The folders of a generated crate that hold generated files besides its manifest and
/// README: the modules, and the example receiver of an API with signed callbacks. A file with
/// the [`MARKER`] there that the generator no longer produces is removed; a file without it
/// (a module or example of the user's own) is left alone, and nothing outside them is looked at.
pub const OWNED_DIRS: &[&str] = &["src", "examples"];

/// Write the changes, or only report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Write nothing; report what writing would change.
    Check,
}

/// What happened (or, in check mode, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    /// Written: new, or its contents differed.
    Written,
    /// A generated file no longer produced: removed.
    Removed,
}

/// One file and what [`sync`] did to it; the path is relative to the directory, with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub path: String,
    pub change: Change,
}

/// A file that could not be read, written or removed.
#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub action: &'static str,
    pub source: std::io::Error,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: cannot {}: {}",
            self.path.display(),
            self.action,
            self.source
        )
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Brings `dir` in line with `files` (see the module docs), or in check mode reports what
/// that would change. Every file is listed, sorted by path; a generated file under one of
/// [`OWNED_DIRS`] that `files` no longer has is removed. Files that do not carry the
/// [`MARKER`] are never removed.
pub fn sync(dir: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Vec<Synced>, Error> {
    let mut report = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        let change = if is_fresh(&path, &file.contents) {
            Change::Unchanged
        } else {
            if mode == Mode::Write {
                write_atomically(&path, &file.contents).map_err(|source| Error {
                    path: path.clone(),
                    action: "write",
                    source,
                })?;
            }
            Change::Written
        };
        report.push(Synced {
            path: file.path.clone(),
            change,
        });
    }
    for stale in stale_files(dir, files)? {
        if mode == Mode::Write {
            std::fs::remove_file(dir.join(&stale)).map_err(|source| Error {
                path: dir.join(&stale),
                action: "remove",
                source,
            })?;
        }
        report.push(Synced {
            path: stale,
            change: Change::Removed,
        });
    }
    report.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
}

/// Whether `path` holds `contents`, line endings aside.
#[must_use]
pub fn is_fresh(path: &Path, contents: &str) -> bool {
    let Ok(current) = std::fs::read(path) else {
        return false;
    };
    if current == contents.as_bytes() {
        return true;
    }
    // Only a difference in line endings is left to forgive; anything else is stale.
    let current = String::from_utf8_lossy(&current);
    current.contains('\r') && current.replace("\r\n", "\n") == contents
}

/// Writes `contents` to `path` unless it already holds it (line endings aside). Returns
/// whether it wrote.
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<bool> {
    if is_fresh(path, contents) {
        return Ok(false);
    }
    write_atomically(path, contents)?;
    Ok(true)
}

/// Writes through a temporary file in the same directory, renamed into place.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, contents)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Generated files under [`OWNED_DIRS`] of `dir` (by their marker) that `files` does not
/// have, relative to `dir`, sorted.
fn stale_files(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    let mut pending: Vec<PathBuf> = OWNED_DIRS.iter().map(|owned| dir.join(owned)).collect();
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error {
                    path: folder,
                    action: "list",
                    source,
                });
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error {
                path: folder.clone(),
                action: "list",
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let Some(relative) = relative_path(dir, &path) else {
                continue;
            };
            if files.iter().any(|f| f.path == relative) || !is_generated(&path) {
                continue;
            }
            stale.push(relative);
        }
    }
    stale.sort();
    Ok(stale)
}

/// `path` relative to `dir`, with `/` separators.
fn relative_path(dir: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Whether the file's first line carries the generator's marker.
fn is_generated(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.lines().next().map(|line| line.contains(MARKER)))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("generator-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn changes(report: &[Synced]) -> Vec<(&str, Change)> {
        report.iter().map(|s| (s.path.as_str(), s.change)).collect()
    }

    #[test]
    fn writes_only_changes_and_leaves_no_temporary_files() {
        let dir = scratch("changes");
        let path = dir.join("nested/file.rs");
        assert!(write_if_changed(&path, "a").unwrap());
        assert!(!write_if_changed(&path, "a").unwrap());
        assert!(write_if_changed(&path, "b").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
        let entries: Vec<_> = std::fs::read_dir(dir.join("nested")).unwrap().collect();
        assert_eq!(entries.len(), 1, "temporary files must not remain");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_writes_nothing_and_write_converges() {
        let dir = scratch("converge");
        let files = [
            file("Cargo.toml", "# @generated\n[package]\n"),
            file("src/lib.rs", "// @generated\nmod a;\n"),
            file("src/runtime/a.rs", "// @generated\nfn a() {}\n"),
        ];
        let check = sync(&dir, &files, Mode::Check).unwrap();
        assert!(check.iter().all(|s| s.change == Change::Written));
        assert!(!dir.exists(), "check mode writes nothing");
        assert_eq!(sync(&dir, &files, Mode::Write).unwrap(), check);
        let again = sync(&dir, &files, Mode::Check).unwrap();
        assert!(again.iter().all(|s| s.change == Change::Unchanged));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn removes_stale_generated_files_and_touches_nothing_else() {
        let dir = scratch("stale");
        let files = [file("src/lib.rs", "// @generated\n")];
        sync(&dir, &files, Mode::Write).unwrap();
        std::fs::create_dir_all(dir.join("src/runtime")).unwrap();
        std::fs::write(
            dir.join("src/runtime/old.rs"),
            "// @generated by an older run\n",
        )
        .unwrap();
        std::fs::write(dir.join("src/mine.rs"), "fn hand_written() {}\n").unwrap();
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        std::fs::write(
            dir.join("examples/old.rs"),
            "// @generated by an older run\n",
        )
        .unwrap();
        std::fs::write(dir.join("examples/mine.rs"), "fn main() {}\n").unwrap();
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(dir.join("tests/old.rs"), "// @generated elsewhere\n").unwrap();

        let check = sync(&dir, &files, Mode::Check).unwrap();
        assert_eq!(
            changes(&check),
            [
                ("examples/old.rs", Change::Removed),
                ("src/lib.rs", Change::Unchanged),
                ("src/runtime/old.rs", Change::Removed)
            ]
        );
        assert!(
            dir.join("src/runtime/old.rs").exists(),
            "check mode removes nothing"
        );
        sync(&dir, &files, Mode::Write).unwrap();
        assert!(!dir.join("src/runtime/old.rs").exists());
        assert!(
            dir.join("src/mine.rs").exists(),
            "a hand-written file is not ours"
        );
        assert!(
            !dir.join("examples/old.rs").exists(),
            "an example we dropped"
        );
        assert!(
            dir.join("examples/mine.rs").exists(),
            "a hand-written example is not ours"
        );
        assert!(
            dir.join("tests/old.rs").exists(),
            "only src/ and examples/ hold our files"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn line_endings_alone_are_not_a_change() {
        let dir = scratch("crlf");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "// @generated\r\nmod a;\r\n").unwrap();
        let fresh = [file("src/lib.rs", "// @generated\nmod a;\n")];
        assert_eq!(
            changes(&sync(&dir, &fresh, Mode::Check).unwrap()),
            [("src/lib.rs", Change::Unchanged)]
        );
        let edited = [file("src/lib.rs", "// @generated\nmod b;\n")];
        assert_eq!(
            changes(&sync(&dir, &edited, Mode::Check).unwrap()),
            [("src/lib.rs", Change::Written)]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
