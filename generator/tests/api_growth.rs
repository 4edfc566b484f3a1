//! A new version of an API description can add a property, an enumeration value, a `oneOf`
//! shape or a documented status without breaking code written against the crate generated
//! from the old one: every generated struct with public fields and every generated enum is
//! `#[non_exhaustive]` (the policy is written down in the crate documentation of `generator`).
//! Checked over the emitted code of the Truv spec and every fixture.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn specs() -> Vec<PathBuf> {
    let mut specs = vec![root().join("spec/truv-webhooks.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    specs.extend(fixtures);
    specs
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

#[test]
fn every_type_that_can_grow_is_non_exhaustive() {
    let mut checked = 0;
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).unwrap();
        let label = spec.display().to_string();
        let settings = generator::Settings {
            crate_name: "growth".to_owned(),
            crate_version: "0.0.0".to_owned(),
            source_label: label.clone(),
            regenerate_command: "test".to_owned(),
            license: None,
            repository: None,
            strict: true,
            select: generator::config::Selection::default(),
            types: generator::config::Types::default(),
        };
        let files = generator::generate(&label, &text, &settings).unwrap().files;
        // `types.rs`, and the files of each feature's own types it re-exports.
        let items: Vec<syn::Item> = files
            .iter()
            .filter(|f| f.path == "src/types.rs" || f.path.starts_with("src/types/"))
            .flat_map(|f| syn::parse_file(&f.contents).unwrap().items)
            .collect();
        for item in &items {
            let (name, attrs, grows) = match item {
                // Structs with public fields; newtypes and builders keep theirs private.
                syn::Item::Struct(s) if public(&s.vis) => {
                    (&s.ident, &s.attrs, s.fields.iter().any(|f| public(&f.vis)))
                }
                syn::Item::Enum(e) if public(&e.vis) => (&e.ident, &e.attrs, true),
                _ => continue,
            };
            if grows {
                checked += 1;
                assert!(
                    non_exhaustive(attrs),
                    "{label}: `{name}` can gain a field or variant: it must be #[non_exhaustive]"
                );
            }
        }
    }
    assert!(checked > 20, "only {checked} types checked");
}
