//! One type per shape: descriptions repeat an object inline wherever they use it (GitHub
//! writes its user object out 289 times), and each copy would cost a struct, its serde code
//! and its builder. Objects and unions that are the same to the letter (fields, their types,
//! docs and examples) become one type.
//!
//! A copy that has a name of its own keeps it as another name for the shared type: a
//! component schema (`nullable-simple-user` beside `simple-user`) and an operation's own type
//! (`repos_get::Response`, which its method's signature names). The other copies, which only
//! a field or a variant reaches, are removed and their users point at the shared type.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use super::shared::{Places, common_suffix, shared_type_name};
use crate::model::{Docs, Operation, SignedCallback, Struct, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::Scope;

/// Names too general to name a type outside the module where they were made, or on their own.
pub(super) const VAGUE: &[&str] = &[
    "Body", "Response", "Request", "Item", "Items", "Data", "Value", "Values", "Object", "Result",
    "Results", "Input", "Output", "Content", "Inner", "Entry", "Payload", "Error",
];

/// Makes one type of each set of structs and unions with the same shape (see the module
/// docs), then renumbers the types that remain, keeping their order.
pub(super) fn merge_same_shapes(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    callbacks: &mut [SignedCallback],
) {
    let classes = classes(types);
    if classes.is_empty() {
        return;
    }
    let roots = roots(types, operations, callbacks);
    let named = |types: &[TypeDef], id: TypeId| is_component(&types[id.0]) || roots.contains(&id);
    // The copies without a name of their own: removed, or renamed to be the shared type.
    let vacated: BTreeSet<TypeId> = classes
        .iter()
        .flatten()
        .copied()
        .filter(|id| !named(types, *id))
        .collect();
    let mut scopes: BTreeMap<Option<String>, Scope> = BTreeMap::new();
    for (index, def) in types.iter().enumerate() {
        if vacated.contains(&TypeId(index)) {
            continue;
        }
        let scope = scopes
            .entry(def.module.clone())
            .or_insert_with(|| Scope::of_types(&[]));
        scope.claim(def.name.clone());
        if let TypeKind::Struct(Struct {
            builder: Some(builder),
            ..
        }) = &def.kind
        {
            scope.claim(builder.clone());
        }
    }
    let mut moved: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for members in &classes {
        // The component with the shortest name: `IssueComment` rather than
        // `NullableIssueComment`.
        let component = members
            .iter()
            .copied()
            .filter(|id| is_component(&types[id.0]))
            .min_by_key(|id| types[id.0].name.len());
        let canonical = match component {
            Some(component) => component,
            None => {
                let id = match members.iter().copied().find(|id| vacated.contains(id)) {
                    Some(inline) => inline,
                    None => {
                        // Every copy is an operation's own type: the shared one is new.
                        types.push(types[members[0].0].clone());
                        TypeId(types.len() - 1)
                    }
                };
                share(types, id, members, &mut scopes);
                id
            }
        };
        for &id in members {
            if id == canonical {
                continue;
            }
            if vacated.contains(&id) {
                moved.insert(id, canonical);
            } else {
                types[id.0].kind = TypeKind::Alias(TypeRef::Named(canonical));
            }
        }
    }
    renumber(types, operations, callbacks, &moved);
}

/// Makes `types[id]` the shared type of `members`: named after what their names have alike,
/// in their module when they share one, documented as they are when they agree.
fn share(
    types: &mut [TypeDef],
    id: TypeId,
    members: &[TypeId],
    scopes: &mut BTreeMap<Option<String>, Scope>,
) {
    let defs: Vec<&TypeDef> = members.iter().map(|m| &types[m.0]).collect();
    let first = defs[0];
    let module = first
        .module
        .clone()
        .filter(|m| defs.iter().all(|d| d.module.as_ref() == Some(m)));
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    let scope = scopes
        .entry(module.clone())
        .or_insert_with(|| Scope::of_types(&[]));
    let mut note = None;
    let name = if module.is_some() {
        // In one operation's module: what the names have alike, else the first one's name.
        let suffix = common_suffix(&names).filter(|suffix| !VAGUE.contains(&suffix.as_str()));
        scope.claim(suffix.unwrap_or_else(|| first.name.clone()))
    } else {
        let places = Places {
            names: names.clone(),
            pointer: &first.pointer,
            input: defs.iter().all(|d| is_input(&d.pointer)),
            operations: defs.iter().filter_map(|d| d.module.as_deref()).collect(),
            in_components: defs
                .iter()
                .filter(|d| d.module.is_none() && d.pointer.starts_with("/components/"))
                .map(|d| d.name.as_str())
                .collect(),
        };
        let (name, why) = shared_type_name(&places, &first.kind, types, scope);
        note = why;
        name
    };
    let docs = if defs.iter().all(|d| d.docs == first.docs) {
        first.docs.clone()
    } else {
        let mut docs = Docs::default();
        docs.push(format!(
            "An object that {} places of the API description declare alike; the first is at \
             `{}`.",
            defs.len(),
            first.pointer
        ));
        docs
    };
    let mut docs = docs;
    if let Some(note) = note {
        docs.push(note);
    }
    let example = defs.iter().find_map(|d| d.example.clone());
    let def = &mut types[id.0];
    def.name = name;
    def.module = module;
    def.docs = docs;
    def.example = example;
    if let TypeKind::Struct(Struct {
        builder: Some(builder),
        ..
    }) = &mut def.kind
    {
        *builder = scope.claim(format!("{}Builder", def.name));
    }
}

/// Whether a schema at `pointer` is in a request: a body or a parameter.
pub(super) fn is_input(pointer: &str) -> bool {
    !pointer.contains("/responses/")
        && (pointer.contains("/requestBody/")
            || pointer.contains("/parameters/")
            || pointer.starts_with("/components/requestBodies/")
            || pointer.starts_with("/components/parameters/"))
}

/// A component schema's own type (`#/components/schemas/<name>`), not one inside it.
fn is_component(def: &TypeDef) -> bool {
    def.module.is_none() && super::prune::is_component(&def.pointer)
}

/// The types operations and callbacks name directly, and the payloads of the enums of
/// statuses and events: the names their signatures show.
fn roots(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    callbacks: &mut [SignedCallback],
) -> BTreeSet<TypeId> {
    let mut roots = BTreeSet::new();
    let mut add = |id: &mut TypeId| {
        roots.insert(*id);
    };
    for op in operations.iter_mut() {
        op.for_each_id(&mut add);
    }
    for callback in callbacks.iter_mut() {
        callback.body.for_each_id(&mut add);
    }
    for def in types.iter_mut() {
        if matches!(
            def.kind,
            TypeKind::Responses(_) | TypeKind::Errors(_) | TypeKind::Events(_)
        ) {
            def.kind.for_each_id(&mut add);
        }
    }
    roots
}

/// The sets of two or more structs or unions with the same shape, each in type order, the
/// sets in the order of their first member.
///
/// Shapes are compared with the types they refer to replaced by their set, until the sets no
/// longer change: two objects whose `owner` fields are copies of one object are copies too.
/// Each distinct shape, with the types it refers to left out, gets a number once; a round
/// compares that number and the sets of the types, in order.
fn classes(types: &[TypeDef]) -> Vec<Vec<TypeId>> {
    // The distinct shapes met so far, by outline: equal shapes have equal outlines, so a
    // shape is compared only with the few met before that share its outline.
    let mut met: HashMap<u64, Vec<(TypeKind, usize)>> = HashMap::new();
    let mut distinct = 0;
    let shapes: Vec<(usize, usize, Vec<usize>)> = (0..types.len())
        .filter(|&i| matches!(types[i].kind, TypeKind::Struct(_) | TypeKind::Union(_)))
        .map(|i| {
            let (kind, refs) = shape(&types[i].kind);
            let alike = met.entry(outline(&kind)).or_default();
            let number = match alike.iter().find(|(other, _)| same_shape(other, &kind)) {
                Some(&(_, number)) => number,
                None => {
                    alike.push((kind, distinct));
                    distinct += 1;
                    distinct - 1
                }
            };
            (i, number, refs)
        })
        .collect();
    let mut class: Vec<usize> = (0..types.len()).collect();
    loop {
        let mut groups: BTreeMap<(usize, Vec<usize>), usize> = BTreeMap::new();
        let mut next = class.clone();
        for (i, number, refs) in &shapes {
            let key = (*number, refs.iter().map(|r| class[*r]).collect());
            // Shapes come in type order: a set's first member is its smallest.
            next[*i] = *groups.entry(key).or_insert(*i);
        }
        if next == class {
            break;
        }
        class = next;
    }
    let mut sets: BTreeMap<usize, Vec<TypeId>> = BTreeMap::new();
    for (i, _, _) in &shapes {
        sets.entry(class[*i]).or_default().push(TypeId(*i));
    }
    sets.into_values().filter(|set| set.len() > 1).collect()
}

/// What two copies of one shape have alike: the kind with the types it names set to the
/// first (their ids are returned in order) and without the builder's name (which follows
/// the type's).
fn shape(kind: &TypeKind) -> (TypeKind, Vec<usize>) {
    let mut kind = kind.clone();
    let mut refs = Vec::new();
    kind.for_each_id(&mut |id| {
        refs.push(id.0);
        *id = TypeId(0);
    });
    if let TypeKind::Struct(s) = &mut kind {
        s.builder = s.builder.as_ref().map(|_| String::new());
    }
    (kind, refs)
}

/// A digest of a shape's property or variant names, which equal shapes share.
fn outline(kind: &TypeKind) -> u64 {
    let mut hasher = DefaultHasher::new();
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                field.wire_name.hash(&mut hasher);
            }
        }
        TypeKind::Union(u) => {
            u.variants.len().hash(&mut hasher);
            for variant in &u.variants {
                variant.rust_name.hash(&mut hasher);
            }
        }
        _ => {}
    }
    hasher.finish()
}

/// Whether two shapes are the same to the letter. `==` says most of it, but it finds two
/// JSON objects equal whatever the order of their keys, and examples keep the order written.
fn same_shape(a: &TypeKind, b: &TypeKind) -> bool {
    if a != b {
        return false;
    }
    match (a, b) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            a.fields
                .iter()
                .zip(&b.fields)
                .all(|(a, b)| match (&a.example, &b.example) {
                    (Some(a), Some(b)) => same_order(a, b),
                    _ => true,
                })
        }
        _ => true,
    }
}

/// Whether two equal JSON values list their objects' keys in the same order.
fn same_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .zip(b)
            .all(|((key_a, a), (key_b, b))| key_a == key_b && same_order(a, b)),
        (Value::Array(a), Value::Array(b)) => a.iter().zip(b).all(|(a, b)| same_order(a, b)),
        _ => true,
    }
}

/// Points every use of a removed type at its shared type, then removes them and renumbers
/// the rest.
fn renumber(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    callbacks: &mut [SignedCallback],
    moved: &BTreeMap<TypeId, TypeId>,
) {
    let mut index = Vec::with_capacity(types.len());
    let mut next = 0;
    for old in 0..types.len() {
        if moved.contains_key(&TypeId(old)) {
            index.push(usize::MAX);
        } else {
            index.push(next);
            next += 1;
        }
    }
    let mut remap = |id: &mut TypeId| {
        let target = moved.get(id).copied().unwrap_or(*id);
        *id = TypeId(index[target.0]);
    };
    for def in types.iter_mut() {
        def.kind.for_each_id(&mut remap);
    }
    for op in operations.iter_mut() {
        op.for_each_id(&mut remap);
    }
    for callback in callbacks.iter_mut() {
        callback.body.for_each_id(&mut remap);
    }
    let mut old = 0;
    types.retain(|_| {
        let keep = index[old] != usize::MAX;
        old += 1;
        keep
    });
}
