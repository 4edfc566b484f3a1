//! Resolving `$ref`s to `#/components/...` (and path items), shared by the usage pre-pass
//! and lowering.
//!
//! A reference is a URI: its fragment may be percent-encoded (`#/paths/~1a~1%7Bid%7D`), as
//! RFC 3986 allows and JSON pointers in URIs require for `{`, `}` and other characters (RFC
//! 6901, section 6). It is decoded first, then read as a JSON pointer.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, PathItem, ReferenceOr, Schema};

use crate::diagnostics::{Diagnostic, escape_token};
pub(crate) use crate::diagnostics::{fragment_pointer, plain_component};

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

/// The tokens of a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(crate::diagnostics::unescape_token)
        .collect()
}

/// The name in `#/components/<section>/<name>`, unescaped; `None` for any other reference.
pub(crate) fn component_name(reference: &str, section: &str) -> Option<String> {
    if let Some((found, name)) = plain_component(reference) {
        return (found == section).then(|| name.to_owned());
    }
    let pointer = fragment_pointer(reference)?;
    match pointer_tokens(&pointer).as_slice() {
        [components, found, name] if components == "components" && found == section => {
            Some(name.clone())
        }
        _ => None,
    }
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
                    // A component the loader could not read: its own problem, not this one.
                    let at = component_pointer(section, &name);
                    return Err(crate::load::removed_component(doc, &at)
                        .unwrap_or_else(|| points_to_nothing(&pointer, reference)));
                };
                pointer = component_pointer(section, &name);
                current = found;
            }
        }
    }
    Err(cycle(pointer, value))
}

/// The problem of a chain of references that comes back on itself.
fn cycle<T>(pointer: String, start: &ReferenceOr<T>) -> Diagnostic {
    let reference = match start {
        ReferenceOr::Reference { reference } => reference.as_str(),
        ReferenceOr::Item(_) => "",
    };
    Diagnostic::new(
        pointer,
        format!("reference `{reference}` starts a chain of references that does not end (a cycle)"),
    )
}

/// Follows a schema reference chain to the component schema it names, returning that
/// component's name, its schema and its pointer.
pub(crate) fn resolve_schema<'a>(
    doc: &'a OpenAPI,
    reference: &str,
    here: &str,
) -> Result<(String, &'a Schema, String), Diagnostic> {
    let start = reference;
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
        format!("reference `{start}` starts a chain of references that does not end (a cycle)"),
    ))
}

/// Follows a path item given by `$ref` (to another path item, or to one in a callback of
/// `components.callbacks`) to the item, returning it with the pointer where it stands.
pub(crate) fn path_item<'a>(
    doc: &'a OpenAPI,
    value: &'a ReferenceOr<PathItem>,
    here: &str,
) -> Result<(&'a PathItem, String), Diagnostic> {
    let mut current = value;
    let mut pointer = here.to_owned();
    for _ in 0..MAX_REF_HOPS {
        let reference = match current {
            ReferenceOr::Item(item) => return Ok((item, pointer)),
            ReferenceOr::Reference { reference } => reference,
        };
        let tokens = fragment_pointer(reference)
            .map(|p| pointer_tokens(&p))
            .unwrap_or_default();
        match tokens.as_slice() {
            [paths, path] if paths == "paths" => {
                let Some(found) = doc.paths.paths.get(path) else {
                    return Err(points_to_nothing(&pointer, reference));
                };
                pointer = format!("/paths/{}", escape_token(path));
                current = found;
            }
            [components, callbacks, name, expression]
                if components == "components" && callbacks == "callbacks" =>
            {
                let callback = doc.components.as_ref().and_then(|c| c.callbacks.get(name));
                let callback = match callback {
                    Some(ReferenceOr::Item(callback)) => callback,
                    Some(ReferenceOr::Reference { reference: inner }) => {
                        return Err(Diagnostic::new(
                            component_pointer("callbacks", name),
                            format!(
                                "reference `{inner}` is not supported: a callback given by \
                                 `$ref` is not followed to reach a path item"
                            ),
                        ));
                    }
                    None => return Err(points_to_nothing(&pointer, reference)),
                };
                let Some(item) = callback.get(expression) else {
                    return Err(points_to_nothing(&pointer, reference));
                };
                let at = format!(
                    "{}/{}",
                    component_pointer("callbacks", name),
                    escape_token(expression)
                );
                return Ok((item, at));
            }
            _ => {
                return Err(Diagnostic::new(
                    pointer,
                    format!(
                        "reference `{reference}` is not supported: a path item is resolved \
                         only from `#/paths/...` or `#/components/callbacks/...`"
                    ),
                ));
            }
        }
    }
    Err(cycle(pointer, value))
}

fn points_to_nothing(pointer: &str, reference: &str) -> Diagnostic {
    Diagnostic::new(
        pointer,
        format!("reference `{reference}` points to nothing"),
    )
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
        assert_eq!(component_name("#/components/schemasX/Pet", "schemas"), None);
        assert_eq!(
            component_name("#/components/schemas/Pet%20Food", "schemas").as_deref(),
            Some("Pet Food")
        );
        assert_eq!(
            component_name("#/components/schemas/Pet/properties/x", "schemas"),
            None
        );
    }

    #[test]
    fn fragments_are_percent_decoded_before_they_are_read_as_pointers() {
        assert_eq!(
            fragment_pointer("#/paths/~1customers~1%7Baccount%7D/get").as_deref(),
            Some("/paths/~1customers~1{account}/get")
        );
        assert_eq!(
            pointer_tokens("/paths/~1customers~1{account}/get"),
            ["paths", "/customers/{account}", "get"]
        );
        assert_eq!(
            component_name("#/components/schemas/Caf%C3%A9%20Menu", "schemas").as_deref(),
            Some("Café Menu")
        );
        // `%7E1` decodes to `~1`, which the pointer then unescapes: decoding comes first.
        assert_eq!(
            component_name("#/components/schemas/a%7E1b", "schemas").as_deref(),
            Some("a/b")
        );
        assert_eq!(fragment_pointer("other.yaml#/a"), None);
    }
}
