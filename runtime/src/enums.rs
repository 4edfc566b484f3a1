//! Enumerations of the API description: what every generated enum shares, written once.
//!
//! A generated enum lists its variants and their wire values; parsing, display and serde go
//! through the functions here, so that each enum costs a few lines rather than a derive's
//! expansion.
#![allow(dead_code)] // Each API has only some kinds of enumeration (string, integer).

use std::fmt;

use super::validation::{ValidationError, ValidationErrorKind};

/// A string enumeration of the API description.
pub trait StringEnum: Sized + Copy + 'static {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// Every value, in the order the API description lists them.
    const ALL: &'static [Self];
    /// Each value's wire text, in the same order as [`StringEnum::ALL`].
    const VALUES: &'static [&'static str];

    /// The value as it appears on the wire.
    fn wire(self) -> &'static str;
}

/// An integer enumeration of the API description.
pub trait IntegerEnum: Sized + Copy + 'static {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// Every value, in the order the API description lists them.
    const ALL: &'static [Self];
    /// Each value's wire number, in the same order as [`IntegerEnum::ALL`].
    const VALUES: &'static [i64];
    /// The wire numbers as text, for errors.
    const TEXTS: &'static [&'static str];

    /// The value as it appears on the wire.
    fn wire(self) -> i64;
}

/// The value whose wire text is `text`.
pub(crate) fn from_wire<T: StringEnum>(text: &str) -> Option<T> {
    T::VALUES
        .iter()
        .position(|value| *value == text)
        .map(|index| T::ALL[index])
}

/// The value whose wire number is `number`.
pub(crate) fn from_number<T: IntegerEnum>(number: i64) -> Option<T> {
    T::VALUES
        .iter()
        .position(|value| *value == number)
        .map(|index| T::ALL[index])
}

/// Parses a wire text, refusing any other with the values allowed.
pub(crate) fn parse<T: StringEnum>(text: &str) -> Result<T, ValidationError> {
    from_wire(text).ok_or_else(|| {
        ValidationError::new(
            T::NAME,
            ValidationErrorKind::NotAllowed { allowed: T::VALUES },
        )
    })
}

/// Parses a wire number (given as text), refusing any other with the values allowed.
pub(crate) fn parse_number<T: IntegerEnum>(text: &str) -> Result<T, ValidationError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(from_number)
        .ok_or_else(|| {
            ValidationError::new(
                T::NAME,
                ValidationErrorKind::NotAllowed { allowed: T::TEXTS },
            )
        })
}

/// A number that is not one of the enumeration's values.
pub(crate) fn number_not_allowed<T: IntegerEnum>() -> ValidationError {
    ValidationError::new(
        T::NAME,
        ValidationErrorKind::NotAllowed { allowed: T::TEXTS },
    )
}

pub(crate) fn serialize<T: StringEnum, S: serde::Serializer>(
    value: T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire())
}

pub(crate) fn serialize_number<T: IntegerEnum, S: serde::Serializer>(
    value: T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(value.wire())
}

/// Decodes a string enumeration; a value it does not list is an error naming the allowed ones
/// (responses wrap enums in `OrUnknown`, which keeps such a value instead).
pub(crate) fn deserialize<'de, T: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(WireText::<T>(std::marker::PhantomData))
}

pub(crate) fn deserialize_number<'de, T: IntegerEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let number = <i64 as serde::Deserialize>::deserialize(deserializer)?;
    from_number(number)
        .ok_or_else(|| <D::Error as serde::de::Error>::custom(number_not_allowed::<T>()))
}

/// Reads a string without copying it where the format allows.
struct WireText<T>(std::marker::PhantomData<T>);

impl<T: StringEnum> serde::de::Visitor<'_> for WireText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of: {}", T::VALUES.join(", "))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        parse(text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Color {
        Red,
        Green,
    }

    impl StringEnum for Color {
        const NAME: &'static str = "Color";
        const ALL: &'static [Self] = &[Self::Red, Self::Green];
        const VALUES: &'static [&'static str] = &["red", "green"];

        fn wire(self) -> &'static str {
            Self::VALUES[self as usize]
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Level {
        Low,
        High,
    }

    impl IntegerEnum for Level {
        const NAME: &'static str = "Level";
        const ALL: &'static [Self] = &[Self::Low, Self::High];
        const VALUES: &'static [i64] = &[1, 10];
        const TEXTS: &'static [&'static str] = &["1", "10"];

        fn wire(self) -> i64 {
            Self::VALUES[self as usize]
        }
    }

    #[test]
    fn string_values_parse_and_serialize_by_their_wire_text() {
        assert_eq!(parse::<Color>("green").unwrap(), Color::Green);
        let error = parse::<Color>("blue").unwrap_err();
        assert_eq!(error.field(), "Color");
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::NotAllowed {
                allowed: &["red", "green"]
            }
        );
        let json = serde_json::to_string(&Serializing(Color::Red)).unwrap();
        assert_eq!(json, "\"red\"");
        let color: Color =
            deserialize(&mut serde_json::Deserializer::from_str("\"green\"")).unwrap();
        assert_eq!(color, Color::Green);
        // Escaped text is read too (no borrowed `&str` required).
        let escaped: Color =
            deserialize(&mut serde_json::Deserializer::from_str("\"gr\\u0065en\"")).unwrap();
        assert_eq!(escaped, Color::Green);
        let refused = deserialize::<Color, _>(&mut serde_json::Deserializer::from_str("\"blue\""));
        assert!(refused.unwrap_err().to_string().contains("red, green"));
    }

    #[test]
    fn integer_values_parse_and_serialize_by_their_number() {
        assert_eq!(parse_number::<Level>(" 10 ").unwrap(), Level::High);
        assert!(parse_number::<Level>("5").is_err());
        assert!(parse_number::<Level>("high").is_err());
        let level: Level =
            deserialize_number(&mut serde_json::Deserializer::from_str("1")).unwrap();
        assert_eq!(level, Level::Low);
        assert!(
            deserialize_number::<Level, _>(&mut serde_json::Deserializer::from_str("2")).is_err()
        );
    }

    /// Serializes through the module's function, as generated impls do.
    struct Serializing(Color);

    impl serde::Serialize for Serializing {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
}
