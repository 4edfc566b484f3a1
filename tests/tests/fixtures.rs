//! Each fixture spec in `tests/fixtures/` (one OpenAPI feature each) has a snapshot of its
//! spec-dependent modules here: the review surface of a change to the generator's output.
//! The fixture crates themselves are not committed; `cargo xtask fixtures` materialises them
//! under the target directory, where `cargo xtask ci` compiles, lints, documents and tests
//! them (their behaviour tests are `tests/fixtures/<fixture>.rs`): a snapshot that does not
//! compile proves nothing.
//!
//! The fixtures of `tests/fixtures/partial/` have parts the generator cannot express: they are
//! generated leaving those out, and their snapshots hold the README with its "Not generated"
//! section too.
//!
//! `cargo xtask codegen` writes a pending `.snap.new` for every snapshot that changed, the
//! same text this test compares.

/// Compares each fixture in `$dir` with its snapshot (a macro: insta names a snapshot after
/// the test function it is written in).
macro_rules! assert_fixtures_match {
    ($dir:literal) => {
        let root = tests::workspace_root();
        let fixtures = xtask::codegen::fixtures(&root).unwrap();
        insta::glob!($dir, "*.yaml", |path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let fixture = fixtures
                .iter()
                .find(|f| path.ends_with(&f.spec))
                .unwrap_or_else(|| panic!("{name} is a fixture"));
            let files = fixture.generate(&root).unwrap_or_else(|e| panic!("{e}"));
            let code = fixture.snapshot_text(&files);
            insta::assert_snapshot!(code);
        });
    };
}

#[test]
fn fixtures_generate_as_snapshotted() {
    assert_fixtures_match!("../fixtures");
}

#[test]
fn partial_fixtures_generate_as_snapshotted() {
    assert_fixtures_match!("../fixtures/partial");
}
