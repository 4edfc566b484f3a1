//! The client in the user's own stack: `truv-client` sending through a transport the caller
//! wraps or replaces, hooks that see each attempt, and the `testing` feature's in-memory
//! transport, all through the generated crate's public API.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use truv_client::http;
use truv_client::operations::{CreateWebhook, ListWebhooks, RetrieveWebhook};
use truv_client::testing::{MockTransport, Reply};
use truv_client::transport::{AttemptInfo, Hooks, HttpTransport, Outcome, RequestBody, Sending};
use truv_client::types::{EnvType, Webhook, WebhookCreateRequest, WebhookEvent};
use truv_client::{Client, Error, RetryPolicy, TransportErrorKind};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "4f1c5a0e2d7b4b8e9a3c6d5e7f809a1b";
const SECRET: &str = "sandbox-9d8c7b6a5f4e3d2c1b0a";

fn request() -> WebhookCreateRequest {
    WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url("https://hooks.example.com/truv")
        .env_type(EnvType::Sandbox)
        .events([WebhookEvent::TaskStatusUpdated])
        .build()
        .unwrap()
}

fn webhook() -> Webhook {
    serde_json::from_value(json!({
        "id": "48427a36d43c4d5aa6324bc06c692456",
        "name": "Payroll updates",
        "webhook_url": "https://hooks.example.com/truv",
        "events": ["task-status-updated"],
        "env_type": "sandbox",
        "created_at": "2022-05-04T11:30:00.000Z",
        "updated_at": "2022-05-04T12:00:00.000Z"
    }))
    .unwrap()
}

/// Retries without waiting: the tests count attempts, not time.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1))
}

/// A transport wrapper as a user writes one: adds a header, counts what it sends.
struct Tagging {
    inner: Arc<dyn HttpTransport>,
    sent: Arc<AtomicU32>,
}

impl HttpTransport for Tagging {
    fn send(&self, mut request: http::Request<RequestBody>) -> Sending<'_> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        request
            .headers_mut()
            .insert("x-team", http::HeaderValue::from_static("payments"));
        self.inner.send(request)
    }
}

#[tokio::test]
async fn a_wrapping_transport_adds_a_header_and_counts_each_attempt_of_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .and(header("x-team", "payments"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .and(header("x-team", "payments"))
        .and(header("X-Access-Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 0, "next": null, "previous": null, "results": []
        })))
        .expect(1)
        .mount(&server)
        .await;
    let sent = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&sent);
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(server.uri())
        .retry_policy(quick_retries())
        .wrap_transport(move |inner| Tagging {
            inner,
            sent: Arc::clone(&counter),
        })
        .build()
        .unwrap();

    let page = client.list_webhooks().await.unwrap();

    assert!(page.results.is_empty());
    // The retry went through the wrapper too: it sits under the client's retry loop.
    assert_eq!(sent.load(Ordering::SeqCst), 2);
}

/// A hook that writes down what it is shown, as a metrics or logging hook would.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
}

impl Hooks for Recorder {
    fn before_send(&self, attempt: &AttemptInfo, request: &mut http::Request<RequestBody>) {
        // All a hook can print of the request: what it is given.
        self.seen.lock().unwrap().push(format!(
            "before {} {} {} #{} {:?}",
            attempt.operation, attempt.method, attempt.path, attempt.attempt, request
        ));
        request
            .headers_mut()
            .insert("x-signed", http::HeaderValue::from_static("sig-1"));
    }

    fn after_response(&self, attempt: &AttemptInfo, outcome: Outcome<'_>) {
        let line = match outcome {
            Outcome::Response { status, headers } => {
                format!(
                    "after {} #{} {status} {headers:?}",
                    attempt.operation, attempt.attempt
                )
            }
            Outcome::Failed { kind } => {
                format!("after {} #{} {kind:?}", attempt.operation, attempt.attempt)
            }
            _ => format!("after {} #{}", attempt.operation, attempt.attempt),
        };
        self.seen.lock().unwrap().push(line);
    }
}

#[tokio::test]
async fn hooks_see_operation_template_and_attempt_but_never_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/48427a36d43c4d5aa6324bc06c692456/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // What a hook adds is sent: a signing hook's header arrives.
    Mock::given(method("GET"))
        .and(header("x-signed", "sig-1"))
        .and(header("X-Access-Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "48427a36d43c4d5aa6324bc06c692456",
            "name": "n",
            "webhook_url": "https://hooks.example.com/truv",
            "events": [],
            "env_type": "sandbox",
            "created_at": "2022-05-04T11:30:00.000Z",
            "updated_at": "2022-05-04T12:00:00.000Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(server.uri())
        .retry_policy(quick_retries())
        .hooks(Arc::clone(&recorder))
        .build()
        .unwrap();

    client
        .retrieve_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap();

    let seen = recorder.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4, "{seen:#?}");
    assert!(
        seen[0].starts_with("before retrieveWebhook GET /v1/webhooks/{webhook_id}/ #1"),
        "{}",
        seen[0]
    );
    assert!(
        seen[1].starts_with("after retrieveWebhook #1 503"),
        "{}",
        seen[1]
    );
    assert!(seen[2].starts_with("before retrieveWebhook GET /v1/webhooks/{webhook_id}/ #2"));
    assert!(
        seen[3].starts_with("after retrieveWebhook #2 200"),
        "{}",
        seen[3]
    );
    for line in &seen {
        assert!(
            !line.contains(SECRET),
            "a hook was shown the secret: {line}"
        );
    }
}

/// The adapter a user writes once: a `tower::Service` as the client's transport.
struct Tower<S>(S);

impl<S> HttpTransport for Tower<S>
where
    S: tower::Service<
            http::Request<RequestBody>,
            Response = http::Response<truv_client::transport::ResponseBody>,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send,
{
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        let service = self.0.clone();
        Box::pin(async move {
            match tower::ServiceExt::oneshot(service, request).await {
                Ok(response) => Ok(response),
                Err(never) => match never {},
            }
        })
    }
}

#[tokio::test]
async fn a_tower_service_can_be_the_transport() {
    use tower::ServiceBuilder;

    // A tower stack under the client: a `map_request` layer over a service that answers
    // from memory (a real one would be hyper's client).
    let service = ServiceBuilder::new()
        .map_request(|mut request: http::Request<RequestBody>| {
            request
                .headers_mut()
                .insert("x-layer", http::HeaderValue::from_static("on"));
            request
        })
        .service_fn(|request: http::Request<RequestBody>| async move {
            let layered = request.headers().contains_key("x-layer");
            let status = if layered { 204 } else { 500 };
            Ok::<_, std::convert::Infallible>(
                http::Response::builder()
                    .status(status)
                    .body(truv_client::transport::ResponseBody::empty())
                    .unwrap(),
            )
        });

    let client = Client::builder(CLIENT_ID, SECRET)
        .transport(Tower(service))
        .build()
        .unwrap();
    client
        .delete_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap();
}

// ---- The `testing` feature: code under test, and its tests, with no server.

/// Code a user writes against the client: registers the service's webhook once, reusing one
/// that is already there.
async fn ensure_webhook(client: &Client, url: &str) -> Result<String, Error> {
    let existing = client.list_webhooks().await?;
    if let Some(found) = existing.results.iter().find(|w| w.webhook_url == url) {
        return Ok(found.id.clone());
    }
    let request = WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url(url)
        .env_type(EnvType::Sandbox)
        .events([WebhookEvent::TaskStatusUpdated])
        .build()
        .map_err(Error::InvalidRequest)?;
    Ok(client.create_webhook(&request).await?.id)
}

fn mocked(mock: &MockTransport) -> Client {
    Client::builder(CLIENT_ID, SECRET)
        .transport(mock.clone())
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn user_code_is_tested_with_typed_replies_and_no_socket() {
    let mock = MockTransport::new();
    let _ = mock.on::<ListWebhooks>().reply(Reply::json(
        200,
        &json!({"count": 0, "next": null, "previous": null, "results": []}),
    ));
    let _ = mock.on::<CreateWebhook>().returns(201, &webhook());

    let id = ensure_webhook(&mocked(&mock), "https://hooks.example.com/truv")
        .await
        .unwrap();

    assert_eq!(id, "48427a36d43c4d5aa6324bc06c692456");
    let sent = mock.requests_for::<CreateWebhook>();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), http::Method::POST);
    assert_eq!(sent[0].path(), "/v1/webhooks/");
    // The typed request that was sent, decoded from its body.
    assert_eq!(sent[0].json::<WebhookCreateRequest>().unwrap(), request());
    // The credential headers (both of Truv's schemes) are there, their values not.
    assert_eq!(sent[0].header("X-Access-Client-Id"), Some("<redacted>"));
    assert_eq!(sent[0].header("X-Access-Secret"), Some("<redacted>"));
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert!(mock.unused().is_empty());
}

#[tokio::test]
async fn a_status_or_a_transport_failure_reaches_user_code_as_the_client_reports_it() {
    let mock = MockTransport::new();
    // A refused connection is retried (it never carried the request); a 401 is not.
    let _ = mock
        .on::<ListWebhooks>()
        .reply(Reply::failure(TransportErrorKind::Connect))
        .reply(Reply::json(
            401,
            &json!({"error": {"code": "authentication_failed", "message": "no"}}),
        ));

    let error = ensure_webhook(&mocked(&mock), "https://hooks.example.com/truv")
        .await
        .unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(api.attempts(), 2);
    let sent = mock.requests();
    assert_eq!(
        sent.iter()
            .map(|s| (s.operation(), s.attempt()))
            .collect::<Vec<_>>(),
        [("listWebhooks", 1), ("listWebhooks", 2)]
    );
    // No reply queued: a clear failure, not a hang or a panic.
    let error = mocked(&mock)
        .retrieve_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap_err();
    assert!(
        format!("{error:?}").contains("no reply queued for operation `retrieveWebhook`"),
        "{error:?}"
    );
    // A `GET` is safe to repeat: retried, as any failure of its kind, up to the policy's
    // three attempts.
    assert_eq!(mock.requests_for::<RetrieveWebhook>().len(), 3);
}

#[tokio::test]
async fn nothing_a_test_double_records_or_prints_holds_the_secret() {
    let mock = MockTransport::new();
    let _ = mock.on::<CreateWebhook>().returns(201, &webhook());
    let client = mocked(&mock);
    client.create_webhook(&request()).await.unwrap();
    let shown = format!("{:?} {:?} {:?}", mock, mock.requests(), client);
    assert!(!shown.contains(SECRET), "{shown}");
}

#[test]
fn the_blocking_client_takes_the_same_transport() {
    let mock = MockTransport::new();
    let _ = mock.on::<CreateWebhook>().returns(201, &webhook());
    let client = Client::builder(CLIENT_ID, SECRET)
        .transport(mock.clone())
        .build_blocking()
        .unwrap();
    let created = client.create_webhook(&request()).send().unwrap();
    assert_eq!(created, webhook());
    assert_eq!(mock.requests().len(), 1);
}

/// A transport that answers after a moment and writes down the most requests it ever had
/// at once.
#[derive(Default)]
struct Gauge {
    now: AtomicU32,
    most: AtomicU32,
}

impl HttpTransport for Gauge {
    fn send(&self, _: http::Request<RequestBody>) -> Sending<'_> {
        Box::pin(async move {
            let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(2)).await;
            self.now.fetch_sub(1, Ordering::SeqCst);
            Ok(http::Response::builder()
                .status(204)
                .body(truv_client::transport::ResponseBody::empty())
                .unwrap())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_calls_stays_within_the_bound_the_caller_set() {
    let gauge = Arc::new(Gauge::default());
    let client = Client::builder(CLIENT_ID, SECRET)
        .transport(Arc::clone(&gauge))
        .max_in_flight(16)
        .build()
        .unwrap();
    let calls = (0..2_000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .delete_webhook("48427a36d43c4d5aa6324bc06c692456")
                .await
        })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    let most = gauge.most.load(Ordering::SeqCst);
    assert!(most <= 16, "{most} requests were in flight at once");
    // And the bound is a bound, not a queue of one.
    assert!(most > 1, "{most}");

    let refused = Client::builder(CLIENT_ID, SECRET).max_in_flight(0).build();
    assert_eq!(
        refused.unwrap_err().kind(),
        &truv_client::ConfigErrorKind::Zero
    );
}

#[tokio::test]
async fn a_given_http_client_that_follows_a_redirect_to_another_origin_is_refused() {
    let (home, elsewhere) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/taken", elsewhere.uri())),
        )
        .mount(&home)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&elsewhere)
        .await;
    // reqwest's own default policy follows redirects: the mistake the error explains.
    let following = reqwest::Client::new();
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(home.uri())
        .http_client(following)
        .build()
        .unwrap();
    let error = client
        .delete_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Other);
    // The cause says what happened and how to configure the client.
    let mut shown = format!("{error} {error:?}");
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        let _ = write!(shown, " / {inner}");
        cause = inner.source();
    }
    assert!(
        shown.contains("followed a redirect to another origin"),
        "{shown}"
    );
    assert!(shown.contains("Policy::none()"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}
