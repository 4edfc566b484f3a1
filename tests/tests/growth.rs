//! Adding an optional parameter to a description, the most common change an API makes, only
//! adds to the generated crate's public API: the new parameter is a setter on the operation's
//! call, and no method, argument or type that callers use changes. Checked on the public-API
//! listings (rustdoc JSON, read by the `public-api` crate, as `public_api.rs` reads
//! `truv-client`'s) of the crates generated from a fixture cut out of GitHub's description,
//! before and after the edit: nothing is removed, and what is added is the snapshot.

use std::collections::BTreeSet;

/// GitHub's `issues/list-for-repo` (and another list), cut out of its description.
const FIXTURE: &str = "tests/fixtures/pagination_link_header.yaml";
/// The parameter line the new one is added after.
const AFTER: &str = "        - {name: per_page, in: query, schema: {type: integer}}\n";
/// The new optional query parameter, as GitHub describes `state`.
const ADDED: &str = "        - {name: state, in: query, schema: {type: string, enum: [open, closed, all], default: open}}\n";

/// The public API of the crate generated from `spec`, one item a line.
fn listing(spec: &str, name: &str) -> BTreeSet<String> {
    let root = tests::workspace_root();
    let settings = generator::Settings {
        crate_name: "growth".to_owned(),
        crate_version: "0.1.0".to_owned(),
        source_label: FIXTURE.to_owned(),
        regenerate_command: "test".to_owned(),
        license: None,
        repository: None,
        strict: true,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    };
    let files = generator::generate(FIXTURE, spec, &settings)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .files;
    // Not under this repository: cargo would find its workspace among the ancestors.
    let dir = std::env::temp_dir().join(format!("growth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in &files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = xtask::fixtures::target_dir(&root).join("outside");
    // The lock is this workspace's (the versions tested here), which does not list the crate
    // itself: cargo adds it, and `--offline` keeps every other entry as it is.
    let json = tests::rustdoc_json(&dir, &["--offline"], &target, "growth");
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .omit_auto_trait_impls(true)
        .build()
        .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let _ = std::fs::remove_dir_all(&dir);
    api.items().map(ToString::to_string).collect()
}

#[test]
fn an_added_optional_parameter_only_adds_to_the_public_api() {
    let root = tests::workspace_root();
    let before = std::fs::read_to_string(root.join(FIXTURE)).unwrap();
    assert_eq!(before.matches(AFTER).count(), 1, "{FIXTURE} changed");
    let after = before.replacen(AFTER, &format!("{AFTER}{ADDED}"), 1);
    let old = listing(&before, "before");
    let new = listing(&after, "after");
    let removed: Vec<&String> = old.difference(&new).collect();
    assert!(
        removed.is_empty(),
        "adding an optional parameter removed or changed public items: {removed:#?}"
    );
    let added: Vec<&str> = new.difference(&old).map(String::as_str).collect();
    assert!(!added.is_empty(), "the new parameter added nothing");
    insta::assert_snapshot!("added_optional_parameter", added.join("\n"));
}
