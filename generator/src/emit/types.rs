//! Emitting the named types: one function per kind of type.

use crate::config::DateTimeCrate;
use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::model::{
    Api, Docs, Enum, EnumValue, ErrorCase, ErrorStatus, Events, Field, NumberRules, Operation,
    Payload, ResponseCase, StringRules, Struct, TypeDef, TypeKind, TypeRef, Union,
};

/// The `types` module's inner attributes (its documentation); [`item`] gives the rest.
pub(crate) fn header(api: &Api, gated: &[super::GatedTypes<'_>]) -> TokenStream {
    let title = format!(
        " Types of the {}, from the schemas of its description.",
        super::api_name(&api.title)
    );
    // A feature's own types are in a file of their own, compiled with the feature and
    // re-exported here: the same paths, one `#[cfg]` for all of them.
    let modules = gated.iter().map(|group| {
        let feature = &group.feature;
        let module = ident(&group.module);
        quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Request types check their values when they are built; response types accept"]
        #![doc = " whatever the server sends that fits their shape (see the crate documentation)."]

        #(#modules)*
    }
}

/// The start of a feature's file of types: the rest of `types`, by the names it gives them.
pub(crate) fn gated_header(feature: &str) -> TokenStream {
    let doc = format!(
        " The types only the `{feature}` feature's operations use, re-exported by `types`."
    );
    quote! {
        #![doc = #doc]

        // Every other type, by the name `types` gives it (some files name none): a glob, as
        // `types` re-exports this file's items by one.
        #[allow(unused_imports, clippy::wildcard_imports)]
        use super::*;
    }
}

/// A type's name as errors show it: with its module (`create_pet::Body`).
fn qualified_name(def: &TypeDef) -> String {
    match &def.module {
        Some(module) => format!("{}::{}", module.trim_start_matches("r#"), def.name),
        None => def.name.clone(),
    }
}

/// The module of an operation's own types (its parameters, body and responses, and what
/// they contain): `pub mod create_pet { ... }`.
pub(crate) fn operation_module(api: &Api, op: &Operation, defs: &[&TypeDef]) -> TokenStream {
    let module = ident(&op.rust_name);
    let shortening =
        super::paths::Shortening::types_module(&op.rust_name, defs.iter().map(|d| d.name.as_str()));
    let items = defs.iter().map(|def| shortening.apply(item(api, def)));
    let doc = format!(
        " The types of [`Client::{0}`](crate::Client::{0}): its own parameters, body and \
         responses, and what they contain.",
        op.rust_name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        pub mod #module {
            #(#items)*
        }
    }
}

/// The items of one type: its definition and impls.
pub(crate) fn item(api: &Api, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => struct_type(api, def, s),
        TypeKind::Enum(e) => enum_type(def, e),
        TypeKind::Alias(target) => alias_type(api, def, target),
        TypeKind::StringRule(rules) => string_rule(def, rules),
        TypeKind::NumberRule(rules) => number_rule(def, rules),
        TypeKind::Union(union) => union_type(api, def, union),
        TypeKind::Responses(cases) => responses_type(api, def, cases),
        TypeKind::Errors(cases) => errors_type(api, def, cases),
        TypeKind::Untyped => untyped(def),
        TypeKind::Events(events) => events_type(api, def, events),
    }
}

/// The declared type of a struct field.
fn field_type(api: &Api, field: &Field) -> TokenStream {
    let mut ty = type_tokens(api, &field.ty);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if is_optional(field) {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable
}

fn serde_attrs(api: &Api, field: &Field) -> TokenStream {
    if field.flatten {
        return quote!(#[serde(flatten)]);
    }
    let mut parts = Vec::new();
    if field.rust_name.trim_start_matches("r#") != field.wire_name {
        let wire = &field.wire_name;
        parts.push(quote!(rename = #wire));
    }
    // A missing `Option` field decodes as `None` by itself; one read through `with` needs to be
    // told.
    // `chrono`'s own `serde` is RFC 3339 already; `time`'s is not.
    let rfc3339_with = field.ty == TypeRef::DateTime && api.date_time == DateTimeCrate::Time;
    if is_optional(field) && rfc3339_with {
        parts.push(quote!(default));
    }
    if !field.required {
        parts.push(quote!(
            skip_serializing_if = "::std::option::Option::is_none"
        ));
    }
    if rfc3339_with {
        let with = if is_optional(field) {
            "::time::serde::rfc3339::option"
        } else {
            "::time::serde::rfc3339"
        };
        parts.push(quote!(with = #with));
    }
    if parts.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

fn struct_type(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let builder = s
        .builder
        .as_ref()
        .map(|builder| builder_type(api, def, s, builder));
    // Every field optional: the empty value is a sensible default.
    let default = s.fields.iter().all(is_optional).then(|| quote!(Default,));
    let has_files = s.fields.iter().any(|field| match &field.ty {
        TypeRef::File => true,
        TypeRef::Vec(inner) => **inner == TypeRef::File,
        _ => false,
    });
    // A struct with files is sent as parts only: no serde. Without files a multipart struct
    // may be sent as JSON as well, where the description uses it so.
    let serde = !has_files;
    let fields = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = field_type(api, field);
        let doc = field_docs(field);
        let serde = serde.then(|| serde_attrs(api, field));
        quote! {
            #doc
            #serde
            pub #field_name: #ty,
        }
    });
    let derive_serde = serde.then(|| quote!(::serde::Serialize, ::serde::Deserialize));
    let encoder = s.multipart.then(|| {
        let encoder = multipart_encoder(s);
        quote! {
            impl #name {
                #encoder
            }
        }
    });
    // Non-exhaustive: a field the API adds later is not a breaking change. Request structs are
    // built with `new`, `builder()` or `Default`; response structs are decoded.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #derive_serde)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #encoder
        #builder
    }
}

/// A field's docs, which name its property when the field's name reads as another
/// (`at_id` for `@id`, `name2` beside `name`), unless they name it already.
fn field_docs(field: &Field) -> TokenStream {
    let mut lines = docs::lines(&field.docs);
    let wire = format!("`{}`", field.wire_name);
    if crate::naming::differs_from_wire(&field.rust_name, &field.wire_name)
        && !lines.iter().any(|line| line.contains(&wire))
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("The {wire} property on the wire."));
    }
    docs::lines_to_attrs(&lines)
}

/// `to_multipart`: one part per field; files as file parts, strings as text, other scalars
/// (enums, numbers, booleans) as their plain text and anything else as JSON text (the
/// runtime's `Multipart::value` tells them apart). Absent optional fields send no part.
fn multipart_encoder(s: &Struct) -> TokenStream {
    let parts = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let add = |value: TokenStream| match &field.ty {
            TypeRef::File => quote!(form.file(#wire, #value);),
            TypeRef::Vec(inner) if **inner == TypeRef::File => quote! {
                for file in #value {
                    form.file(#wire, file);
                }
            },
            TypeRef::String => quote!(form.text(#wire, #value);),
            _ => quote!(form.value(#wire, #value)?;),
        };
        if is_optional(field) {
            let add = add(quote!(value));
            quote! {
                if let ::std::option::Option::Some(value) = &self.#field_name {
                    #add
                }
            }
        } else {
            add(quote!(&self.#field_name))
        }
    });
    // Only parts encoded through serde (`form.value`) can fail; the signature is the same for every body, so that
    // the client calls each alike.
    let infallible = s.fields.iter().all(|field| match &field.ty {
        TypeRef::File | TypeRef::String => true,
        TypeRef::Vec(inner) => **inner == TypeRef::File,
        _ => false,
    });
    let allow = infallible.then(|| quote!(#[allow(clippy::unnecessary_wraps)]));
    quote! {
        /// Encodes the fields as `multipart/form-data` parts.
        #allow
        pub(crate) fn to_multipart(&self) -> ::std::result::Result<crate::runtime::multipart::Multipart, crate::ValidationError> {
            let mut form = crate::runtime::multipart::Multipart::new();
            #(#parts)*
            ::std::result::Result::Ok(form)
        }
    }
}

/// A builder for a request struct: setters take anything convertible (checked on the way
/// in), `build` reports the first refused or missing field.
fn builder_type(api: &Api, def: &TypeDef, s: &Struct, builder: &str) -> TokenStream {
    let name = ident(&def.name);
    let builder = ident(builder);
    let struct_doc = format!(
        " Builds a [`{}`], checking each value as it is set.",
        def.name
    );
    let start_doc = format!(" Starts a [`{builder}`] with no field set.");
    let slots = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = value_type(api, field);
        quote!(#field_name: crate::runtime::builder::Slot<#ty>,)
    });
    let setters = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let setter = ident(field.setter.as_deref().unwrap_or(&field.rust_name));
        let ty = value_type(api, field);
        let label = format!("{}.{}", qualified_name(def), field.wire_name);
        let required = if field.required {
            "Required."
        } else {
            "Optional."
        };
        let doc = format!(
            " Sets `{}`: {} {required}",
            field.wire_name,
            docs::summary(&field.docs)
        );
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl crate::IntoChecked<#ty>) -> Self {
                self.#field_name.set(#label, value);
                self
            }
        }
    });
    let assignments = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let label = format!("{}.{}", qualified_name(def), field.wire_name);
        if is_optional(field) {
            quote!(#field_name: self.#field_name.optional()?,)
        } else {
            quote!(#field_name: self.#field_name.required(#label)?,)
        }
    });
    let build_doc = format!(" Builds the [`{}`].", def.name);
    let constructor = constructor(api, def, s);
    quote! {
        impl #name {
            #constructor
            #[doc = #start_doc]
            pub fn builder() -> #builder {
                <#builder as ::std::default::Default>::default()
            }
        }

        #[doc = #struct_doc]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct #builder {
            #(#slots)*
        }

        impl #builder {
            #(#setters)*

            #[doc = #build_doc]
            #[doc = ""]
            #[doc = " # Errors"]
            #[doc = ""]
            #[doc = " The first value a setter refused, or the first required field never set."]
            pub fn build(self) -> ::std::result::Result<#name, crate::ValidationError> {
                ::std::result::Result::Ok(#name {
                    #(#assignments)*
                })
            }
        }
    }
}

/// `new` taking the required fields, already checked; optional fields start unset. Omitted
/// past seven required fields, where a positional call stops being readable.
fn constructor(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| !is_optional(f)).collect();
    // Past seven, a positional call stops being readable; with none, `Default` serves.
    if required.len() > 7 || required.is_empty() {
        return quote!();
    }
    let args = required.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = field_type(api, field);
        quote!(#field_name: #ty)
    });
    let inits = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        if is_optional(field) {
            quote!(#field_name: ::std::option::Option::None)
        } else {
            quote!(#field_name)
        }
    });
    let doc = format!(
        " A [`{}`] with its required fields; optional fields are unset.",
        def.name
    );
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// The type a builder setter converts into (the field's type without `Option`).
fn value_type(api: &Api, field: &Field) -> TokenStream {
    let ty = type_tokens(api, &field.ty);
    if field.boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

/// An enumeration: its variants, and a call of the runtime's `string_enum!` or
/// `integer_enum!` for its wire values and the impls every enumeration has.
fn enum_type(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let variant_idents: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wire_literals: Vec<TokenStream> =
        e.variants.iter().map(|v| wire_literal(&v.wire)).collect();
    let variants = e.variants.iter().zip(&variant_idents).map(|(v, variant)| {
        let doc = match &v.wire {
            EnumValue::String(wire) if wire.is_empty() => " The empty string.".to_owned(),
            wire => format!(" `{wire}`"),
        };
        quote! {
            #[doc = #doc]
            #variant,
        }
    });
    let impls = if e.is_integer() {
        quote!(crate::runtime::enums::integer_enum!(#name, [#(#variant_idents = #wire_literals),*]);)
    } else {
        quote!(crate::runtime::enums::string_enum!(#name, [#(#variant_idents = #wire_literals),*]);)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #impls
    }
}

/// A schema the generator cannot type: any JSON value, under the schema's name, with docs
/// that say why.
fn untyped(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    quote! {
        #doc
        pub type #name = ::serde_json::Value;
    }
}

/// `oneOf`/`anyOf`: serialized as the variant's own value; decoded by the discriminator's
/// value when there is one, else as the first variant the JSON fits.
fn union_type(api: &Api, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let name_text = &def.name;
    let doc = docs::attrs(&def.docs);
    let variants = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = variant_type(api, &v.ty);
        let doc = docs::attrs(&v.docs);
        quote! {
            #doc
            #variant(#ty),
        }
    });
    let shapes = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        quote!(|value| ::serde::Deserialize::deserialize(value).map(Self::#variant))
    });
    let (discriminator, by_discriminator) = match &union.discriminator {
        Some(d) => {
            let property = &d.property;
            let values = d.values.iter().map(|(wire, index)| {
                let index = proc_macro2::Literal::usize_unsuffixed(*index);
                quote!((#wire, #index))
            });
            (
                quote! {
                    static DISCRIMINATOR: crate::runtime::union::Discriminator = crate::runtime::union::Discriminator {
                        property: #property,
                        values: &[#(#values),*],
                    };
                },
                quote!(::std::option::Option::Some(&DISCRIMINATOR)),
            )
        }
        None => (quote!(), quote!(::std::option::Option::None)),
    };
    // `From` for each distinct variant type, so values convert into the union (and builder
    // setters accept them). Variants of one Rust type (two components that are the same
    // checked integer, say) get one impl, for the first of them: a second would conflict
    // (E0119), and the first is also the variant decoding picks for such a value.
    let froms: Vec<TokenStream> = union
        .variants
        .iter()
        .enumerate()
        .filter_map(|(index, v)| {
            let first = !union.variants[..index]
                .iter()
                .any(|earlier| rust_type(api, &earlier.ty) == rust_type(api, &v.ty));
            first.then(|| {
                let variant = ident(&v.rust_name);
                let ty = type_tokens(api, &v.ty);
                // In full: the macro expands where a schema called `Box` may be defined.
                let wrap = if boxed_variant(api, &v.ty) {
                    quote!(::std::boxed::Box::new)
                } else {
                    quote!(::std::convert::identity)
                };
                quote!(#variant(#ty) => #wrap)
            })
        })
        .collect();
    let froms = (!froms.is_empty())
        .then(|| quote!(crate::runtime::union::union_from!(#name, [#(#froms),*]);));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #discriminator
                crate::runtime::union::decode(deserializer, #name_text, #by_discriminator, &[#(#shapes),*])
            }
        }

        #froms
    }
}

/// One variant of an enum of responses by status: a unit variant when there is no body.
fn status_variant(api: &Api, rust_name: &str, docs: &Docs, payload: &Payload) -> TokenStream {
    let variant = ident(rust_name);
    let doc = docs::attrs(docs);
    match payload {
        Payload::Empty | Payload::Several(_) => quote!(#doc #variant,),
        payload => {
            let ty = super::payload_type(api, payload);
            quote!(#doc #variant(#ty),)
        }
    }
}

/// The success responses of one operation, by status: not wire data, so no serde.
fn responses_type(api: &Api, def: &TypeDef, cases: &[ResponseCase]) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let variants = cases
        .iter()
        .map(|case| status_variant(api, &case.rust_name, &case.docs, &case.payload));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The error responses of one operation, by status, and how a response decodes into one.
fn errors_type(api: &Api, def: &TypeDef, cases: &[ErrorCase]) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let variants = cases
        .iter()
        .map(|case| status_variant(api, &case.rust_name, &case.docs, &case.payload));
    let arms = cases.iter().map(|case| {
        let variant = ident(&case.rust_name);
        let pattern = match case.status {
            ErrorStatus::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            ErrorStatus::Range(hundreds) => {
                let low = proc_macro2::Literal::u16_unsuffixed(hundreds * 100);
                let high = proc_macro2::Literal::u16_unsuffixed(hundreds * 100 + 99);
                quote!(#low..=#high)
            }
            ErrorStatus::Default => quote!(_),
        };
        let value = match &case.payload {
            Payload::Empty | Payload::Several(_) => {
                quote!(::std::option::Option::Some(Self::#variant))
            }
            Payload::Json(_) => quote!(::serde_json::from_slice(body).ok().map(Self::#variant)),
            // One case of several is read whole: a stream's is text or bytes (lowering).
            Payload::Text | Payload::Events(_) => quote! {
                ::std::option::Option::Some(Self::#variant(
                    ::std::string::String::from_utf8_lossy(body).into_owned(),
                ))
            },
            Payload::Bytes | Payload::JsonStream(..) => {
                quote!(::std::option::Option::Some(Self::#variant(body.to_vec())))
            }
        };
        quote!(#pattern => #value,)
    });
    let fallback = (!cases.iter().any(|case| case.status == ErrorStatus::Default))
        .then(|| quote!(_ => ::std::option::Option::None,));
    // Unused bindings stay quiet when no case reads the body.
    let reads_body = cases
        .iter()
        .any(|case| !matches!(case.payload, Payload::Empty | Payload::Several(_)));
    let body = if reads_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// Decodes an error response: the case for its status, else its range, else
            /// `default`; `None` when the body does not have that case's shape.
            pub(crate) fn from_response(
                status: ::reqwest::StatusCode,
                #body: &[u8],
            ) -> ::std::option::Option<Self> {
                match status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

/// The deliveries of a signed callback: a variant per value of the discriminator, decoded by
/// it; any other value decodes as the unknown variant, keeping the JSON. Serialized as the
/// variant's own value.
fn events_type(api: &Api, def: &TypeDef, events: &Events) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let unknown = ident(&events.unknown);
    let property = &events.property;
    let accessor = ident(&events.accessor);
    let accessor_doc = format!(" The delivery's `{property}`, as sent.");
    let variants = events.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(api, &v.ty);
        let doc = docs::attrs(&v.docs);
        quote! {
            #doc
            #variant(#ty),
        }
    });
    let unknown_doc = format!(
        " A `{property}` this client does not know (one added to the API since it was \
         generated): the delivery's JSON, whole."
    );
    let values = events.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote!(Self::#variant(_) => #value,)
    });
    let decodes = events.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote! {
            ::std::option::Option::Some(#value) => ::serde_json::from_value(value)
                .map(Self::#variant)
                .map_err(<D::Error as ::serde::de::Error>::custom),
        }
    });
    // One arm per payload type: variants that share one are encoded alike.
    let mut shapes: Vec<(&TypeRef, Vec<proc_macro2::Ident>)> = Vec::new();
    for v in &events.variants {
        let variant = ident(&v.rust_name);
        match shapes.iter_mut().find(|(ty, _)| **ty == v.ty) {
            Some((_, variants)) => variants.push(variant),
            None => shapes.push((&v.ty, vec![variant])),
        }
    }
    let encodes = shapes.iter().map(|(_, variants)| {
        quote!(#(Self::#variants(value))|* => ::serde::Serialize::serialize(value, serializer),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(::serde_json::Value),
        }

        impl #name {
            #[doc = #accessor_doc]
            #[must_use]
            pub fn #accessor(&self) -> &str {
                match self {
                    #(#values)*
                    Self::#unknown(value) => value
                        .get(#property)
                        .and_then(::serde_json::Value::as_str)
                        .unwrap_or_default(),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#encodes)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let kind = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match kind.as_deref() {
                    #(#decodes)*
                    _ => ::std::result::Result::Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

/// A variant's payload type (boxed where it is the union itself, directly or not).
fn variant_type(api: &Api, ty: &TypeRef) -> TokenStream {
    let tokens = type_tokens(api, ty);
    if boxed_variant(api, ty) {
        quote!(::std::boxed::Box<#tokens>)
    } else {
        tokens
    }
}

/// Whether a union's variant of type `ty` is boxed: a struct or a union, which may contain
/// the union itself (a recursive type needs the indirection) and is large. A scalar behind a
/// component's name (an enum, a checked number or string) is neither: it stays unboxed.
pub(crate) fn boxed_variant(api: &Api, ty: &TypeRef) -> bool {
    matches!(
        api.resolve(ty),
        TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Struct(_) | TypeKind::Union(_))
    )
}

/// The Rust type `ty` is, through every alias: a component that names a runtime type (two
/// components `integer, minimum: 1` are both `BoundedI64<1>`) is another name for one type.
fn rust_type(api: &Api, ty: &TypeRef) -> TypeRef {
    match api.resolve(ty) {
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(rust_type(api, inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(rust_type(api, inner))),
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(rust_type(api, inner))),
        other => other.clone(),
    }
}

fn wire_literal(value: &EnumValue) -> TokenStream {
    match value {
        EnumValue::String(s) => quote!(#s),
        EnumValue::Integer(n) => super::integer_literal(*n),
    }
}

/// A component schema's name for a runtime type (a checked string or number).
fn alias_type(api: &Api, def: &TypeDef, target: &TypeRef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let target = type_tokens(api, target);
    quote! {
        #doc
        pub type #name = #target;
    }
}

/// The rules of checked strings with a pattern: a unit type the runtime's `PatternString`
/// reads them from.
fn string_rule(def: &TypeDef, rules: &StringRules) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let pattern = rules.pattern.as_deref().unwrap_or_default();
    let min = rules.min_length.filter(|&min| min > 0).map(|min| {
        let min = proc_macro2::Literal::usize_unsuffixed(min);
        quote!(const MIN_LENGTH: usize = #min;)
    });
    let max = rules.max_length.map(|max| {
        let max = proc_macro2::Literal::usize_unsuffixed(max);
        quote!(const MAX_LENGTH: usize = #max;)
    });
    let uri = rules.absolute_uri.then(|| {
        quote!(
            const ABSOLUTE_URI: bool = true;
        )
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name;

        impl crate::StringPattern for #name {
            fn pattern() -> &'static crate::Pattern {
                static PATTERN: crate::Pattern = crate::Pattern::new(#pattern);
                &PATTERN
            }
            #min
            #max
            #uri
        }
    }
}

/// The bounds of checked floats: a unit type the runtime's `BoundedF64` reads them from.
fn number_rule(def: &TypeDef, rules: &NumberRules) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let bound =
        |bound: Option<crate::model::Bound>, value: TokenStream, exclusive: TokenStream| {
            bound.map(|bound| {
            let literal = super::float_literal(bound.value);
            let flag = bound.exclusive.then(|| quote!(const #exclusive: bool = true;));
            quote! {
                const #value: ::std::option::Option<f64> = ::std::option::Option::Some(#literal);
                #flag
            }
        })
        };
    let minimum = bound(rules.minimum, quote!(MINIMUM), quote!(EXCLUSIVE_MINIMUM));
    let maximum = bound(rules.maximum, quote!(MAXIMUM), quote!(EXCLUSIVE_MAXIMUM));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name;

        impl crate::NumberRule for #name {
            #minimum
            #maximum
        }
    }
}
