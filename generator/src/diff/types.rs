//! Types compared: named types by their path under `types`, type references by the Rust type
//! they give a caller, and checked values by the rules they enforce.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Class, Subject};
use crate::model::visit::{Ids, Visit, reachable};
use crate::model::{
    Api, Checked, Docs, Field, Payload, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};

/// How a type reference changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
    Same,
    /// The same kind of checked value, accepting at least what it accepted (what changed).
    Looser(String),
    /// The same kind of checked value, refusing some values it accepted (what changed).
    Tighter(String),
    /// Another Rust type.
    Different,
}

impl Shape {
    /// The change to a value of `what` (a field, a parameter), or `None` when there is none.
    pub(super) fn change(&self, old: &str, new: &str, what: &str) -> Option<(Class, String)> {
        match self {
            Shape::Same => None,
            Shape::Looser(rules) => Some((
                Class::Minor,
                format!("{what}: {rules}: every value accepted before still is"),
            )),
            Shape::Tighter(rules) => Some((
                Class::Major,
                format!(
                    "{what}: {rules}: a value accepted before may now be refused before sending"
                ),
            )),
            Shape::Different => Some((Class::Major, format!("{what}: type `{old}` → `{new}`"))),
        }
    }
}

/// The Rust type a reference gives a caller, short (`Vec<OrUnknown<WebhookEvent>>`).
pub(super) fn spell(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => match api.date_time {
            crate::config::DateTimeCrate::Time => "OffsetDateTime".to_owned(),
            crate::config::DateTimeCrate::Chrono => "DateTime<Utc>".to_owned(),
        },
        TypeRef::External(path) => path.clone(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::File => "FilePart".to_owned(),
        TypeRef::MultipartForm => "MultipartForm".to_owned(),
        TypeRef::Named(id) => api.type_path(*id),
        TypeRef::OrUnknown(id) => format!("OrUnknown<{}>", api.type_path(*id)),
        TypeRef::Vec(inner) => format!("Vec<{}>", spell(api, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", spell(api, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", spell(api, inner)),
        TypeRef::Checked(checked) => spell_checked(api, checked),
    }
}

fn spell_checked(api: &Api, checked: &Checked) -> String {
    let max = |max: &Option<usize>| max.map_or_else(String::new, |m| format!(", {m}"));
    let width = |wide: bool, narrow: &str, wide_name: &str| {
        if wide {
            wide_name.to_owned()
        } else {
            narrow.to_owned()
        }
    };
    match checked {
        Checked::Length { min, max: m } => format!("BoundedString<{min}{}>", max(m)),
        Checked::Uri { min, max: m } => format!("UriString<{min}{}>", max(m)),
        Checked::Pattern(rule) => format!("PatternString<{}>", api.type_path(*rule)),
        Checked::Integer { wide, .. } => width(*wide, "BoundedI32", "BoundedI64"),
        Checked::Float { wide, rule } => {
            format!(
                "{}<{}>",
                width(*wide, "BoundedF32", "BoundedF64"),
                api.type_path(*rule)
            )
        }
    }
}

/// Compares two references: the same Rust type, a checked value whose rules changed, or
/// another type.
pub(super) fn compare_refs(old_api: &Api, old: &TypeRef, new_api: &Api, new: &TypeRef) -> Shape {
    match (old, new) {
        (TypeRef::Checked(a), TypeRef::Checked(b)) => {
            match (rules_of(old_api, a), rules_of(new_api, b)) {
                (Some(a), Some(b)) => a.compare(&b),
                _ => Shape::Different,
            }
        }
        (TypeRef::Vec(a), TypeRef::Vec(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => compare_refs(old_api, a, new_api, b),
        _ if spell(old_api, old) == spell(new_api, new) => Shape::Same,
        _ => Shape::Different,
    }
}

/// What a checked value accepts, in one form for strings and numbers.
#[derive(Debug, Clone, PartialEq)]
struct Rules {
    /// `string`, `uri`, `i32`, `i64`, `f32`, `f64`: values of another kind are another type.
    kind: &'static str,
    min_length: usize,
    max_length: Option<usize>,
    pattern: Option<String>,
    /// (value, exclusive)
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<i64>,
}

fn rules_of(api: &Api, checked: &Checked) -> Option<Rules> {
    let mut rules = Rules {
        kind: "string",
        min_length: 0,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        multiple_of: None,
    };
    match checked {
        Checked::Length { min, max } => (rules.min_length, rules.max_length) = (*min, *max),
        Checked::Uri { min, max } => {
            (rules.kind, rules.min_length, rules.max_length) = ("uri", *min, *max);
        }
        Checked::Pattern(id) => {
            let TypeKind::StringRule(s) = &api.types.get(id.0)?.kind else {
                return None;
            };
            rules.kind = if s.absolute_uri { "uri" } else { "string" };
            rules.min_length = s.min_length.unwrap_or(0);
            rules.max_length = s.max_length;
            rules.pattern.clone_from(&s.pattern);
        }
        Checked::Integer {
            wide,
            min,
            max,
            multiple_of,
        } => {
            rules.kind = if *wide { "i64" } else { "i32" };
            #[allow(clippy::cast_precision_loss)] // Bounds beyond 2^53 compare closely enough.
            {
                rules.minimum = min.map(|m| (m as f64, false));
                rules.maximum = max.map(|m| (m as f64, false));
            }
            rules.multiple_of = *multiple_of;
        }
        Checked::Float { wide, rule } => {
            let TypeKind::NumberRule(n) = &api.types.get(rule.0)?.kind else {
                return None;
            };
            rules.kind = if *wide { "f64" } else { "f32" };
            rules.minimum = n.minimum.map(|b| (b.value, b.exclusive));
            rules.maximum = n.maximum.map(|b| (b.value, b.exclusive));
            rules.multiple_of = n.multiple_of;
        }
    }
    Some(rules)
}

impl Rules {
    fn compare(&self, new: &Rules) -> Shape {
        if self.kind != new.kind {
            return Shape::Different;
        }
        // (what changed, whether it refuses values that were accepted)
        let mut changes: Vec<(String, bool)> = Vec::new();
        if self.min_length != new.min_length {
            changes.push((
                format!("`minLength` {} → {}", self.min_length, new.min_length),
                new.min_length > self.min_length,
            ));
        }
        if self.max_length != new.max_length {
            changes.push((
                format!(
                    "`maxLength` {} → {}",
                    limit(self.max_length),
                    limit(new.max_length)
                ),
                new.max_length.unwrap_or(usize::MAX) < self.max_length.unwrap_or(usize::MAX),
            ));
        }
        if self.pattern != new.pattern {
            let shown =
                |p: &Option<String>| p.as_ref().map_or("none".to_owned(), |p| format!("`{p}`"));
            changes.push((
                format!(
                    "`pattern` {} → {}",
                    shown(&self.pattern),
                    shown(&new.pattern)
                ),
                // Only dropping a pattern surely accepts more.
                new.pattern.is_some(),
            ));
        }
        bound_change("minimum", self.minimum, new.minimum, true, &mut changes);
        bound_change("maximum", self.maximum, new.maximum, false, &mut changes);
        if self.multiple_of != new.multiple_of {
            let shown = |m: Option<i64>| m.map_or("none".to_owned(), |m| m.to_string());
            let looser = match (self.multiple_of, new.multiple_of) {
                (Some(_), None) => true,
                (Some(a), Some(b)) => b != 0 && a % b == 0,
                _ => false,
            };
            changes.push((
                format!(
                    "`multipleOf` {} → {}",
                    shown(self.multiple_of),
                    shown(new.multiple_of)
                ),
                !looser,
            ));
        }
        if changes.is_empty() {
            return Shape::Same;
        }
        let text = changes
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if changes.iter().any(|(_, tighter)| *tighter) {
            Shape::Tighter(text)
        } else {
            Shape::Looser(text)
        }
    }
}

fn limit(max: Option<usize>) -> String {
    max.map_or_else(|| "none".to_owned(), |m| m.to_string())
}

/// A `minimum` (`lower`) or `maximum` that changed: whether it now refuses values.
fn bound_change(
    name: &str,
    old: Option<(f64, bool)>,
    new: Option<(f64, bool)>,
    lower: bool,
    changes: &mut Vec<(String, bool)>,
) {
    if old == new {
        return;
    }
    let shown = |b: Option<(f64, bool)>| match b {
        None => "none".to_owned(),
        Some((v, true)) => format!("{v} (exclusive)"),
        Some((v, false)) => v.to_string(),
    };
    let tighter = match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some((a, a_excl)), Some((b, b_excl))) => {
            let moved_in = if lower { b > a } else { b < a };
            // Bounds are copied from the document, not computed: equal means written alike.
            #[allow(clippy::float_cmp)]
            let same = a == b;
            moved_in || (same && b_excl && !a_excl)
        }
    };
    changes.push((format!("`{name}` {} → {}", shown(old), shown(new)), tighter));
}

/// Which named types each side of the wire reaches: `(requests, responses)`.
pub(super) fn sides(api: &Api) -> (BTreeSet<TypeId>, BTreeSet<TypeId>) {
    let mut request = Vec::new();
    let mut response = Vec::new();
    {
        let mut sent = Ids(|id| request.push(id));
        let mut received = Ids(|id| response.push(id));
        for op in &api.operations {
            for param in &op.params {
                sent.visit_type_ref(&param.ty);
            }
            if let Some(body) = &op.body {
                sent.visit_type_ref(&body.ty);
            }
            received.visit_payload(&op.success);
            received.visit_type_ref(&op.error);
            if let Some(pager) = &op.pager {
                received.visit_type_ref(&pager.item);
            }
        }
        received.visit_type_ref(&api.error_body);
        for callback in &api.callbacks {
            received.visit_callback(callback);
        }
    }
    (reach(api, request), reach(api, response))
}

/// Every type reachable from `roots`.
fn reach(api: &Api, roots: Vec<TypeId>) -> BTreeSet<TypeId> {
    let seen = reachable(&api.types, roots);
    (0..seen.len()).filter(|&i| seen[i]).map(TypeId).collect()
}

/// The types by their path under `types` (rule types aside).
fn by_path(api: &Api) -> BTreeMap<String, TypeId> {
    (0..api.types.len())
        .map(TypeId)
        .filter(|id| !is_rule(&api.types[id.0]))
        .map(|id| (api.type_path(id), id))
        .collect()
}

/// Whether a type is a checked value's rule, compared through the values using it.
fn is_rule(def: &TypeDef) -> bool {
    matches!(def.kind, TypeKind::StringRule(_) | TypeKind::NumberRule(_))
}

/// The changes to named types: those of `new` in its order, then those `old` alone had.
pub(super) fn types(old: &Api, new: &Api) -> Vec<Change> {
    let (old_request, _) = sides(old);
    let (new_request, _) = sides(new);
    let (old_paths, new_paths) = (by_path(old), by_path(new));
    let mut changes = Vec::new();
    for (index, def) in new.types.iter().enumerate() {
        if is_rule(def) {
            continue;
        }
        let path = new.type_path(TypeId(index));
        let subject = Subject::Type { path: path.clone() };
        let mut push = |class, text: String| {
            changes.push(Change {
                class,
                subject: subject.clone(),
                text,
            });
        };
        match old_paths.get(&path) {
            None => push(Class::Minor, format!("added ({})", kind_name(&def.kind))),
            Some(&old_id) => {
                let old_def = &old.types[old_id.0];
                let request = old_request.contains(&old_id) || new_request.contains(&TypeId(index));
                let pair = Pair { old, new, request };
                for (class, text) in pair.type_def(old_def, def) {
                    push(class, text);
                }
            }
        }
    }
    for (index, def) in old.types.iter().enumerate() {
        let path = old.type_path(TypeId(index));
        if !is_rule(def) && !new_paths.contains_key(&path) {
            changes.push(Change {
                class: Class::Major,
                subject: Subject::Type { path },
                text: format!(
                    "removed ({}): code naming it no longer compiles",
                    kind_name(&def.kind)
                ),
            });
        }
    }
    changes
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enumeration",
        TypeKind::StringRule(_) | TypeKind::NumberRule(_) => "a rule",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Union(_) => "a union",
        TypeKind::Responses(_) => "an enum of success responses",
        TypeKind::Errors(_) => "an enum of error responses",
        TypeKind::Untyped => "any JSON value",
        TypeKind::Events(_) => "an enum of deliveries",
    }
}

/// The two APIs a type is compared across, and whether the type is sent.
struct Pair<'a> {
    old: &'a Api,
    new: &'a Api,
    /// The type is reached from a request (in either version).
    request: bool,
}

impl Pair<'_> {
    fn type_def(&self, old: &TypeDef, new: &TypeDef) -> Vec<(Class, String)> {
        let mut out = Vec::new();
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.structs(a, b, &mut out),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let values = |e: &crate::model::Enum| -> Vec<(String, String)> {
                    e.variants
                        .iter()
                        .map(|v| {
                            (
                                v.rust_name.clone(),
                                format!("`{}` (`{}`)", v.wire, v.rust_name),
                            )
                        })
                        .collect()
                };
                variants("value", &values(a), &values(b), &mut out);
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let shape = compare_refs(self.old, a, self.new, b);
                let (a, b) = (spell(self.old, a), spell(self.new, b));
                out.extend(shape.change(&a, &b, "values of this type"));
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                let list = |api: &Api, u: &crate::model::Union| -> Vec<(String, String)> {
                    let v = u.variants.iter();
                    v.map(|v| {
                        (
                            v.rust_name.clone(),
                            format!("`{}({})`", v.rust_name, spell(api, &v.ty)),
                        )
                    })
                    .collect()
                };
                variants("variant", &list(self.old, a), &list(self.new, b), &mut out);
            }
            (TypeKind::Events(a), TypeKind::Events(b)) => {
                let list = |api: &Api, e: &crate::model::Events| -> Vec<(String, String)> {
                    let v = e.variants.iter();
                    v.map(|v| {
                        (
                            v.rust_name.clone(),
                            format!("`{}({})` for `{}`", v.rust_name, spell(api, &v.ty), v.value),
                        )
                    })
                    .collect()
                };
                variants("variant", &list(self.old, a), &list(self.new, b), &mut out);
            }
            (TypeKind::Responses(a), TypeKind::Responses(b)) => {
                let (a, b) = (a.iter().map(|c| (&c.rust_name, &c.payload)), b.iter());
                let b = b.map(|c| (&c.rust_name, &c.payload));
                let (old, new) = (cases(self.old, a), cases(self.new, b));
                variants("status", &old, &new, &mut out);
            }
            (TypeKind::Errors(a), TypeKind::Errors(b)) => {
                let (a, b) = (a.iter().map(|c| (&c.rust_name, &c.payload)), b.iter());
                let b = b.map(|c| (&c.rust_name, &c.payload));
                let (old, new) = (cases(self.old, a), cases(self.new, b));
                variants("status", &old, &new, &mut out);
            }
            (TypeKind::Untyped, TypeKind::Untyped) => {}
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => out.push((
                Class::Major,
                format!("was {}, is now {}", kind_name(a), kind_name(b)),
            )),
            _ => {}
        }
        if docs_changed(&old.docs, &new.docs) || old.example != new.example {
            out.push((Class::Patch, "documentation changed".to_owned()));
        }
        out
    }

    fn structs(&self, old: &Struct, new: &Struct, out: &mut Vec<(Class, String)>) {
        for field in &new.fields {
            match old.fields.iter().find(|f| f.rust_name == field.rust_name) {
                Some(before) => self.field(before, field, out),
                None => out.push(self.field_added(field)),
            }
        }
        for field in &old.fields {
            if !new.fields.iter().any(|f| f.rust_name == field.rust_name) {
                out.push((Class::Major, format!("field `{}` removed", field.rust_name)));
            }
        }
        if old.builder.is_some() && new.builder.is_none() {
            out.push((Class::Major, "no longer has a builder".to_owned()));
        }
    }

    fn field_added(&self, field: &Field) -> (Class, String) {
        let ty = field_type(self.new, field);
        let name = &field.rust_name;
        match (self.request, optional(field)) {
            (true, false) => (
                Class::Major,
                format!(
                    "required field `{name}: {ty}` added: `new` takes it, and `build()` refuses a builder without it"
                ),
            ),
            (true, true) => (
                Class::Minor,
                format!("optional field `{name}: {ty}` added (builder setter `{name}`)"),
            ),
            (false, _) => (Class::Minor, format!("field `{name}: {ty}` added")),
        }
    }

    fn field(&self, old: &Field, new: &Field, out: &mut Vec<(Class, String)>) {
        let name = &new.rust_name;
        if optional(old) != optional(new) || old.boxed != new.boxed {
            let (a, b) = (field_type(self.old, old), field_type(self.new, new));
            let why = if self.request && optional(old) {
                ": `new` takes it, and `build()` refuses a builder without it"
            } else if self.request {
                ": `new` no longer takes it"
            } else {
                ""
            };
            out.push((
                Class::Major,
                format!("field `{name}`: type `{a}` → `{b}`{why}"),
            ));
        } else {
            let shape = compare_refs(self.old, &old.ty, self.new, &new.ty);
            let (a, b) = (spell(self.old, &old.ty), spell(self.new, &new.ty));
            out.extend(shape.change(&a, &b, &format!("field `{name}`")));
        }
        if old.wire_name != new.wire_name {
            out.push((
                Class::Minor,
                format!(
                    "field `{name}` is sent and read as `{}`, was `{}`",
                    new.wire_name, old.wire_name
                ),
            ));
        }
        if docs_changed(&old.docs, &new.docs) || old.example != new.example {
            out.push((
                Class::Patch,
                format!("field `{name}`: documentation changed"),
            ));
        }
    }
}

/// Lists of variants, by Rust name: added ones are minor (the enums are
/// `#[non_exhaustive]`), removed ones major, changed ones major.
fn variants(
    what: &str,
    old: &[(String, String)],
    new: &[(String, String)],
    out: &mut Vec<(Class, String)>,
) {
    for (name, shown) in new {
        match old.iter().find(|(n, _)| n == name) {
            None => out.push((Class::Minor, format!("{what} {shown} added"))),
            Some((_, before)) if before != shown => {
                out.push((Class::Major, format!("{what} {before} → {shown}")));
            }
            Some(_) => {}
        }
    }
    for (name, shown) in old {
        if !new.iter().any(|(n, _)| n == name) {
            out.push((Class::Major, format!("{what} {shown} removed")));
        }
    }
}

fn optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// A field's declared type, as the struct has it.
fn field_type(api: &Api, field: &Field) -> String {
    let mut ty = spell(api, &field.ty);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    if optional(field) {
        ty = format!("Option<{ty}>");
    }
    ty
}

/// What a success or error payload gives a caller.
pub(super) fn payload(api: &Api, payload: &Payload) -> String {
    match payload {
        Payload::Empty => "()".to_owned(),
        Payload::Json(ty) => spell(api, ty),
        Payload::Text => "String".to_owned(),
        Payload::Bytes => "ByteStream".to_owned(),
        Payload::Events(None) => "EventStream".to_owned(),
        Payload::Events(Some(ty)) => format!("EventStream<_, {}>", spell(api, ty)),
        Payload::JsonStream(ty, _) => format!("JsonStream<{}>", spell(api, ty)),
        Payload::Several(id) => api.type_path(*id),
    }
}

pub(super) fn docs_changed(old: &Docs, new: &Docs) -> bool {
    old != new
}

/// The cases of a statuses' enum (success or error), as [`variants`] compares them: each name,
/// and how it reads (`Created(Webhook)`).
fn cases<'a>(
    api: &Api,
    cases: impl Iterator<Item = (&'a String, &'a crate::model::Payload)>,
) -> Vec<(String, String)> {
    cases
        .map(|(name, body)| (name.clone(), format!("`{name}({})`", payload(api, body))))
        .collect()
}
