//! Checking the signature of a delivery an API sends to your endpoint (a callback described
//! with the `x-callback-signature` extension), before trusting its body.
//!
//! The signature is an HMAC of the raw request body, keyed with one of your credentials,
//! encoded (hex or base64) behind an optional prefix in one header. It is compared in
//! constant time (`hmac`'s `verify_slice`, built on `subtle`), so that how long a refusal
//! takes says nothing about how much of a forged signature was right.
#![allow(dead_code)] // Shared by every generated crate; each API signs with one algorithm and encoding.

use std::fmt;

use hmac::{Hmac, Mac};

/// How one callback is signed, from the API description.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// The header carrying the signature.
    pub header: &'static str,
    pub algorithm: Algorithm,
    pub encoding: Encoding,
    /// What precedes the encoded MAC in the header (`v1=`), possibly nothing.
    pub prefix: &'static str,
}

/// The MAC algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    HmacSha256,
    HmacSha512,
}

/// How the MAC is written in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Hexadecimal digits (either case).
    Hex,
    /// Standard base64, with padding.
    Base64,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Self::Hex => "hex",
            Self::Base64 => "base64",
        }
    }

    fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Self::Hex => hex::decode(text).ok(),
            Self::Base64 => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.decode(text).ok()
            }
        }
    }
}

/// Why a delivery was not accepted. Answer it with a 4xx status: the sender did not prove
/// it holds the key, or did not send what its description documents.
///
/// No variant holds the key, the expected signature or the body.
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature header is empty or was not sent.
    MissingSignature {
        /// The header that should carry it.
        header: &'static str,
    },
    /// The signature does not start with the prefix the description gives.
    MissingPrefix {
        /// The header carrying it.
        header: &'static str,
        /// The prefix expected (`v1=`).
        prefix: &'static str,
    },
    /// What follows the prefix is not a MAC in the documented encoding.
    Malformed {
        /// The header carrying it.
        header: &'static str,
        /// `hex` or `base64`.
        encoding: &'static str,
    },
    /// The signature does not match the body: the body was changed on the way, or signed
    /// with another key (another environment's secret, say).
    Mismatch {
        /// The header carrying it.
        header: &'static str,
    },
    /// The key to check with is empty.
    EmptyKey,
    /// The signature matches, but the body is not what the description documents.
    Decode(serde_json::Error),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature { header } => {
                write!(f, "the `{header}` signature header is missing or empty")
            }
            Self::MissingPrefix { header, prefix } => {
                write!(f, "the `{header}` signature does not start with `{prefix}`")
            }
            Self::Malformed { header, encoding } => {
                write!(f, "the `{header}` signature is not {encoding}-encoded")
            }
            Self::Mismatch { header } => write!(
                f,
                "the `{header}` signature does not match the body (changed, or signed with another key)"
            ),
            Self::EmptyKey => f.write_str("the key to check signatures with is empty"),
            Self::Decode(error) => write!(
                f,
                "the signature matches but the body is not a documented delivery: {error}"
            ),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode(error) => Some(error),
            _ => None,
        }
    }
}

/// Checks that `signature` (the header's value) signs exactly `body` with `key`.
pub(crate) fn verify(
    scheme: &Scheme,
    body: &[u8],
    signature: &str,
    key: &[u8],
) -> Result<(), VerifyError> {
    let header = scheme.header;
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(VerifyError::MissingSignature { header });
    }
    let Some(encoded) = signature.strip_prefix(scheme.prefix) else {
        return Err(VerifyError::MissingPrefix {
            header,
            prefix: scheme.prefix,
        });
    };
    let Some(provided) = scheme.encoding.decode(encoded) else {
        return Err(VerifyError::Malformed {
            header,
            encoding: scheme.encoding.name(),
        });
    };
    if key.is_empty() {
        return Err(VerifyError::EmptyKey);
    }
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let matches = match scheme.algorithm {
        Algorithm::HmacSha256 => Hmac::<sha2::Sha256>::new_from_slice(key)
            .map(|mac| mac.chain_update(body).verify_slice(&provided).is_ok()),
        Algorithm::HmacSha512 => Hmac::<sha2::Sha512>::new_from_slice(key)
            .map(|mac| mac.chain_update(body).verify_slice(&provided).is_ok()),
    };
    if matches == Ok(true) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch { header })
    }
}

/// [`verify`], then decodes the body as JSON of type `T`.
pub(crate) fn verify_json<T: serde::de::DeserializeOwned>(
    scheme: &Scheme,
    body: &[u8],
    signature: &str,
    key: &[u8],
) -> Result<T, VerifyError> {
    verify(scheme, body, signature, key)?;
    serde_json::from_slice(body).map_err(VerifyError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUV: Scheme = Scheme {
        header: "X-WEBHOOK-SIGN",
        algorithm: Algorithm::HmacSha256,
        encoding: Encoding::Hex,
        prefix: "v1=",
    };

    /// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    const RFC_4231_SHA256: &str =
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn the_rfc_4231_vector_verifies_and_a_changed_byte_does_not() {
        let body = b"what do ya want for nothing?";
        let header = format!("v1={RFC_4231_SHA256}");
        assert!(verify(&TRUV, body, &header, b"Jefe").is_ok());
        // Hex is read in either case.
        assert!(
            verify(
                &TRUV,
                body,
                &header.to_uppercase().replace("V1=", "v1="),
                b"Jefe"
            )
            .is_ok()
        );
        assert!(matches!(
            verify(&TRUV, b"what do ya want for nothing!", &header, b"Jefe"),
            Err(VerifyError::Mismatch { .. })
        ));
        assert!(matches!(
            verify(&TRUV, body, &header, b"Jeff"),
            Err(VerifyError::Mismatch { .. })
        ));
    }

    type Expected = fn(&VerifyError) -> bool;

    #[test]
    fn bad_headers_are_named() {
        let body = b"{}";
        let cases: [(&str, Expected); 5] = [
            ("", |e| matches!(e, VerifyError::MissingSignature { .. })),
            ("  ", |e| matches!(e, VerifyError::MissingSignature { .. })),
            (RFC_4231_SHA256, |e| {
                matches!(e, VerifyError::MissingPrefix { prefix: "v1=", .. })
            }),
            ("v2=00", |e| matches!(e, VerifyError::MissingPrefix { .. })),
            ("v1=not-hex", |e| {
                matches!(
                    e,
                    VerifyError::Malformed {
                        encoding: "hex",
                        ..
                    }
                )
            }),
        ];
        for (header, expected) in cases {
            let error = verify(&TRUV, body, header, b"k").unwrap_err();
            assert!(expected(&error), "{header:?}: {error:?}");
            assert!(error.to_string().contains("X-WEBHOOK-SIGN"), "{error}");
        }
        // A MAC of the wrong length is a mismatch, not a panic.
        assert!(matches!(
            verify(&TRUV, body, "v1=abcd", b"k"),
            Err(VerifyError::Mismatch { .. })
        ));
        assert!(matches!(
            verify(&TRUV, body, &format!("v1={RFC_4231_SHA256}"), b""),
            Err(VerifyError::EmptyKey)
        ));
    }

    #[test]
    fn base64_and_sha512_without_prefix() {
        let scheme = Scheme {
            header: "X-Signature",
            algorithm: Algorithm::HmacSha512,
            encoding: Encoding::Base64,
            prefix: "",
        };
        // RFC 4231, test case 2, HMAC-SHA-512, in base64.
        let expected = "Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw==";
        assert!(verify(&scheme, b"what do ya want for nothing?", expected, b"Jefe").is_ok());
        assert!(matches!(
            verify(&scheme, b"x", "%%%", b"Jefe"),
            Err(VerifyError::Malformed {
                encoding: "base64",
                ..
            })
        ));
    }

    #[test]
    fn a_verified_body_that_is_not_the_type_is_a_decode_error() {
        let key = b"Jefe";
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(b"[1]");
        let header = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
        let value: Vec<u8> = verify_json(&TRUV, b"[1]", &header, key).unwrap();
        assert_eq!(value, [1]);
        let error = verify_json::<String>(&TRUV, b"[1]", &header, key).unwrap_err();
        assert!(matches!(error, VerifyError::Decode(_)), "{error:?}");
    }
}
