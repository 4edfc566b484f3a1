//! Client configuration: the builder every generated `Client` is made from.

use std::time::Duration;

use super::auth::{Credential, Given, Scheme};
use super::error::{Error, TransportError};
use super::retry::RetryPolicy;
use super::secret::SecretString;
use super::transport::Transport;
use super::validation::{ValidationError, ValidationErrorKind};

/// The request timeout unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read unless configured otherwise (10 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

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
                None => Credential::implicit(scheme),
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
                    Error::Transport(TransportError::from_reqwest("build client", 0, e))
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
    fn bad_configuration_is_an_error_not_a_panic() {
        const SCHEMES: &[Scheme] = &[Scheme {
            name: "Key",
            // Tests run in the runtime crate only, where its modules sit at the root.
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
