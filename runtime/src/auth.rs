//! Credentials: what each security scheme of the API description needs, how the client
//! holds it, and how it is put on a request.
#![allow(dead_code)] // Shared by every generated crate; each API uses only some schemes.

use std::sync::Arc;

use super::error::{ConfigError, ConfigErrorKind};
use super::oauth::{ClientCredentials, TokenSource};
use super::secret::SecretString;
use super::validation::{ValidationError, ValidationErrorKind};

/// Where a security scheme puts its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// `apiKey` in a header with this name.
    Header(&'static str),
    /// `apiKey` in the query string, under this name.
    Query(&'static str),
    /// `apiKey` in a cookie with this name.
    Cookie(&'static str),
    /// `http` `bearer`, and `oauth2` / `openIdConnect` with a token the caller obtained.
    Bearer,
    /// `oauth2` with a `clientCredentials` flow: a bearer token the caller gives, or one the
    /// client fetches from `token_url` with the client credentials it is given (relative URLs
    /// resolved against the base URL).
    OAuth2 {
        token_url: &'static str,
        refresh_url: Option<&'static str>,
    },
    /// `http` `basic`: a username and a password.
    Basic,
    /// Another `http` scheme (`digest`, OAuth 1.0a, a vendor's signature): the caller gives
    /// the whole `Authorization` header value, sent as given.
    Authorization,
    /// `http` `mutual`: TLS client authentication, done by the HTTP client the caller gives
    /// the builder; nothing goes on the request, and the requirement always holds.
    Transport,
}

/// One security scheme of the API description.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// Its name in `components.securitySchemes`, used in errors.
    pub name: &'static str,
    pub placement: Placement,
}

/// A credential given to the builder, not yet checked.
#[derive(Clone)]
pub(crate) enum Given {
    Secret(SecretString),
    Basic(String, SecretString),
    ClientCredentials(ClientCredentials),
}

impl std::fmt::Debug for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(_) => f.write_str("Secret(<redacted>)"),
            Self::Basic(username, _) => write!(f, "Basic({username:?}, <redacted>)"),
            Self::ClientCredentials(credentials) => write!(f, "{credentials:?}"),
        }
    }
}

/// A credential ready to send. Header values are marked sensitive, so that neither
/// `reqwest` nor `Debug` print them.
#[derive(Clone)]
pub(crate) enum Credential {
    Header(reqwest::header::HeaderName, reqwest::header::HeaderValue),
    /// `name=value`, merged with the request's other cookies into one `Cookie` header.
    Cookie(reqwest::header::HeaderValue),
    Query(&'static str, SecretString),
    /// `Authorization: Basic ...` (the username kept for `Debug`).
    Basic(String, reqwest::header::HeaderValue),
    /// TLS client authentication: in the HTTP client, not on the request.
    Transport,
    /// An OAuth 2.0 access token the client fetches and renews itself: put on each request
    /// by the transport, which asks the source for it first.
    OAuth(Arc<TokenSource>),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Header(name, _) => write!(f, "Credential({name}: <redacted>)"),
            Self::Cookie(_) => write!(f, "Credential(cookie: <redacted>)"),
            Self::Query(name, _) => write!(f, "Credential(?{name}=<redacted>)"),
            Self::Basic(username, _) => write!(f, "Credential(basic {username:?}: <redacted>)"),
            Self::Transport => f.write_str("Credential(TLS client identity)"),
            Self::OAuth(source) => write!(f, "Credential({source:?})"),
        }
    }
}

impl Credential {
    /// Checks a credential for `scheme` (a value that cannot be sent is refused here, when
    /// the client is built, without echoing it); `base` is the base URL, which relative token
    /// URLs are resolved against.
    pub(crate) fn new(
        scheme: &Scheme,
        given: &Given,
        base: &url::Url,
    ) -> Result<Self, ConfigError> {
        let invalid = || ConfigError::new(scheme.name, ConfigErrorKind::InvalidHeader);
        let sensitive = |text: &str| {
            let mut value = reqwest::header::HeaderValue::from_str(text).map_err(|_| invalid())?;
            value.set_sensitive(true);
            Ok::<_, ConfigError>(value)
        };
        match (scheme.placement, given) {
            (Placement::Header(header), Given::Secret(secret)) => {
                let name = reqwest::header::HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| invalid())?;
                Ok(Self::Header(name, sensitive(secret.expose_secret())?))
            }
            (Placement::Cookie(cookie), Given::Secret(secret)) => Ok(Self::Cookie(sensitive(
                &format!("{cookie}={}", secret.expose_secret()),
            )?)),
            (Placement::Bearer | Placement::OAuth2 { .. }, Given::Secret(secret)) => {
                Ok(Self::Header(
                    reqwest::header::AUTHORIZATION,
                    sensitive(&format!("Bearer {}", secret.expose_secret()))?,
                ))
            }
            (Placement::Query(name), Given::Secret(secret)) => {
                Ok(Self::Query(name, secret.clone()))
            }
            (Placement::Authorization, Given::Secret(secret)) => Ok(Self::Header(
                reqwest::header::AUTHORIZATION,
                sensitive(secret.expose_secret())?,
            )),
            (Placement::Basic, Given::Basic(username, password)) => {
                // RFC 7617: neither part may hold a control.
                sensitive(username)?;
                sensitive(password.expose_secret())?;
                Ok(Self::Basic(
                    username.clone(),
                    sensitive(&basic(username, password.expose_secret()))?,
                ))
            }
            (
                Placement::OAuth2 {
                    token_url,
                    refresh_url,
                },
                Given::ClientCredentials(credentials),
            ) => Ok(Self::OAuth(Arc::new(TokenSource::new(
                scheme.name,
                credentials,
                token_url,
                refresh_url,
                base,
            )?))),
            (Placement::Transport, _) => Ok(Self::Transport),
            (Placement::Basic, Given::Secret(_))
            | (_, Given::Basic(..) | Given::ClientCredentials(_)) => Err(ConfigError::new(
                scheme.name,
                ConfigErrorKind::WrongCredentialForm,
            )),
        }
    }

    /// The credential a scheme has without the caller giving one: TLS client authentication
    /// is the HTTP client's business.
    pub(crate) fn implicit(scheme: &Scheme) -> Option<Self> {
        (scheme.placement == Placement::Transport).then_some(Self::Transport)
    }

    /// The query pair of a credential sent in the query string.
    pub(crate) fn query_pair(&self) -> Option<(String, String)> {
        match self {
            Self::Query(name, secret) => {
                Some(((*name).to_owned(), secret.expose_secret().to_owned()))
            }
            _ => None,
        }
    }

    /// The token source of a credential the client fetches itself.
    pub(crate) fn token_source(&self) -> Option<&TokenSource> {
        match self {
            Self::OAuth(source) => Some(source),
            _ => None,
        }
    }

    /// The `name=value` pair of a credential sent as a cookie.
    pub(crate) fn cookie(&self) -> Option<&reqwest::header::HeaderValue> {
        match self {
            Self::Cookie(pair) => Some(pair),
            _ => None,
        }
    }

    /// Puts a header or `basic` credential on a request (query credentials are in the URL
    /// already: see [`Credential::query_pair`]; cookies go in the request's one `Cookie`
    /// header: see [`Credential::cookie`]).
    pub(crate) fn authorize(&self, headers: &mut reqwest::header::HeaderMap) {
        match self {
            Self::Header(name, value) => {
                headers.append(name.clone(), value.clone());
            }
            Self::Basic(_, value) => {
                headers.append(reqwest::header::AUTHORIZATION, value.clone());
            }
            // The token is the transport's to put on: it may have to be fetched first.
            Self::Query(..) | Self::Cookie(_) | Self::Transport | Self::OAuth(_) => {}
        }
    }
}

/// The first of an operation's alternative requirements whose credentials the client has;
/// `Ok(&[])` for an operation that needs none. Checked before any network I/O.
pub(crate) fn choose<'a>(
    requirements: &'a [&'a [usize]],
    credentials: &[Option<Credential>],
    schemes: &[Scheme],
) -> Result<&'a [usize], ValidationError> {
    if requirements.is_empty() {
        return Ok(&[]);
    }
    if let Some(found) = requirements.iter().find(|requirement| {
        requirement
            .iter()
            .all(|&i| credentials.get(i).is_some_and(Option::is_some))
    }) {
        return Ok(found);
    }
    // Name a credential of the first requirement that is missing.
    let missing = requirements[0]
        .iter()
        .find(|&&i| credentials.get(i).is_none_or(Option::is_none))
        .and_then(|&i| schemes.get(i))
        .map_or("credential", |scheme| scheme.name);
    Err(ValidationError::new(missing, ValidationErrorKind::Missing))
}

/// An `Authorization: Basic` value: `Basic` and the base64 of `user:password` (RFC 7617; an
/// OAuth client's id and secret are form-encoded before, RFC 6749 section 2.3.1).
pub(crate) fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: &[Scheme] = &[
        Scheme {
            name: "ApiKey",
            placement: Placement::Header("X-Api-Key"),
        },
        Scheme {
            name: "Token",
            placement: Placement::Bearer,
        },
        Scheme {
            name: "Login",
            placement: Placement::Basic,
        },
        Scheme {
            name: "QueryKey",
            placement: Placement::Query("key"),
        },
        Scheme {
            name: "Session",
            placement: Placement::Cookie("sid"),
        },
    ];

    fn credential(scheme: &Scheme, given: &Given) -> Result<Credential, ConfigError> {
        Credential::new(
            scheme,
            given,
            &url::Url::parse("https://api.example.com").unwrap(),
        )
    }

    fn secret(text: &str) -> Given {
        Given::Secret(SecretString::from(text))
    }

    #[test]
    fn every_placement_is_checked_and_redacted() {
        let header = credential(&SCHEMES[0], &secret("abc")).unwrap();
        assert_eq!(format!("{header:?}"), "Credential(x-api-key: <redacted>)");
        let Credential::Header(_, value) = credential(&SCHEMES[1], &secret("tok")).unwrap() else {
            panic!("bearer is a header")
        };
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "Bearer tok");
        let cookie = credential(&SCHEMES[4], &secret("s1")).unwrap();
        let value = cookie.cookie().unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "sid=s1");
        assert_eq!(format!("{cookie:?}"), "Credential(cookie: <redacted>)");
        let query = credential(&SCHEMES[3], &secret("q")).unwrap();
        assert_eq!(format!("{query:?}"), "Credential(?key=<redacted>)");
        let basic = credential(
            &SCHEMES[2],
            &Given::Basic("ann".into(), SecretString::from("pw")),
        )
        .unwrap();
        assert!(!format!("{basic:?}").contains("pw"));
        let mut headers = reqwest::header::HeaderMap::new();
        basic.authorize(&mut headers);
        let value = &headers[reqwest::header::AUTHORIZATION];
        assert!(value.is_sensitive());
        // RFC 7617's example pair encodes as the RFC shows.
        let aladdin = credential(
            &SCHEMES[2],
            &Given::Basic("Aladdin".into(), SecretString::from("open sesame")),
        )
        .unwrap();
        let mut headers = reqwest::header::HeaderMap::new();
        aladdin.authorize(&mut headers);
        assert_eq!(
            headers[reqwest::header::AUTHORIZATION],
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );

        let error = credential(&SCHEMES[0], &secret("bad\nvalue")).unwrap_err();
        assert_eq!(error.setting(), "ApiKey");
        assert_eq!(error.kind(), &ConfigErrorKind::InvalidHeader);
        assert!(!format!("{error:?}{error}").contains("bad"));
        let error = credential(&SCHEMES[2], &secret("x")).unwrap_err();
        assert_eq!(error.kind(), &ConfigErrorKind::WrongCredentialForm);
    }

    #[test]
    fn other_http_schemes_send_what_the_caller_gives_or_nothing() {
        let digest = Scheme {
            name: "Digest",
            placement: Placement::Authorization,
        };
        let Credential::Header(name, value) =
            credential(&digest, &secret("Digest username=\"ann\", response=\"x\"")).unwrap()
        else {
            panic!("an Authorization value is a header")
        };
        assert_eq!(name, reqwest::header::AUTHORIZATION);
        assert!(value.is_sensitive());
        assert_eq!(
            value.to_str().unwrap(),
            "Digest username=\"ann\", response=\"x\""
        );
        assert!(credential(&digest, &secret("bad\r\nvalue")).is_err());

        let mutual = Scheme {
            name: "mtls",
            placement: Placement::Transport,
        };
        assert!(matches!(
            Credential::implicit(&mutual),
            Some(Credential::Transport)
        ));
        assert!(Credential::implicit(&digest).is_none());
        let mut headers = reqwest::header::HeaderMap::new();
        Credential::Transport.authorize(&mut headers);
        assert!(headers.is_empty());
    }

    #[test]
    fn the_first_satisfiable_requirement_is_chosen() {
        let have = |indexes: &[usize]| -> Vec<Option<Credential>> {
            (0..SCHEMES.len())
                .map(|i| {
                    indexes
                        .contains(&i)
                        .then(|| credential(&SCHEMES[0], &secret("v")).unwrap())
                })
                .collect()
        };
        let requirements: &[&[usize]] = &[&[0, 1], &[3]];
        assert_eq!(
            choose(requirements, &have(&[0, 1, 3]), SCHEMES).unwrap(),
            &[0, 1]
        );
        assert_eq!(choose(requirements, &have(&[3]), SCHEMES).unwrap(), &[3]);
        let error = choose(requirements, &have(&[0]), SCHEMES).unwrap_err();
        assert_eq!(error.field(), "Token");
        assert_eq!(error.kind(), &ValidationErrorKind::Missing);
        // An empty alternative means the credential is optional.
        let optional: &[&[usize]] = &[&[0], &[]];
        assert_eq!(
            choose(optional, &have(&[]), SCHEMES).unwrap(),
            &[] as &[usize]
        );
        assert_eq!(choose(&[], &have(&[]), SCHEMES).unwrap(), &[] as &[usize]);
    }
}
