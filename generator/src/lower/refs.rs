//! Resolving `$ref`s to `#/components/...`, shared by the usage pre-pass and lowering.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr, Schema};

use crate::diagnostics::{Diagnostic, escape_token};

/// How many `$ref` hops we follow before calling a chain a cycle.
const MAX_REF_HOPS: usize = 64;

/// A schema as it appears in a document: a reference or an inline schema.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

/// The name in `#/components/<section>/<name>`, unescaped; `None` for any other reference.
pub(crate) fn component_name(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// The JSON pointer of a component.
pub(crate) fn component_pointer(section: &str, name: &str) -> String {
    format!("/components/{section}/{}", escape_token(name))
}

/// Follows `value` (and any chain of references behind it) to the item in
/// `#/components/<section>`, returning it with the pointer where it stands.
pub(crate) fn resolve<'a, T>(
    doc: &'a OpenAPI,
    value: &'a ReferenceOr<T>,
    here: &str,
    section: &str,
    map: fn(&Components) -> &IndexMap<String, ReferenceOr<T>>,
) -> Result<(&'a T, String), Diagnostic> {
    let mut current = value;
    let mut pointer = here.to_owned();
    for _ in 0..MAX_REF_HOPS {
        match current {
            ReferenceOr::Item(item) => return Ok((item, pointer)),
            ReferenceOr::Reference { reference } => {
                let Some(name) = component_name(reference, section) else {
                    return Err(Diagnostic::new(
                        pointer,
                        format!(
                            "reference `{reference}` is not supported: only references to \
                             `#/components/{section}/...` are resolved here"
                        ),
                    ));
                };
                let found = doc.components.as_ref().and_then(|c| map(c).get(&name));
                let Some(found) = found else {
                    return Err(Diagnostic::new(
                        pointer,
                        format!("reference `{reference}` points to nothing"),
                    ));
                };
                pointer = component_pointer(section, &name);
                current = found;
            }
        }
    }
    Err(Diagnostic::new(
        pointer,
        "reference chain does not end (a cycle of references)",
    ))
}

/// Follows a schema reference chain to the component schema it names, returning that
/// component's name, its schema and its pointer.
pub(crate) fn resolve_schema<'a>(
    doc: &'a OpenAPI,
    reference: &str,
    here: &str,
) -> Result<(String, &'a Schema, String), Diagnostic> {
    let mut reference = reference.to_owned();
    let mut pointer = here.to_owned();
    for _ in 0..MAX_REF_HOPS {
        let Some(name) = component_name(&reference, "schemas") else {
            return Err(Diagnostic::new(
                pointer,
                format!(
                    "reference `{reference}` is not supported: only references to \
                     `#/components/schemas/...` are resolved for schemas"
                ),
            ));
        };
        let Some(found) = doc.components.as_ref().and_then(|c| c.schemas.get(&name)) else {
            return Err(Diagnostic::new(
                pointer,
                format!("reference `{reference}` points to nothing"),
            ));
        };
        pointer = component_pointer("schemas", &name);
        match found {
            ReferenceOr::Item(schema) => return Ok((name, schema, pointer)),
            ReferenceOr::Reference { reference: next } => reference.clone_from(next),
        }
    }
    Err(Diagnostic::new(
        pointer,
        "reference chain does not end (a cycle of references)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names() {
        assert_eq!(
            component_name("#/components/schemas/Pet", "schemas").as_deref(),
            Some("Pet")
        );
        assert_eq!(
            component_name("#/components/schemas/a~1b~0c", "schemas").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(
            component_name("#/components/responses/Pet", "schemas"),
            None
        );
        assert_eq!(component_name("other.yaml#/Pet", "schemas"), None);
    }
}
