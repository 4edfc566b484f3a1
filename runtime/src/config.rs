//! Client configuration: the builder every generated `Client` is made from.

use std::time::Duration;

use super::auth::{Credential, Given, Scheme};
use super::error::{ConfigError, ConfigErrorKind};
use super::oauth::ClientCredentials;
use super::redirect::RedirectPolicy;
use super::retry::RetryPolicy;
use super::seam::{DefaultTransport, Hooks, HttpTransport, SharedTransport, Wrap};
use super::secret::SecretString;
use super::transport::{Transport, normalize_base_url};
use std::sync::Arc;

/// The request timeout unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read unless configured otherwise (10 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// Builds a `Client`: start from `Client::builder(..)`, set what you need, then `build()`.
///
/// Defaults: the API description's server, a 30 s request timeout, a 10 s connect timeout,
/// `User-Agent: <crate>/<version>`, [`RetryPolicy::default`], [`RedirectPolicy::default`]
/// (redirects followed within the base URL's origin only), and a 10 MiB response limit.
/// Its `Debug` output shows the names of default headers, never their values.
///
/// Example: [configuration](crate#configuration) in the crate documentation.
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    schemes: &'static [Scheme],
    credentials: Vec<Option<Given>>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    default_headers: Vec<(String, String)>,
    /// The transport given (`http_client` or `transport`); the default `reqwest::Client`
    /// otherwise.
    http: Option<SharedTransport>,
    /// Wrappers around that transport, innermost first.
    wraps: Vec<Wrap>,
    hooks: Vec<Arc<dyn Hooks>>,
    retry: RetryPolicy,
    redirects: RedirectPolicy,
    max_response_bytes: usize,
    max_in_flight: Option<usize>,
}

impl std::fmt::Debug for ClientBuilder {
    // Default headers can carry tokens: their names show, their values never do.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &headers)
            .field("transport", &self.http.as_ref().map(|_| "<given>"))
            .field("transport_wrappers", &self.wraps.len())
            .field("hooks", &self.hooks.len())
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_in_flight", &self.max_in_flight)
            .finish_non_exhaustive()
    }
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
            wraps: Vec::new(),
            hooks: Vec::new(),
            retry: RetryPolicy::default(),
            redirects: RedirectPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_in_flight: None,
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

    /// Sets the client credentials of the `oauth2` scheme `index`, whose tokens the client
    /// then fetches and renews itself.
    #[allow(dead_code)] // Called by the generated builder methods of APIs with such a flow.
    pub(crate) fn client_credentials(mut self, index: usize, given: ClientCredentials) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(Given::ClientCredentials(given));
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

    /// A header sent with every request to the base URL's origin (never after a redirect to
    /// another). Checked by `build()`; its value is treated as sensitive (kept out of `Debug`
    /// output, as credentials are).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Sends requests through your own `reqwest::Client` (proxies, custom TLS, a shared
    /// connection pool).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`. The client follows
    /// redirects itself, by its [`RedirectPolicy`], so that credentials stay on the base URL's
    /// origin; an HTTP client that follows redirects on its own does so before this client sees
    /// them, carrying header credentials along (reqwest strips only `Authorization` and
    /// cookies). A response that such a client fetched from another origin is refused (a
    /// `Transport` error saying so), but the request has been sent by then.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(Arc::new(http));
        self
    }

    /// Sends every request through `transport` instead of `reqwest` (an in-memory test
    /// double, a `tower` service, another HTTP client). Retries, redirects, the timeout, the
    /// response size limit and where credentials may go stay the client's, above it; see
    /// [`HttpTransport`](super::seam::HttpTransport) for what it must do.
    pub fn transport(mut self, transport: impl HttpTransport) -> Self {
        self.http = Some(Arc::new(transport));
        self
    }

    /// Wraps the transport (the default one, or the one given) in another: `wrap` gets the
    /// transport and returns the one to send through, which usually holds it (to add a header,
    /// count attempts, sign requests). Called once, by `build()`; wrappers added later wrap
    /// those added before.
    pub fn wrap_transport<T: HttpTransport>(
        mut self,
        wrap: impl Fn(Arc<dyn HttpTransport>) -> T + Send + Sync + 'static,
    ) -> Self {
        self.wraps.push(Arc::new(move |inner| {
            Arc::new(wrap(inner)) as SharedTransport
        }));
        self
    }

    /// Runs `hooks` around every request the client sends (each attempt, each redirect hop):
    /// they see the operation, method, path template and attempt, and the request before
    /// its credentials are added (see [`Hooks`](super::seam::Hooks)).
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks.push(Arc::new(hooks));
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Which redirects are followed, and where credentials go (see [`RedirectPolicy`]).
    pub fn redirect_policy(mut self, redirects: RedirectPolicy) -> Self {
        self.redirects = redirects;
        self
    }

    /// The largest response body read, in bytes. A larger success body is an error
    /// (`Error::ResponseTooLarge`); a larger error body is cut at the limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// At most `limit` requests of this client (and its clones) in flight at once; the others
    /// wait their turn, in order. Unbounded by default. The bound holds above the transport, so
    /// every transport honours it.
    ///
    /// A request holds its place from sending until its response body is read (for a stream,
    /// until the response's headers arrive), each redirect hop included. A retry gives its place
    /// back while it waits (its backoff, or the server's `Retry-After`), then queues again:
    /// waiting calls never hold the bound. The timeout runs from sending, not while waiting. A
    /// limit of 0 is refused by `build()`.
    pub fn max_in_flight(mut self, limit: usize) -> Self {
        self.max_in_flight = Some(limit);
        self
    }

    /// Checks the configuration and builds the transport the generated client wraps.
    pub(crate) fn build_transport(self) -> Result<Transport, ConfigError> {
        let Some(base_url) = self.base_url else {
            return Err(ConfigError::new("base_url", ConfigErrorKind::Missing));
        };
        // Checked before the credentials, whose token URLs may be relative to it.
        let (normalized, _) = normalize_base_url(&base_url)?;
        let base = url::Url::parse(&normalized).map_err(|error| {
            ConfigError::new(
                "base_url",
                ConfigErrorKind::InvalidBaseUrl {
                    reason: error.to_string(),
                },
            )
        })?;
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for (scheme, given) in self.schemes.iter().zip(&self.credentials) {
            credentials.push(match given {
                Some(given) => Some(Credential::new(scheme, given, &base)?),
                None => Credential::implicit(scheme),
            });
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &self.default_headers {
            let invalid = || ConfigError::new("default_header", ConfigErrorKind::InvalidHeader);
            let name =
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid())?;
            value.set_sensitive(true);
            headers.append(name, value);
        }
        let user_agent = reqwest::header::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| ConfigError::new("user_agent", ConfigErrorKind::InvalidHeader))?;
        let mut http: SharedTransport = match self.http {
            Some(http) => http,
            None => Arc::new(DefaultTransport(
                tls(reqwest::Client::builder())?
                    .connect_timeout(self.connect_timeout)
                    // Redirects are followed above the seam, which decides what each hop
                    // carries.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|error| {
                        ConfigError::with_source("http_client", ConfigErrorKind::HttpClient, error)
                    })?,
            )),
        };
        for wrap in &self.wraps {
            http = wrap(http);
        }
        let in_flight = match self.max_in_flight {
            Some(0) => {
                return Err(ConfigError::new("max_in_flight", ConfigErrorKind::Zero));
            }
            Some(limit) => Some(Arc::new(tokio::sync::Semaphore::new(limit))),
            None => None,
        };
        Transport::new(
            http,
            self.hooks,
            &base_url,
            self.schemes,
            credentials,
            headers,
            user_agent,
            self.timeout,
            self.retry,
            self.max_response_bytes,
            self.redirects,
            in_flight,
        )
    }
}

/// The TLS backend the crate's features choose: `rustls` (on aws-lc-rs), else `rustls-ring`,
/// else `native-tls`. With none, only `http://` base URLs work.
#[allow(clippy::unnecessary_wraps)] // Fallible with `rustls-ring` only.
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_rustls();
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    let builder = builder.tls_backend_preconfigured(ring_tls()?);
    Ok(builder)
}

/// rustls on ring, verifying certificates as reqwest does (the platform's verifier), with
/// HTTP/2 offered by ALPN where the feature is on.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
fn ring_tls() -> Result<rustls::ClientConfig, ConfigError> {
    use std::sync::Arc;
    let failed = |error: rustls::Error| {
        ConfigError::with_source("http_client", ConfigErrorKind::HttpClient, error)
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(failed)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(failed)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
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
        let build = |b: ClientBuilder| b.build_transport().unwrap_err();
        let base = || ClientBuilder::new(Some("https://api.example.com"), "ua/1", SCHEMES);
        let refused = |b: ClientBuilder| {
            let error = build(b);
            (error.setting(), error.kind().clone())
        };
        assert_eq!(
            refused(ClientBuilder::new(None, "ua/1", SCHEMES)),
            ("base_url", ConfigErrorKind::Missing)
        );
        let (setting, kind) = refused(base().base_url("ftp://x"));
        assert_eq!(setting, "base_url");
        assert!(matches!(kind, ConfigErrorKind::InvalidBaseUrl { .. }));
        assert_eq!(
            refused(base().default_header("Bad Name", "v")),
            ("default_header", ConfigErrorKind::InvalidHeader)
        );
        assert_eq!(
            refused(base().user_agent("a\nb")),
            ("user_agent", ConfigErrorKind::InvalidHeader)
        );
        let secret = base().secret(0, SecretString::from("line\nbreak"));
        let error = build(secret);
        assert_eq!(error.setting(), "Key");
        assert!(!format!("{error:?} {error}").contains("break"));
    }

    #[test]
    fn default_header_values_stay_out_of_debug() {
        let builder = ClientBuilder::new(Some("https://api.example.com"), "ua/1", &[])
            .default_header("X-Team-Token", "tok-3f9a1c");
        let shown = format!("{builder:?}");
        assert!(shown.contains("X-Team-Token"), "{shown}");
        assert!(!shown.contains("tok-3f9a1c"), "{shown}");
        let transport = builder.build_transport().unwrap();
        let shown = format!("{transport:?}");
        assert!(shown.contains("x-team-token"), "{shown}");
        assert!(!shown.contains("tok-3f9a1c"), "{shown}");
    }
}
