//! The runtime under faults: timeouts, resets, truncated and oversized bodies, invalid UTF-8,
//! wrong content types, rate limits and retries, 503 storms, plus raw responses, the blocking
//! client and secrets in every error. The retry rules of idempotent requests are proven on
//! Truv's `GET`s (list and retrieve), those of a `POST` on `createWebhook`. (Tracing has a
//! test binary of its own: `tracing.rs`.) Every server binds 127.0.0.1 and stops when its
//! test ends; retry waits are configured short, and nothing asserts wall-clock time.

use std::time::Duration;

use futures::TryStreamExt as _;
use serde_json::json;
use tests::faults::{Fault, FaultServer, http_response};
use truv_client::types::{EnvType, WebhookCreateRequest};
use truv_client::{Client, Error, RetryPolicy, TransportErrorKind};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sandbox-5ecret-never-printed";

fn webhook_json() -> serde_json::Value {
    json!({
        "id": "48427a36d43c4d5aa6324bc06c692456",
        "name": "n",
        "webhook_url": "http://example.com/",
        "events": ["task-status-updated"],
        "env_type": "dev",
        "created_at": "2022-05-04T11:30:00.000Z",
        "updated_at": "2022-05-04T12:00:00.000Z"
    })
}

fn request() -> WebhookCreateRequest {
    WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url("https://hooks.example.com/truv")
        .env_type(EnvType::Sandbox)
        .build()
        .unwrap()
}

/// Fast retries, so that tests do not wait on production backoff.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn truv(uri: &str) -> Client {
    Client::builder("client-id", SECRET)
        .base_url(uri)
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

fn assert_no_secret(error: &(impl std::fmt::Debug + std::fmt::Display)) {
    let shown = format!("{error:?} {error} {error:#?}");
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let server = FaultServer::start(Fault::Slow(
        Duration::from_secs(5),
        http_response(
            "201 Created",
            "application/json",
            webhook_json().to_string().as_bytes(),
        ),
    ))
    .await;
    let client = Client::builder("client-id", SECRET)
        .base_url(server.uri())
        .timeout(Some(Duration::from_millis(200)))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert_eq!(error.attempts(), 1);
    assert_no_secret(&error);
}

/// A POST may have reached Truv before the reset: it is not repeated.
#[tokio::test]
async fn a_reset_post_is_not_repeated() {
    let server = FaultServer::start(Fault::Reset).await;
    let error = truv(&server.uri())
        .create_webhook(&request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests(), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let mut raw = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n".to_vec();
    raw.extend_from_slice(b"{\"id\": \"48427a36");
    let server = FaultServer::start(Fault::Raw(raw)).await;
    let error = truv(&server.uri())
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Body);
    assert_eq!(server.requests(), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_connect_failure_is_retried_even_for_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = truv(&uri).create_webhook(&request()).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    assert_eq!(
        error.attempts(),
        3,
        "a request that never left can be sent again"
    );
    assert!(error.is_retryable());
    assert_no_secret(&error);
}

fn throttled() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", "1")
        .set_body_json(json!({"error": {
            "code": "throttled",
            "message": "Request was throttled. Expected available in 1 second."
        }}))
}

#[tokio::test]
async fn create_webhook_is_not_repeated_after_429_unless_opted_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .mount(&server)
        .await;
    let client = truv(&server.uri());

    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status(), 429);
    assert_eq!(api.error_body().unwrap().error.code, "throttled");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert!(error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_no_secret(&error);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .mount(&server)
        .await;
    let opted_in = client.with_retry_policy(quick_retries().retry_non_idempotent(true));
    let webhook = opted_in.create_webhook(&request()).await.unwrap();
    assert_eq!(webhook.id, "48427a36d43c4d5aa6324bc06c692456");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn oversized_bodies_are_bounded() {
    let server = MockServer::start().await;
    let big = "x".repeat(10_000);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string(big.clone()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(big))
        .mount(&server)
        .await;
    let client = Client::builder("client-id", SECRET)
        .base_url(server.uri())
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::ResponseTooLarge(too_large) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(too_large.limit(), 1024);
    assert_no_secret(&error);

    // An error body is cut at the limit instead: its status still matters.
    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status(), 400);
    assert!(api.body_truncated());
    assert_eq!(api.body().len(), 1024);
}

#[tokio::test]
async fn invalid_utf8_is_a_decode_error_or_a_lossy_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(vec![0xff, 0xfe, b'{'], "application/json"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(vec![b'o', 0xff, b'k'], "text/plain"))
        .mount(&server)
        .await;
    let client = truv(&server.uri()).with_retry_policy(RetryPolicy::never());

    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.body(), "\u{fffd}\u{fffd}{");
    assert_no_secret(&error);

    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.body(), "o\u{fffd}k");
}

#[tokio::test]
async fn the_content_type_does_not_decide_decoding() {
    let server = MockServer::start().await;
    // Valid JSON labelled as HTML decodes: the body is what matters.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(webhook_json().to_string(), "text/html"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // An HTML page with a success status is a decode error that keeps the page.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = truv(&server.uri());
    assert!(client.create_webhook(&request()).await.is_ok());
    let error = client.create_webhook(&request()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.body(), "<html>maintenance</html>");
}

#[tokio::test]
async fn any_2xx_decodes_as_the_documented_body_with_raw_access() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-123")
                .set_body_json(webhook_json()),
        )
        .mount(&server)
        .await;
    let response = truv(&server.uri())
        .create_webhook(&request())
        .with_response()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "documented as 201; 200 still decodes"
    );
    assert_eq!(response.headers()["x-request-id"], "req-123");
    assert_eq!(response.body().env_type.as_str(), "dev");
}

#[tokio::test]
async fn configured_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("User-Agent", concat!("truv-client/", "0.1.0")))
        .and(header("X-Trace", "abc"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("client-id", SECRET)
        .base_url(server.uri())
        .default_header("X-Trace", "abc")
        .build()
        .unwrap();
    client.create_webhook(&request()).await.unwrap();
    assert!(!format!("{client:?}").contains(SECRET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_shares_types_and_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"error": {"code": "authentication_failed", "message": "no"}}),
            ),
        )
        .mount(&server)
        .await;
    let blocking = truv_client::blocking::Client::from_async(truv(&server.uri())).unwrap();
    // Called from inside an async runtime on purpose: the blocking client copes.
    let webhook = blocking.create_webhook(&request()).send().unwrap();
    assert_eq!(webhook.env_type, EnvType::Dev);
    let error = blocking.create_webhook(&request()).send().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[test]
fn the_blocking_client_works_without_a_runtime() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder("client-id", SECRET)
        .base_url(uri)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let blocking = truv_client::blocking::Client::from_async(client).unwrap();
    let error = blocking.create_webhook(&request()).send().unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_secret(&error);
}

/// The blocking client has the async one's surface: `builder` (finished by
/// `build_blocking`), calls with `send` and `with_response`, `with_retry_policy`,
/// `with_base_url`, `Clone`.
#[test]
fn the_blocking_client_has_the_async_surface() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(header("X-Access-Secret", SECRET))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("X-Request-Id", "req-1")
                    .set_body_json(webhook_json()),
            )
            .mount(&server)
            .await;
        server
    });
    let blocking = truv_client::blocking::Client::builder("client-id", SECRET)
        .base_url("http://127.0.0.1:9")
        .build_blocking()
        .unwrap()
        .with_base_url(&server.uri())
        .unwrap()
        .with_retry_policy(quick_retries());
    assert_eq!(blocking.base_url(), server.uri());
    assert_eq!(blocking.retry_policy(), &quick_retries());
    let clone = blocking.clone();
    let response = clone.create_webhook(&request()).with_response().unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-request-id"], "req-1");
    assert_eq!(response.body().env_type, EnvType::Dev);
    // Clones share the runtime: both work, from two threads at once.
    std::thread::scope(|scope| {
        let one = scope.spawn(|| blocking.create_webhook(&request()).send().unwrap());
        let two = scope.spawn(|| clone.create_webhook(&request()).send().unwrap());
        assert_eq!(one.join().unwrap(), two.join().unwrap());
    });
}

fn list_page(next: Option<&str>, id: &str) -> serde_json::Value {
    let mut webhook = webhook_json();
    webhook["id"] = json!(id);
    json!({"count": 2, "next": next, "previous": null, "results": [webhook]})
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_an_idempotent_operation() {
    let server = FaultServer::start(Fault::Reset).await;
    // GET is idempotent: all three attempts are made.
    let error = truv(&server.uri())
        .retrieve_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.requests(), 3);
    assert_no_secret(&error);
}

#[tokio::test]
async fn rate_limited_then_success_for_an_idempotent_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(None, "a")))
        .mount(&server)
        .await;
    let response = truv(&server.uri())
        .list_webhooks()
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().results[0].id, "a");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A page of a stream is an ordinary request: a throttled second page is retried, and the
/// walk goes on.
#[tokio::test]
async fn a_throttled_page_is_retried_inside_the_stream() {
    let server = MockServer::start().await;
    let next = format!("{}/v1/webhooks/?cursor=2", server.uri());
    Mock::given(method("GET"))
        .and(query_param("cursor", "2"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(None, "b")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(Some(&next), "a")))
        .mount(&server)
        .await;
    let ids: Vec<String> = truv(&server.uri())
        .list_webhooks()
        .items()
        .map_ok(|webhook| webhook.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_503_storm_ends_at_the_deadline_with_attempts_counted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .mount(&server)
        .await;
    let client = truv(&server.uri()).with_retry_policy(
        RetryPolicy::default()
            .max_attempts(1000)
            .backoff(Duration::from_millis(10), Duration::from_millis(40))
            .deadline(Some(Duration::from_millis(400))),
    );
    let error = client.retrieve_webhook("a1").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let attempts = error.attempts();
    assert!(
        (1..1000).contains(&attempts),
        "the deadline, not the attempt cap, ended it"
    );
    let received = server.received_requests().await.unwrap().len();
    assert_eq!(u32::try_from(received).unwrap(), attempts);
    assert!(
        error
            .to_string()
            .contains(&format!("after {attempts} attempt")),
        "{error}"
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_is_returned_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let error = truv(&server.uri()).list_webhooks().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
}
