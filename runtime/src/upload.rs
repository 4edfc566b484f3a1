//! Binary request bodies (`application/octet-stream` and other raw media types): bytes the
//! caller has, or a stream read as it is sent. Multipart bodies use its streams for file
//! parts.
#![allow(dead_code)] // An API with multipart bodies and no binary one sends no `Upload`.

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::BodyExt as _;

use super::seam::{BoxError, StreamSlot};
use super::transport::RequestParts;
use super::validation::ValidationError;

/// A binary request body: bytes, or a stream read as it is sent, so that an upload of any
/// size takes the memory of one chunk.
///
/// Bytes convert into it (`Vec<u8>`, `&[u8]`, `bytes::Bytes`, `String`, `&str`), so a call
/// takes them as they are. A file is a stream of its chunks:
/// `Upload::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::open(path).await?))`.
///
/// A body of bytes is sent again on a retry. A stream cannot be read twice: a call with one
/// is never retried, whatever the retry policy, and a redirect that asks for the body again
/// (307, 308) is not followed (the call ends with the redirect as an API error saying so).
#[derive(Clone)]
pub struct Upload {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Bytes(Bytes),
    Stream(StreamSlot),
}

impl Upload {
    /// A body read from `stream` as it is sent: each item a chunk of bytes, or the error that
    /// ends the upload (the call then fails with a transport error).
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self::streamed(stream, None)
    }

    /// [`from_stream`](Self::from_stream), `length` bytes long: sent as the request's
    /// `Content-Length` (for servers that refuse a body of unknown length).
    pub fn from_stream_with_length<S, B, E>(stream: S, length: u64) -> Self
    where
        S: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self::streamed(stream, Some(length))
    }

    fn streamed<S, B, E>(stream: S, length: Option<u64>) -> Self
    where
        S: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let frames = stream.map(|chunk| {
            chunk
                .map(|bytes| http_body::Frame::data(bytes.into()))
                .map_err(Into::into)
        });
        let body = http_body_util::StreamBody::new(frames).boxed_unsync();
        Self {
            kind: Kind::Stream(StreamSlot::new(body, length)),
        }
    }

    /// Whether the body can be sent again (bytes), or only once (a stream).
    #[must_use]
    pub fn is_replayable(&self) -> bool {
        matches!(self.kind, Kind::Bytes(_))
    }

    /// The body as the request holds it.
    pub(crate) fn into_parts(self) -> Result<Bytes, StreamSlot> {
        match self.kind {
            Kind::Bytes(bytes) => Ok(bytes),
            Kind::Stream(slot) => Err(slot),
        }
    }
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::Bytes(bytes) => f
                .debug_struct("Upload")
                .field("bytes", &bytes.len())
                .finish(),
            Kind::Stream(slot) => f
                .debug_struct("Upload")
                .field("stream_length", &slot.length())
                .finish(),
        }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Self {
            kind: Kind::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&Vec<u8>> for Upload {
    fn from(bytes: &Vec<u8>) -> Self {
        Bytes::copy_from_slice(bytes).into()
    }
}

impl From<&[u8]> for Upload {
    fn from(bytes: &[u8]) -> Self {
        Bytes::copy_from_slice(bytes).into()
    }
}

impl<const N: usize> From<&[u8; N]> for Upload {
    fn from(bytes: &[u8; N]) -> Self {
        Bytes::copy_from_slice(bytes).into()
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&str> for Upload {
    fn from(text: &str) -> Self {
        Bytes::copy_from_slice(text.as_bytes()).into()
    }
}

impl RequestParts {
    /// Sets a binary body, sent with this `Content-Type`: bytes (sent again by a retry), or a
    /// stream (sent once, as it is read).
    pub(crate) fn upload_body(
        &mut self,
        content_type: &str,
        body: Upload,
    ) -> Result<(), ValidationError> {
        match body.into_parts() {
            Ok(bytes) => self.raw_body(content_type, bytes),
            Err(stream) => self.streamed_body(content_type, stream),
        }
    }
}
