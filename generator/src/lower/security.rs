//! Security: the credentials a client can hold (from `components.securitySchemes`), the
//! requirements each operation accepts, and which credentials the client keeps and asks for.

use openapiv3::{APIKeyLocation, Operation as SpecOperation, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use super::refs::resolve;
use crate::diagnostics::{Diagnostic, pointer};
use crate::model::{Credential, Docs, Operation, Placement, TokenFlow};
use crate::naming::{self, Scope, reserved};

impl Lowerer<'_> {
    /// Every security scheme the client can hold, in `components.securitySchemes` order; the
    /// problem for a scheme that cannot be read (reported only if an operation needs it).
    pub(super) fn credentials(&mut self) -> Vec<Result<Credential, Diagnostic>> {
        let mut out = Vec::new();
        let Some(components) = &self.doc.components else {
            return out;
        };
        // Builder methods share their namespace with the builder's own settings; constructor
        // arguments with the base URL.
        let mut names = Scope::with_reserved(reserved::BUILDER_METHODS);
        let mut arg_names = Scope::with_reserved(reserved::CONSTRUCTOR_ARGUMENTS);
        for (scheme, value) in &components.security_schemes {
            let at = pointer("/components/securitySchemes", &[scheme]);
            let value = match resolve(self.doc, value, &at, "securitySchemes", |c| {
                &c.security_schemes
            }) {
                Ok((value, _)) => value,
                Err(problem) => {
                    out.push(Err(problem));
                    continue;
                }
            };
            let mut flow = None;
            let (placement, description, sent) = match value {
                SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => match location {
                    APIKeyLocation::Header => (
                        Placement::Header(name.clone()),
                        description,
                        format!("Sent in the `{name}` header."),
                    ),
                    APIKeyLocation::Query => (
                        Placement::Query(name.clone()),
                        description,
                        format!("Sent as the `{name}` query parameter."),
                    ),
                    APIKeyLocation::Cookie => (
                        Placement::Cookie(name.clone()),
                        description,
                        format!("Sent as the `{name}` cookie."),
                    ),
                },
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } if http.eq_ignore_ascii_case("bearer") => (
                    Placement::Bearer,
                    description,
                    "Sent as `Authorization: Bearer <token>`.".to_owned(),
                ),
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } if http.eq_ignore_ascii_case("basic") => (
                    Placement::Basic,
                    description,
                    "Sent as `Authorization: Basic`.".to_owned(),
                ),
                SecurityScheme::OAuth2 {
                    description, flows, ..
                } if flows.client_credentials.is_some() => {
                    let only_flow = flows.implicit.is_none()
                        && flows.password.is_none()
                        && flows.authorization_code.is_none();
                    flow = flows.client_credentials.clone().map(|f| (f, only_flow));
                    (
                        Placement::Bearer,
                        description,
                        "Sent as `Authorization: Bearer <token>`: a token the client fetches \
                         from the token endpoint with its client credentials (`ClientCredentials`), \
                         keeps and renews itself, or one you obtain and give it."
                            .to_owned(),
                    )
                }
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => (
                    Placement::Bearer,
                    description,
                    "An access token you obtain; sent as `Authorization: Bearer <token>`."
                        .to_owned(),
                ),
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } if http.eq_ignore_ascii_case("mutual") => (
                    Placement::Transport,
                    description,
                    "TLS client authentication (`http` `mutual`): this client sends no credential \
                     of its own for it. Give the builder an HTTP client that presents your \
                     certificate: `ClientBuilder::http_client` with a `reqwest::Client` built \
                     with an `Identity`."
                        .to_owned(),
                ),
                // Digest, OAuth 1.0a, Negotiate, a vendor's own signature: values this client
                // cannot compute, but a caller can.
                SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    ..
                } => (
                    Placement::Authorization(http.clone()),
                    description,
                    format!(
                        "The `http` `{http}` scheme, which this client cannot compute: give the \
                         whole `Authorization` header value (`{http} ...`), sent as given with \
                         every request that uses this scheme."
                    ),
                ),
            };
            let mut docs = Docs::default();
            docs.push_or(description.as_deref(), || {
                format!("The `{scheme}` credential.")
            });
            docs.push(sent);
            let rust_name = names.claim(naming::value_name(scheme));
            // Arguments have a namespace of their own: a setter's suffix is not theirs.
            let arg = naming::value_name(scheme);
            let base = arg.trim_start_matches("r#");
            let token_flow = flow.map(|(flow, only_flow)| TokenFlow {
                token_url: flow.token_url,
                refresh_url: flow.refresh_url,
                setter: names.claim(format!("{base}_client_credentials")),
                only_flow,
            });
            let args = match placement {
                _ if token_flow.as_ref().is_some_and(|flow| flow.only_flow) => vec![
                    arg_names.claim(format!("{base}_client_id")),
                    arg_names.claim(format!("{base}_client_secret")),
                ],
                Placement::Basic => vec![
                    arg_names.claim(format!("{base}_username")),
                    arg_names.claim(format!("{base}_password")),
                ],
                // Nothing to give: the HTTP client carries it.
                Placement::Transport => Vec::new(),
                _ => vec![arg_names.claim(arg.clone())],
            };
            out.push(Ok(Credential {
                scheme: scheme.clone(),
                rust_name,
                args,
                placement,
                docs,
                token_flow,
            }));
        }
        out
    }

    /// The alternative sets of credentials (indexes into `credentials`) that authorize this
    /// operation. An alternative the client cannot satisfy by itself (a scheme that cannot be
    /// read, or an `Authorization` value the caller must compute) is dropped when the operation
    /// offers another; when none is left, the operation's problems are reported.
    pub(super) fn security(
        &mut self,
        op: &SpecOperation,
        at: &str,
        credentials: &[Result<Credential, Diagnostic>],
    ) -> Vec<Vec<usize>> {
        let (requirements, here): (&Vec<SecurityRequirement>, String) =
            match (&op.security, &self.doc.security) {
                (Some(own), _) => (own, pointer(at, &["security"])),
                (None, Some(global)) => (global, "/security".to_owned()),
                (None, None) => return Vec::new(),
            };
        let schemes: Vec<&String> = self
            .doc
            .components
            .as_ref()
            .map(|c| c.security_schemes.keys().collect())
            .unwrap_or_default();
        // Each alternative: its credentials, or the first problem that makes it unusable.
        let mut native = Vec::new();
        let mut supplied = Vec::new();
        let mut problems = Vec::new();
        for requirement in requirements {
            let mut set = Vec::new();
            let mut problem = None;
            let mut by_caller = false;
            for scheme in requirement.keys() {
                match schemes.iter().position(|s| *s == scheme) {
                    Some(index) => match &credentials[index] {
                        Ok(credential) => {
                            by_caller |=
                                matches!(credential.placement, Placement::Authorization(_));
                            set.push(index);
                        }
                        Err(diagnostic) => {
                            problem.get_or_insert_with(|| diagnostic.clone());
                        }
                    },
                    None => {
                        problem.get_or_insert_with(|| {
                            Diagnostic::new(
                                &here,
                                format!(
                                    "security scheme `{scheme}` is not defined in \
                                     `components.securitySchemes`"
                                ),
                            )
                        });
                    }
                }
            }
            match problem {
                Some(problem) => problems.push(problem),
                None if by_caller => supplied.push(set),
                None => native.push(set),
            }
        }
        if !native.is_empty() {
            return native;
        }
        if !supplied.is_empty() {
            return supplied;
        }
        self.diagnostics.extend(problems);
        Vec::new()
    }
}

/// Drops the credentials no operation uses, renumbering the operations' references.
pub(super) fn keep_used_credentials(
    credentials: Vec<Result<Credential, Diagnostic>>,
    mut operations: Vec<Operation>,
) -> (Vec<Credential>, Vec<Operation>) {
    let mut used: Vec<usize> = operations
        .iter()
        .flat_map(|o| o.security.iter().flatten().copied())
        .collect();
    used.sort_unstable();
    used.dedup();
    for op in &mut operations {
        for index in op.security.iter_mut().flatten() {
            *index = used
                .iter()
                .position(|k| k == index)
                .expect("a used credential is kept");
        }
    }
    let kept = credentials
        .into_iter()
        .enumerate()
        .filter(|(i, _)| used.contains(i))
        // A kept operation uses only schemes that could be read.
        .filter_map(|(_, c)| c.ok())
        .collect();
    (kept, operations)
}

/// The requirement `Client::new` asks for: the first alternative that most secured
/// operations accept (ties go to the one seen first, so the choice is stable).
pub(super) fn default_requirement(operations: &[Operation]) -> Vec<usize> {
    let mut counts: Vec<(&Vec<usize>, usize)> = Vec::new();
    for op in operations {
        if let Some(first) = op.security.first() {
            match counts.iter_mut().find(|(r, _)| *r == first) {
                Some((_, count)) => *count += 1,
                None => counts.push((first, 1)),
            }
        }
    }
    counts
        .iter()
        .fold(None::<(&Vec<usize>, usize)>, |best, &(r, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((r, n)),
        })
        .map(|(r, _)| r.clone())
        .unwrap_or_default()
}
