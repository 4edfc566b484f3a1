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

#[test]
fn fixtures_generate_as_snapshotted() {
    let root = tests::workspace_root();
    let fixtures = xtask::codegen::fixtures(&root).unwrap();
    insta::glob!("../fixtures", "*.yaml", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fixture = fixtures
            .iter()
            .find(|f| !f.partial() && f.snapshot_name() == name)
            .unwrap_or_else(|| panic!("{name} is a fixture"));
        let files = fixture.generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let code = fixture.snapshot_text(&files);
        insta::assert_snapshot!(code);
    });
}

/// The fixtures that are a settings file over another fixture's spec (one description, several
/// selections), named by the settings file.
#[test]
fn fixture_settings_generate_as_snapshotted() {
    let root = tests::workspace_root();
    let fixtures = xtask::codegen::fixtures(&root).unwrap();
    let over: Vec<_> = fixtures
        .iter()
        .filter(|f| {
            !f.partial()
                && f.snapshot_name()
                    .ends_with(xtask::codegen::FIXTURE_SETTINGS)
        })
        .collect();
    assert!(
        !over.is_empty(),
        "tests/fixtures has settings-only fixtures"
    );
    for fixture in over {
        let files = fixture.generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let code = fixture.snapshot_text(&files);
        let name = fixture.snapshot_name();
        insta::with_settings!({snapshot_suffix => name, input_file => root.join(&fixture.spec)}, {
            insta::assert_snapshot!(code);
        });
    }
}

/// Named by file, as the glob above names its snapshots (a glob over one file would name its
/// snapshot after nothing).
#[test]
fn partial_fixtures_generate_as_snapshotted() {
    let root = tests::workspace_root();
    let fixtures = xtask::codegen::fixtures(&root).unwrap();
    let partial: Vec<_> = fixtures.iter().filter(|f| f.partial()).collect();
    assert!(!partial.is_empty(), "tests/fixtures/partial has fixtures");
    for fixture in partial {
        let files = fixture.generate(&root).unwrap_or_else(|e| panic!("{e}"));
        let code = fixture.snapshot_text(&files);
        let name = fixture
            .spec
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        insta::with_settings!({snapshot_suffix => name, input_file => root.join(&fixture.spec)}, {
            insta::assert_snapshot!(code);
        });
    }
}
