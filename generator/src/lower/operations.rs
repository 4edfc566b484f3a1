//! Operations: one client method per path and method, with its parameters and request
//! body; the responses are lowered in `responses`, the security in `security`.

use openapiv3::{
    Operation as SpecOperation, Parameter as SpecParameter, ParameterSchemaOrContent, PathItem,
};

use super::http::{is_form, is_json, is_multipart, is_text};
use super::refs::resolve;
use super::schema::Ctx;
use super::{Direction, Lowerer};
use crate::diagnostics::pointer;
use crate::model::{
    Body, BodyMedia, Credential, Docs, FormField, Method, Operation, ParamEncoding, ParamLocation,
    Parameter, PathStyle, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{self, Scope, reserved};

impl<'a> Lowerer<'a> {
    /// One operation, or `None` when some part of it cannot be lowered: its problems are
    /// recorded and lowering goes on, so that one run reports every problem in the document.
    #[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: Method,
        item: &'a PathItem,
        op: &'a SpecOperation,
        at: &str,
        credentials: &[Result<Credential, crate::diagnostics::Diagnostic>],
        method_names: &mut Scope,
    ) -> Option<(Operation, Option<Operation>)> {
        // An operation the loader could not read stands for its problem.
        if let Some(problem) = crate::load::repaired(&op.extensions) {
            self.diagnostics.push(problem);
            return None;
        }
        let id = match &op.operation_id {
            Some(id) if self.operation_ids.insert(id.clone()) => id.clone(),
            // No `operationId`, or one seen before (a path item reached again through `$ref`,
            // or a repeated id): named after its method and path.
            _ => format!("{} {path}", method.as_str().to_ascii_lowercase()),
        };
        // Named first: the operation's own types go in a module named after its method,
        // without its name as a prefix (`create_pet::Body`, not `CreatePetBody`).
        let rust_name = method_names.claim(naming::value_name(&id));
        let marker = self
            .operation_types
            .claim(naming::type_name(rust_name.trim_start_matches("r#")));
        let type_hint = String::new();
        self.current_module = Some(rust_name.clone());
        let errors_before = self.diagnostics.len();

        let mut docs = Docs::default();
        if let Some(summary) = &op.summary {
            docs.push(summary.clone());
        }
        if let Some(description) = &op.description {
            docs.push(description.clone());
        }
        docs.push(format!("`{} {path}`", method.as_str()));
        if op.deprecated {
            docs.push("Deprecated.");
        }

        let params = self.parameters(item, op, at, &type_hint);
        // As the description writes it: what omissions name.
        let spec_path = path;
        let path = &without_query_parameters(path, &params);
        let template = template_names(path);
        for name in &template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == *name);
            if !declared {
                self.unsupported(
                    at,
                    &format!("the path names `{{{name}}}` but no path parameter declares it"),
                );
            }
        }
        // A path parameter the template does not name could never be sent.
        for param in &params {
            if param.location == ParamLocation::Path
                && !template.contains(&param.wire_name.as_str())
            {
                self.unsupported(
                    at,
                    &format!(
                        "path parameter `{}` is declared, but the path `{path}` does not name it",
                        param.wire_name
                    ),
                );
            }
        }
        let body = self.request_body(op, at, &type_hint);
        if body
            .as_ref()
            .is_some_and(|b| b.ty == TypeRef::MultipartForm)
        {
            docs.push(
                "The body is sent as `multipart/form-data`; the description does not say what \
                 its parts are called, so assemble them with \
                 [`MultipartForm`](crate::MultipartForm).",
            );
        }
        let (success, accept, error) = self.responses(op, at, &type_hint, &id, &mut docs);
        let stream = self.stream_alternative(op, at, &type_hint);
        let security = self.security(op, at, credentials);
        if self.diagnostics.len() > errors_before {
            self.current_module = None;
            return None;
        }
        // A pager that cannot be followed costs the pager, not the method.
        let mut pager = self.pager(op, at, &method, &params, &success);
        self.current_module = None;
        if self.diagnostics.len() > errors_before {
            pager = None;
            let problems: Vec<crate::diagnostics::Diagnostic> =
                self.diagnostics.drain(errors_before..).collect();
            for problem in problems {
                self.omissions.push(crate::model::Omission {
                    subject: crate::model::Omitted::Pager {
                        method: method.clone(),
                        path: spec_path.to_owned(),
                    },
                    pointer: problem.pointer,
                    reason: problem.message,
                });
            }
        }
        let operation = Operation {
            rust_name,
            marker,
            id,
            method,
            path: path.to_owned(),
            docs,
            params,
            body,
            success,
            accept,
            error,
            security,
            group: operation_group(path, &op.tags),
            feature: None,
            pager,
        };
        // The same request, asking for the stream: a method of its own, beside the JSON one.
        let streamed = stream.map(|(payload, media)| {
            let plain = operation.rust_name.trim_start_matches("r#");
            let rust_name =
                method_names.claim(naming::value_name(&format!("{plain}{}", reserved::STREAM)));
            let mut docs = operation.docs.clone();
            docs.paragraphs.insert(
                0,
                format!(
                    "[`{plain}`](Self::{plain}), asking for the `{media}` form of its \
                     response: its items as they arrive."
                ),
            );
            let marker = self.operation_types.claim(naming::type_name(&rust_name));
            Operation {
                rust_name,
                marker,
                docs,
                success: payload,
                accept: media,
                pager: None,
                ..operation.clone()
            }
        });
        Some((operation, streamed))
    }

    /// The path item's and the operation's parameters, merged, with their types and
    /// encodings.
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

        // The method's own locals end in `_`, which no parameter's name does: only the body
        // argument is taken.
        let mut names = Scope::with_reserved(&[reserved::BODY_ARGUMENT]);
        // Setters are methods of the call, beside its own: a scope of their own, so that a
        // parameter named like a local of the method (`path`) keeps its name as a setter.
        let mut setters = Scope::with_reserved(reserved::CALL_METHODS);
        let wire_names: Vec<String> = merged
            .iter()
            .map(|(p, _)| p.parameter_data_ref().name.clone())
            .collect();
        let mut out = Vec::new();
        for (param, here) in merged {
            let data = param.parameter_data_ref();
            let location = match param {
                SpecParameter::Path { .. } => ParamLocation::Path,
                SpecParameter::Query { .. } => ParamLocation::Query,
                SpecParameter::Header { .. } => ParamLocation::Header,
                SpecParameter::Cookie { .. } => ParamLocation::Cookie,
            };
            if let Some(reason) = data
                .extensions
                .get(crate::load::UNSUPPORTED)
                .and_then(serde_json::Value::as_str)
            {
                self.unsupported(&here, reason);
                continue;
            }
            // `content_media`: the media type of a parameter described by `content`.
            let (schema, schema_at, content_media) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (Some(schema), pointer(&here, &["schema"]), None)
                }
                ParameterSchemaOrContent::Content(content) => {
                    // JSON text where a JSON media type is given; otherwise (`text/plain`,
                    // `*/*`) the value as it is, which only a scalar can be.
                    let chosen = content
                        .iter()
                        .find(|(media, _)| is_json(media))
                        .or_else(|| content.iter().next());
                    let Some((media, content)) = chosen else {
                        self.unsupported(
                            &pointer(&here, &["content"]),
                            &format!(
                                "parameter `{}` has a `content` map without a media type",
                                data.name
                            ),
                        );
                        continue;
                    };
                    (
                        content.schema.as_ref(),
                        pointer(&here, &["content", media, "schema"]),
                        Some(media.as_str()),
                    )
                }
            };
            let ctx = Ctx {
                built: true,
                // A `format: date-time` parameter is a timestamp (sent as RFC 3339 text);
                // one described by a media type is that media type's text.
                allow_datetime: content_media.is_none(),
                ..self.op_ctx(
                    schema_at,
                    Direction::Request,
                    format!("{type_hint}{}", naming::type_name(&data.name)),
                )
            };
            // A media type without a schema: any JSON value, or text as it is.
            let ty = match schema {
                Some(schema) => self.schema_type(schema.into(), &ctx),
                None if content_media.is_some_and(is_json) => TypeRef::Json,
                None => TypeRef::String,
            };
            let scalar = |t: &TypeRef, types: &[Option<TypeDef>]| match t {
                TypeRef::String
                | TypeRef::DateTime
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::Checked(_) => true,
                TypeRef::Named(id) => !matches!(
                    types[id.0].as_ref().map(|t| &t.kind),
                    Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Untyped) | None
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
                _ if data.extensions.contains_key(crate::load::QUERYSTRING) => ParamEncoding::Form,
                _ if content_media.is_some_and(is_json) => ParamEncoding::Json,
                (t, _) if content_media.is_some() && !scalar(t, &self.types) => {
                    self.unsupported(
                        &here,
                        &format!(
                            "parameter `{}` is given by `content` that is not JSON, so its \
                             value must be a scalar",
                            data.name
                        ),
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
            let name = naming::value_name_among(&data.name, wire_names.iter().map(String::as_str));
            let rust_name = names.claim(name.clone());
            let required = data.required || location == ParamLocation::Path;
            // Only optional parameters have setters.
            let setter = if required {
                rust_name.clone()
            } else {
                setters.claim(name)
            };
            let idempotency_key = location == ParamLocation::Header
                && matches!(ty, TypeRef::String | TypeRef::Checked(_))
                && is_idempotency_key(&data.name, &data.extensions);
            out.push(Parameter {
                idempotency_key,
                setter,
                wire_name: data.name.clone(),
                local: rust_name.clone(),
                rust_name,
                location,
                ty,
                required,
                docs,
                encoding,
                path_style,
            });
        }
        // A path's format string names its parameters, and takes no raw identifier: those
        // are bound under a plain name of their own (`r#type` as `type_`).
        for param in &mut out {
            if param.location == ParamLocation::Path && param.rust_name.starts_with("r#") {
                param.local = names.claim(format!("{}_", param.rust_name.trim_start_matches("r#")));
            }
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
        // A body with no media type describes nothing to send.
        let (media, content) = chosen?;
        // Nor does an optional object that may hold nothing (Stripe's GETs and DELETEs declare
        // one, `properties: {}` and `additionalProperties: false`): no body argument.
        if !body.required && content.schema.as_ref().is_some_and(holds_nothing) {
            return None;
        }
        let ctx = Ctx {
            built: true,
            multipart: is_multipart(media),
            ..self.op_ctx(
                pointer(&here, &["content", media, "schema"]),
                Direction::Request,
                format!("{type_hint}Body"),
            )
        };
        let schema = content.schema.as_ref();
        let (ty, media) = if is_json(media) {
            // No schema: any JSON value.
            let ty = schema.map_or(TypeRef::Json, |schema| {
                self.schema_type(schema.into(), &ctx)
            });
            (ty, BodyMedia::Json)
        } else if is_form(media) {
            let ty = match schema {
                Some(schema) => self.schema_type(schema.into(), &ctx),
                None => TypeRef::Map(Box::new(TypeRef::Json)),
            };
            if ty == TypeRef::String {
                // A form body given as one string: the text is sent as it is.
                (TypeRef::String, BodyMedia::Text(media.clone()))
            } else if self.is_object_value(&ty) {
                // Structs, unions of objects, maps: anything whose JSON is an object.
                (ty, BodyMedia::Form(form_fields(&content.encoding)))
            } else {
                self.unsupported(
                    &pointer(&here, &["content", media, "schema"]),
                    "an `application/x-www-form-urlencoded` request body must be an object or \
                     one string",
                );
                return None;
            }
        } else if is_multipart(media) {
            let ty = schema.map(|schema| self.schema_type(schema.into(), &ctx));
            match ty {
                // A struct's fields are its parts (one with a union flattened into it has
                // parts no field names).
                Some(ty @ TypeRef::Named(id))
                    if matches!(
                        self.types[id.0].as_ref().map(|t| &t.kind),
                        Some(TypeKind::Struct(s)) if !s.fields.iter().any(|f| f.flatten)
                    ) =>
                {
                    (ty, BodyMedia::Multipart)
                }
                // A file, a list of files, a string, a union: the description names no
                // parts, so the caller assembles them.
                _ => (TypeRef::MultipartForm, BodyMedia::Multipart),
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
}

impl Lowerer<'_> {
    /// Whether values of `ty` are JSON objects: structs, unions (of objects, as a form body's
    /// must be), maps, and any JSON value (checked when it is sent).
    fn is_object_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map(_) | TypeRef::Json => true,
            TypeRef::Named(id) => matches!(
                self.types[id.0].as_ref().map(|t| &t.kind),
                Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Untyped)
            ),
            _ => false,
        }
    }
}

/// A parameter's `in`, which with its name identifies it: an operation's parameter overrides
/// the path item's with the same pair.
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

/// A path key with a query string (`/search?query={query}`) where a query parameter of the
/// same name is declared: that parameter sends the pair, so the template drops it (and its
/// `?` when nothing is left).
fn without_query_parameters(path: &str, params: &[Parameter]) -> String {
    let Some((route, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let value = pair.split_once('=').map_or("", |(_, value)| value);
            let name = value.strip_prefix('{').and_then(|v| v.strip_suffix('}'));
            !name.is_some_and(|name| {
                params
                    .iter()
                    .any(|p| p.location == ParamLocation::Query && p.wire_name == name)
            })
        })
        .collect();
    if kept.is_empty() {
        route.to_owned()
    } else {
        format!("{route}?{}", kept.join("&"))
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

/// The group an operation belongs to: its first tag, else its path's first segment that is
/// not a version (`/v1/customers/{id}` is `customers`).
fn operation_group(path: &str, tags: &[String]) -> String {
    if let Some(tag) = tags.iter().find(|t| !t.trim().is_empty()) {
        return tag.trim().to_owned();
    }
    path.split('/')
        .find(|segment| {
            let version = segment.len() > 1
                && segment.starts_with(['v', 'V'])
                && segment[1..].chars().all(|c| c.is_ascii_digit());
            !segment.is_empty() && !segment.starts_with('{') && !version
        })
        .unwrap_or_default()
        .to_owned()
}

/// Whether a schema (written in place) is an object that can hold no property.
fn holds_nothing(schema: &openapiv3::ReferenceOr<openapiv3::Schema>) -> bool {
    let openapiv3::ReferenceOr::Item(schema) = schema else {
        return false;
    };
    matches!(
        &schema.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object))
            if object.properties.is_empty()
                && object.additional_properties
                    == Some(openapiv3::AdditionalProperties::Any(false))
    )
}

/// The extension that marks a header parameter as an idempotency key (`x-idempotency-key:
/// true`), or, set to `false`, says that a header of one of the common names is not one.
pub(crate) const IDEMPOTENCY_KEY: &str = "x-idempotency-key";

/// Whether a header parameter is an idempotency key: one of the names APIs use for it
/// (Stripe's and the IETF draft's `Idempotency-Key`, `X-Idempotency-Key`, Square's and
/// others' `Idempotency-Token`), unless the extension says otherwise.
fn is_idempotency_key(
    name: &str,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> bool {
    match extensions
        .get(IDEMPOTENCY_KEY)
        .and_then(serde_json::Value::as_bool)
    {
        Some(marked) => marked,
        None => ["idempotency-key", "x-idempotency-key", "idempotency-token"]
            .contains(&name.to_ascii_lowercase().as_str()),
    }
}
