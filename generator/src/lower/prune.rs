//! Dropping the types nothing uses: the inline types of operations that were left out (their
//! bodies, their enums of statuses) would otherwise be emitted, unused, into the crate.
//!
//! Component schemas are kept whoever uses them (a description often names a webhook's
//! payload only there), unless `[select]` chose the operations: then they too are kept only
//! when reached. Every other type is kept when a kept operation, or a kept type,
//! reaches it. Ids are renumbered in the order the types were made, so output stays stable.

use std::collections::BTreeSet;

use crate::model::visit::{Ids, reachable, walk_all};
use crate::model::{Omission, Omitted, Operation, SignedCallback, TypeDef, TypeId};

/// The types a kept operation, a signed callback or a component reaches, with every id in
/// `types`, `operations` and `callbacks` renumbered; omissions of types dropped go too (the
/// crate has no such type).
pub(super) fn unreachable_types(
    types: Vec<TypeDef>,
    operations: &mut [Operation],
    callbacks: &mut [SignedCallback],
    omissions: &mut Vec<Omission>,
    keep_components: bool,
) -> Vec<TypeDef> {
    let mut stack: Vec<TypeId> = types
        .iter()
        .enumerate()
        .filter(|(_, def)| keep_components && is_component(&def.pointer))
        .map(|(i, _)| TypeId(i))
        .collect();
    // The operations and callbacks (not every type: those are what is to be found).
    walk_all(&mut Ids(|id| stack.push(id)), &[], operations, callbacks);
    let reached: BTreeSet<TypeId> = reachable(&types, stack)
        .into_iter()
        .enumerate()
        .filter_map(|(i, reached)| reached.then_some(TypeId(i)))
        .collect();
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
        op.for_each_id(&mut renumber);
    }
    for callback in callbacks.iter_mut() {
        callback.body.for_each_id(&mut renumber);
    }
    let mut kept = Vec::with_capacity(reached.len());
    for (i, mut def) in types.into_iter().enumerate() {
        if renumbered[i].is_some() {
            def.kind.for_each_id(&mut renumber);
            kept.push(def);
        }
    }
    kept
}

/// `/components/schemas/<name>`, exactly: a component schema itself.
pub(super) fn is_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}
