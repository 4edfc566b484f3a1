//! The generator never panics, whatever the document: every fixture and the Truv spec are
//! mutated at random (nodes removed, retyped, replaced by dangling or cyclic references,
//! copied elsewhere) and generated, strictly and leaving out what cannot be generated; each
//! run must end in files or diagnostics. The number of cases is bounded, so the test's time
//! is too.

use proptest::prelude::*;
use serde_json::{Value, json};

/// The documents to mutate: the Truv spec and every valid fixture, as JSON values.
fn seeds() -> Vec<Value> {
    let root = tests::workspace_root();
    let mut paths = vec![root.join(xtask::codegen::SPEC)];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join(xtask::codegen::FIXTURES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    paths
        .iter()
        .map(|p| serde_yaml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// Every node's JSON pointer, in document order.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// One mutation: which node (an index into the pointers, wrapping), what to do, and a
/// second node for copies.
type Mutation = (usize, u8, usize);

fn apply(doc: &mut Value, (node, kind, other): Mutation) {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    let target = all[node % all.len()].clone();
    let source = doc
        .pointer(&all[other % all.len()])
        .cloned()
        .unwrap_or(Value::Null);
    if target.is_empty() {
        return; // Replacing the whole document is covered by the syntax tests.
    }
    let replacement = match kind % 10 {
        0 => {
            // Remove the node from its parent.
            let (parent, key) = target.rsplit_once('/').unwrap();
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        1 => Value::Null,
        2 => json!(42),
        3 => json!("x"),
        4 => json!({}),
        5 => json!([]),
        6 => json!({"$ref": "#/components/schemas/DoesNotExist"}),
        7 => json!({"$ref": "#/paths/~1nowhere/get"}),
        8 => json!({"allOf": [{"$ref": "#/components/schemas/Loop"}], "oneOf": [true, 1]}),
        _ => source,
    };
    if let Some(slot) = doc.pointer_mut(&target) {
        *slot = replacement;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_panic(
        seed in 0_usize..100,
        mutations in prop::collection::vec((0_usize..10_000, 0_u8..10, 0_usize..10_000), 1..6),
    ) {
        let seeds = seeds();
        let mut doc = seeds[seed % seeds.len()].clone();
        // A self-referencing schema, for the mutations that point at it.
        if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            schemas.insert("Loop".to_owned(), json!({"$ref": "#/components/schemas/Loop"}));
        }
        for mutation in mutations {
            apply(&mut doc, mutation);
        }
        let text = serde_json::to_string(&doc).unwrap();
        // Files (with what was left out) or diagnostics, strictly and leniently; a panic
        // fails the case and proptest shrinks it.
        for strict in [true, false] {
            let settings = generator::Settings {
                strict,
                ..xtask::codegen::settings()
            };
            match generator::generate("mutated.json", &text, &settings) {
                Err(diagnostics) => {
                    prop_assert!(!diagnostics.items.is_empty());
                    for line in diagnostics.to_string().lines() {
                        prop_assert!(line.starts_with("mutated.json: /"), "{}", line);
                    }
                }
                Ok(generated) => {
                    prop_assert!(!strict || generated.is_complete());
                    for omission in &generated.omissions {
                        prop_assert!(
                            omission.pointer.is_empty() || omission.pointer.starts_with('/'),
                            "{:?}",
                            omission
                        );
                        prop_assert!(!omission.reason.is_empty());
                    }
                }
            }
        }
    }
}
