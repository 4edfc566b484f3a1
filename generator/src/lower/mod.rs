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
//! - `shared` and `shapes`: one type for the enumerations, error enums and objects that
//!   several places declare alike;
//! - `placement`: the types several operations reach move out of an operation's module;
//! - `features`: a cargo feature per group of operations, and the types each compiles;
//! - `usage`: which schemas are sent, received, or both, decided before lowering;
//! - `refs`: following `$ref`s into `components`;
//! - `http`: tables of statuses and media types, with no lowering state.

mod callbacks;
mod features;
mod http;
mod operations;
mod paging;
mod placement;
mod prune;
pub(crate) mod refs;
mod responses;
mod schema;
mod security;
mod shapes;
mod shared;
#[cfg(test)]
mod tests;
mod usage;

use std::collections::BTreeMap;

use openapiv3::OpenAPI;

use self::schema::Ctx;
use self::security::{default_requirement, keep_used_credentials};
use self::usage::Usage;
use crate::diagnostics::{Diagnostic, pointer};
use crate::model::{
    Api, Body, BodyMedia, Method, Omission, Omitted, Operation, TypeDef, TypeId, TypeKind, TypeRef,
};
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
    /// Each path's OpenAPI 3.2 operations beyond the fixed fields.
    extra: &'a BTreeMap<&'a String, Vec<http::ExtraOperation>>,
    usage: Usage,
    types: Vec<Option<TypeDef>>,
    index: BTreeMap<(String, Flavour), TypeId>,
    type_names: Scope,
    /// The type name of each component schema, by its pointer, claimed before anything is
    /// lowered: a schema's own name goes before the names derived from others
    /// (`<Name>Builder`, `<Name>Input`, `<Operation>Error`...). Handed out once.
    component_names: BTreeMap<String, String>,
    /// The rule types of checked values, by their rules (see `schema::rule_type`).
    rules: Vec<(TypeKind, TypeId)>,
    /// Inline enumerations by their values: one type for every place with the same values.
    inline_enums: BTreeMap<String, TypeId>,
    /// Where each enumeration is used: the name and docs each place would give it.
    enum_uses: BTreeMap<TypeId, Vec<shared::Place>>,
    /// The titles one inline schema alone has, and that name no component: they name their
    /// schema's type.
    unique_titles: std::collections::BTreeSet<String>,
    /// The module of the operation being lowered: its own types go there.
    current_module: Option<String>,
    /// The names taken in each operation's module of types.
    module_names: BTreeMap<String, Scope>,
    /// The same names, kept: a component that cannot be typed is named after them too.
    component_claims: BTreeMap<String, String>,
    /// The settings' type mappings, if any.
    mappings: Option<&'a crate::config::Types>,
    /// The mapped types used while lowering, by path, with the dependency each needs.
    externals: BTreeMap<String, Option<crate::config::Dependency>>,
    /// The problems of the operation being lowered: any one of them leaves it out.
    diagnostics: Vec<Diagnostic>,
    /// What the crate will not have, and why.
    omissions: Vec<Omission>,
    /// The `operationId`s seen so far.
    operation_ids: std::collections::BTreeSet<String>,
    /// The names of the operations' types in the generated crate's `operations` module.
    operation_types: crate::naming::Scope,
    /// The components being lowered, innermost last: one reached again before it has a type
    /// of its own (`A: {allOf: [$ref: A]}`) has no shape.
    entered: Vec<String>,
}

/// Lowers `doc`. What cannot be expressed is left out and listed in [`Api::omissions`]: an
/// operation with a problem of its own (in its parameters, body, responses or security),
/// or in a component only it uses, has no method; a schema that cannot be typed is any JSON
/// value, for every operation that uses it, so that they stay callable.
#[must_use]
pub fn lower(doc: &OpenAPI) -> Api {
    lower_with(doc, &Options::default())
}

/// What the settings ask of lowering.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Types used instead of generated ones, and the date-time crate.
    pub types: Option<&'a crate::config::Types>,
    /// The document holds only selected operations: component schemas none of them reaches
    /// are left out too (otherwise every component has a type).
    pub selected: bool,
}

/// Lowers `doc` as [`lower`] does, with settings.
#[must_use]
pub fn lower_with(doc: &OpenAPI, options: &Options) -> Api {
    // OpenAPI 3.2's `query` and `additionalOperations`, read once: lowering borrows them.
    let extra: BTreeMap<&String, Vec<http::ExtraOperation>> = doc
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| {
            let (item, _) = refs::path_item(doc, item, "").ok()?;
            Some((path, http::extra_operations(item)))
        })
        .filter(|(_, extra)| !extra.is_empty())
        .collect();
    // Three readings of the whole document that do not depend on each other, side by side.
    let (webhooks, omissions, usage, titles) = std::thread::scope(|scope| {
        // Top-level webhooks: one that cannot be read costs its verification function.
        let webhooks = scope.spawn(|| {
            let mut omissions = Vec::new();
            (callbacks::webhooks(doc, &mut omissions), omissions)
        });
        let usage = Usage::compute(doc, &extra);
        let titles = usage::inline_titles(doc);
        let (webhooks, omissions) = webhooks
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (webhooks, omissions, usage, titles)
    });
    let mut lowerer = Lowerer {
        doc,
        webhooks: &webhooks,
        extra: &extra,
        usage,
        types: Vec::new(),
        index: BTreeMap::new(),
        type_names: Scope::of_types(&[]),
        component_names: BTreeMap::new(),
        rules: Vec::new(),
        inline_enums: BTreeMap::new(),
        enum_uses: BTreeMap::new(),
        unique_titles: std::collections::BTreeSet::new(),
        current_module: None,
        module_names: BTreeMap::new(),
        component_claims: BTreeMap::new(),
        diagnostics: Vec::new(),
        omissions,
        operation_ids: std::collections::BTreeSet::new(),
        operation_types: Scope::of_types(&[]),
        entered: Vec::new(),
        mappings: options.types,
        externals: BTreeMap::new(),
    };
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let rust_name = lowerer.type_names.claim(naming::type_name(name));
            let at = refs::component_pointer("schemas", name);
            lowerer
                .component_claims
                .insert(at.clone(), rust_name.clone());
            lowerer.component_names.insert(at, rust_name);
        }
    }
    let component_types: std::collections::BTreeSet<&String> =
        lowerer.component_names.values().collect();
    let unique_titles = titles
        .into_iter()
        .filter(|(title, count)| {
            *count == 1 && !component_types.contains(&naming::type_name(title))
        })
        .map(|(title, _)| title)
        .collect();
    lowerer.unique_titles = unique_titles;
    let credentials = lowerer.credentials();
    // Deliveries first: a body shared with an operation's response is then the enum of events
    // there too, not a plain union.
    let mut callbacks = lowerer.signed_callbacks(&credentials);
    let mut method_names = Scope::with_reserved(reserved::CLIENT_METHODS);
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        let (item, item_pointer) = match refs::path_item(doc, item, &pointer("/paths", &[path])) {
            Ok(found) => found,
            Err(problem) => {
                lowerer.omissions.push(Omission {
                    subject: Omitted::Path { path: path.clone() },
                    pointer: problem.pointer,
                    reason: problem.message,
                });
                continue;
            }
        };
        let fixed = item.iter().map(|(method, op)| {
            let at = pointer(&item_pointer, &[method]);
            (
                method.to_owned(),
                Ok(http::parse_method(method)),
                at,
                Ok(op),
            )
        });
        let extra = extra.get(path).into_iter().flatten().map(|e| {
            let at = pointer(&item_pointer, &[crate::load::EXTRA_OPERATIONS, &e.key]);
            let op = e.operation.as_ref().map_err(Clone::clone);
            (e.key.clone(), e.method.clone(), at, op)
        });
        for (key, method, op_pointer, op) in fixed.chain(extra) {
            let (method, op) = match (method, op) {
                (Ok(method), Ok(op)) => (method, op),
                (method, op) => {
                    let subject = Omitted::Operation {
                        method: method.clone().unwrap_or(Method::Extension(key)),
                        path: path.clone(),
                    };
                    let reason: Vec<String> =
                        [method.err(), op.err()].into_iter().flatten().collect();
                    lowerer.omissions.push(Omission {
                        subject,
                        pointer: op_pointer,
                        reason: reason.join("; "),
                    });
                    continue;
                }
            };
            let before = lowerer.diagnostics.len();
            match lowerer.operation(
                path,
                method.clone(),
                item,
                op,
                &op_pointer,
                &credentials,
                &mut method_names,
            ) {
                Some((op, streamed)) => {
                    operations.push(op);
                    operations.extend(streamed);
                }
                None => {
                    let subject = Omitted::Operation {
                        method,
                        path: path.clone(),
                    };
                    let problems: Vec<Diagnostic> = lowerer.diagnostics.drain(before..).collect();
                    for problem in problems {
                        lowerer.omissions.push(Omission {
                            subject: subject.clone(),
                            pointer: problem.pointer,
                            reason: problem.message,
                        });
                    }
                }
            }
        }
    }
    if !options.selected {
        lowerer.remaining_components();
    }
    let Lowerer {
        types,
        enum_uses,
        diagnostics,
        mut omissions,
        externals,
        ..
    } = lowerer;
    debug_assert!(
        diagnostics.is_empty(),
        "problems outside operations: {diagnostics:?}"
    );
    // A problem reported twice for one subject (a shared parameter used twice) counts once.
    let mut seen = std::collections::BTreeSet::new();
    omissions.retain(|o| seen.insert(o.clone()));
    let mut types: Vec<TypeDef> = types
        .into_iter()
        .map(|t| t.expect("every reserved type is defined before lowering ends"))
        .collect();
    // Before pruning, which renumbers: the places of enumerations are known by type id.
    shared::name_shared_enums(&mut types, &enum_uses);
    shared::share_error_enums(&mut types);
    let mut types = prune::unreachable_types(
        types,
        &mut operations,
        &mut callbacks,
        &mut omissions,
        !options.selected,
    );
    // A struct encodes itself as parts exactly when a kept operation sends it so (a left-out
    // one's would be code nothing calls).
    let multipart: std::collections::BTreeSet<TypeId> = operations
        .iter()
        .filter_map(|op| match &op.body {
            Some(Body {
                ty: TypeRef::Named(id),
                media: BodyMedia::Multipart,
                ..
            }) => Some(*id),
            _ => None,
        })
        .collect();
    for (i, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.multipart = multipart.contains(&TypeId(i));
        }
    }
    // Once only kept operations are left: their types are the roots.
    shapes::merge_same_shapes(&mut types, &mut operations, &mut callbacks);
    let error_body = most_shared_error(&types, &operations);
    let (credentials, mut operations) = keep_used_credentials(credentials, operations);
    let default_credentials = default_requirement(&operations);
    // What the crate root and the `webhooks` module name is compiled in every build.
    let mut always = vec![&error_body];
    always.extend(callbacks.iter().map(|c| &c.body));
    placement::move_shared_types(&mut types, &operations, &always);
    let features = features::assign(&mut types, &mut operations, &always);
    let external_dependencies = used_dependencies(&types, &operations, &callbacks, &externals);
    Api {
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
        features,
        omissions,
        callbacks,
        date_time: options.types.map(|t| t.date_time).unwrap_or_default(),
        external_dependencies,
        selected: None,
    }
}

/// The dependencies of the mapped types the crate still uses (one left-out operation had may
/// be gone), one per crate: the first mapping's version, every mapping's features.
fn used_dependencies(
    types: &[TypeDef],
    operations: &[Operation],
    callbacks: &[crate::model::SignedCallback],
    externals: &BTreeMap<String, Option<crate::config::Dependency>>,
) -> Vec<crate::config::Dependency> {
    let mut used = std::collections::BTreeSet::new();
    crate::model::walk_refs(types, operations, callbacks, &mut |ty| {
        if let TypeRef::External(path) = ty {
            used.insert(path.clone());
        }
    });
    let mut out: Vec<crate::config::Dependency> = Vec::new();
    for dependency in used.iter().filter_map(|path| externals.get(path)?.as_ref()) {
        match out.iter_mut().find(|d| d.name == dependency.name) {
            Some(known) => {
                for feature in &dependency.features {
                    if !known.features.contains(feature) {
                        known.features.push(feature.clone());
                    }
                }
            }
            None => out.push(dependency.clone()),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
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
                allow_datetime: true,
                ..Ctx::top(String::new(), Direction::Response, String::new())
            };
            let _ = self.component_type(&reference, &ctx);
        }
    }
}
