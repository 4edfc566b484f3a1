//! Errors that point into the input document: `file: /json/pointer: what is wrong`.

use std::fmt;

/// One problem found in a document, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer (RFC 6901) of the offending node; empty for the whole document.
    pub pointer: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Every problem found in one document. Generation reports all of them, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The document's name as the user gave it.
    pub file: String,
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let pointer = if item.pointer.is_empty() {
                "/"
            } else {
                &item.pointer
            };
            write!(f, "{}: {}: {}", self.file, pointer, item.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
#[must_use]
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer token as the key it names: `~1` is `/`, `~0` is `~` (RFC 6901, in that
/// order).
#[must_use]
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `base` extended by the given tokens.
#[must_use]
pub fn pointer(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_owned();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    out
}
