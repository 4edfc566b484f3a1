//! Signed callbacks: the deliveries an API sends to its users' endpoints (OpenAPI 3.0
//! `callbacks`), where a callback operation says with `x-callback-signature` how they are
//! signed. Each becomes a verification function; a delivery body that is a `oneOf` told
//! apart by a discriminator becomes an enum of events with a variant for unknown ones.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde::Deserialize;

use super::refs::{SchemaRef, resolve, resolve_schema};
use super::schema::Ctx;
use super::{Direction, Flavour, Lowerer};
use crate::diagnostics::{Diagnostic, pointer};
use crate::model::{
    Credential, Docs, EventVariant, Events, Omission, Omitted, Placement, SignatureAlgorithm,
    SignatureEncoding, SignedCallback, TypeKind, TypeRef,
};
use crate::naming::{self, Scope, reserved};

/// The name of the extension.
pub(crate) const EXTENSION: &str = "x-callback-signature";

/// Where webhooks are kept in a 3.0-shaped document: Redoc's `x-webhooks` convention, and
/// where the 3.1/3.2 reading puts a document's `webhooks`.
pub(crate) const WEBHOOKS: &str = "/x-webhooks";

/// The webhooks of `doc` (`x-webhooks`), each a path item; a malformed one is an omission.
pub(super) fn webhooks(
    doc: &openapiv3::OpenAPI,
    omissions: &mut Vec<Omission>,
) -> indexmap::IndexMap<String, openapiv3::PathItem> {
    let mut out = indexmap::IndexMap::new();
    let Some(serde_json::Value::Object(items)) = doc.extensions.get(&WEBHOOKS[1..]) else {
        return out;
    };
    for (name, item) in items {
        let at = pointer(WEBHOOKS, &[name]);
        match serde_path_to_error::deserialize::<_, ReferenceOr<openapiv3::PathItem>>(item) {
            Ok(ReferenceOr::Item(item)) => {
                out.insert(name.clone(), item);
            }
            Ok(ReferenceOr::Reference { .. }) => omissions.push(Omission {
                subject: Omitted::Callback { name: name.clone() },
                pointer: at,
                reason: "a webhook given by `$ref` is not supported yet".to_owned(),
            }),
            Err(error) => omissions.push(Omission {
                subject: Omitted::Callback { name: name.clone() },
                pointer: format!("{at}{}", crate::load::json_pointer(error.path())),
                reason: format!("not a valid webhook: {}", error.into_inner()),
            }),
        }
    }
    out
}

/// `x-callback-signature`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extension {
    header: String,
    algorithm: Algorithm,
    encoding: Encoding,
    #[serde(default)]
    prefix: String,
    /// The security scheme whose credential is the key.
    key: String,
}

#[derive(Debug, Deserialize)]
enum Algorithm {
    #[serde(rename = "hmac-sha256")]
    HmacSha256,
    #[serde(rename = "hmac-sha512")]
    HmacSha512,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Encoding {
    Hex,
    Base64,
}

impl<'a> Lowerer<'a> {
    /// Every signed callback of the document, in document order. Problems are diagnostics.
    pub(super) fn signed_callbacks(
        &mut self,
        credentials: &[Result<Credential, Diagnostic>],
    ) -> Vec<SignedCallback> {
        let mut names = Scope::default();
        let mut out = Vec::new();
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            // A path item that cannot be read is reported with the operations.
            let Ok((item, item_at)) =
                super::refs::path_item(doc, item, &pointer("/paths", &[path]))
            else {
                continue;
            };
            // The fixed methods, then 3.2's `query` and `additionalOperations`.
            let fixed = item
                .iter()
                .map(|(method, op)| (method.to_owned(), pointer(&item_at, &[method]), op));
            let extra = self.extra.get(path).into_iter().flatten().filter_map(|e| {
                let at = pointer(&item_at, &[crate::load::EXTRA_OPERATIONS, &e.key]);
                Some((e.key.to_ascii_lowercase(), at, e.operation.as_ref().ok()?))
            });
            let operations: Vec<(String, String, &'a openapiv3::Operation)> =
                fixed.chain(extra).collect();
            for (method, op_at, op) in operations {
                let registered_by = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{method} {path}"));
                for (name, callback) in &op.callbacks {
                    for (expression, callback_item) in callback {
                        let item_at = pointer(&op_at, &["callbacks", name, expression]);
                        self.extra_deliveries(name, callback_item, &item_at);
                        for (callback_method, callback_op) in callback_item.iter() {
                            let Some(value) = callback_op.extensions.get(EXTENSION) else {
                                continue;
                            };
                            let at =
                                pointer(&op_at, &["callbacks", name, expression, callback_method]);
                            let origin = format!(
                                "The `{name}` callback of `{registered_by}`, sent to `{expression}`."
                            );
                            let before = self.diagnostics.len();
                            let signed = self.signed_callback(
                                name,
                                &registered_by,
                                origin,
                                callback_op,
                                value,
                                &at,
                                credentials,
                                &mut names,
                            );
                            // Any problem costs the verification function, not the
                            // document: it is listed, and the rest is generated.
                            let problems: Vec<Diagnostic> =
                                self.diagnostics.drain(before..).collect();
                            match signed {
                                Some(signed) if problems.is_empty() => out.push(signed),
                                _ => {
                                    for problem in problems {
                                        self.omissions.push(Omission {
                                            subject: Omitted::Callback { name: name.clone() },
                                            pointer: problem.pointer,
                                            reason: problem.message,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Top-level webhooks (3.1 `webhooks`, or 3.0's `x-webhooks` convention): the same
        // deliveries, registered outside the API (in a dashboard, say).
        let webhooks = self.webhooks;
        for (name, item) in webhooks {
            self.extra_deliveries(name, item, &pointer(WEBHOOKS, &[name]));
            for (method, op) in item.iter() {
                let Some(value) = op.extensions.get(EXTENSION) else {
                    continue;
                };
                let at = pointer(WEBHOOKS, &[name, method]);
                let origin = format!("The `{name}` webhook.");
                let before = self.diagnostics.len();
                let signed = self.signed_callback(
                    name,
                    "webhooks",
                    origin,
                    op,
                    value,
                    &at,
                    credentials,
                    &mut names,
                );
                // As for callbacks: a problem costs the verification function.
                let problems: Vec<Diagnostic> = self.diagnostics.drain(before..).collect();
                match signed {
                    Some(signed) if problems.is_empty() => out.push(signed),
                    _ => {
                        for problem in problems {
                            self.omissions.push(Omission {
                                subject: Omitted::Callback { name: name.clone() },
                                pointer: problem.pointer,
                                reason: problem.message,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// A signed delivery sent with OpenAPI 3.2's `query` or an `additionalOperations` method
    /// has no verifier yet: it is listed, and the rest of the webhook or callback is read.
    /// (Unsigned deliveries are not generated, whatever their method.)
    fn extra_deliveries(&mut self, name: &str, item: &openapiv3::PathItem, at: &str) {
        for extra in super::http::extra_operations(item) {
            let signed = extra
                .operation
                .as_ref()
                .is_ok_and(|op| op.extensions.contains_key(EXTENSION));
            if signed {
                self.omissions.push(Omission {
                    subject: Omitted::Callback {
                        name: name.to_owned(),
                    },
                    pointer: pointer(at, &[crate::load::EXTRA_OPERATIONS, &extra.key]),
                    reason: format!(
                        "a signed delivery sent with the {} method is not supported: deliveries \
                         are verified for the methods a 3.0 path item has",
                        extra.key
                    ),
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
    fn signed_callback(
        &mut self,
        name: &str,
        registered_by: &str,
        origin: String,
        op: &'a openapiv3::Operation,
        value: &serde_json::Value,
        at: &str,
        credentials: &[Result<Credential, Diagnostic>],
        names: &mut Scope,
    ) -> Option<SignedCallback> {
        let here = pointer(at, &[EXTENSION]);
        let extension = match Extension::deserialize(value) {
            Ok(extension) => extension,
            Err(error) => {
                self.unsupported(&here, &format!("`{EXTENSION}` is not valid: {error}"));
                return None;
            }
        };
        if not_a_header_name(&extension.header) {
            self.unsupported(
                &here,
                &format!(
                    "`header`: `{}` is not an HTTP header name",
                    extension.header
                ),
            );
            return None;
        }
        let schemes: Vec<&String> = self
            .doc
            .components
            .as_ref()
            .map(|c| c.security_schemes.keys().collect())
            .unwrap_or_default();
        let credential = schemes
            .iter()
            .position(|s| **s == extension.key)
            .and_then(|index| credentials.get(index).and_then(|c| c.as_ref().ok()));
        // One secret the client holds: not a username and password, not a TLS identity, not
        // an `Authorization` value the caller computes per request.
        let one_secret = |c: &&Credential| {
            matches!(
                c.placement,
                Placement::Header(_)
                    | Placement::Query(_)
                    | Placement::Cookie(_)
                    | Placement::Bearer
            )
        };
        let Some(credential) = credential.filter(one_secret) else {
            self.unsupported(
                &here,
                &format!(
                    "`key`: `{}` is not a security scheme of one secret (an apiKey, bearer or \
                     oauth2 scheme in components.securitySchemes)",
                    extension.key
                ),
            );
            return None;
        };
        let Some(body) = &op.request_body else {
            self.unsupported(
                at,
                "a signed callback needs a `requestBody`: what is signed",
            );
            return None;
        };
        let body_at = pointer(at, &["requestBody"]);
        let (body, body_at) = match resolve(self.doc, body, &body_at, "requestBodies", |c| {
            &c.request_bodies
        }) {
            Ok(found) => found,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        let json = body
            .content
            .iter()
            .find(|(media, _)| super::http::is_json(media))
            .and_then(|(media, content)| Some((media, content.schema.as_ref()?)));
        let Some((media, schema)) = json else {
            self.unsupported(
                &pointer(&body_at, &["content"]),
                "a signed callback's body must be JSON, with a schema",
            );
            return None;
        };
        let ctx = Ctx {
            allow_datetime: true,
            ..Ctx::top(
                pointer(&body_at, &["content", media, "schema"]),
                Direction::Response,
                format!("{}Delivery", naming::type_name(name)),
            )
        };
        let body = self.delivery_type(schema.into(), &ctx);

        let mut docs = Docs::default();
        if let Some(summary) = &op.summary {
            docs.push(summary.clone());
        }
        if let Some(description) = &op.description {
            docs.push(description.clone());
        }
        docs.push(origin);
        let verify_name = names.claim(format!(
            "{}{}",
            reserved::VERIFY_PREFIX,
            naming::value_name(name).trim_start_matches("r#")
        ));
        let header_const = names.claim(format!(
            "{}{}",
            naming::const_name(name),
            reserved::SIGNATURE_HEADER_SUFFIX
        ));
        let mut arguments = Scope::with_reserved(reserved::VERIFY_ARGUMENTS);
        let key_arg = arguments.claim(credential.args[0].clone());
        let key_scheme = extension.key;
        let key_description = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(&key_scheme))
            .and_then(|scheme| match scheme {
                ReferenceOr::Item(found) => scheme_description(found),
                ReferenceOr::Reference { .. } => None,
            });
        Some(SignedCallback {
            name: name.to_owned(),
            registered_by: registered_by.to_owned(),
            verify_name,
            header_const,
            key_arg,
            key_scheme,
            key_description,
            docs,
            body,
            header: extension.header,
            algorithm: match extension.algorithm {
                Algorithm::HmacSha256 => SignatureAlgorithm::HmacSha256,
                Algorithm::HmacSha512 => SignatureAlgorithm::HmacSha512,
            },
            encoding: match extension.encoding {
                Encoding::Hex => SignatureEncoding::Hex,
                Encoding::Base64 => SignatureEncoding::Base64,
            },
            prefix: extension.prefix,
        })
    }

    /// The type of a delivery body: an enum of events when it is a `oneOf` with a
    /// discriminator, else the schema's own type.
    fn delivery_type(&mut self, schema: SchemaRef<'a>, ctx: &Ctx) -> TypeRef {
        let (target, at, hint): (&'a Schema, String, String) = match schema {
            SchemaRef::Ref(reference) => match resolve_schema(self.doc, reference, &ctx.pointer) {
                Ok((name, target, at)) => {
                    let hint = self
                        .component_names
                        .get(&at)
                        .cloned()
                        .unwrap_or_else(|| naming::type_name(&name));
                    (target, at, hint)
                }
                Err(diagnostic) => {
                    self.diagnostics.push(diagnostic);
                    return TypeRef::Json;
                }
            },
            SchemaRef::Inline(target) => (target, ctx.pointer.clone(), ctx.hint.clone()),
        };
        let (SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }) =
            &target.schema_kind
        else {
            return self.schema_type(schema, ctx);
        };
        let Some(discriminator) = &target.schema_data.discriminator else {
            return self.schema_type(schema, ctx);
        };
        if let Some(id) = self.existing(&at, Flavour::Response) {
            return TypeRef::Named(id);
        }
        let id = self.reserve(&at, Flavour::Response);
        let inner = Ctx {
            allow_datetime: true,
            ..Ctx::top(at.clone(), Direction::Response, hint)
        };
        let type_name = self.type_name(&inner);
        // Each value of the discriminator, with its schema: the mapping first, then the
        // members it leaves out, under their schema names (as OpenAPI has it).
        let mut values: Vec<(String, String)> = discriminator
            .mapping
            .iter()
            .map(|(value, target)| {
                let reference = if target.starts_with('#') {
                    target.clone()
                } else {
                    format!("#/components/schemas/{target}")
                };
                (value.clone(), reference)
            })
            .collect();
        for member in members {
            if let ReferenceOr::Reference { reference } = member {
                let mapped = values.iter().any(|(_, r)| r == reference);
                if let (false, Some(name)) =
                    (mapped, super::refs::component_name(reference, "schemas"))
                {
                    values.push((name, reference.clone()));
                }
            }
        }
        let mut variant_names = Scope::with_reserved(&[reserved::UNKNOWN_EVENT]);
        let mut variants = Vec::new();
        for (value, reference) in values {
            let child = Ctx {
                allow_datetime: true,
                ..Ctx::top(
                    pointer(&at, &["discriminator", "mapping", &value]),
                    Direction::Response,
                    format!("{type_name}{}", naming::type_name(&value)),
                )
            };
            let ty = self.component_type(&reference, &child);
            let (data, _) = self.schema_data_of(&reference, &at);
            let mut docs = Docs::default();
            docs.push(format!("`{value}`."));
            if let Some(description) = data.and_then(|d| d.description.as_deref()) {
                docs.push(description);
            }
            variants.push(EventVariant {
                rust_name: variant_names.claim(naming::type_name(&value)),
                value,
                ty,
                docs,
            });
        }
        let mut docs = Self::schema_docs(&target.schema_data, None, &type_name);
        docs.push(format!(
            "Told apart by `{}`; a value the API description does not list decodes as \
             `{}`, with the delivery's JSON kept whole.",
            discriminator.property_name,
            reserved::UNKNOWN_EVENT
        ));
        self.define(
            id,
            target,
            &inner,
            type_name,
            docs,
            TypeKind::Events(Events {
                property: discriminator.property_name.clone(),
                accessor: naming::value_name(&discriminator.property_name),
                variants,
                unknown: reserved::UNKNOWN_EVENT.to_owned(),
            }),
        );
        TypeRef::Named(id)
    }

    /// The schema data behind a component reference.
    fn schema_data_of(
        &self,
        reference: &str,
        here: &str,
    ) -> (Option<&'a openapiv3::SchemaData>, Option<&'a SchemaKind>) {
        match resolve_schema(self.doc, reference, here) {
            Ok((_, schema, _)) => (Some(&schema.schema_data), Some(&schema.schema_kind)),
            Err(_) => (None, None),
        }
    }
}

/// A security scheme's `description`.
fn scheme_description(scheme: &openapiv3::SecurityScheme) -> Option<String> {
    use openapiv3::SecurityScheme as S;
    match scheme {
        S::APIKey { description, .. }
        | S::HTTP { description, .. }
        | S::OAuth2 { description, .. }
        | S::OpenIDConnect { description, .. } => description.clone(),
    }
}

/// Whether `name` cannot be an HTTP header name (a token: visible ASCII, no separators).
fn not_a_header_name(name: &str) -> bool {
    name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
