//! `cargo xtask api-diff [--base <git-ref>] [--check]`: what the working tree's change of
//! `spec/truv-webhooks.yaml` does to the users of `truv-client`, compared with a git ref (by
//! default where this branch left `main`), and whether the crate's version says so.

use std::path::Path;
use std::process::Command;

use generator::diff::{self, Side, Version};

use crate::codegen::{OUTPUT, SPEC};

/// Prints the report; with `check`, fails unless `generated-client/Cargo.toml`'s version grew
/// as far as the changes require since `base`.
pub fn run(root: &Path, base: Option<&str>, check: bool) -> Result<(), String> {
    let base = match base {
        Some(base) => base.to_owned(),
        None => git(root, &["merge-base", "HEAD", "main"])?
            .trim()
            .to_owned(),
    };
    let manifest = format!("{OUTPUT}/Cargo.toml");
    let old_spec = git(root, &["show", &format!("{base}:{SPEC}")])?;
    let new_spec = read(root, SPEC)?;
    let old_version = version(&git(root, &["show", &format!("{base}:{manifest}")])?)
        .map_err(|e| format!("{manifest} at {base}: {e}"))?;
    let new_version = version(&read(root, &manifest)?).map_err(|e| format!("{manifest}: {e}"))?;
    let old_label = format!("{SPEC}@{}", short(&base));
    let report = diff::diff(
        Side {
            label: &old_label,
            text: &old_spec,
        },
        Side {
            label: SPEC,
            text: &new_spec,
        },
        &crate::codegen::load_settings(root)?,
    )
    .map_err(|d| d.to_string())?
    .with_versions(old_version.clone(), Some(new_version.clone()));
    print!("{}", report.markdown());
    if check {
        diff::check_version(&old_version, &new_version, report.required())
            .map_err(|problem| format!("{problem} (raise `[package] version` in `spec/generator.toml`, then run `cargo xtask codegen`)"))?;
    }
    Ok(())
}

/// A commit hash shortened for the report; a ref name as it is.
fn short(base: &str) -> &str {
    if base.len() == 40 && base.bytes().all(|b| b.is_ascii_hexdigit()) {
        &base[..12]
    } else {
        base
    }
}

fn read(root: &Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: cannot read: {e}"))
}

/// The `version` of a manifest's `[package]`.
fn version(manifest: &str) -> Result<Version, String> {
    let manifest: toml::Table = toml::from_str(manifest).map_err(|e| e.message().to_owned())?;
    manifest
        .get("package")
        .and_then(|package| package.get("version"))
        .and_then(toml::Value::as_str)
        .ok_or("no `version` in `[package]`")?
        .parse()
}

/// `git <args>` in `root`: its standard output, or why it failed.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    crate::output(Command::new("git").current_dir(root).args(args))
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn reads_the_package_version_not_a_dependency_s() {
        let manifest =
            "[package]\nname = \"x\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9.9.9\"\n";
        assert_eq!(version(manifest).unwrap().to_string(), "0.3.1");
        assert!(version("[dependencies]\nversion = \"1.0.0\"\n").is_err());
    }
}
