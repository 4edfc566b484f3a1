//! Where a type lives: an operation's module of types holds what that operation alone uses.
//!
//! Lowering puts every type it makes while lowering an operation into that operation's
//! module, and the shape pass keeps a merged type where its copies were. A type reached
//! from elsewhere then sits in the wrong place: an inline schema of a shared response
//! component (GitHub's `service_unavailable`), made for the first operation that uses it and
//! reused by the others, or a type a shared one reaches. Emit compiles an operation's module
//! with that operation's feature alone, so another group's build could not name it
//! (`super::activity_list_public_events::ServiceUnavailable` under `issues`); and its path
//! would say it belongs to one operation when it does not. Such types move to the top of
//! `types`, where features gate each type by every feature that reaches it.

use std::collections::{BTreeMap, BTreeSet};

use super::features::{children, operation_refs, refs};
use super::shapes::{VAGUE, is_input};
use super::shared::{Places, shared_type_name};
use crate::model::{Operation, Struct, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Scope};

/// Moves to the top of `types` every type of an operation's module that something other
/// than that operation reaches: another operation, a type at the top (itself shared), or
/// what every build compiles (`always`: the crate's error type, the callbacks' bodies).
pub(super) fn move_shared_types(
    types: &mut [TypeDef],
    operations: &[Operation],
    always: &[&TypeRef],
) {
    let mut shared = vec![false; types.len()];
    // What the top reaches, through any type: one walk.
    let mut stack: Vec<TypeId> = (0..types.len())
        .filter(|&i| types[i].module.is_none())
        .map(TypeId)
        .collect();
    for ty in always {
        refs(ty, &mut stack);
    }
    let mut seen = vec![false; types.len()];
    while let Some(id) = stack.pop() {
        if !std::mem::replace(&mut seen[id.0], true) {
            shared[id.0] = types[id.0].module.is_some();
            children(&types[id.0].kind, &mut stack);
        }
    }
    // What each operation reaches through module types only (the top is walked above): any
    // of another operation's module is shared. Walks stay inside a few modules, so they are
    // short even for GitHub's 1,200 operations.
    let mut visited: BTreeSet<TypeId> = BTreeSet::new();
    // The operations that reach each type of a module, for the names of those that move.
    let mut reachers: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for op in operations {
        visited.clear();
        let mut stack = Vec::new();
        operation_refs(op, &mut stack);
        while let Some(id) = stack.pop() {
            let Some(module) = &types[id.0].module else {
                continue;
            };
            if !visited.insert(id) {
                continue;
            }
            if *module != op.rust_name {
                shared[id.0] = true;
            }
            reachers.entry(id.0).or_default().push(&op.rust_name);
            children(&types[id.0].kind, &mut stack);
        }
    }
    if !shared.contains(&true) {
        return;
    }
    let mut top = Scope::default();
    for def in types.iter().filter(|def| def.module.is_none()) {
        top.claim(def.name.clone());
        if let Some(builder) = builder(def) {
            top.claim(builder.to_owned());
        }
    }
    // Names from the top down, in type order, so that output is stable.
    let mut renamed: BTreeMap<usize, (String, Option<String>)> = BTreeMap::new();
    for (index, def) in types.iter().enumerate() {
        if !shared[index] {
            continue;
        }
        let from = def.module.as_deref().unwrap_or_default();
        let operations = reachers.remove(&index).unwrap_or_default();
        renamed.insert(index, top_name(def, from, operations, types, &mut top));
    }
    for (index, (name, note)) in renamed {
        let def = &mut types[index];
        def.module = None;
        def.name = name;
        if let Some(note) = note {
            def.docs.push(note);
        }
        if let TypeKind::Struct(Struct {
            builder: Some(builder),
            ..
        }) = &mut def.kind
        {
            *builder = top.claim(format!("{}Builder", def.name));
        }
    }
}

/// A struct's builder name, when it has one.
fn builder(def: &TypeDef) -> Option<&str> {
    match &def.kind {
        TypeKind::Struct(Struct {
            builder: Some(builder),
            ..
        }) => Some(builder),
        _ => None,
    }
}

/// The name at the top of `types` of a type `def` made in the module `from` and reached by
/// `operations`. In a module, a type has the fewest words of its place that are free there
/// (`Detail`); at the top it says where it comes from: the component it was made in, when
/// its name does not already (`/components/responses/NotFound/...`: `NotFoundDetail`; the
/// component's own schema `NotFound`), else its name when that says what it is, else what
/// the operations that reach it have alike ([`shared_type_name`]). With it, a note for its
/// docs when only a number tells it apart.
fn top_name<'a>(
    def: &TypeDef,
    from: &'a str,
    mut operations: Vec<&'a str>,
    types: &[TypeDef],
    top: &mut Scope,
) -> (String, Option<String>) {
    let name = def.name.as_str();
    let vague = VAGUE.contains(&name);
    if let Some(component) = component_name(&def.pointer).map(|c| naming::type_name(&c)) {
        let mut candidates = Vec::new();
        if vague {
            candidates.push(component.clone());
        }
        if name.starts_with(&component) || name.ends_with(&component) {
            candidates.push(name.to_owned());
        } else {
            candidates.push(format!("{component}{name}"));
        }
        if let Some(free) = candidates.into_iter().find(|c| top.is_free(c)) {
            return (top.claim(free), None);
        }
    }
    if !operations.contains(&from) && !from.is_empty() {
        operations.insert(0, from);
    }
    let places = Places {
        names: vec![name],
        pointer: &def.pointer,
        input: is_input(&def.pointer),
        operations,
        in_components: Vec::new(),
    };
    shared_type_name(&places, &def.kind, types, top)
}

/// The name of the component (other than a schema: those are at the top already) that the
/// type at `pointer` was made in: `not_found` for
/// `/components/responses/not_found/content/application~1json/schema`.
fn component_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/")?;
    let mut tokens = rest.split('/');
    let kind = tokens.next()?;
    let name = tokens.next()?;
    (kind != "schemas").then(|| crate::diagnostics::unescape_token(name))
}
