//! `cargo xtask fixtures <cargo command> [args]`: the fixture crates, compiled as users get
//! them.
//!
//! A fixture's generated text is stored once, as its snapshot (see `codegen.rs`); its crate
//! is materialised here, under `<target dir>/fixtures/`, as a workspace of its own:
//!
//! - `crates/<fixture>/`: each crate exactly as the generator writes it, runtime embedded,
//!   built outside this repository's workspace (as a user's crate would be);
//! - `tests/`: the behaviour tests of the fixture crates, `tests/fixtures/<fixture>.rs` beside
//!   the spec each one exercises, as one test target each;
//! - `Cargo.toml`: this workspace's dependency versions and lints; `Cargo.lock` and
//!   `clippy.toml`, copies of this workspace's, so that the fixtures build against exactly the
//!   versions CI tests here, under the same lint configuration.
//!
//! The workspace is rewritten (only where it changed) before every command, so it is never
//! stale; `cargo xtask ci` runs clippy, the tests and rustdoc over it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::codegen::{self, FIXTURES, read_dir_sorted};

/// What to run to materialise (and check, test...) the fixture crates.
pub const COMMAND: &str = "cargo xtask fixtures";

/// Dev-dependencies of the behaviour tests, by name in `[workspace.dependencies]` or with their
/// own requirement.
const TEST_DEPENDENCIES: &[&str] = &[
    "futures.workspace = true",
    "proptest.workspace = true",
    "reqwest.workspace = true",
    "serde_json.workspace = true",
    "time.workspace = true",
    r#"tokio = { workspace = true, features = ["net", "io-util", "time"] }"#,
    "url.workspace = true",
    "wiremock.workspace = true",
];

/// The target directory cargo uses for this workspace.
#[must_use]
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Where the fixture workspace is materialised.
#[must_use]
pub fn dir(root: &Path) -> PathBuf {
    target_dir(root).join("fixtures")
}

/// Writes (where changed) the fixture workspace and returns its directory. Nothing is written
/// unless every fixture generates.
pub fn materialise(root: &Path) -> Result<PathBuf, String> {
    let dir = dir(root);
    let fixtures = codegen::fixtures(root)?;
    let mut crates = Vec::new();
    let mut problems = Vec::new();
    for fixture in &fixtures {
        match fixture.generate(root) {
            Ok(files) => crates.push((fixture, files)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    for (fixture, files) in &crates {
        generator::write::sync(
            &dir.join("crates").join(&fixture.stem),
            files,
            generator::write::Mode::Write,
        )
        .map_err(|e| e.to_string())?;
    }
    // Crates of fixtures that were deleted go (only what we generated: its manifest says so).
    for entry in read_dir_sorted(&dir.join("crates"))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if fixtures.iter().any(|f| f.stem == name) {
            continue;
        }
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
        if manifest.starts_with("# @generated") {
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| format!("{}: cannot remove: {e}", entry.path().display()))?;
        }
    }

    let root_manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("Cargo.toml: cannot read: {e}"))?;
    write(&dir.join("Cargo.toml"), &workspace_manifest(&root_manifest))?;
    let tests = behaviour_tests(root)?;
    write(
        &dir.join("tests/Cargo.toml"),
        &tests_manifest(&fixtures, &tests),
    )?;
    // The same lock and clippy configuration as this workspace.
    for file in ["Cargo.lock", "clippy.toml"] {
        let text = std::fs::read_to_string(root.join(file))
            .map_err(|e| format!("{file}: cannot read: {e}"))?;
        write(&dir.join(file), &text)?;
    }
    Ok(dir)
}

/// Materialises the fixture workspace and runs `cargo <args>` in it (sharing this workspace's
/// target directory, so dependencies are built once). Afterwards, every registry package the
/// fixtures resolved to must be one this workspace's `Cargo.lock` pins: a generated crate that
/// needs a new dependency must add it to the runtime crate first.
pub fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let dir = materialise(root)?;
    let (command, rest) = args
        .split_first()
        .ok_or("name a cargo command: `cargo xtask fixtures test`")?;
    let manifest = dir.join("Cargo.toml");
    let manifest = manifest.to_string_lossy();
    // `--manifest-path` goes right after the command, before any `--`.
    let mut full = vec![*command, "--manifest-path", &manifest];
    full.extend_from_slice(rest);
    let target = target_dir(root);
    let target = target.to_string_lossy();
    let mut env = env.to_vec();
    env.push(("CARGO_TARGET_DIR", &target));
    crate::cargo(root, &full, &env)?;
    check_lock(root, &dir)
}

/// The behaviour tests: `tests/fixtures/*.rs` and `tests/fixtures/partial/*.rs`, sorted.
fn behaviour_tests(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut tests = Vec::new();
    for dir in [root.join(FIXTURES), root.join(codegen::PARTIAL_FIXTURES)] {
        tests.extend(
            read_dir_sorted(&dir)?
                .into_iter()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "rs")),
        );
    }
    Ok(tests)
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    generator::write::write_if_changed(path, contents)
        .map(|_| ())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// The fixture workspace's manifest: its members, and this workspace's dependency versions and
/// lints.
fn workspace_manifest(root_manifest: &str) -> String {
    let mut out = String::from(
        "# @generated by `cargo xtask fixtures`: the fixture crates of tests/fixtures/*.yaml as the\n\
         # generator writes them, and their behaviour tests (tests/fixtures/*.rs).\n\n\
         [workspace]\nresolver = \"3\"\nmembers = [\"crates/*\", \"tests\"]\n",
    );
    for section in sections(root_manifest, |name| {
        name == "workspace.package"
            || name == "workspace.dependencies"
            || name.starts_with("workspace.lints")
    }) {
        out.push('\n');
        out.push_str(&section);
    }
    out
}

/// The `[header]` sections of a TOML document that `keep` accepts, each with its lines.
fn sections(toml: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in toml.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            out.extend(current.take());
            // `[name]` may be kept; `[[array]]` tables never are.
            let name = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']'));
            if name.is_some_and(|name| !name.starts_with('[') && keep(name.trim())) {
                current = Some(String::new());
            }
        }
        if let Some(section) = &mut current {
            section.push_str(line);
            section.push('\n');
        }
    }
    out.extend(current);
    out
}

/// The manifest of the behaviour tests' package.
fn tests_manifest(fixtures: &[codegen::Fixture], tests: &[PathBuf]) -> String {
    let mut out = String::from(
        "# @generated by `cargo xtask fixtures`.\n\n\
         [package]\nname = \"fixture-tests\"\nversion = \"0.0.0\"\nedition.workspace = true\n\
         rust-version.workspace = true\npublish = false\nautotests = false\n\n\
         [lints]\nworkspace = true\n\n[dev-dependencies]\n",
    );
    for fixture in fixtures {
        let _ = writeln!(
            out,
            "{} = {{ path = \"../crates/{}\" }}",
            fixture.settings.crate_name, fixture.stem
        );
    }
    for dependency in TEST_DEPENDENCIES {
        out.push_str(dependency);
        out.push('\n');
    }
    for test in tests {
        let name = test
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = write!(
            out,
            "\n[[test]]\nname = \"{name}\"\npath = {}\n",
            toml_string(&test.to_string_lossy())
        );
    }
    out
}

/// A TOML literal string (no escapes inside), or a basic one where the text has a `'`.
fn toml_string(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        format!("'{text}'")
    }
}

/// Fails if the crates under `dir` (the fixture workspace, a crate built on its own) resolved a
/// registry package this workspace does not pin.
pub fn check_lock(root: &Path, dir: &Path) -> Result<(), String> {
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
    };
    let pinned = registry_packages(&read(root.join("Cargo.lock"))?);
    let unpinned: Vec<String> = registry_packages(&read(dir.join("Cargo.lock"))?)
        .into_iter()
        .filter(|package| !pinned.contains(package))
        .collect();
    if unpinned.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the fixture crates resolved packages that Cargo.lock does not pin: {}; add the \
         dependency to the runtime crate (runtime/Cargo.toml) so that it is locked and built here",
        unpinned.join(", ")
    ))
}

/// `name version` of every package with a `source` (not a path package) in a lock file.
fn registry_packages(lock: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|line| {
                line.strip_prefix(key)
                    .and_then(|rest| rest.trim().strip_prefix('='))
                    .map(|value| value.trim().trim_matches('"').to_owned())
            })
        };
        if let (Some(name), Some(version), Some(_)) =
            (field("name "), field("version "), field("source "))
        {
            out.push(format!("{name} {version}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keep_their_lines_and_stop_at_the_next_header() {
        let toml = "[workspace]\nmembers = []\n\n[workspace.dependencies]\na = \"1\"\n# why\nb = { version = \"2\" }\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n[[bin]]\nname = \"x\"\n";
        let kept = sections(toml, |name| {
            name == "workspace.dependencies" || name.starts_with("workspace.lints")
        });
        assert_eq!(
            kept,
            [
                "[workspace.dependencies]\na = \"1\"\n# why\nb = { version = \"2\" }\n\n",
                "[workspace.lints.rust]\nunsafe_code = \"forbid\"\n",
            ]
        );
    }

    #[test]
    fn registry_packages_leave_out_path_packages() {
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"mine\"\nversion = \"0.1.0\"\ndependencies = [\n \"a\",\n]\n";
        assert_eq!(registry_packages(lock), ["a 1.0.0"]);
    }

    #[test]
    fn the_workspace_lists_every_fixture_and_behaviour_test() {
        let root = codegen::workspace_root();
        let fixtures = codegen::fixtures(&root).unwrap();
        let tests = behaviour_tests(&root).unwrap();
        let manifest = tests_manifest(&fixtures, &tests);
        for fixture in &fixtures {
            assert!(manifest.contains(&format!("path = \"../crates/{}\"", fixture.stem)));
        }
        assert!(!tests.is_empty());
        assert_eq!(manifest.matches("[[test]]").count(), tests.len());
    }
}
