//! One document, three versions of OpenAPI: the Truv spec spelled the 3.1 way and the 3.2 way
//! (`tests/fixtures/versions/`) generates exactly the crate its 3.0 original does, file by
//! file, so a 3.1 or 3.2 document loses nothing on its way to the model.

use std::collections::BTreeMap;

fn files_of(name: &str, text: &str) -> BTreeMap<String, String> {
    // The same settings (and source label) as the committed client, so that only the
    // document's spelling differs.
    generator::generate(name, text, &xtask::codegen::settings())
        .unwrap_or_else(|e| panic!("{name} must generate:\n{e}"))
        .files
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

fn assert_same_crate(variant: &str) {
    let path = tests::workspace_root()
        .join("tests/fixtures/versions")
        .join(variant);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let version = text
        .lines()
        .find_map(|line| line.strip_prefix("openapi: "))
        .unwrap_or_default()
        .to_owned();
    assert!(
        version.starts_with(&variant["truv-webhooks-".len()..variant.len() - ".yaml".len()]),
        "{variant} declares {version}"
    );
    let original = files_of(xtask::codegen::SPEC, &tests::truv_spec());
    let spelled = files_of(variant, &text);
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        spelled.keys().collect::<Vec<_>>(),
        "{variant}: not the same files"
    );
    for (path, contents) in &original {
        let other = &spelled[path];
        if contents != other {
            let line = contents
                .lines()
                .zip(other.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| contents.lines().count().min(other.lines().count()));
            panic!(
                "{variant}: {path} differs from the 3.0 original's at line {}:\n  3.0: {}\n  {version}: {}",
                line + 1,
                contents.lines().nth(line).unwrap_or("(end)"),
                other.lines().nth(line).unwrap_or("(end)"),
            );
        }
    }
}

#[test]
fn the_3_1_spelling_generates_the_same_crate() {
    assert_same_crate("truv-webhooks-3.1.yaml");
}

#[test]
fn the_3_2_spelling_generates_the_same_crate() {
    assert_same_crate("truv-webhooks-3.2.yaml");
}
