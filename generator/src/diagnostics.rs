//! Errors that point into the input document: `file: /json/pointer: what is wrong`, and the
//! JSON pointer and `$ref` syntax they (and loading and lowering alike) are written in.

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
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Appends `token` to `out`, escaped as in `escape_token`.
fn push_escaped(out: &mut String, token: &str) {
    let mut rest = token;
    while let Some(at) = rest.find(['~', '/']) {
        out.push_str(&rest[..at]);
        out.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// A JSON pointer token as the key it names: `~1` is `/`, `~0` is `~` (RFC 6901, in that
/// order).
#[must_use]
pub fn unescape_token(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_owned()
    }
}

/// `base` extended by the given tokens.
#[must_use]
pub fn pointer(base: &str, tokens: &[&str]) -> String {
    let length = tokens.iter().map(|token| token.len() + 1).sum::<usize>();
    let mut out = String::with_capacity(base.len() + length);
    out.push_str(base);
    for token in tokens {
        out.push('/');
        push_escaped(&mut out, token);
    }
    out
}

/// The JSON pointer a same-document reference (`#...`) names, percent-decoded; `None` for a
/// reference to another document.
pub(crate) fn fragment_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    // A fragment that does not decode to UTF-8 is read as written.
    Some(
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .map_or_else(|_| fragment.to_owned(), std::borrow::Cow::into_owned),
    )
}

/// The section and name of `#/components/<section>/<name>` in its common spelling, read as
/// written: nothing escaped or percent-encoded (which would need decoding to be read).
pub(crate) fn plain_component(reference: &str) -> Option<(&str, &str)> {
    let (section, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    let plain = |part: &str| !part.contains(['/', '~', '%']);
    (plain(section) && plain(name)).then_some((section, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped_and_read_back() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(escape_token("plain"), "plain");
        assert_eq!(
            pointer("/paths", &["/pets/{id}", "get", "~1"]),
            "/paths/~1pets~1{id}/get/~01"
        );
        for token in ["~1", "/~0/", "~", "", "é/ü"] {
            assert_eq!(unescape_token(&escape_token(token)), token);
        }
    }
}
