//! Each fixture spec in `tests/fixtures/` (one OpenAPI feature each) has a snapshot of its
//! spec-dependent modules here: the review surface of a change to the generator's output.
//! The fixture crates themselves are not committed; `cargo xtask fixtures` materialises them
//! under the target directory, where `cargo xtask ci` compiles, lints, documents and tests
//! them (their behaviour tests are `tests/fixtures/<fixture>.rs`): a snapshot that does not
//! compile proves nothing.
//!
//! `cargo xtask codegen` writes a pending `.snap.new` for every snapshot that changed, the
//! same text this test compares.

#[test]
fn fixtures_generate_as_snapshotted() {
    let root = tests::workspace_root();
    let fixtures = xtask::codegen::fixtures(&root).unwrap();
    insta::glob!("../fixtures", "*.yaml", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fixture = fixtures
            .iter()
            .find(|f| f.spec.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{name} is a fixture"));
        let files = fixture.generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let code = xtask::codegen::snapshot_text(&files);
        insta::assert_snapshot!(code);
    });
}
