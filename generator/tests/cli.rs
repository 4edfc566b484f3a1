//! The `generator` binary: a crate for a good spec, every problem of a bad one, nothing
//! written half-way.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn generator(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn writes_a_crate_and_then_only_what_changed() {
    let out = scratch("ok").join("my-client");
    let spec = root().join("spec/truv-webhooks.yaml");
    let first = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    assert!(out.join("src/lib.rs").exists() && out.join("src/client.rs").exists());
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout
            .lines()
            .all(|line| line.trim_start().starts_with("written")),
        "{stdout}"
    );

    let second = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout
            .lines()
            .all(|line| line.trim_start().starts_with("unchanged")),
        "{stdout}"
    );
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_bad_spec_reports_every_problem_and_writes_nothing() {
    let out = scratch("bad");
    let spec = root().join("tests/fixtures/invalid/several_problems.yaml");
    let run = generator(&[
        spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--crate-name".as_ref(),
        "shop".as_ref(),
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "{stderr}");
    for line in lines {
        assert!(line.contains("several_problems.yaml: /paths/"), "{line}");
    }
    assert!(!out.exists(), "nothing is written when the spec is refused");
}
