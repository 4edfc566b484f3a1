//! Lowering: from an `openapiv3` document to the [`model`](crate::model), resolving every
//! reference and choosing every name. Problems are collected, with their JSON pointers, and
//! reported together.

mod refs;
mod schema;
mod usage;

use std::collections::BTreeMap;

use openapiv3::{
    APIKeyLocation, OpenAPI, Operation as SpecOperation, Parameter as SpecParameter,
    ParameterSchemaOrContent, PathItem, ReferenceOr, SecurityRequirement, SecurityScheme,
    StatusCode,
};

use self::refs::resolve;
use self::schema::Ctx;
use self::usage::Usage;
use crate::diagnostics::{Diagnostic, pointer};
use crate::model::{
    Api, Body, BodyMedia, Credential, Docs, ErrorCase, ErrorStatus, FormField, Method, Operation,
    ParamEncoding, ParamLocation, Parameter, PathStyle, Payload, Placement, ResponseCase, TypeDef,
    TypeId, TypeKind, TypeRef,
};
use crate::naming::{self, Scope};

/// Which side of the wire a schema is lowered for.
///
/// Requests are strict (values are checked before sending, enumerations are exact); responses
/// are tolerant (limits are documented, not enforced; unknown enumeration values decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// Which copy of a schema a named type is: schemas that lower differently per direction get
/// one type per direction; enumerations and validated strings are the same on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Flavour {
    Shared,
    Request,
    Response,
}

/// Local names the generated operation methods use; parameters get other names.
const LOCALS: &[&str] = &[
    "body",
    "bytes",
    "content_type",
    "decoded",
    "form",
    "item",
    "parts",
    "path",
    "query",
    "raw",
    "request",
    "response",
    "value",
];

/// Method names the generated `Client` already uses.
const CLIENT_METHODS: &[&str] = &["new", "with_base_url", "with_http_client", "base_url"];

pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    usage: Usage,
    types: Vec<Option<TypeDef>>,
    index: BTreeMap<(String, Flavour), TypeId>,
    type_names: Scope,
    diagnostics: Vec<Diagnostic>,
}

/// Lowers `doc`, or returns every problem found.
pub fn lower(doc: &OpenAPI) -> Result<Api, Vec<Diagnostic>> {
    let mut lowerer = Lowerer {
        doc,
        usage: Usage::compute(doc),
        types: Vec::new(),
        index: BTreeMap::new(),
        type_names: Scope::default(),
        diagnostics: Vec::new(),
    };
    let credentials = lowerer.credentials();
    let mut method_names = Scope::with_reserved(CLIENT_METHODS);
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        let item_pointer = pointer("/paths", &[path]);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                lowerer.unsupported(
                    &item_pointer,
                    "path items given by `$ref` are not supported yet",
                );
                continue;
            }
        };
        for (method, op) in item.iter() {
            let op_pointer = pointer(&item_pointer, &[method]);
            if let Some(op) = lowerer.operation(
                path,
                method,
                item,
                op,
                &op_pointer,
                &credentials,
                &mut method_names,
            ) {
                operations.push(op);
            }
        }
    }
    lowerer.remaining_components();
    let Lowerer {
        types,
        mut diagnostics,
        ..
    } = lowerer;
    // A shared component (a parameter, a response) is reported once, not once per user.
    let mut seen = std::collections::BTreeSet::new();
    diagnostics.retain(|d| seen.insert(d.clone()));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let types: Vec<TypeDef> = types
        .into_iter()
        .map(|t| t.expect("every reserved type is defined before lowering ends"))
        .collect();
    let error_body = most_shared_error(&types, &operations);
    let (credentials, operations) = keep_used_credentials(credentials, operations);
    let default_credentials = default_requirement(&operations);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        default_base_url: default_base_url(doc),
        types,
        credentials,
        default_credentials,
        operations,
        error_body,
    })
}

/// The error type most operations share (ties go to the first seen), leaving out the
/// per-operation enums; JSON when no operation has one.
fn most_shared_error(types: &[TypeDef], operations: &[Operation]) -> TypeRef {
    let mut counts: Vec<(&TypeRef, usize)> = Vec::new();
    for op in operations {
        if op.error.error_enum(types).is_some() {
            continue;
        }
        match counts.iter_mut().find(|(ty, _)| **ty == op.error) {
            Some((_, count)) => *count += 1,
            None => counts.push((&op.error, 1)),
        }
    }
    let mut best: Option<(&TypeRef, usize)> = None;
    for (ty, count) in counts {
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((ty, count));
        }
    }
    best.map_or(TypeRef::Json, |(ty, _)| ty.clone())
}

/// Drops the credentials no operation uses, renumbering the operations' references.
fn keep_used_credentials(
    credentials: Vec<Option<Credential>>,
    mut operations: Vec<Operation>,
) -> (Vec<Credential>, Vec<Operation>) {
    let mut used: Vec<usize> = operations
        .iter()
        .flat_map(|o| o.security.iter().flatten().copied())
        .collect();
    used.sort_unstable();
    used.dedup();
    for op in &mut operations {
        for index in op.security.iter_mut().flatten() {
            *index = used
                .iter()
                .position(|k| k == index)
                .expect("a used credential is kept");
        }
    }
    let kept = credentials
        .into_iter()
        .enumerate()
        .filter(|(i, _)| used.contains(i))
        // Lowering succeeded, so every scheme an operation uses is supported.
        .filter_map(|(_, c)| c)
        .collect();
    (kept, operations)
}

/// The requirement `Client::new` asks for: the first alternative that most secured
/// operations accept (ties go to the one seen first, so the choice is stable).
fn default_requirement(operations: &[Operation]) -> Vec<usize> {
    let mut counts: Vec<(&Vec<usize>, usize)> = Vec::new();
    for op in operations {
        if let Some(first) = op.security.first() {
            match counts.iter_mut().find(|(r, _)| *r == first) {
                Some((_, count)) => *count += 1,
                None => counts.push((first, 1)),
            }
        }
    }
    counts
        .iter()
        .fold(None::<(&Vec<usize>, usize)>, |best, &(r, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((r, n)),
        })
        .map(|(r, _)| r.clone())
        .unwrap_or_default()
}

/// The first server's URL with its variables' defaults, when it is an absolute http(s) URL.
fn default_base_url(doc: &OpenAPI) -> Option<String> {
    let server = doc.servers.first()?;
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    (absolute && !url.contains('{')).then(|| url.trim_end_matches('/').to_owned())
}

impl<'a> Lowerer<'a> {
    /// Every security scheme the client can hold, in `components.securitySchemes` order;
    /// `None` for a scheme it cannot (reported only if an operation needs it).
    fn credentials(&mut self) -> Vec<Option<Credential>> {
        let mut out = Vec::new();
        let Some(components) = &self.doc.components else {
            return out;
        };
        // Builder methods share their namespace with the builder's own settings.
        let mut names = Scope::with_reserved(&[
            "base_url",
            "basic",
            "build",
            "build_transport",
            "connect_timeout",
            "default_header",
            "http_client",
            "max_response_bytes",
            "new",
            "retry_policy",
            "secret",
            "timeout",
            "user_agent",
        ]);
        for (scheme, value) in &components.security_schemes {
            let at = pointer("/components/securitySchemes", &[scheme]);
            let Ok((value, _)) = resolve(self.doc, value, &at, "securitySchemes", |c| {
                &c.security_schemes
            }) else {
                out.push(None);
                continue;
            };
            let (placement, description, sent) = match value {
                SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => match location {
                    APIKeyLocation::Header => (
                        Placement::Header(name.clone()),
                        description,
                        format!("Sent in the `{name}` header."),
                    ),
                    APIKeyLocation::Query => (
                        Placement::Query(name.clone()),
                        description,
                        format!("Sent as the `{name}` query parameter."),
                    ),
                    APIKeyLocation::Cookie => (
                        Placement::Cookie(name.clone()),
                        description,
                        format!("Sent as the `{name}` cookie."),
                    ),
                },
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } if http.eq_ignore_ascii_case("bearer") => (
                    Placement::Bearer,
                    description,
                    "Sent as `Authorization: Bearer <token>`.".to_owned(),
                ),
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } if http.eq_ignore_ascii_case("basic") => (
                    Placement::Basic,
                    description,
                    "Sent as `Authorization: Basic`.".to_owned(),
                ),
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => (
                    Placement::Bearer,
                    description,
                    "An access token you obtain; sent as `Authorization: Bearer <token>`."
                        .to_owned(),
                ),
                SecurityScheme::HTTP { .. } => {
                    out.push(None);
                    continue;
                }
            };
            let mut docs = Docs::default();
            docs.push_or(description.as_deref(), || {
                format!("The `{scheme}` credential.")
            });
            docs.push(sent);
            out.push(Some(Credential {
                scheme: scheme.clone(),
                rust_name: names.claim(naming::value_name(scheme)),
                placement,
                docs,
            }));
        }
        out
    }

    /// Lowers the component schemas no operation reaches, so that every schema the document
    /// names has a type (webhook payloads, for instance, are often described this way).
    fn remaining_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for name in components.schemas.keys() {
            let reference = format!(
                "#/components/schemas/{}",
                crate::diagnostics::escape_token(name)
            );
            let ctx = Ctx {
                pointer: String::new(),
                dir: Direction::Response,
                hint: String::new(),
                built: false,
                allow_datetime: true,
                multipart: false,
                files: false,
            };
            let _ = self.component_type(&reference, &ctx);
        }
    }

    #[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a PathItem,
        op: &'a SpecOperation,
        at: &str,
        credentials: &[Option<Credential>],
        method_names: &mut Scope,
    ) -> Option<Operation> {
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let rust_name = method_names.claim(naming::value_name(&id));
        let type_hint = naming::type_name(&id);
        let errors_before = self.diagnostics.len();

        let mut docs = Docs::default();
        if let Some(summary) = &op.summary {
            docs.push(summary.clone());
        }
        if let Some(description) = &op.description {
            docs.push(description.clone());
        }
        docs.push(format!("`{} {path}`", method.to_ascii_uppercase()));
        if op.deprecated {
            docs.push("Deprecated.");
        }

        let params = self.parameters(item, op, at, &type_hint);
        for name in template_names(path) {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name);
            if !declared {
                self.unsupported(
                    at,
                    &format!("the path names `{{{name}}}` but no path parameter declares it"),
                );
            }
        }
        let body = self.request_body(op, at, &type_hint);
        let (success, accept, error) = self.responses(op, at, &type_hint, &id, &mut docs);
        let security = self.security(op, at, credentials);

        if self.diagnostics.len() > errors_before {
            return None;
        }
        Some(Operation {
            rust_name,
            id,
            method: parse_method(method),
            path: path.to_owned(),
            docs,
            params,
            body,
            success,
            accept,
            error,
            security,
        })
    }

    fn parameters(
        &mut self,
        item: &'a PathItem,
        op: &'a SpecOperation,
        at: &str,
        type_hint: &str,
    ) -> Vec<Parameter> {
        // Operation parameters override path-item ones with the same name and location.
        let mut merged: Vec<(&'a SpecParameter, String)> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    pointer(
                        &at[..at.rfind('/').unwrap_or(0)],
                        &["parameters", &i.to_string()],
                    ),
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, pointer(at, &["parameters", &i.to_string()]))),
            );
        for (param, here) in sources {
            match resolve(self.doc, param, &here, "parameters", |c| &c.parameters) {
                Ok((param, here)) => {
                    let key = (
                        param.parameter_data_ref().name.clone(),
                        location_name(param),
                    );
                    merged.retain(|(p, _)| {
                        (p.parameter_data_ref().name.clone(), location_name(p)) != key
                    });
                    merged.push((param, here));
                }
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }

        let mut names = Scope::with_reserved(LOCALS);
        let mut out = Vec::new();
        for (param, here) in merged {
            let data = param.parameter_data_ref();
            let location = match param {
                SpecParameter::Path { .. } => ParamLocation::Path,
                SpecParameter::Query { .. } => ParamLocation::Query,
                SpecParameter::Header { .. } => ParamLocation::Header,
                SpecParameter::Cookie { .. } => ParamLocation::Cookie,
            };
            // `content_media`: the media type of a parameter described by `content`.
            let (schema, schema_at, content_media) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (schema, pointer(&here, &["schema"]), None)
                }
                ParameterSchemaOrContent::Content(content) => {
                    // JSON text where a JSON media type is given; otherwise (`text/plain`,
                    // `*/*`) the value as it is, which only a scalar can be.
                    let chosen = content
                        .iter()
                        .find(|(media, _)| is_json(media))
                        .or_else(|| content.iter().next())
                        .and_then(|(media, m)| Some((media, m.schema.as_ref()?)));
                    let Some((media, schema)) = chosen else {
                        self.unsupported(&here, "a parameter's `content` must give a schema");
                        continue;
                    };
                    (
                        schema,
                        pointer(&here, &["content", media, "schema"]),
                        Some(media.as_str()),
                    )
                }
            };
            let ctx = Ctx {
                pointer: schema_at,
                dir: Direction::Request,
                hint: format!("{type_hint}{}", naming::type_name(&data.name)),
                built: true,
                allow_datetime: false,
                multipart: false,
                files: false,
            };
            let ty = self.schema_type(schema.into(), &ctx);
            let scalar = |t: &TypeRef, types: &[Option<TypeDef>]| match t {
                TypeRef::String
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::F32
                | TypeRef::F64 => true,
                TypeRef::Named(id) => !matches!(
                    types[id.0].as_ref().map(|t| &t.kind),
                    Some(TypeKind::Struct(_) | TypeKind::Union(_)) | None
                ),
                _ => false,
            };
            let (style, explode) = match param {
                SpecParameter::Query { style, .. } => {
                    let style = match style {
                        openapiv3::QueryStyle::Form => QueryStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::Delimited(' '),
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::Delimited('|'),
                        openapiv3::QueryStyle::DeepObject => QueryStyle::Deep,
                    };
                    // `form` explodes unless told otherwise; the other styles do not.
                    (
                        Some(style),
                        data.explode.unwrap_or(style == QueryStyle::Form),
                    )
                }
                // Paths, headers and cookies: `simple`, not exploded unless told.
                _ => (None, data.explode.unwrap_or(false)),
            };
            let path_style = match param {
                SpecParameter::Path { style, .. } => match style {
                    openapiv3::PathStyle::Simple => PathStyle::Simple,
                    openapiv3::PathStyle::Label => PathStyle::Label,
                    openapiv3::PathStyle::Matrix => PathStyle::Matrix,
                },
                _ => PathStyle::Simple,
            };
            let encoding = match (&ty, style) {
                _ if content_media.is_some_and(is_json) => ParamEncoding::Json,
                (t, _) if content_media.is_some() && !scalar(t, &self.types) => {
                    self.unsupported(
                        &here,
                        "a parameter whose `content` is not JSON must be a scalar",
                    );
                    continue;
                }
                (t, _) if scalar(t, &self.types) => ParamEncoding::Scalar,
                (TypeRef::Vec(inner), Some(style)) if scalar(inner, &self.types) => {
                    let separator = match style {
                        QueryStyle::Delimited(separator) => separator,
                        _ => ',',
                    };
                    ParamEncoding::List { explode, separator }
                }
                (TypeRef::Vec(inner), None) if scalar(inner, &self.types) => ParamEncoding::List {
                    explode,
                    separator: ',',
                },
                (_, Some(style)) => ParamEncoding::Object {
                    deep: style == QueryStyle::Deep,
                    explode,
                },
                // Objects, maps, unions, lists of those: one piece of text.
                (_, None) => ParamEncoding::Text { explode },
            };
            let mut docs = Docs::default();
            docs.push_or(data.description.as_deref(), || {
                format!("The `{}` parameter.", data.name)
            });
            out.push(Parameter {
                wire_name: data.name.clone(),
                rust_name: names.claim(naming::value_name(&data.name)),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs,
                encoding,
                path_style,
            });
        }
        out
    }

    fn request_body(&mut self, op: &'a SpecOperation, at: &str, type_hint: &str) -> Option<Body> {
        let body = op.request_body.as_ref()?;
        let here = pointer(at, &["requestBody"]);
        let (body, here) = match resolve(self.doc, body, &here, "requestBodies", |c| {
            &c.request_bodies
        }) {
            Ok(found) => found,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        let chosen = body
            .content
            .iter()
            .find(|(media, _)| is_json(media))
            .or_else(|| body.content.iter().find(|(media, _)| is_form(media)))
            .or_else(|| body.content.iter().find(|(media, _)| is_multipart(media)))
            .or_else(|| body.content.iter().find(|(media, _)| is_text(media)))
            .or_else(|| body.content.keys().next().map(|m| (m, &body.content[m])));
        let Some((media, content)) = chosen else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.unsupported(
                &pointer(&here, &["content"]),
                &format!(
                    "request bodies of type {} are not supported yet",
                    types.join(", ")
                ),
            );
            return None;
        };
        let ctx = Ctx {
            pointer: pointer(&here, &["content", media, "schema"]),
            dir: Direction::Request,
            hint: format!("{type_hint}Body"),
            built: true,
            allow_datetime: false,
            multipart: false,
            files: false,
        };
        let mut ctx = ctx;
        ctx.multipart = is_multipart(media);
        let (ty, media) = if is_json(media) || is_form(media) || is_multipart(media) {
            let Some(schema) = &content.schema else {
                self.unsupported(
                    &pointer(&here, &["content", media]),
                    "a JSON or form request body needs a schema",
                );
                return None;
            };
            let ty = self.schema_type(schema.into(), &ctx);
            let is_struct = matches!(&ty, TypeRef::Named(id) if matches!(self.types[id.0].as_ref().map(|t| &t.kind), Some(TypeKind::Struct(_))));
            // A free-form or empty object (Stripe's bodies of GET requests) is a form too.
            let is_map = matches!(&ty, TypeRef::Map(_) | TypeRef::Json);
            if is_json(media) {
                (ty, BodyMedia::Json)
            } else if is_form(media) && ty == TypeRef::String {
                // A form body given as one string: the text is sent as it is.
                (TypeRef::String, BodyMedia::Text(media.clone()))
            } else if is_struct && is_multipart(media) {
                // A component struct lowered earlier for another use learns to encode itself
                // as parts too.
                if let TypeRef::Named(id) = &ty {
                    if let Some(TypeDef {
                        kind: TypeKind::Struct(s),
                        ..
                    }) = self.types[id.0].as_mut()
                    {
                        s.multipart = true;
                    }
                }
                (ty, BodyMedia::Multipart)
            } else if is_form(media) && (is_struct || is_map) {
                let fields = form_fields(&content.encoding);
                (ty, BodyMedia::Form(fields))
            } else {
                self.unsupported(
                    &pointer(&here, &["content", media, "schema"]),
                    "a form or multipart request body must be an object",
                );
                return None;
            }
        } else if is_text(media) {
            (TypeRef::String, BodyMedia::Text(media.clone()))
        } else {
            (TypeRef::Bytes, BodyMedia::Bytes(media.clone()))
        };
        let mut docs = Docs::default();
        docs.push_or(body.description.as_deref(), || {
            "The request body.".to_owned()
        });
        Some(Body {
            ty,
            required: body.required,
            docs,
            media,
        })
    }

    /// What a success response carries, its `Accept` header, and what an error response
    /// decodes as, after documenting every response. Problems are reported as diagnostics,
    /// which make the caller drop the operation.
    fn responses(
        &mut self,
        op: &'a SpecOperation,
        at: &str,
        type_hint: &str,
        id: &str,
        docs: &mut Docs,
    ) -> (Payload, String, TypeRef) {
        let mut successes: Vec<(Option<u16>, String, Payload, String)> = Vec::new();
        let mut errors: Vec<(ErrorStatus, String, Payload, String)> = Vec::new();
        let mut accept: Vec<String> = Vec::new();
        let mut lines = Vec::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        // Inline error schemas are named after their status when there are several.
        let error_count = op
            .responses
            .responses
            .keys()
            .filter(|code| !is_success(code))
            .count()
            + usize::from(op.responses.default.is_some());
        for (code, response) in entries {
            let code_text = code.map_or_else(|| "default".to_owned(), status_text);
            let here = pointer(at, &["responses", &code_text]);
            let (response, here) =
                match resolve(self.doc, response, &here, "responses", |c| &c.responses) {
                    Ok(found) => found,
                    Err(diagnostic) => {
                        self.diagnostics.push(diagnostic);
                        continue;
                    }
                };
            let description = response
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(format!("- `{code_text}`: {description}"));
            // A success: `Some(code)`, or `Some(None)` for `2XX`.
            let status = code.filter(|code| is_success(code)).map(|code| match code {
                StatusCode::Code(n) => Some(*n),
                StatusCode::Range(_) => None,
            });
            let Some(status) = status else {
                let error_status = match code {
                    Some(StatusCode::Code(n)) => ErrorStatus::Code(*n),
                    Some(StatusCode::Range(n)) => ErrorStatus::Range(*n),
                    None => ErrorStatus::Default,
                };
                let hint = if error_count > 1 {
                    format!("{type_hint}{}", error_status_name(error_status))
                } else {
                    format!("{type_hint}Error")
                };
                // Error media types are not success media types: `Accept` stays as it is.
                let payload = self.response_payload(response, &here, hint, &mut Vec::new());
                errors.push((error_status, code_text, payload, description));
                continue;
            };
            let hint = match status {
                Some(n) if n != 200 && n != 201 => format!("{type_hint}Response{n}"),
                _ => format!("{type_hint}Response"),
            };
            let payload = self.response_payload(response, &here, hint, &mut accept);
            successes.push((status, code_text, payload, description));
        }
        if !lines.is_empty() {
            docs.push(format!("Responses:\n\n{}", lines.join("\n")));
        }
        let accept = if accept.is_empty() {
            "application/json".to_owned()
        } else {
            accept.join(", ")
        };
        let error = self.error_type(at, type_hint, id, errors);
        let mut distinct: Vec<&Payload> = Vec::new();
        for (_, _, payload, _) in &successes {
            if !distinct.contains(&payload) {
                distinct.push(payload);
            }
        }
        let success = match distinct.as_slice() {
            [] => Payload::Empty,
            [only] => (*only).clone(),
            _ => {
                let mut names = Scope::default();
                let cases = successes
                    .into_iter()
                    .map(|(status, code_text, payload, description)| {
                        let mut docs = Docs::default();
                        docs.push(format!("`{code_text}`: {description}"));
                        ResponseCase {
                            status,
                            rust_name: names.claim(status_name(status)),
                            payload,
                            docs,
                        }
                    })
                    .collect();
                Payload::Several(self.status_enum(
                    at,
                    format!("{type_hint}Response"),
                    format!("The success responses of `{id}`, by status."),
                    TypeKind::Responses(cases),
                ))
            }
        };
        (success, accept, error)
    }

    /// What an operation's error responses decode as: the JSON type they all share (statuses
    /// without a body aside), free-form JSON when none documents a JSON body, else an enum
    /// with a variant per documented status.
    fn error_type(
        &mut self,
        at: &str,
        type_hint: &str,
        id: &str,
        errors: Vec<(ErrorStatus, String, Payload, String)>,
    ) -> TypeRef {
        let mut distinct: Vec<&Payload> = Vec::new();
        for (_, _, payload, _) in &errors {
            if *payload != Payload::Empty && !distinct.contains(&payload) {
                distinct.push(payload);
            }
        }
        match distinct.as_slice() {
            [Payload::Json(shared)] => return shared.clone(),
            [] | [Payload::Text | Payload::Bytes] => return TypeRef::Json,
            _ => {}
        }
        let mut names = Scope::default();
        let mut cases: Vec<ErrorCase> = errors
            .into_iter()
            .map(|(status, code_text, payload, description)| {
                let mut docs = Docs::default();
                docs.push(format!("`{code_text}`: {description}"));
                ErrorCase {
                    status,
                    rust_name: names.claim(error_status_name(status)),
                    payload,
                    docs,
                }
            })
            .collect();
        // The order decoding tries them in: exact statuses, then ranges, then `default`.
        cases.sort_by_key(|case| case.status);
        TypeRef::Named(self.status_enum(
            at,
            format!("{type_hint}Error"),
            format!("The error responses of `{id}`, by status."),
            TypeKind::Errors(cases),
        ))
    }

    /// Defines an operation's enum of responses by status (its success or error responses).
    fn status_enum(&mut self, at: &str, name: String, doc: String, kind: TypeKind) -> TypeId {
        let type_id = TypeId(self.types.len());
        let name = self.type_names.claim(name);
        let mut docs = Docs::default();
        docs.push(doc);
        self.types.push(Some(TypeDef {
            name,
            docs,
            pointer: pointer(at, &["responses"]),
            example: None,
            kind,
        }));
        type_id
    }

    /// The payload of one success response, preferring JSON, then text, then bytes.
    fn response_payload(
        &mut self,
        response: &'a openapiv3::Response,
        here: &str,
        hint: String,
        accept: &mut Vec<String>,
    ) -> Payload {
        let mut note = |media: &str| {
            if !accept.iter().any(|m| m == media) {
                accept.push(media.to_owned());
            }
        };
        if let Some((media, content)) = response.content.iter().find(|(m, _)| is_json(m)) {
            note(media);
            return match &content.schema {
                Some(schema) => {
                    let ctx = Ctx {
                        pointer: pointer(here, &["content", media, "schema"]),
                        dir: Direction::Response,
                        hint,
                        built: false,
                        allow_datetime: false,
                        multipart: false,
                        files: false,
                    };
                    Payload::Json(self.schema_type(schema.into(), &ctx))
                }
                None => Payload::Json(TypeRef::Json),
            };
        }
        if let Some((media, _)) = response.content.iter().find(|(m, _)| is_text(m)) {
            note(media);
            return Payload::Text;
        }
        match response.content.keys().next() {
            Some(media) => {
                note(media);
                Payload::Bytes
            }
            None => Payload::Empty,
        }
    }

    /// The alternative sets of credentials (indexes into `credentials`) that authorize this
    /// operation. Problems are reported as diagnostics.
    fn security(
        &mut self,
        op: &SpecOperation,
        at: &str,
        credentials: &[Option<Credential>],
    ) -> Vec<Vec<usize>> {
        let (requirements, here): (&Vec<SecurityRequirement>, String) =
            match (&op.security, &self.doc.security) {
                (Some(own), _) => (own, pointer(at, &["security"])),
                (None, Some(global)) => (global, "/security".to_owned()),
                (None, None) => return Vec::new(),
            };
        let schemes: Vec<&String> = self
            .doc
            .components
            .as_ref()
            .map(|c| c.security_schemes.keys().collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        for requirement in requirements {
            let mut set = Vec::new();
            for scheme in requirement.keys() {
                match schemes.iter().position(|s| *s == scheme) {
                    Some(index) if credentials.get(index).is_some_and(Option::is_some) => {
                        set.push(index);
                    }
                    Some(_) => self.unsupported(
                        &here,
                        &format!(
                            "security scheme `{scheme}` is not supported (only apiKey, http bearer \
                             and basic, oauth2 and openIdConnect are)"
                        ),
                    ),
                    None => self.unsupported(
                        &here,
                        &format!("security scheme `{scheme}` is not defined in components.securitySchemes"),
                    ),
                }
            }
            out.push(set);
        }
        out
    }
}

fn location_name(param: &SpecParameter) -> &'static str {
    match param {
        SpecParameter::Query { .. } => "query",
        SpecParameter::Header { .. } => "header",
        SpecParameter::Path { .. } => "path",
        SpecParameter::Cookie { .. } => "cookie",
    }
}

/// The properties of a form body whose `encoding` is not the default (`form`, exploded).
/// (`openapiv3` reads an absent `explode` as false; `form` is taken as exploded, as the
/// specification's default has it.)
fn form_fields(encoding: &indexmap::IndexMap<String, openapiv3::Encoding>) -> Vec<FormField> {
    encoding
        .iter()
        .filter_map(|(name, encoding)| {
            let (deep, explode, separator) = match encoding.style {
                None | Some(openapiv3::QueryStyle::Form) => return None,
                Some(openapiv3::QueryStyle::DeepObject) => (true, true, ','),
                Some(openapiv3::QueryStyle::SpaceDelimited) => (false, encoding.explode, ' '),
                Some(openapiv3::QueryStyle::PipeDelimited) => (false, encoding.explode, '|'),
            };
            Some(FormField {
                name: name.clone(),
                deep,
                explode,
                separator,
            })
        })
        .collect()
}

/// Whether a response key is a success: a 2xx code or `2XX`.
fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(n) => (200..300).contains(n),
        StatusCode::Range(n) => *n == 2,
    }
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    names
}

/// A query parameter's `style`, as far as encoding cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryStyle {
    Form,
    Delimited(char),
    Deep,
}

/// The conventional variant name for a success status.
/// The variant name of an error status: its reason phrase where HTTP gives one.
fn error_status_name(status: ErrorStatus) -> String {
    let code = match status {
        ErrorStatus::Code(code) => code,
        ErrorStatus::Range(1) => return "Informational".to_owned(),
        ErrorStatus::Range(3) => return "Redirection".to_owned(),
        ErrorStatus::Range(4) => return "ClientError".to_owned(),
        ErrorStatus::Range(5) => return "ServerError".to_owned(),
        ErrorStatus::Range(n) => return format!("Status{n}xx"),
        ErrorStatus::Default => return "Default".to_owned(),
    };
    let phrase = match code {
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableContent",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    phrase.to_owned()
}

fn status_name(status: Option<u16>) -> String {
    match status {
        Some(200) => "Ok".to_owned(),
        Some(201) => "Created".to_owned(),
        Some(202) => "Accepted".to_owned(),
        Some(203) => "NonAuthoritative".to_owned(),
        Some(204) => "NoContent".to_owned(),
        Some(205) => "ResetContent".to_owned(),
        Some(206) => "PartialContent".to_owned(),
        Some(n) => format!("Status{n}"),
        None => "OtherSuccess".to_owned(),
    }
}

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_text(media: &str) -> bool {
    let essence = essence(media);
    essence.starts_with("text/") || essence.ends_with("/xml") || essence.ends_with("+xml")
}

fn is_form(media: &str) -> bool {
    essence(media) == "application/x-www-form-urlencoded"
}

fn is_multipart(media: &str) -> bool {
    essence(media).starts_with("multipart/")
}

fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}
