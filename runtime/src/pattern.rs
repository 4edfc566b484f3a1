//! `pattern` checks for strings. Only generated crates whose API uses `pattern` carry this
//! module (and the `regex` dependency).

use std::sync::OnceLock;

use super::validation::{ValidationError, ValidationErrorKind};

/// A regular expression from the API description, compiled on first use.
#[derive(Debug)]
pub(crate) struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex::Regex, String>>,
}

impl Pattern {
    pub(crate) const fn new(source: &'static str) -> Self {
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
