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
