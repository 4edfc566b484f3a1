//! `generator <SPEC> --out <DIR>`: generates a client crate for any OpenAPI 3.0, 3.1 or 3.2 document.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generate a typed async Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON).
#[derive(Debug, Parser)]
#[command(name = "generator", version)]
struct Args {
    /// The OpenAPI document to read.
    spec: PathBuf,
    /// The directory to write the crate into (created if missing). Only the crate's own files
    /// (Cargo.toml, README.md, src/**.rs) are written, each replaced atomically; generated
    /// modules it no longer produces are removed, and nothing else is touched.
    #[arg(long)]
    out: PathBuf,
    /// The package name [default: the output directory's name].
    #[arg(long)]
    crate_name: Option<String>,
    /// The package version.
    #[arg(long, default_value = "0.1.0")]
    crate_version: String,
    /// The package's license, an SPDX expression [default: the document's `info.license` where
    /// it names one; else none, and the crate is marked `publish = false`].
    #[arg(long)]
    license: Option<String>,
    /// The package's `repository` URL.
    #[arg(long)]
    repository: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // A closed stderr is no reason to panic: the exit code still says it failed.
            let _ = writeln!(std::io::stderr().lock(), "{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let shown = args.spec.display().to_string();
    let text =
        std::fs::read_to_string(&args.spec).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let crate_name = match &args.crate_name {
        Some(name) => name.clone(),
        None => default_crate_name(&args.out)?,
    };
    let settings = generator::Settings {
        crate_name,
        crate_version: args.crate_version.clone(),
        source_label: file_label(&args.spec),
        regenerate_command: format!("generator {} --out <DIR>", file_label(&args.spec)),
        license: args.license.clone(),
        repository: args.repository.clone(),
    };
    let files = generator::generate(&shown, &text, &settings).map_err(|d| d.to_string())?;
    let synced = generator::write::sync(&args.out, &files, generator::write::Mode::Write)
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
        let _ = writeln!(report, "{word:>9}  {}", args.out.join(&file.path).display());
    }
    let _ = std::io::stdout().lock().write_all(report.as_bytes());
    Ok(())
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

/// The spec's file name: generated files name their source without the caller's directories,
/// so output does not depend on where it was generated.
fn file_label(spec: &Path) -> String {
    spec.file_name().map_or_else(
        || spec.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
