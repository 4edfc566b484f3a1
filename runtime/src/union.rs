//! `oneOf`/`anyOf` unions: the decoding every generated union shares, written once.
//!
//! A generated union lists its variants and, for decoding, one function per variant (a
//! closure that tries the variant's type); [`decode`] picks the variant.
#![allow(dead_code)] // An API may describe no union.

use serde::de::Error as _;

/// Decodes one variant of a union from a JSON value, borrowed: nothing is cloned per try.
pub(crate) type Shape<T> = fn(&serde_json::Value) -> Result<T, serde_json::Error>;

/// A union's discriminator: the property, and which variant (an index into the shapes) each
/// of its values names.
pub(crate) struct Discriminator {
    pub property: &'static str,
    pub values: &'static [(&'static str, usize)],
}

/// Decodes a union named `name`: by the discriminator's value when it has one and the value
/// names a variant (whose error is then the value's), else as the first of `shapes` the value
/// fits.
pub(crate) fn decode<'de, D, T>(
    deserializer: D,
    name: &'static str,
    discriminator: Option<&Discriminator>,
    shapes: &[Shape<T>],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    if let Some(discriminator) = discriminator {
        let tag = value
            .get(discriminator.property)
            .and_then(serde_json::Value::as_str);
        if let Some(&(_, index)) = discriminator
            .values
            .iter()
            .find(|(wire, _)| Some(*wire) == tag)
        {
            if let Some(shape) = shapes.get(index) {
                return shape(&value).map_err(D::Error::custom);
            }
        }
    }
    shapes
        .iter()
        .find_map(|shape| shape(&value).ok())
        .ok_or_else(|| D::Error::custom(format!("the value matches no shape of `{name}`")))
}

/// `From` each variant's type into a union: `union_from!(Union, [Variant(Type) => wrap, ...])`,
/// where `wrap` is `::std::boxed::Box::new` for a boxed variant and `::std::convert::identity`
/// otherwise. The macro expands in the generated `types` module, beside the API's own types
/// (a schema may be called `Box` or `From`): every path in it and in `wrap` is in full.
// An API may describe no union (and this crate alone calls it only in tests).
#[allow(unused_macros)]
macro_rules! union_from {
    ($union:ident, [$($variant:ident($ty:ty) => $wrap:path),* $(,)?]) => {
        $(
            impl ::std::convert::From<$ty> for $union {
                fn from(value: $ty) -> Self {
                    Self::$variant($wrap(value))
                }
            }
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use union_from;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Pet {
        Number(i64),
        Name(String),
    }

    const SHAPES: &[Shape<Pet>] = &[
        |value| serde::Deserialize::deserialize(value).map(Pet::Number),
        |value| serde::Deserialize::deserialize(value).map(Pet::Name),
    ];

    fn pet(json: serde_json::Value, discriminator: Option<&Discriminator>) -> Result<Pet, String> {
        decode(json, "Pet", discriminator, SHAPES).map_err(|error| error.to_string())
    }

    union_from!(Pet, [Number(i64) => ::std::convert::identity, Name(String) => ::std::convert::identity]);

    /// A module whose own `Box` shadows std's, as a schema called `Box` does.
    mod shadowed {
        #[derive(Debug, PartialEq)]
        pub struct Box {
            pub size: i64,
        }

        #[derive(Debug, PartialEq)]
        pub enum Container {
            Box(::std::boxed::Box<Box>),
        }

        super::union_from!(Container, [Box(Box) => ::std::boxed::Box::new]);
    }

    #[test]
    fn a_boxed_variant_converts_beside_a_type_called_box() {
        use shadowed::{Box, Container};
        assert_eq!(
            Container::from(Box { size: 1 }),
            Container::Box(::std::boxed::Box::new(Box { size: 1 }))
        );
    }

    #[test]
    fn variants_convert_into_the_union() {
        assert_eq!(Pet::from(3), Pet::Number(3));
        assert_eq!(Pet::from("rex".to_owned()), Pet::Name("rex".into()));
    }

    #[test]
    fn the_first_shape_that_fits_wins() {
        assert_eq!(pet(serde_json::json!(3), None), Ok(Pet::Number(3)));
        assert_eq!(
            pet(serde_json::json!("rex"), None),
            Ok(Pet::Name("rex".into()))
        );
        assert_eq!(
            pet(serde_json::json!(true), None),
            Err("the value matches no shape of `Pet`".into())
        );
    }

    #[test]
    fn a_discriminator_value_names_its_variant_and_its_error() {
        let by_kind = Discriminator {
            property: "kind",
            values: &[("dog", 1)],
        };
        // The tag names the `Name` shape, which an object does not fit: its error, not a
        // fall-through to the other shapes.
        let error = pet(serde_json::json!({"kind": "dog"}), Some(&by_kind)).unwrap_err();
        assert!(error.contains("invalid type"), "{error}");
        // An unknown tag falls back to trying the shapes in order.
        assert_eq!(
            pet(serde_json::json!({"kind": "cat"}), Some(&by_kind)).unwrap_err(),
            "the value matches no shape of `Pet`"
        );
    }
}
