//! `[select]`: the operations a crate has, chosen before lowering by removing the others from
//! the document. What only removed operations used is then never lowered, or is pruned (see
//! `lower::prune`): the crate holds the selected operations and the types they reach.
//!
//! Webhooks (3.1 `webhooks`) are selected by their tags and `operationId`s too; they have no
//! path, so path rules neither keep nor remove them. A callback goes with its operation.

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::config::Selection;
use crate::diagnostics::Diagnostic;

/// What a selection kept, for the crate's README.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selected {
    /// Each rule as written: `(kind, value)`, kind one of `tag`, `operation`, `path` and their
    /// `excluded` forms.
    pub rules: Vec<(String, String)>,
    /// Operations (webhooks included) kept, and removed.
    pub kept: usize,
    pub removed: usize,
}

/// One operation of the document, as selection sees it.
struct Candidate {
    path: Option<String>,
    id: Option<String>,
    tags: Vec<String>,
}

/// Removes from `doc` the operations and webhooks `select` does not keep. Refused when a rule
/// matches no operation (a misspelt tag would otherwise select nothing silently) or nothing is
/// left.
pub(crate) fn apply(doc: &mut OpenAPI, select: &Selection) -> Result<Selected, Vec<Diagnostic>> {
    let mut seen: Vec<Candidate> = Vec::new();
    let mut kept = 0;
    let mut removed = 0;
    let mut keep = |candidate: Candidate| {
        let keeps = select.keeps(
            candidate.path.as_deref(),
            candidate.id.as_deref(),
            &candidate.tags,
        );
        if keeps {
            kept += 1;
        } else {
            removed += 1;
        }
        seen.push(candidate);
        keeps
    };
    let resolved: Vec<(String, Option<openapiv3::PathItem>)> = doc
        .paths
        .paths
        .iter()
        .map(|(path, item)| {
            let item = crate::lower::refs::path_item(doc, item, "")
                .ok()
                .map(|(item, _)| item.clone());
            (path.clone(), item)
        })
        .collect();
    for (path, item) in resolved {
        // A reference that does not resolve is left for lowering to report.
        let Some(mut item) = item else { continue };
        for (_, slot) in operation_slots(&mut item) {
            if let Some(op) = slot {
                let candidate = Candidate {
                    path: Some(path.clone()),
                    id: op.operation_id.clone(),
                    tags: op.tags.clone(),
                };
                if !keep(candidate) {
                    *slot = None;
                }
            }
        }
        if let Some(Value::Object(extra)) = item.extensions.get_mut(crate::load::EXTRA_OPERATIONS) {
            extra.retain(|_, op| keep(json_candidate(Some(&path), op)));
            if extra.is_empty() {
                item.extensions.shift_remove(crate::load::EXTRA_OPERATIONS);
            }
        }
        if operation_slots(&mut item)
            .iter()
            .all(|(_, op)| op.is_none())
            && !item.extensions.contains_key(crate::load::EXTRA_OPERATIONS)
        {
            doc.paths.paths.shift_remove(&path);
        } else {
            doc.paths.paths.insert(path, ReferenceOr::Item(item));
        }
    }
    if let Some(Value::Object(webhooks)) = doc.extensions.get_mut("x-webhooks") {
        webhooks.retain(|_, item| {
            let Value::Object(methods) = item else {
                return true;
            };
            methods.retain(|method, op| {
                !crate::load::METHODS.contains(&method.as_str()) || keep(json_candidate(None, op))
            });
            methods
                .keys()
                .any(|method| crate::load::METHODS.contains(&method.as_str()))
        });
    }
    let mut problems = Vec::new();
    let rules: Vec<(String, String)> = select
        .rules()
        .into_iter()
        .map(|(kind, value)| (kind.to_owned(), value.to_owned()))
        .collect();
    for (kind, value) in &rules {
        let matched = seen.iter().any(|c| {
            Selection::rule_matches(kind, value, c.path.as_deref(), c.id.as_deref(), &c.tags)
        });
        if !matched {
            problems.push(Diagnostic::new(
                "",
                format!("select: {kind} `{value}` matches no operation of the description"),
            ));
        }
    }
    if problems.is_empty() && kept == 0 {
        problems.push(Diagnostic::new(
            "",
            "select: the rules leave no operation of the description",
        ));
    }
    if problems.is_empty() {
        Ok(Selected {
            rules,
            kept,
            removed,
        })
    } else {
        Err(problems)
    }
}

/// The operation fields of a path item.
fn operation_slots(
    item: &mut openapiv3::PathItem,
) -> [(&'static str, &mut Option<openapiv3::Operation>); 8] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
}

/// An operation still in JSON (a webhook's, or a 3.2 extra operation).
fn json_candidate(path: Option<&str>, op: &Value) -> Candidate {
    let tags = op
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Candidate {
        path: path.map(str::to_owned),
        id: op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
openapi: 3.2.0
info: {title: T, version: "1"}
paths:
  /v1/pets:
    get: {operationId: list_pets, tags: [pets], responses: {"200": {description: ok}}}
    query: {operationId: query_pets, tags: [pets], responses: {"200": {description: ok}}}
  /v1/stores:
    get: {operationId: list_stores, tags: [stores], responses: {"200": {description: ok}}}
webhooks:
  petAdopted:
    post: {operationId: pet_adopted, tags: [pets], responses: {"200": {description: ok}}}
  storeOpened:
    post: {operationId: store_opened, tags: [stores], responses: {"200": {description: ok}}}
"#;

    fn apply_to(select: &Selection) -> (OpenAPI, Result<Selected, Vec<Diagnostic>>) {
        let mut doc = crate::load::read(DOC, crate::load::Syntax::Yaml)
            .unwrap()
            .document;
        let selected = apply(&mut doc, select);
        (doc, selected)
    }

    fn webhooks(doc: &OpenAPI) -> Vec<String> {
        doc.extensions
            .get("x-webhooks")
            .and_then(Value::as_object)
            .map(|w| w.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn tags_select_operations_extra_methods_and_webhooks() {
        let (doc, selected) = apply_to(&Selection {
            tags: vec!["pets".to_owned()],
            ..Selection::default()
        });
        let selected = selected.unwrap();
        assert_eq!((selected.kept, selected.removed), (3, 2));
        let paths: Vec<&String> = doc.paths.paths.keys().collect();
        assert_eq!(paths, ["/v1/pets"]);
        let ReferenceOr::Item(pets) = &doc.paths.paths["/v1/pets"] else {
            panic!("an item")
        };
        assert!(
            pets.extensions.contains_key(crate::load::EXTRA_OPERATIONS),
            "QUERY kept"
        );
        assert_eq!(webhooks(&doc), ["petAdopted"]);
    }

    #[test]
    fn path_rules_leave_webhooks_out_and_exclusions_win() {
        let (doc, selected) = apply_to(&Selection {
            paths: vec!["/v1/pets".to_owned()],
            exclude_operations: vec!["query_*".to_owned()],
            ..Selection::default()
        });
        assert_eq!(selected.unwrap().kept, 1);
        let ReferenceOr::Item(pets) = &doc.paths.paths["/v1/pets"] else {
            panic!("an item")
        };
        assert!(pets.get.is_some());
        assert!(!pets.extensions.contains_key(crate::load::EXTRA_OPERATIONS));
        assert!(webhooks(&doc).is_empty(), "webhooks have no path");
    }

    #[test]
    fn a_rule_that_matches_nothing_or_a_selection_of_nothing_is_refused() {
        let (_, selected) = apply_to(&Selection {
            tags: vec!["pets".to_owned(), "pest".to_owned()],
            ..Selection::default()
        });
        let problems = selected.unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "select: tag `pest` matches no operation of the description"
        );
        let (_, selected) = apply_to(&Selection {
            exclude_tags: vec!["pets".to_owned(), "stores".to_owned()],
            ..Selection::default()
        });
        assert_eq!(
            selected.unwrap_err()[0].message,
            "select: the rules leave no operation of the description"
        );
    }
}
