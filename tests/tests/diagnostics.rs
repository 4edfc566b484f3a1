//! Broken or unsupported documents give `file: /json/pointer: message` lines, all of them,
//! and never a panic. Each fixture in `tests/fixtures/invalid/` has its expected report as a
//! snapshot.

#[test]
fn invalid_documents_are_reported_with_pointers() {
    insta::glob!("../fixtures/invalid", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = generator::generate(&name, &text, &xtask::codegen::settings())
            .expect_err("an invalid fixture must not generate");
        for line in report.to_string().lines() {
            assert!(
                line.starts_with(&format!("{name}: /")),
                "no file and pointer in: {line}"
            );
        }
        insta::assert_snapshot!(report.to_string());
    });
}

#[test]
fn bad_crate_names_are_refused() {
    let mut settings = xtask::codegen::settings();
    settings.crate_name = "9 lives".to_owned();
    let report = generator::generate("spec.yaml", &tests::truv_spec(), &settings).unwrap_err();
    assert!(
        report
            .to_string()
            .contains("crate name `9 lives` is not valid"),
        "{report}"
    );
}
