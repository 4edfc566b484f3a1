//! OAuth 2.0 client credentials (RFC 6749 section 4.4): the client fetches its access token
//! from the token endpoint itself, keeps it, and renews it before it expires and once after
//! the API refuses it with a `401`.
//!
//! One renewal at a time: the cache is behind an async lock held while a token is fetched, so
//! that callers arriving meanwhile wait for that token rather than fetch their own. The client
//! secret goes only to the token endpoint (as `Authorization: Basic`, RFC 6749 section
//! 2.3.1); the access token only to the API's origin (the transport's rule for every
//! credential).
#![allow(dead_code)] // Only APIs with an `oauth2` `clientCredentials` flow use it.

use std::fmt;
use std::time::{Duration, Instant};

use super::error::{ConfigError, ConfigErrorKind, TokenError, TransportErrorKind};
use super::response::Body;
use super::seam::{AttemptInfo, RequestBody, SharedTransport};
use super::secret::SecretString;

/// How long before its expiry a token is renewed, unless configured otherwise; at most half
/// the token's lifetime.
pub(crate) const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(60);

/// What the token endpoint's requests carry as their operation ([`AttemptInfo::operation`]),
/// for a transport that sorts requests by operation; no `operationId` has this form.
pub(crate) const TOKEN_REQUEST: &str = "(oauth2 token)";

/// The client credentials of an `oauth2` security scheme with a `clientCredentials` flow:
/// the client exchanges them at the token endpoint for access tokens, which it keeps and
/// renews itself: `ClientCredentials::new("client-id", "client-secret").scopes(["read"])`.
///
/// Its `Debug` output shows the client id, never the secret.
#[derive(Clone)]
#[must_use]
pub struct ClientCredentials {
    client_id: String,
    client_secret: SecretString,
    scopes: Vec<String>,
    token_url: Option<String>,
    renew_before: Duration,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url)
            .field("renew_before", &self.renew_before)
            .finish()
    }
}

impl ClientCredentials {
    /// The client's id and secret, as the authorization server issued them. No scopes are
    /// asked for (the server gives its default for the client) until [`Self::scopes`] says.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            token_url: None,
            renew_before: DEFAULT_RENEW_BEFORE,
        }
    }

    /// The scopes to ask for (sent as `scope`, separated by spaces).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Fetches tokens from `token_url` instead of the API description's `tokenUrl` (a test
    /// server, another region's authorization server). A relative URL is resolved against the
    /// base URL, as the description's is. Checked by `build()`.
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = Some(token_url.into());
        self
    }

    /// Renews a token this long before it expires (by the `expires_in` it came with), but
    /// never earlier than half way through its lifetime. 60 seconds unless set.
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }
}

/// What a token request is sent with: the client's transport and limits.
pub(crate) struct Endpoint<'a> {
    pub http: &'a SharedTransport,
    pub timeout: Option<Duration>,
    pub user_agent: &'a reqwest::header::HeaderValue,
    pub max_response_bytes: usize,
}

/// The tokens of one scheme: where to get them, and the one in hand.
pub(crate) struct TokenSource {
    scheme: &'static str,
    client_id: String,
    /// `Authorization: Basic` of the client id and secret, marked sensitive.
    basic: reqwest::header::HeaderValue,
    /// The scopes, space-separated; `None` for none.
    scope: Option<String>,
    token_url: url::Url,
    /// Where a refresh token is used (the description's `refreshUrl`, else the token URL).
    refresh_url: url::Url,
    renew_before: Duration,
    cache: tokio::sync::Mutex<Cache>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("scheme", &self.scheme)
            .field("client_id", &self.client_id)
            .field("token_url", &self.token_url.as_str())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Cache {
    token: Option<Token>,
    /// The refresh token the endpoint gave last, if any.
    refresh: Option<SecretString>,
}

struct Token {
    /// `Bearer <token>`, marked sensitive.
    header: reqwest::header::HeaderValue,
    /// When to renew it; `None` when the endpoint gave no lifetime (kept until refused).
    renew_at: Option<Instant>,
}

impl Token {
    fn fresh(&self, now: Instant) -> bool {
        self.renew_at.is_none_or(|at| now < at)
    }
}

/// What the token endpoint is asked for.
enum Grant<'a> {
    ClientCredentials,
    Refresh(&'a SecretString),
}

impl TokenSource {
    /// The token source of `scheme` for `given`; the token URL (the caller's, else the
    /// description's `token_url`) and `refresh_url` resolved against `base` (OpenAPI 3.1: a
    /// relative URL is relative to the server).
    pub(crate) fn new(
        scheme: &'static str,
        given: &ClientCredentials,
        token_url: &str,
        refresh_url: Option<&str>,
        base: &url::Url,
    ) -> Result<Self, ConfigError> {
        let resolve = |url: &str| {
            let refuse = |reason: String| {
                ConfigError::new(scheme, ConfigErrorKind::InvalidTokenUrl { reason })
            };
            let url = base.join(url).map_err(|error| refuse(error.to_string()))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(refuse(format!(
                    "scheme `{}` is not http or https",
                    url.scheme()
                )));
            }
            Ok(url)
        };
        let token_url = resolve(given.token_url.as_deref().unwrap_or(token_url))?;
        // A token URL of the caller's replaces the description's refresh URL too: both are
        // the description's authorization server.
        let refresh_url = match (refresh_url, &given.token_url) {
            (Some(refresh), None) => resolve(refresh)?,
            _ => token_url.clone(),
        };
        let invalid = || ConfigError::new(scheme, ConfigErrorKind::InvalidHeader);
        // RFC 6749 section 2.3.1: each part form-urlencoded, then `id:secret` in base64.
        let encode =
            |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
        let mut basic = reqwest::header::HeaderValue::from_str(&super::auth::basic(
            &encode(&given.client_id),
            &encode(given.client_secret.expose_secret()),
        ))
        .map_err(|_| invalid())?;
        basic.set_sensitive(true);
        let scope = (!given.scopes.is_empty()).then(|| given.scopes.join(" "));
        Ok(Self {
            scheme,
            client_id: given.client_id.clone(),
            basic,
            scope,
            token_url,
            refresh_url,
            renew_before: given.renew_before,
            cache: tokio::sync::Mutex::default(),
        })
    }

    /// The `Authorization` value to send: the token in hand while it is fresh, else a new
    /// one. With `refused`, a token the API answered `401` to: it is replaced, unless another
    /// caller has replaced it already. One fetch at a time: the lock is held while fetching, so
    /// that every caller waiting for it gets the token it brings.
    pub(crate) async fn token(
        &self,
        endpoint: &Endpoint<'_>,
        refused: Option<&reqwest::header::HeaderValue>,
    ) -> Result<reqwest::header::HeaderValue, TokenError> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = &cache.token {
            let replaced = refused.is_some_and(|refused| *refused != token.header);
            if replaced || (refused.is_none() && token.fresh(Instant::now())) {
                return Ok(token.header.clone());
            }
        }
        cache.token = None;
        // Cloned, not taken: a call dropped while fetching must not lose it.
        let fetched = match cache.refresh.clone() {
            Some(refresh) => match self.fetch(endpoint, Grant::Refresh(&refresh)).await {
                Ok((token, next)) => Ok((token, next.or(Some(refresh)))),
                // A refresh token refused (expired, revoked) or not reaching the endpoint:
                // the client credentials start over.
                Err(error) => {
                    tracing::debug!(scheme = self.scheme, error = %error, "refresh token not accepted");
                    cache.refresh = None;
                    self.fetch(endpoint, Grant::ClientCredentials).await
                }
            },
            None => self.fetch(endpoint, Grant::ClientCredentials).await,
        };
        let (token, refresh) = fetched?;
        let header = token.header.clone();
        cache.token = Some(token);
        cache.refresh = refresh;
        Ok(header)
    }

    /// Where a token request for `grant` goes, and its form body.
    fn form(&self, grant: &Grant<'_>) -> (&url::Url, String) {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        let url = match grant {
            Grant::ClientCredentials => {
                form.append_pair("grant_type", "client_credentials");
                &self.token_url
            }
            Grant::Refresh(refresh) => {
                form.append_pair("grant_type", "refresh_token");
                form.append_pair("refresh_token", refresh.expose_secret());
                &self.refresh_url
            }
        };
        if let Some(scope) = &self.scope {
            form.append_pair("scope", scope);
        }
        (url, form.finish())
    }

    /// One token request: the token and the refresh token that came with it.
    async fn fetch(
        &self,
        endpoint: &Endpoint<'_>,
        grant: Grant<'_>,
    ) -> Result<(Token, Option<SecretString>), TokenError> {
        let scheme = self.scheme;
        let (url, form) = self.form(&grant);
        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(url.as_str())
            .body(RequestBody::from_bytes(form))
            .map_err(|error| {
                TokenError::transport(scheme, TransportErrorKind::Other, error.into())
            })?;
        let headers = request.headers_mut();
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        headers.insert(reqwest::header::USER_AGENT, endpoint.user_agent.clone());
        headers.insert(reqwest::header::AUTHORIZATION, self.basic.clone());
        request.extensions_mut().insert(AttemptInfo {
            operation: TOKEN_REQUEST,
            method: "POST",
            path: "",
            attempt: 1,
            redirects: 0,
        });
        let started = Instant::now();
        let exchange = async {
            let response = endpoint.http.send(request).await.map_err(|error| {
                let (kind, source) = error.into_parts();
                TokenError::transport(scheme, kind, source)
            })?;
            let status = response.status();
            let (head, mut body) = response.into_parts();
            let read = Body::read(&mut body, &head.headers, endpoint.max_response_bytes)
                .await
                .map_err(|error| TokenError::transport(scheme, TransportErrorKind::Body, error))?;
            Ok::<_, TokenError>((status, read))
        };
        let (status, body) = match endpoint.timeout {
            Some(timeout) => tokio::time::timeout(timeout, exchange)
                .await
                .map_err(|_| {
                    TokenError::transport(
                        scheme,
                        TransportErrorKind::Timeout,
                        format!("no answer from the token endpoint within {timeout:?}").into(),
                    )
                })??,
            None => exchange.await?,
        };
        tracing::debug!(scheme, status = status.as_u16(), "token endpoint answered");
        if !status.is_success() {
            return Err(TokenError::refused(scheme, status, &body));
        }
        if body.truncated {
            return Err(TokenError::invalid(
                scheme,
                status,
                "the token response is larger than the client's response size limit",
            ));
        }
        let answer = TokenResponse::parse(&body.bytes)
            .map_err(|why| TokenError::invalid(scheme, status, why))?;
        let mut header =
            reqwest::header::HeaderValue::from_str(&format!("Bearer {}", answer.access_token))
                .map_err(|_| {
                    TokenError::invalid(
                        scheme,
                        status,
                        "the access token cannot be sent in a header",
                    )
                })?;
        header.set_sensitive(true);
        // Renewed `renew_before` ahead of expiry, at most half way through the lifetime; a
        // lifetime past what `Instant` can count is none.
        let renew_at = answer.expires_in.and_then(|lifetime| {
            started.checked_add(lifetime.saturating_sub(self.renew_before.min(lifetime / 2)))
        });
        Ok((Token { header, renew_at }, answer.refresh_token))
    }
}

/// The parts of a successful token response (RFC 6749 section 5.1) the client uses.
struct TokenResponse {
    access_token: String,
    expires_in: Option<Duration>,
    refresh_token: Option<SecretString>,
}

impl TokenResponse {
    /// Reads a token response; the reason it is refused never quotes the body (which would
    /// hold the token).
    fn parse(bytes: &[u8]) -> Result<Self, &'static str> {
        let serde_json::Value::Object(mut json) =
            serde_json::from_slice(bytes).map_err(|_| "the token response is not JSON")?
        else {
            return Err("the token response is not a JSON object");
        };
        let text = |value: serde_json::Value| match value {
            serde_json::Value::String(text) if !text.is_empty() => Some(text),
            _ => None,
        };
        let access_token = json
            .remove("access_token")
            .and_then(text)
            .ok_or("the token response has no `access_token`")?;
        // RFC 6749 requires `token_type`; a server that leaves it out means a bearer token.
        if let Some(kind) = json.remove("token_type").and_then(text) {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err("the token response's `token_type` is not `Bearer`");
            }
        }
        // Seconds, as RFC 6749 has it, or (some servers) seconds in a string or with a fraction.
        // A lifetime that cannot be read, or is past what a `Duration` holds, is none: the
        // token is kept until the API refuses it, rather than refused itself.
        let seconds = match json.remove("expires_in") {
            Some(serde_json::Value::Number(seconds)) => seconds.as_f64(),
            Some(serde_json::Value::String(seconds)) => seconds.trim().parse().ok(),
            _ => None,
        };
        let expires_in = seconds.and_then(|s| Duration::try_from_secs_f64(s.max(0.0)).ok());
        let refresh_token = json
            .remove("refresh_token")
            .and_then(text)
            .map(SecretString::from);
        Ok(Self {
            access_token,
            expires_in,
            refresh_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses_are_read_leniently_and_never_quoted() {
        let ok = TokenResponse::parse(
            br#"{"access_token":"t1","token_type":"bearer","expires_in":"3600","refresh_token":"r"}"#,
        )
        .unwrap();
        assert_eq!(ok.access_token, "t1");
        assert_eq!(ok.expires_in, Some(Duration::from_secs(3600)));
        let odd = |json: &str| TokenResponse::parse(json.as_bytes()).unwrap().expires_in;
        assert_eq!(
            odd(r#"{"access_token":"t","expires_in":1.5}"#),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            odd(r#"{"access_token":"t","expires_in":-5}"#),
            Some(Duration::ZERO)
        );
        assert_eq!(odd(r#"{"access_token":"t","expires_in":"soon"}"#), None);
        assert_eq!(odd(r#"{"access_token":"t","expires_in":1e300}"#), None);
        assert_eq!(ok.refresh_token.unwrap().expose_secret(), "r");
        let bare = TokenResponse::parse(br#"{"access_token":"t2"}"#).unwrap();
        assert_eq!(bare.expires_in, None);
        let mac = TokenResponse::parse(br#"{"access_token":"t3","token_type":"mac"}"#);
        assert!(!mac.err().unwrap().contains("t3"));
        assert!(TokenResponse::parse(br#"{"token_type":"Bearer"}"#).is_err());
        assert!(TokenResponse::parse(b"<html>").is_err());
    }

    #[test]
    fn client_authentication_is_form_encoded_then_base64() {
        use base64::Engine as _;
        let base = url::Url::parse("https://api.example.com/v1").unwrap();
        // RFC 6749 section 2.3.1: `a b` is `a+b` and `:` is `%3A` before base64.
        let given = ClientCredentials::new("a b", "x:y");
        let source = TokenSource::new("OAuth", &given, "/oauth/token", None, &base).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode("a+b:x%3Ay");
        assert_eq!(source.basic.to_str().unwrap(), format!("Basic {expected}"));
        assert!(source.basic.is_sensitive());
        assert_eq!(
            source.token_url.as_str(),
            "https://api.example.com/oauth/token"
        );
        assert_eq!(source.refresh_url, source.token_url);
        let shown = format!("{source:?} {given:?}");
        assert!(!shown.contains("x:y"), "{shown}");
        let error = TokenSource::new("OAuth", &given, "ftp://x/token", None, &base).unwrap_err();
        assert!(matches!(
            error.kind(),
            ConfigErrorKind::InvalidTokenUrl { .. }
        ));
    }
}
