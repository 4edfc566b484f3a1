//! The size of the generated code is a feature: the repetition fixture
//! (`tests/fixtures/repetition.yaml`: a few hundred lines of what big APIs repeat, strings with
//! the same `maxLength`, the same inline enumeration, the same error responses) and the Truv
//! spec are generated and their lines, types and impl blocks counted. The counts are a
//! snapshot, so that a change that makes the output grow shows up in review, with its numbers.

use std::fmt::Write as _;

/// Lines, type definitions and impl blocks of each generated module (the embedded runtime is
/// the same for every crate and is left out).
fn census(spec: &str) -> String {
    let root = tests::workspace_root();
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    let files = generator::generate(spec, &text, &xtask::codegen::settings())
        .unwrap()
        .files;
    let mut out = format!("{spec}\n");
    let mut total = 0;
    for file in files.iter().filter(|f| {
        std::path::Path::new(&f.path)
            .extension()
            .is_some_and(|e| e == "rs")
            && !f.path.starts_with("src/runtime/")
    }) {
        let lines = file.contents.lines().count();
        total += lines;
        let trimmed: Vec<&str> = file.contents.lines().map(str::trim_start).collect();
        let count = |prefix: &str| trimmed.iter().filter(|l| l.starts_with(prefix)).count();
        let _ = writeln!(
            out,
            "  {:<32} {lines:>6} lines {:>4} structs {:>4} enums {:>4} aliases {:>4} impls {:>4} macro impls",
            file.path,
            count("pub struct "),
            count("pub enum "),
            count("pub type "),
            count("impl"),
            count("crate::runtime::enums::"),
        );
    }
    let _ = writeln!(out, "  {:<32} {total:>6} lines", "total");
    out
}

#[test]
fn generated_code_size_is_as_snapshotted() {
    let report = format!(
        "{}{}",
        census("tests/fixtures/repetition.yaml"),
        census(xtask::codegen::SPEC)
    );
    insta::assert_snapshot!(report);
}
