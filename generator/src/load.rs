//! Parsing a document (YAML or JSON) into `openapiv3`, with errors located by JSON pointer.

use openapiv3::OpenAPI;

use crate::diagnostics::{Diagnostic, escape_token};

/// The syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// Guesses from the file name, then from the first character: JSON documents are objects.
    #[must_use]
    pub fn detect(file_name: &str, text: &str) -> Self {
        let extension = std::path::Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if extension.as_deref() == Some("json") {
            Self::Json
        } else if matches!(extension.as_deref(), Some("yaml" | "yml")) {
            Self::Yaml
        } else if text.trim_start().starts_with('{') {
            Self::Json
        } else {
            Self::Yaml
        }
    }
}

mod downlevel;

pub use downlevel::PointerMap;

/// A document read into the 3.0 structures lowering works on.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub document: OpenAPI,
    /// The `openapi` field as written (`3.0.3`, `3.1.0`, `3.2.0`).
    pub version: String,
    /// Where the 3.1/3.2 pass moved nodes: maps a pointer into `document` back to the text.
    pub pointers: PointerMap,
}

/// Parses `text` as an OpenAPI 3.0, 3.1 or 3.2 document, in 3.0's structures.
pub fn parse(text: &str, syntax: Syntax) -> Result<OpenAPI, Diagnostic> {
    read(text, syntax)
        .map(|loaded| loaded.document)
        .map_err(|mut all| all.swap_remove(0))
}

/// Parses `text` as an OpenAPI 3.0, 3.1 or 3.2 document. A 3.0 document is read as it is;
/// a 3.1 or 3.2 one is first rewritten into the 3.0 shape (see `downlevel`).
pub fn read(text: &str, syntax: Syntax) -> Result<Loaded, Vec<Diagnostic>> {
    match parse_30(text, syntax) {
        Ok(document) if is_30(&document.openapi) => Ok(Loaded {
            version: document.openapi.clone(),
            document,
            pointers: PointerMap::default(),
        }),
        Ok(_) | Err(Failure::Later) => read_later(text, syntax),
        Err(Failure::Invalid(diagnostic)) => Err(vec![diagnostic]),
    }
}

fn is_30(version: &str) -> bool {
    version.starts_with("3.0.") || version == "3.0"
}

fn is_later(version: &str) -> bool {
    ["3.1", "3.2"]
        .iter()
        .any(|minor| version == *minor || version.starts_with(&format!("{minor}.")))
}

/// Why the 3.0 reading did not give a document.
enum Failure {
    /// A 3.1 or 3.2 document: read it the other way.
    Later,
    Invalid(Diagnostic),
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Self::Invalid(diagnostic)
    }
}

/// A 3.1 or 3.2 document: the tree is rewritten into the 3.0 shape, then read; every
/// pointer reported is one into the text.
fn read_later(text: &str, syntax: Syntax) -> Result<Loaded, Vec<Diagnostic>> {
    let Some(mut value) = generic_value(text, syntax) else {
        return Err(vec![Diagnostic::new("", "not a YAML or JSON document")]);
    };
    let version = value.version().unwrap_or_default();
    let pointers = downlevel::downlevel(&mut value)?;
    hoist_deep_refs(&mut value);
    match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
        Ok(document) => Ok(Loaded {
            document,
            version,
            pointers,
        }),
        Err(error) => {
            let (at, message) = refine(&value)
                .unwrap_or_else(|| (to_pointer(error.path()), error.into_inner().to_string()));
            Err(vec![Diagnostic::new(
                pointers.original(&at),
                format!("not a valid OpenAPI {version} document: {message}"),
            )])
        }
    }
}

/// Parses `text` as an OpenAPI 3.0 document.
///
/// The typed parse runs first; only when it fails is the document read again, leniently, to
/// tell a 3.1 or 3.2 document (read another way) or a 2.0 one (not read) from a broken 3.0 one.
fn parse_30(text: &str, syntax: Syntax) -> Result<OpenAPI, Failure> {
    // References outside their `components` section are rare; only documents that have one
    // pay for the generic parse that moves their targets there.
    if has_deep_ref(text) {
        if let Some(mut value) = generic_value(text, syntax) {
            if value.version().is_some_and(|v| is_later(&v)) {
                return Err(Failure::Later);
            }
            if hoist_deep_refs(&mut value) {
                let document =
                    serde_path_to_error::deserialize::<_, OpenAPI>(&value).map_err(|e| {
                        Diagnostic::new(
                            to_pointer(e.path()),
                            format!("not a valid OpenAPI 3.0 document: {}", e.into_inner()),
                        )
                    })?;
                check_version(Some(&document.openapi))?;
                return Ok(document);
            }
        }
    }
    let typed = match syntax {
        Syntax::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, OpenAPI>(&mut de)
                .map_err(|e| (to_pointer(e.path()), e.into_inner().to_string()))
        }
        Syntax::Yaml => {
            let de = serde_yaml::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, OpenAPI>(de)
                .map_err(|e| (to_pointer(e.path()), e.into_inner().to_string()))
        }
    };
    match typed {
        Ok(document) => {
            check_version(Some(&document.openapi))?;
            Ok(document)
        }
        Err((pointer, message)) => {
            let value = match syntax {
                Syntax::Json => serde_json::from_str::<serde_json::Value>(text).ok(),
                Syntax::Yaml => serde_yaml::from_str::<serde_yaml::Value>(text)
                    .ok()
                    .and_then(|v| serde_json::to_value(v).ok()),
            };
            let version = value.as_ref().and_then(VersionField::version);
            if version.as_deref().is_some_and(is_later) {
                return Err(Failure::Later);
            }
            check_version(version.as_deref())?;
            let (pointer, message) = match &value {
                Some(value) => refine(value).unwrap_or((pointer, message)),
                None => (pointer, message),
            };
            Err(Diagnostic::new(
                pointer,
                format!("not a valid OpenAPI 3.0 document: {message}"),
            )
            .into())
        }
    }
}

fn generic_value(text: &str, syntax: Syntax) -> Option<serde_json::Value> {
    match syntax {
        Syntax::Json => serde_json::from_str(text).ok(),
        Syntax::Yaml => serde_yaml::from_str::<serde_yaml::Value>(text)
            .ok()
            .and_then(|v| serde_json::to_value(v).ok()),
    }
}

/// Moves the targets of references that point inside operations or other components
/// (`#/paths/~1pets/get/.../schema`, `#/paths/~1pets/get/parameters/0`,
/// `#/components/schemas/Pet/properties/tag`) into the matching `components` section
/// (schemas, parameters, responses, request bodies, headers), under a name made from the
/// pointer, and points the references there: lowering then treats them like any component.
/// Returns whether anything moved.
fn hoist_deep_refs(document: &mut serde_json::Value) -> bool {
    let mut targets: Vec<String> = Vec::new();
    collect_deep_refs(document, &mut targets);
    targets.sort();
    targets.dedup();
    let mut moved = Vec::new();
    for target in targets {
        let Some(section) = deep_ref_section(&target) else {
            continue;
        };
        // A fragment is a URI's: `{` and `}` of a path template arrive as `%7B` and `%7D`.
        let decoded = percent_decode(&target[1..]);
        if let Some(value) = document.pointer(&decoded).cloned() {
            let name = decoded[1..]
                .split('/')
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect::<Vec<_>>()
                .join(" ");
            moved.push(Moved {
                target,
                section,
                name,
                value,
            });
        }
    }
    if moved.is_empty() {
        return false;
    }
    let Some(root) = document.as_object_mut() else {
        return false;
    };
    let Some(components) = root
        .entry("components")
        .or_insert_with(|| serde_json::json!({}))
        .as_object_mut()
    else {
        return false;
    };
    for item in &moved {
        let Some(section) = components
            .entry(item.section)
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
        else {
            return false;
        };
        section
            .entry(item.name.clone())
            .or_insert_with(|| item.value.clone());
    }
    rewrite_refs(document, &moved);
    // The original place refers to the moved component too, so that both share one type.
    for item in &moved {
        if let Some(slot) = document.pointer_mut(&percent_decode(&item.target[1..])) {
            *slot = serde_json::json!({"$ref": item.new_reference()});
        }
    }
    true
}

/// `text` with its `%XX` escapes decoded (as UTF-8; an invalid escape is kept as written).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// A referenced value moved into `components`.
struct Moved {
    /// The reference as written (`#/paths/...`).
    target: String,
    /// The `components` section it moves to.
    section: &'static str,
    name: String,
    value: serde_json::Value,
}

impl Moved {
    fn new_reference(&self) -> String {
        format!("#/components/{}/{}", self.section, escape_token(&self.name))
    }
}

/// Whether the text holds a reference `hoist_deep_refs` would move: a linear scan of every
/// `#/...` string, so that documents without one (nearly all) skip the generic parse.
fn has_deep_ref(text: &str) -> bool {
    text.match_indices("\"#/").any(|(start, _)| {
        let rest = &text[start + 1..];
        let end = rest.find('"').unwrap_or(rest.len());
        deep_ref_section(&rest[..end]).is_some()
    }) || text.match_indices("'#/").any(|(start, _)| {
        let rest = &text[start + 1..];
        let end = rest.find('\'').unwrap_or(rest.len());
        deep_ref_section(&rest[..end]).is_some()
    }) || text.match_indices("$ref: #/").any(|(start, _)| {
        let rest = &text[start + 6..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        deep_ref_section(&rest[..end]).is_some()
    })
}

/// The `components` section a reference's target belongs in, when it points somewhere other
/// than `#/components/<section>/<name>`: a schema (by its place: `schema`, `items`,
/// `properties/x`...), a parameter, a response, a request body or a header.
fn deep_ref_section(reference: &str) -> Option<&'static str> {
    let path = reference.strip_prefix("#/")?;
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.last().copied().unwrap_or_default();
    let parent = segments.len().checked_sub(2).map(|i| segments[i]);
    let section = if matches!(last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(parent, Some("properties" | "allOf" | "oneOf" | "anyOf"))
    {
        "schemas"
    } else if last == "requestBody" {
        "requestBodies"
    } else {
        match parent {
            Some("parameters") => "parameters",
            Some("responses") => "responses",
            Some("headers") => "headers",
            _ => return None,
        }
    };
    let component = segments.len() == 3 && segments[0] == "components" && segments[1] == section;
    (!component).then_some(section)
}

fn collect_deep_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(reference)) = map.get("$ref") {
                if deep_ref_section(reference).is_some() {
                    out.push(reference.clone());
                }
            }
            for child in map.values() {
                collect_deep_refs(child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_deep_refs(item, out);
            }
        }
        _ => {}
    }
}

fn rewrite_refs(value: &mut serde_json::Value, moved: &[Moved]) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(reference)) = map.get_mut("$ref") {
                if let Some(item) = moved.iter().find(|item| item.target == *reference) {
                    *reference = item.new_reference();
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, moved);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                rewrite_refs(item, moved);
            }
        }
        _ => {}
    }
}

fn check_version(version: Option<&str>) -> Result<(), Diagnostic> {
    match version {
        None => Ok(()),
        Some(version) if is_30(version) || is_later(version) => Ok(()),
        Some(version) => Err(Diagnostic::new(
            "/openapi",
            format!(
                "OpenAPI version `{version}` is not supported; only 3.0.x, 3.1.x and 3.2.x \
                 documents are"
            ),
        )),
    }
}

trait VersionField {
    fn version(&self) -> Option<String>;
}

impl VersionField for serde_json::Value {
    fn version(&self) -> Option<String> {
        let field = self.get("openapi").or_else(|| self.get("swagger"))?;
        field
            .as_str()
            .map(str::to_owned)
            .or_else(|| Some(field.to_string()))
    }
}

/// `openapiv3` flattens several maps (paths, responses, schema kinds), and serde loses the
/// error's path inside a flattened map. This walks the document's main containers and
/// deserializes each entry on its own, so the error points at the entry that is wrong, not at
/// `/paths` as a whole.
fn refine(document: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};

    if let Some(paths) = document.get("paths").and_then(serde_json::Value::as_object) {
        for (path, item) in paths.iter().filter(|(k, _)| k.starts_with('/')) {
            let at = format!("/paths/{}", escape_token(path));
            let Some(item_error) = check::<ReferenceOr<PathItem>>(item, &at) else {
                continue;
            };
            let Some(item) = item.as_object() else {
                return Some(item_error);
            };
            for (method, op) in item {
                let at = format!("{at}/{}", escape_token(method));
                match method.as_str() {
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {}
                    "parameters" => {
                        if let Some(found) = each::<ReferenceOr<Parameter>>(op, &at) {
                            return Some(found);
                        }
                        continue;
                    }
                    _ => continue,
                }
                if check::<Operation>(op, &at).is_none() {
                    continue;
                }
                let inner = [
                    ("parameters", each::<ReferenceOr<Parameter>> as Checker),
                    ("requestBody", check::<ReferenceOr<RequestBody>>),
                    ("responses", entries::<ReferenceOr<Response>>),
                ];
                for (key, checker) in inner {
                    if let Some(value) = op.get(key) {
                        if let Some(found) = checker(value, &format!("{at}/{key}")) {
                            return Some(found);
                        }
                    }
                }
                return check::<Operation>(op, &at);
            }
            return Some(item_error);
        }
    }
    if let Some(components) = document.get("components") {
        let sections = [
            ("schemas", entries::<ReferenceOr<Schema>> as Checker),
            ("responses", entries::<ReferenceOr<Response>>),
            ("parameters", entries::<ReferenceOr<Parameter>>),
            ("requestBodies", entries::<ReferenceOr<RequestBody>>),
            (
                "securitySchemes",
                entries::<ReferenceOr<openapiv3::SecurityScheme>>,
            ),
        ];
        for (section, checker) in sections {
            if let Some(value) = components.get(section) {
                if let Some(found) = checker(value, &format!("/components/{section}")) {
                    return Some(found);
                }
            }
        }
    }
    None
}

type Checker = fn(&serde_json::Value, &str) -> Option<(String, String)>;

/// The pointer and message of the first error deserializing `value` as `T`.
fn check<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| {
            (
                format!("{at}{}", to_pointer(e.path())),
                e.into_inner().to_string(),
            )
        })
}

/// Checks every item of an array.
fn each<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
) -> Option<(String, String)> {
    match value.as_array() {
        Some(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| check::<T>(item, &format!("{at}/{i}"))),
        None => check::<Vec<T>>(value, at),
    }
}

/// Checks every value of a map (skipping `x-` extensions).
fn entries<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
) -> Option<(String, String)> {
    match value.as_object() {
        Some(map) => map
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
            .find_map(|(k, v)| check::<T>(v, &format!("{at}/{}", escape_token(k)))),
        None => Some((at.to_owned(), "expected a map".to_owned())),
    }
}

/// The JSON pointer of a `serde_path_to_error` path.
pub(crate) fn json_pointer(path: &serde_path_to_error::Path) -> String {
    to_pointer(path)
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_pointer_of_a_bad_node() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/b:\n    get:\n      responses: 7\n";
        let error = parse(text, Syntax::Yaml).unwrap_err();
        assert_eq!(error.pointer, "/paths/~1a~1b/get/responses");
    }

    #[test]
    fn names_unsupported_versions() {
        let error = parse("{\"openapi\": \"3.3.0\"}", Syntax::Json).unwrap_err();
        assert_eq!(error.pointer, "/openapi");
        assert!(error.message.contains("3.3.0"), "{}", error.message);
        let error = parse("swagger: '2.0'\n", Syntax::Yaml).unwrap_err();
        assert!(error.message.contains("2.0"), "{}", error.message);
    }

    #[test]
    fn references_into_operations_are_hoisted_into_components() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"responses": {"200": {"description": "d", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}}}}},
            "/b": {"get": {"responses": {"200": {"description": "d", "content": {"application/json": {
                "schema": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}}}}}}}
        }}"##;
        let document = parse(text, Syntax::Json).unwrap();
        let schemas = &document.components.unwrap().schemas;
        let name = "paths /a get responses 200 content application/json schema";
        assert!(
            schemas.contains_key(name),
            "{:?}",
            schemas.keys().collect::<Vec<_>>()
        );
        let json = serde_json::to_string(&document.paths).unwrap();
        assert!(!json.contains("#/paths/"), "{json}");
        assert_eq!(
            json.matches("#/components/schemas/paths ~1a get").count(),
            2,
            "{json}"
        );
    }

    #[test]
    fn only_deep_references_take_the_generic_path() {
        assert!(!has_deep_ref(
            r##"{"$ref": "#/components/responses/NotFound"}"##
        ));
        assert!(!has_deep_ref("$ref: '#/components/schemas/Pet'"));
        assert!(has_deep_ref(
            r##"{"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}"##
        ));
        assert!(has_deep_ref(
            "$ref: '#/components/schemas/Pet/properties/tag'"
        ));
        assert!(has_deep_ref("$ref: #/paths/~1a/get/parameters/0/schema\n"));
        assert!(has_deep_ref("$ref: '#/paths/~1a/get/parameters/0'"));
        assert!(!has_deep_ref("$ref: '#/components/parameters/Limit'"));
    }

    #[test]
    fn deep_references_move_to_their_components_section() {
        let cases = [
            ("#/paths/~1a/get/parameters/0", Some("parameters")),
            ("#/paths/~1a/get/responses/404", Some("responses")),
            ("#/paths/~1a/post/requestBody", Some("requestBodies")),
            (
                "#/paths/~1a/get/responses/200/headers/X-Rate",
                Some("headers"),
            ),
            (
                "#/components/schemas/Pet/properties/parameters",
                Some("schemas"),
            ),
            ("#/components/responses/NotFound", None),
            ("#/components/requestBodies/Pet", None),
            ("#/paths/~1a/get", None),
        ];
        for (reference, section) in cases {
            assert_eq!(deep_ref_section(reference), section, "{reference}");
        }
    }

    #[test]
    fn detects_syntax() {
        assert_eq!(Syntax::detect("a.JSON", "openapi: x"), Syntax::Json);
        assert_eq!(Syntax::detect("spec", "  {\"openapi\": 1}"), Syntax::Json);
        assert_eq!(Syntax::detect("spec.yml", "{}"), Syntax::Yaml);
    }
}
