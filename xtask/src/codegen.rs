//! `cargo xtask codegen [--check]`: brings every generated text of the repository up to date.
//!
//! Each generated text is stored once:
//! - `generated-client/` is the crate generated from `spec/truv-webhooks.yaml`, committed
//!   because it is what users depend on. It is written through `generator::write::sync`.
//! - Each fixture spec in `tests/fixtures/` has one insta snapshot of its spec-dependent
//!   modules (`tests/tests/snapshots/fixtures__…@<fixture>.yaml.snap`), the review surface of
//!   a generator change. Its crate is not committed: `cargo xtask fixtures` materialises the
//!   crates under the target directory, where they are compiled, linted, documented and
//!   tested (see `fixtures.rs`).
//!
//! In write mode a fixture whose output changed gets a pending `.snap.new` next to its
//! snapshot, for review with `cargo insta review`: nothing accepts a snapshot unseen. In
//! check mode nothing is written and every stale file is named, with the command that fixes
//! it.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use generator::write::{self, Change};

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/truv-webhooks.yaml";
/// The generated crate, relative to the workspace root.
pub const OUTPUT: &str = "generated-client";
/// What to run to bring the generated output up to date.
pub const COMMAND: &str = "cargo xtask codegen";
/// Where fixture specs live, one OpenAPI feature each, generated strictly: a fixture shows a
/// feature working, and one that left something out would hide a bug.
pub const FIXTURES: &str = "tests/fixtures";
/// Where the fixtures of partial generation live: documents with parts the generator cannot
/// express, generated as the CLI does by default (leaving those parts out), so that the crate
/// without them, and its "Not generated" docs, are compiled, documented and tested too.
pub const PARTIAL_FIXTURES: &str = "tests/fixtures/partial";
/// Where the fixture snapshots live (insta's directory for `tests/tests/fixtures.rs`).
pub const SNAPSHOTS: &str = "tests/tests/snapshots";
/// The generated files a fixture snapshot holds: the modules that depend on the spec (and
/// the files of one feature's types under `src/types/`, [`TYPES_DIR`]). The rest (`Cargo.toml`, `README.md`, `lib.rs`, the runtime) is alike for every fixture; it is
/// reviewed through `generated-client/` and compiled with each fixture crate.
pub const SNAPSHOT_FILES: &[&str] = &[
    "src/blocking.rs",
    "src/client.rs",
    "src/types.rs",
    "src/webhooks.rs",
];
/// A partial fixture's snapshot holds its README too: the "Not generated" section is what it
/// shows.
pub const PARTIAL_SNAPSHOT_FILES: &[&str] = &[
    "README.md",
    "src/blocking.rs",
    "src/client.rs",
    "src/types.rs",
    "src/webhooks.rs",
];

/// Write the changes, or only report them.
pub use generator::write::Mode;

/// What happened (or, in check mode, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    /// Written (or, in check mode, stale: its contents differ or it is missing).
    Updated,
    /// A fixture snapshot that changed: a `.snap.new` awaits review (or, in check mode, would).
    Pending,
    /// A generated file no longer produced: removed (or, in check mode, stale).
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub mode: Mode,
    /// Paths relative to the workspace root, sorted.
    pub files: Vec<(String, Outcome)>,
    /// In check mode, each stale file's unified diff from what is stored to what would be
    /// generated, in path order.
    pub diffs: Vec<(String, String)>,
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

    /// The stale files' diffs, at most `limit` lines in all (each file's cut short once its
    /// share is spent, saying how many lines it left out): enough for a CI log to show what
    /// was forgotten without burying it.
    #[must_use]
    pub fn bounded_diffs(&self, limit: usize) -> String {
        let mut out = String::new();
        let share = limit / self.diffs.len().max(1);
        for (path, diff) in &self.diffs {
            let lines: Vec<&str> = diff.lines().collect();
            let _ = write!(out, "--- {path} (stored)\n+++ {path} (generated)\n");
            for line in lines.iter().take(share) {
                out.push_str(line);
                out.push('\n');
            }
            if lines.len() > share {
                let _ = writeln!(out, "… {} more diff lines", lines.len() - share);
            }
        }
        out
    }

    /// Fixture snapshots awaiting review.
    #[must_use]
    pub fn pending(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|(_, outcome)| *outcome == Outcome::Pending)
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
                (Mode::Write, Outcome::Pending) => "pending",
                (Mode::Write, Outcome::Removed) => "removed",
                (Mode::Check, Outcome::Updated | Outcome::Pending) => "stale",
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

/// The settings file of the committed client, relative to the workspace root.
pub const CONFIG: &str = "spec/generator.toml";

/// The generator settings for the committed client, from [`CONFIG`] under `root`, read as the
/// CLI reads it (`generator --config spec/generator.toml`); its files name their source and
/// the command to run relative to the repository.
pub fn load_settings(root: &Path) -> Result<generator::Settings, String> {
    let config = generator::config::Config::load(&root.join(CONFIG))?;
    let expected = root.join(SPEC);
    let job = config.job(
        generator::config::Flags::default(),
        |_| Err(format!("{CONFIG}: set `[package] name`")),
        |_| COMMAND.to_owned(),
    )?;
    if job.input != expected || job.output != Some(root.join("spec").join("..").join(OUTPUT)) {
        return Err(format!(
            "{CONFIG}: `input` must be `{SPEC}` and `output` `{OUTPUT}` (relative to spec/)"
        ));
    }
    Ok(generator::Settings {
        source_label: SPEC.to_owned(),
        ..job.settings
    })
}

/// [`load_settings`] of this workspace, for tests and tools.
///
/// # Panics
///
/// When `spec/generator.toml` cannot be read: the repository is broken.
#[must_use]
pub fn settings() -> generator::Settings {
    load_settings(&workspace_root()).unwrap_or_else(|e| panic!("{e}"))
}

/// One fixture spec and the crate generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The file name without extension (`all_of_merge`).
    pub stem: String,
    /// The spec, relative to the workspace root.
    pub spec: String,
    pub settings: generator::Settings,
}

/// The start of the snapshot names insta gives each fixture test (`tests/tests/fixtures.rs`).
const SNAPSHOT_PREFIXES: [&str; 3] = [
    "fixtures__fixtures_generate_as_snapshotted@",
    "fixtures__fixture_settings_generate_as_snapshotted@",
    "fixtures__partial_fixtures_generate_as_snapshotted@",
];

impl Fixture {
    /// Whether it is generated leaving out what cannot be generated (`tests/fixtures/partial`).
    #[must_use]
    pub fn partial(&self) -> bool {
        !self.settings.strict
    }

    /// Its snapshot, relative to the workspace root.
    #[must_use]
    pub fn snapshot(&self) -> String {
        let file = self.snapshot_name();
        let prefix = if self.partial() {
            SNAPSHOT_PREFIXES[2]
        } else if file.ends_with(FIXTURE_SETTINGS) {
            SNAPSHOT_PREFIXES[1]
        } else {
            SNAPSHOT_PREFIXES[0]
        };
        format!("{SNAPSHOTS}/{prefix}{file}.snap")
    }

    /// The file its snapshot is named after: its spec, or, for a fixture that is a settings
    /// file over another's spec, that settings file.
    #[must_use]
    pub fn snapshot_name(&self) -> String {
        let file = Path::new(&self.spec)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let own = Path::new(&file)
            .file_stem()
            .is_some_and(|s| *s == *self.stem);
        if own {
            file
        } else {
            format!("{}{FIXTURE_SETTINGS}", self.stem)
        }
    }

    /// Its snapshot text: the modules that depend on the spec (and, for a partial fixture,
    /// the README), each under a heading.
    #[must_use]
    pub fn snapshot_text(&self, files: &[generator::GeneratedFile]) -> String {
        if self.partial() {
            snapshot_of(files, PARTIAL_SNAPSHOT_FILES)
        } else {
            snapshot_of(files, SNAPSHOT_FILES)
        }
    }

    /// Generates its crate.
    pub fn generate(&self, root: &Path) -> Result<Vec<generator::GeneratedFile>, String> {
        let text = std::fs::read_to_string(root.join(&self.spec))
            .map_err(|e| format!("{}: cannot read: {e}", self.spec))?;
        generator::generate(&self.spec, &text, &self.settings)
            .map(|generated| generated.files)
            .map_err(|d| d.to_string())
    }
}

/// Where a fixture's settings file is, beside its spec: `<fixture>.generator.toml` (read as the
/// CLI reads `--config`).
pub const FIXTURE_SETTINGS: &str = ".generator.toml";

/// Every fixture in `tests/fixtures/*.yaml` (and `.json`), then `tests/fixtures/partial/`,
/// sorted. A fixture may have settings (`<stem>.generator.toml` beside it); a settings file
/// without a spec of its stem is a fixture of its own, generated from the spec its `input`
/// names (one description, several selections).
pub fn fixtures(root: &Path) -> Result<Vec<Fixture>, String> {
    let mut fixtures = Vec::new();
    for (dir, strict) in [(FIXTURES, true), (PARTIAL_FIXTURES, false)] {
        let entries = read_dir_sorted(&root.join(dir))?;
        let names: Vec<String> = entries
            .iter()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for file in &names {
            let spec_stem = file
                .strip_suffix(".yaml")
                .or_else(|| file.strip_suffix(".json"));
            let settings_stem = file.strip_suffix(FIXTURE_SETTINGS);
            let has_spec = |stem: &str| {
                names.contains(&format!("{stem}.yaml")) || names.contains(&format!("{stem}.json"))
            };
            let stem = match (spec_stem, settings_stem) {
                (Some(stem), _) => stem,
                (None, Some(stem)) if !has_spec(stem) => stem,
                _ => continue,
            };
            let settings_file = format!("{dir}/{stem}{FIXTURE_SETTINGS}");
            let config = if names.contains(&format!("{stem}{FIXTURE_SETTINGS}")) {
                generator::config::Config::load(&root.join(&settings_file))?
            } else {
                generator::config::Config::default()
            };
            let spec = match (&config.input, spec_stem) {
                (_, Some(_)) => format!("{dir}/{file}"),
                (Some(input), None) => {
                    let name = input.file_name().map(|n| n.to_string_lossy().into_owned());
                    format!("{dir}/{}", name.unwrap_or_default())
                }
                (None, None) => {
                    return Err(format!("{settings_file}: no `input` to generate from"));
                }
            };
            fixtures.push(Fixture {
                stem: stem.to_owned(),
                settings: generator::Settings {
                    crate_name: format!("fixture-{}", stem.replace('_', "-")),
                    crate_version: "0.0.0".to_owned(),
                    source_label: spec.clone(),
                    regenerate_command: crate::fixtures::COMMAND.to_owned(),
                    license: None,
                    repository: None,
                    strict,
                    select: config.select,
                    types: config.types,
                },
                spec,
            });
        }
    }
    fixtures.sort_by(|a, b| (a.partial(), &a.stem).cmp(&(b.partial(), &b.stem)));
    Ok(fixtures)
}

/// A fixture's snapshot text: its spec-dependent modules, each under a heading.
#[must_use]
pub fn snapshot_text(files: &[generator::GeneratedFile]) -> String {
    snapshot_of(files, SNAPSHOT_FILES)
}

/// Where a feature's own types go, a file each: snapshotted with `src/types.rs`.
pub const TYPES_DIR: &str = "src/types/";

fn snapshot_of(files: &[generator::GeneratedFile], paths: &[&str]) -> String {
    let mut code = String::new();
    for file in files
        .iter()
        .filter(|f| paths.contains(&f.path.as_str()) || f.path.starts_with(TYPES_DIR))
    {
        code.push_str("===== ");
        code.push_str(&file.path);
        code.push_str(" =====\n");
        code.push_str(&file.contents);
    }
    code
}

/// Generates the client and every fixture and brings their files up to date (or, in check
/// mode, reports what is not). Nothing is written unless every spec generates.
pub fn run(root: &Path, mode: Mode) -> Result<Report, String> {
    let mut problems = Vec::new();
    let settings = load_settings(root)?;
    let client = match std::fs::read_to_string(root.join(SPEC)) {
        Ok(text) => generator::generate(SPEC, &text, &settings)
            .map(|generated| generated.files)
            .map_err(|d| problems.push(d.to_string()))
            .ok(),
        Err(e) => {
            problems.push(format!("{SPEC}: cannot read: {e}"));
            None
        }
    };
    let fixtures = fixtures(root)?;
    let mut snapshots = Vec::new();
    for fixture in &fixtures {
        match fixture.generate(root) {
            Ok(files) => snapshots.push((fixture, fixture.snapshot_text(&files))),
            Err(problem) => problems.push(problem),
        }
    }
    let Some(client) = client.filter(|_| problems.is_empty()) else {
        return Err(problems.join("\n"));
    };

    let mut report = Vec::new();
    let mut diffs = Vec::new();
    let synced = write::sync(&root.join(OUTPUT), &client, mode).map_err(|e| e.to_string())?;
    for file in synced {
        let outcome = match file.change {
            Change::Unchanged => Outcome::Unchanged,
            Change::Written => Outcome::Updated,
            Change::Removed => Outcome::Removed,
        };
        let path = format!("{OUTPUT}/{}", file.path);
        if mode == Mode::Check && outcome != Outcome::Unchanged {
            let stored = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            let generated = client
                .iter()
                .find(|generated| generated.path == file.path)
                .map_or("", |generated| generated.contents.as_str());
            diffs.push((path.clone(), unified_diff(&stored, generated)));
        }
        report.push((path, outcome));
    }
    for (fixture, text) in &snapshots {
        let (outcome, diff) = sync_snapshot(root, fixture, text, mode)?;
        if let Some(diff) = diff {
            diffs.push((fixture.snapshot(), diff));
        }
        report.push((fixture.snapshot(), outcome));
    }
    remove_orphaned_snapshots(root, &fixtures, mode, &mut report)?;
    report.sort_by(|a, b| a.0.cmp(&b.0));
    diffs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Report {
        mode,
        files: report,
        diffs,
    })
}

/// The hunks that turn `stored` into `generated`, three lines of context each.
fn unified_diff(stored: &str, generated: &str) -> String {
    similar::TextDiff::from_lines(stored, generated)
        .unified_diff()
        .context_radius(3)
        .to_string()
}

/// Compares a fixture's snapshot with its output as insta does (trailing white space and line
/// endings aside); a difference leaves a `.snap.new` for review (in check mode: its diff from
/// the stored snapshot is returned), a match removes any stale one.
fn sync_snapshot(
    root: &Path,
    fixture: &Fixture,
    text: &str,
    mode: Mode,
) -> Result<(Outcome, Option<String>), String> {
    let path = root.join(fixture.snapshot());
    let pending = path.with_extension("snap.new");
    let stored = std::fs::read_to_string(&path)
        .ok()
        .as_deref()
        .and_then(snapshot_contents)
        .map(|stored| normalized(&stored));
    let generated = normalized(text);
    if stored.as_ref() == Some(&generated) {
        if mode == Mode::Write && pending.exists() {
            std::fs::remove_file(&pending)
                .map_err(|e| format!("{}: cannot remove: {e}", pending.display()))?;
        }
        return Ok((Outcome::Unchanged, None));
    }
    if mode == Mode::Check {
        let diff = unified_diff(stored.as_deref().unwrap_or_default(), &generated);
        return Ok((Outcome::Pending, Some(diff)));
    }
    let snapshot = format!(
        "---\nsource: tests/tests/fixtures.rs\nexpression: code\ninput_file: {}\n---\n{generated}\n",
        fixture.spec
    );
    write::write_if_changed(&pending, &snapshot)
        .map_err(|e| format!("{}: cannot write: {e}", pending.display()))?;
    Ok((Outcome::Pending, None))
}

/// The contents of an insta snapshot file: what follows its metadata block.
fn snapshot_contents(file: &str) -> Option<String> {
    let file = file.replace("\r\n", "\n");
    let rest = file.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(rest[end + "\n---\n".len()..].to_owned())
}

/// Text as insta compares it.
fn normalized(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_owned()
}

/// Snapshots of fixtures that no longer exist go too (with any pending `.snap.new`).
fn remove_orphaned_snapshots(
    root: &Path,
    fixtures: &[Fixture],
    mode: Mode,
    report: &mut Vec<(String, Outcome)>,
) -> Result<(), String> {
    for entry in read_dir_sorted(&root.join(SNAPSHOTS))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        // insta writes these names itself, in lower case.
        let is_snapshot = SNAPSHOT_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
            && [".snap", ".snap.new"]
                .iter()
                .any(|end| name.strip_suffix(end).is_some());
        let relative = format!("{SNAPSHOTS}/{name}");
        let known = fixtures.iter().any(|f| {
            let snapshot = f.snapshot();
            relative == snapshot || relative == format!("{snapshot}.new")
        });
        if !is_snapshot || known {
            continue;
        }
        if mode == Mode::Write {
            std::fs::remove_file(entry.path())
                .map_err(|e| format!("{relative}: cannot remove: {e}"))?;
        }
        report.push((relative, Outcome::Removed));
    }
    Ok(())
}

pub(crate) fn read_dir_sorted(dir: &Path) -> Result<Vec<std::fs::DirEntry>, String> {
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

    /// A scratch workspace holding a copy of the spec and of one fixture.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        std::fs::create_dir_all(dir.join(FIXTURES)).unwrap();
        std::fs::copy(workspace_root().join(SPEC), dir.join(SPEC)).unwrap();
        std::fs::copy(workspace_root().join(CONFIG), dir.join(CONFIG)).unwrap();
        let fixture = format!("{FIXTURES}/string_rules.yaml");
        std::fs::copy(workspace_root().join(&fixture), dir.join(&fixture)).unwrap();
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
        // The client is written; the snapshot awaits review.
        let snapshot = format!(
            "{SNAPSHOTS}/fixtures__fixtures_generate_as_snapshotted@string_rules.yaml.snap"
        );
        assert_eq!(written.pending(), [snapshot.as_str()]);
        let pending = root.join(format!("{snapshot}.new"));
        std::fs::rename(&pending, root.join(&snapshot)).unwrap();
        let again = run(&root, Mode::Check).unwrap();
        assert!(again.stale().is_empty(), "{again}");

        // A hand edit is stale again, and named, with what it changed.
        let lib = root.join(OUTPUT).join("src/lib.rs");
        let generated = std::fs::read_to_string(&lib).unwrap();
        std::fs::write(&lib, "// edited\n").unwrap();
        let edited = run(&root, Mode::Check).unwrap();
        assert_eq!(edited.stale(), vec!["generated-client/src/lib.rs"]);
        let shown = edited.bounded_diffs(20);
        assert!(
            shown.starts_with("--- generated-client/src/lib.rs (stored)\n"),
            "{shown}"
        );
        assert!(shown.contains("\n-// edited\n"), "{shown}");
        let first_line = generated.lines().next().unwrap();
        assert!(shown.contains(&format!("\n+{first_line}\n")), "{shown}");
        // Bounded: the rest of the generated file is counted, not printed.
        assert!(shown.lines().count() <= 23, "{shown}");
        assert!(shown.contains("more diff lines"), "{shown}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn crlf_checkouts_are_fresh() {
        let root = scratch("crlf");
        run(&root, Mode::Write).unwrap();
        let snapshot = root.join(format!(
            "{SNAPSHOTS}/fixtures__fixtures_generate_as_snapshotted@string_rules.yaml.snap"
        ));
        std::fs::rename(snapshot.with_extension("snap.new"), &snapshot).unwrap();
        // As `git checkout` with `core.autocrlf=true` would leave them.
        let mut paths = vec![snapshot];
        paths.extend(
            ["src/lib.rs", "src/types.rs", "Cargo.toml"].map(|p| root.join(OUTPUT).join(p)),
        );
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
        }
        let check = run(&root, Mode::Check).unwrap();
        assert!(check.stale().is_empty(), "{check}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn snapshots_of_removed_fixtures_go() {
        let root = scratch("orphan");
        run(&root, Mode::Write).unwrap();
        std::fs::remove_file(root.join(FIXTURES).join("string_rules.yaml")).unwrap();
        let check = run(&root, Mode::Check).unwrap();
        let pending = format!(
            "{SNAPSHOTS}/fixtures__fixtures_generate_as_snapshotted@string_rules.yaml.snap.new"
        );
        assert_eq!(check.stale(), [pending.as_str()]);
        run(&root, Mode::Write).unwrap();
        assert!(!root.join(&pending).exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
