//! `application/x-www-form-urlencoded` request bodies. Only generated crates whose API sends
//! form bodies carry this file (and the `serde_urlencoded` dependency).
//!
//! Part of the runtime that the generator copies verbatim into every generated crate.

use serde::Serialize;

use crate::transport::RequestParts;
use crate::validation::{ValidationError, ValidationErrorKind};

/// Sets `body`, form-encoded, as the request body.
pub(crate) fn form_body<B: Serialize>(
    parts: &mut RequestParts,
    body: &B,
) -> Result<(), ValidationError> {
    let encoded = serde_urlencoded::to_string(body).map_err(|error| {
        ValidationError::new(
            "body",
            ValidationErrorKind::NotEncodable {
                reason: error.to_string(),
            },
        )
    })?;
    parts.raw_body("application/x-www-form-urlencoded", encoded.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Login {
        user: &'static str,
        remember: bool,
    }

    #[test]
    fn encodes_fields_as_pairs() {
        let mut parts = RequestParts::new("/login".to_owned(), Vec::new(), &[]);
        form_body(
            &mut parts,
            &Login {
                user: "a b&c",
                remember: true,
            },
        )
        .unwrap();
        assert_eq!(parts.body(), Some(&b"user=a+b%26c&remember=true"[..]));
    }
}
