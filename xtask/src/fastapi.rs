//! `cargo xtask fastapi [<cargo command>]`: a real FastAPI application, described by FastAPI
//! itself, generated and called through its client.
//!
//! The fixture `tests/fixtures/fastapi_kennel.yaml` is a stored copy of what one FastAPI
//! release published; this is the live proof. Every run:
//!
//! 1. installs the pinned packages of `tests/fastapi/requirements.txt` (FastAPI, pydantic,
//!    uvicorn, python-multipart and what they pull in) into `.tools/fastapi/` (ignored by git),
//!    the first time and whenever that list changes;
//! 2. dumps the `openapi.json` of `tests/fastapi/app.py` with them (`app.openapi()`, no server)
//!    to `<target dir>/fastapi/openapi.json`;
//! 3. generates a crate from it, strictly, as fixtures are generated, and materialises it with
//!    its behaviour test (`tests/fastapi/live.rs`) as a workspace of its own under
//!    `<target dir>/fastapi/` (this workspace's lints, dependency versions, lock and clippy
//!    configuration, as the fixture workspace has them);
//! 4. runs the cargo command there; without one, clippy with warnings denied, then the tests.
//!    The test starts the app with uvicorn on 127.0.0.1 (`tests/fastapi/serve.py`) and calls
//!    it through the generated client; it finds Python, the app and the dumped document
//!    through the environment variables set here.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixtures;

/// What to run to generate, lint and test against the live app.
pub const COMMAND: &str = "cargo xtask fastapi";
/// The application, its scripts, its pinned packages and its test.
pub const DIR: &str = "tests/fastapi";
/// The pinned packages, one `name==version` a line: the only list of them.
pub const REQUIREMENTS: &str = "tests/fastapi/requirements.txt";
/// The virtual environment they are installed into.
pub const VENV: &str = ".tools/fastapi";
/// The behaviour test, relative to the workspace root.
pub const TEST: &str = "tests/fastapi/live.rs";
/// The generated crate's name.
pub const CRATE: &str = "fastapi-kennel";

/// Where the workspace is materialised.
#[must_use]
pub fn dir(root: &Path) -> PathBuf {
    fixtures::target_dir(root).join("fastapi")
}

/// Installs the pinned packages (only when they changed since the last install) and returns
/// the environment's Python.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let requirements = root.join(REQUIREMENTS);
    let pins = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{REQUIREMENTS}: cannot read: {e}"))?;
    let bin = crate::python::venv(
        &root.join(VENV),
        &pins,
        &["-r".as_ref(), requirements.as_os_str()],
    )?;
    Ok(bin.join("python"))
}

/// The OpenAPI document the application publishes, as FastAPI writes it.
pub fn dump(root: &Path, python: &Path) -> Result<String, String> {
    let mut command = Command::new(python);
    // `-B`: no `__pycache__` in the repository.
    command
        .current_dir(root)
        .args(["-B", &format!("{DIR}/openapi.py")]);
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{shown} exited with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{shown}: not UTF-8: {e}"))
}

/// The generator settings for the live crate.
#[must_use]
pub fn settings() -> generator::Settings {
    generator::Settings {
        crate_name: CRATE.to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: format!("{DIR}/app.py"),
        regenerate_command: COMMAND.to_owned(),
        license: None,
        repository: None,
        // As for the fixtures: anything left out of FastAPI's output is a bug to see.
        strict: true,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    }
}

/// What the live workspace needs to run: where it is, and the environment its test reads.
#[derive(Debug)]
pub struct Workspace {
    pub dir: PathBuf,
    pub python: PathBuf,
    pub openapi: PathBuf,
}

/// Installs, dumps, generates and writes (where changed) the live workspace.
pub fn materialise(root: &Path) -> Result<Workspace, String> {
    let python = install(root)?;
    let document = dump(root, &python)?;
    let dir = dir(root);
    let openapi = dir.join("openapi.json");
    write(&openapi, &document)?;
    let files = generator::generate(&openapi.to_string_lossy(), &document, &settings())
        .map_err(|d| d.to_string())?
        .files;
    generator::write::sync(&dir.join("crate"), &files, generator::write::Mode::Write)
        .map_err(|e| e.to_string())?;

    let root_manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("Cargo.toml: cannot read: {e}"))?;
    let header = format!(
        "# @generated by `{COMMAND}`: the crate generated from the openapi.json of\n\
         # {DIR}/app.py, and its behaviour test ({TEST}).\n"
    );
    write(
        &dir.join("Cargo.toml"),
        &fixtures::workspace_manifest(&header, &["crate", "tests"], &root_manifest),
    )?;
    write(&dir.join("tests/Cargo.toml"), &tests_manifest(root))?;
    for file in ["Cargo.lock", "clippy.toml"] {
        let text = std::fs::read_to_string(root.join(file))
            .map_err(|e| format!("{file}: cannot read: {e}"))?;
        write(&dir.join(file), &text)?;
    }
    Ok(Workspace {
        dir,
        python,
        openapi,
    })
}

/// Materialises the live workspace and runs `cargo <args>` there (this workspace's target
/// directory, so dependencies are built once), with the environment the test reads; with no
/// arguments, clippy with warnings denied and then the tests. Afterwards, as for the fixtures,
/// every registry package resolved must be one `Cargo.lock` pins.
pub fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let workspace = materialise(root)?;
    let manifest = workspace.dir.join("Cargo.toml");
    let manifest = manifest.to_string_lossy();
    let target = fixtures::target_dir(root);
    let target = target.to_string_lossy();
    let python = workspace.python.to_string_lossy();
    let app = root.join(DIR);
    let app = app.to_string_lossy();
    let openapi = workspace.openapi.to_string_lossy();
    let mut env = env.to_vec();
    env.extend([
        ("CARGO_TARGET_DIR", &*target),
        ("FASTAPI_PYTHON", &*python),
        ("FASTAPI_APP_DIR", &*app),
        ("FASTAPI_OPENAPI", &*openapi),
    ]);
    let clippy = [
        "clippy",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    let test = ["test", "--all-features"];
    let commands: Vec<&[&str]> = if args.is_empty() {
        vec![&clippy, &test]
    } else {
        vec![args]
    };
    for args in commands {
        let (command, rest) = args.split_first().ok_or("an empty cargo command")?;
        // `--manifest-path` goes right after the command, before any `--`.
        let mut full = vec![*command, "--manifest-path", &manifest];
        full.extend_from_slice(rest);
        crate::cargo(root, &full, &env)?;
    }
    fixtures::check_lock(root, &workspace.dir)
}

/// The manifest of the behaviour test's package.
fn tests_manifest(root: &Path) -> String {
    let test = root.join(TEST);
    format!(
        "# @generated by `{COMMAND}`.\n\n\
         [package]\nname = \"fastapi-live-tests\"\nversion = \"0.0.0\"\nedition.workspace = true\n\
         rust-version.workspace = true\npublish = false\nautotests = false\n\n\
         [lints]\nworkspace = true\n\n\
         [dev-dependencies]\n{CRATE} = {{ path = \"../crate\" }}\n\
         serde_json.workspace = true\n\
         tokio = {{ workspace = true, features = [\"time\"] }}\n\n\
         [[test]]\nname = \"live\"\npath = {}\n",
        fixtures::toml_string(&test.to_string_lossy())
    )
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    generator::write::write_if_changed(path, contents)
        .map(|_| ())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_is_pinned_exactly() {
        let root = crate::codegen::workspace_root();
        let pins = std::fs::read_to_string(root.join(REQUIREMENTS)).unwrap();
        let lines: Vec<&str> = pins
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        for package in ["fastapi", "pydantic", "uvicorn", "python-multipart"] {
            assert!(
                lines.iter().any(|l| l.starts_with(&format!("{package}=="))),
                "{package} is not pinned"
            );
        }
        for line in lines {
            let (name, version) = line
                .split_once("==")
                .unwrap_or_else(|| panic!("{REQUIREMENTS}: `{line}` is not pinned with `==`"));
            assert!(
                !name.is_empty() && version.split('.').all(|p| p.parse::<u32>().is_ok()),
                "{REQUIREMENTS}: `{line}` is not one exact release"
            );
        }
    }

    #[test]
    fn the_test_package_names_the_crate_and_the_test() {
        let root = crate::codegen::workspace_root();
        let manifest = tests_manifest(&root);
        assert!(manifest.contains("fastapi-kennel = { path = \"../crate\" }"));
        assert!(manifest.contains("name = \"live\""));
        assert!(root.join(TEST).is_file());
    }
}
