//! `multipart/form-data` request bodies (RFC 7578). Only generated crates whose API sends
//! multipart bodies carry this module.
//!
//! The body is encoded to bytes once, so that a retry can send it again; unless a file part
//! is a stream, when the body is sent as it is read, once.
#![allow(dead_code)] // Each API's bodies use only some kinds of part (text, file, JSON).

use std::fmt::Write as _;

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::BodyExt as _;

use super::seam::{BoxError, StreamSlot, StreamedBody};
use super::transport::RequestParts;
use super::upload::Upload;
use super::validation::ValidationError;

/// A file to upload in a multipart request body: its bytes, or a stream read as the body is
/// sent ([`from_stream`](Self::from_stream)).
#[derive(Debug, Clone, Default)]
pub struct FilePart {
    /// The contents.
    pub bytes: Vec<u8>,
    /// The file name sent with it, if any.
    pub file_name: Option<String>,
    /// Its media type; `application/octet-stream` when not given.
    pub content_type: Option<String>,
    /// The contents as a stream, instead of `bytes`.
    stream: Option<StreamSlot>,
}

impl PartialEq for FilePart {
    /// The same bytes, name and media type; a streamed file is equal only to itself (and its
    /// clones): its contents are not known before they are sent.
    fn eq(&self, other: &Self) -> bool {
        let same_stream = match (&self.stream, &other.stream) {
            (None, None) => true,
            (Some(a), Some(b)) => a.same(b),
            _ => false,
        };
        same_stream
            && self.bytes == other.bytes
            && self.file_name == other.file_name
            && self.content_type == other.content_type
    }
}

impl Eq for FilePart {}

impl FilePart {
    /// A file with these contents, no name and no media type.
    #[must_use]
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
            stream: None,
        }
    }

    /// A file read from `stream` as the request is sent (each item a chunk, or the error that
    /// ends the upload), no name and no media type. A body with a streamed part is sent once:
    /// its call is never retried. A file on disk:
    /// `FilePart::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::open(path).await?))`.
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self {
            stream: Upload::from_stream(stream).into_parts().err(),
            ..Self::default()
        }
    }

    /// The same file with a name.
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The same file with a media type.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

/// A `multipart/form-data` request body you assemble part by part, for operations whose API
/// description does not say what the parts are called (its body's schema is a file, a list,
/// a string: no object with properties).
///
/// ```text
/// let form = MultipartForm::new()
///     .file("file", FilePart::new(bytes).with_file_name("report.pdf"))
///     .text("title", "Q3 report");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct MultipartForm {
    parts: Vec<(String, Part)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    File(FilePart),
}

impl MultipartForm {
    /// A form with no parts.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same form with a text part.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// The same form with a file part.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// The parts, encoded in the order they were added.
    #[allow(clippy::unnecessary_wraps)] // Called as a body struct's `to_multipart()?` is.
    pub(crate) fn to_multipart(&self) -> Result<Multipart, super::validation::ValidationError> {
        let mut form = Multipart::new();
        for (name, part) in &self.parts {
            match part {
                Part::Text(value) => form.text(name, value),
                Part::File(file) => form.file(name, file),
            }
        }
        Ok(form)
    }
}

/// The frames of a streamed multipart body: its encoded parts and its files' chunks.
type Frames = futures_util::stream::BoxStream<'static, Result<http_body::Frame<Bytes>, BoxError>>;

/// A multipart body being assembled.
#[derive(Debug)]
pub(crate) struct Multipart {
    boundary: String,
    body: Vec<u8>,
    /// Streamed file parts, each with where in `body` its contents go.
    streams: Vec<(usize, StreamSlot)>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        let boundary: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(32)
            .collect();
        Self {
            boundary: format!("----generated-{boundary}"),
            body: Vec::new(),
            streams: Vec::new(),
        }
    }

    /// Adds a text field.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.head(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds a file field.
    pub(crate) fn file(&mut self, name: &str, file: &FilePart) {
        self.head(
            name,
            Some(file.file_name.as_deref().unwrap_or("file")),
            Some(
                file.content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream"),
            ),
        );
        match &file.stream {
            Some(stream) => self.streams.push((self.body.len(), stream.clone())),
            None => self.body.extend_from_slice(&file.bytes),
        }
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds a field holding any other value: a scalar (an enum's value, a number, a boolean,
    /// a checked string, a date) as its plain text, as a form would send it; anything else
    /// (an object, an array, `null`) as JSON text. OpenAPI's default part type is
    /// `text/plain` for a primitive and `application/json` for an object: a JSON-quoted
    /// enum value (`"dispute_evidence"`) is not the value the server expects.
    pub(crate) fn value<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), super::validation::ValidationError> {
        let value = serde_json::to_value(value)
            .map_err(|error| super::validation::ValidationError::not_encodable("body", error))?;
        match value {
            serde_json::Value::String(text) => self.text(name, &text),
            serde_json::Value::Number(number) => self.text(name, &number.to_string()),
            serde_json::Value::Bool(flag) => self.text(name, if flag { "true" } else { "false" }),
            other => self.text(name, &other.to_string()),
        }
        Ok(())
    }

    /// Sets the encoded body on `parts`: as bytes, or, with a streamed file part, as a stream
    /// of the encoded parts around each streamed file's chunks.
    pub(crate) fn set_on(mut self, parts: &mut RequestParts) -> Result<(), ValidationError> {
        if self.streams.is_empty() {
            let (content_type, body) = self.finish();
            return parts.raw_body(&content_type, body);
        }
        let streams = std::mem::take(&mut self.streams);
        let (content_type, body) = self.finish();
        let body = Bytes::from(body);
        let bytes = |bytes: Bytes| -> Frames {
            futures_util::stream::once(async move { Ok(http_body::Frame::data(bytes)) }).boxed()
        };
        let mut segments: Vec<Frames> = Vec::new();
        let mut at = 0;
        for (offset, stream) in streams {
            segments.push(bytes(body.slice(at..offset)));
            segments.push(match stream.take() {
                Some(file) => futures_util::StreamExt::boxed(http_body_util::BodyStream::new(file)),
                None => futures_util::stream::once(async {
                    Err::<http_body::Frame<Bytes>, BoxError>(
                        "the streamed file part was sent already: a stream is sent once".into(),
                    )
                })
                .boxed(),
            });
            at = offset;
        }
        segments.push(bytes(body.slice(at..)));
        let frames = futures_util::stream::iter(segments).flatten();
        let body: StreamedBody = http_body_util::StreamBody::new(frames).boxed_unsync();
        parts.streamed_body(&content_type, StreamSlot::new(body, None))
    }

    /// The `Content-Type` header and the encoded body.
    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            format!("multipart/form-data; boundary={}", self.boundary),
            self.body,
        )
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>) {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            escape(name)
        );
        if let Some(file_name) = file_name {
            let _ = write!(head, "; filename=\"{}\"", escape(file_name));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            // A media type with a line break would end the headers early.
            let content_type: String = content_type.chars().filter(|c| !c.is_control()).collect();
            let _ = write!(head, "Content-Type: {content_type}\r\n");
        }
        head.push_str("\r\n");
        self.body.extend_from_slice(head.as_bytes());
    }
}

/// Quotes and line breaks in names are percent-encoded, as the HTML standard does.
fn escape(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_and_file_fields() {
        let mut form = Multipart::new();
        form.text("title", "a \"quoted\" name");
        form.file(
            "upload",
            &FilePart::new(vec![0, 1, 2]).with_file_name("x.bin"),
        );
        let (content_type, body) = form.finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\" name\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"x.bin\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        );
        assert!(body.starts_with(expected.as_bytes()));
        assert!(body.ends_with(format!("\x00\x01\x02\r\n--{boundary}--\r\n").as_bytes()));
        assert_eq!(escape("a\"b\r\nc"), "a%22b%0D%0Ac");
    }

    #[test]
    fn scalars_are_sent_as_plain_text_and_the_rest_as_json() {
        let mut form = Multipart::new();
        form.value("purpose", &"dispute_evidence").unwrap();
        form.value("pages", &3).unwrap();
        form.value("score", &0.5).unwrap();
        form.value("urgent", &true).unwrap();
        form.value("meta", &serde_json::json!({"a": "b"})).unwrap();
        form.value("tags", &["x"]).unwrap();
        let (content_type, body) = form.finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let part = |name: &str, value: &str| {
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
        };
        let expected = [
            part("purpose", "dispute_evidence"),
            part("pages", "3"),
            part("score", "0.5"),
            part("urgent", "true"),
            part("meta", "{\"a\":\"b\"}"),
            part("tags", "[\"x\"]"),
            format!("--{boundary}--\r\n"),
        ]
        .concat();
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn an_assembled_form_keeps_its_parts_in_order() {
        let form = MultipartForm::new()
            .file(
                "file",
                FilePart::new(b"pdf".to_vec()).with_file_name("r.pdf"),
            )
            .text("title", "Q3")
            .file("file", FilePart::new(b"png".to_vec()));
        let (content_type, body) = form.to_multipart().unwrap().finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n\
             Content-Type: application/octet-stream\r\n\r\npdf\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
             Content-Type: application/octet-stream\r\n\r\npng\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }
}
