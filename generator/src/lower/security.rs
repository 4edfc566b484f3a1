//! Security: the credentials a client can hold (from `components.securitySchemes`), the
//! requirements each operation accepts, and which credentials the client keeps and asks for.

use openapiv3::{APIKeyLocation, Operation as SpecOperation, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use super::refs::resolve;
use crate::diagnostics::pointer;
use crate::model::{Credential, Docs, Operation, Placement};
use crate::naming::{self, Scope, reserved};

impl Lowerer<'_> {
    /// Every security scheme the client can hold, in `components.securitySchemes` order;
    /// `None` for a scheme it cannot (reported only if an operation needs it).
    pub(super) fn credentials(&mut self) -> Vec<Option<Credential>> {
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
            let Ok((value, _)) = resolve(self.doc, value, &at, "securitySchemes", |c| {
                &c.security_schemes
            }) else {
                out.push(None);
                continue;
            };
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
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => (
                    Placement::Bearer,
                    description,
                    "An access token you obtain; sent as `Authorization: Bearer <token>`."
                        .to_owned(),
                ),
                SecurityScheme::HTTP { .. } => {
                    out.push(None);
                    continue;
                }
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
            let args = if placement == Placement::Basic {
                vec![
                    arg_names.claim(format!("{base}_username")),
                    arg_names.claim(format!("{base}_password")),
                ]
            } else {
                vec![arg_names.claim(arg.clone())]
            };
            out.push(Some(Credential {
                scheme: scheme.clone(),
                rust_name,
                args,
                placement,
                docs,
            }));
        }
        out
    }

    /// The alternative sets of credentials (indexes into `credentials`) that authorize this
    /// operation. Problems are reported as diagnostics.
    pub(super) fn security(
        &mut self,
        op: &SpecOperation,
        at: &str,
        credentials: &[Option<Credential>],
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
        let mut out = Vec::new();
        for requirement in requirements {
            let mut set = Vec::new();
            for scheme in requirement.keys() {
                match schemes.iter().position(|s| *s == scheme) {
                    Some(index) if credentials.get(index).is_some_and(Option::is_some) => {
                        set.push(index);
                    }
                    Some(_) => self.unsupported(
                        &here,
                        &format!(
                            "security scheme `{scheme}` is not supported (only apiKey, http bearer \
                             and basic, oauth2 and openIdConnect are)"
                        ),
                    ),
                    None => self.unsupported(
                        &here,
                        &format!("security scheme `{scheme}` is not defined in components.securitySchemes"),
                    ),
                }
            }
            out.push(set);
        }
        out
    }
}

/// Drops the credentials no operation uses, renumbering the operations' references.
pub(super) fn keep_used_credentials(
    credentials: Vec<Option<Credential>>,
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
        // Lowering succeeded, so every scheme an operation uses is supported.
        .filter_map(|(_, c)| c)
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
