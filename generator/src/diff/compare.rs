//! The client, its operations and its signed callbacks compared (types are in `types`).

use std::collections::BTreeSet;

use super::types::{compare_refs, docs_changed, payload, spell};
use super::{Change, Class, Subject};
use crate::model::{Api, Body, BodyMedia, Operation, ParamLocation, Parameter};

/// The changes to the client as a whole: servers, credentials, features, the crate's docs.
pub(super) fn client(old: &Api, new: &Api) -> Vec<Change> {
    let mut out: Vec<(Class, String)> = Vec::new();
    match (&old.default_base_url, &new.default_base_url) {
        (Some(a), Some(b)) if a != b => out.push((
            Class::Minor,
            format!("server `{a}` → `{b}`: `Client::DEFAULT_BASE_URL`, and where `Client::new` sends calls"),
        )),
        (Some(a), None) => out.push((
            Class::Major,
            format!("server `{a}` removed (or no longer absolute): `Client::new` and `Client::builder` take a `base_url`"),
        )),
        (None, Some(b)) => out.push((
            Class::Major,
            format!("server `{b}` added: `Client::new` and `Client::builder` no longer take a `base_url`"),
        )),
        _ => {}
    }
    credentials(old, new, &mut out);
    let (a, b) = (spell(old, &old.error_body), spell(new, &new.error_body));
    if a != b {
        out.push((
            Class::Major,
            format!("the crate's `Error` alias: `Error<{a}>` → `Error<{b}>`"),
        ));
    }
    for feature in &new.features {
        if !old.features.iter().any(|f| f.name == feature.name) {
            out.push((
                Class::Minor,
                format!("cargo feature `{}` added", feature.name),
            ));
        }
    }
    for feature in &old.features {
        if !new.features.iter().any(|f| f.name == feature.name) {
            out.push((
                Class::Major,
                format!(
                    "cargo feature `{}` removed: builds that enable it fail",
                    feature.name
                ),
            ));
        }
    }
    let info = |api: &Api| {
        (
            api.title.clone(),
            api.version.clone(),
            api.description.clone(),
            api.homepage.clone(),
            api.license.clone(),
        )
    };
    if info(old) != info(new) {
        out.push((
            Class::Patch,
            "the API's `info` (title, version, description, homepage or license) changed: the crate's docs and metadata".to_owned(),
        ));
    }
    tag(&Subject::Client, out)
}

fn credentials(old: &Api, new: &Api, out: &mut Vec<(Class, String)>) {
    for c in &new.credentials {
        match old.credentials.iter().find(|o| o.rust_name == c.rust_name) {
            None => out.push((
                Class::Minor,
                format!(
                    "credential `{}` added (`ClientBuilder::{}`)",
                    c.scheme, c.rust_name
                ),
            )),
            Some(o) if o.args != c.args || o.token_flow.is_some() != c.token_flow.is_some() => {
                out.push((
                    Class::Major,
                    format!(
                        "credential `{}`: `ClientBuilder::{}` takes other arguments",
                        c.scheme, c.rust_name
                    ),
                ));
            }
            Some(o) if o.placement != c.placement || o.token_flow != c.token_flow => {
                out.push((
                    Class::Minor,
                    format!(
                        "credential `{}` is sent differently ({:?} → {:?})",
                        c.scheme, o.placement, c.placement
                    ),
                ));
            }
            Some(o) if o.docs != c.docs => out.push((
                Class::Patch,
                format!("credential `{}`: documentation changed", c.scheme),
            )),
            Some(_) => {}
        }
    }
    for c in &old.credentials {
        if !new.credentials.iter().any(|n| n.rust_name == c.rust_name) {
            out.push((
                Class::Major,
                format!(
                    "credential `{}` removed (`ClientBuilder::{}`)",
                    c.scheme, c.rust_name
                ),
            ));
        }
    }
    let defaults = |api: &Api| -> Vec<String> {
        let d = api.default_credentials.iter();
        d.filter_map(|i| api.credentials.get(*i))
            .map(|c| c.scheme.clone())
            .collect()
    };
    let (a, b) = (defaults(old), defaults(new));
    if a != b {
        out.push((
            Class::Major,
            format!(
                "`Client::new` takes the credentials of [{}], was [{}]",
                b.join(", "),
                a.join(", ")
            ),
        ));
    }
}

fn tag(subject: &Subject, changes: Vec<(Class, String)>) -> Vec<Change> {
    changes
        .into_iter()
        .map(|(class, text)| Change {
            class,
            subject: subject.clone(),
            text,
        })
        .collect()
}

fn request(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

/// The changes to operations: those of `new` in its order, then those `old` alone had.
pub(super) fn operations(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    let named = |api: &Api, name: &str| api.operations.iter().any(|o| o.rust_name == name);
    for op in &new.operations {
        let subject = Subject::Operation {
            name: op.rust_name.clone(),
            request: request(op),
        };
        if let Some(before) = old.operations.iter().find(|o| o.rust_name == op.rust_name) {
            out.extend(tag(&subject, operation(old, new, before, op)));
            continue;
        }
        // The same request under a name the new API does not have: renamed.
        let same_request = old
            .operations
            .iter()
            .find(|o| o.method == op.method && o.path == op.path && !named(new, &o.rust_name));
        let change = match same_request {
            Some(before) => {
                renamed.insert(&before.rust_name);
                let mut changes = vec![(
                    Class::Major,
                    format!(
                        "renamed from `{}`: code calling the old name no longer compiles",
                        before.rust_name
                    ),
                )];
                changes.extend(operation(old, new, before, op));
                changes
            }
            None => vec![(Class::Minor, "added".to_owned())],
        };
        out.extend(tag(&subject, change));
    }
    for op in &old.operations {
        if !named(new, &op.rust_name) && !renamed.contains(op.rust_name.as_str()) {
            let subject = Subject::Operation {
                name: op.rust_name.clone(),
                request: request(op),
            };
            let text = "removed: code calling it no longer compiles".to_owned();
            out.extend(tag(&subject, vec![(Class::Major, text)]));
        }
    }
    out
}

/// The changes to one operation, matched by name.
fn operation(
    old_api: &Api,
    new_api: &Api,
    old: &Operation,
    new: &Operation,
) -> Vec<(Class, String)> {
    let mut out = Vec::new();
    if old.method != new.method || old.path != new.path {
        out.push((
            Class::Minor,
            format!(
                "sends `{}` instead of `{}`: the same code, another request",
                request(new),
                request(old)
            ),
        ));
    }
    parameters(old_api, new_api, old, new, &mut out);
    body(
        old_api,
        new_api,
        old.body.as_ref(),
        new.body.as_ref(),
        &mut out,
    );
    let (a, b) = (
        payload(old_api, &old.success),
        payload(new_api, &new.success),
    );
    if a != b {
        out.push((Class::Major, format!("returns `{b}`, was `{a}`")));
    }
    let (a, b) = (spell(old_api, &old.error), spell(new_api, &new.error));
    if a != b {
        out.push((
            Class::Major,
            format!("error type `Error<{a}>` → `Error<{b}>`"),
        ));
    }
    security(old_api, new_api, old, new, &mut out);
    match (&old.pager, &new.pager) {
        (None, Some(_)) => out.push((
            Class::Minor,
            format!("pager added (`{0}_pages`, `{0}_stream`)", new.rust_name),
        )),
        (Some(_), None) => out.push((
            Class::Major,
            format!("pager removed (`{0}_pages`, `{0}_stream`)", old.rust_name),
        )),
        (Some(a), Some(b)) => {
            let (a, b) = (spell(old_api, &a.item), spell(new_api, &b.item));
            if a != b {
                out.push((Class::Major, format!("pager items `{a}` → `{b}`")));
            }
        }
        (None, None) => {}
    }
    let feature = |api: &Api, op: &Operation| {
        op.feature
            .and_then(|f| api.features.get(f))
            .map(|f| f.name.clone())
    };
    let (a, b) = (feature(old_api, old), feature(new_api, new));
    if a != b {
        let shown = |f: Option<String>| f.map_or("none".to_owned(), |f| format!("`{f}`"));
        out.push((
            Class::Major,
            format!(
                "cargo feature {} → {}: builds with only the old one lose it",
                shown(a),
                shown(b)
            ),
        ));
    }
    if docs_changed(&old.docs, &new.docs) {
        out.push((Class::Patch, "documentation changed".to_owned()));
    }
    out
}

fn location(p: &Parameter) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn parameters(
    old_api: &Api,
    new_api: &Api,
    old: &Operation,
    new: &Operation,
    out: &mut Vec<(Class, String)>,
) {
    for p in &new.params {
        let ty = spell(new_api, &p.ty);
        let name = &p.rust_name;
        let Some(before) = old.params.iter().find(|o| o.rust_name == p.rust_name) else {
            out.push(if p.required {
                (Class::Major, format!("required {} parameter `{name}: {ty}` added: the method takes one more argument", location(p)))
            } else {
                (Class::Minor, format!("optional {} parameter `{name}: {ty}` added (setter `{}`)", location(p), p.setter))
            });
            continue;
        };
        if before.required != p.required {
            let now = if p.required {
                "required: an argument of the method, no longer a setter"
            } else {
                "optional: a setter, no longer an argument of the method"
            };
            out.push((Class::Major, format!("parameter `{name}` is now {now}")));
        }
        let shape = compare_refs(old_api, &before.ty, new_api, &p.ty);
        out.extend(shape.change(
            &spell(old_api, &before.ty),
            &ty,
            &format!("parameter `{name}`"),
        ));
        if before.location != p.location
            || before.wire_name != p.wire_name
            || before.encoding != p.encoding
            || before.path_style != p.path_style
        {
            out.push((
                Class::Minor,
                format!(
                    "parameter `{name}` is sent as {} `{}`, was {} `{}` (or encoded differently)",
                    location(p),
                    p.wire_name,
                    location(before),
                    before.wire_name
                ),
            ));
        }
        if before.docs != p.docs {
            out.push((
                Class::Patch,
                format!("parameter `{name}`: documentation changed"),
            ));
        }
    }
    for p in &old.params {
        if !new.params.iter().any(|n| n.rust_name == p.rust_name) {
            let what = if p.required { "argument" } else { "setter" };
            out.push((
                Class::Major,
                format!(
                    "{} parameter `{}` removed: its {what} is gone",
                    location(p),
                    p.rust_name
                ),
            ));
        }
    }
}

/// The body as the method's argument takes it.
fn argument(api: &Api, body: &Body) -> String {
    match &body.media {
        BodyMedia::Text(_) => "&str".to_owned(),
        BodyMedia::Bytes(_) => "Upload".to_owned(),
        _ => spell(api, &body.ty),
    }
}

fn media(body: &Body) -> String {
    match &body.media {
        BodyMedia::Json => "application/json".to_owned(),
        BodyMedia::Form(fields) => format!("application/x-www-form-urlencoded {fields:?}"),
        BodyMedia::Multipart => "multipart/form-data".to_owned(),
        BodyMedia::Text(m) | BodyMedia::Bytes(m) => m.clone(),
    }
}

fn body(
    old_api: &Api,
    new_api: &Api,
    old: Option<&Body>,
    new: Option<&Body>,
    out: &mut Vec<(Class, String)>,
) {
    match (old, new) {
        (None, Some(b)) => out.push((
            Class::Major,
            format!(
                "request body `{}` added: the method takes one more argument",
                argument(new_api, b)
            ),
        )),
        (Some(a), None) => out.push((
            Class::Major,
            format!(
                "request body `{}` removed: the method takes one argument less",
                argument(old_api, a)
            ),
        )),
        (Some(a), Some(b)) => {
            if a.required != b.required {
                let now = if b.required {
                    "required (was an `Option`)"
                } else {
                    "optional (now an `Option`)"
                };
                out.push((Class::Major, format!("request body is now {now}")));
            }
            let (sa, sb) = (argument(old_api, a), argument(new_api, b));
            let shape = if matches!(a.media, BodyMedia::Text(_) | BodyMedia::Bytes(_))
                || matches!(b.media, BodyMedia::Text(_) | BodyMedia::Bytes(_))
            {
                if sa == sb {
                    super::types::Shape::Same
                } else {
                    super::types::Shape::Different
                }
            } else {
                compare_refs(old_api, &a.ty, new_api, &b.ty)
            };
            out.extend(shape.change(&sa, &sb, "request body"));
            if sa == sb && media(a) != media(b) {
                out.push((
                    Class::Minor,
                    format!("request body sent as {}, was {}", media(b), media(a)),
                ));
            }
            if a.docs != b.docs {
                out.push((
                    Class::Patch,
                    "request body: documentation changed".to_owned(),
                ));
            }
        }
        (None, None) => {}
    }
}

/// Requirements as sets of scheme names; an operation without security has none.
fn requirements(api: &Api, op: &Operation) -> Vec<BTreeSet<String>> {
    op.security
        .iter()
        .map(|alternative| {
            let a = alternative.iter();
            a.filter_map(|i| api.credentials.get(*i))
                .map(|c| c.scheme.clone())
                .collect()
        })
        .collect()
}

fn security(
    old_api: &Api,
    new_api: &Api,
    old: &Operation,
    new: &Operation,
    out: &mut Vec<(Class, String)>,
) {
    let (a, b) = (requirements(old_api, old), requirements(new_api, new));
    if a == b {
        return;
    }
    let shown = |alts: &[BTreeSet<String>]| {
        if alts.is_empty() {
            return "none".to_owned();
        }
        let each = alts.iter().map(|set| {
            if set.is_empty() {
                "anonymous".to_owned()
            } else {
                set.iter().cloned().collect::<Vec<_>>().join(" + ")
            }
        });
        each.collect::<Vec<_>>().join(" | ")
    };
    // No requirements is one alternative that needs nothing. A client that satisfies an old
    // alternative can still call when some new alternative asks for no more than it.
    let anonymous = vec![BTreeSet::new()];
    let (olds, news) = (
        if a.is_empty() { &anonymous } else { &a },
        if b.is_empty() { &anonymous } else { &b },
    );
    let kept = olds
        .iter()
        .all(|old_alt| news.iter().any(|new_alt| new_alt.is_subset(old_alt)));
    let (class, why) = if kept {
        (Class::Minor, "every client that could call it still can")
    } else {
        (
            Class::Major,
            "a client set up for an old requirement may be refused before sending",
        )
    };
    out.push((
        class,
        format!("security {} → {}: {why}", shown(&a), shown(&b)),
    ));
}

/// The changes to signed callbacks: their verification functions in `webhooks`.
pub(super) fn callbacks(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    for c in &new.callbacks {
        let subject = Subject::Callback {
            name: c.name.clone(),
        };
        let mut changes = Vec::new();
        match old.callbacks.iter().find(|o| o.name == c.name) {
            None => changes.push((
                Class::Minor,
                format!("added (`webhooks::{}`)", c.verify_name),
            )),
            Some(o) => {
                if o.verify_name != c.verify_name || o.header_const != c.header_const {
                    changes.push((
                        Class::Major,
                        format!(
                            "`webhooks::{}` is now `webhooks::{}`",
                            o.verify_name, c.verify_name
                        ),
                    ));
                }
                let (a, b) = (spell(old, &o.body), spell(new, &c.body));
                if a != b {
                    changes.push((
                        Class::Major,
                        format!("deliveries decode as `{b}`, was `{a}`"),
                    ));
                }
                let how = |s: &crate::model::SignedCallback| {
                    (
                        s.header.clone(),
                        s.algorithm,
                        s.encoding,
                        s.prefix.clone(),
                        s.key_scheme.clone(),
                    )
                };
                if how(o) != how(c) {
                    changes.push((
                        Class::Minor,
                        format!("signatures are checked differently (header `{}`, {:?}, {:?}, prefix `{}`)", c.header, c.algorithm, c.encoding, c.prefix),
                    ));
                }
                if o.docs != c.docs {
                    changes.push((Class::Patch, "documentation changed".to_owned()));
                }
            }
        }
        out.extend(tag(&subject, changes));
    }
    for c in &old.callbacks {
        if !new.callbacks.iter().any(|n| n.name == c.name) {
            let subject = Subject::Callback {
                name: c.name.clone(),
            };
            let text = format!("removed (`webhooks::{}`)", c.verify_name);
            out.extend(tag(&subject, vec![(Class::Major, text)]));
        }
    }
    out
}
