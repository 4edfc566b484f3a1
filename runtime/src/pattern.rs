//! `pattern` checks for strings. Only generated crates whose API uses `pattern` carry this
//! module (and the `regex` dependency).

use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;

use super::validation::{ValidationError, ValidationErrorKind};

/// A regular expression from the API description, compiled on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex::Regex, String>>,
}

impl Pattern {
    /// The pattern `source`, compiled when first used.
    #[must_use]
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Refuses `value` unless the pattern matches somewhere in it. Like JSON Schema, the
    /// pattern is not implicitly anchored: write `^…$` to match the whole value.
    pub(crate) fn check(&self, field: &'static str, value: &str) -> Result<(), ValidationError> {
        let compiled = self
            .compiled
            .get_or_init(|| regex::Regex::new(self.source).map_err(|e| e.to_string()));
        match compiled {
            Ok(regex) if regex.is_match(value) => Ok(()),
            Ok(_) => Err(ValidationError::new(
                field,
                ValidationErrorKind::PatternMismatch {
                    pattern: self.source,
                },
            )),
            Err(reason) => Err(ValidationError::new(
                field,
                ValidationErrorKind::UnusablePattern {
                    pattern: self.source,
                    reason: reason.clone(),
                },
            )),
        }
    }
}

/// The rules of a string with a `pattern`: a small generated type per distinct set of rules
/// (a pattern cannot be a type parameter).
pub trait StringPattern {
    /// The pattern, compiled once.
    fn pattern() -> &'static Pattern;
    /// The fewest characters a value may have.
    const MIN_LENGTH: usize = 0;
    /// The most characters a value may have (`usize::MAX`: no limit).
    const MAX_LENGTH: usize = usize::MAX;
    /// Whether a value must be an absolute URI (`format: uri`).
    const ABSOLUTE_URI: bool = false;
}

/// A string that matches the pattern of `P` (and keeps to its lengths and format).
pub struct PatternString<P> {
    value: String,
    rule: PhantomData<fn() -> P>,
}

impl<P: StringPattern> PatternString<P> {
    /// Checks `value` against the rules.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the rule `value` breaks.
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        super::checked::check_lengths(&value, P::MIN_LENGTH, P::MAX_LENGTH)?;
        if P::ABSOLUTE_URI {
            super::validation::check_absolute_uri("value", &value)?;
        }
        P::pattern().check("value", &value)?;
        Ok(Self {
            value,
            rule: PhantomData,
        })
    }
}

impl<P> PatternString<P> {
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

// By hand: derives would ask the rule type for the traits too.
impl<P> Clone for PatternString<P> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            rule: PhantomData,
        }
    }
}

impl<P> fmt::Debug for PatternString<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<P> PartialEq for PatternString<P> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<P> Eq for PatternString<P> {}

impl<P> std::hash::Hash for PatternString<P> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<P> std::ops::Deref for PatternString<P> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.value
    }
}

impl<P> AsRef<str> for PatternString<P> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<P> fmt::Display for PatternString<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<P: StringPattern> std::str::FromStr for PatternString<P> {
    type Err = ValidationError;

    fn from_str(value: &str) -> Result<Self, ValidationError> {
        Self::new(value)
    }
}

impl<P: StringPattern> TryFrom<String> for PatternString<P> {
    type Error = ValidationError;

    fn try_from(value: String) -> Result<Self, ValidationError> {
        Self::new(value)
    }
}

impl<P: StringPattern> TryFrom<&str> for PatternString<P> {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, ValidationError> {
        Self::new(value)
    }
}

impl<P> From<PatternString<P>> for String {
    fn from(value: PatternString<P>) -> Self {
        value.value
    }
}

/// A value checked already, lent: what a parameter taking any checkable value takes from a
/// caller who keeps theirs.
impl<P> From<&PatternString<P>> for PatternString<P> {
    fn from(value: &PatternString<P>) -> Self {
        Self {
            value: value.value.clone(),
            rule: PhantomData,
        }
    }
}

impl<P> serde::Serialize for PatternString<P> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, P: StringPattern> serde::Deserialize<'de> for PatternString<P> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <String as serde::Deserialize>::deserialize(deserializer)?;
        Self::new(value).map_err(<D::Error as serde::de::Error>::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_unanchored_like_json_schema() {
        static DIGITS: Pattern = Pattern::new("[0-9]{3}");
        static ANCHORED: Pattern = Pattern::new("^[a-z]+$");
        assert!(DIGITS.check("code", "ab123cd").is_ok());
        let error = DIGITS.check("code", "ab12").unwrap_err();
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::PatternMismatch {
                pattern: "[0-9]{3}"
            }
        );
        assert!(ANCHORED.check("slug", "abc").is_ok());
        assert!(ANCHORED.check("slug", "abc1").is_err());
    }

    struct Slug;

    impl StringPattern for Slug {
        fn pattern() -> &'static Pattern {
            static PATTERN: Pattern = Pattern::new("^[a-z0-9-]+$");
            &PATTERN
        }
        const MIN_LENGTH: usize = 3;
    }

    #[test]
    fn pattern_strings_check_pattern_and_lengths() {
        assert!(PatternString::<Slug>::new("my-link").is_ok());
        let kind = |v: &str| PatternString::<Slug>::new(v).unwrap_err().kind().clone();
        assert!(matches!(
            kind("My Link"),
            ValidationErrorKind::PatternMismatch { .. }
        ));
        assert!(matches!(
            kind("ab"),
            ValidationErrorKind::TooShort { min: 3, actual: 2 }
        ));
        let slug: PatternString<Slug> = serde_json::from_str("\"a-b-c\"").unwrap();
        assert_eq!(slug.as_str(), "a-b-c");
    }

    #[test]
    fn an_unusable_pattern_is_an_error_not_a_panic() {
        static BROKEN: Pattern = Pattern::new("(unclosed");
        let error = BROKEN.check("x", "anything").unwrap_err();
        assert!(matches!(
            error.kind(),
            ValidationErrorKind::UnusablePattern { .. }
        ));
    }
}
