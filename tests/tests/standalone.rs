//! The committed crate stands on its own: copied out of this workspace into a directory of its
//! own (with this workspace's lock, so that it builds with the versions tested here), it
//! builds with its default features and with all of them, and its docs build as docs.rs builds
//! them (`--cfg docsrs` on a nightly compiler, here the stable one with `RUSTC_BOOTSTRAP=1`),
//! showing the `blocking` module's feature. Nothing it inherits from this workspace (lints,
//! versions, members) is needed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        // The test run's own settings would leak into the copy's build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "cargo {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_generated_crate_builds_outside_this_workspace() {
    let root = tests::workspace_root();
    let target = xtask::fixtures::target_dir(&root).join("outside");
    // Not under this repository: cargo would find its workspace among the directory's
    // ancestors.
    let dir: PathBuf =
        std::env::temp_dir().join(format!("truv-client-alone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join(xtask::codegen::OUTPUT), &dir);
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("workspace = true"),
        "the crate inherits from a workspace"
    );

    cargo(&dir, &target, &["build", "--offline"], &[]);
    cargo(
        &dir,
        &target,
        &["build", "--offline", "--all-features"],
        &[],
    );
    xtask::fixtures::check_lock(&root, &dir).unwrap_or_else(|e| panic!("{e}"));

    cargo(
        &dir,
        &target,
        &["doc", "--offline", "--no-deps", "--all-features"],
        &[
            ("RUSTC_BOOTSTRAP", "1"),
            ("RUSTDOCFLAGS", "--cfg docsrs -D warnings"),
        ],
    );
    let page = std::fs::read_to_string(target.join("doc/truv_client/index.html")).unwrap();
    assert!(
        page.contains("blocking"),
        "the crate page lists the blocking module"
    );
    let blocking =
        std::fs::read_to_string(target.join("doc/truv_client/blocking/index.html")).unwrap();
    assert!(
        blocking.contains("Available on <strong>crate feature <code>blocking</code></strong>"),
        "docs.rs shows the blocking module's feature"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The declared `rust-version` is the one needed: edition 2024's 1.85, and no dependency (in
/// the versions this lock pins, every feature on) asks for more. Generated and runtime code
/// keep to it by avoiding later language features; clippy's `incompatible_msrv` (on by default,
/// reading `rust-version`) checks the standard library items they use.
#[test]
fn the_declared_rust_version_is_the_one_needed() {
    let root = tests::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&root)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let version =
        |text: &str| -> Vec<u32> { text.split('.').map(|p| p.parse().unwrap()).collect() };
    let id_of = |name: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let nodes = metadata["resolve"]["nodes"].as_array().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![id_of("truv-client")];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if normal {
                stack.push(dep["pkg"].as_str().unwrap().to_owned());
            }
        }
    }
    let declared = packages
        .iter()
        .find(|p| p["name"] == "truv-client")
        .unwrap()["rust_version"]
        .as_str()
        .unwrap()
        .to_owned();
    let needed = seen
        .iter()
        .filter_map(|id| packages.iter().find(|p| p["id"] == id.as_str()))
        .filter_map(|p| p["rust_version"].as_str())
        .map(version)
        .chain([vec![1, 85]]) // edition 2024
        .max()
        .unwrap();
    let mut declared = version(&declared);
    declared.resize(needed.len().max(declared.len()), 0);
    let mut needed = needed;
    needed.resize(declared.len(), 0);
    assert_eq!(
        declared, needed,
        "declared rust-version vs. what edition and dependencies need"
    );
}
