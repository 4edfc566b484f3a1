//! Parsing a document (YAML or JSON) into `openapiv3`, with errors located by JSON pointer.
//!
//! A node that does not read as what its place requires costs only that node, where that can
//! be told apart: a schema becomes one the generator reports as untyped, an operation one it
//! leaves out, a component (a parameter, a response...) one that references report as
//! unreadable, and what the client never uses (callbacks, tags) goes. The note each repair
//! leaves is read back by lowering, which reports it with the rest ([`repaired`]).

use indexmap::IndexMap;
use openapiv3::OpenAPI;

use crate::diagnostics::{Diagnostic, escape_token};

/// The extension a schema or an operation that could not be read is replaced with: the
/// pointer and the reason.
const REPAIRED: &str = "x-generator-unreadable";
/// The root extension naming each component removed because it could not be read.
const REMOVED_COMPONENTS: &str = "x-generator-unreadable-components";
/// The path item extension holding OpenAPI 3.2's `query` and `additionalOperations`
/// operations, keyed by the method as sent (`QUERY`, `LINK`): `openapiv3` has fields for the
/// eight 3.0 methods only.
pub const EXTRA_OPERATIONS: &str = "x-generator-operations";
/// The media type extension marking a `text/event-stream` whose `schema` is the type of each
/// event's data (taken from a 3.2 `itemSchema`), not of the stream.
pub const EVENT_DATA: &str = "x-generator-event-data";
/// The extension the 3.1/3.2 pass puts on a node it rewrote into a placeholder because it has
/// no 3.0 form: why. Lowering leaves out the operations using it, with that reason.
pub const UNSUPPORTED: &str = "x-generator-unsupported";
/// The extension the 3.1/3.2 pass puts on a query parameter that was a 3.2 `in: querystring`
/// object sent form-encoded.
pub const QUERYSTRING: &str = "x-generator-querystring";
/// How many nodes one document may lose before it is refused as a whole.
const MAX_REPAIRS: usize = 64;

/// The problem a node stands for, when the loader put it in place of one it could not read.
#[must_use]
pub fn repaired(extensions: &IndexMap<String, serde_json::Value>) -> Option<Diagnostic> {
    note(extensions.get(REPAIRED)?)
}

/// The problem of a component the loader removed because it could not be read (given by its
/// pointer, `/components/parameters/Limit`).
#[must_use]
pub fn removed_component(document: &OpenAPI, at: &str) -> Option<Diagnostic> {
    note(document.extensions.get(REMOVED_COMPONENTS)?.get(at)?)
}

fn note(value: &serde_json::Value) -> Option<Diagnostic> {
    Some(Diagnostic::new(
        value.get("pointer")?.as_str()?,
        value.get("reason")?.as_str()?,
    ))
}

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
    match from_value(value, &version) {
        Ok(document) => Ok(Loaded {
            document,
            version,
            pointers,
        }),
        Err(problem) => Err(vec![Diagnostic::new(
            pointers.original(&problem.pointer),
            problem.message,
        )]),
    }
}

/// Parses `text` as an OpenAPI 3.0 document.
///
/// The typed parse runs first; only when it fails is the document read again, leniently, to
/// tell a 3.1 or 3.2 document (read another way) or a 2.0 one (not read) from a broken 3.0 one,
/// and to set aside the nodes that cannot be read.
fn parse_30(text: &str, syntax: Syntax) -> Result<OpenAPI, Failure> {
    // References outside their `components` section are rare; only documents that have one
    // pay for the generic parse that moves their targets there.
    if has_deep_ref(text, syntax) {
        if let Some(mut value) = generic_value(text, syntax) {
            if value.version().is_some_and(|v| is_later(&v)) {
                return Err(Failure::Later);
            }
            if hoist_deep_refs(&mut value) {
                return Ok(from_value(value, "3.0")?);
            }
        }
    }
    // The plain parse first: tracking the path of every value costs about a quarter of the
    // parse, and only a document that is not even JSON or YAML needs it for its message.
    let typed = match syntax {
        // Not `from_str`, which also refuses text after the document: a 3.0 document was
        // always read this way, and is still.
        Syntax::Json => split_json(text).unwrap_or_else(|| {
            serde::Deserialize::deserialize(&mut serde_json::Deserializer::from_str(text))
                .map_err(drop)
        }),
        Syntax::Yaml => serde_yaml::from_str::<OpenAPI>(text).map_err(drop),
    };
    match typed {
        Ok(document) => {
            check_version(Some(&document.openapi))?;
            Ok(document)
        }
        Err(()) => match generic_value(text, syntax) {
            Some(value) if value.version().is_some_and(|v| is_later(&v)) => Err(Failure::Later),
            Some(value) => Ok(from_value(value, "3.0")?),
            None => {
                let (pointer, message) = typed_error(text, syntax);
                Err(Diagnostic::new(
                    pointer,
                    format!("not a valid OpenAPI 3.0 document: {message}"),
                )
                .into())
            }
        },
    }
}

/// A JSON document read with its `components` on a thread of their own, beside its `paths`
/// (together most of a big document): the same document the plain reading gives, in about
/// half the time on two cores. `Some(Err(()))` where `paths` or `components` does not read:
/// the plain reading, of the same text as the same type, fails there too, and its error is not
/// needed (the reason is found later, with its path). `None` wherever the plain reading is to
/// decide: the rest of the document does not read, a key is written twice or with an escape,
/// the text is not a JSON object.
fn split_json(text: &str) -> Option<Result<OpenAPI, ()>> {
    use serde_json::value::RawValue;
    let mut de = serde_json::Deserializer::from_str(text);
    let top = serde::Deserializer::deserialize_map(&mut de, Entries).ok()?;
    let keys: std::collections::HashSet<&str> = top.iter().map(|(key, _)| *key).collect();
    if keys.len() != top.len() {
        return None;
    }
    let part = |key: &str| top.iter().find(|(k, _)| *k == key).map(|(_, raw)| *raw);
    let (paths, components) = (part("paths")?, part("components"));
    let (paths, components, rest) = std::thread::scope(|scope| {
        let components = scope.spawn(move || {
            components
                .map(|raw| serde_json::from_str::<Option<openapiv3::Components>>(raw.get()))
                .transpose()
        });
        let paths = serde_json::from_str::<openapiv3::Paths>(paths.get());
        // The rest, with an empty `paths` in place of the one read above.
        let empty: &RawValue = serde_json::from_str("{}").ok()?;
        let rest = top
            .iter()
            .filter(|(key, _)| *key != "components")
            .map(|&(key, raw)| (key, if key == "paths" { empty } else { raw }));
        let rest: Result<OpenAPI, serde_json::Error> =
            serde::Deserialize::deserialize(serde::de::value::MapDeserializer::new(rest));
        Some((paths, components.join().ok()?, rest))
    })?;
    let mut document = rest.ok()?;
    let (Ok(paths), Ok(components)) = (paths, components) else {
        return Some(Err(()));
    };
    document.paths = paths;
    document.components = components.flatten();
    Some(Ok(document))
}

/// A JSON object's entries as written, each value unread.
struct Entries;

impl<'de> serde::de::Visitor<'de> for Entries {
    type Value = Vec<(&'de str, &'de serde_json::value::RawValue)>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// Where and why the typed parse of `text` fails, read again with the path tracked.
fn typed_error(text: &str, syntax: Syntax) -> (String, String) {
    let failed = match syntax {
        Syntax::Json => tracked_error(&mut serde_json::Deserializer::from_str(text)),
        Syntax::Yaml => tracked_error(serde_yaml::Deserializer::from_str(text)),
    };
    failed.unwrap_or_else(|| {
        (
            String::new(),
            "it parsed only on a second reading (an internal error)".to_owned(),
        )
    })
}

/// The pointer and message of the error reading an `OpenAPI` from `de` gives, if it fails.
fn tracked_error<'de, D: serde::Deserializer<'de>>(de: D) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, OpenAPI>(de)
        .err()
        .map(|e| (to_pointer(e.path()), e.into_inner().to_string()))
}

/// The document in `value` (in 3.0's shape; `version` names it in messages), with each node
/// that cannot be read set aside (see the module's docs); refused when the problem is in no
/// such node, or in too many.
fn from_value(mut value: serde_json::Value, version: &str) -> Result<OpenAPI, Diagnostic> {
    check_version(value.version().as_deref())?;
    for _ in 0..=MAX_REPAIRS {
        let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
            Ok(document) => {
                check_version(Some(&document.openapi))?;
                return Ok(document);
            }
            Err(error) => error,
        };
        let (pointer, message) = refine(&value)
            .unwrap_or_else(|| (to_pointer(error.path()), error.into_inner().to_string()));
        if !repair(&mut value, &pointer, &message) {
            return Err(Diagnostic::new(
                pointer,
                format!("not a valid OpenAPI {version} document: {message}"),
            ));
        }
    }
    Err(Diagnostic::new(
        "",
        format!(
            "not a valid OpenAPI {version} document: more than {MAX_REPAIRS} of its nodes cannot \
             be read"
        ),
    ))
}

/// The keys of a 3.0 path item that are operations (3.2 adds `query` and
/// `additionalOperations`).
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Sets aside the node that holds the problem at `pointer`; whether one could be.
fn repair(document: &mut serde_json::Value, pointer: &str, message: &str) -> bool {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(crate::diagnostics::unescape_token)
        .collect();
    let escaped: Vec<&str> = pointer.split('/').skip(1).collect();
    let prefix = |n: usize| -> String {
        escaped[..n].iter().fold(String::new(), |mut out, token| {
            out.push('/');
            out.push_str(token);
            out
        })
    };
    let in_operation =
        tokens.len() >= 3 && tokens[0] == "paths" && METHODS.contains(&tokens[2].as_str());
    // Callbacks are never generated (a client does not serve them): they go.
    if in_operation && tokens.get(3).is_some_and(|t| t == "callbacks") {
        return remove(document, &prefix(4));
    }
    if tokens.len() >= 2 && tokens[0] == "components" && tokens[1] == "callbacks" {
        return remove(document, &prefix(tokens.len().min(3)));
    }
    if let Some(at) = enclosing_schema(&escaped) {
        let at = narrow_schema(document, &prefix(at));
        let reason = document
            .pointer(&at)
            .and_then(|node| check::<openapiv3::ReferenceOr<openapiv3::Schema>>(node, &at))
            .map_or_else(|| message.to_owned(), |(_, m)| m);
        let replacement = serde_json::json!({
            REPAIRED: {"pointer": at, "reason": format!("not a valid schema: {reason}")}
        });
        return replace(document, &at, replacement);
    }
    if in_operation {
        let at = prefix(3);
        let replacement = serde_json::json!({
            "responses": {},
            REPAIRED: {"pointer": pointer, "reason": format!("not a valid operation: {message}")}
        });
        return replace(document, &at, replacement);
    }
    if tokens.len() >= 2 && tokens[0] == "paths" {
        // The path item itself (its parameters, say): every operation of it goes.
        let at = prefix(2);
        let mut item = serde_json::Map::new();
        if let Some(serde_json::Value::Object(old)) = document.pointer(&at) {
            for method in METHODS {
                if old.contains_key(*method) {
                    item.insert((*method).to_owned(), serde_json::json!({
                        "responses": {},
                        REPAIRED: {"pointer": pointer, "reason": format!("not a valid path item: {message}")}
                    }));
                }
            }
        }
        return replace(document, &at, serde_json::Value::Object(item));
    }
    if tokens.len() >= 3 && tokens[0] == "components" {
        let at = prefix(3);
        let section = tokens[1].as_str();
        let what = match section {
            "parameters" => "parameter",
            "responses" => "response",
            "requestBodies" => "request body",
            "headers" => "header",
            "securitySchemes" => "security scheme",
            "examples" | "links" => "component",
            _ => return false,
        };
        if !remove(document, &at) {
            return false;
        }
        let note = serde_json::json!({
            "pointer": pointer, "reason": format!("not a valid {what}: {message}")
        });
        if let Some(root) = document.as_object_mut() {
            let removed = root
                .entry(REMOVED_COMPONENTS)
                .or_insert_with(|| serde_json::json!({}));
            if let Some(removed) = removed.as_object_mut() {
                removed.insert(at, note);
            }
        }
        return true;
    }
    // Parts a client never reads.
    if matches!(
        tokens.first().map(String::as_str),
        Some("tags" | "externalDocs")
    ) {
        return remove(document, &prefix(1));
    }
    false
}

/// The number of tokens of the innermost schema that `tokens` (escaped) lie in.
fn enclosing_schema(tokens: &[&str]) -> Option<usize> {
    let mut end = None;
    let mut i = 0;
    if tokens.len() >= 3 && tokens[0] == "components" && tokens[1] == "schemas" {
        end = Some(3);
        i = 3;
    }
    while i < tokens.len() {
        let start = match (end.is_some(), tokens[i]) {
            (true, "properties" | "allOf" | "oneOf" | "anyOf") => Some(i + 2),
            (_, "schema") | (true, "items" | "additionalProperties" | "not") => Some(i + 1),
            _ => None,
        };
        match start {
            Some(next) if next <= tokens.len() => {
                end = Some(next);
                i = next;
            }
            _ => i += 1,
        }
    }
    end
}

/// The innermost schema under `at` that does not read: serde reports a schema's problem at
/// the schema (its kinds are flattened), not at the property inside that has it.
fn narrow_schema(document: &serde_json::Value, at: &str) -> String {
    let mut at = at.to_owned();
    'descend: for _ in 0..64 {
        let Some(serde_json::Value::Object(node)) = document.pointer(&at) else {
            break;
        };
        let mut children = Vec::new();
        for keyword in ["properties"] {
            if let Some(serde_json::Value::Object(map)) = node.get(keyword) {
                children.extend(
                    map.keys()
                        .map(|k| format!("{at}/{keyword}/{}", escape_token(k))),
                );
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(serde_json::Value::Array(items)) = node.get(keyword) {
                children.extend((0..items.len()).map(|i| format!("{at}/{keyword}/{i}")));
            }
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if node.get(keyword).is_some_and(serde_json::Value::is_object) {
                children.push(format!("{at}/{keyword}"));
            }
        }
        for child in children {
            let bad = document.pointer(&child).is_some_and(|v| {
                check::<openapiv3::ReferenceOr<openapiv3::Schema>>(v, &child).is_some()
            });
            if bad {
                at = child;
                continue 'descend;
            }
        }
        break;
    }
    at
}

fn replace(document: &mut serde_json::Value, at: &str, value: serde_json::Value) -> bool {
    match document.pointer_mut(at) {
        Some(slot) if *slot != value => {
            *slot = value;
            true
        }
        _ => false,
    }
}

fn remove(document: &mut serde_json::Value, at: &str) -> bool {
    let Some((parent, key)) = at.rsplit_once('/') else {
        return false;
    };
    let key = crate::diagnostics::unescape_token(key);
    match document.pointer_mut(parent) {
        Some(serde_json::Value::Object(map)) => map.remove(&key).is_some(),
        Some(serde_json::Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
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
        // The fragment is percent-decoded before it is read as a pointer (RFC 6901, 6).
        let Some(decoded) = crate::diagnostics::fragment_pointer(&target) else {
            continue;
        };
        if let Some(value) = document.pointer(&decoded).cloned() {
            let name = decoded[1..]
                .split('/')
                .map(crate::diagnostics::unescape_token)
                .collect::<Vec<_>>()
                .join(" ");
            moved.push(Moved {
                target,
                decoded,
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
        if let Some(slot) = document.pointer_mut(&item.decoded) {
            *slot = serde_json::json!({"$ref": item.new_reference()});
        }
    }
    true
}

/// A referenced value moved into `components`.
struct Moved {
    /// The reference as written (`#/paths/...`).
    target: String,
    /// The JSON pointer it names, percent-decoded.
    decoded: String,
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
/// `#/...` string, so that documents without one (nearly all) skip the generic parse. JSON
/// has one spelling of such a string; YAML two more (single-quoted, and plain).
fn has_deep_ref(text: &str, syntax: Syntax) -> bool {
    // Each spelling: where the reference starts after the match, and what ends it.
    type Spelling = (&'static str, usize, fn(char) -> bool);
    let spellings: &[Spelling] = &[
        ("\"#/", 1, |c| c == '"'),
        ("'#/", 1, |c| c == '\''),
        ("$ref: #/", 6, char::is_whitespace),
    ];
    let used = if syntax == Syntax::Json { 1 } else { 3 };
    spellings[..used].iter().any(|&(pattern, skip, ends)| {
        text.match_indices(pattern).any(|(start, _)| {
            let rest = &text[start + skip..];
            let end = rest.find(ends).unwrap_or(rest.len());
            deep_ref_section(&rest[..end]).is_some()
        })
    })
}

/// The `components` section a reference's target belongs in, when it points somewhere other
/// than `#/components/<section>/<name>`: a schema (by its place: `schema`, `items`,
/// `properties/x`...), a parameter, a response, a request body or a header.
fn deep_ref_section(reference: &str) -> Option<&'static str> {
    // Most references name a component, and are told without decoding.
    if crate::diagnostics::plain_component(reference).is_some() {
        return None;
    }
    let decoded = crate::diagnostics::fragment_pointer(reference)?;
    let path = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() == 3 && segments[0] == "components" {
        // A component itself, whatever its name (a response called `schema` stays one).
        return None;
    }
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
    Some(section)
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
                    (
                        "callbacks",
                        entries::<IndexMap<String, PathItem>> as Checker,
                    ),
                    ("parameters", each::<ReferenceOr<Parameter>>),
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
    use openapiv3::ReferenceOr;

    use super::*;

    #[test]
    fn text_that_is_not_json_is_refused_where_it_breaks() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",}}}}}}"#;
        let refused = parse(text, Syntax::Json).unwrap_err();
        assert_eq!(refused.pointer, "/paths/~1a/get/responses/200");
        assert!(
            refused
                .message
                .starts_with("not a valid OpenAPI 3.0 document: trailing comma"),
            "{}",
            refused.message
        );
    }

    /// The split reading gives the plain reading's document, and leaves to it every document
    /// it cannot read the same way.
    #[test]
    fn the_split_json_reading_gives_the_plain_reading() {
        let plain = |text: &str| -> OpenAPI {
            serde::Deserialize::deserialize(&mut serde_json::Deserializer::from_str(text)).unwrap()
        };
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/truv-webhooks.yaml"
        ))
        .unwrap();
        let truv =
            serde_json::to_string(&serde_yaml::from_str::<serde_json::Value>(&spec).unwrap())
                .unwrap();
        let small = r#"{"x-top": [1], "openapi": "3.0.3", "servers": [{"url": "https://a.test"}],
            "paths": {"/a": {"get": {"responses": {"204": {"description": "none"}}}}},
            "info": {"title": "t", "version": "1"}, "unknown": {"left": "out"},
            "components": {"schemas": {"A": {"type": "string", "maxLength": 3}}}}"#;
        let null_components = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": null} trailing"#;
        for text in [truv.as_str(), small, null_components] {
            assert_eq!(split_json(text), Some(Ok(plain(text))), "{text}");
        }
        assert!(split_json(&truv).unwrap().unwrap().components.is_some());
        // A part that does not read: the plain reading fails too, and is not run again.
        for text in [
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": 1}}"#,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": 1}"#,
        ] {
            assert_eq!(split_json(text), Some(Err(())), "{text}");
            let failed: Result<OpenAPI, _> =
                serde::Deserialize::deserialize(&mut serde_json::Deserializer::from_str(text));
            assert!(failed.is_err(), "{text}");
        }
        // Left to the plain reading, which gives the reason or (for the escape) the document.
        for text in [
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "paths": {}}"#,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "p\u0061ths": {}}"#,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}"#,
            r#"{"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}"#,
            "[1]",
        ] {
            assert_eq!(split_json(text), None, "{text}");
        }
    }

    #[test]
    fn a_yaml_stream_of_two_documents_is_refused_as_such() {
        let two = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n---\nx: 1\n";
        let refused = parse(two, Syntax::Yaml).unwrap_err();
        assert!(
            refused.message.contains("more than one document"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn a_bad_operation_stands_aside_with_the_pointer_of_its_bad_node() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/b:\n    get:\n      responses: 7\n";
        let document = parse(text, Syntax::Yaml).unwrap();
        let ReferenceOr::Item(item) = &document.paths.paths["/a/b"] else {
            panic!("a path item")
        };
        let problem = repaired(&item.get.as_ref().unwrap().extensions).unwrap();
        assert_eq!(problem.pointer, "/paths/~1a~1b/get/responses");
        assert!(
            problem.message.starts_with("not a valid operation"),
            "{problem:?}"
        );
    }

    #[test]
    fn a_bad_schema_stands_aside_alone() {
        // `pattern: 0` is no string: only that property's schema is set aside.
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Pick": {"type": "object", "properties": {
                "timecode": {"type": "string", "pattern": 0}, "other": {"type": "string"}}}}}}"#;
        let document = parse(text, Syntax::Json).unwrap();
        let schemas = &document.components.unwrap().schemas;
        let ReferenceOr::Item(pick) = &schemas["Pick"] else {
            panic!("an inline schema")
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &pick.schema_kind else {
            panic!("still an object: {pick:?}")
        };
        let ReferenceOr::Item(timecode) = &object.properties["timecode"] else {
            panic!("inline")
        };
        let problem = repaired(&timecode.schema_data.extensions).unwrap();
        assert_eq!(
            problem.pointer,
            "/components/schemas/Pick/properties/timecode"
        );
        assert!(
            problem.message.starts_with("not a valid schema"),
            "{problem:?}"
        );
        assert!(object.properties.contains_key("other"));
    }

    #[test]
    fn unreadable_callbacks_go_and_components_are_noted() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"post": {"callbacks": {"hook": {"$ref": "#/components/callbacks/hook"}},
                "responses": {"204": {"description": "d"}}}}},
            "components": {"parameters": {"Bad": {"name": "x", "in": "nowhere"}}}}"##;
        let document = parse(text, Syntax::Json).unwrap();
        let ReferenceOr::Item(item) = &document.paths.paths["/a"] else {
            panic!("a path item")
        };
        assert!(item.post.as_ref().unwrap().callbacks.is_empty());
        let problem = removed_component(&document, "/components/parameters/Bad").unwrap();
        assert!(
            problem.message.starts_with("not a valid parameter"),
            "{problem:?}"
        );
    }

    #[test]
    fn a_document_that_is_not_openapi_is_still_refused() {
        let error = parse("openapi: 3.0.3\ninfo: 7\npaths: {}\n", Syntax::Yaml).unwrap_err();
        assert_eq!(error.pointer, "/info");
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
    fn percent_encoded_references_are_hoisted_by_what_they_name() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true,
                "schema": {"type": "string"}}], "responses": {"204": {"description": "d"}}}},
            "/b/{id}": {"get": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}],
                "responses": {"204": {"description": "d"}}}}
        }}"##;
        let document = parse(text, Syntax::Json).unwrap();
        let parameters = &document.components.unwrap().parameters;
        assert!(
            parameters.contains_key("paths /a/{id} get parameters 0"),
            "{:?}",
            parameters.keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn only_deep_references_take_the_generic_path() {
        let json = |text| has_deep_ref(text, Syntax::Json);
        let yaml = |text| has_deep_ref(text, Syntax::Yaml);
        assert!(!json(r##"{"$ref": "#/components/responses/NotFound"}"##));
        assert!(!yaml("$ref: '#/components/schemas/Pet'"));
        assert!(json(
            r##"{"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}"##
        ));
        assert!(yaml("$ref: '#/components/schemas/Pet/properties/tag'"));
        assert!(yaml("$ref: #/paths/~1a/get/parameters/0/schema\n"));
        assert!(yaml("$ref: '#/paths/~1a/get/parameters/0'"));
        assert!(!yaml("$ref: '#/components/parameters/Limit'"));
        // In JSON a reference is a double-quoted string: YAML's other spellings are text.
        let prose = r#"{"description": "see $ref: #/paths/~1a/get/parameters/0/schema instead"}"#;
        assert!(!json(prose));
        assert!(yaml(prose));
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
            // A component whose name is a keyword is still the component itself.
            ("#/components/responses/schema", None),
            ("#/components/parameters/items", None),
            // A percent-encoded `/` separates segments like a plain one.
            (
                "#/components/schemas/Pet%2Fproperties%2Ftag",
                Some("schemas"),
            ),
            ("#/paths/~1a/get", None),
            ("#/paths/~1a~1%7Bid%7D/get/parameters/0", Some("parameters")),
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
