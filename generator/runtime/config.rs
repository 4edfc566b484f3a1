//! Client configuration: the builder every generated `Client` is made from, and the retry
//! policy.
//!
//! Part of the runtime that the generator copies verbatim into every generated crate.

use std::time::Duration;

use crate::auth::{Credential, Given, Scheme};
use crate::error::Error;
use crate::secret::SecretString;
use crate::transport::Transport;
use crate::validation::{ValidationError, ValidationErrorKind};

/// The request timeout unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read unless configured otherwise (10 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// When and how often a failed request is tried again.
///
/// Retries happen on connection failures and on 429, 502, 503 and 504 responses, with
/// exponential backoff and jitter, honouring `Retry-After` (seconds or an HTTP date).
///
/// Only requests that are safe to repeat are retried by default: GET, HEAD, OPTIONS, PUT and
/// DELETE are idempotent by HTTP's definition. A POST (or PATCH) is retried only when it
/// provably never reached the server (the connection could not be established), unless you
/// opt in with [`RetryPolicy::retry_non_idempotent`]: repeating a create can create twice
/// when the API offers no idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms up to 5 s, a 60 s deadline over all attempts,
    /// `Retry-After` honoured up to 60 s, non-idempotent requests not repeated.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Some(Duration::from_secs(60)),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    #[must_use]
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most attempts per call, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles with each retry, up to `max`. Each wait
    /// is jittered (between half and all of it) so that clients do not retry in step.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest a call may take over all its attempts; no retry starts that would end
    /// after it. `None` for no deadline.
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The longest `Retry-After` honoured; a server asking for more gets its error back at
    /// once (with `retry_after()` saying how long it asked for).
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Also retry requests that are not idempotent (POST, PATCH) after timeouts and retryable
    /// statuses. Only do this when a repeated request cannot cause harm.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn total_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    pub(crate) fn longest_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    pub(crate) fn repeats_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The jittered wait before retry number `retry` (1 for the first retry); `unit` is a
    /// random number in [0, 1).
    pub(crate) fn backoff_for(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1_u32 << exponent)
            .min(self.max_backoff);
        full.mul_f64(0.5 + unit / 2.0)
    }
}

/// Builds a `Client`: start from `Client::builder(..)`, set what you need, then `build()`.
///
/// Defaults: the API description's server, a 30 s request timeout, a 10 s connect timeout,
/// `User-Agent: <crate>/<version>`, [`RetryPolicy::default`], and a 10 MiB response limit.
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    schemes: &'static [Scheme],
    credentials: Vec<Option<Given>>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl ClientBuilder {
    pub(crate) fn new(
        base_url: Option<&str>,
        user_agent: &str,
        schemes: &'static [Scheme],
    ) -> Self {
        Self {
            base_url: base_url.map(str::to_owned),
            schemes,
            credentials: vec![None; schemes.len()],
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: user_agent.to_owned(),
            default_headers: Vec::new(),
            http: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the credential of scheme `index` (a token, key or secret).
    #[allow(dead_code)] // Called by the generated builder methods of APIs with credentials.
    pub(crate) fn secret(mut self, index: usize, secret: SecretString) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(Given::Secret(secret));
        }
        self
    }

    /// Sets the username and password of the `basic` scheme `index`.
    #[allow(dead_code)] // Called by the generated builder methods of APIs with basic auth.
    pub(crate) fn basic(mut self, index: usize, username: String, password: SecretString) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(Given::Basic(username, password));
        }
        self
    }

    /// Sends requests to `base_url` (a proxy, a mock server, a test server). A path in it is
    /// kept: `http://127.0.0.1:8080/proxy` serves `http://127.0.0.1:8080/proxy/<path>`.
    /// Checked by `build()`: an absolute `http` or `https` URL without query or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The longest one attempt may take, from sending to the end of the body; `None` for no
    /// limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest establishing a connection may take. (Not applied to a client passed in
    /// with [`ClientBuilder::http_client`], which keeps its own.)
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request. Checked by `build()`.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Sends requests through your own `reqwest::Client` (proxies, custom TLS, middleware).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body read, in bytes. A larger success body is an error
    /// (`Error::ResponseTooLarge`); a larger error body is cut at the limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the configuration and builds the transport the generated client wraps.
    pub(crate) fn build_transport<E>(self) -> Result<Transport, Error<E>> {
        let Some(base_url) = self.base_url else {
            return Err(ValidationError::new("base_url", ValidationErrorKind::Missing).into());
        };
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for (scheme, given) in self.schemes.iter().zip(&self.credentials) {
            credentials.push(match given {
                Some(given) => Some(Credential::new(scheme, given)?),
                None => None,
            });
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &self.default_headers {
            let invalid =
                || ValidationError::new("default_header", ValidationErrorKind::InvalidHeaderValue);
            let name =
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.append(name, value);
        }
        let user_agent =
            reqwest::header::HeaderValue::from_str(&self.user_agent).map_err(|_| {
                ValidationError::new("user_agent", ValidationErrorKind::InvalidHeaderValue)
            })?;
        headers.insert(reqwest::header::USER_AGENT, user_agent);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| {
                    Error::Transport(crate::error::TransportError::from_reqwest(
                        "build client",
                        0,
                        e,
                    ))
                })?,
        };
        Ok(Transport::new(
            http,
            &base_url,
            self.schemes,
            credentials,
            headers,
            self.timeout,
            self.retry,
            self.max_response_bytes,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(500));
        assert_eq!(policy.backoff_for(1, 0.999_999).as_millis(), 99);
        assert_eq!(policy.backoff_for(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff_for(2, 0.0), Duration::from_millis(100));
        assert_eq!(policy.backoff_for(3, 0.0), Duration::from_millis(200));
        assert_eq!(policy.backoff_for(9, 0.0), Duration::from_millis(250));
        assert_eq!(policy.backoff_for(400, 0.0), Duration::from_millis(250));
    }

    #[test]
    fn never_means_one_attempt() {
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn bad_configuration_is_an_error_not_a_panic() {
        const SCHEMES: &[Scheme] = &[Scheme {
            name: "Key",
            placement: crate::auth::Placement::Header("X-Key"),
        }];
        let build = |b: ClientBuilder| b.build_transport::<()>().unwrap_err();
        let base = || ClientBuilder::new(Some("https://api.example.com"), "ua/1", SCHEMES);
        assert!(matches!(
            build(ClientBuilder::new(None, "ua/1", SCHEMES)),
            Error::InvalidRequest(_)
        ));
        assert!(matches!(
            build(base().base_url("ftp://x")),
            Error::InvalidRequest(_)
        ));
        assert!(matches!(
            build(base().default_header("Bad Name", "v")),
            Error::InvalidRequest(_)
        ));
        assert!(matches!(
            build(base().user_agent("a\nb")),
            Error::InvalidRequest(_)
        ));
        let secret = base().secret(0, SecretString::from("line\nbreak"));
        let error = build(secret);
        assert!(!format!("{error:?} {error}").contains("break"));
    }
}
