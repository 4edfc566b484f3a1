//! `generator <SPEC> --out <DIR>`: generates a client crate for any OpenAPI 3.0, 3.1 or 3.2 document.
//! `generator diff OLD NEW`: what a change of the document does to the crate's users.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate a typed async Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 document (YAML or
/// JSON).
///
/// What the generator cannot express is left out and the rest generated: an operation with a
/// problem has no method, a schema that cannot be typed is any JSON value. Each omission is
/// printed to stderr as `file: /json/pointer: reason`, counted in the summary, and listed in
/// the crate's README under "Not generated".
#[derive(Debug, Parser)]
#[command(
    name = "generator",
    version,
    after_help = "Exit status:\n  \
        0  generated everything the document describes\n  \
        3  generated, with omissions (printed, and listed in the crate's README)\n  \
        1  refused, nothing written: the document cannot be read, no operation of it can be \
           generated, --strict found an omission, or a file could not be written\n  \
        2  bad command line\n\n\
        Also: `generator diff OLD NEW` reports what a change of the document does to the \
        crate's users, with its semver class (`generator diff --help`; a document named \
        `diff` is `./diff`)."
)]
struct Args {
    /// The OpenAPI document to read [default: `input` of the settings file].
    spec: Option<PathBuf>,
    /// A settings file (TOML, by convention `generator.toml` beside the description): every
    /// flag below, and operation selection and type mappings. Flags override it. Every key is
    /// documented in the generator's `SETTINGS.md` (docs.rs: `generator::config`).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The directory to write the crate into (created if missing). Only the crate's own files
    /// (Cargo.toml, README.md, src/**.rs) are written, each replaced atomically; generated
    /// modules it no longer produces are removed, and nothing else is touched [default:
    /// `output` of the settings file].
    #[arg(long)]
    out: Option<PathBuf>,
    /// The package name [default: the output directory's name].
    #[arg(long)]
    crate_name: Option<String>,
    /// The package version [default: 0.1.0].
    #[arg(long)]
    crate_version: Option<String>,
    /// The package's license, an SPDX expression [default: the document's `info.license` where
    /// it names one; else none, and the crate is marked `publish = false`].
    #[arg(long)]
    license: Option<String>,
    /// The package's `repository` URL.
    #[arg(long)]
    repository: Option<String>,
    /// Refuse the document (write nothing, exit 1) if any part of it cannot be generated,
    /// instead of leaving that part out.
    #[arg(long)]
    strict: bool,
}

/// Why nothing can be written.
const NO_OUTPUT: &str = "no output directory: pass --out, or set `output` in the settings file";

/// Generated, but with omissions.
const PARTIAL: u8 = 3;

fn main() -> ExitCode {
    // `diff` first is the subcommand; its own parser keeps `generator <SPEC>` as it was.
    if std::env::args_os().nth(1).is_some_and(|a| a == "diff") {
        return diff(&parse(std::env::args_os().skip(1)));
    }
    let args: Args = parse(std::env::args_os());
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(PARTIAL),
        Err(message) => {
            // A closed stderr is no reason to panic: the exit code still says it failed.
            let _ = writeln!(std::io::stderr().lock(), "{message}");
            ExitCode::FAILURE
        }
    }
}

/// The command line, with `--version` naming the runtime this generator embeds as well as its
/// own version (see `generator::version`).
fn parse<P: Parser>(args: impl IntoIterator<Item = std::ffi::OsString>) -> P {
    // Computed once per run, and needed for as long as it runs: clap takes a `&'static str`.
    let version: &'static str = Box::leak(generator::version().into_boxed_str());
    let matches = P::command().version(version).get_matches_from(args);
    P::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Generates and writes the crate; whether it is complete.
fn run(args: &Args) -> Result<bool, String> {
    let config = match &args.config {
        Some(file) => generator::config::Config::load(file)?,
        None => generator::config::Config::default(),
    };
    let flags = generator::config::Flags {
        input: args.spec.clone(),
        output: args.out.clone(),
        crate_name: args.crate_name.clone(),
        crate_version: args.crate_version.clone(),
        license: args.license.clone(),
        repository: args.repository.clone(),
        strict: args.strict,
    };
    let regenerate = |label: &str| match &args.config {
        Some(file) => format!("generator --config {}", generator::config::file_label(file)),
        None => format!("generator {label} --out <DIR>"),
    };
    let job = config.job(
        flags,
        |out| out.map_or_else(|| Err(NO_OUTPUT.to_owned()), default_crate_name),
        regenerate,
    )?;
    let out = job.output.clone().ok_or(NO_OUTPUT)?;
    let shown = job.input.display().to_string();
    let generated = job.generate()?;
    let synced = generator::write::sync(&out, &generated.files, generator::write::Mode::Write)
        .map_err(|e| e.to_string())?;
    // Every file is written before anything is printed: a reader that stops reading (`| head`)
    // cannot cut the crate short.
    let mut report = String::new();
    for file in &synced {
        let word = match file.change {
            generator::write::Change::Unchanged => "unchanged",
            generator::write::Change::Written => "written",
            generator::write::Change::Removed => "removed",
        };
        let _ = writeln!(report, "{word:>9}  {}", out.join(&file.path).display());
    }
    let _ = writeln!(report, "{}", summary(&generated, &out));
    let _ = std::io::stderr()
        .lock()
        .write_all(omissions(&shown, &generated.omissions).as_bytes());
    let _ = std::io::stdout().lock().write_all(report.as_bytes());
    Ok(generated.is_complete())
}

/// Each problem once, as `file: /pointer: reason`, with what it cost: the operations left
/// out, or the types that are any JSON value.
fn omissions(file: &str, omissions: &[generator::Omission]) -> String {
    // (pointer, reason, whether it cost a type, what it cost)
    let mut problems: Vec<(&str, &str, bool, Vec<String>)> = Vec::new();
    for omission in omissions {
        let schema = matches!(omission.subject, generator::Omitted::Schema { .. });
        let cost = omission.subject.label();
        let same = |(pointer, reason, kind, _): &&mut (&str, &str, bool, Vec<String>)| {
            *pointer == omission.pointer && *reason == omission.reason && *kind == schema
        };
        match problems.iter_mut().find(same) {
            Some((_, _, _, costs)) => costs.push(cost),
            None => problems.push((&omission.pointer, &omission.reason, schema, vec![cost])),
        }
    }
    let mut out = String::new();
    for (pointer, reason, schema, costs) in problems {
        let pointer = if pointer.is_empty() { "/" } else { pointer };
        let cost = if schema {
            "typed as any JSON value"
        } else {
            "left out"
        };
        let _ = writeln!(
            out,
            "{file}: {pointer}: {reason} ({cost}: {})",
            costs.join(", ")
        );
    }
    out
}

fn summary(generated: &generator::Generated, out: &Path) -> String {
    let operations = generated.operations;
    let total = operations + generated.operations_left_out;
    if generated.is_complete() {
        return format!("generated {operations} of {total} operations");
    }
    let count = |kind: fn(&generator::Omitted) -> bool| {
        let mut subjects: Vec<&generator::Omitted> = generated
            .omissions
            .iter()
            .map(|o| &o.subject)
            .filter(|s| kind(s))
            .collect();
        subjects.sort();
        subjects.dedup();
        subjects.len()
    };
    let untyped = count(|s| matches!(s, generator::Omitted::Schema { .. }));
    let mut also = String::new();
    let pagers = count(|s| matches!(s, generator::Omitted::Pager { .. }));
    if pagers > 0 {
        let _ = write!(also, ", {pagers} pager(s) left out");
    }
    let callbacks = count(|s| matches!(s, generator::Omitted::Callback { .. }));
    if callbacks > 0 {
        let _ = write!(also, ", {callbacks} callback verification(s) left out");
    }
    format!(
        "generated {operations} of {total} operations: {} left out, {untyped} schema(s) typed as \
         any JSON value{also} (listed above, and under \"Not generated\" in {})",
        generated.operations_left_out,
        out.join("README.md").display()
    )
}

fn default_crate_name(out: &Path) -> Result<String, String> {
    out.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "{}: cannot name a crate after this directory; pass --crate-name",
                out.display()
            )
        })
}

/// Compare two versions of an OpenAPI document as a user of the generated crate sees them:
/// every change with its semver class (major, minor, patch), grouped by operation and type,
/// as Markdown, and the version bump they require (the policy is in the `generator::diff`
/// docs).
#[derive(Debug, Parser)]
#[command(
    name = "generator diff",
    version,
    after_help = "Exit status:\n  \
        0  compared (with --check: the new version is far enough)\n  \
        1  a document cannot be read, or --check found the version not bumped far enough\n  \
        2  bad command line"
)]
struct DiffArgs {
    /// The document before the change.
    old: PathBuf,
    /// The document after the change.
    new: PathBuf,
    /// The crate's version before the change: the report then names the least version after.
    #[arg(long)]
    old_version: Option<generator::diff::Version>,
    /// The crate's version after the change.
    #[arg(long, requires = "old_version")]
    new_version: Option<generator::diff::Version>,
    /// Fail unless --new-version is at least what the changes require from --old-version.
    #[arg(long, requires_all = ["old_version", "new_version"])]
    check: bool,
    /// Refuse a document of which any part cannot be generated.
    #[arg(long)]
    strict: bool,
    /// The settings file the crate is generated with: its `[select]` and `[types]` shape what
    /// is compared (and its `strict`), as they shape the crate.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// `generator diff`: prints the report; with `--check`, fails when the version is short.
fn diff(args: &DiffArgs) -> ExitCode {
    let read = |path: &Path| {
        let shown = path.display().to_string();
        std::fs::read_to_string(path)
            .map(|text| (shown.clone(), text))
            .map_err(|e| format!("{shown}: cannot read: {e}"))
    };
    let result = read(&args.old).and_then(|old| Ok((old, read(&args.new)?)));
    let compared = result.and_then(|((old_label, old), (new_label, new))| {
        let config = match &args.config {
            Some(file) => generator::config::Config::load(file)?,
            None => generator::config::Config::default(),
        };
        let settings = generator::Settings {
            crate_name: "client".to_owned(),
            crate_version: "0.1.0".to_owned(),
            source_label: generator::config::file_label(&args.new),
            regenerate_command: String::new(),
            license: None,
            repository: None,
            strict: args.strict || config.strict.unwrap_or(false),
            select: config.select,
            types: config.types,
        };
        let old = generator::diff::Side {
            label: &old_label,
            text: &old,
        };
        let new = generator::diff::Side {
            label: &new_label,
            text: &new,
        };
        generator::diff::diff(old, new, &settings).map_err(|d| d.to_string())
    });
    let mut report = match compared {
        Ok(report) => report,
        Err(message) => {
            let _ = writeln!(std::io::stderr().lock(), "{message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(old) = &args.old_version {
        report = report.with_versions(old.clone(), args.new_version.clone());
    }
    let _ = std::io::stdout()
        .lock()
        .write_all(report.markdown().as_bytes());
    if let (true, Some(old), Some(new)) = (args.check, &args.old_version, &args.new_version) {
        if let Err(problem) = generator::diff::check_version(old, new, report.required()) {
            let _ = writeln!(std::io::stderr().lock(), "error: {problem}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
