//! Enumerations of the API description: what every generated enum shares, written once.
//!
//! A generated enum lists its variants; one macro call beside it (`string_enum!` or
//! `integer_enum!`) gives it its wire values and the impls every enum has (`Display`,
//! `FromStr`, `TryFrom`, serde), which go through the provided methods of [`StringEnum`] and
//! [`IntegerEnum`]. So an enum costs its variants and a line, not a derive's expansion.

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

    /// The value whose wire text is `text`.
    #[must_use]
    fn from_wire(text: &str) -> Option<Self> {
        Self::VALUES
            .iter()
            .position(|value| *value == text)
            .map(|index| Self::ALL[index])
    }

    /// Parses a wire text, refusing any other with the values allowed.
    ///
    /// # Errors
    ///
    /// [`ValidationErrorKind::NotAllowed`] for a text that is not one of [`StringEnum::VALUES`].
    fn parse_wire(text: &str) -> Result<Self, ValidationError> {
        Self::from_wire(text).ok_or_else(|| {
            ValidationError::new(
                Self::NAME,
                ValidationErrorKind::NotAllowed {
                    allowed: Self::VALUES,
                },
            )
        })
    }

    /// Decodes the value; one the API description does not list is an error naming the allowed
    /// ones (responses wrap enums in `OrUnknown`, which keeps such a value instead).
    ///
    /// # Errors
    ///
    /// The deserializer's, for anything but one of the listed strings.
    fn deserialize_wire<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_str(WireText::<Self>(std::marker::PhantomData))
    }
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

    /// The value whose wire number is `number`.
    #[must_use]
    fn from_number(number: i64) -> Option<Self> {
        Self::VALUES
            .iter()
            .position(|value| *value == number)
            .map(|index| Self::ALL[index])
    }

    /// The value whose wire number is `number`, or an error naming the allowed ones.
    ///
    /// # Errors
    ///
    /// [`ValidationErrorKind::NotAllowed`] for a number that is not one of
    /// [`IntegerEnum::VALUES`].
    fn try_number(number: i64) -> Result<Self, ValidationError> {
        Self::from_number(number).ok_or_else(not_allowed::<Self>)
    }

    /// Parses a wire number given as text.
    ///
    /// # Errors
    ///
    /// [`ValidationErrorKind::NotAllowed`] for anything but one of the numbers, as text.
    fn parse_wire(text: &str) -> Result<Self, ValidationError> {
        text.trim()
            .parse::<i64>()
            .ok()
            .and_then(Self::from_number)
            .ok_or_else(not_allowed::<Self>)
    }

    /// Decodes the value.
    ///
    /// # Errors
    ///
    /// The deserializer's, for anything but one of the listed numbers.
    fn deserialize_wire<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let number = <i64 as serde::Deserialize>::deserialize(deserializer)?;
        Self::try_number(number).map_err(<D::Error as serde::de::Error>::custom)
    }
}

fn not_allowed<T: IntegerEnum>() -> ValidationError {
    ValidationError::new(
        T::NAME,
        ValidationErrorKind::NotAllowed { allowed: T::TEXTS },
    )
}

/// Reads a string without copying it where the format allows.
struct WireText<T>(std::marker::PhantomData<T>);

impl<T: StringEnum> serde::de::Visitor<'_> for WireText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of: {}", T::VALUES.join(", "))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        T::parse_wire(text).map_err(E::custom)
    }
}

/// The impls of a string enumeration: `string_enum!(Name, [Variant = "wire", ...])`. The enum
/// itself is written out beside it, with its docs.
// An API may have no string enumeration (and this crate alone calls it only in tests).
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident, [$($variant:ident = $wire:literal),* $(,)?]) => {
        impl $name {
            /// Every value, in the order the API description lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it appears on the wire.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                <Self as crate::StringEnum>::VALUES[self as usize]
            }
        }

        impl crate::StringEnum for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const ALL: &'static [Self] = Self::ALL;
            const VALUES: &'static [&'static str] = &[$($wire),*];

            fn wire(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = crate::ValidationError;

            fn from_str(value: &str) -> ::std::result::Result<Self, crate::ValidationError> {
                <Self as crate::StringEnum>::parse_wire(value)
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = crate::ValidationError;

            fn try_from(value: &str) -> ::std::result::Result<Self, crate::ValidationError> {
                <Self as crate::StringEnum>::parse_wire(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <Self as crate::StringEnum>::deserialize_wire(deserializer)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// The impls of an integer enumeration: `integer_enum!(Name, [Variant = 1, ...])`.
// An API may have no integer enumeration (and this crate alone calls it only in tests).
#[allow(unused_macros)]
macro_rules! integer_enum {
    ($name:ident, [$($variant:ident = $wire:literal),* $(,)?]) => {
        impl $name {
            /// Every value, in the order the API description lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it appears on the wire.
            #[must_use]
            pub const fn as_i64(self) -> i64 {
                <Self as crate::IntegerEnum>::VALUES[self as usize]
            }
        }

        impl crate::IntegerEnum for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const ALL: &'static [Self] = Self::ALL;
            const VALUES: &'static [i64] = &[$($wire),*];
            const TEXTS: &'static [&'static str] = &[$(::std::stringify!($wire)),*];

            fn wire(self) -> i64 {
                self.as_i64()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = crate::ValidationError;

            fn from_str(value: &str) -> ::std::result::Result<Self, crate::ValidationError> {
                <Self as crate::IntegerEnum>::parse_wire(value)
            }
        }

        impl ::std::convert::TryFrom<i64> for $name {
            type Error = crate::ValidationError;

            fn try_from(value: i64) -> ::std::result::Result<Self, crate::ValidationError> {
                <Self as crate::IntegerEnum>::try_number(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <Self as crate::IntegerEnum>::deserialize_wire(deserializer)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use integer_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Color {
        Red,
        Green,
    }

    string_enum!(Color, [Red = "red", Green = "green"]);

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Level {
        Low,
        High,
        Below,
    }

    integer_enum!(Level, [Low = 1, High = 10, Below = -3]);

    #[test]
    fn string_values_parse_display_and_serialize_by_their_wire_text() {
        assert_eq!("green".parse::<Color>().unwrap(), Color::Green);
        assert_eq!(Color::try_from("red").unwrap(), Color::Red);
        assert_eq!(Color::Green.to_string(), "green");
        assert_eq!(Color::ALL, &[Color::Red, Color::Green]);
        let error = "blue".parse::<Color>().unwrap_err();
        assert_eq!(error.field(), "Color");
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::NotAllowed {
                allowed: &["red", "green"]
            }
        );
        assert_eq!(serde_json::to_string(&Color::Red).unwrap(), "\"red\"");
        assert_eq!(
            serde_json::from_str::<Color>("\"green\"").unwrap(),
            Color::Green
        );
        // Escaped text is read too (no borrowed `&str` required).
        assert_eq!(
            serde_json::from_str::<Color>("\"gr\\u0065en\"").unwrap(),
            Color::Green
        );
        let refused = serde_json::from_str::<Color>("\"blue\"").unwrap_err();
        assert!(refused.to_string().contains("red, green"), "{refused}");
    }

    #[test]
    fn integer_values_parse_display_and_serialize_by_their_number() {
        assert_eq!(" 10 ".parse::<Level>().unwrap(), Level::High);
        assert_eq!(Level::try_from(-3).unwrap(), Level::Below);
        assert_eq!(Level::Below.as_i64(), -3);
        assert_eq!(Level::TEXTS, &["1", "10", "-3"]);
        assert!("5".parse::<Level>().is_err());
        assert!("high".parse::<Level>().is_err());
        assert_eq!(serde_json::from_str::<Level>("1").unwrap(), Level::Low);
        assert_eq!(serde_json::to_string(&Level::High).unwrap(), "10");
        assert!(serde_json::from_str::<Level>("2").is_err());
    }
}
