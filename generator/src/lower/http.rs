//! HTTP tables: status codes and media types, as lowering reads them. Pure functions of
//! their argument, with no lowering state.

use openapiv3::StatusCode;

use crate::model::{ErrorStatus, Method};

/// Whether a response key is a success: a 2xx code or `2XX`.
pub(super) fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(n) => (200..300).contains(n),
        StatusCode::Range(n) => *n == 2,
    }
}

/// A response key as the spec writes it (`404`, `4XX`), for pointers and docs.
pub(super) fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

/// The variant name of an error status: its reason phrase where HTTP gives one.
pub(super) fn error_status_name(status: ErrorStatus) -> String {
    let code = match status {
        ErrorStatus::Code(code) => code,
        ErrorStatus::Range(1) => return "Informational".to_owned(),
        ErrorStatus::Range(3) => return "Redirection".to_owned(),
        ErrorStatus::Range(4) => return "ClientError".to_owned(),
        ErrorStatus::Range(5) => return "ServerError".to_owned(),
        ErrorStatus::Range(n) => return format!("Status{n}xx"),
        ErrorStatus::Default => return "Default".to_owned(),
    };
    let phrase = match code {
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableContent",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    phrase.to_owned()
}

/// The conventional variant name for a success status (`None` is `2XX`).
pub(super) fn status_name(status: Option<u16>) -> String {
    match status {
        Some(200) => "Ok".to_owned(),
        Some(201) => "Created".to_owned(),
        Some(202) => "Accepted".to_owned(),
        Some(203) => "NonAuthoritative".to_owned(),
        Some(204) => "NoContent".to_owned(),
        Some(205) => "ResetContent".to_owned(),
        Some(206) => "PartialContent".to_owned(),
        Some(n) => format!("Status{n}"),
        None => "OtherSuccess".to_owned(),
    }
}

/// A media type without its parameters (`; charset=...`), lowercased: media types compare
/// case-insensitively.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Media types read as text: `text/*` and XML, which a `String` holds better than bytes.
pub(super) fn is_text(media: &str) -> bool {
    let essence = essence(media);
    essence.starts_with("text/") || essence.ends_with("/xml") || essence.ends_with("+xml")
}

/// A media type that is streamed.
pub(super) enum Streamed {
    /// Server-sent events.
    Events,
    /// JSON values, each of the media type's `schema` (a 3.2 `itemSchema` is put there when
    /// the document is read).
    Values(crate::model::StreamFraming),
}

/// Whether a media type is streamed, and how.
pub(super) fn stream_framing(media: &str) -> Option<Streamed> {
    use crate::model::StreamFraming;
    match essence(media).as_str() {
        "text/event-stream" => Some(Streamed::Events),
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(Streamed::Values(StreamFraming::Lines))
        }
        "application/json-seq" => Some(Streamed::Values(StreamFraming::Records)),
        _ => None,
    }
}

pub(super) fn is_form(media: &str) -> bool {
    essence(media) == "application/x-www-form-urlencoded"
}

pub(super) fn is_multipart(media: &str) -> bool {
    essence(media).starts_with("multipart/")
}

/// `application/json` and its structured-suffix kin (`application/problem+json`).
pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// The method of a path item's key; `openapiv3` yields only these eight, so the last arm is
/// `trace`.
pub(super) fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// One of OpenAPI 3.2's operations beyond the eight fixed fields (`query`, an
/// `additionalOperations` entry), as the loader left it under
/// [`EXTRA_OPERATIONS`](crate::load::EXTRA_OPERATIONS).
pub(crate) struct ExtraOperation {
    /// The key it has there: the method as sent.
    pub(crate) key: String,
    /// The method, or why the key is not one a client can send.
    pub(crate) method: Result<Method, String>,
    /// The operation, or why it cannot be read.
    pub(crate) operation: Result<openapiv3::Operation, String>,
}

/// The extra operations of a path item, in the order written.
pub(crate) fn extra_operations(item: &openapiv3::PathItem) -> Vec<ExtraOperation> {
    let Some(serde_json::Value::Object(extra)) = item.extensions.get(crate::load::EXTRA_OPERATIONS)
    else {
        return Vec::new();
    };
    extra
        .iter()
        .map(|(key, value)| ExtraOperation {
            key: key.clone(),
            method: extra_method(key),
            operation: <openapiv3::Operation as serde::Deserialize>::deserialize(value)
                .map_err(|e| format!("not a valid operation: {e}")),
        })
        .collect()
}

/// The method an extra operation's key names: `QUERY` (the loader's key for the `query`
/// field), or an `additionalOperations` method, which must be an HTTP token (RFC 9110,
/// section 5.6.2) and no method a fixed field describes.
fn extra_method(key: &str) -> Result<Method, String> {
    if key == "QUERY" {
        return Ok(Method::Query);
    }
    let token = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(format!(
            "`{key}` is not an HTTP method name (an RFC 9110 token)"
        ));
    }
    let field = key.to_ascii_lowercase();
    if crate::load::METHODS.contains(&field.as_str()) || field == "query" {
        return Err(format!(
            "`{key}` belongs in the path item's `{field}` field, not in `additionalOperations`"
        ));
    }
    Ok(Method::Extension(key.to_owned()))
}
