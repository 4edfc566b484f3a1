//! Pagination: how a list operation's pages are walked, from its `x-pagination` extension or,
//! without one, from the shapes of the common conventions that leave no doubt.
//!
//! The extension (documented in the crate docs) names the style and the JSON pointers it
//! reads. Without it, a `GET` operation gets a pager when it has one of these shapes:
//!
//! - a body `{next, results}` with `next` a string and `results` an array (Django REST
//!   Framework, Truv): follow `next`;
//! - a body `{data, has_more}` with a `starting_after` query parameter (Stripe's lists): the
//!   last item's `id` is the next `starting_after`, while `has_more`;
//! - a body `{data, has_more, next_page}` with a `page` query parameter (Stripe's searches):
//!   `next_page` is the next `page`, while `has_more`;
//! - a success response declaring a `Link` header, with a list body, or an object body with
//!   exactly one array property (GitHub): follow the `rel="next"` link.

use openapiv3::{Operation as SpecOperation, StatusCode};
use serde::Deserialize;

use super::Lowerer;
use super::refs::resolve;
use crate::diagnostics::pointer;
use crate::model::{
    CursorSource, ItemsStep, Method, NextPage, Pager, PagerSource, ParamLocation, Parameter,
    Payload, TypeDef, TypeKind, TypeRef,
};

/// The name of the extension.
pub(crate) const EXTENSION: &str = "x-pagination";

/// `x-pagination`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Extension {
    style: Style,
    /// JSON pointer to the array of items in the body; absent or `""`: the body is the array.
    #[serde(default)]
    items: String,
    /// `next-url`: JSON pointer to the next page's URL.
    next: Option<String>,
    /// `cursor`: the query parameter the cursor goes in.
    parameter: Option<String>,
    /// `cursor`: JSON pointer to the cursor in the body.
    cursor: Option<String>,
    /// `cursor`: the property of the page's last item that is the cursor.
    cursor_from_last_item: Option<String>,
    /// `cursor` (optional): JSON pointer to a boolean that is false on the last page.
    has_more: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Style {
    NextUrl,
    Cursor,
    LinkHeader,
}

/// What a pager is made of, before its methods are named.
struct Found {
    item: TypeRef,
    items: Vec<ItemsStep>,
    next: NextPage,
    source: PagerSource,
}

impl Lowerer<'_> {
    /// The pager of an operation, if it is a list operation; problems with its extension are
    /// reported as diagnostics.
    pub(super) fn pager(
        &mut self,
        op: &SpecOperation,
        at: &str,
        method: &Method,
        params: &[Parameter],
        success: &Payload,
    ) -> Option<Pager> {
        let found = match op.extensions.get(EXTENSION) {
            Some(value) => self.declared(value, &pointer(at, &[EXTENSION]), params, success)?,
            None if *method == Method::Get => self.detected(op, at, params, success)?,
            None => return None,
        };
        Some(Pager {
            item: found.item,
            items: found.items,
            next: found.next,
            source: found.source,
        })
    }

    fn declared(
        &mut self,
        value: &serde_json::Value,
        at: &str,
        params: &[Parameter],
        success: &Payload,
    ) -> Option<Found> {
        let extension = match Extension::deserialize(value) {
            Ok(extension) => extension,
            Err(error) => {
                self.unsupported(at, &format!("`{EXTENSION}` is not valid: {error}"));
                return None;
            }
        };
        let Payload::Json(page) = success else {
            self.unsupported(
                at,
                "a paged operation must have one JSON success body (the page)",
            );
            return None;
        };
        let Some((item, items)) = self.items_at(page, &extension.items) else {
            self.unsupported(
                at,
                &format!(
                    "`items`: `{}` is not an array of the success body reached through its \
                     properties",
                    extension.items
                ),
            );
            return None;
        };
        for (key, pointer) in [
            ("next", &extension.next),
            ("cursor", &extension.cursor),
            ("has-more", &extension.has_more),
        ] {
            if let Some(pointer) = pointer {
                if !pointer.starts_with('/') {
                    self.unsupported(
                        at,
                        &format!("`{key}`: `{pointer}` is not a JSON pointer (`/next`)"),
                    );
                    return None;
                }
            }
        }
        let next = match extension.style {
            Style::NextUrl => {
                let Some(next) = extension.next else {
                    self.unsupported(at, "style `next-url` needs `next`, the URL's JSON pointer");
                    return None;
                };
                NextPage::BodyUrl(next)
            }
            Style::LinkHeader => NextPage::LinkHeader,
            Style::Cursor => {
                let Some(parameter) = extension.parameter else {
                    self.unsupported(
                        at,
                        "style `cursor` needs `parameter`, the query parameter the cursor goes in",
                    );
                    return None;
                };
                if !has_query(params, &parameter) {
                    self.unsupported(
                        at,
                        &format!("`parameter`: the operation has no query parameter `{parameter}`"),
                    );
                    return None;
                }
                let cursor = match (extension.cursor, extension.cursor_from_last_item) {
                    (Some(pointer), None) => CursorSource::Pointer(pointer),
                    (None, Some(property)) => CursorSource::LastItem {
                        items: extension.items.clone(),
                        property,
                    },
                    _ => {
                        self.unsupported(
                            at,
                            "style `cursor` needs one of `cursor` (a JSON pointer) and \
                             `cursor-from-last-item` (a property of the last item)",
                        );
                        return None;
                    }
                };
                NextPage::Cursor {
                    parameter,
                    cursor,
                    has_more: extension.has_more,
                }
            }
        };
        Some(Found {
            item,
            items,
            next,
            source: PagerSource::Extension,
        })
    }

    fn detected(
        &self,
        op: &SpecOperation,
        at: &str,
        params: &[Parameter],
        success: &Payload,
    ) -> Option<Found> {
        let Payload::Json(page) = success else {
            return None;
        };
        let fields = self.struct_fields(page);
        let field = |name: &str| fields.and_then(|f| f.iter().find(|f| f.wire_name == name));
        let is_text = |ty: &TypeRef| match ty {
            TypeRef::String => true,
            TypeRef::Checked(checked) => !checked.is_number(),
            TypeRef::Named(id) => matches!(
                self.types[id.0].as_ref().map(|t| &t.kind),
                Some(TypeKind::Alias(TypeRef::Checked(checked))) if !checked.is_number()
            ),
            _ => false,
        };
        let is_list = |name: &str| field(name).is_some_and(|f| matches!(f.ty, TypeRef::Vec(_)));
        let found = |items: &str, next, source| {
            let (item, steps) = self.items_at(page, items)?;
            Some(Found {
                item,
                items: steps,
                next,
                source,
            })
        };
        if field("next").is_some_and(|f| is_text(&f.ty)) && is_list("results") {
            return found(
                "/results",
                NextPage::BodyUrl("/next".to_owned()),
                PagerSource::NextAndResults,
            );
        }
        let has_more = field("has_more").is_some_and(|f| f.ty == TypeRef::Bool);
        if has_more && is_list("data") && has_query(params, "starting_after") {
            return found(
                "/data",
                NextPage::Cursor {
                    parameter: "starting_after".to_owned(),
                    cursor: CursorSource::LastItem {
                        items: "/data".to_owned(),
                        property: "id".to_owned(),
                    },
                    has_more: Some("/has_more".to_owned()),
                },
                PagerSource::StartingAfter,
            );
        }
        if has_more
            && is_list("data")
            && field("next_page").is_some_and(|f| is_text(&f.ty))
            && has_query(params, "page")
        {
            return found(
                "/data",
                NextPage::Cursor {
                    parameter: "page".to_owned(),
                    cursor: CursorSource::Pointer("/next_page".to_owned()),
                    has_more: Some("/has_more".to_owned()),
                },
                PagerSource::NextPageToken,
            );
        }
        if self.declares_link_header(op, at) {
            if matches!(page, TypeRef::Vec(_)) {
                return found("", NextPage::LinkHeader, PagerSource::LinkHeader);
            }
            let lists: Vec<&str> = fields
                .into_iter()
                .flatten()
                .filter(|f| matches!(f.ty, TypeRef::Vec(_)))
                .map(|f| f.wire_name.as_str())
                .collect();
            if let [only] = lists.as_slice() {
                return found(
                    &format!("/{}", escape(only)),
                    NextPage::LinkHeader,
                    PagerSource::LinkHeader,
                );
            }
        }
        None
    }

    /// Whether a success response of `op` declares a `Link` header.
    fn declares_link_header(&self, op: &SpecOperation, at: &str) -> bool {
        op.responses.responses.iter().any(|(code, response)| {
            let success = match code {
                StatusCode::Code(n) => (200..300).contains(n),
                StatusCode::Range(n) => *n == 2,
            };
            success
                && resolve(self.doc, response, at, "responses", |c| &c.responses).is_ok_and(
                    |(response, _)| {
                        response
                            .headers
                            .keys()
                            .any(|name| name.eq_ignore_ascii_case("link"))
                    },
                )
        })
    }

    /// The fields of the struct `ty` names, if it names one.
    fn struct_fields(&self, ty: &TypeRef) -> Option<&[crate::model::Field]> {
        match ty {
            TypeRef::Named(id) => match self.types[id.0].as_ref() {
                Some(TypeDef {
                    kind: TypeKind::Struct(s),
                    ..
                }) => Some(&s.fields),
                _ => None,
            },
            _ => None,
        }
    }

    /// The item type of the array at the JSON pointer `items` of a `page`, and the fields
    /// leading to it: through required properties, the last of them optional or not.
    fn items_at(&self, page: &TypeRef, items: &str) -> Option<(TypeRef, Vec<ItemsStep>)> {
        let mut ty = page;
        let mut steps: Vec<ItemsStep> = Vec::new();
        if !items.is_empty() {
            for token in items.strip_prefix('/')?.split('/') {
                let token = crate::diagnostics::unescape_token(token);
                if steps.last().is_some_and(|step| step.optional) {
                    return None;
                }
                let field = self
                    .struct_fields(ty)?
                    .iter()
                    .find(|f| f.wire_name == token)?;
                steps.push(ItemsStep {
                    wire_name: field.wire_name.clone(),
                    rust_name: field.rust_name.clone(),
                    optional: !field.required || field.nullable,
                });
                ty = &field.ty;
            }
        }
        match ty {
            TypeRef::Vec(item) => Some(((**item).clone(), steps)),
            _ => None,
        }
    }
}

/// Whether the operation has a query parameter of this wire name.
fn has_query(params: &[Parameter], name: &str) -> bool {
    params
        .iter()
        .any(|p| p.location == ParamLocation::Query && p.wire_name == name)
}

/// A property name as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
