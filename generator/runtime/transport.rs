//! Sends requests and turns responses into typed results or [`Error`]s.
//!
//! Part of the runtime that the generator copies verbatim into every generated crate.
#![allow(dead_code)] // Shared by every generated crate; each API uses only some helpers.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error};
use crate::secret::SecretString;
use crate::validation::{ValidationError, ValidationErrorKind};

/// Characters percent-encoded in a path segment: everything but RFC 3986's unreserved ones.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The HTTP client and the base URL every path is appended to.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Validated, without a trailing slash.
    base_url: String,
}

impl Transport {
    pub(crate) fn new(http: reqwest::Client, base_url: &str) -> Result<Self, ValidationError> {
        Ok(Self {
            http,
            base_url: normalize_base_url(base_url)?,
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn set_base_url(&mut self, base_url: &str) -> Result<(), ValidationError> {
        self.base_url = normalize_base_url(base_url)?;
        Ok(())
    }

    pub(crate) fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = http;
    }

    /// A request for `path` (which starts with `/` and is already percent-encoded), with
    /// `query` pairs form-encoded after it.
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
    ) -> reqwest::RequestBuilder {
        let mut url = format!("{}{path}", self.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(
                &url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(query)
                    .finish(),
            );
        }
        self.http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// Sends `request` and decodes a success body as `T`; any other status becomes
    /// [`Error::Api`], with the body decoded as `E` where it has that shape.
    pub(crate) async fn send_json<T: DeserializeOwned, E: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, Error<E>> {
        let (status, body) = self.send(request).await?;
        serde_json::from_slice(&body).map_err(|source| {
            Error::Decode(DecodeError::new(
                status,
                String::from_utf8_lossy(&body).into_owned(),
                source,
            ))
        })
    }

    /// Sends `request` for an operation whose success response has no body.
    pub(crate) async fn send_empty<E: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(), Error<E>> {
        self.send(request).await.map(|_| ())
    }

    async fn send<E: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(reqwest::StatusCode, Vec<u8>), Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?.to_vec();
        if status.is_success() {
            return Ok((status, body));
        }
        let parsed = serde_json::from_slice::<E>(&body).ok();
        Err(Error::Api(Box::new(ApiError::new(
            status,
            headers,
            String::from_utf8_lossy(&body).into_owned(),
            parsed,
        ))))
    }
}

/// Adds `body` as JSON.
pub(crate) fn with_json_body<B: Serialize>(
    request: reqwest::RequestBuilder,
    field: &'static str,
    body: &B,
) -> Result<reqwest::RequestBuilder, ValidationError> {
    let bytes = serde_json::to_vec(body).map_err(|error| {
        ValidationError::new(
            field,
            ValidationErrorKind::NotEncodable {
                reason: error.to_string(),
            },
        )
    })?;
    Ok(request
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(bytes))
}

/// A header value holding a credential, marked sensitive so that `reqwest` never prints it.
pub(crate) fn secret_header(
    field: &'static str,
    secret: &SecretString,
) -> Result<reqwest::header::HeaderValue, ValidationError> {
    let mut value = reqwest::header::HeaderValue::from_str(secret.expose_secret())
        .map_err(|_| ValidationError::new(field, ValidationErrorKind::InvalidHeaderValue))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Percent-encodes one path parameter so that it stays one path segment.
pub(crate) fn encode_path_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

fn normalize_base_url(base_url: &str) -> Result<String, ValidationError> {
    let refuse = |reason: String| {
        ValidationError::new("base_url", ValidationErrorKind::NotAbsoluteUri { reason })
    };
    let parsed = url::Url::parse(base_url).map_err(|error| refuse(error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse(format!(
            "scheme `{}` is not http or https",
            parsed.scheme()
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("a base URL has no query or fragment".to_owned()));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path_without_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://prod.truv.com/").unwrap(),
            "https://prod.truv.com"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/proxy/").unwrap(),
            "http://127.0.0.1:8080/proxy"
        );
    }

    #[test]
    fn base_url_must_be_http() {
        assert!(normalize_base_url("ftp://example.com").is_err());
        assert!(normalize_base_url("example.com").is_err());
        assert!(normalize_base_url("https://example.com/?a=b").is_err());
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }

    #[test]
    fn secret_headers_are_sensitive_and_checked() {
        let value = secret_header("X-Key", &SecretString::from("abc")).unwrap();
        assert!(value.is_sensitive());
        let error = secret_header("X-Key", &SecretString::from("a\nb")).unwrap_err();
        assert_eq!(error.kind(), &ValidationErrorKind::InvalidHeaderValue);
        assert!(!error.to_string().contains("a\nb"));
    }
}
