//! Walking the model, as syn's `visit` and `visit_mut` walk a syntax tree: a [`Visit`] reads
//! every place a type is referred to, a [`VisitMut`] may change each. Each trait method has a
//! default that walks on (`walk_*`); an implementation overrides the places it cares about.
//!
//! One walk serves every pass that follows references (pruning, the shape pass, placement and
//! cargo features, the crate's re-exports, the dependencies of mapped types), so they agree on
//! what refers to what: a pager's item type, a number rule's type and a callback's body are
//! references like any field.

use super::{Checked, Operation, Payload, SignedCallback, TypeDef, TypeId, TypeKind, TypeRef};

/// A read-only walk. Override `visit_type_ref` to see every reference (at every depth: items,
/// values, nullable members), or `visit_type_id` to see the named types they name.
pub trait Visit {
    fn visit_type_ref(&mut self, ty: &TypeRef) {
        walk_type_ref(self, ty);
    }

    fn visit_type_id(&mut self, _id: TypeId) {}

    fn visit_payload(&mut self, payload: &Payload) {
        walk_payload(self, payload);
    }

    fn visit_type_kind(&mut self, kind: &TypeKind) {
        walk_type_kind(self, kind);
    }

    fn visit_operation(&mut self, op: &Operation) {
        walk_operation(self, op);
    }

    fn visit_callback(&mut self, callback: &SignedCallback) {
        self.visit_type_ref(&callback.body);
    }
}

/// The named types a reference names, and the references inside it.
pub fn walk_type_ref<V: Visit + ?Sized>(v: &mut V, ty: &TypeRef) {
    match ty {
        TypeRef::Named(id)
        | TypeRef::OrUnknown(id)
        | TypeRef::Checked(Checked::Pattern(id) | Checked::Float { rule: id, .. }) => {
            v.visit_type_id(*id);
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            v.visit_type_ref(inner);
        }
        _ => {}
    }
}

pub fn walk_payload<V: Visit + ?Sized>(v: &mut V, payload: &Payload) {
    match payload {
        Payload::Json(ty) | Payload::JsonStream(ty, _) | Payload::Events(Some(ty)) => {
            v.visit_type_ref(ty);
        }
        Payload::Several(id) => v.visit_type_id(*id),
        Payload::Empty | Payload::Text | Payload::Bytes | Payload::Events(None) => {}
    }
}

pub fn walk_type_kind<V: Visit + ?Sized>(v: &mut V, kind: &TypeKind) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| v.visit_type_ref(&f.ty)),
        TypeKind::Union(u) => u.variants.iter().for_each(|x| v.visit_type_ref(&x.ty)),
        TypeKind::Events(e) => e.variants.iter().for_each(|x| v.visit_type_ref(&x.ty)),
        TypeKind::Responses(cases) => cases.iter().for_each(|c| v.visit_payload(&c.payload)),
        TypeKind::Errors(cases) => cases.iter().for_each(|c| v.visit_payload(&c.payload)),
        TypeKind::Alias(target) => v.visit_type_ref(target),
        TypeKind::NumberRule(rules) => v.visit_type_ref(&rules.ty),
        TypeKind::Enum(_) | TypeKind::StringRule(_) | TypeKind::Untyped => {}
    }
}

/// An operation's parameters, body, success and error types, and its pager's items.
pub fn walk_operation<V: Visit + ?Sized>(v: &mut V, op: &Operation) {
    op.params.iter().for_each(|p| v.visit_type_ref(&p.ty));
    if let Some(body) = &op.body {
        v.visit_type_ref(&body.ty);
    }
    v.visit_payload(&op.success);
    v.visit_type_ref(&op.error);
    if let Some(pager) = &op.pager {
        v.visit_type_ref(&pager.item);
    }
}

/// Every type, operation and callback, in that order.
pub fn walk_all<V: Visit + ?Sized>(
    v: &mut V,
    types: &[TypeDef],
    operations: &[Operation],
    callbacks: &[SignedCallback],
) {
    for def in types {
        v.visit_type_kind(&def.kind);
    }
    for op in operations {
        v.visit_operation(op);
    }
    for callback in callbacks {
        v.visit_callback(callback);
    }
}

/// Which of `types` are reachable from `roots` (by index), through every reference a type
/// holds ([`walk_type_kind`]).
#[must_use]
pub fn reachable(types: &[TypeDef], mut roots: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    while let Some(id) = roots.pop() {
        if !std::mem::replace(&mut seen[id.0], true) {
            Ids(|next| roots.push(next)).visit_type_kind(&types[id.0].kind);
        }
    }
    seen
}

/// A walk that may change what it visits (ids renumbered by pruning, merged by the shape
/// pass). The same places as [`Visit`], in the same order.
pub trait VisitMut {
    fn visit_type_ref_mut(&mut self, ty: &mut TypeRef) {
        walk_type_ref_mut(self, ty);
    }

    fn visit_type_id_mut(&mut self, _id: &mut TypeId) {}

    fn visit_payload_mut(&mut self, payload: &mut Payload) {
        walk_payload_mut(self, payload);
    }

    fn visit_type_kind_mut(&mut self, kind: &mut TypeKind) {
        walk_type_kind_mut(self, kind);
    }

    fn visit_operation_mut(&mut self, op: &mut Operation) {
        walk_operation_mut(self, op);
    }

    fn visit_callback_mut(&mut self, callback: &mut SignedCallback) {
        self.visit_type_ref_mut(&mut callback.body);
    }
}

pub fn walk_type_ref_mut<V: VisitMut + ?Sized>(v: &mut V, ty: &mut TypeRef) {
    match ty {
        TypeRef::Named(id)
        | TypeRef::OrUnknown(id)
        | TypeRef::Checked(Checked::Pattern(id) | Checked::Float { rule: id, .. }) => {
            v.visit_type_id_mut(id);
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            v.visit_type_ref_mut(inner);
        }
        _ => {}
    }
}

pub fn walk_payload_mut<V: VisitMut + ?Sized>(v: &mut V, payload: &mut Payload) {
    match payload {
        Payload::Json(ty) | Payload::JsonStream(ty, _) | Payload::Events(Some(ty)) => {
            v.visit_type_ref_mut(ty);
        }
        Payload::Several(id) => v.visit_type_id_mut(id),
        Payload::Empty | Payload::Text | Payload::Bytes | Payload::Events(None) => {}
    }
}

pub fn walk_type_kind_mut<V: VisitMut + ?Sized>(v: &mut V, kind: &mut TypeKind) {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .for_each(|f| v.visit_type_ref_mut(&mut f.ty)),
        TypeKind::Union(u) => u
            .variants
            .iter_mut()
            .for_each(|x| v.visit_type_ref_mut(&mut x.ty)),
        TypeKind::Events(e) => e
            .variants
            .iter_mut()
            .for_each(|x| v.visit_type_ref_mut(&mut x.ty)),
        TypeKind::Responses(cases) => cases
            .iter_mut()
            .for_each(|c| v.visit_payload_mut(&mut c.payload)),
        TypeKind::Errors(cases) => cases
            .iter_mut()
            .for_each(|c| v.visit_payload_mut(&mut c.payload)),
        TypeKind::Alias(target) => v.visit_type_ref_mut(target),
        TypeKind::NumberRule(rules) => v.visit_type_ref_mut(&mut rules.ty),
        TypeKind::Enum(_) | TypeKind::StringRule(_) | TypeKind::Untyped => {}
    }
}

pub fn walk_operation_mut<V: VisitMut + ?Sized>(v: &mut V, op: &mut Operation) {
    op.params
        .iter_mut()
        .for_each(|p| v.visit_type_ref_mut(&mut p.ty));
    if let Some(body) = &mut op.body {
        v.visit_type_ref_mut(&mut body.ty);
    }
    v.visit_payload_mut(&mut op.success);
    v.visit_type_ref_mut(&mut op.error);
    if let Some(pager) = &mut op.pager {
        v.visit_type_ref_mut(&mut pager.item);
    }
}

/// A [`Visit`] that hands each named type to a closure.
pub struct Ids<F>(pub F);

impl<F: FnMut(TypeId)> Visit for Ids<F> {
    fn visit_type_id(&mut self, id: TypeId) {
        (self.0)(id);
    }
}

/// A [`VisitMut`] that hands each named type to a closure, to change.
pub struct IdsMut<F>(pub F);

impl<F: FnMut(&mut TypeId)> VisitMut for IdsMut<F> {
    fn visit_type_id_mut(&mut self, id: &mut TypeId) {
        (self.0)(id);
    }
}

/// A [`Visit`] that hands every reference to a closure.
pub struct Refs<F>(pub F);

impl<F: FnMut(&TypeRef)> Visit for Refs<F> {
    fn visit_type_ref(&mut self, ty: &TypeRef) {
        (self.0)(ty);
        walk_type_ref(self, ty);
    }
}

impl<F> std::fmt::Debug for Ids<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ids")
    }
}

impl<F> std::fmt::Debug for IdsMut<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdsMut")
    }
}

impl<F> std::fmt::Debug for Refs<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(fixture: &str) -> crate::model::Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(fixture);
        let text = std::fs::read_to_string(&path).unwrap();
        let syntax = crate::load::Syntax::detect(fixture, &text);
        let loaded = crate::load::read(&text, syntax).unwrap();
        crate::lower::lower(&loaded.document)
    }

    /// The read-only and the mutating walk see the same named types in the same order, and
    /// both see a pager's item type and a signed callback's body.
    #[test]
    fn both_walks_agree_and_miss_no_place() {
        for fixture in [
            "pagination_cursor.yaml",
            "signed_callbacks.yaml",
            "number_bounds.yaml",
        ] {
            let mut api = lowered(fixture);
            let mut read = Vec::new();
            walk_all(
                &mut Ids(|id| read.push(id)),
                &api.types,
                &api.operations,
                &api.callbacks,
            );
            let mut written = Vec::new();
            let mut ids = IdsMut(|id: &mut TypeId| written.push(*id));
            api.types
                .iter_mut()
                .for_each(|d| ids.visit_type_kind_mut(&mut d.kind));
            api.operations
                .iter_mut()
                .for_each(|o| ids.visit_operation_mut(o));
            api.callbacks
                .iter_mut()
                .for_each(|c| ids.visit_callback_mut(c));
            assert_eq!(read, written, "{fixture}");
            assert!(!read.is_empty(), "{fixture}");
            for op in &api.operations {
                let mut seen = Vec::new();
                Ids(|id| seen.push(id)).visit_operation(op);
                if let Some(TypeRef::Named(item)) = op.pager.as_ref().map(|p| &p.item) {
                    assert!(
                        seen.contains(item),
                        "{fixture}: {}'s pager item",
                        op.rust_name
                    );
                }
            }
            for callback in &api.callbacks {
                let mut seen = Vec::new();
                Ids(|id| seen.push(id)).visit_callback(callback);
                if let TypeRef::Named(body) = &callback.body {
                    assert_eq!(seen, vec![*body], "{fixture}");
                }
            }
        }
    }
}
