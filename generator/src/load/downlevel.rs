//! Reading OpenAPI 3.1 and 3.2: a pass over the document's JSON tree that rewrites it into
//! the 3.0 shape `openapiv3` reads, so that the three versions meet in one model.
//!
//! Why a tree pass rather than a model of our own: lowering, its diagnostics and every test
//! of it are written against `openapiv3`'s 3.0 structures, and almost everything 3.1 and 3.2
//! changed is spelling (`type: [string, "null"]` for `nullable`, `const` for a one-value
//! `enum`, numeric `exclusiveMinimum`) that has an exact 3.0 form. A second model would
//! double lowering for those; the pass costs one walk of the tree. What has no 3.0 form is
//! rewritten to a looser schema whose description says what was loosened, never dropped in
//! silence; what a client cannot honour yet is refused with its pointer.
//!
//! Pointers stay the original document's: where the pass moves or wraps a node, it records
//! the move, and [`PointerMap::original`] turns a pointer into the rewritten tree back into
//! one into the text the user wrote.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, escape_token, pointer};
use crate::load::METHODS;

/// The dialects a 3.1 or 3.2 document may declare that mean what this pass assumes.
const DEFAULT_DIALECTS: &[&str] = &[
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.1/dialect/2024-11-10",
    "https://spec.openapis.org/oas/3.2/dialect/base",
    "https://spec.openapis.org/oas/3.2/dialect/2025-09-17",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Where the pass moved nodes: pointers into the rewritten tree, back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointerMap {
    /// `(rewritten prefix, original prefix)`, longest rewritten prefix first when read.
    moves: Vec<(String, String)>,
}

impl PointerMap {
    fn record(&mut self, rewritten: String, original: String) {
        if rewritten != original {
            self.moves.push((rewritten, original));
        }
    }

    /// `at`, a pointer into the rewritten document, as a pointer into the original one.
    #[must_use]
    pub fn original(&self, at: &str) -> String {
        let mut at = at.to_owned();
        // A node can move twice (a `$defs` entry hoisted, then a `$ref` in it wrapped): undo
        // the moves last first.
        for (rewritten, original) in self.moves.iter().rev() {
            let inside = at
                .strip_prefix(rewritten.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with('/'));
            if let Some(rest) = inside {
                at = format!("{original}{rest}");
            }
        }
        at
    }
}

/// Rewrites `document` (3.1 or 3.2) into the 3.0 shape, or returns every construct it
/// cannot carry over, with its pointer.
pub fn downlevel(document: &mut Value) -> Result<PointerMap, Vec<Diagnostic>> {
    let mut pass = Pass {
        map: PointerMap::default(),
        diagnostics: Vec::new(),
        defs: Vec::new(),
        schemas: Map::new(),
    };
    pass.document(document);
    if pass.diagnostics.is_empty() {
        Ok(pass.map)
    } else {
        Err(pass.diagnostics)
    }
}

struct Pass {
    map: PointerMap,
    diagnostics: Vec<Diagnostic>,
    /// `$defs` entries taken out of schemas: (the schema's pointer, keyword, name, schema).
    defs: Vec<(String, &'static str, String, Value)>,
    /// The component schemas as written, for what the pass reads through a reference (the
    /// item schema of an event stream).
    schemas: Map<String, Value>,
}

impl Pass {
    fn refuse(&mut self, at: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(at, message));
    }

    fn document(&mut self, document: &mut Value) {
        let Some(root) = document.as_object_mut() else {
            return;
        };
        root.insert("openapi".to_owned(), json!("3.0.3"));
        if let Some(Value::Object(schemas)) = root.get("components").and_then(|c| c.get("schemas"))
        {
            self.schemas = schemas.clone();
        }
        if let Some(dialect) = root.remove("jsonSchemaDialect") {
            let known = dialect
                .as_str()
                .is_some_and(|d| DEFAULT_DIALECTS.contains(&d.trim_end_matches('#')));
            if !known {
                self.refuse(
                    "/jsonSchemaDialect",
                    format!(
                        "the schema dialect {dialect} is not supported; only the OpenAPI \
                         default (JSON Schema 2020-12 with the OpenAPI vocabulary) is"
                    ),
                );
            }
        }
        let base = root
            .remove("$self")
            .and_then(|v| v.as_str().map(str::to_owned));
        if let Some(Value::Object(info)) = root.get_mut("info") {
            // 3.1: a short summary beside the description; the crate's docs carry both.
            if let Some(Value::String(summary)) = info.remove("summary") {
                let description = match info.get("description").and_then(Value::as_str) {
                    Some(rest) => format!("{summary}\n\n{rest}"),
                    None => summary,
                };
                info.insert("description".to_owned(), json!(description));
            }
            if let Some(Value::Object(license)) = info.get_mut("license") {
                // 3.1: an SPDX identifier instead of a URL; it is what the crate's `license`
                // field wants.
                if let Some(identifier) = license.remove("identifier") {
                    license.insert("name".to_owned(), identifier);
                }
            }
        }
        let path_items = match root.get_mut("components").and_then(Value::as_object_mut) {
            Some(components) => components.remove("pathItems"),
            None => None,
        };
        let path_items = match path_items {
            Some(Value::Object(items)) => items,
            _ => Map::new(),
        };
        Self::mutual_tls(root);
        if !root.contains_key("paths") {
            // 3.1 documents may describe only webhooks.
            root.insert("paths".to_owned(), json!({}));
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                let at = pointer("/paths", &[path]);
                self.path_item(item, &at, &path_items);
            }
        }
        if let Some(webhooks) = root.remove("webhooks") {
            let mut webhooks = match webhooks {
                Value::Object(webhooks) => webhooks,
                _ => {
                    self.refuse("/webhooks", "`webhooks` must be a map of path items");
                    Map::new()
                }
            };
            for (name, item) in &mut webhooks {
                self.path_item(item, &pointer("/webhooks", &[name]), &path_items);
            }
            // Lowering reads webhooks where 3.0 documents keep them by convention (Redoc's
            // `x-webhooks`), beside any written there.
            let slot = root
                .entry("x-webhooks".to_owned())
                .or_insert_with(|| json!({}));
            if let Value::Object(existing) = slot {
                for (name, item) in webhooks {
                    self.map.record(
                        pointer("/x-webhooks", &[&name]),
                        pointer("/webhooks", &[&name]),
                    );
                    existing.insert(name, item);
                }
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            for (section, entries) in components.iter_mut() {
                let Value::Object(entries) = entries else {
                    continue;
                };
                for (name, entry) in entries.iter_mut() {
                    let at = pointer("/components", &[section, name]);
                    match section.as_str() {
                        "schemas" => self.schema(entry, &at),
                        "callbacks" => self.callback(entry, &at, &path_items),
                        "securitySchemes" => Self::security_scheme(entry),
                        s if s.starts_with("x-") => {}
                        _ => self.node(entry, &at, &path_items),
                    }
                }
            }
        }
        self.hoist_defs(document);
        if let Some(base) = base {
            rebase_refs(document, &base);
        }
    }

    /// A path item (under `paths`, `webhooks` or a callback), following a reference to
    /// `components.pathItems`: 3.0 has no such section, so its item is copied in place.
    ///
    /// 3.2's `query` and `additionalOperations` have no 3.0 field: under `paths`, they move to
    /// [`EXTRA_OPERATIONS`](crate::load::EXTRA_OPERATIONS), keyed by the method as sent, where
    /// lowering reads them beside the fixed fields (in a webhook or callback, as deliveries).
    fn path_item(&mut self, item: &mut Value, at: &str, path_items: &Map<String, Value>) {
        let target = item
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/pathItems/"))
            .map(crate::diagnostics::unescape_token);
        if let Some(name) = target {
            let Some(found) = path_items.get(&name) else {
                self.refuse(
                    &pointer(at, &["$ref"]),
                    format!("the path item `{name}` is not in components.pathItems"),
                );
                return;
            };
            let mut found = found.clone();
            // Siblings of the reference (a summary, a description) override the target's.
            if let (Value::Object(found), Value::Object(own)) = (&mut found, &*item) {
                for (key, value) in own {
                    if key != "$ref" {
                        found.insert(key.clone(), value.clone());
                    }
                }
            }
            *item = found;
            self.map
                .record(at.to_owned(), pointer("/components/pathItems", &[&name]));
            // A reference between items of `pathItems` is followed once more, not forever.
            if item.get("$ref").is_some() {
                self.refuse(
                    at,
                    "a path item that refers to another path item is not supported",
                );
                return;
            }
        }
        let Some(object) = item.as_object_mut() else {
            return;
        };
        for (key, value) in object.iter_mut() {
            let here = pointer(at, &[key]);
            if METHODS.contains(&key.as_str())
                || ["parameters", "servers", "query"].contains(&key.as_str())
            {
                self.node(value, &here, path_items);
            } else if key == "additionalOperations" {
                if let Value::Object(extra) = value {
                    for (method, operation) in extra.iter_mut() {
                        self.node(operation, &pointer(&here, &[method]), path_items);
                    }
                }
            }
        }
        let mut extra = Map::new();
        if let Some(query) = object.remove("query") {
            self.map.record(
                pointer(at, &[crate::load::EXTRA_OPERATIONS, "QUERY"]),
                pointer(at, &["query"]),
            );
            extra.insert("QUERY".to_owned(), query);
        }
        match object.remove("additionalOperations") {
            Some(Value::Object(additional)) => {
                for (method, operation) in additional {
                    self.map.record(
                        pointer(at, &[crate::load::EXTRA_OPERATIONS, &method]),
                        pointer(at, &["additionalOperations", &method]),
                    );
                    // Lowering checks the token: a bad one costs its operation alone.
                    extra.insert(method, operation);
                }
            }
            Some(_) => self.refuse(
                &pointer(at, &["additionalOperations"]),
                "`additionalOperations` must be a map of methods to operations",
            ),
            None => {}
        }
        if extra.is_empty() {
            return;
        }
        // Under `paths` each is an operation; in a webhook or callback, a delivery.
        object.insert(
            crate::load::EXTRA_OPERATIONS.to_owned(),
            Value::Object(extra),
        );
    }

    fn callback(&mut self, callback: &mut Value, at: &str, path_items: &Map<String, Value>) {
        if let Value::Object(expressions) = callback {
            for (expression, item) in expressions.iter_mut() {
                if expression.starts_with("x-") {
                    continue;
                }
                self.path_item(item, &pointer(at, &[expression]), path_items);
            }
        }
    }

    /// Any node of the document outside schemas: operations, parameters, bodies, responses,
    /// headers, media types. Schemas are found by their keys.
    fn node(&mut self, value: &mut Value, at: &str, path_items: &Map<String, Value>) {
        match value {
            Value::Object(object) => {
                if object.get("in").and_then(Value::as_str) == Some("querystring") {
                    self.querystring(object, at);
                }
                for (key, child) in object.iter_mut() {
                    let here = pointer(at, &[key]);
                    match key.as_str() {
                        "schema" | "itemSchema" => self.schema(child, &here),
                        "callbacks" => {
                            if let Value::Object(callbacks) = child {
                                for (name, callback) in callbacks.iter_mut() {
                                    self.callback(callback, &pointer(&here, &[name]), path_items);
                                }
                            }
                        }
                        "responses" => {
                            // 3.2 makes a response's description optional; 3.0 requires it.
                            if let Value::Object(responses) = child {
                                for response in responses.values_mut() {
                                    if let Value::Object(response) = response {
                                        if !response.contains_key("$ref")
                                            && !response.contains_key("description")
                                        {
                                            response.insert("description".to_owned(), json!(""));
                                        }
                                    }
                                }
                            }
                            self.node(child, &here, path_items);
                        }
                        "content" => {
                            self.item_schemas(child, &here);
                            self.node(child, &here, path_items);
                        }
                        "example" | "examples" => {}
                        k if k.starts_with("x-") => {}
                        _ => self.node(child, &here, path_items),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.node(item, &pointer(at, &[&i.to_string()]), path_items);
                }
            }
            _ => {}
        }
    }

    /// 3.2's `in: querystring`: one value that is the whole query string, described by
    /// `content`. Form-encoded (`application/x-www-form-urlencoded`) and an object, it becomes
    /// an exploded `form` query parameter marked [`QUERYSTRING`](crate::load::QUERYSTRING),
    /// which lowering encodes as a form: each property its own `key=value`, arrays repeated. Any other media type (JSON text as the query string, say) has no 3.0
    /// form; the parameter is marked, and lowering leaves out the operations that use it.
    fn querystring(&mut self, parameter: &mut Map<String, Value>, at: &str) {
        let content = match parameter.remove("content") {
            Some(Value::Object(content)) => content,
            _ => Map::new(),
        };
        parameter.insert("in".to_owned(), json!("query"));
        let mut media_types = content.into_iter();
        let only = match (media_types.next(), media_types.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        };
        let form = only.as_ref().and_then(|(media, media_type)| {
            let essence = media.split(';').next().unwrap_or_default().trim();
            let schema = media_type.get("schema")?;
            let object = schema.get("$ref").is_some()
                || schema.get("type").and_then(Value::as_str) == Some("object")
                || schema.get("properties").is_some();
            (essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") && object)
                .then(|| (media.clone(), schema.clone()))
        });
        let Some((media, schema)) = form else {
            let reason = match &only {
                Some((media, _)) => format!(
                    "`in: querystring` as `{media}` is not supported: only an object sent \
                     form-encoded (`application/x-www-form-urlencoded`) is"
                ),
                None => "an `in: querystring` parameter needs exactly one media type in \
                         `content`"
                    .to_owned(),
            };
            parameter.insert("schema".to_owned(), json!({}));
            parameter.insert(crate::load::UNSUPPORTED.to_owned(), json!(reason));
            self.map
                .record(pointer(at, &["schema"]), pointer(at, &["content"]));
            return;
        };
        parameter.insert("style".to_owned(), json!("form"));
        parameter.insert("explode".to_owned(), json!(true));
        parameter.insert("schema".to_owned(), schema);
        parameter.insert(crate::load::QUERYSTRING.to_owned(), json!(true));
        self.map.record(
            pointer(at, &["schema"]),
            pointer(at, &["content", &media, "schema"]),
        );
    }

    /// 3.2's `itemSchema` of a streamed media type (server-sent events, JSON lines or
    /// sequences) describes each item: it is the `schema` lowering reads for a stream.
    fn item_schemas(&mut self, content: &mut Value, at: &str) {
        let Value::Object(media_types) = content else {
            return;
        };
        for (media, media_type) in media_types.iter_mut() {
            let essence = media.split(';').next().unwrap_or_default().trim();
            let streamed = matches!(
                essence.to_ascii_lowercase().as_str(),
                "text/event-stream"
                    | "application/jsonl"
                    | "application/x-ndjson"
                    | "application/x-jsonlines"
                    | "application/json-seq"
            );
            let Value::Object(media_type) = media_type else {
                continue;
            };
            if !streamed {
                continue;
            }
            let Some(item) = media_type.remove("itemSchema") else {
                continue;
            };
            if essence.eq_ignore_ascii_case("text/event-stream") {
                // An event's fields are the stream's own (id, event name, data, retry): what
                // the item schema can type is the data, by `contentSchema` (JSON sent as the
                // data's text) or by a schema that is not a plain string.
                // An item schema given by reference to a component is read there.
                let (item, item_at) = self.component(&item, pointer(at, &[media, "itemSchema"]));
                let schema_at = pointer(at, &[media, "schema"]);
                if let Some((data, data_at)) = event_data(item, &item_at) {
                    media_type.insert("schema".to_owned(), data);
                    media_type.insert(crate::load::EVENT_DATA.to_owned(), json!(true));
                    self.map.record(schema_at, data_at);
                } else if let Some(members) = self.event_members(item, &item_at) {
                    // One kind of event per member (told apart by `event`): the data is the
                    // union of theirs, each tried in turn.
                    let mut union = Vec::new();
                    for (i, (data, data_at)) in members.into_iter().enumerate() {
                        union.push(data);
                        self.map
                            .record(pointer(&schema_at, &["oneOf", &i.to_string()]), data_at);
                    }
                    media_type.insert("schema".to_owned(), json!({"oneOf": union}));
                    media_type.insert(crate::load::EVENT_DATA.to_owned(), json!(true));
                }
                continue;
            }
            media_type.insert("schema".to_owned(), item);
            self.map.record(
                pointer(at, &[media, "schema"]),
                pointer(at, &[media, "itemSchema"]),
            );
        }
    }

    /// `schema` (at `at`), or the component schema it refers to, with its pointer.
    fn component<'v>(&'v self, schema: &'v Value, at: String) -> (&'v Value, String) {
        let named = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(crate::diagnostics::unescape_token)
            .and_then(|name| Some((self.schemas.get(&name)?, name)));
        match named {
            Some((found, name)) => (found, pointer("/components/schemas", &[&name])),
            None => (schema, at),
        }
    }

    /// The data schemas of an event item schema that is a `oneOf` (or `anyOf`) of kinds of
    /// event, each typing its `data`; `None` unless every member does.
    fn event_members(&self, item: &Value, at: &str) -> Option<Vec<(Value, String)>> {
        let (keyword, members) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| Some((k, item.get(k)?.as_array()?)))?;
        let typed: Option<Vec<(Value, String)>> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let (member, member_at) =
                    self.component(member, pointer(at, &[keyword, &i.to_string()]));
                event_data(member, &member_at)
            })
            .collect();
        typed.filter(|typed| !typed.is_empty())
    }

    /// `mutualTLS` (3.1) is a TLS client certificate: nothing an operation sends. The scheme
    /// is left out, and with it its entries in security requirements; the certificate is
    /// configured on the HTTP client (`ClientBuilder::http_client`).
    fn mutual_tls(root: &mut Map<String, Value>) {
        let mut names = Vec::new();
        if let Some(Value::Object(schemes)) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
        {
            for (name, scheme) in schemes.iter() {
                if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                    names.push(name.clone());
                }
            }
            for name in &names {
                schemes.remove(name);
            }
        }
        if !names.is_empty() {
            drop_requirements(root, &names);
        }
    }

    /// 3.2 additions to security schemes that change nothing a client sends are dropped:
    /// `deprecated`, `oauth2MetadataUrl`, the device authorization flow.
    fn security_scheme(scheme: &mut Value) {
        if let Value::Object(scheme) = scheme {
            scheme.remove("deprecated");
            scheme.remove("oauth2MetadataUrl");
            if let Some(Value::Object(flows)) = scheme.get_mut("flows") {
                flows.remove("deviceAuthorization");
            }
        }
    }

    /// One schema, and every schema inside it.
    fn schema(&mut self, schema: &mut Value, at: &str) {
        // 2020-12 allows booleans as schemas: `true` accepts anything, `false` nothing.
        match schema {
            Value::Bool(true) => {
                *schema = json!({});
                return;
            }
            Value::Bool(false) => {
                *schema = json!({"not": {}});
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        let Value::Object(object) = schema else {
            return;
        };
        for keyword in [
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
        ] {
            if let Some(Value::Object(children)) = object.get_mut(keyword) {
                for (name, child) in children.iter_mut() {
                    self.schema(child, &pointer(at, &[keyword, name]));
                }
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf", "prefixItems"] {
            if let Some(Value::Array(children)) = object.get_mut(keyword) {
                for (i, child) in children.iter_mut().enumerate() {
                    self.schema(child, &pointer(at, &[keyword, &i.to_string()]));
                }
            }
        }
        for keyword in [
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems",
        ] {
            if let Some(child) = object.get_mut(keyword) {
                if keyword == "additionalProperties" && child.is_boolean() {
                    continue;
                }
                self.schema(child, &pointer(at, &[keyword]));
            }
        }
        // `definitions` is the name drafts before 2019-09 gave `$defs`; documents still use it.
        for keyword in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = object.remove(keyword) {
                for (name, def) in defs {
                    self.defs.push((at.to_owned(), keyword, name, def));
                }
            }
        }
        for keyword in ["$schema", "$id", "$anchor", "$comment", "$dynamicAnchor"] {
            object.remove(keyword);
        }
        if object.contains_key("$dynamicRef") {
            self.refuse(
                &pointer(at, &["$dynamicRef"]),
                "`$dynamicRef` is not supported",
            );
        }
        self.types(object, at);
        constant(object);
        examples(object);
        exclusive_bound(object, "exclusiveMinimum", "minimum", |a, b| a > b);
        exclusive_bound(object, "exclusiveMaximum", "maximum", |a, b| a < b);
        integer_bounds(object);
        content_encoding(object);
        self.null_members(object, at);
        loosen(object);
        self.ref_siblings(object, at);
    }

    /// `type` as a list: `"null"` among them is `nullable`; several others become an `anyOf`
    /// of one schema per type.
    fn types(&mut self, object: &mut Map<String, Value>, at: &str) {
        let types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            Some(other) => {
                // Not a type name (documents do hold `type: {...}`): the value is read as any
                // JSON, and the documentation says why.
                let note = format!(
                    "The API description's `type` here is not a type name ({}); any JSON value is \
                     accepted.",
                    if other.is_object() {
                        "an object"
                    } else {
                        "not a string"
                    }
                );
                object.remove("type");
                let description = match object.get("description").and_then(Value::as_str) {
                    Some(own) => format!("{own}\n\n{note}"),
                    None => note,
                };
                object.insert("description".to_owned(), json!(description));
                return;
            }
            None => return,
        };
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
        if nullable {
            object.insert("nullable".to_owned(), json!(true));
        }
        match others.as_slice() {
            [] => {
                object.remove("type");
            }
            [only] => {
                object.insert("type".to_owned(), json!(only));
            }
            several => {
                object.remove("type");
                let annotations = ["description", "title", "nullable", "default", "example"];
                let shared: Map<String, Value> = object
                    .iter()
                    .filter(|(k, _)| !annotations.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let members: Vec<Value> = several
                    .iter()
                    .map(|t| {
                        let mut member = shared.clone();
                        member.insert("type".to_owned(), json!(t));
                        Value::Object(member)
                    })
                    .collect();
                object.retain(|k, _| annotations.contains(&k.as_str()));
                if object.contains_key("anyOf") || object.contains_key("oneOf") {
                    self.refuse(
                        &pointer(at, &["type"]),
                        "a list of several types beside `anyOf` or `oneOf` is not supported",
                    );
                    return;
                }
                for i in 0..members.len() {
                    self.map
                        .record(pointer(at, &["anyOf", &i.to_string()]), at.to_owned());
                }
                object.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
    }

    /// `anyOf`/`oneOf` with a `null` member (the 3.1 way to make a reference nullable): the
    /// member goes and the schema is `nullable`.
    fn null_members(&mut self, object: &mut Map<String, Value>, at: &str) {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = object.get_mut(keyword) else {
                continue;
            };
            let is_null = |m: &Value| {
                m.as_object().is_some_and(|m| {
                    m.len() == 1 && m.get("nullable") == Some(&json!(true))
                        || m.get("type") == Some(&json!("null"))
                })
            };
            if !members.iter().any(is_null) {
                continue;
            }
            let mut kept = Vec::new();
            for (i, member) in std::mem::take(members).into_iter().enumerate() {
                if is_null(&member) {
                    continue;
                }
                self.map.record(
                    pointer(at, &[keyword, &kept.len().to_string()]),
                    pointer(at, &[keyword, &i.to_string()]),
                );
                kept.push(member);
            }
            *members = kept;
            if members.is_empty() {
                object.remove(keyword);
            }
            object.insert("nullable".to_owned(), json!(true));
        }
    }

    /// A `$ref` with keywords beside it: 3.0 ignores the siblings, 3.1 applies both. The
    /// reference moves into an `allOf` of its own, so that the description (and any
    /// constraint) beside it is kept.
    fn ref_siblings(&mut self, object: &mut Map<String, Value>, at: &str) {
        if !object.contains_key("$ref") || object.len() == 1 {
            return;
        }
        let Some(reference) = object.remove("$ref") else {
            return;
        };
        let list = object
            .entry("allOf".to_owned())
            .or_insert_with(|| json!([]));
        if let Value::Array(list) = list {
            self.map.record(
                pointer(at, &["allOf", &list.len().to_string(), "$ref"]),
                pointer(at, &["$ref"]),
            );
            list.push(json!({"$ref": reference}));
        }
    }

    /// Moves every `$defs` entry into `components.schemas` (3.0 has no other place for a
    /// named schema), named after itself, or after its parent and itself when that is
    /// taken, and points references to it there.
    fn hoist_defs(&mut self, document: &mut Value) {
        if self.defs.is_empty() {
            return;
        }
        let defs = std::mem::take(&mut self.defs);
        let Some(root) = document.as_object_mut() else {
            return;
        };
        let components = root
            .entry("components".to_owned())
            .or_insert_with(|| json!({}));
        let Some(components) = components.as_object_mut() else {
            return;
        };
        let schemas = components
            .entry("schemas".to_owned())
            .or_insert_with(|| json!({}));
        let Some(schemas) = schemas.as_object_mut() else {
            return;
        };
        let mut renames = Vec::new();
        for (parent, keyword, name, def) in defs {
            let mut chosen = name.clone();
            if schemas.contains_key(&chosen) {
                let parent_name = parent.rsplit('/').next().unwrap_or_default();
                chosen = format!("{parent_name}{name}");
                let mut n = 2;
                while schemas.contains_key(&chosen) {
                    chosen = format!("{parent_name}{name}{n}");
                    n += 1;
                }
            }
            let original = pointer(&parent, &[keyword, &name]);
            self.map
                .record(pointer("/components/schemas", &[&chosen]), original.clone());
            renames.push((
                format!("#{original}"),
                format!("#/components/schemas/{}", escape_token(&chosen)),
            ));
            schemas.insert(chosen, def);
        }
        rewrite_refs(document, &|reference| {
            renames.iter().find_map(|(from, to)| {
                let rest = reference.strip_prefix(from.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
            })
        });
    }
}

/// Removes the named schemes from every security requirement under `object` (the root's
/// `security` and each operation's).
fn drop_requirements(object: &mut Map<String, Value>, names: &[String]) {
    for (key, child) in object.iter_mut() {
        if key == "security" {
            if let Value::Array(requirements) = child {
                for requirement in requirements.iter_mut() {
                    if let Value::Object(requirement) = requirement {
                        requirement.retain(|k, _| !names.contains(k));
                    }
                }
            }
            continue;
        }
        if key.starts_with("x-") || key == "example" || key == "examples" {
            continue;
        }
        match child {
            Value::Object(inner) => drop_requirements(inner, names),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        drop_requirements(inner, names);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `const` is a one-value `enum`.
fn constant(object: &mut Map<String, Value>) {
    if let Some(value) = object.remove("const") {
        if !object.contains_key("enum") {
            if object.get("type").is_none() {
                let kind = match &value {
                    Value::String(_) => Some("string"),
                    Value::Bool(_) => Some("boolean"),
                    Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                    Value::Number(_) => Some("number"),
                    _ => None,
                };
                if let Some(kind) = kind {
                    object.insert("type".to_owned(), json!(kind));
                }
            }
            object.insert("enum".to_owned(), json!([value]));
        }
    }
}

/// A schema's `examples` list: its first item is the 3.0 `example`.
fn examples(object: &mut Map<String, Value>) {
    if let Some(Value::Array(list)) = object.get("examples") {
        let first = list.first().cloned();
        object.remove("examples");
        if let Some(first) = first {
            object.entry("example".to_owned()).or_insert(first);
        }
    }
}

/// A numeric `exclusiveMinimum` (3.1) is 3.0's `minimum` with `exclusiveMinimum: true`;
/// beside an inclusive bound, the tighter of the two holds. `tighter_inclusive(inclusive,
/// exclusive)` says whether the inclusive bound is strictly the tighter one (at the same
/// value, the exclusive one is).
fn exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    tighter_inclusive: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(bound)) = object.get(exclusive).cloned() else {
        return;
    };
    let keep_inclusive = object
        .get(inclusive)
        .and_then(Value::as_f64)
        .zip(bound.as_f64())
        .is_some_and(|(i, e)| tighter_inclusive(i, e));
    if keep_inclusive {
        object.remove(exclusive);
    } else {
        object.insert(inclusive.to_owned(), Value::Number(bound));
        object.insert(exclusive.to_owned(), json!(true));
    }
}

/// Bounds of an integer written as whole floats (`exclusiveMinimum: 0.0`, as pydantic writes
/// them) are integers: `openapiv3` reads an integer schema's bounds as `i64` only.
fn integer_bounds(object: &mut Map<String, Value>) {
    if object.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        if let Some(Value::Number(bound)) = object.get_mut(keyword) {
            let whole = bound
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15 && !bound.is_i64());
            if let Some(whole) = whole {
                #[allow(clippy::cast_possible_truncation)] // Whole and within i64, checked above.
                let integer = whole as i64;
                *bound = integer.into();
            }
        }
    }
}

/// The schema of a server-sent event's data, from a 3.2 `itemSchema` written inline:
/// `properties.data.contentSchema` (with the keyword), or `properties.data` itself when it
/// is more than a string; with its pointer (the item schema being at `at`). `None`: the data
/// is text.
fn event_data(item: &Value, at: &str) -> Option<(Value, String)> {
    let data = item.get("properties")?.get("data")?;
    let data_at = pointer(at, &["properties", "data"]);
    if let Some(schema) = data.get("contentSchema") {
        return Some((schema.clone(), pointer(&data_at, &["contentSchema"])));
    }
    let plain_text = data
        .as_object()
        .is_some_and(|d| d.get("type").is_none_or(|t| t == "string") && !d.contains_key("$ref"));
    (!plain_text).then(|| (data.clone(), data_at))
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a `contentMediaType` that is not text,
/// without an encoding, is raw bytes (`format: binary`).
fn content_encoding(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    if object.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media.as_ref()) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(Value::String(media)))
            if !(media.starts_with("text/")
                || media.ends_with("json")
                || media.contains("+json")) =>
        {
            "binary"
        }
        _ => return,
    };
    object.insert("format".to_owned(), json!(format));
    if object.get("type").is_none() {
        object.insert("type".to_owned(), json!("string"));
    }
}

/// What 2020-12 has and 3.0 cannot say becomes a looser schema, and its description says so.
fn loosen(object: &mut Map<String, Value>) {
    let mut notes: Vec<String> = Vec::new();
    if let Some(Value::Array(tuple)) = object.remove("prefixItems") {
        if !object.contains_key("items") {
            object.insert("items".to_owned(), json!({}));
        }
        object
            .entry("type".to_owned())
            .or_insert_with(|| json!("array"));
        notes.push(format!(
            "The API description gives the first {} items each a schema of its own (`prefixItems`, \
             a tuple); they are read here as any JSON values.",
            tuple.len()
        ));
    }
    if object.contains_key("if") || object.contains_key("then") || object.contains_key("else") {
        object.remove("if");
        object.remove("then");
        object.remove("else");
        notes.push(
            "The API description adds conditions (`if`/`then`/`else`) that this type does not check."
                .to_owned(),
        );
    }
    if let Some(extra) = object.remove("patternProperties") {
        let schemas: Vec<&Value> = extra
            .as_object()
            .map(|m| m.values().collect())
            .unwrap_or_default();
        if !object.contains_key("additionalProperties") {
            let value = match schemas.as_slice() {
                [only] => (*only).clone(),
                _ => json!({}),
            };
            object.insert("additionalProperties".to_owned(), value);
        }
        object
            .entry("type".to_owned())
            .or_insert_with(|| json!("object"));
        let patterns: Vec<String> = extra
            .as_object()
            .map(|m| m.keys().map(|k| format!("`{k}`")).collect())
            .unwrap_or_default();
        notes.push(format!(
            "Properties whose names match {} (`patternProperties`) are read as additional \
             properties; their names are not checked.",
            patterns.join(", ")
        ));
    }
    if object.remove("unevaluatedProperties").is_some() {
        notes.push(
            "The API description limits properties not otherwise described \
             (`unevaluatedProperties`); this type does not check that."
                .to_owned(),
        );
    }
    if object.remove("unevaluatedItems").is_some() {
        notes.push(
            "The API description limits items not otherwise described (`unevaluatedItems`); this \
             type does not check that."
                .to_owned(),
        );
    }
    if let Some(dependent) = object.remove("dependentSchemas") {
        let names: Vec<String> = dependent
            .as_object()
            .map(|m| m.keys().map(|k| format!("`{k}`")).collect())
            .unwrap_or_default();
        notes.push(format!(
            "The API description adds rules when {} is present (`dependentSchemas`); this type does \
             not check them.",
            names.join(", ")
        ));
    }
    if let Some(dependent) = object.remove("dependentRequired") {
        let names: Vec<String> = dependent
            .as_object()
            .map(|m| m.keys().map(|k| format!("`{k}`")).collect())
            .unwrap_or_default();
        notes.push(format!(
            "The API description requires more properties when {} is present \
             (`dependentRequired`); this type does not check that.",
            names.join(", ")
        ));
    }
    for (keyword, what) in [
        ("contains", "an item matching a schema"),
        ("propertyNames", "a rule for property names"),
    ] {
        if object.remove(keyword).is_some() {
            notes.push(format!(
                "The API description requires {what} (`{keyword}`); this type does not check that."
            ));
        }
    }
    object.remove("minContains");
    object.remove("maxContains");
    if notes.is_empty() {
        return;
    }
    let mut description = object
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_default();
    for note in notes {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&note);
    }
    object.insert("description".to_owned(), json!(description));
}

/// Applies `rewrite` to every `$ref` of the document (outside examples and extensions).
fn rewrite_refs(value: &mut Value, rewrite: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                if let Some(new) = rewrite(reference) {
                    *reference = new;
                }
            }
            for (key, child) in object.iter_mut() {
                if key != "example" && key != "examples" {
                    rewrite_refs(child, rewrite);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, rewrite);
            }
        }
        _ => {}
    }
}

/// 3.2's `$self` is the document's own URI, the base of its relative references: a
/// reference that resolves to this document is a local one.
fn rebase_refs(document: &mut Value, base: &str) {
    let base_document = base.split('#').next().unwrap_or_default().to_owned();
    rewrite_refs(document, &|reference| {
        if reference.starts_with('#') {
            return None;
        }
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        (resolve_uri(&base_document, target) == base_document).then(|| format!("#{fragment}"))
    });
}

/// `reference` resolved against `base` (RFC 3986, enough for references between documents:
/// absolute, absolute-path and relative-path forms, with dot segments removed).
fn resolve_uri(base: &str, reference: &str) -> String {
    if reference.is_empty() {
        return base.to_owned();
    }
    if reference.contains("://") {
        return reference.to_owned();
    }
    let (origin, base_path) = match base.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            match base[after..].find('/') {
                Some(slash) => base.split_at(after + slash),
                None => (base, "/"),
            }
        }
        None => ("", base),
    };
    let joined = if reference.starts_with('/') {
        reference.to_owned()
    } else {
        let directory = base_path.rfind('/').map_or("", |i| &base_path[..=i]);
        format!("{directory}{reference}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." => {}
            ".." => {
                if segments.len() > 1 {
                    segments.pop();
                }
            }
            other => segments.push(other),
        }
    }
    format!("{origin}{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(mut schema: Value) -> Value {
        let mut pass = Pass {
            map: PointerMap::default(),
            diagnostics: Vec::new(),
            defs: Vec::new(),
            schemas: Map::new(),
        };
        pass.schema(&mut schema, "/s");
        assert!(pass.diagnostics.is_empty(), "{:?}", pass.diagnostics);
        schema
    }

    #[test]
    fn null_in_a_type_list_is_nullable() {
        assert_eq!(
            one(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            one(json!({"type": ["integer", "string"], "description": "d"})),
            json!({"description": "d", "anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
    }

    #[test]
    fn a_null_member_makes_the_union_nullable() {
        assert_eq!(
            one(json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]})),
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
    }

    #[test]
    fn const_examples_and_bounds() {
        assert_eq!(
            one(json!({"const": "a"})),
            json!({"type": "string", "enum": ["a"]})
        );
        assert_eq!(
            one(json!({"type": "integer", "examples": [3, 4], "exclusiveMinimum": 0})),
            json!({"type": "integer", "example": 3, "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            one(json!({"type": "number", "maximum": 5, "exclusiveMaximum": 9})),
            json!({"type": "number", "maximum": 5})
        );
        assert_eq!(
            one(json!({"type": "integer", "exclusiveMinimum": 0.0, "maximum": 10.0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10})
        );
    }

    #[test]
    fn a_reference_keeps_its_description() {
        assert_eq!(
            one(json!({"$ref": "#/components/schemas/A", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(one(json!({"$ref": "#/x"})), json!({"$ref": "#/x"}));
    }

    #[test]
    fn content_encoding_is_a_format() {
        assert_eq!(
            one(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            one(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            one(json!({"type": "string", "contentMediaType": "text/plain"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn what_3_0_cannot_say_is_loosened_and_documented() {
        let tuple = one(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
        assert_eq!(tuple["items"], json!({}));
        assert!(
            tuple["description"]
                .as_str()
                .unwrap()
                .contains("prefixItems")
        );
        let pattern =
            one(json!({"type": "object", "patternProperties": {"^x": {"type": "integer"}}}));
        assert_eq!(pattern["additionalProperties"], json!({"type": "integer"}));
        assert!(pattern["description"].as_str().unwrap().contains("`^x`"));
        for keyword in ["if", "unevaluatedProperties", "dependentSchemas"] {
            let mut schema = json!({"type": "object", "description": "Own."});
            schema[keyword] = json!({"properties": {"a": {}}});
            let loosened = one(schema);
            assert!(loosened.get(keyword).is_none(), "{loosened}");
            let description = loosened["description"].as_str().unwrap();
            assert!(description.starts_with("Own.\n\n"), "{description}");
        }
    }

    #[test]
    fn pointers_map_back_through_moves() {
        let mut map = PointerMap::default();
        map.record(
            "/components/schemas/B".into(),
            "/components/schemas/A/$defs/B".into(),
        );
        map.record("/x-webhooks/ping".into(), "/webhooks/ping".into());
        assert_eq!(
            map.original("/components/schemas/B/properties/c"),
            "/components/schemas/A/$defs/B/properties/c"
        );
        assert_eq!(
            map.original("/components/schemas/Bc"),
            "/components/schemas/Bc"
        );
        assert_eq!(map.original("/x-webhooks/ping/post"), "/webhooks/ping/post");
    }

    #[test]
    fn relative_references_resolve_against_self() {
        let base = "https://example.com/api/openapi.yaml";
        assert_eq!(resolve_uri(base, "openapi.yaml"), base);
        assert_eq!(resolve_uri(base, "../api/./openapi.yaml"), base);
        assert_eq!(resolve_uri(base, "/api/openapi.yaml"), base);
        assert_eq!(
            resolve_uri(base, "other.yaml"),
            "https://example.com/api/other.yaml"
        );
        let mut document = json!({"a": {"$ref": "openapi.yaml#/components/schemas/A"},
            "b": {"$ref": "other.yaml#/B"}});
        rebase_refs(&mut document, base);
        assert_eq!(document["a"]["$ref"], "#/components/schemas/A");
        assert_eq!(document["b"]["$ref"], "other.yaml#/B");
    }

    #[test]
    fn an_event_item_schema_types_the_data_where_it_can() {
        let item = |data: Value| json!({"type": "object", "properties": {"id": {}, "data": data}});
        let price = json!({"$ref": "#/components/schemas/Price"});
        assert_eq!(
            event_data(
                &item(json!({"type": "string", "contentSchema": price})),
                "/i"
            ),
            Some((price.clone(), "/i/properties/data/contentSchema".to_owned()))
        );
        assert_eq!(
            event_data(&item(price.clone()), "/i"),
            Some((price.clone(), "/i/properties/data".to_owned()))
        );
        // Text is text: the stream's events keep their data as sent.
        assert_eq!(event_data(&item(json!({"type": "string"})), "/i"), None);
        assert_eq!(event_data(&item(json!({})), "/i"), None);
        assert_eq!(event_data(&json!({"type": "object"}), "/i"), None);

        let mut document = json!({
            "openapi": "3.2.0",
            "paths": {"/p": {"get": {"responses": {"200": {"description": "", "content": {
                "text/event-stream": {"itemSchema": item(json!({
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {"type": "object"},
                }))}
            }}}}}},
        });
        let map = downlevel(&mut document).unwrap();
        let media =
            &document["paths"]["/p"]["get"]["responses"]["200"]["content"]["text/event-stream"];
        let by_reference = {
            let mut document = json!({
                "openapi": "3.2.0",
                "components": {"schemas": {"Tick": item(json!({"$ref": "#/components/schemas/Price"}))}},
                "paths": {"/t": {"get": {"responses": {"200": {"description": "", "content": {
                    "text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Tick"}}
                }}}}}},
            });
            downlevel(&mut document).unwrap();
            document["paths"]["/t"]["get"]["responses"]["200"]["content"]["text/event-stream"]["schema"].clone()
        };
        assert_eq!(by_reference, json!({"$ref": "#/components/schemas/Price"}));

        // Kinds of event: the union of their data, or text when one kind's data is text.
        let pass = Pass {
            map: PointerMap::default(),
            diagnostics: Vec::new(),
            defs: Vec::new(),
            schemas: Map::new(),
        };
        let typed = item(json!({"contentSchema": {"type": "object"}}));
        let members = pass.event_members(&json!({"oneOf": [typed.clone(), typed.clone()]}), "/i");
        assert_eq!(
            members.unwrap()[1],
            (
                json!({"type": "object"}),
                "/i/oneOf/1/properties/data/contentSchema".to_owned()
            )
        );
        let text = item(json!({"type": "string"}));
        assert_eq!(
            pass.event_members(&json!({"anyOf": [typed, text]}), "/i"),
            None
        );
        assert_eq!(media["schema"], json!({"type": "object"}));
        assert_eq!(media[crate::load::EVENT_DATA], json!(true));
        assert_eq!(
            map.original("/paths/~1p/get/responses/200/content/text~1event-stream/schema/type"),
            "/paths/~1p/get/responses/200/content/text~1event-stream/itemSchema/properties/data/contentSchema/type"
        );
    }
}
