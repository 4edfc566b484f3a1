//! Writing generated files: only when their contents changed, and atomically. Used by the CLI
//! and by `cargo xtask codegen`; the generation pipeline itself never touches the disk.

use std::path::Path;

/// Writes `contents` to `path` unless it already holds exactly that. Returns whether it wrote.
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|current| current == contents.as_bytes()) {
        return Ok(false);
    }
    write_atomically(path, contents)?;
    Ok(true)
}

/// Writes through a temporary file in the same directory, renamed into place, so that a
/// reader (or an interrupted run) never sees half a file.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_leaves_no_temporary_files() {
        let dir = std::env::temp_dir().join(format!("generator-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("nested/file.rs");
        assert!(write_if_changed(&path, "a").unwrap());
        assert!(!write_if_changed(&path, "a").unwrap());
        assert!(write_if_changed(&path, "b").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
        let entries: Vec<_> = std::fs::read_dir(dir.join("nested")).unwrap().collect();
        assert_eq!(entries.len(), 1, "temporary files must not remain");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
