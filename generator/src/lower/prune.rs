//! Dropping the types nothing uses: the inline types of operations that were left out (their
//! bodies, their enums of statuses) would otherwise be emitted, unused, into the crate.
//!
//! Component schemas are kept whoever uses them (a description often names a webhook's
//! payload only there); every other type is kept when a kept operation, or a kept type,
//! reaches it. Ids are renumbered in the order the types were made, so output stays stable.

use std::collections::BTreeSet;

use crate::model::{
    Omission, Omitted, Operation, Payload, SignedCallback, TypeDef, TypeId, TypeKind, TypeRef,
};

/// The types a kept operation, a signed callback or a component reaches, with every id in
/// `types`, `operations` and `callbacks` renumbered; omissions of types dropped go too (the
/// crate has no such type).
pub(super) fn unreachable_types(
    mut types: Vec<TypeDef>,
    operations: &mut [Operation],
    callbacks: &mut [SignedCallback],
    omissions: &mut Vec<Omission>,
) -> Vec<TypeDef> {
    let mut stack: Vec<TypeId> = types
        .iter()
        .enumerate()
        .filter(|(_, def)| is_component(&def.pointer))
        .map(|(i, _)| TypeId(i))
        .collect();
    for op in operations.iter_mut() {
        operation_ids(op, &mut |id| stack.push(*id));
    }
    for callback in callbacks.iter_mut() {
        type_ids(&mut callback.body, &mut |id| stack.push(*id));
    }
    let mut reached = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if reached.insert(id) {
            kind_ids(&mut types[id.0].kind, &mut |child| stack.push(*child));
        }
    }
    if reached.len() == types.len() {
        return types;
    }
    let mut renumbered = vec![None; types.len()];
    for (new, old) in reached.iter().enumerate() {
        renumbered[old.0] = Some(TypeId(new));
    }
    let dropped: BTreeSet<String> = types
        .iter()
        .enumerate()
        .filter(|(i, _)| renumbered[*i].is_none())
        .map(|(_, def)| def.name.clone())
        .collect();
    omissions.retain(|o| match &o.subject {
        Omitted::Schema { type_name } => !dropped.contains(type_name),
        _ => true,
    });
    let mut renumber = |id: &mut TypeId| {
        *id = renumbered[id.0].expect("a kept type reaches only kept types");
    };
    for op in operations.iter_mut() {
        operation_ids(op, &mut renumber);
    }
    for callback in callbacks.iter_mut() {
        type_ids(&mut callback.body, &mut renumber);
    }
    let mut kept = Vec::with_capacity(reached.len());
    for (i, mut def) in types.into_iter().enumerate() {
        if renumbered[i].is_some() {
            kind_ids(&mut def.kind, &mut renumber);
            kept.push(def);
        }
    }
    kept
}

/// `/components/schemas/<name>`, exactly: a component schema itself.
fn is_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}

fn type_ids(ty: &mut TypeRef, f: &mut impl FnMut(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) | TypeRef::OrUnknown(id) => f(id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => type_ids(inner, f),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::DateTime
        | TypeRef::Json
        | TypeRef::Bytes
        | TypeRef::File
        | TypeRef::MultipartForm => {}
    }
}

fn payload_ids(payload: &mut Payload, f: &mut impl FnMut(&mut TypeId)) {
    match payload {
        Payload::Json(ty) => type_ids(ty, f),
        Payload::Several(id) => f(id),
        Payload::Empty | Payload::Text | Payload::Bytes => {}
    }
}

fn kind_ids(kind: &mut TypeKind, f: &mut impl FnMut(&mut TypeId)) {
    match kind {
        TypeKind::Struct(s) => {
            for field in &mut s.fields {
                type_ids(&mut field.ty, f);
            }
        }
        TypeKind::Union(union) => {
            for variant in &mut union.variants {
                type_ids(&mut variant.ty, f);
            }
        }
        TypeKind::Responses(cases) => {
            for case in cases {
                payload_ids(&mut case.payload, f);
            }
        }
        TypeKind::Errors(cases) => {
            for case in cases {
                payload_ids(&mut case.payload, f);
            }
        }
        TypeKind::Events(events) => {
            for variant in &mut events.variants {
                type_ids(&mut variant.ty, f);
            }
        }
        TypeKind::Enum(_)
        | TypeKind::ValidatedString(_)
        | TypeKind::ValidatedNumber(_)
        | TypeKind::Untyped => {}
    }
}

fn operation_ids(op: &mut Operation, f: &mut impl FnMut(&mut TypeId)) {
    for param in &mut op.params {
        type_ids(&mut param.ty, f);
    }
    if let Some(body) = &mut op.body {
        type_ids(&mut body.ty, f);
    }
    payload_ids(&mut op.success, f);
    type_ids(&mut op.error, f);
    if let Some(pager) = &mut op.pager {
        type_ids(&mut pager.item, f);
    }
}
