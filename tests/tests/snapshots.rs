//! The committed client is what the generator makes of the spec, byte for byte, on every run.
//! (Its text is reviewed as `generated-client/` itself; the fixtures' as snapshots, see
//! `fixtures.rs`.)

use tests::generate_truv;

#[test]
fn output_is_deterministic() {
    let first = generate_truv();
    let second = generate_truv();
    assert_eq!(first, second);
}

#[test]
fn committed_output_is_fresh() {
    let report = xtask::codegen::run(&tests::workspace_root(), xtask::codegen::Mode::Check)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.stale().is_empty(),
        "generated output is stale; run `cargo xtask codegen` and review:\n{report}"
    );
}
