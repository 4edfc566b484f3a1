//! Lowering: from an `openapiv3` document to the [`model`](crate::model), resolving every
//! reference and choosing every name. Problems are collected, with their JSON pointers, and
//! reported together.
//!
//! This module is the entry point and makes the API-wide decisions (the default error type,
//! the default base URL); the work per concern lives beside it:
//!
//! - `operations`: operations, their parameters and request bodies;
//! - `responses`: success payloads, error types and the per-operation status enums;
//! - `security`: credentials from `securitySchemes` and each operation's requirements;
//! - `paging`: list operations' pagers (`x-pagination`, or the common shapes);
//! - `callbacks`: signed callbacks (`x-callback-signature`) and their enums of events;
//! - `schema`: schemas into named types and type references;
//! - `usage`: which schemas are sent, received, or both, decided before lowering;
//! - `refs`: following `$ref`s into `components`;
//! - `http`: tables of statuses and media types, with no lowering state.

mod callbacks;
mod http;
mod operations;
mod paging;
mod refs;
mod responses;
mod schema;
mod security;
#[cfg(test)]
mod tests;
mod usage;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use self::schema::Ctx;
use self::security::{default_requirement, keep_used_credentials};
use self::usage::Usage;
use crate::diagnostics::{Diagnostic, pointer};
use crate::model::{Api, Operation, TypeDef, TypeId, TypeRef};
use crate::naming::{self, Scope, reserved};

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

pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// The document's top-level webhooks (see `callbacks`).
    webhooks: &'a indexmap::IndexMap<String, openapiv3::PathItem>,
    usage: Usage,
    types: Vec<Option<TypeDef>>,
    index: BTreeMap<(String, Flavour), TypeId>,
    type_names: Scope,
    /// The type name of each component schema, by its pointer, claimed before anything is
    /// lowered: a schema's own name goes before the names derived from others
    /// (`<Name>Builder`, `<Name>Input`, `<Operation>Error`...). Handed out once.
    component_names: BTreeMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

/// Lowers `doc`, or returns every problem found.
pub fn lower(doc: &OpenAPI) -> Result<Api, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let webhooks = callbacks::webhooks(doc, &mut problems);
    let mut lowerer = Lowerer {
        doc,
        webhooks: &webhooks,
        usage: Usage::compute(doc),
        types: Vec::new(),
        index: BTreeMap::new(),
        type_names: Scope::default(),
        component_names: BTreeMap::new(),
        diagnostics: problems,
    };
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let rust_name = lowerer.type_names.claim(naming::type_name(name));
            lowerer
                .component_names
                .insert(refs::component_pointer("schemas", name), rust_name);
        }
    }
    let credentials = lowerer.credentials();
    // Deliveries first: a body shared with an operation's response is then the enum of events
    // there too, not a plain union.
    let callbacks = lowerer.signed_callbacks(&credentials);
    let mut method_names = Scope::with_reserved(reserved::CLIENT_METHODS);
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
        license: doc
            .info
            .license
            .as_ref()
            .map(|license| license.name.clone()),
        homepage: doc
            .external_docs
            .as_ref()
            .map(|docs| docs.url.clone())
            .or_else(|| doc.info.contact.as_ref().and_then(|c| c.url.clone())),
        default_base_url: default_base_url(doc),
        types,
        credentials,
        default_credentials,
        operations,
        error_body,
        callbacks,
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

impl Lowerer<'_> {
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
}
