//! The intermediate model: what the generator understood of a document, with every reference
//! resolved and every name chosen. Lowering builds it; emitting reads it and nothing else.

pub mod visit;

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.license.name`.
    pub license: Option<String>,
    /// Where to read about the API: `externalDocs.url`, else `info.contact.url`.
    pub homepage: Option<String>,
    /// The first server's URL, with variables replaced by their defaults, when it is absolute.
    pub default_base_url: Option<String>,
    /// Named types, in the order they were first reached (deterministic).
    pub types: Vec<TypeDef>,
    /// Credentials the client can hold, in `components.securitySchemes` order (the ones some
    /// operation uses).
    pub credentials: Vec<Credential>,
    /// The credentials `Client::new` takes: the one requirement most operations need.
    pub default_credentials: Vec<usize>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
    /// The default of the crate's `Error` alias: the error type most operations share (ties
    /// go to the first), never a per-operation enum; free-form JSON when there is none.
    pub error_body: TypeRef,
    /// The crate's cargo features beside `blocking`, each a group of operations; empty when
    /// the API has fewer than two groups (or too many for crates.io).
    pub features: Vec<Feature>,
    /// The callbacks whose deliveries are signed (`x-callback-signature`), in document order:
    /// each gets a verification function in the `webhooks` module.
    pub callbacks: Vec<SignedCallback>,
    /// What of the document the crate does not have, and why: operations left out and
    /// schemas typed as any JSON value. Empty when the crate is complete.
    pub omissions: Vec<Omission>,
    /// Which crate `format: date-time` values are (`[types] date-time`).
    pub date_time: crate::config::DateTimeCrate,
    /// The dependencies the mapped types the crate uses need (`[types]`, `x-rust-type`), one
    /// per crate, by name.
    pub external_dependencies: Vec<crate::config::Dependency>,
    /// What `[select]` kept, when the settings select operations.
    pub selected: Option<crate::select::Selected>,
}

/// Something the generated crate leaves out, or types loosely, because the generator cannot
/// express it; where the problem is, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Omission {
    pub subject: Omitted,
    /// JSON pointer of the problem (for an operation, possibly in a component it uses).
    pub pointer: String,
    pub reason: String,
}

/// What an [`Omission`] costs the crate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Omitted {
    /// An operation with no client method.
    Operation { method: Method, path: String },
    /// Every operation of a path item that could not be read (a `$ref` that leads nowhere).
    Path { path: String },
    /// A schema typed as any JSON value: `types::<type_name>` is `serde_json::Value`.
    Schema { type_name: String },
    /// A signed callback (`callbacks.<name>`) with no verification function.
    Callback { name: String },
    /// The pager of an operation that is generated, but without `<operation>_pages` and
    /// `<operation>_stream` (its `x-pagination` cannot be followed).
    Pager { method: Method, path: String },
}

impl Omitted {
    /// `GET /pets/{id}`, `/pets (every method)` or `types::Pet`: what a reader of the
    /// crate's docs looks for.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Operation { method, path } => format!("{} {path}", method.as_str()),
            Self::Path { path } => format!("{path} (every method)"),
            Self::Schema { type_name } => format!("types::{type_name}"),
            Self::Callback { name } => format!("callback {name}"),
            Self::Pager { method, path } => format!("pager of {} {path}", method.as_str()),
        }
    }

    /// The label as Markdown: code in a code span, the rest as prose.
    #[must_use]
    pub fn markdown(&self) -> String {
        match self {
            Self::Path { path } => format!("`{path}` (every method)"),
            Self::Callback { name } => format!("the verification of callback `{name}`"),
            Self::Pager { method, path } => {
                format!("the pager of `{} {path}`", method.as_str())
            }
            _ => format!("`{}`", self.label()),
        }
    }
}

impl Api {
    /// Whether any operation sends a binary body, or a multipart one (whose files may be
    /// streams): the crate then carries `upload.rs`, with `Upload`.
    #[must_use]
    pub fn uses_uploads(&self) -> bool {
        self.uses_multipart() || self.sends_binary_bodies()
    }

    /// Whether some parameter is one `time` timestamp, formatted by the runtime's `timestamp.rs`
    /// (`chrono`'s are formatted in place).
    #[must_use]
    pub fn sends_time_timestamps(&self) -> bool {
        self.date_time == crate::config::DateTimeCrate::Time
            && self
                .operations
                .iter()
                .any(|op| op.params.iter().any(Parameter::is_timestamp))
    }

    /// Whether any operation sends a binary body (`application/octet-stream` and other raw
    /// media types).
    #[must_use]
    pub fn sends_binary_bodies(&self) -> bool {
        self.operations.iter().any(|op| {
            op.body
                .as_ref()
                .is_some_and(|body| matches!(body.media, BodyMedia::Bytes(_)))
        })
    }

    /// Whether a credential's tokens are fetched by the client (an `oauth2` scheme with a
    /// `clientCredentials` flow): the crate then exports `ClientCredentials`.
    #[must_use]
    pub fn uses_client_credentials(&self) -> bool {
        self.credentials.iter().any(|c| c.token_flow.is_some())
    }

    /// Whether any operation sends a multipart body, or any type holds a file (the crate
    /// then carries `multipart.rs`, with `FilePart`).
    #[must_use]
    pub fn uses_multipart(&self) -> bool {
        let mut holds_file = false;
        self.walk_refs(&mut |ty| holds_file |= *ty == TypeRef::File);
        holds_file
            || self.operations.iter().any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.media == BodyMedia::Multipart)
            })
    }

    /// Whether any operation sends a form body (the crate then carries the form runtime).
    #[must_use]
    pub fn uses_forms(&self) -> bool {
        self.operations.iter().any(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| matches!(b.media, BodyMedia::Form(_)))
        })
    }

    /// Whether any operation has a pager (the crate then carries `paging.rs`).
    #[must_use]
    pub fn uses_paging(&self) -> bool {
        self.operations.iter().any(|op| op.pager.is_some())
    }

    /// Whether any operation streams its response (the crate then carries `streaming.rs`).
    #[must_use]
    pub fn uses_streams(&self) -> bool {
        self.operations.iter().any(|op| op.success.is_stream())
    }

    /// Whether any callback is signed (the crate then carries `signature.rs`).
    #[must_use]
    pub fn uses_signatures(&self) -> bool {
        !self.callbacks.is_empty()
    }

    /// How many operations were left out (each counted once, whatever its problems).
    #[must_use]
    pub fn operations_left_out(&self) -> usize {
        let mut left_out: Vec<&Omitted> = self
            .omissions
            .iter()
            .map(|o| &o.subject)
            .filter(|s| matches!(s, Omitted::Operation { .. } | Omitted::Path { .. }))
            .collect();
        left_out.sort();
        left_out.dedup();
        left_out.len()
    }

    /// Whether any checked string has a `pattern` (the crate then needs `regex`).
    #[must_use]
    pub fn uses_patterns(&self) -> bool {
        self.types
            .iter()
            .any(|t| matches!(&t.kind, TypeKind::StringRule(_)))
    }

    /// How Rust code names a type from outside `types`: `create_pet::Body`, or `Pet`.
    #[must_use]
    pub fn type_path(&self, id: TypeId) -> String {
        let def = &self.types[id.0];
        match &def.module {
            Some(module) => format!("{module}::{}", def.name),
            None => def.name.clone(),
        }
    }

    /// `ty` with every alias of a named type replaced by the type it names, at any depth:
    /// two references are the same Rust type when their canonical forms are equal.
    #[must_use]
    pub fn canonical(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Alias(target @ TypeRef::Named(_)) => self.canonical(target),
                _ => ty.clone(),
            },
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(self.canonical(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.canonical(inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.canonical(inner))),
            _ => ty.clone(),
        }
    }

    /// The type `ty` stands for, through any aliases.
    #[must_use]
    pub fn resolve<'a>(&'a self, mut ty: &'a TypeRef) -> &'a TypeRef {
        // Aliases name runtime types, never one another; the bound only guards a bug.
        for _ in 0..8 {
            match ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}

/// Identifies a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named Rust type to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust identifier.
    pub name: String,
    /// Documentation lines taken from the spec.
    pub docs: Docs,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    /// The schema's example, if it has one.
    pub example: Option<serde_json::Value>,
    pub kind: TypeKind,
    /// The cargo features ([`Api::features`]) any of which needs this type; empty when every
    /// build needs it.
    pub features: Vec<usize>,
    /// The module of `types` it is in: an operation's own types (its body, responses,
    /// parameters and what they contain) are in one named after its method; `None` for the
    /// top of `types`.
    pub module: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enumeration.
    Enum(Enum),
    /// The rules of checked strings with a `pattern` ([`Checked::Pattern`]): one small type
    /// per distinct set of rules, shared by every string that has them.
    StringRule(StringRules),
    /// The bounds of checked floats ([`Checked::Float`]): one small type per distinct set.
    NumberRule(NumberRules),
    /// Another name for a type: a component schema whose type is a runtime one (a checked
    /// string or number), so that the name the API description gives it stays.
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: one of several shapes.
    Union(Union),
    /// The success responses of one operation, when their bodies differ.
    Responses(Vec<ResponseCase>),
    /// The error responses of one operation, when their bodies differ.
    Errors(Vec<ErrorCase>),
    /// A schema the generator cannot type, as any JSON value (`serde_json::Value`); the
    /// reason is in its docs and in [`Api::omissions`].
    Untyped,
    /// The deliveries of a signed callback, by their discriminator's value, with a variant
    /// for the values the description does not list.
    Events(Events),
}

/// A `oneOf` with a discriminator, received as a callback: a variant per value of the
/// discriminator (several values may share a shape), and one for any other value, which
/// keeps the JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The discriminator's wire name (`event_type`).
    pub property: String,
    /// The method that returns the discriminator's value.
    pub accessor: String,
    pub variants: Vec<EventVariant>,
    /// The variant for values the description does not list.
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventVariant {
    /// The discriminator's value (`task-status-updated`).
    pub value: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub docs: Docs,
}

/// The property whose value says which variant a value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// The property's wire name.
    pub property: String,
    /// Each value of the property, with the index of its variant.
    pub values: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Used in requests: the name of its builder.
    pub builder: Option<String>,
    /// A `multipart/form-data` body: encoded as parts, not JSON.
    pub multipart: bool,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::struct_excessive_bools)] // Independent facts about one field; no state machine.
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `nullable: true`: `null` is a value the server may send.
    pub nullable: bool,
    /// Boxed, because the field's type contains the struct itself.
    pub boxed: bool,
    /// A `oneOf`/`anyOf` joined to the object: its properties sit beside the struct's own on
    /// the wire (`#[serde(flatten)]`); `wire_name` is then only a label.
    pub flatten: bool,
    /// Its builder setter, when the struct has a builder.
    pub setter: Option<String>,
    pub docs: Docs,
    /// The property's example, if it has one.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<Variant>,
}

impl Enum {
    /// Whether the values are integers (else strings).
    #[must_use]
    pub fn is_integer(&self) -> bool {
        self.variants
            .first()
            .is_some_and(|v| matches!(v.wire, EnumValue::Integer(_)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub wire: EnumValue,
    pub rust_name: String,
}

/// One value of an enumeration; every value of one enumeration has the same kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    String(String),
    Integer(i64),
}

impl std::fmt::Display for EnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Integer(n) => write!(f, "{n}"),
        }
    }
}

/// Rules a validated string enforces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StringRules {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `format: uri`: must be a URI by RFC 3986 (with a scheme).
    pub absolute_uri: bool,
    /// A regular expression the value must match somewhere (JSON Schema does not anchor it).
    pub pattern: Option<String>,
}

/// Rules a validated number enforces.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberRules {
    /// `I32`, `I64`, `F32` or `F64`.
    pub ty: TypeRef,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// Integers only.
    pub multiple_of: Option<i64>,
}

/// A numeric bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

/// A reference to a type, as a field, body or parameter uses it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `format: date-time`.
    DateTime,
    /// Any JSON value (`{}` or a schema with no type).
    Json,
    Named(TypeId),
    /// Raw bytes (`Vec<u8>`): request bodies sent as they are.
    Bytes,
    /// A file in a multipart body (`FilePart`).
    File,
    /// A multipart body the caller assembles part by part (`MultipartForm`), when the
    /// description does not say what its parts are.
    MultipartForm,
    /// A response-side enumeration: unknown values decode instead of failing.
    OrUnknown(TypeId),
    Vec(Box<TypeRef>),
    /// `additionalProperties` with a schema: a map from property name to value.
    Map(Box<TypeRef>),
    /// An array's item or a map's value that may be `null` (`nullable: true`): `Option<T>`.
    /// (A field's own nullability is [`Field::nullable`].)
    Nullable(Box<TypeRef>),
    /// A request value checked when it is made.
    Checked(Checked),
    /// A type of another crate (or of the user's), mapped by the settings or `x-rust-type`:
    /// its path (`uuid::Uuid`, `crate::ids::UserId`), checked when the settings were read.
    External(String),
}

impl TypeRef {
    /// Calls `f` on every named type this refers to (through vectors, maps and the rule
    /// types of checked values).
    pub fn for_each_id(&mut self, f: &mut dyn FnMut(&mut TypeId)) {
        visit::VisitMut::visit_type_ref_mut(&mut visit::IdsMut(f), self);
    }
}

impl Api {
    /// Calls `f` on every type reference of the crate: in its types, operations and
    /// callbacks, at every depth (see [`visit::Refs`]).
    pub fn walk_refs(&self, f: &mut dyn FnMut(&TypeRef)) {
        walk_refs(&self.types, &self.operations, &self.callbacks, f);
    }
}

/// [`Api::walk_refs`] over the parts of an API still being built.
pub fn walk_refs(
    types: &[TypeDef],
    operations: &[Operation],
    callbacks: &[SignedCallback],
    f: &mut dyn FnMut(&TypeRef),
) {
    visit::walk_all(&mut visit::Refs(f), types, operations, callbacks);
}

impl Payload {
    /// Calls `f` on every named type the payload refers to.
    pub fn for_each_id(&mut self, f: &mut dyn FnMut(&mut TypeId)) {
        visit::VisitMut::visit_payload_mut(&mut visit::IdsMut(f), self);
    }
}

impl TypeKind {
    /// Calls `f` on every named type this kind of type refers to.
    pub fn for_each_id(&mut self, f: &mut dyn FnMut(&mut TypeId)) {
        visit::VisitMut::visit_type_kind_mut(&mut visit::IdsMut(f), self);
    }
}

impl Operation {
    /// Calls `f` on every named type the operation refers to directly (its pager's item type
    /// included).
    pub fn for_each_id(&mut self, f: &mut dyn FnMut(&mut TypeId)) {
        visit::VisitMut::visit_operation_mut(&mut visit::IdsMut(f), self);
    }
}

/// A checked request value: a runtime type whose rules are its type parameters, so that a
/// rule repeated across the API costs the code of one type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Checked {
    /// `BoundedString<MIN, MAX>`: lengths only.
    Length { min: usize, max: Option<usize> },
    /// `UriString<MIN, MAX>`: `format: uri`, and lengths.
    Uri { min: usize, max: Option<usize> },
    /// `PatternString<Rule>`: a `pattern` (and lengths, format), its rule a
    /// [`TypeKind::StringRule`].
    Pattern(TypeId),
    /// `BoundedI64<MIN, MAX, MULTIPLE_OF>` (`BoundedI32` when not `wide`): bounds made
    /// inclusive.
    Integer {
        wide: bool,
        min: Option<i64>,
        max: Option<i64>,
        multiple_of: Option<i64>,
    },
    /// `BoundedF64<Rule>` (`BoundedF32` when not `wide`), its rule a [`TypeKind::NumberRule`].
    Float { wide: bool, rule: TypeId },
}

impl Checked {
    /// Whether the value is `Copy` (a number): passed by value, not by reference.
    #[must_use]
    pub fn is_number(&self) -> bool {
        matches!(self, Self::Integer { .. } | Self::Float { .. })
    }
}

/// One HTTP operation: a method on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name.
    pub rust_name: String,
    /// The name of the type that names its calls (`crate::operations::ListPets`), on which
    /// the setters of its optional parameters are.
    pub marker: String,
    /// `operationId`, or the name derived from method and path.
    pub id: String,
    pub method: Method,
    /// The path template as written in the spec, e.g. `/v1/webhooks/{id}/`.
    pub path: String,
    pub docs: Docs,
    pub params: Vec<Parameter>,
    pub body: Option<Body>,
    /// What a success response carries.
    pub success: Payload,
    /// What an error response decodes as: the one type every documented error status
    /// shares, an [`TypeKind::Errors`] enum when they differ, or JSON when none has a body.
    pub error: TypeRef,
    /// The `Accept` header: the success media types.
    pub accept: String,
    /// Alternative sets of indexes into [`Api::credentials`] that authorize this operation;
    /// an empty set means anonymous calls are allowed, no sets means no security.
    pub security: Vec<Vec<usize>>,
    /// The API description's first tag (or first path segment, in a document without tags):
    /// the group of operations it belongs to.
    pub group: String,
    /// The cargo feature ([`Api::features`]) that compiles it, where the crate has features.
    pub feature: Option<usize>,
    /// How to walk its pages, for a list operation.
    pub pager: Option<Pager>,
}

/// A cargo feature of the generated crate: one group of operations (a tag), or the schemas
/// no operation uses. A user of a few groups compiles only their operations and types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name (`repos`).
    pub name: String,
    /// What it compiles, for `Cargo.toml` and the docs.
    pub docs: String,
}

/// How a list operation pages (its call's `pages` and `items`): where its items are, and how
/// the next page is found.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    /// The type of one item.
    pub item: TypeRef,
    /// The fields leading from a page to its items; none when the page is the list.
    pub items: Vec<ItemsStep>,
    pub next: NextPage,
    /// Declared with `x-pagination`, or recognised from the operation's shape (which one).
    pub source: PagerSource,
}

/// One field on the way from a page to its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsStep {
    pub wire_name: String,
    pub rust_name: String,
    /// The field is an `Option` (the last step only): no items when it is absent.
    pub optional: bool,
}

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// A URL in the body, at this JSON pointer.
    BodyUrl(String),
    /// The `Link` header's `rel="next"` URL.
    LinkHeader,
    /// The same request with the query parameter `parameter` (its wire name) set to a cursor
    /// from the page, while the boolean at `has_more` (a JSON pointer) is true.
    Cursor {
        parameter: String,
        cursor: CursorSource,
        has_more: Option<String>,
    },
}

/// Where a cursor is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorSource {
    /// At this JSON pointer of the body.
    Pointer(String),
    /// This property of the last item (the items are at the JSON pointer `items`).
    LastItem { items: String, property: String },
}

/// Why an operation has a pager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagerSource {
    /// Its `x-pagination` extension.
    Extension,
    /// `{next, results}` in the body (Django REST Framework, Truv).
    NextAndResults,
    /// `{data, has_more}` and a `starting_after` parameter (Stripe's lists).
    StartingAfter,
    /// `{data, has_more, next_page}` and a `page` parameter (Stripe's searches).
    NextPageToken,
    /// A `Link` response header and a list body (GitHub).
    LinkHeader,
}

/// A callback whose deliveries carry a signature (`x-callback-signature`).
#[derive(Debug, Clone, PartialEq)]
pub struct SignedCallback {
    /// The callback's key in `callbacks`.
    pub name: String,
    /// The `operationId` of the operation that registers it.
    pub registered_by: String,
    /// The verification function.
    pub verify_name: String,
    /// The constant naming the signature header.
    pub header_const: String,
    /// The verification function's argument for the key.
    pub key_arg: String,
    /// The security scheme whose credential is the key, and its `description`.
    pub key_scheme: String,
    pub key_description: Option<String>,
    pub docs: Docs,
    /// What a delivery's body decodes as.
    pub body: TypeRef,
    pub header: String,
    pub algorithm: SignatureAlgorithm,
    pub encoding: SignatureEncoding,
    pub prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    HmacSha256,
    HmacSha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    Hex,
    Base64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`: a safe, idempotent request with a body.
    Query,
    /// An OpenAPI 3.2 `additionalOperations` entry: the token exactly as written (`LINK`,
    /// `PURGE`), checked to be an HTTP method token.
    Extension(String),
}

impl Method {
    /// The method as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
            Self::Query => "QUERY",
            Self::Extension(token) => token,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub wire_name: String,
    /// The method argument.
    pub rust_name: String,
    /// The setter of an optional parameter, a method of the operation's call (a required
    /// one's is its argument's name, and unused).
    pub setter: String,
    /// The local a path parameter's encoded text is bound to, named in the path's format
    /// string (which takes no raw identifier: `r#type` is bound as `type_`). The argument's
    /// name otherwise.
    pub local: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
    pub encoding: ParamEncoding,
    /// How a path parameter is written into the path (`simple` for the other locations).
    pub path_style: PathStyle,
    /// A header that makes a request safe to repeat (`Idempotency-Key`, see
    /// [`crate::lower`]'s `is_idempotency_key`): the client sends one key per call, the same on
    /// every retry, and may therefore retry the call whatever its method.
    pub idempotency_key: bool,
}

impl Parameter {
    /// Whether it is one timestamp (`format: date-time`), sent as RFC 3339 text.
    #[must_use]
    pub fn is_timestamp(&self) -> bool {
        self.encoding == ParamEncoding::Scalar && self.ty == TypeRef::DateTime
    }
}

/// A path parameter's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `{id}` → `5`, lists `3,4,5`.
    Simple,
    /// `{.id}` → `.5`, lists `.3,4,5` (or `.3.4.5` exploded).
    Label,
    /// `{;id}` → `;id=5`, lists `;id=3,4,5` (or `;id=3;id=4;id=5` exploded).
    Matrix,
}

/// How a parameter's value becomes text, from its `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// A scalar, as text.
    Scalar,
    /// An array of scalars: repeated (`explode`, query only) or joined by `separator`.
    List { explode: bool, separator: char },
    /// An object (or any shape) in the query: `deepObject` or `form`.
    Object { deep: bool, explode: bool },
    /// Any other shape (an object, a `oneOf` of scalars) in a path, header or cookie: its
    /// value as text in the `simple` style (objects `key,value,...`, or `key=value,...`
    /// exploded).
    Text { explode: bool },
    /// A parameter described by `content` with a JSON media type: its value serialized as
    /// JSON text.
    Json,
    /// OpenAPI 3.2's `in: querystring` sent form-encoded: the object is the whole query, each
    /// property its own pair, arrays repeated.
    Form,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent in the request's one `Cookie` header, the value percent-encoded.
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
    pub media: BodyMedia,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyMedia {
    Json,
    /// `application/x-www-form-urlencoded` from a struct or map, with the properties whose
    /// `encoding` differs from the default (`form`, exploded).
    Form(Vec<FormField>),
    /// `multipart/form-data`: from a struct (its fields are the parts), or a `MultipartForm`.
    Multipart,
    /// Text (`text/*`), sent with this media type.
    Text(String),
    /// Bytes as given, sent with this media type.
    Bytes(String),
}

impl TypeRef {
    /// The per-operation enum of error responses this names, if it names one.
    #[must_use]
    pub fn error_enum<'a>(&self, types: &'a [TypeDef]) -> Option<&'a TypeDef> {
        match self {
            // An operation's `Error` may be another name for an enum several operations share.
            Self::Named(id) => match &types.get(id.0)?.kind {
                TypeKind::Errors(_) => types.get(id.0),
                TypeKind::Alias(target) => target.error_enum(types),
                _ => None,
            },
            _ => None,
        }
    }
}

/// How one property of a form body is encoded (its `encoding` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub name: String,
    /// `deepObject`: nested values as `name[key]=value`.
    pub deep: bool,
    pub explode: bool,
    /// Joins the items of an array that is not exploded.
    pub separator: char,
}

/// A success response's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// No body.
    Empty,
    Json(TypeRef),
    /// Text (`text/*`, XML...), as a `String`.
    Text,
    /// Anything else (`application/octet-stream`, images, `*/*`...), as bytes.
    Bytes,
    /// Server-sent events (`text/event-stream`), streamed as they arrive; their data as sent,
    /// or decoded as JSON of this type (a 3.2 `itemSchema` that types the `data` field).
    Events(Option<TypeRef>),
    /// JSON values of this type, streamed as they arrive.
    JsonStream(TypeRef, StreamFraming),
    /// Several success statuses with different bodies: a named enum of them.
    Several(TypeId),
}

/// How a stream of JSON values separates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFraming {
    /// One per line: `application/jsonl`, `application/x-ndjson`.
    Lines,
    /// RFC 7464 records: `application/json-seq`.
    Records,
}

impl Payload {
    /// Whether the body is streamed rather than read whole: events, JSON values, and a
    /// binary body (a download of any size, read chunk by chunk or collected).
    #[must_use]
    pub fn is_stream(&self) -> bool {
        matches!(self, Self::Events(_) | Self::JsonStream(..) | Self::Bytes)
    }

    /// The payload read whole: where a stream cannot be (one case of several, an error
    /// body), events are text and a stream of values is bytes.
    #[must_use]
    pub fn buffered(self) -> Self {
        match self {
            Self::Events(_) => Self::Text,
            Self::JsonStream(..) => Self::Bytes,
            other => other,
        }
    }
}

/// One success status of an operation whose success responses differ.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    /// The status code, or `None` for `2XX`.
    pub status: Option<u16>,
    pub rust_name: String,
    pub payload: Payload,
    pub docs: Docs,
}

/// One documented error status of an operation whose error responses differ.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    pub status: ErrorStatus,
    pub rust_name: String,
    pub payload: Payload,
    pub docs: Docs,
}

/// Which statuses an error response describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorStatus {
    /// One status code.
    Code(u16),
    /// A range: `4XX` is `Range(4)`.
    Range(u16),
    /// `default`: every status no other response names.
    Default,
}

/// A credential the client sends, from one security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's key in `components.securitySchemes`.
    pub scheme: String,
    /// The builder method.
    pub rust_name: String,
    /// Its arguments of `Client::new` and `Client::builder`: one, a username and a password
    /// for `http` basic, a client id and secret for `oauth2` whose only flow is
    /// `clientCredentials`, or none for `http` mutual.
    pub args: Vec<String>,
    pub placement: Placement,
    pub docs: Docs,
    /// For `oauth2` with a `clientCredentials` flow: where the client fetches its tokens.
    pub token_flow: Option<TokenFlow>,
}

/// An `oauth2` scheme's `clientCredentials` flow: the client fetches, keeps and renews its
/// access tokens itself, given the client's id and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFlow {
    /// `tokenUrl`, as written (relative to the server where it is relative).
    pub token_url: String,
    /// `refreshUrl`, where the flow has one.
    pub refresh_url: Option<String>,
    /// The builder method that sets the client credentials.
    pub setter: String,
    /// It is the scheme's only flow: `Client::new` asks for the client credentials rather
    /// than for a token.
    pub only_flow: bool,
}

/// Where a credential goes on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `apiKey` in this header.
    Header(String),
    /// `apiKey` in the query string, under this name.
    Query(String),
    /// `apiKey` in this cookie.
    Cookie(String),
    /// `http` bearer; `oauth2` and `openIdConnect` with a token the caller obtained.
    Bearer,
    /// `http` basic: username and password.
    Basic,
    /// Another `http` scheme (`digest`, `OAuth` for OAuth 1.0a, `negotiate`, a vendor's
    /// own), named here: the caller gives the whole `Authorization` header value.
    Authorization(String),
    /// `http` `mutual`: TLS client authentication, by the HTTP client the caller gives the
    /// builder; nothing goes on the request.
    Transport,
}

/// Documentation for one item: paragraphs of Markdown, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Docs {
    pub paragraphs: Vec<String>,
}

impl Docs {
    pub fn push(&mut self, paragraph: impl Into<String>) {
        let paragraph = paragraph.into();
        let paragraph = paragraph.trim();
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph.to_owned());
        }
    }

    /// Adds `text` as a paragraph, or `fallback` when `text` is absent or blank (an empty
    /// `description` in the spec still needs documenting: generated crates deny
    /// `missing_docs`).
    pub fn push_or(&mut self, text: Option<&str>, fallback: impl FnOnce() -> String) {
        match text {
            Some(text) if !text.trim().is_empty() => self.push(text),
            _ => self.push(fallback()),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }
}
