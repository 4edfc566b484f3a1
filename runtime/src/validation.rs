//! Checks applied to request values before any network I/O, and the error they return.
#![allow(dead_code)] // Shared by every generated crate; each API uses only some checks.

use std::fmt;

/// A value refused before anything was sent: which field, and which rule it broke.
///
/// The refused value itself is never part of the error, so a secret or personal value cannot
/// leak into logs through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    field: &'static str,
    kind: ValidationErrorKind,
}

/// The rule a refused value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// The string has more characters (Unicode scalar values) than allowed.
    TooLong {
        /// The largest number of characters allowed.
        max: usize,
        /// The number of characters the value has.
        actual: usize,
    },
    /// The string has fewer characters (Unicode scalar values) than required.
    TooShort {
        /// The smallest number of characters allowed.
        min: usize,
        /// The number of characters the value has.
        actual: usize,
    },
    /// The string is not a URI by RFC 3986 (with a scheme).
    NotAbsoluteUri {
        /// Why the URI parser refused it.
        reason: String,
    },
    /// The string is not one of the values the API defines.
    NotAllowed {
        /// The values allowed.
        allowed: &'static [&'static str],
    },
    /// The string does not match the API description's `pattern`.
    PatternMismatch {
        /// The regular expression.
        pattern: &'static str,
    },
    /// The API description's `pattern` is not a regular expression this client can run.
    UnusablePattern {
        /// The regular expression.
        pattern: &'static str,
        /// Why it cannot be used.
        reason: String,
    },
    /// The number is below the minimum.
    TooSmall {
        /// The bound, as the API description writes it.
        minimum: String,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// The number is above the maximum.
    TooLarge {
        /// The bound, as the API description writes it.
        maximum: String,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// The number is not a multiple of the required factor.
    NotMultipleOf {
        /// The factor.
        factor: String,
    },
    /// A required field was never set on a builder.
    Missing,
    /// The value cannot be sent in an HTTP header (it contains control characters).
    InvalidHeaderValue,
    /// The value could not be encoded as JSON.
    NotEncodable {
        /// What the encoder said.
        reason: String,
    },
    /// A path parameter's value would make its path segment empty, `.` or `..` (or a
    /// percent-encoded `%2e` form of them): URL parsing would drop or resolve the segment
    /// (`..` climbs to the parent), so the request would go to another resource.
    NotAPathSegment,
    /// A next page's URL, from the server, points to another origin than the client's
    /// base URL: it is not followed, so that the client's credentials stay with their origin.
    OtherOrigin {
        /// The origin it points to (`https://other.example`).
        origin: String,
    },
    /// A next page's URL, from the server, is one the walk has fetched already: the pages
    /// point in a circle, so the walk ends instead of going round it.
    PageCycle,
    /// The server names a next page after the most pages the caller let the walk fetch
    /// (`Paged::max_pages`).
    PageLimit {
        /// The bound the caller set.
        limit: usize,
    },
}

impl ValidationError {
    /// An error for `field` breaking `kind`.
    #[must_use]
    pub fn new(field: &'static str, kind: ValidationErrorKind) -> Self {
        Self { field, kind }
    }

    /// A value serde could not encode (a map with non-string keys, say), with serde's reason.
    pub(crate) fn not_encodable(field: &'static str, reason: impl std::fmt::Display) -> Self {
        Self::new(
            field,
            ValidationErrorKind::NotEncodable {
                reason: reason.to_string(),
            },
        )
    }

    /// The field (or type) whose value was refused, as named in the API description.
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The rule the value broke.
    #[must_use]
    pub fn kind(&self) -> &ValidationErrorKind {
        &self.kind
    }

    /// The same error, reported against `field` (used by builders to name the struct field
    /// rather than the shared type).
    #[must_use]
    pub fn in_field(mut self, field: &'static str) -> Self {
        self.field = field;
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field;
        match &self.kind {
            ValidationErrorKind::TooLong { max, actual } => write!(
                f,
                "`{field}` is too long: at most {max} characters are allowed, the value has {actual}"
            ),
            ValidationErrorKind::TooShort { min, actual } => write!(
                f,
                "`{field}` is too short: at least {min} characters are required, the value has {actual}"
            ),
            ValidationErrorKind::NotAbsoluteUri { reason } => {
                write!(f, "`{field}` is not an absolute URI: {reason}")
            }
            ValidationErrorKind::NotAllowed { allowed } => {
                write!(f, "`{field}` must be one of: {}", allowed.join(", "))
            }
            ValidationErrorKind::PatternMismatch { pattern } => {
                write!(f, "`{field}` does not match the pattern `{pattern}`")
            }
            ValidationErrorKind::UnusablePattern { pattern, reason } => write!(
                f,
                "`{field}` cannot be checked: its pattern `{pattern}` is not usable here ({reason})"
            ),
            ValidationErrorKind::TooSmall { minimum, exclusive } => {
                let relation = if *exclusive {
                    "greater than"
                } else {
                    "at least"
                };
                write!(f, "`{field}` is too small: it must be {relation} {minimum}")
            }
            ValidationErrorKind::TooLarge { maximum, exclusive } => {
                let relation = if *exclusive { "less than" } else { "at most" };
                write!(f, "`{field}` is too large: it must be {relation} {maximum}")
            }
            ValidationErrorKind::NotMultipleOf { factor } => {
                write!(f, "`{field}` must be a multiple of {factor}")
            }
            ValidationErrorKind::Missing => write!(f, "`{field}` is required but was not set"),
            ValidationErrorKind::InvalidHeaderValue => write!(
                f,
                "`{field}` cannot be sent as an HTTP header value (it contains control characters)"
            ),
            ValidationErrorKind::NotEncodable { reason } => {
                write!(f, "`{field}` cannot be encoded as JSON: {reason}")
            }
            ValidationErrorKind::NotAPathSegment => write!(
                f,
                "`{field}` cannot be a path segment: an empty, `.` or `..` segment would send the request to another path"
            ),
            ValidationErrorKind::OtherOrigin { origin } => write!(
                f,
                "the `{field}` page is at {origin}, another origin than the base URL's: not followed, so that the credentials stay with their origin"
            ),
            ValidationErrorKind::PageCycle => write!(
                f,
                "the `{field}` page is one fetched before: the pages point in a circle, so the walk ends"
            ),
            ValidationErrorKind::PageLimit { limit } => write!(
                f,
                "the `{field}` page would be more than the {limit} pages the walk may fetch"
            ),
        }
    }
}

impl std::error::Error for ValidationError {}

impl From<std::convert::Infallible> for ValidationError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// Refuses `value` if it has more than `max` characters. JSON Schema counts Unicode
/// characters, not bytes: 128 × "é" is 128 characters long.
pub(crate) fn check_max_length(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), ValidationError> {
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::new(
            field,
            ValidationErrorKind::TooLong { max, actual },
        ));
    }
    Ok(())
}

/// Refuses `value` if it has fewer than `min` characters.
pub(crate) fn check_min_length(
    field: &'static str,
    value: &str,
    min: usize,
) -> Result<(), ValidationError> {
    let actual = value.chars().count();
    if actual < min {
        return Err(ValidationError::new(
            field,
            ValidationErrorKind::TooShort { min, actual },
        ));
    }
    Ok(())
}

/// Refuses `value` unless it is a URI by RFC 3986's `URI` rule: a scheme, then what the
/// grammar allows (a fragment included), which is JSON Schema's `uri` format. Strict on
/// purpose: the value is sent exactly as given, so nothing may pass that a lenient parser
/// would have to trim or repair (WHATWG's `url::Url::parse` accepts spaces, newlines and
/// backslashes, and fixes them in its own copy only).
pub(crate) fn check_absolute_uri(field: &'static str, value: &str) -> Result<(), ValidationError> {
    match iri_string::types::UriStr::new(value) {
        Ok(_) => Ok(()),
        Err(_) => Err(ValidationError::new(
            field,
            ValidationErrorKind::NotAbsoluteUri {
                reason: uri_problem(value).to_owned(),
            },
        )),
    }
}

/// What an RFC 3986 parser would object to first, in words (the parser's own error says only
/// that the value is invalid).
fn uri_problem(value: &str) -> &'static str {
    if value.chars().any(char::is_whitespace) {
        "it contains whitespace (percent-encode it as %20)"
    } else if !value.is_ascii() {
        "it contains characters outside ASCII (percent-encode them)"
    } else if iri_string::types::UriReferenceStr::new(value).is_ok() {
        "it has no scheme: it is a relative reference"
    } else {
        "it is not RFC 3986 URI syntax"
    }
}

/// Refuses `value` if it is below `minimum` (or equal to it, when `exclusive`).
pub(crate) fn check_minimum<N: PartialOrd + fmt::Display + Copy>(
    field: &'static str,
    value: N,
    minimum: N,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let refused = if exclusive {
        value <= minimum
    } else {
        value < minimum
    };
    if refused {
        return Err(ValidationError::new(
            field,
            ValidationErrorKind::TooSmall {
                minimum: minimum.to_string(),
                exclusive,
            },
        ));
    }
    Ok(())
}

/// Refuses `value` if it is above `maximum` (or equal to it, when `exclusive`).
pub(crate) fn check_maximum<N: PartialOrd + fmt::Display + Copy>(
    field: &'static str,
    value: N,
    maximum: N,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let refused = if exclusive {
        value >= maximum
    } else {
        value > maximum
    };
    if refused {
        return Err(ValidationError::new(
            field,
            ValidationErrorKind::TooLarge {
                maximum: maximum.to_string(),
                exclusive,
            },
        ));
    }
    Ok(())
}

/// Refuses an integer that is not a multiple of `factor`.
pub(crate) fn check_multiple_of(
    field: &'static str,
    value: i64,
    factor: i64,
) -> Result<(), ValidationError> {
    if factor != 0 && value % factor != 0 {
        return Err(ValidationError::new(
            field,
            ValidationErrorKind::NotMultipleOf {
                factor: factor.to_string(),
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_not_bytes() {
        let ok = "é".repeat(128);
        assert_eq!(check_max_length("name", &ok, 128), Ok(()));
        let long = "é".repeat(129);
        let error = check_max_length("name", &long, 128).unwrap_err();
        assert_eq!(
            error.kind(),
            &ValidationErrorKind::TooLong {
                max: 128,
                actual: 129
            }
        );
        assert_eq!(
            error.to_string(),
            "`name` is too long: at most 128 characters are allowed, the value has 129"
        );
    }

    #[test]
    fn min_length_boundary() {
        assert!(check_min_length("code", "ab", 2).is_ok());
        assert_eq!(
            check_min_length("code", "a", 2).unwrap_err().kind(),
            &ValidationErrorKind::TooShort { min: 2, actual: 1 }
        );
    }

    #[test]
    fn uri_must_be_absolute() {
        assert!(check_absolute_uri("url", "http://example.com/").is_ok());
        assert!(check_absolute_uri("url", "urn:isbn:0451450523").is_ok());
        let error = check_absolute_uri("url", "/relative/path").unwrap_err();
        assert_eq!(error.field(), "url");
        assert!(matches!(
            error.kind(),
            ValidationErrorKind::NotAbsoluteUri { .. }
        ));
        assert!(check_absolute_uri("url", "not a uri").is_err());
    }

    /// RFC 3986's `URI` rule (a scheme, then what it allows), as JSON Schema's `uri` format
    /// has it: nothing WHATWG's parser would trim, repair or percent-encode on the way.
    #[test]
    fn uri_is_checked_as_rfc_3986_not_repaired_as_whatwg() {
        for valid in [
            "http://example.com/",
            "https://hooks.example.com/truv?team=a%20b#frag",
            "urn:isbn:0451450523",
            "mailto:ops@example.com",
            // Valid RFC 3986 (a scheme and a rootless path), sent as it is.
            "http:example.com",
            "http://[::1]:8080/x",
        ] {
            assert_eq!(check_absolute_uri("url", valid), Ok(()), "{valid}");
        }
        for invalid in [
            " http://example.com/",
            "http://example.com/ ",
            "http://example.com/a b",
            "http://exa\nmple.com/",
            "http://example.com/\t",
            "http:\\\\example.com\\a",
            "http://example.com/%zz",
            "http://exämple.com/",
            "//example.com/no-scheme",
        ] {
            let error = check_absolute_uri("url", invalid).unwrap_err();
            assert!(
                matches!(error.kind(), ValidationErrorKind::NotAbsoluteUri { .. }),
                "{invalid:?}"
            );
        }
    }

    #[test]
    fn numeric_bounds_inclusive_and_exclusive() {
        assert!(check_minimum("n", 1, 1, false).is_ok());
        assert!(check_minimum("n", 1, 1, true).is_err());
        assert!(check_maximum("n", 10, 10, false).is_ok());
        let error = check_maximum("n", 10.5, 10.0, false).unwrap_err();
        assert_eq!(error.to_string(), "`n` is too large: it must be at most 10");
        assert_eq!(
            check_minimum("n", 0, 0, true).unwrap_err().to_string(),
            "`n` is too small: it must be greater than 0"
        );
        assert!(check_multiple_of("n", 15, 5).is_ok());
        assert!(check_multiple_of("n", 16, 5).is_err());
        assert!(check_multiple_of("n", 16, 0).is_ok());
    }

    #[test]
    fn in_field_renames_only_the_field() {
        let error = ValidationError::new("Name", ValidationErrorKind::Missing).in_field("Req.name");
        assert_eq!(error.field(), "Req.name");
        assert_eq!(error.kind(), &ValidationErrorKind::Missing);
    }
}
