//! Each fixture spec in `tests/fixtures/` (one OpenAPI feature each) has a snapshot of its
//! generated types and client here, and its whole generated crate committed under
//! `tests/expectations/<fixture>/`, a workspace member, so that it is compiled, linted and
//! documented with everything else: a snapshot that does not compile proves nothing.

#[test]
fn fixtures_generate_as_snapshotted() {
    let root = tests::workspace_root();
    let targets = xtask::codegen::targets(&root).unwrap();
    insta::glob!("../fixtures", "*.yaml", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = targets
            .iter()
            .find(|t| t.spec.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{name} is a codegen target"));
        let text = std::fs::read_to_string(path).unwrap();
        let files = generator::generate(&target.spec, &text, &target.settings)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut code = String::new();
        for file in files
            .iter()
            .filter(|f| f.path == "src/types.rs" || f.path == "src/client.rs")
        {
            code.push_str("===== ");
            code.push_str(&file.path);
            code.push_str(" =====\n");
            code.push_str(&file.contents);
        }
        insta::assert_snapshot!(code);
    });
}
