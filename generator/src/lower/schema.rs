//! Lowering schemas into named types and type references.

use openapiv3::{
    AdditionalProperties, AnySchema, ObjectType, Schema, SchemaData, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use super::refs::{SchemaRef, resolve_schema};
use super::{Direction, Flavour, Lowerer};
use crate::diagnostics::pointer;
use crate::model::{
    Bound, Checked, Discriminator, Docs, Enum, EnumValue, Field, NumberRules, StringRules, Struct,
    TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant, Variant,
};
use crate::naming::{self, Scope, reserved};

/// Where a schema stands and how to lower it.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // Independent facts about one position; no state machine.
pub(crate) struct Ctx {
    /// JSON pointer of the schema.
    pub pointer: String,
    pub dir: Direction,
    /// The type name to use if this schema becomes a named type.
    pub hint: String,
    /// Whether a struct made here is also built by callers (gets a builder).
    pub built: bool,
    /// `time`'s serde adapters work on a field or an optional field, not inside containers.
    pub allow_datetime: bool,
    /// A `multipart/form-data` body: a struct made here is encoded as parts.
    pub multipart: bool,
    /// A field of a multipart body: `format: binary` strings are files.
    pub files: bool,
    /// The operation whose module of types a type made here goes in (`None`: the top of
    /// `types`, for components and what they contain).
    pub module: Option<String>,
    /// The labels of the places from the module's root down to here (`Body`,
    /// `PaymentSettings`, `Item`): a type in a module is named by the fewest trailing labels
    /// that no other type of the module has.
    pub path: Vec<String>,
}

impl Ctx {
    /// A context at the top of `types` (a component), named `hint`.
    pub(crate) fn top(pointer: String, dir: Direction, hint: String) -> Self {
        Self {
            pointer,
            dir,
            path: vec![hint.clone()],
            hint,
            built: false,
            allow_datetime: false,
            multipart: false,
            files: false,
            module: None,
        }
    }

    /// A context in the module of types of the operation `module`, labelled `label`.
    pub(crate) fn in_module(pointer: String, dir: Direction, module: &str, label: String) -> Self {
        Self {
            pointer,
            dir,
            hint: label.clone(),
            path: vec![label],
            built: false,
            allow_datetime: false,
            multipart: false,
            files: false,
            module: Some(module.to_owned()),
        }
    }

    /// The context of a schema inside this one, at `tokens`, labelled `label` after `parent`
    /// (the name of the type made here, or the hint).
    fn child(&self, tokens: &[&str], parent: &str, label: &str) -> Self {
        let mut path = self.path.clone();
        path.push(label.to_owned());
        Self {
            pointer: pointer(&self.pointer, tokens),
            dir: self.dir,
            hint: format!("{parent}{label}"),
            path,
            built: self.built,
            allow_datetime: self.allow_datetime,
            multipart: self.multipart,
            files: self.files,
            module: self.module.clone(),
        }
    }

    /// The context of a schema that stands for this one (a single-member composition).
    fn same(&self, tokens: &[&str]) -> Self {
        Self {
            pointer: pointer(&self.pointer, tokens),
            ..self.clone()
        }
    }
}

/// The shape an object-like schema has, whether it was written as `type: object`, without a
/// type, or as an `allOf` of objects.
struct ObjectView<'a> {
    /// Name, schema and the JSON pointer of the property.
    properties: Vec<(&'a String, &'a openapiv3::ReferenceOr<Box<Schema>>, String)>,
    required: Vec<&'a String>,
    additional: Option<&'a AdditionalProperties>,
    /// `oneOf`/`anyOf`s that join the object: each becomes a field flattened into its struct.
    unions: Vec<Flat<'a>>,
}

/// A `oneOf`/`anyOf` flattened into a struct, with the pointer where it stands.
#[derive(Clone)]
enum Flat<'a> {
    /// An `allOf` member that is a union (inline, or a `$ref` to one).
    Member(SchemaRef<'a>, String),
    /// The list beside an object's own properties (`properties` and `oneOf` in one schema);
    /// the schema's description and discriminator are the union's.
    Own(
        &'a Schema,
        &'a [openapiv3::ReferenceOr<Schema>],
        &'static str,
        String,
    ),
}

impl<'a> ObjectView<'a> {
    fn new(
        properties: &'a indexmap::IndexMap<String, openapiv3::ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        at: &str,
    ) -> Self {
        Self {
            properties: properties
                .iter()
                .map(|(name, schema)| (name, schema, pointer(at, &["properties", name])))
                .collect(),
            required: required.iter().collect(),
            additional,
            unions: Vec::new(),
        }
    }

    fn new_empty() -> Self {
        Self {
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            unions: Vec::new(),
        }
    }

    fn of_object(o: &'a ObjectType, at: &str) -> Self {
        Self::new(
            &o.properties,
            &o.required,
            o.additional_properties.as_ref(),
            at,
        )
    }

    fn of_any(a: &'a AnySchema, at: &str) -> Self {
        Self::new(
            &a.properties,
            &a.required,
            a.additional_properties.as_ref(),
            at,
        )
    }

    /// Adds `other`'s properties (a later one replaces an earlier one of the same name).
    fn merge(&mut self, other: Self) {
        for property in other.properties {
            self.properties.retain(|(name, _, _)| *name != property.0);
            self.properties.push(property);
        }
        for name in other.required {
            if !self.required.contains(&name) {
                self.required.push(name);
            }
        }
        if other.additional.is_some() {
            self.additional = other.additional;
        }
        self.unions.extend(other.unions);
    }
}

/// Whether a schema has object parts of its own (properties, `required`, additional
/// properties) besides any composition. `additionalProperties: false` alone says nothing
/// about what the value is.
fn has_own_object_part(any: &AnySchema) -> bool {
    !any.properties.is_empty()
        || !any.required.is_empty()
        || matches!(
            any.additional_properties,
            Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
        )
}

/// Whether every member of a `oneOf`/`anyOf` only names required properties (`oneOf: [{required:
/// [a]}, {required: [b]}]`): a rule about which properties are present, not another shape.
fn only_requires(list: &[openapiv3::ReferenceOr<Schema>]) -> bool {
    !list.is_empty()
        && list.iter().all(|member| match member {
            openapiv3::ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Any(any),
                ..
            }) => {
                let rest = AnySchema {
                    required: Vec::new(),
                    ..any.clone()
                };
                rest == AnySchema::default()
            }
            _ => false,
        })
}

/// Whether a schema without a type only refines a value's rules (`pattern`, `format`,
/// lengths, bounds) without saying what it is: as an `allOf` member it changes no type.
fn only_refines(any: &AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.required.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.all_of.is_empty()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

/// The JSON type a schema that is a plain scalar has (`string`, `integer`...).
fn scalar_kind(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => Some("string"),
        SchemaKind::Type(Type::Integer(i)) if i.enumeration.is_empty() => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Any(any) if any.properties.is_empty() && any.enumeration.is_empty() => {
            match any.typ.as_deref() {
                Some("string") => Some("string"),
                Some("integer") => Some("integer"),
                Some("number") => Some("number"),
                Some("boolean") => Some("boolean"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The members of a nested `allOf`, with their pointers.
fn nested_members<'a>(
    all_of: &'a [openapiv3::ReferenceOr<Schema>],
    at: &str,
) -> Vec<(SchemaRef<'a>, String)> {
    all_of
        .iter()
        .enumerate()
        .map(|(i, m)| (SchemaRef::from(m), pointer(at, &["allOf", &i.to_string()])))
        .collect()
}

/// What an `allOf` member contributes.
enum Member<'a> {
    Object(ObjectView<'a>),
    /// Only annotations (description, nullable...) or refinements of a value's rules: no
    /// type of their own.
    Annotation,
    /// A `oneOf`/`anyOf`: flattened into the merged struct.
    Union(SchemaRef<'a>, String),
    /// Anything else: a schema that is not an object.
    Other(SchemaRef<'a>, &'a Schema),
}

/// A `format` as written, whether `openapiv3` knows it (`known` spells those) or not.
fn format_name<T>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The extension naming a schema's Rust type, as progenitor reads it: `{crate, version,
/// path}`.
const X_RUST_TYPE: &str = "x-rust-type";

impl<'a> Lowerer<'a> {
    /// The type for `schema` as it stands at `ctx`.
    pub(crate) fn schema_type(&mut self, schema: SchemaRef<'a>, ctx: &Ctx) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => self.component_type(reference, ctx),
            SchemaRef::Inline(schema) => self.inline_type(schema, ctx),
        }
    }

    pub(crate) fn component_type(&mut self, reference: &str, ctx: &Ctx) -> TypeRef {
        let (name, schema, pointer) = match resolve_schema(self.doc, reference, &ctx.pointer) {
            Ok(found) => found,
            Err(problem) => return self.untyped(ctx, problem, None),
        };
        if let Some(mapped) = self.mappings.and_then(|m| m.schemas.get(&name)) {
            return self.external(mapped);
        }
        let split = self.usage.splits(&name);
        // One type serves both sides when both sides would lower it alike; a schema reached
        // only from responses, or from nowhere, is lowered the tolerant (response) way.
        let dir = if split {
            ctx.dir
        } else if self.usage.in_requests(&name) && !self.usage.in_responses(&name) {
            Direction::Request
        } else {
            Direction::Response
        };
        // Reached again while it is being lowered: the type made for it so far (a struct in
        // progress, for a recursive object), or, with none, a shape that only refers back to
        // itself through one-member compositions (`A: {allOf: [$ref: B]}`, `B: {oneOf: [$ref:
        // A]}`), which describes nothing.
        if self.entered.contains(&pointer) {
            let flavour = match dir {
                Direction::Request => Flavour::Request,
                Direction::Response => Flavour::Response,
            };
            if let Some(id) = self
                .existing(&pointer, flavour)
                .or_else(|| self.existing(&pointer, Flavour::Shared))
            {
                return TypeRef::Named(id);
            }
            let problem = crate::diagnostics::Diagnostic::new(
                pointer.clone(),
                "the schema refers back to itself through one-member compositions or \
                 references only: it has no shape",
            );
            return self.untyped(ctx, problem, None);
        }
        let base = self
            .component_names
            .get(&pointer)
            .cloned()
            .unwrap_or_else(|| naming::type_name(&name));
        // Only structs get a second, request-side copy; enumerations and checked strings are
        // one type for both sides.
        let hint = if split && dir == Direction::Request && is_object_like(schema) {
            format!("{base}Input")
        } else {
            base
        };
        let inner = Ctx {
            // Only the request copy of a split schema is built by callers.
            built: self.usage.in_requests(&name) && (dir == Direction::Request || !split),
            allow_datetime: ctx.allow_datetime,
            // A component that is a multipart body itself is lowered as one (binary strings
            // as files); its properties' own components are not.
            multipart: ctx.multipart,
            ..Ctx::top(pointer.clone(), dir, hint)
        };
        self.entered.push(pointer);
        let ty = self.inline_type(schema, &inner);
        self.entered.pop();
        ty
    }

    fn inline_type(&mut self, schema: &'a Schema, ctx: &Ctx) -> TypeRef {
        // A schema the loader could not read stands in for the one written.
        if let Some(problem) = crate::load::repaired(&schema.schema_data.extensions) {
            return self.untyped(ctx, problem, None);
        }
        match self.mapped(schema, &ctx.pointer) {
            Ok(Some(ty)) => return ty,
            Ok(None) => {}
            Err(problem) => return self.untyped(ctx, problem, None),
        }
        // A title only this schema has is a better name than one made from where it stands
        // (Stripe's `eu_bank_transfer_param`, not `PostCustomers…BankTransferEuBankTransfer`).
        let titled;
        let ctx = match schema.schema_data.title.as_deref() {
            Some(title)
                if self.unique_titles.contains(title)
                    && self.component_names.get(&ctx.pointer) != Some(&ctx.hint) =>
            {
                let mut path = ctx.path.clone();
                if let Some(last) = path.last_mut() {
                    *last = naming::type_name(title);
                }
                titled = Ctx {
                    hint: naming::type_name(title),
                    path,
                    ..ctx.clone()
                };
                &titled
            }
            _ => ctx,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.string_type(schema, s, ctx),
            SchemaKind::Type(Type::Integer(i)) => self.integer_type(schema, i, ctx),
            SchemaKind::Type(Type::Number(n)) => self.number_type(schema, n, ctx),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.array_type(a.items.as_ref(), ctx),
            SchemaKind::Type(Type::Object(o)) => {
                self.object_type(schema, &ObjectView::of_object(o, &ctx.pointer), ctx)
            }
            SchemaKind::AllOf { all_of } => self.composition(schema, all_of, "allOf", ctx),
            SchemaKind::OneOf { one_of } => self.composition(schema, one_of, "oneOf", ctx),
            SchemaKind::AnyOf { any_of } => self.composition(schema, any_of, "anyOf", ctx),
            // What a value must not be cannot be a Rust type: any JSON value is accepted, and
            // the docs say so (see `rules_text`).
            SchemaKind::Not { .. } => TypeRef::Json,
            SchemaKind::Any(any) => self.any_type(schema, any, ctx),
        }
    }

    /// The type the schema's `x-rust-type`, or a settings mapping of its `format`, names.
    fn mapped(
        &mut self,
        schema: &Schema,
        at: &str,
    ) -> Result<Option<TypeRef>, crate::diagnostics::Diagnostic> {
        if let Some(value) = schema.schema_data.extensions.get(X_RUST_TYPE) {
            let problem = |message: String| {
                crate::diagnostics::Diagnostic::new(
                    format!("{at}/{X_RUST_TYPE}"),
                    format!("not a Rust type: {message}"),
                )
            };
            let written: crate::config::RustTypeFile =
                serde_json::from_value(value.clone()).map_err(|e| problem(e.to_string()))?;
            let mapped = crate::config::RustType::from_file(&written).map_err(problem)?;
            return Ok(Some(self.external(&mapped)));
        }
        let format = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => format_name(&s.format, |item| match item {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }),
            SchemaKind::Type(Type::Number(n)) => format_name(&n.format, |item| match item {
                openapiv3::NumberFormat::Float => "float",
                openapiv3::NumberFormat::Double => "double",
            }),
            SchemaKind::Type(Type::Integer(i)) => format_name(&i.format, |item| match item {
                openapiv3::IntegerFormat::Int32 => "int32",
                openapiv3::IntegerFormat::Int64 => "int64",
            }),
            _ => None,
        };
        let mapped = format.and_then(|f| self.mappings?.formats.get(&f));
        Ok(mapped.map(|mapped| self.external(mapped)))
    }

    /// A mapped type, recorded so that the crate depends on its crate.
    fn external(&mut self, mapped: &crate::config::RustType) -> TypeRef {
        self.externals
            .entry(mapped.path.clone())
            .or_insert_with(|| mapped.dependency.clone());
        TypeRef::External(mapped.path.clone())
    }

    fn any_type(&mut self, schema: &'a Schema, any: &'a AnySchema, ctx: &Ctx) -> TypeRef {
        // `allOf` beside properties or `required` of its own: those join the merge.
        if !any.all_of.is_empty() && has_own_object_part(any) {
            let own = Self::own_object(schema, any, &ctx.pointer);
            return self.all_of(schema, &any.all_of, ctx, Some(own));
        }
        // Properties beside a `oneOf`/`anyOf`: an object with the union flattened into it
        // (a union that only says which properties are required is no shape of its own).
        if has_own_object_part(any) && any.all_of.is_empty() {
            let own = Self::own_object(schema, any, &ctx.pointer);
            if !own.unions.is_empty() || !any.properties.is_empty() {
                return self.object_type(schema, &own, ctx);
            }
        }
        for (list, keyword) in [
            (&any.all_of, "allOf"),
            (&any.one_of, "oneOf"),
            (&any.any_of, "anyOf"),
        ] {
            if !list.is_empty() && !only_requires(list) {
                return self.composition(schema, list, keyword, ctx);
            }
        }
        if any.not.is_some() {
            return TypeRef::Json;
        }
        match any.typ.as_deref() {
            Some("object") | None if !any.properties.is_empty() => {
                self.object_type(schema, &ObjectView::of_any(any, &ctx.pointer), ctx)
            }
            Some("array") => self.array_type(any.items.as_ref(), ctx),
            None if any.items.is_some() => self.array_type(any.items.as_ref(), ctx),
            Some("string") | None if any.enumeration.iter().any(serde_json::Value::is_string) => {
                let values: Vec<EnumValue> = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| EnumValue::String(s.to_owned())))
                    .collect();
                self.enum_type(schema, &values, ctx)
            }
            Some("string") => TypeRef::String,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("object") => self.object_type(schema, &ObjectView::of_any(any, &ctx.pointer), ctx),
            _ => TypeRef::Json,
        }
    }

    /// A schema's own object part, with the `oneOf`/`anyOf` beside it (if it is a shape).
    fn own_object(schema: &'a Schema, any: &'a AnySchema, at: &str) -> ObjectView<'a> {
        let mut own = ObjectView::of_any(any, at);
        for (list, keyword) in [(&any.one_of, "oneOf"), (&any.any_of, "anyOf")] {
            if !list.is_empty() && !only_requires(list) {
                own.unions
                    .push(Flat::Own(schema, list, keyword, pointer(at, &[keyword])));
            }
        }
        own
    }

    fn composition(
        &mut self,
        schema: &'a Schema,
        list: &'a [openapiv3::ReferenceOr<Schema>],
        keyword: &str,
        ctx: &Ctx,
    ) -> TypeRef {
        // A single-member composition is the common way to give a `$ref` its own description.
        if let [only] = list {
            let child = ctx.same(&[keyword, "0"]);
            return self.schema_type(only.into(), &child);
        }
        if list.is_empty() {
            return TypeRef::Json;
        }
        if keyword == "allOf" {
            self.all_of(schema, list, ctx, None)
        } else {
            self.one_of(schema, list, keyword, ctx)
        }
    }

    /// `allOf` of objects is one struct with every member's properties (and `own`, the
    /// properties and `required` written beside the `allOf`, last), with any `oneOf`/`anyOf`
    /// member flattened into it; `allOf` of one real schema and annotations is that schema,
    /// and so is one of several alike scalars (`allOf: [{$ref: Id}, {type: string}]`).
    fn all_of(
        &mut self,
        schema: &'a Schema,
        list: &'a [openapiv3::ReferenceOr<Schema>],
        ctx: &Ctx,
        own: Option<ObjectView<'a>>,
    ) -> TypeRef {
        let mut merged: Option<ObjectView<'a>> = None;
        let mut others: Vec<(SchemaRef<'a>, &'a Schema, String)> = Vec::new();
        let mut unions = Vec::new();
        let mut stack: Vec<(SchemaRef<'a>, String)> = list
            .iter()
            .enumerate()
            .rev()
            .map(|(i, member)| {
                (
                    SchemaRef::from(member),
                    pointer(&ctx.pointer, &["allOf", &i.to_string()]),
                )
            })
            .collect();
        let mut hops = 0;
        while let Some((member, at)) = stack.pop() {
            hops += 1;
            if hops > 256 {
                let problem = crate::diagnostics::Diagnostic::new(
                    &ctx.pointer,
                    "`allOf` nests too deeply (a cycle of references?)",
                );
                return self.untyped(ctx, problem, Some(&schema.schema_data));
            }
            let (kind, nested) = match self.all_of_member(member, &at) {
                Ok(found) => found,
                Err(problem) => return self.untyped(ctx, problem, Some(&schema.schema_data)),
            };
            // A member that is itself an `allOf`: its members join this one.
            if let Some(nested) = nested {
                stack.extend(nested.into_iter().rev());
            }
            match kind {
                Member::Object(view) => match &mut merged {
                    Some(merged) => merged.merge(view),
                    None => merged = Some(view),
                },
                Member::Annotation => {}
                Member::Union(union, at) => unions.push(Flat::Member(union, at)),
                Member::Other(other, resolved) => others.push((other, resolved, at)),
            }
        }
        if let Some(own) = own {
            match &mut merged {
                Some(merged) => merged.merge(own),
                None => merged = Some(own),
            }
        }
        // Alike scalars (a `$ref` to a string and `type: string`) are the first of them.
        if merged.is_none() && unions.is_empty() && others.len() > 1 {
            let kinds: Vec<Option<&str>> = others.iter().map(|(_, s, _)| scalar_kind(s)).collect();
            if kinds[0].is_some() && kinds.iter().all(|k| *k == kinds[0]) {
                others.truncate(1);
            }
        }
        match (merged, others.as_slice(), unions.as_slice()) {
            (Some(mut view), [], _) => {
                view.unions.extend(unions);
                self.object_type(schema, &view, ctx)
            }
            (None, [(only, _, at)], []) => {
                let child = Ctx {
                    pointer: at.clone(),
                    ..ctx.clone()
                };
                self.schema_type(*only, &child)
            }
            (None, [], []) => TypeRef::Json,
            (None, [], [Flat::Member(only, _)]) => self.schema_type(*only, ctx),
            (None, [], _) => {
                let mut view = ObjectView::new_empty();
                view.unions = unions;
                self.object_type(schema, &view, ctx)
            }
            _ => {
                let problem = crate::diagnostics::Diagnostic::new(
                    &ctx.pointer,
                    "`allOf` mixing objects with other kinds of schema (a string, an array...) \
                     cannot be one Rust type",
                );
                self.untyped(ctx, problem, Some(&schema.schema_data))
            }
        }
    }

    /// Classifies one `allOf` member, following its reference; for a nested `allOf`, also
    /// returns its members.
    #[allow(clippy::type_complexity)] // A private helper's two-part answer.
    fn all_of_member(
        &self,
        member: SchemaRef<'a>,
        at: &str,
    ) -> Result<(Member<'a>, Option<Vec<(SchemaRef<'a>, String)>>), crate::diagnostics::Diagnostic>
    {
        let (schema, at) = match member {
            SchemaRef::Inline(schema) => (schema, at.to_owned()),
            SchemaRef::Ref(reference) => {
                let (_, schema, at) = resolve_schema(self.doc, reference, at)?;
                (schema, at)
            }
        };
        if let Some(problem) = crate::load::repaired(&schema.schema_data.extensions) {
            return Err(problem);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (Member::Object(ObjectView::of_object(o, &at)), None)
            }
            SchemaKind::AllOf { all_of } => (Member::Annotation, Some(nested_members(all_of, &at))),
            SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list } => {
                if only_requires(list) {
                    (Member::Annotation, None)
                } else {
                    (Member::Union(member, at), None)
                }
            }
            // An `allOf` with properties or `required` beside it (openapiv3 reads that as a
            // schema of no particular kind): both parts join.
            SchemaKind::Any(any)
                if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
            {
                let own = if has_own_object_part(any) {
                    Member::Object(ObjectView::of_any(any, &at))
                } else {
                    Member::Annotation
                };
                (own, Some(nested_members(&any.all_of, &at)))
            }
            // Properties (or only `required`, or only additional properties): an object part.
            // A `oneOf` beside them written inline joins the merge too; one in a referenced
            // schema is that schema's own business (a base listing its subtypes, which
            // include it): the merge takes its properties only.
            SchemaKind::Any(any)
                if has_own_object_part(any) || any.typ.as_deref() == Some("object") =>
            {
                let view = match member {
                    SchemaRef::Inline(inline) => Self::own_object(inline, any, &at),
                    SchemaRef::Ref(_) => ObjectView::of_any(any, &at),
                };
                (Member::Object(view), None)
            }
            SchemaKind::Any(any)
                if any.typ.is_none()
                    && any.properties.is_empty()
                    && (!any.one_of.is_empty() || !any.any_of.is_empty()) =>
            {
                let list = if any.one_of.is_empty() {
                    &any.any_of
                } else {
                    &any.one_of
                };
                if only_requires(list) {
                    (Member::Annotation, None)
                } else {
                    (Member::Union(member, at), None)
                }
            }
            SchemaKind::Any(any) if only_refines(any) => (Member::Annotation, None),
            _ => (Member::Other(member, schema), None),
        })
    }

    /// `oneOf`/`anyOf`: an enum with a variant per member, decoded by the discriminator when
    /// there is one, else by the first member the value fits.
    fn one_of(
        &mut self,
        schema: &'a Schema,
        list: &'a [openapiv3::ReferenceOr<Schema>],
        keyword: &str,
        ctx: &Ctx,
    ) -> TypeRef {
        let flavour = match ctx.dir {
            Direction::Request => Flavour::Request,
            Direction::Response => Flavour::Response,
        };
        if let Some(id) = self.existing(&ctx.pointer, flavour) {
            return TypeRef::Named(id);
        }
        let id = self.reserve(&ctx.pointer, flavour);
        let name = self.type_name(ctx);
        let mut variant_names = Scope::default();
        let mut variants = Vec::new();
        let mut member_names = Vec::new();
        let mut labels: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(i, member)| match SchemaRef::from(member) {
                SchemaRef::Ref(reference) => super::refs::component_name(reference, "schemas")
                    .map_or_else(|| format!("Variant{}", i + 1), |c| naming::type_name(&c)),
                SchemaRef::Inline(inline) => variant_label(inline, i),
            })
            .collect();
        // Inline members of one kind (two objects, two strings) by what tells them apart.
        let kinds = labels.clone();
        for (i, member) in list.iter().enumerate() {
            if let SchemaRef::Inline(inline) = SchemaRef::from(member) {
                if kinds.iter().filter(|l| **l == kinds[i]).count() > 1 {
                    if let Some(apart) = distinct_label(inline) {
                        labels[i] = apart;
                    }
                }
            }
        }
        for (i, member) in list.iter().enumerate() {
            let member_ref = SchemaRef::from(member);
            let component = match member_ref {
                SchemaRef::Ref(reference) => super::refs::component_name(reference, "schemas"),
                SchemaRef::Inline(_) => None,
            };
            let label = labels[i].clone();
            let rust_name = variant_names.claim(label.clone());
            let mut child = ctx.child(&[keyword, &i.to_string()], &name, &label);
            child.allow_datetime = false;
            let ty = self.schema_type(member_ref, &child);
            let (data, _) = self.schema_data(member_ref, &ctx.pointer);
            let mut docs = Docs::default();
            docs.push_or(data.and_then(|d| d.description.as_deref()), || {
                format!("The `{rust_name}` case.")
            });
            if rust_name != label {
                docs.push(format!(
                    "Named `{rust_name}`: member {} of the `{keyword}`, after `{label}`, \
                     is another `{label}` with nothing in its schema to tell them apart.",
                    i + 1
                ));
            }
            member_names.push(component);
            variants.push(UnionVariant {
                rust_name,
                ty,
                docs,
            });
        }
        let discriminator = schema.schema_data.discriminator.as_ref().map(|d| {
            let mut values: Vec<(String, usize)> = Vec::new();
            for (value, target) in &d.mapping {
                let target_name = super::refs::component_name(target, "schemas")
                    .unwrap_or_else(|| target.clone());
                if let Some(index) = member_names
                    .iter()
                    .position(|m| m.as_deref() == Some(target_name.as_str()))
                {
                    values.push((value.clone(), index));
                }
            }
            // Without a mapping entry, a member's value is its schema name.
            for (index, member) in member_names.iter().enumerate() {
                if let Some(member) = member {
                    if !values.iter().any(|(_, i)| *i == index) {
                        values.push((member.clone(), index));
                    }
                }
            }
            Discriminator {
                property: d.property_name.clone(),
                values,
            }
        });
        let mut docs = Self::schema_docs(
            &schema.schema_data,
            None,
            &type_fallback_at(&ctx.hint, &ctx.pointer),
        );
        docs.push(match &discriminator {
            Some(d) => format!(
                "One of several shapes, told apart by the `{}` property.",
                d.property
            ),
            None => format!(
                "One of several shapes (`{keyword}`): a value decodes as the first that fits."
            ),
        });
        self.define(
            id,
            schema,
            ctx,
            name,
            docs,
            TypeKind::Union(Union {
                variants,
                discriminator,
            }),
        );
        TypeRef::Named(id)
    }

    fn array_type(
        &mut self,
        items: Option<&'a openapiv3::ReferenceOr<Box<Schema>>>,
        ctx: &Ctx,
    ) -> TypeRef {
        let Some(items) = items else {
            return TypeRef::Vec(Box::new(TypeRef::Json));
        };
        let mut child = ctx.child(&["items"], &ctx.hint, "Item");
        child.allow_datetime = false;
        let item = self.schema_type(items.into(), &child);
        TypeRef::Vec(Box::new(self.nullable(items.into(), item, &ctx.pointer)))
    }

    fn string_type(&mut self, schema: &'a Schema, s: &'a StringType, ctx: &Ctx) -> TypeRef {
        let values: Vec<EnumValue> = s
            .enumeration
            .iter()
            .flatten()
            .cloned()
            .map(EnumValue::String)
            .collect();
        if !values.is_empty() {
            return self.enum_type(schema, &values, ctx);
        }
        let rules = StringRules {
            min_length: s.min_length.filter(|&min| min > 0),
            max_length: s.max_length,
            absolute_uri: matches!(&s.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "uri"),
            pattern: s.pattern.clone().filter(|p| runnable_pattern(p)),
        };
        if rules != StringRules::default() && ctx.dir == Direction::Request {
            return self.checked_string(schema, ctx, rules);
        }
        match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) if ctx.allow_datetime => {
                TypeRef::DateTime
            }
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) if ctx.files => TypeRef::File,
            _ => TypeRef::String,
        }
    }

    fn integer_type(&mut self, schema: &Schema, i: &openapiv3::IntegerType, ctx: &Ctx) -> TypeRef {
        let ty = match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        };
        let values: Vec<EnumValue> = i
            .enumeration
            .iter()
            .flatten()
            .map(|v| EnumValue::Integer(*v))
            .collect();
        if !values.is_empty() {
            return self.enum_type(schema, &values, ctx);
        }
        #[allow(clippy::cast_precision_loss)] // Bounds past 2^53 are not written in practice.
        let bound = |value: Option<i64>, exclusive: bool| {
            value.map(|v| Bound {
                value: v as f64,
                exclusive,
            })
        };
        let rules = NumberRules {
            ty,
            minimum: bound(i.minimum, i.exclusive_minimum),
            maximum: bound(i.maximum, i.exclusive_maximum),
            multiple_of: i.multiple_of.filter(|&m| m > 1),
        };
        self.maybe_validated_number(schema, rules, ctx)
    }

    fn number_type(&mut self, schema: &Schema, n: &openapiv3::NumberType, ctx: &Ctx) -> TypeRef {
        let ty = match &n.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        };
        let bound =
            |value: Option<f64>, exclusive: bool| value.map(|value| Bound { value, exclusive });
        let rules = NumberRules {
            ty,
            minimum: bound(n.minimum, n.exclusive_minimum),
            maximum: bound(n.maximum, n.exclusive_maximum),
            multiple_of: None,
        };
        self.maybe_validated_number(schema, rules, ctx)
    }

    /// A checked number type for a request value with bounds; the plain number otherwise
    /// (responses document their bounds without enforcing them).
    fn maybe_validated_number(
        &mut self,
        schema: &Schema,
        rules: NumberRules,
        ctx: &Ctx,
    ) -> TypeRef {
        let constrained =
            rules.minimum.is_some() || rules.maximum.is_some() || rules.multiple_of.is_some();
        if !constrained || ctx.dir == Direction::Response {
            return rules.ty;
        }
        let checked = match rules.ty {
            TypeRef::I32 | TypeRef::I64 => Checked::Integer {
                wide: rules.ty == TypeRef::I64,
                min: rules
                    .minimum
                    .map(|bound| inclusive_minimum(bound, &rules.ty)),
                max: rules
                    .maximum
                    .map(|bound| inclusive_maximum(bound, &rules.ty)),
                multiple_of: rules.multiple_of,
            },
            _ => {
                let wide = rules.ty == TypeRef::F64;
                let docs = rule_docs(&[
                    bound_text(
                        "Minimum",
                        rules.minimum.map(|b| b.value),
                        rules.minimum.is_some_and(|b| b.exclusive),
                    ),
                    bound_text(
                        "Maximum",
                        rules.maximum.map(|b| b.value),
                        rules.maximum.is_some_and(|b| b.exclusive),
                    ),
                ]);
                let rule = self.rule_type(
                    TypeKind::NumberRule(rules),
                    format!("{}Bounds", ctx.hint),
                    ctx,
                    docs,
                );
                Checked::Float { wide, rule }
            }
        };
        self.checked_type(schema, ctx, TypeRef::Checked(checked))
    }

    /// A checked string for a request value with rules: the runtime's type for lengths and
    /// `format: uri`, a pattern's rule type otherwise.
    fn checked_string(&mut self, schema: &Schema, ctx: &Ctx, rules: StringRules) -> TypeRef {
        let min = rules.min_length.unwrap_or(0);
        let max = rules.max_length;
        let checked = match &rules.pattern {
            None if rules.absolute_uri => Checked::Uri { min, max },
            None => Checked::Length { min, max },
            Some(pattern) => {
                let docs = rule_docs(&[
                    Some(format!("Pattern: `{pattern}`.")),
                    (min > 0).then(|| format!("Minimum length: {min} characters.")),
                    max.map(|max| format!("Maximum length: {max} characters.")),
                    rules
                        .absolute_uri
                        .then(|| "Format: `uri` (an absolute URI).".to_owned()),
                ]);
                let rule = self.rule_type(
                    TypeKind::StringRule(rules),
                    format!("{}Pattern", ctx.hint),
                    ctx,
                    docs,
                );
                Checked::Pattern(rule)
            }
        };
        self.checked_type(schema, ctx, TypeRef::Checked(checked))
    }

    /// The rule type of checked values that cannot carry their rules as type parameters: one
    /// per distinct set of rules, named after the first value that has them.
    fn rule_type(&mut self, kind: TypeKind, hint: String, ctx: &Ctx, docs: Docs) -> TypeId {
        if let Some((_, id)) = self.rules.iter().find(|(rules, _)| *rules == kind) {
            return *id;
        }
        let id = TypeId(self.types.len());
        let name = self.type_names.claim(hint);
        self.types.push(Some(TypeDef {
            name,
            docs,
            pointer: ctx.pointer.clone(),
            example: None,
            kind: kind.clone(),
            features: Vec::new(),
            // Shared by every value with the rules, wherever it is.
            module: None,
        }));
        self.rules.push((kind, id));
        id
    }

    /// A checked value: the runtime type itself, or, for a component schema, an alias of it
    /// under the schema's name.
    fn checked_type(&mut self, schema: &Schema, ctx: &Ctx, checked: TypeRef) -> TypeRef {
        if let Some(id) = self.existing(&ctx.pointer, Flavour::Shared) {
            return TypeRef::Named(id);
        }
        if self.component_names.get(&ctx.pointer) != Some(&ctx.hint) {
            return checked;
        }
        let id = self.reserve(&ctx.pointer, Flavour::Shared);
        let docs = Self::schema_docs(
            &schema.schema_data,
            Some(&schema.schema_kind),
            &type_fallback_at(&ctx.hint, &ctx.pointer),
        );
        let name = self.type_name(ctx);
        self.define(id, schema, ctx, name, docs, TypeKind::Alias(checked));
        TypeRef::Named(id)
    }

    fn enum_type(&mut self, schema: &Schema, values: &[EnumValue], ctx: &Ctx) -> TypeRef {
        // An inline enumeration with the values of one already made is that one: GitHub writes
        // `[read, write]` hundreds of times. (A component keeps a type of its own.)
        let shared_key =
            (self.component_names.get(&ctx.pointer) != Some(&ctx.hint)).then(|| enum_key(values));
        let existing = self.existing(&ctx.pointer, Flavour::Shared).or_else(|| {
            let id = *self.inline_enums.get(shared_key.as_ref()?)?;
            let docs = Self::schema_docs(
                &schema.schema_data,
                None,
                &type_fallback_at(&ctx.hint, &ctx.pointer),
            );
            self.enum_uses.entry(id).or_default().push((
                ctx.hint.clone(),
                docs,
                ctx.module.clone(),
            ));
            self.index
                .insert((ctx.pointer.clone(), Flavour::Shared), id);
            Some(id)
        });
        let id = match existing {
            Some(id) => id,
            None => {
                let id = self.reserve(&ctx.pointer, Flavour::Shared);
                if let Some(key) = shared_key {
                    self.inline_enums.insert(key, id);
                }
                let variants = variant_names(values);
                let docs = Self::schema_docs(
                    &schema.schema_data,
                    None,
                    &type_fallback_at(&ctx.hint, &ctx.pointer),
                );
                self.enum_uses.entry(id).or_default().push((
                    ctx.hint.clone(),
                    docs.clone(),
                    ctx.module.clone(),
                ));
                let name = self.type_name(ctx);
                self.define(
                    id,
                    schema,
                    ctx,
                    name,
                    docs,
                    TypeKind::Enum(Enum { variants }),
                );
                id
            }
        };
        match ctx.dir {
            Direction::Request => TypeRef::Named(id),
            Direction::Response => TypeRef::OrUnknown(id),
        }
    }

    fn object_type(&mut self, schema: &'a Schema, object: &ObjectView<'a>, ctx: &Ctx) -> TypeRef {
        // Properties a flattened union's variants declare are theirs: the struct leaves them
        // to the union (a base schema listing its subtypes is, in effect, the union).
        let mut left_to_unions = std::collections::BTreeSet::new();
        for flat in &object.unions {
            self.variant_properties(flat, &mut left_to_unions);
        }
        let properties: Vec<_> = object
            .properties
            .iter()
            .filter(|(name, _, _)| !left_to_unions.contains(name.as_str()))
            .collect();
        if properties.is_empty() {
            match object.unions.as_slice() {
                [] => {
                    let value = match object.additional {
                        Some(AdditionalProperties::Schema(extra)) => {
                            let mut child =
                                ctx.child(&["additionalProperties"], &ctx.hint, "Value");
                            child.allow_datetime = false;
                            let value = self.schema_type(extra.as_ref().into(), &child);
                            self.nullable(extra.as_ref().into(), value, &ctx.pointer)
                        }
                        _ => TypeRef::Json,
                    };
                    return TypeRef::Map(Box::new(value));
                }
                // Nothing of its own: the object is its union.
                [Flat::Member(only, _)] => return self.schema_type(*only, ctx),
                [Flat::Own(schema, list, keyword, _)] => {
                    return self.one_of(schema, list, keyword, ctx);
                }
                _ => {}
            }
        }
        let flavour = match ctx.dir {
            Direction::Request => Flavour::Request,
            Direction::Response => Flavour::Response,
        };
        if let Some(id) = self.existing(&ctx.pointer, flavour) {
            return TypeRef::Named(id);
        }
        let id = self.reserve(&ctx.pointer, flavour);
        let name = self.type_name(ctx);
        let builder = ctx
            .built
            .then(|| self.derived_name(ctx, format!("{name}Builder")));
        let mut docs = Self::schema_docs(
            &schema.schema_data,
            None,
            &type_fallback_at(&ctx.hint, &ctx.pointer),
        );
        if matches!(object.additional, Some(AdditionalProperties::Schema(_))) {
            docs.push("Properties beyond the ones listed are not kept by this type.");
        }

        let mut field_names = Scope::default();
        let mut fields = Vec::new();
        let wire_names: Vec<&str> = properties
            .iter()
            .map(|(name, _, _)| name.as_str())
            .collect();
        for (wire_name, property, property_pointer) in properties {
            let wire_name: &String = wire_name;
            let property_ref = SchemaRef::from(*property);
            let (data, kind) = self.schema_data(property_ref, &ctx.pointer);
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            if (ctx.dir == Direction::Request && read_only)
                || (ctx.dir == Direction::Response && write_only)
            {
                continue;
            }
            let rust_name = field_names.claim(naming::value_name_among(
                wire_name,
                wire_names.iter().copied(),
            ));
            let type_part = naming::type_name(wire_name);
            let hint = format!("{name}{type_part}");
            let mut path = ctx.path.clone();
            path.push(type_part);
            let child = Ctx {
                pointer: property_pointer.clone(),
                dir: ctx.dir,
                hint,
                path,
                built: ctx.built,
                allow_datetime: true,
                multipart: false,
                files: ctx.multipart,
                module: ctx.module.clone(),
            };
            let ty = self.schema_type(property_ref, &child);
            let boxed = matches!(ty, TypeRef::Named(target) if self.in_progress(target));
            let fallback = format!("The `{wire_name}` property.");
            let docs = match data {
                Some(data) => Self::schema_docs(data, kind, &fallback),
                None => {
                    let mut docs = Docs::default();
                    docs.push(fallback);
                    docs
                }
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                ty,
                required: object.required.contains(&wire_name),
                nullable: data.is_some_and(|d| d.nullable),
                boxed,
                flatten: false,
                setter: None,
                docs,
                example: data.and_then(|d| d.example.clone()),
            });
        }
        // `required` naming a property `properties` does not declare: the value must be
        // there, of any shape. Callers must give it; a response without it still decodes (the
        // description, not the server, is likely wrong).
        for wire_name in &object.required {
            let declared = object
                .properties
                .iter()
                .any(|(name, _, _)| name == wire_name);
            if declared || left_to_unions.contains(wire_name.as_str()) {
                continue;
            }
            let mut docs = Docs::default();
            docs.push(format!(
                "The `{wire_name}` property: `required` names it, but `properties` does not \
                 describe it, so it is any JSON value."
            ));
            fields.push(Field {
                wire_name: (*wire_name).clone(),
                rust_name: field_names.claim(naming::value_name(wire_name)),
                ty: TypeRef::Json,
                required: ctx.dir == Direction::Request,
                nullable: false,
                boxed: false,
                flatten: false,
                setter: None,
                docs,
                example: None,
            });
        }
        for flat in &object.unions {
            let (field, hint, at) = match flat {
                Flat::Member(SchemaRef::Ref(reference), at) => {
                    let component = super::refs::component_name(reference, "schemas")
                        .unwrap_or_else(|| "variant".to_owned());
                    (
                        component.clone(),
                        format!("{name}{}", naming::type_name(&component)),
                        at,
                    )
                }
                Flat::Member(SchemaRef::Inline(_), at) | Flat::Own(_, _, _, at) => {
                    ("variant".to_owned(), format!("{name}Variant"), at)
                }
            };
            let mut path = ctx.path.clone();
            path.push(naming::type_name(&field));
            let child = Ctx {
                pointer: at.clone(),
                dir: ctx.dir,
                hint,
                path,
                built: ctx.built,
                allow_datetime: false,
                multipart: false,
                files: false,
                module: ctx.module.clone(),
            };
            let ty = match flat {
                Flat::Member(member, _) => self.schema_type(*member, &child),
                Flat::Own(schema, list, keyword, _) => self.one_of(schema, list, keyword, &child),
            };
            // A union that contains this struct again would decode it forever: left out.
            if matches!(ty, TypeRef::Named(target) if self.in_progress(target)) {
                docs.push(format!(
                    "The `{}` of `{at}` is not part of this type: it contains the type itself.",
                    match flat {
                        Flat::Own(_, _, keyword, _) => *keyword,
                        Flat::Member(..) => "union",
                    }
                ));
                continue;
            }
            let rust_name = field_names.claim(naming::value_name(&field));
            let mut field_docs = Docs::default();
            field_docs.push(format!(
                "The rest of the value: one of several shapes (`{at}`), whose properties sit \
                 beside the others on the wire."
            ));
            fields.push(Field {
                wire_name: rust_name.trim_start_matches("r#").to_owned(),
                rust_name,
                ty,
                required: true,
                nullable: false,
                boxed: false,
                flatten: true,
                setter: None,
                docs: field_docs,
                example: None,
            });
        }
        if builder.is_some() {
            name_setters(&mut fields);
        }
        self.define(
            id,
            schema,
            ctx,
            name,
            docs,
            TypeKind::Struct(Struct {
                fields,
                builder,
                multipart: ctx.multipart,
            }),
        );
        TypeRef::Named(id)
    }

    /// Adds the property names the variants of a union declare (through `$ref`s and
    /// `allOf`s) to `out`.
    fn variant_properties(&self, flat: &Flat<'a>, out: &mut std::collections::BTreeSet<String>) {
        let list: &[openapiv3::ReferenceOr<Schema>] = match flat {
            Flat::Own(_, list, _, _) => list,
            Flat::Member(member, at) => {
                let schema = match *member {
                    SchemaRef::Inline(schema) => schema,
                    SchemaRef::Ref(reference) => match resolve_schema(self.doc, reference, at) {
                        Ok((_, schema, _)) => schema,
                        Err(_) => return,
                    },
                };
                match &schema.schema_kind {
                    SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list } => list,
                    SchemaKind::Any(any) if !any.one_of.is_empty() => &any.one_of,
                    SchemaKind::Any(any) => &any.any_of,
                    _ => return,
                }
            }
        };
        let mut stack: Vec<SchemaRef<'a>> = list.iter().map(SchemaRef::from).collect();
        let mut seen = 0;
        while let Some(member) = stack.pop() {
            seen += 1;
            if seen > 256 {
                return;
            }
            let schema = match member {
                SchemaRef::Inline(schema) => schema,
                SchemaRef::Ref(reference) => match resolve_schema(self.doc, reference, "") {
                    Ok((_, schema, _)) => schema,
                    Err(_) => continue,
                },
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => out.extend(o.properties.keys().cloned()),
                SchemaKind::AllOf { all_of } => stack.extend(all_of.iter().map(SchemaRef::from)),
                SchemaKind::Any(any) => {
                    out.extend(any.properties.keys().cloned());
                    stack.extend(any.all_of.iter().map(SchemaRef::from));
                }
                _ => {}
            }
        }
    }

    /// The schema data and kind behind a possibly-referenced schema.
    /// `ty`, lowered from `schema` (an array's items or a map's values), as `Option<ty>` when
    /// the schema is `nullable`: a `null` item or value is then decoded, not refused. Any
    /// JSON value holds `null` already.
    fn nullable(&self, schema: SchemaRef<'a>, ty: TypeRef, here: &str) -> TypeRef {
        let nullable = self.schema_data(schema, here).0.is_some_and(|d| d.nullable);
        if nullable && !matches!(ty, TypeRef::Json | TypeRef::Nullable(_)) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn schema_data(
        &self,
        schema: SchemaRef<'a>,
        here: &str,
    ) -> (Option<&'a SchemaData>, Option<&'a SchemaKind>) {
        match schema {
            SchemaRef::Inline(schema) => (Some(&schema.schema_data), Some(&schema.schema_kind)),
            SchemaRef::Ref(reference) => match resolve_schema(self.doc, reference, here) {
                Ok((_, schema, _)) => (Some(&schema.schema_data), Some(&schema.schema_kind)),
                // Reported where the type is lowered.
                Err(_) => (None, None),
            },
        }
    }

    /// Documentation from a schema: its description (or `fallback`), its rules, example and
    /// default.
    pub(crate) fn schema_docs(
        data: &SchemaData,
        kind: Option<&SchemaKind>,
        fallback: &str,
    ) -> Docs {
        let mut docs = Docs::default();
        let mut described = true;
        match (&data.title, &data.description) {
            (_, Some(description)) if !description.trim().is_empty() => {
                docs.push(description.clone());
            }
            (Some(title), _) if !title.trim().is_empty() => docs.push(title.clone()),
            _ => described = false,
        }
        if let Some(kind) = kind {
            let rules = rules_text(kind);
            if !rules.is_empty() {
                docs.push(rules.join(" "));
            }
        }
        if data.read_only {
            docs.push("Read-only: set by the server, never sent.");
        }
        if data.deprecated {
            docs.push("Deprecated.");
        }
        if let Some(default) = &data.default {
            docs.push(format!("Default: `{default}`."));
        }
        if let Some(example) = &data.example {
            docs.push(format!("Example: `{example}`."));
        }
        // Without a description, the rules and example say what there is to say; the name
        // stands in only when nothing else does.
        if !described && docs.is_empty() {
            docs.push(fallback);
        }
        docs
    }
}

/// Names each field's builder setter: the field's own name, unless the builder's own methods
/// have it (`build`); then the first numbered name no field and no method has.
fn name_setters(fields: &mut [Field]) {
    let mut taken: Vec<&str> = reserved::STRUCT_BUILDER_METHODS.to_vec();
    let field_names: Vec<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
    taken.extend(field_names.iter().map(String::as_str));
    let mut setters = Scope::with_reserved(&taken);
    for field in fields.iter_mut() {
        field.setter = Some(
            if reserved::STRUCT_BUILDER_METHODS.contains(&field.rust_name.as_str()) {
                setters.claim(field.rust_name.clone())
            } else {
                field.rust_name.clone()
            },
        );
    }
}

/// An integer lower bound, made inclusive (`exclusiveMinimum: 0` is at least 1) and kept
/// within the integer type.
#[allow(clippy::cast_possible_truncation)] // Clamped to the integer's range first.
fn inclusive_minimum(bound: Bound, ty: &TypeRef) -> i64 {
    let value = if bound.exclusive {
        bound.value.floor() + 1.0
    } else {
        bound.value.ceil()
    };
    value.clamp(integer_range(ty).0, integer_range(ty).1) as i64
}

/// An integer upper bound, made inclusive and kept within the integer type.
#[allow(clippy::cast_possible_truncation)] // Clamped to the integer's range first.
fn inclusive_maximum(bound: Bound, ty: &TypeRef) -> i64 {
    let value = if bound.exclusive {
        bound.value.ceil() - 1.0
    } else {
        bound.value.floor()
    };
    value.clamp(integer_range(ty).0, integer_range(ty).1) as i64
}

#[allow(clippy::cast_precision_loss)] // The ends of i64 as floats: only a clamp.
fn integer_range(ty: &TypeRef) -> (f64, f64) {
    match ty {
        TypeRef::I32 => (f64::from(i32::MIN), f64::from(i32::MAX)),
        _ => (i64::MIN as f64, i64::MAX as f64),
    }
}

/// The docs of a rule type: its rules, one sentence each.
fn rule_docs(sentences: &[Option<String>]) -> Docs {
    let mut docs = Docs::default();
    let text: Vec<&str> = sentences.iter().flatten().map(String::as_str).collect();
    docs.push(format!("The rules of a checked value. {}", text.join(" ")));
    docs
}

/// What makes two inline enumerations one type: their values, in order, and their kind.
fn enum_key(values: &[EnumValue]) -> String {
    let mut key = String::new();
    for value in values {
        match value {
            EnumValue::String(text) => {
                key.push('s');
                key.push_str(text);
            }
            EnumValue::Integer(number) => {
                key.push('i');
                key.push_str(&number.to_string());
            }
        }
        key.push('\u{0}');
    }
    key
}

/// The doc line of a type whose schema has no description.
fn type_fallback(name: &str) -> String {
    format!("The `{name}` type of the API description.")
}

/// [`type_fallback`] of the type `name` made at `pointer`: a component schema whose type has a
/// name of its own (`ResultValue` for `Result`, `Pet2` beside `pet`) is named as the document
/// names it, so the docs say what the type stands for.
fn type_fallback_at(name: &str, pointer: &str) -> String {
    let component = pointer
        .strip_prefix("/components/schemas/")
        .filter(|rest| !rest.contains('/'))
        .map(crate::diagnostics::unescape_token);
    match component {
        Some(wire) if naming::type_name(&wire) != name => {
            format!("The `{wire}` schema of the API description.")
        }
        _ => type_fallback(name),
    }
}

/// A variant name for an inline `oneOf` member: its title, else its kind.
fn variant_label(schema: &Schema, index: usize) -> String {
    if let Some(title) = &schema.schema_data.title {
        return naming::type_name(title);
    }
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => return format!("Variant{}", index + 1),
    };
    kind.to_owned()
}

/// A label for an inline member of a union that has siblings of its kind: an object by the
/// one value a property of it must have (`{type: {enum: [branch]}}`: `Branch`), a string by
/// its few allowed values (`ReadOrWrite`).
fn distinct_label(schema: &Schema) -> Option<String> {
    let one_value = |schema: &openapiv3::ReferenceOr<Box<Schema>>| match schema {
        openapiv3::ReferenceOr::Item(item) => match &item.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => {
                s.enumeration[0].clone()
            }
            _ => None,
        },
        openapiv3::ReferenceOr::Reference { .. } => None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o
            .properties
            .values()
            .find_map(one_value)
            .map(|value| naming::type_name(&value))
            .filter(|name| !name.is_empty()),
        SchemaKind::Type(Type::String(s)) if (1..=3).contains(&s.enumeration.len()) => {
            let words: Vec<String> = s
                .enumeration
                .iter()
                .flatten()
                .map(|v| naming::type_name(v))
                .collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            super::shared::values_name(&words).filter(|name| !name.is_empty())
        }
        _ => None,
    }
}

/// The variants of an enumeration of `values`, in order, a repeated value once. A value
/// written in words keeps its name before one spelled from symbols takes it: `star` is
/// `Star` and `*` then `StarSymbol`, whatever their order, rather than one of them `Star2`.
fn variant_names(values: &[EnumValue]) -> Vec<Variant> {
    let mut distinct: Vec<&EnumValue> = Vec::new();
    for value in values {
        if !distinct.contains(&value) {
            distinct.push(value);
        }
    }
    let name = |value: &EnumValue| match value {
        EnumValue::String(s) if s.is_empty() => "Empty".to_owned(),
        other => naming::type_name(&other.to_string()),
    };
    // Spelled from symbols: its name reads as other words than the value (`*`: `Star`).
    let symbolic = |value: &EnumValue| match value {
        EnumValue::String(s) => naming::differs_from_wire(&name(value), s),
        EnumValue::Integer(_) => false,
    };
    let mut scope = Scope::default();
    let mut names: Vec<Option<String>> = vec![None; distinct.len()];
    for (i, value) in distinct.iter().enumerate() {
        if !symbolic(value) {
            names[i] = Some(scope.claim(name(value)));
        }
    }
    for (i, value) in distinct.iter().enumerate() {
        if symbolic(value) {
            let plain = name(value);
            let spelled = if scope.is_free(&plain) {
                plain
            } else {
                format!("{plain}Symbol")
            };
            names[i] = Some(scope.claim(spelled));
        }
    }
    distinct
        .into_iter()
        .zip(names)
        .map(|(value, rust_name)| Variant {
            wire: value.clone(),
            rust_name: rust_name.unwrap_or_default(),
        })
        .collect()
}

/// Whether the generated code can check `pattern`: it must parse as a Rust `regex`, which
/// has no look-around or back-references (ECMA-262 patterns that use them are documented but
/// not checked).
fn runnable_pattern(pattern: &str) -> bool {
    regex_syntax::Parser::new().parse(pattern).is_ok()
}

/// Whether a schema lowers to a struct.
fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(any) => !any.properties.is_empty(),
        _ => false,
    }
}

/// "Minimum: 0." or "Minimum: 0 (exclusive).", for a bound that is there.
fn bound_text<N: std::fmt::Display>(
    label: &str,
    value: Option<N>,
    exclusive: bool,
) -> Option<String> {
    let value = value?;
    Some(if exclusive {
        format!("{label}: {value} (exclusive).")
    } else {
        format!("{label}: {value}.")
    })
}

/// Sentences describing a schema's constraints.
fn rules_text(kind: &SchemaKind) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        SchemaKind::Type(Type::String(s)) => {
            if let Some(min) = s.min_length {
                out.push(format!("Minimum length: {min} characters."));
            }
            if let Some(max) = s.max_length {
                out.push(format!("Maximum length: {max} characters."));
            }
            match &s.format {
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uri" => {
                    out.push(
                        "Format: `uri` (an absolute URI by RFC 3986, sent as given).".to_owned(),
                    );
                }
                VariantOrUnknownOrEmpty::Unknown(format) => {
                    out.push(format!("Format: `{format}`."));
                }
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                    out.push("Format: `date-time` (RFC 3339).".to_owned());
                }
                VariantOrUnknownOrEmpty::Item(format) => {
                    let name = serde_json::to_value(format)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    out.push(format!("Format: `{name}`."));
                }
                VariantOrUnknownOrEmpty::Empty => {}
            }
            if let Some(pattern) = &s.pattern {
                if runnable_pattern(pattern) {
                    out.push(format!("Pattern: `{pattern}`."));
                } else {
                    out.push(format!(
                        "Pattern: `{pattern}` (not checked: Rust's `regex` cannot run it)."
                    ));
                }
            }
        }
        SchemaKind::Type(Type::Integer(i)) => {
            out.extend(bound_text("Minimum", i.minimum, i.exclusive_minimum));
            out.extend(bound_text("Maximum", i.maximum, i.exclusive_maximum));
            if let Some(factor) = i.multiple_of {
                out.push(format!("Multiple of: {factor}."));
            }
            if !i.enumeration.is_empty() {
                let values: Vec<String> = i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(ToString::to_string)
                    .collect();
                out.push(format!("Allowed values: {}.", values.join(", ")));
            }
        }
        SchemaKind::Type(Type::Number(n)) => {
            out.extend(bound_text("Minimum", n.minimum, n.exclusive_minimum));
            out.extend(bound_text("Maximum", n.maximum, n.exclusive_maximum));
            if let Some(factor) = n.multiple_of {
                out.push(format!(
                    "Multiple of: {factor} (not checked by this client)."
                ));
            }
        }
        SchemaKind::Not { .. } => {
            out.push(
                "Must not match a given schema (`not`); not checked by this client.".to_owned(),
            );
        }
        SchemaKind::Type(Type::Array(a)) => {
            if let Some(min) = a.min_items {
                out.push(format!("Minimum items: {min}."));
            }
            if let Some(max) = a.max_items {
                out.push(format!("Maximum items: {max}."));
            }
        }
        _ => {}
    }
    out
}

impl Lowerer<'_> {
    /// A schema the generator cannot type: an alias of `serde_json::Value` whose docs say
    /// why, listed in the API's omissions. A component's is named after it and shared by all
    /// its uses; the operations that use it stay callable.
    pub(crate) fn untyped(
        &mut self,
        ctx: &Ctx,
        problem: crate::diagnostics::Diagnostic,
        data: Option<&SchemaData>,
    ) -> TypeRef {
        let (at, hint, module) = match self.component_claims.get(&problem.pointer) {
            Some(name) => (problem.pointer.clone(), name.clone(), None),
            None if ctx.hint.is_empty() => (
                ctx.pointer.clone(),
                "Untyped".to_owned(),
                ctx.module.clone(),
            ),
            None => (ctx.pointer.clone(), ctx.hint.clone(), ctx.module.clone()),
        };
        if let Some(id) = self.existing(&at, Flavour::Shared) {
            return TypeRef::Named(id);
        }
        let id = self.reserve(&at, Flavour::Shared);
        let name = self.type_name(&Ctx {
            pointer: at.clone(),
            hint,
            module: module.clone(),
            ..ctx.clone()
        });
        let fallback = type_fallback_at(&name, &at);
        let mut docs = match data {
            Some(data) => Self::schema_docs(data, None, &fallback),
            None => {
                let mut docs = Docs::default();
                docs.push(fallback);
                docs
            }
        };
        docs.push(format!(
            "Any JSON value: this client cannot type the schema at `{}`: {}",
            problem.pointer, problem.message
        ));
        self.types[id.0] = Some(TypeDef {
            name: name.clone(),
            docs,
            pointer: at,
            example: data.and_then(|d| d.example.clone()),
            kind: TypeKind::Untyped,
            features: Vec::new(),
            module,
        });
        self.omissions.push(crate::model::Omission {
            subject: crate::model::Omitted::Schema { type_name: name },
            pointer: problem.pointer,
            reason: problem.message,
        });
        TypeRef::Named(id)
    }

    pub(crate) fn unsupported(&mut self, at: &str, what: &str) {
        self.diagnostics
            .push(crate::diagnostics::Diagnostic::new(at, what));
    }

    pub(crate) fn existing(&self, pointer: &str, flavour: Flavour) -> Option<TypeId> {
        self.index.get(&(pointer.to_owned(), flavour)).copied()
    }

    pub(crate) fn reserve(&mut self, pointer: &str, flavour: Flavour) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(None);
        self.index.insert((pointer.to_owned(), flavour), id);
        id
    }

    pub(crate) fn define(
        &mut self,
        id: TypeId,
        schema: &Schema,
        ctx: &Ctx,
        name: String,
        docs: Docs,
        kind: TypeKind,
    ) {
        self.types[id.0] = Some(TypeDef {
            name,
            docs,
            pointer: ctx.pointer.clone(),
            example: schema.schema_data.example.clone(),
            kind,
            features: Vec::new(),
            module: ctx.module.clone(),
        });
    }

    /// The name of the type made at `ctx`: a component schema's own, claimed up front; in an
    /// operation's module, the fewest trailing labels of its place that are still free there
    /// (`EuBankTransfer`, then `BankTransferEuBankTransfer`); else its hint made unique.
    pub(crate) fn type_name(&mut self, ctx: &Ctx) -> String {
        if self.component_names.get(&ctx.pointer) == Some(&ctx.hint) {
            self.component_names.remove(&ctx.pointer);
            return ctx.hint.clone();
        }
        let Some(module) = &ctx.module else {
            return self.type_names.claim(ctx.hint.clone());
        };
        let scope = self
            .module_names
            .entry(module.clone())
            .or_insert_with(|| Scope::of_types(&[]));
        for count in 1..=ctx.path.len() {
            let candidate = ctx.path[ctx.path.len() - count..].concat();
            if !candidate.is_empty() && scope.is_free(&candidate) {
                return scope.claim(candidate);
            }
        }
        scope.claim(ctx.path.concat())
    }

    /// A name derived from the type `of` (its builder): in the same scope as `of`.
    fn derived_name(&mut self, ctx: &Ctx, name: String) -> String {
        match &ctx.module {
            Some(module) => self
                .module_names
                .entry(module.clone())
                .or_insert_with(|| Scope::of_types(&[]))
                .claim(name),
            None => self.type_names.claim(name),
        }
    }

    /// The context of an operation's own schema, labelled `label`: in its module.
    pub(crate) fn op_ctx(&self, pointer: String, dir: Direction, label: String) -> Ctx {
        match &self.current_module {
            Some(module) => Ctx::in_module(pointer, dir, module, label),
            None => Ctx::top(pointer, dir, label),
        }
    }

    fn in_progress(&self, id: TypeId) -> bool {
        self.types[id.0].is_none()
    }
}
