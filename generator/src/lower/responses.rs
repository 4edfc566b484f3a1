//! Responses: what an operation's success responses carry, what its error responses decode
//! as, and the per-operation enums by status when their bodies differ.

use openapiv3::{Operation as SpecOperation, StatusCode};

use super::http::{
    Streamed, error_status_name, is_json, is_success, is_text, status_name, status_text,
    stream_framing,
};
use super::refs::resolve;
use super::{Direction, Lowerer};
use crate::diagnostics::pointer;
use crate::model::{
    Docs, ErrorCase, ErrorStatus, Payload, ResponseCase, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::Scope;

impl<'a> Lowerer<'a> {
    /// What a success response carries, its `Accept` header, and what an error response
    /// decodes as, after documenting every response. Problems are reported as diagnostics,
    /// which make the caller drop the operation.
    pub(super) fn responses(
        &mut self,
        op: &'a SpecOperation,
        at: &str,
        type_hint: &str,
        id: &str,
        docs: &mut Docs,
    ) -> (Payload, String, TypeRef) {
        let mut successes: Vec<(Option<u16>, String, Payload, String)> = Vec::new();
        let mut errors: Vec<(ErrorStatus, String, Payload, String)> = Vec::new();
        let mut accept: Vec<String> = Vec::new();
        let mut lines = Vec::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        // Inline error schemas are named after their status when there are several.
        let error_count = op
            .responses
            .responses
            .keys()
            .filter(|code| !is_success(code))
            .count()
            + usize::from(op.responses.default.is_some());
        for (code, response) in entries {
            let code_text = code.map_or_else(|| "default".to_owned(), status_text);
            let here = pointer(at, &["responses", &code_text]);
            let (response, here) =
                match resolve(self.doc, response, &here, "responses", |c| &c.responses) {
                    Ok(found) => found,
                    Err(diagnostic) => {
                        self.diagnostics.push(diagnostic);
                        continue;
                    }
                };
            let description = response
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(format!("- `{code_text}`: {description}"));
            // A success: `Some(code)`, or `Some(None)` for `2XX`.
            let status = code.filter(|code| is_success(code)).map(|code| match code {
                StatusCode::Code(n) => Some(*n),
                StatusCode::Range(_) => None,
            });
            let Some(status) = status else {
                let error_status = match code {
                    Some(StatusCode::Code(n)) => ErrorStatus::Code(*n),
                    Some(StatusCode::Range(n)) => ErrorStatus::Range(*n),
                    None => ErrorStatus::Default,
                };
                let hint = if error_count > 1 {
                    format!("{type_hint}{}", error_status_name(error_status))
                } else {
                    format!("{type_hint}Error")
                };
                // Error media types are not success media types: `Accept` stays as it is.
                let payload = self
                    .response_payload(response, &here, hint, &mut Vec::new())
                    .buffered();
                errors.push((error_status, code_text, payload, description));
                continue;
            };
            let hint = match status {
                Some(n) if n != 200 && n != 201 => format!("{type_hint}Response{n}"),
                _ => format!("{type_hint}Response"),
            };
            let payload = self.response_payload(response, &here, hint, &mut accept);
            successes.push((status, code_text, payload, description));
        }
        if !lines.is_empty() {
            docs.push(format!("Responses:\n\n{}", lines.join("\n")));
        }
        let accept = if accept.is_empty() {
            "application/json".to_owned()
        } else {
            accept.join(", ")
        };
        let error = self.error_type(at, type_hint, id, errors);
        let mut distinct: Vec<&Payload> = Vec::new();
        for (_, _, payload, _) in &successes {
            if !distinct.contains(&payload) {
                distinct.push(payload);
            }
        }
        let success = match distinct.as_slice() {
            [] => Payload::Empty,
            [only] => (*only).clone(),
            _ => {
                let mut names = Scope::default();
                let cases = successes
                    .into_iter()
                    .map(|(status, code_text, payload, description)| {
                        let mut docs = Docs::default();
                        docs.push(format!("`{code_text}`: {description}"));
                        ResponseCase {
                            status,
                            rust_name: names.claim(status_name(status)),
                            // One case of several is read whole.
                            payload: payload.buffered(),
                            docs,
                        }
                    })
                    .collect();
                Payload::Several(self.status_enum(
                    at,
                    format!("{type_hint}Response"),
                    format!("The success responses of `{id}`, by status."),
                    TypeKind::Responses(cases),
                ))
            }
        };
        (success, accept, error)
    }

    /// What an operation's error responses decode as: the JSON type they all share (statuses
    /// without a body aside), free-form JSON when none documents a JSON body, else an enum
    /// with a variant per documented status.
    fn error_type(
        &mut self,
        at: &str,
        type_hint: &str,
        id: &str,
        errors: Vec<(ErrorStatus, String, Payload, String)>,
    ) -> TypeRef {
        let mut distinct: Vec<&Payload> = Vec::new();
        for (_, _, payload, _) in &errors {
            if *payload != Payload::Empty && !distinct.contains(&payload) {
                distinct.push(payload);
            }
        }
        match distinct.as_slice() {
            [Payload::Json(shared)] => return shared.clone(),
            [] | [Payload::Text | Payload::Bytes] => return TypeRef::Json,
            _ => {}
        }
        let mut names = Scope::default();
        let mut cases: Vec<ErrorCase> = errors
            .into_iter()
            .map(|(status, code_text, payload, description)| {
                let mut docs = Docs::default();
                docs.push(format!("`{code_text}`: {description}"));
                ErrorCase {
                    status,
                    rust_name: names.claim(error_status_name(status)),
                    payload,
                    docs,
                }
            })
            .collect();
        // The order decoding tries them in: exact statuses, then ranges, then `default`.
        cases.sort_by_key(|case| case.status);
        TypeRef::Named(self.status_enum(
            at,
            format!("{type_hint}Error"),
            format!("The error responses of `{id}`, by status."),
            TypeKind::Errors(cases),
        ))
    }

    /// Defines an operation's enum of responses by status (its success or error responses).
    fn status_enum(&mut self, at: &str, name: String, doc: String, kind: TypeKind) -> TypeId {
        let type_id = TypeId(self.types.len());
        let ctx = self.op_ctx(pointer(at, &["responses"]), Direction::Response, name);
        let name = self.type_name(&ctx);
        let mut docs = Docs::default();
        docs.push(doc);
        self.types.push(Some(TypeDef {
            name,
            docs,
            pointer: pointer(at, &["responses"]),
            example: None,
            kind,
            features: Vec::new(),
            module: ctx.module,
        }));
        type_id
    }

    /// The payload of a streamed media type of a success response.
    fn stream_payload(
        &mut self,
        media: &str,
        content: &'a openapiv3::MediaType,
        here: &str,
        hint: &str,
    ) -> Payload {
        // The type of the media type's `schema`, named after the operation with `suffix`.
        let mut schema_type = |suffix: &str| {
            let schema = content.schema.as_ref()?;
            let ctx = self.op_ctx(
                pointer(here, &["content", media, "schema"]),
                Direction::Response,
                format!("{hint}{suffix}"),
            );
            Some(self.schema_type(schema.into(), &ctx))
        };
        match stream_framing(media) {
            // The loader puts the type of a 3.2 `itemSchema`'s `data` in `schema`, and marks it.
            Some(Streamed::Events) if content.extensions.contains_key(crate::load::EVENT_DATA) => {
                Payload::Events(schema_type("Data"))
            }
            Some(Streamed::Events) => Payload::Events(None),
            Some(Streamed::Values(framing)) => {
                Payload::JsonStream(schema_type("Item").unwrap_or(TypeRef::Json), framing)
            }
            None => Payload::Bytes,
        }
    }

    /// The stream an operation's one success response also offers beside JSON (an API that
    /// answers `Accept: text/event-stream` with events and `application/json` with the whole
    /// result), with its media type: the operation gets a second method for it.
    pub(super) fn stream_alternative(
        &mut self,
        op: &'a SpecOperation,
        at: &str,
        type_hint: &str,
    ) -> Option<(Payload, String)> {
        let mut successes = op
            .responses
            .responses
            .iter()
            .filter(|(code, _)| is_success(code));
        let (code, response) = successes.next()?;
        if successes.next().is_some() {
            return None;
        }
        let here = pointer(at, &["responses", &status_text(code)]);
        let (response, here) =
            resolve(self.doc, response, &here, "responses", |c| &c.responses).ok()?;
        response.content.keys().find(|m| is_json(m))?;
        let (media, content) = response
            .content
            .iter()
            .find(|(m, _)| stream_framing(m).is_some())?;
        let hint = format!("{type_hint}Stream");
        Some((
            self.stream_payload(media, content, &here, &hint),
            media.clone(),
        ))
    }

    /// The payload of one success response, preferring JSON, then a stream (server-sent
    /// events, JSON lines or sequences), then text, then bytes.
    fn response_payload(
        &mut self,
        response: &'a openapiv3::Response,
        here: &str,
        hint: String,
        accept: &mut Vec<String>,
    ) -> Payload {
        let mut note = |media: &str| {
            if !accept.iter().any(|m| m == media) {
                accept.push(media.to_owned());
            }
        };
        if let Some((media, content)) = response.content.iter().find(|(m, _)| is_json(m)) {
            note(media);
            return match &content.schema {
                Some(schema) => {
                    let ctx = self.op_ctx(
                        pointer(here, &["content", media, "schema"]),
                        Direction::Response,
                        hint,
                    );
                    Payload::Json(self.schema_type(schema.into(), &ctx))
                }
                None => Payload::Json(TypeRef::Json),
            };
        }
        if let Some((media, content)) = response
            .content
            .iter()
            .find(|(m, _)| stream_framing(m).is_some())
        {
            note(media);
            return self.stream_payload(media, content, here, &hint);
        }
        if let Some((media, _)) = response.content.iter().find(|(m, _)| is_text(m)) {
            note(media);
            return Payload::Text;
        }
        match response.content.keys().next() {
            Some(media) => {
                note(media);
                Payload::Bytes
            }
            None => Payload::Empty,
        }
    }
}
