//! Cargo features: one per group of operations (a tag, or a path's first segment), so that a
//! user of a few groups of a big API compiles only their operations and the types they reach.

use std::collections::BTreeSet;

use crate::model::visit::{Ids, Visit, reachable};
use crate::model::{Feature, Operation, TypeDef, TypeId, TypeKind, TypeRef};

/// crates.io takes at most 300 features; past this many groups the crate has none.
const MAX_FEATURES: usize = 250;

/// The feature of the schemas no operation uses.
pub(crate) const SCHEMAS: &str = crate::naming::reserved::SCHEMAS_FEATURE;

/// The names the crate's own features and feature sets take (the manifest's `rustls`,
/// `http2`, `default`...), which a group's feature must not take: cargo would refuse the
/// manifest, or the group would switch on TLS.
fn reserved() -> BTreeSet<String> {
    use crate::naming::reserved::{CARGO_FEATURES, FEATURE_SETS};
    CARGO_FEATURES
        .iter()
        .chain(FEATURE_SETS)
        .map(|name| (*name).to_owned())
        .collect()
}

/// Assigns each operation its group's feature and each type the features that need it
/// (none when every group does, or `always` reaches it); returns the features, or none for an
/// API of fewer than two groups.
pub(super) fn assign(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    always: &[&TypeRef],
) -> Vec<Feature> {
    let mut groups: Vec<String> = Vec::new();
    for op in operations.iter() {
        if !groups.contains(&op.group) {
            groups.push(op.group.clone());
        }
    }
    if groups.len() < 2 || groups.len() > MAX_FEATURES {
        return Vec::new();
    }
    let mut features: Vec<Feature> = Vec::new();
    let mut taken = reserved();
    for group in &groups {
        let count = operations.iter().filter(|op| op.group == *group).count();
        features.push(Feature {
            name: feature_name(group, &mut taken),
            docs: format!(
                "The {count} operation{} of the `{group}` group, and the types they use.",
                if count == 1 { "" } else { "s" }
            ),
        });
    }
    for op in operations.iter_mut() {
        op.feature = groups.iter().position(|g| *g == op.group);
    }

    // What a feature needs is what the roots of all its operations reach together: one walk
    // per feature, not one per operation.
    let mut roots: Vec<Vec<TypeId>> = vec![Vec::new(); groups.len()];
    for op in operations.iter() {
        let Some(feature) = op.feature else { continue };
        operation_refs(op, &mut roots[feature]);
    }
    let mut needed: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    for (feature, roots) in roots.into_iter().enumerate() {
        for (id, reached) in reachable(types, roots).into_iter().enumerate() {
            if reached {
                needed[id].insert(feature);
            }
        }
    }
    let mut everywhere = Vec::new();
    for ty in always {
        refs(ty, &mut everywhere);
    }
    let everywhere = reachable(types, everywhere);
    let all: BTreeSet<usize> = (0..groups.len()).collect();
    // The schemas no operation uses are the `schemas` feature's roots: it compiles them and
    // what they reach, some of which operations use too (a webhook payload's `owner`).
    let unused: Vec<TypeId> = (0..types.len())
        .filter(|&id| !everywhere[id] && needed[id].is_empty())
        .map(TypeId)
        .collect();
    let schemas = !unused.is_empty();
    for (id, reached) in reachable(types, unused).into_iter().enumerate() {
        if reached && !everywhere[id] && needed[id] != all {
            needed[id].insert(groups.len());
        }
    }
    for (id, def) in types.iter_mut().enumerate() {
        let set = &needed[id];
        def.features = if everywhere[id] || *set == all {
            Vec::new()
        } else {
            set.iter().copied().collect()
        };
    }
    if schemas {
        features.push(Feature {
            name: SCHEMAS.to_owned(),
            docs: "The types of the schemas no operation uses (webhook payloads, for instance)."
                .to_owned(),
        });
    }
    features
}

/// A group's feature name ([`naming::feature_name`](crate::naming::feature_name)), unique
/// among `taken`.
fn feature_name(group: &str, taken: &mut BTreeSet<String>) -> String {
    let name = crate::naming::feature_name(group);
    let mut unique = name.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{name}-{n}");
        n += 1;
    }
    unique
}

/// The types `ty` names directly.
pub(super) fn refs(ty: &TypeRef, out: &mut Vec<TypeId>) {
    Visit::visit_type_ref(&mut Ids(|id| out.push(id)), ty);
}

/// The types an operation names directly: its parameters', body's, responses' and pager
/// items'.
pub(super) fn operation_refs(op: &Operation, out: &mut Vec<TypeId>) {
    Visit::visit_operation(&mut Ids(|id| out.push(id)), op);
}

/// The types a type names directly: its fields', variants', payloads', rule's or target's.
pub(super) fn children(kind: &TypeKind, out: &mut Vec<TypeId>) {
    Visit::visit_type_kind(&mut Ids(|id| out.push(id)), kind);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_cargo_names() {
        let mut taken = reserved();
        assert_eq!(feature_name("Pet Store", &mut taken), "pet-store");
        assert_eq!(feature_name("pet_store", &mut taken), "pet-store-2");
        assert_eq!(feature_name("default", &mut taken), "default-2");
        assert_eq!(feature_name("2fa", &mut taken), "2fa");
        assert_eq!(feature_name("-", &mut taken), "group-");
        // The crate's own features and sets are never a group's.
        for own in [
            "rustls",
            "rustls-ring",
            "native-tls",
            "http2",
            "system-proxy",
            "blocking",
            "full",
            "schemas",
        ] {
            assert_eq!(feature_name(own, &mut taken), format!("{own}-2"));
        }
        assert_eq!(feature_name("HTTP2", &mut taken), "http2-3");
    }
}
