//! Which redirects the client follows, and what it sends when it does: credentials never
//! leave the base URL's origin.
//!
//! The client follows redirects itself (its own `reqwest::Client` is built not to), so that it
//! decides per hop: a redirect within the base URL's origin (scheme, host and port) is followed
//! with every credential; one to another origin is not followed unless the policy allows it,
//! and then without credentials, default headers, header or cookie parameters; one from
//! `https` to `http` is never followed.

/// Which redirects a client follows. Set it with `ClientBuilder::redirect_policy`.
///
/// The default follows up to 10 redirects within the base URL's origin (its scheme, host and
/// port), sending every credential again, and follows none to another origin: such a response
/// is returned as the `Error::Api` it is (status `3xx`, its `Location` in
/// [`ApiError::headers`](super::error::ApiError::headers)), saying it was not followed.
/// Credentials from the API description's security schemes are never sent to another origin,
/// whatever the policy.
///
/// Example: [redirects](crate#redirects) in the crate documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RedirectPolicy {
    max: usize,
    other_origins: bool,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        Self {
            max: 10,
            other_origins: false,
        }
    }
}

impl RedirectPolicy {
    /// Follows no redirect: every `3xx` response is returned as an `Error::Api`.
    pub fn none() -> Self {
        Self {
            max: 0,
            other_origins: false,
        }
    }

    /// Follows at most `max` redirects per attempt (10 by default); the response that would
    /// take one more is returned as an `Error::Api`.
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    /// Also follows redirects to other origins, sending there only the method, the `Accept`
    /// and `User-Agent` headers and (for `307` and `308`) the body with its `Content-Type`:
    /// no credential, default header, header or cookie parameter. Once a request has left the
    /// base URL's origin, it carries no credential again on that attempt. A redirect from
    /// `https` to `http` is never followed.
    pub fn follow_other_origins(mut self, follow: bool) -> Self {
        self.other_origins = follow;
        self
    }

    /// How many redirects an attempt follows at most.
    #[must_use]
    pub fn max_redirects_allowed(&self) -> usize {
        self.max
    }

    /// What to do with a redirect from `from` to `to` after `followed` redirects, for a client
    /// whose base URL has origin `home`.
    pub(crate) fn decide(
        &self,
        home: &url::Origin,
        from: &url::Url,
        to: &url::Url,
        followed: usize,
    ) -> Decision {
        if followed >= self.max {
            return Decision::Refuse(Refusal::TooMany(self.max));
        }
        if !matches!(to.scheme(), "http" | "https") {
            return Decision::Refuse(Refusal::NotHttp);
        }
        if from.scheme() == "https" && to.scheme() == "http" {
            return Decision::Refuse(Refusal::Downgrade(origin_text(to)));
        }
        if &to.origin() == home {
            Decision::Follow { credentials: true }
        } else if self.other_origins {
            Decision::Follow { credentials: false }
        } else {
            Decision::Refuse(Refusal::OtherOrigin(origin_text(to)))
        }
    }
}

/// Whether a redirect is followed, and with credentials or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    Follow { credentials: bool },
    Refuse(Refusal),
}

/// Why a redirect was not followed; shown in the error the `3xx` response becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// To this origin, other than the base URL's.
    OtherOrigin(String),
    /// From `https` to `http` (this origin).
    Downgrade(String),
    /// To a URL that is not `http` or `https`.
    NotHttp,
    /// Past the policy's limit.
    TooMany(usize),
    /// Without a usable `Location`.
    NoLocation,
    /// Asking for the request's body again (307, 308), when it was a stream, sent once.
    StreamedBody,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OtherOrigin(origin) => write!(
                f,
                "the redirect to another origin ({origin}) was not followed (see RedirectPolicy)"
            ),
            Self::Downgrade(origin) => write!(
                f,
                "the redirect from https to http ({origin}) was not followed"
            ),
            Self::NotHttp => {
                f.write_str("the redirect to a URL that is not http(s) was not followed")
            }
            Self::TooMany(max) => write!(
                f,
                "the redirect was not followed: {max} redirect{} followed already",
                if *max == 1 { " was" } else { "s were" }
            ),
            Self::NoLocation => f.write_str("the redirect has no usable Location header"),
            Self::StreamedBody => f.write_str(
                "the redirect asks for the request's body again, which was a stream, sent once: \
                 not followed",
            ),
        }
    }
}

/// Whether `status` is a redirect the client may follow.
pub(crate) fn is_redirect(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The method and whether the body is sent again after a redirect with `status`: `303` turns
/// anything but `HEAD` into a body-less `GET`, `301` and `302` do so for a `POST` (as browsers
/// and reqwest do), `307` and `308` repeat the request as it was.
pub(crate) fn next_method(
    status: reqwest::StatusCode,
    method: &reqwest::Method,
) -> (reqwest::Method, bool) {
    match status.as_u16() {
        303 if *method != reqwest::Method::HEAD => (reqwest::Method::GET, false),
        301 | 302 if *method == reqwest::Method::POST => (reqwest::Method::GET, false),
        _ => (method.clone(), true),
    }
}

/// An origin as `scheme://host:port`: what errors and logs name, never a path or query
/// (a `Location` can carry tokens of its own).
pub(crate) fn origin_text(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_home_origin_gets_credentials() {
        let home = url("https://api.example.com/v1").origin();
        let from = url("https://api.example.com/v1/x");
        let policy = RedirectPolicy::default();
        let decide = |policy: &RedirectPolicy, to: &str, followed| {
            policy.decide(&home, &from, &url(to), followed)
        };
        assert_eq!(
            decide(&policy, "https://api.example.com:443/v2/y", 0),
            Decision::Follow { credentials: true }
        );
        assert_eq!(
            decide(&policy, "https://api.example.com:8443/y", 0),
            Decision::Refuse(Refusal::OtherOrigin(
                "https://api.example.com:8443".to_owned()
            ))
        );
        assert_eq!(
            decide(&policy, "https://cdn.example.com/y", 0),
            Decision::Refuse(Refusal::OtherOrigin("https://cdn.example.com".to_owned()))
        );
        let open = RedirectPolicy::default().follow_other_origins(true);
        assert_eq!(
            decide(&open, "https://cdn.example.com/y", 0),
            Decision::Follow { credentials: false }
        );
        // https → http: never, not even to the same host, not even when other origins are open.
        for policy in [&policy, &open] {
            assert_eq!(
                decide(policy, "http://api.example.com/v1/x", 0),
                Decision::Refuse(Refusal::Downgrade("http://api.example.com".to_owned()))
            );
        }
        assert_eq!(
            decide(&open, "ftp://api.example.com/x", 0),
            Decision::Refuse(Refusal::NotHttp)
        );
        assert_eq!(
            decide(&policy, "https://api.example.com/z", 10),
            Decision::Refuse(Refusal::TooMany(10))
        );
        assert_eq!(
            decide(&RedirectPolicy::none(), "https://api.example.com/z", 0),
            Decision::Refuse(Refusal::TooMany(0))
        );
    }

    #[test]
    fn methods_after_a_redirect() {
        use reqwest::{Method, StatusCode};
        let next = |status: u16, method: Method| {
            next_method(StatusCode::from_u16(status).unwrap(), &method)
        };
        assert_eq!(next(303, Method::PUT), (Method::GET, false));
        assert_eq!(next(303, Method::HEAD), (Method::HEAD, true));
        assert_eq!(next(302, Method::POST), (Method::GET, false));
        assert_eq!(next(301, Method::DELETE), (Method::DELETE, true));
        assert_eq!(next(307, Method::POST), (Method::POST, true));
        assert_eq!(next(308, Method::PATCH), (Method::PATCH, true));
    }
}
