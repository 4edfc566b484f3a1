//! Which component schemas are sent (requests), which are received (responses), and which
//! would lower differently on the two sides. Computed before lowering, so that lowering can
//! decide once whether a schema becomes one type or two.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};

use super::refs::{SchemaRef, component_name, resolve};

#[derive(Debug, Default)]
pub(crate) struct Usage {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
    /// Schemas that lower differently per direction: they contain (themselves or through
    /// references) `readOnly`/`writeOnly`, an enumeration, checked string rules or numeric
    /// bounds.
    sensitive: BTreeSet<String>,
}

impl Usage {
    /// `extra`: each path's OpenAPI 3.2 operations beyond the fixed fields (see
    /// [`extra_operations`](super::http::extra_operations)).
    pub(crate) fn compute(
        doc: &OpenAPI,
        extra: &BTreeMap<&String, Vec<super::http::ExtraOperation>>,
    ) -> Self {
        let mut graph: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
        if let Some(components) = &doc.components {
            for (name, schema) in &components.schemas {
                let mut refs = Vec::new();
                let mut sensitive = false;
                walk(SchemaRef::from(schema), &mut refs, &mut sensitive);
                graph.insert(name.clone(), (refs, sensitive));
            }
        }

        let mut request_roots = Vec::new();
        let mut response_roots = Vec::new();
        let mut ignored = false;
        for (path, item) in &doc.paths.paths {
            let Ok((item, _)) = super::refs::path_item(doc, item, "") else {
                continue;
            };
            for param in &item.parameters {
                param_refs(doc, param, &mut request_roots);
            }
            let extra = extra
                .get(path)
                .into_iter()
                .flatten()
                .filter_map(|e| e.operation.as_ref().ok());
            for op in item.iter().map(|(_, op)| op).chain(extra) {
                for param in &op.parameters {
                    param_refs(doc, param, &mut request_roots);
                }
                if let Some(body) = &op.request_body {
                    if let Ok((body, _)) =
                        resolve(doc, body, "", "requestBodies", |c| &c.request_bodies)
                    {
                        for media in body.content.values() {
                            if let Some(schema) = &media.schema {
                                walk(schema.into(), &mut request_roots, &mut ignored);
                            }
                        }
                    }
                }
                for response in op.responses.responses.values().chain(&op.responses.default) {
                    if let Ok((response, _)) =
                        resolve(doc, response, "", "responses", |c| &c.responses)
                    {
                        for media in response.content.values() {
                            if let Some(schema) = &media.schema {
                                walk(schema.into(), &mut response_roots, &mut ignored);
                            }
                        }
                    }
                }
            }
        }

        let request = closure(&graph, request_roots);
        let response = closure(&graph, response_roots);
        let sensitive = sensitive(&graph);
        Self {
            request,
            response,
            sensitive,
        }
    }

    /// Whether `name` needs a separate request type (it is used on both sides and lowers
    /// differently on each).
    pub(crate) fn splits(&self, name: &str) -> bool {
        self.request.contains(name) && self.response.contains(name) && self.sensitive.contains(name)
    }

    pub(crate) fn in_requests(&self, name: &str) -> bool {
        self.request.contains(name)
    }

    pub(crate) fn in_responses(&self, name: &str) -> bool {
        self.response.contains(name)
    }
}

fn param_refs(doc: &OpenAPI, param: &ReferenceOr<openapiv3::Parameter>, out: &mut Vec<String>) {
    let mut ignored = false;
    if let Ok((param, _)) = resolve(doc, param, "", "parameters", |c| &c.parameters) {
        match &param.parameter_data_ref().format {
            ParameterSchemaOrContent::Schema(schema) => walk(schema.into(), out, &mut ignored),
            ParameterSchemaOrContent::Content(content) => {
                for schema in content.values().filter_map(|media| media.schema.as_ref()) {
                    walk(schema.into(), out, &mut ignored);
                }
            }
        }
    }
}

/// Every schema name reachable from `roots`.
fn closure(graph: &BTreeMap<String, (Vec<String>, bool)>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if seen.insert(name.clone()) {
            if let Some((refs, _)) = graph.get(&name) {
                stack.extend(refs.iter().cloned());
            }
        }
    }
    seen
}

/// The schemas that are direction-sensitive themselves or reach one that is: found by
/// walking the references backwards from each schema sensitive in itself.
fn sensitive(graph: &BTreeMap<String, (Vec<String>, bool)>) -> BTreeSet<String> {
    let mut referrers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, (refs, _)) in graph {
        for target in refs {
            referrers.entry(target).or_default().push(name);
        }
    }
    let mut found = BTreeSet::new();
    let mut stack: Vec<&str> = graph
        .iter()
        .filter(|(_, (_, sensitive))| *sensitive)
        .map(|(name, _)| name.as_str())
        .collect();
    while let Some(name) = stack.pop() {
        if found.insert(name.to_owned()) {
            stack.extend(referrers.get(name).into_iter().flatten());
        }
    }
    found
}

/// Collects the component schemas `schema` references directly (including from nested inline
/// schemas), and whether it is direction-sensitive in itself.
fn walk(schema: SchemaRef<'_>, refs: &mut Vec<String>, sensitive: &mut bool) {
    let schema: &Schema = match schema {
        SchemaRef::Ref(reference) => {
            refs.extend(component_name(reference, "schemas"));
            return;
        }
        SchemaRef::Inline(schema) => schema,
    };
    let data = &schema.schema_data;
    if data.read_only || data.write_only {
        *sensitive = true;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            let uri =
                matches!(&s.format, openapiv3::VariantOrUnknownOrEmpty::Unknown(f) if f == "uri");
            // Each of these makes a request-side newtype or enum, not a plain `String`.
            if !s.enumeration.is_empty()
                || s.min_length.is_some()
                || s.max_length.is_some()
                || s.pattern.is_some()
                || uri
            {
                *sensitive = true;
            }
        }
        SchemaKind::Type(Type::Object(o)) => {
            for property in o.properties.values() {
                walk(property.into(), refs, sensitive);
            }
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) = &o.additional_properties {
                walk(extra.as_ref().into(), refs, sensitive);
            }
        }
        SchemaKind::Type(Type::Array(a)) => {
            if let Some(items) = &a.items {
                walk(items.into(), refs, sensitive);
            }
        }
        SchemaKind::Type(Type::Integer(i)) => {
            let bounded = i.minimum.is_some() || i.maximum.is_some() || i.multiple_of.is_some();
            if !i.enumeration.is_empty() || bounded {
                *sensitive = true;
            }
        }
        SchemaKind::Type(Type::Number(n)) => {
            if n.minimum.is_some() || n.maximum.is_some() {
                *sensitive = true;
            }
        }
        SchemaKind::Type(Type::Boolean(_)) => {}
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            for item in list {
                walk(item.into(), refs, sensitive);
            }
        }
        SchemaKind::Not { not } => walk(not.as_ref().into(), refs, sensitive),
        SchemaKind::Any(any) => {
            if !any.enumeration.is_empty()
                || any.min_length.is_some()
                || any.max_length.is_some()
                || any.format.as_deref() == Some("uri")
            {
                *sensitive = true;
            }
            for property in any.properties.values() {
                walk(property.into(), refs, sensitive);
            }
            if let Some(items) = &any.items {
                walk(items.into(), refs, sensitive);
            }
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) = &any.additional_properties
            {
                walk(extra.as_ref().into(), refs, sensitive);
            }
            for item in any.one_of.iter().chain(&any.all_of).chain(&any.any_of) {
                walk(item.into(), refs, sensitive);
            }
            if let Some(not) = &any.not {
                walk(not.as_ref().into(), refs, sensitive);
            }
        }
    }
}

/// How many inline schemas (not component schemas themselves) carry each `title`: a title that
/// one schema alone has names its type better than a name made from where it stands.
pub(crate) fn inline_titles(doc: &OpenAPI) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut seen: BTreeSet<*const Schema> = BTreeSet::new();
    if let Some(components) = &doc.components {
        for schema in components.schemas.values() {
            if let ReferenceOr::Item(schema) = schema {
                // The component's own title does not name it: its key does.
                for child in children(schema) {
                    count_titles(child, &mut counts, &mut seen);
                }
            }
        }
        for body in components.request_bodies.values() {
            if let ReferenceOr::Item(body) = body {
                for media in body.content.values() {
                    count_in(media.schema.as_ref(), &mut counts, &mut seen);
                }
            }
        }
        for response in components.responses.values() {
            if let ReferenceOr::Item(response) = response {
                for media in response.content.values() {
                    count_in(media.schema.as_ref(), &mut counts, &mut seen);
                }
            }
        }
        for param in components.parameters.values() {
            if let ReferenceOr::Item(param) = param {
                param_titles(param, &mut counts, &mut seen);
            }
        }
    }
    for (_, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for param in item.parameters.iter().filter_map(ReferenceOr::as_item) {
            param_titles(param, &mut counts, &mut seen);
        }
        for (_, op) in item.iter() {
            for param in op.parameters.iter().filter_map(ReferenceOr::as_item) {
                param_titles(param, &mut counts, &mut seen);
            }
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                for media in body.content.values() {
                    count_in(media.schema.as_ref(), &mut counts, &mut seen);
                }
            }
            for response in op.responses.responses.values().chain(&op.responses.default) {
                if let ReferenceOr::Item(response) = response {
                    for media in response.content.values() {
                        count_in(media.schema.as_ref(), &mut counts, &mut seen);
                    }
                }
            }
        }
    }
    counts
}

fn param_titles(
    param: &openapiv3::Parameter,
    counts: &mut BTreeMap<String, usize>,
    seen: &mut BTreeSet<*const Schema>,
) {
    match &param.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => count_in(Some(schema), counts, seen),
        ParameterSchemaOrContent::Content(content) => {
            for media in content.values() {
                count_in(media.schema.as_ref(), counts, seen);
            }
        }
    }
}

fn count_in(
    schema: Option<&ReferenceOr<Schema>>,
    counts: &mut BTreeMap<String, usize>,
    seen: &mut BTreeSet<*const Schema>,
) {
    if let Some(schema) = schema {
        count_titles(schema.into(), counts, seen);
    }
}

/// Counts the titles of an inline schema and of the inline schemas inside it, each once.
fn count_titles(
    schema: SchemaRef<'_>,
    counts: &mut BTreeMap<String, usize>,
    seen: &mut BTreeSet<*const Schema>,
) {
    let SchemaRef::Inline(schema) = schema else {
        return;
    };
    if !seen.insert(std::ptr::from_ref(schema)) {
        return;
    }
    if let Some(title) = &schema.schema_data.title {
        *counts.entry(title.clone()).or_default() += 1;
    }
    for child in children(schema) {
        count_titles(child, counts, seen);
    }
}

/// The schemas directly inside `schema`.
fn children(schema: &Schema) -> Vec<SchemaRef<'_>> {
    let mut out: Vec<SchemaRef<'_>> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            out.extend(o.properties.values().map(SchemaRef::from));
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) = &o.additional_properties {
                out.push(extra.as_ref().into());
            }
        }
        SchemaKind::Type(Type::Array(a)) => out.extend(a.items.as_ref().map(SchemaRef::from)),
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => out.extend(list.iter().map(SchemaRef::from)),
        SchemaKind::Not { not } => out.push(not.as_ref().into()),
        SchemaKind::Any(any) => {
            out.extend(any.properties.values().map(SchemaRef::from));
            out.extend(any.items.as_ref().map(SchemaRef::from));
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) = &any.additional_properties
            {
                out.push(extra.as_ref().into());
            }
            out.extend(
                any.one_of
                    .iter()
                    .chain(&any.all_of)
                    .chain(&any.any_of)
                    .map(SchemaRef::from),
            );
            if let Some(not) = &any.not {
                out.push(not.as_ref().into());
            }
        }
        SchemaKind::Type(_) => {}
    }
    out
}
