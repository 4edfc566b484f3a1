//! Checked request values: strings and numbers that keep to the API description's rules,
//! checked when they are made.
//!
//! The rules are type parameters, so a rule that an API description repeats (Stripe writes
//! `maxLength: 5000` on thousands of strings) costs the code of one type:
//! `BoundedString<0, 5000>` everywhere. Lengths count Unicode characters, as JSON Schema
//! does. Integer bounds are inclusive (an exclusive bound is the next integer in). Rules that
//! cannot be type parameters (float bounds, patterns) are small generated types implementing
//! [`NumberRule`] or `StringPattern`.

use std::fmt;
use std::marker::PhantomData;

use super::validation::{
    ValidationError, check_absolute_uri, check_max_length, check_maximum, check_min_length,
    check_minimum, check_multiple_of,
};

/// What errors name before a builder names the field.
const LABEL: &str = "value";

/// The trait impls every checked string type has: conversions from and to `String`, `str`
/// access, `Display`, `FromStr` and serde, all through its `new`.
macro_rules! string_impls {
    ([$($generics:tt)*] $ty:ty) => {
        impl<$($generics)*> $ty {
            /// The value.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.value
            }

            /// The value, as an owned string.
            #[must_use]
            pub fn into_inner(self) -> String {
                self.value
            }
        }

        impl<$($generics)*> std::ops::Deref for $ty {
            type Target = str;

            fn deref(&self) -> &str {
                &self.value
            }
        }

        impl<$($generics)*> AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.value
            }
        }

        impl<$($generics)*> fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.value)
            }
        }

        impl<$($generics)*> std::str::FromStr for $ty {
            type Err = ValidationError;

            fn from_str(value: &str) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl<$($generics)*> TryFrom<String> for $ty {
            type Error = ValidationError;

            fn try_from(value: String) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl<$($generics)*> TryFrom<&str> for $ty {
            type Error = ValidationError;

            fn try_from(value: &str) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl<$($generics)*> From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.value
            }
        }

        /// A value checked already, lent: what a parameter taking any checkable value takes
        /// from a caller who keeps theirs.
        impl<$($generics)*> From<&$ty> for $ty {
            fn from(value: &$ty) -> Self {
                value.clone()
            }
        }

        impl<$($generics)*> serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.value)
            }
        }

        impl<'de, $($generics)*> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}

/// A string of at least `MIN` and at most `MAX` characters (Unicode scalar values).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoundedString<const MIN: usize, const MAX: usize = { usize::MAX }> {
    value: String,
}

impl<const MIN: usize, const MAX: usize> BoundedString<MIN, MAX> {
    /// The fewest characters a value may have.
    pub const MIN_LENGTH: usize = MIN;
    /// The most characters a value may have (`usize::MAX`: no limit).
    pub const MAX_LENGTH: usize = MAX;

    /// Checks `value` against the lengths.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the limit `value` breaks.
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        check_lengths(&value, MIN, MAX)?;
        Ok(Self { value })
    }
}

string_impls!([const MIN: usize, const MAX: usize] BoundedString<MIN, MAX>);

/// An absolute URI (RFC 3986: a scheme, then the rest) of at least `MIN` and at most `MAX`
/// characters: `format: uri`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UriString<const MIN: usize = 0, const MAX: usize = { usize::MAX }> {
    value: String,
}

impl<const MIN: usize, const MAX: usize> UriString<MIN, MAX> {
    /// The fewest characters a value may have.
    pub const MIN_LENGTH: usize = MIN;
    /// The most characters a value may have (`usize::MAX`: no limit).
    pub const MAX_LENGTH: usize = MAX;

    /// Checks that `value` is an absolute URI within the lengths.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the rule `value` breaks.
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        check_lengths(&value, MIN, MAX)?;
        check_absolute_uri(LABEL, &value)?;
        Ok(Self { value })
    }
}

string_impls!([const MIN: usize, const MAX: usize] UriString<MIN, MAX>);

/// Length checks, skipping the bounds that are no bounds.
pub(crate) fn check_lengths(value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    if min > 0 {
        check_min_length(LABEL, value, min)?;
    }
    if max < usize::MAX {
        check_max_length(LABEL, value, max)?;
    }
    Ok(())
}

/// The trait impls every checked integer type has.
macro_rules! integer_type {
    ($(#[$doc:meta])* $name:ident, $int:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<
            const MIN: $int = { <$int>::MIN },
            const MAX: $int = { <$int>::MAX },
            const MULTIPLE_OF: $int = 1,
        >($int);

        impl<const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int> $name<MIN, MAX, MULTIPLE_OF> {
            /// The smallest value allowed.
            pub const MINIMUM: $int = MIN;
            /// The largest value allowed.
            pub const MAXIMUM: $int = MAX;

            /// Checks `value` against the bounds (and the factor it must be a multiple of).
            ///
            /// # Errors
            ///
            /// A [`ValidationError`] naming the rule `value` breaks.
            pub fn new(value: $int) -> Result<Self, ValidationError> {
                if MIN > <$int>::MIN {
                    check_minimum(LABEL, value, MIN, false)?;
                }
                if MAX < <$int>::MAX {
                    check_maximum(LABEL, value, MAX, false)?;
                }
                if MULTIPLE_OF > 1 {
                    check_multiple_of(LABEL, i64::from(value), i64::from(MULTIPLE_OF))?;
                }
                Ok(Self(value))
            }

            /// The value.
            #[must_use]
            pub const fn get(self) -> $int {
                self.0
            }
        }

        impl<const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int> fmt::Display
            for $name<MIN, MAX, MULTIPLE_OF>
        {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl<const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int> TryFrom<$int>
            for $name<MIN, MAX, MULTIPLE_OF>
        {
            type Error = ValidationError;

            fn try_from(value: $int) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl<const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int>
            From<$name<MIN, MAX, MULTIPLE_OF>> for $int
        {
            fn from(value: $name<MIN, MAX, MULTIPLE_OF>) -> Self {
                value.0
            }
        }

        impl<const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int> serde::Serialize
            for $name<MIN, MAX, MULTIPLE_OF>
        {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de, const MIN: $int, const MAX: $int, const MULTIPLE_OF: $int> serde::Deserialize<'de>
            for $name<MIN, MAX, MULTIPLE_OF>
        {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$int as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}

integer_type!(
    /// A 64-bit integer from `MIN` to `MAX` (inclusive), a multiple of `MULTIPLE_OF`.
    BoundedI64,
    i64
);

integer_type!(
    /// A 32-bit integer from `MIN` to `MAX` (inclusive), a multiple of `MULTIPLE_OF`.
    BoundedI32,
    i32
);

/// Integer literals are `i32` unless told otherwise: `builder.limit(50)` converts too.
impl<const MIN: i64, const MAX: i64, const MULTIPLE_OF: i64> TryFrom<i32>
    for BoundedI64<MIN, MAX, MULTIPLE_OF>
{
    type Error = ValidationError;

    fn try_from(value: i32) -> Result<Self, ValidationError> {
        Self::new(i64::from(value))
    }
}

/// The bounds of a checked float: floats cannot be type parameters, so each distinct set of
/// bounds is a small generated type implementing this.
pub trait NumberRule {
    /// The bound values must reach (or, exclusive, exceed).
    const MINIMUM: Option<f64> = None;
    /// Whether [`NumberRule::MINIMUM`] itself is refused.
    const EXCLUSIVE_MINIMUM: bool = false;
    /// The bound values must stay within (or, exclusive, below).
    const MAXIMUM: Option<f64> = None;
    /// Whether [`NumberRule::MAXIMUM`] itself is refused.
    const EXCLUSIVE_MAXIMUM: bool = false;
}

/// The float checks of a rule.
fn check_float<R: NumberRule>(value: f64) -> Result<(), ValidationError> {
    if let Some(minimum) = R::MINIMUM {
        check_minimum(LABEL, value, minimum, R::EXCLUSIVE_MINIMUM)?;
    }
    if let Some(maximum) = R::MAXIMUM {
        check_maximum(LABEL, value, maximum, R::EXCLUSIVE_MAXIMUM)?;
    }
    Ok(())
}

/// The trait impls every checked float type has.
macro_rules! float_type {
    ($(#[$doc:meta])* $name:ident, $float:ty) => {
        $(#[$doc])*
        pub struct $name<R> {
            value: $float,
            rule: PhantomData<fn() -> R>,
        }

        impl<R: NumberRule> $name<R> {
            /// Checks `value` against the rule's bounds.
            ///
            /// # Errors
            ///
            /// A [`ValidationError`] naming the bound `value` breaks.
            pub fn new(value: $float) -> Result<Self, ValidationError> {
                check_float::<R>(f64::from(value))?;
                Ok(Self {
                    value,
                    rule: PhantomData,
                })
            }
        }

        impl<R> $name<R> {
            /// The value.
            #[must_use]
            pub const fn get(self) -> $float {
                self.value
            }
        }

        // By hand: derives would ask the rule type for the traits too.
        impl<R> Clone for $name<R> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<R> Copy for $name<R> {}

        impl<R> fmt::Debug for $name<R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.value, f)
            }
        }

        impl<R> PartialEq for $name<R> {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl<R> PartialOrd for $name<R> {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                self.value.partial_cmp(&other.value)
            }
        }

        impl<R> fmt::Display for $name<R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.value, f)
            }
        }

        impl<R: NumberRule> TryFrom<$float> for $name<R> {
            type Error = ValidationError;

            fn try_from(value: $float) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl<R> From<$name<R>> for $float {
            fn from(value: $name<R>) -> Self {
                value.value
            }
        }

        impl<R> serde::Serialize for $name<R> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.value, serializer)
            }
        }

        impl<'de, R: NumberRule> serde::Deserialize<'de> for $name<R> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$float as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}

float_type!(
    /// A 64-bit float within the bounds of the rule `R`.
    BoundedF64,
    f64
);

float_type!(
    /// A 32-bit float within the bounds of the rule `R`.
    BoundedF32,
    f32
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::ValidationErrorKind;

    #[test]
    fn lengths_count_characters_and_only_real_bounds_are_checked() {
        assert!(BoundedString::<0, 3>::new("ééé").is_ok());
        let error = BoundedString::<0, 3>::new("éééé").unwrap_err();
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::TooLong { max: 3, actual: 4 }
        );
        assert!(BoundedString::<2>::new("x".repeat(100_000)).is_ok());
        assert!(BoundedString::<2>::new("x").is_err());
        assert_eq!(BoundedString::<1, 5>::MAX_LENGTH, 5);
        let value: BoundedString<0, 10> = "hello".parse().unwrap();
        assert_eq!(&*value, "hello");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"hello\"");
        assert!(serde_json::from_str::<BoundedString<0, 2>>("\"long\"").is_err());
    }

    #[test]
    fn uris_must_be_absolute() {
        assert!(UriString::<0, 2048>::new("https://example.com/hook").is_ok());
        let error = UriString::<0, 2048>::new("/relative").unwrap_err();
        assert!(matches!(
            error.kind(),
            ValidationErrorKind::NotAbsoluteUri { .. }
        ));
        assert!(UriString::<0, 10>::new("https://example.com/long").is_err());
    }

    #[test]
    fn integer_bounds_and_factors() {
        type Limit = BoundedI64<1, 100>;
        assert!(Limit::new(1).is_ok() && Limit::new(100).is_ok());
        assert!(Limit::new(0).is_err() && Limit::new(101).is_err());
        assert_eq!(Limit::try_from(50_i32).unwrap().get(), 50);
        assert!(BoundedI32::<{ i32::MIN }, { i32::MAX }, 5>::new(15).is_ok());
        let error = BoundedI32::<{ i32::MIN }, { i32::MAX }, 5>::new(7).unwrap_err();
        assert!(matches!(
            error.kind(),
            ValidationErrorKind::NotMultipleOf { .. }
        ));
        assert!(serde_json::from_str::<Limit>("500").is_err());
    }

    struct Unit;

    impl NumberRule for Unit {
        const MINIMUM: Option<f64> = Some(0.0);
        const MAXIMUM: Option<f64> = Some(1.0);
        const EXCLUSIVE_MAXIMUM: bool = true;
    }

    #[test]
    fn float_bounds_follow_the_rule() {
        assert!(BoundedF64::<Unit>::new(0.0).is_ok());
        assert!(BoundedF64::<Unit>::new(0.999).is_ok());
        let error = BoundedF64::<Unit>::new(1.0).unwrap_err();
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::TooLarge {
                maximum: "1".to_owned(),
                exclusive: true
            }
        );
        assert!(BoundedF32::<Unit>::new(-0.5).is_err());
        assert_eq!(
            serde_json::to_string(&BoundedF64::<Unit>::new(0.5).unwrap()).unwrap(),
            "0.5"
        );
    }
}
