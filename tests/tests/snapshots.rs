//! Snapshots of the generated client's spec-dependent files, so that every change to the
//! generator's output is a reviewable diff. The runtime files are verbatim copies of
//! `generator/runtime/`, whose diffs show up there.

use tests::generate_truv;

#[test]
fn truv_client_output() {
    let files = generate_truv();
    for name in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/types.rs",
        "src/client.rs",
    ] {
        let file = files
            .iter()
            .find(|f| f.path == name)
            .unwrap_or_else(|| panic!("{name} is generated"));
        insta::assert_snapshot!(name.replace('/', "_"), file.contents);
    }
}

#[test]
fn output_is_deterministic() {
    let first = generate_truv();
    let second = generate_truv();
    assert_eq!(first, second);
}

#[test]
fn committed_client_is_fresh() {
    let report = xtask::codegen::run(&tests::workspace_root(), xtask::codegen::Mode::Check)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.stale().is_empty(),
        "generated-client/ is stale; run `cargo xtask codegen`:\n{report}"
    );
}
