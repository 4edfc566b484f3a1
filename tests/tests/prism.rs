//! The generated `truv-client` against Prism, a mock server that is the spec itself: Prism
//! rejects any request the spec does not allow and answers with responses built from it.
//!
//! Ignored by default because they need Node and `npm ci --prefix tools`; `cargo xtask ci`
//! installs the tools and runs them with `cargo test -p tests --test prism -- --ignored`.
//! Each test starts its own Prism on 127.0.0.1 and stops it when it ends.
//!
//! Prism also plays the `createWebhook` callback: after a create it POSTs a delivery to the
//! `webhook_url` of the request. Every create here therefore names a receiver on 127.0.0.1
//! (a wiremock server of the test), never a host elsewhere.

use std::time::{Duration, Instant};

use futures::TryStreamExt as _;
use serde_json::json;
use tests::prism::Prism;
use time::macros::datetime;
use truv_client::types::{
    EnvType, Webhook, WebhookCreateRequest, WebhookDelivery, WebhookEvent, WebhookUpdateRequest,
    retrieve_webhook,
};
use truv_client::{Client, Error, OrUnknown, VerifyError};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The credentials Prism requires (it checks the security schemes are present, not their
/// values).
const CLIENT_ID: &str = "client-id";
const SECRET: &str = "sandbox-secret";

const PATH: &str = "/v1/webhooks/";

/// How many randomly generated responses to decode: each run draws different values.
const DYNAMIC_RUNS: usize = 10;

/// Starts Prism. Failures that carry Prism's log panic with it: a returned `Err` would be
/// printed with `Debug`, every newline of the log escaped onto one line.
fn start() -> Prism {
    Prism::start(&tests::workspace_root()).unwrap_or_else(|e| panic!("{e}"))
}

/// What Prism answered to a request sent past the client.
struct RawResponse {
    status: reqwest::StatusCode,
    /// The `sl-violations` header, Prism's list of what it found wrong with the request.
    violations: Option<String>,
    body: Vec<u8>,
}

impl RawResponse {
    fn describe(&self) -> String {
        format!(
            "status {}, sl-violations {:?}, body {}",
            self.status,
            self.violations,
            String::from_utf8_lossy(&self.body)
        )
    }
}

/// A receiver on 127.0.0.1 for the deliveries Prism sends after a create.
async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The receiver's URL, as a webhook URL.
fn hook_url(receiver: &MockServer) -> String {
    format!("{}/truv", receiver.uri())
}

/// A request body the spec allows, with a `name` of `name_length` characters.
fn body_with_name_length(name_length: usize, webhook_url: &str) -> serde_json::Value {
    json!({
        "name": "x".repeat(name_length),
        "webhook_url": webhook_url,
        "env_type": "sandbox",
        "events": ["task-status-updated"]
    })
}

/// POSTs `body` to Prism directly, bypassing the client (and its checks), with both
/// credentials set: Prism answers a request without them with 401 before looking at the body.
async fn post_raw(
    prism: &Prism,
    body: &serde_json::Value,
    prefer: Option<&str>,
) -> Result<RawResponse, Box<dyn std::error::Error>> {
    let http = reqwest::Client::builder().build()?;
    let mut request = http
        .post(format!("{}{PATH}", prism.base_url()))
        .header("X-Access-Client-Id", CLIENT_ID)
        .header("X-Access-Secret", SECRET)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(serde_json::to_vec(body)?);
    if let Some(prefer) = prefer {
        request = request.header("Prefer", prefer);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    let status = response.status();
    let violations = response
        .headers()
        .get("sl-violations")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    Ok(RawResponse {
        status,
        violations,
        body: body.to_vec(),
    })
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn create_webhook_is_accepted_by_the_spec_and_decodes_its_201_example() -> TestResult {
    let prism = start();
    let receiver = receiver().await;
    let client = Client::new(CLIENT_ID, SECRET)?.with_base_url(&prism.base_url())?;
    let body = WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url(hook_url(&receiver))
        .env_type(EnvType::Sandbox)
        .events([WebhookEvent::TaskStatusUpdated])
        .build()?;

    // Prism answers a request it finds invalid with the documented 400, which the client
    // turns into `Error::Api`; success means the request the client built fits the spec.
    let webhook = client
        .create_webhook(&body)
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));

    // The operation documents one success status, 201, and Prism's static answer is its
    // example: getting that example back shows the 201 response was the one decoded.
    assert_eq!(webhook.id, "48427a36d43c4d5aa6324bc06c692456");
    assert_eq!(webhook.name, "<string>");
    assert_eq!(webhook.webhook_url, "http://example.com/");
    assert_eq!(
        webhook.events,
        [
            OrUnknown::Known(WebhookEvent::TaskStatusUpdated),
            OrUnknown::Known(WebhookEvent::OrderStatusUpdated),
        ]
    );
    assert_eq!(webhook.env_type, OrUnknown::Known(EnvType::Dev));
    assert_eq!(webhook.created_at, datetime!(2022-05-04 11:30:00 UTC));
    assert_eq!(webhook.updated_at, datetime!(2022-05-04 12:00:00 UTC));
    Ok(())
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn randomly_generated_201_responses_decode_as_webhook() -> TestResult {
    let prism = start();
    let receiver = receiver().await;
    // `Prefer: dynamic=true` makes Prism generate every response from the schema instead of
    // returning the example: random strings, dates, enum values, extra properties.
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(prism.base_url())
        .default_header("Prefer", "dynamic=true")
        .build()?;
    let body = WebhookCreateRequest::builder()
        .name("x".repeat(15))
        .webhook_url(hook_url(&receiver))
        .env_type(EnvType::Sandbox)
        .build()?;
    for run in 1..=DYNAMIC_RUNS {
        let response = client
            .create_webhook(&body)
            .with_response()
            .await
            .unwrap_or_else(|e| panic!("{}", prism.explain(format!("run {run}: {e}"))));
        // Getting here means the random body decoded as `Webhook` (a failure is
        // `Error::Decode`, which panics above with the body).
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    // The same through raw HTTP, to see the generated body itself decode.
    let raw = post_raw(
        &prism,
        &body_with_name_length(15, &hook_url(&receiver)),
        Some("dynamic=true"),
    )
    .await?;
    assert_eq!(
        raw.status,
        reqwest::StatusCode::CREATED,
        "{}",
        raw.describe()
    );
    if let Err(e) = serde_json::from_slice::<Webhook>(&raw.body) {
        panic!(
            "{}",
            prism.explain(format!(
                "generated body does not decode: {e}\n{}",
                raw.describe()
            ))
        );
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn prism_rejects_a_body_that_breaks_the_spec() -> TestResult {
    let prism = start();
    let receiver = receiver().await;
    let url = hook_url(&receiver);

    // The longest `name` the spec allows (`WebhookName.maxLength` is 128) passes...
    let response = post_raw(&prism, &body_with_name_length(128, &url), None).await?;
    assert_eq!(
        response.status,
        reqwest::StatusCode::CREATED,
        "{}",
        prism.explain(format!("a 128-character name: {}", response.describe()))
    );

    // ...and a longer one, which the client's builder would refuse before sending, is
    // refused by Prism: it is checking requests, so the other tests' successes mean something.
    // Prism answers an invalid request with the operation's documented 422, else its 400 (the
    // one Truv documents), and makes up a 422 only when neither exists; either way it lists
    // what it found in the `sl-violations` header.
    let response = post_raw(&prism, &body_with_name_length(200, &url), None).await?;
    let explained = prism.explain(format!("a 200-character name: {}", response.describe()));
    assert_eq!(
        response.status,
        reqwest::StatusCode::BAD_REQUEST,
        "{explained}"
    );
    let violations: serde_json::Value = response
        .violations
        .as_deref()
        .and_then(|header| serde_json::from_str(header).ok())
        .unwrap_or_else(|| panic!("no readable sl-violations header\n{explained}"));
    let on_name = violations.as_array().is_some_and(|all| {
        all.iter().any(|violation| {
            violation["location"] == json!(["request", "body", "name"])
                && violation["code"] == "maxLength"
        })
    });
    assert!(on_name, "no maxLength violation on the name\n{explained}");
    Ok(())
}

/// The example page of the list decodes, and its stream ends with that one page (`next`
/// is null).
#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn list_webhooks_and_its_stream_follow_the_spec() -> TestResult {
    let prism = start();
    let client = Client::new(CLIENT_ID, SECRET)?.with_base_url(&prism.base_url())?;
    let page = client
        .list_webhooks()
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    assert_eq!(page.count, Some(1));
    assert_eq!(page.next, None);
    assert_eq!(page.results[0].enabled, Some(true));
    let all: Vec<Webhook> = client
        .list_webhooks()
        .items()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, "48427a36d43c4d5aa6324bc06c692456");
    Ok(())
}

/// Retrieve, update and delete: Prism accepts the requests the client builds (path, method,
/// PATCH body) and the answers decode.
#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn retrieve_update_and_delete_follow_the_spec() -> TestResult {
    let prism = start();
    let client = Client::new(CLIENT_ID, SECRET)?.with_base_url(&prism.base_url())?;
    let id = "48427a36d43c4d5aa6324bc06c692456";
    let webhook = client
        .retrieve_webhook(id)
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    assert_eq!(webhook.id, id);
    let change = WebhookUpdateRequest::builder()
        .enabled(true)
        .events([WebhookEvent::OrderCreated])
        .build()?;
    let updated = client
        .update_webhook(id, &change)
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    assert_eq!(updated.enabled, Some(true));
    let deleted = client
        .delete_webhook(id)
        .with_response()
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));
    assert_eq!(deleted.status(), reqwest::StatusCode::NO_CONTENT);

    // Randomly generated webhooks decode too.
    let dynamic = Client::builder(CLIENT_ID, SECRET)
        .base_url(prism.base_url())
        .default_header("Prefer", "dynamic=true")
        .build()?;
    for run in 1..=DYNAMIC_RUNS {
        dynamic
            .retrieve_webhook(id)
            .await
            .unwrap_or_else(|e| panic!("{}", prism.explain(format!("run {run}: {e}"))));
        dynamic
            .list_webhooks()
            .await
            .unwrap_or_else(|e| panic!("{}", prism.explain(format!("run {run}: {e}"))));
    }
    Ok(())
}

/// The documented 404, as Prism serves it when asked for it, decodes as the 404 body.
#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn the_404_body_follows_the_spec() -> TestResult {
    let prism = start();
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(prism.base_url())
        .default_header("Prefer", "code=404")
        .build()?;
    let error = client
        .retrieve_webhook("48427a36d43c4d5aa6324bc06c692456")
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{}", prism.explain(format!("{error:?}")))
    };
    assert_eq!(api.status(), reqwest::StatusCode::NOT_FOUND);
    let Some(retrieve_webhook::Error::NotFound(body)) = api.error_body() else {
        panic!("{}", prism.explain(format!("{:?}", api.error_body())))
    };
    assert_eq!(body.detail, "Not Found.");
    Ok(())
}

/// Prism plays the callback: after a create it POSTs a delivery built from the spec to the
/// webhook URL. That delivery decodes as a documented `WebhookDelivery`; unsigned (Prism
/// cannot sign with the secret), it does not verify.
#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask ci (npm ci --prefix tools)"]
async fn the_delivery_prism_sends_decodes_as_an_event() -> TestResult {
    let prism = start();
    let receiver = receiver().await;
    let client = Client::new(CLIENT_ID, SECRET)?.with_base_url(&prism.base_url())?;
    let body = WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url(hook_url(&receiver))
        .env_type(EnvType::Sandbox)
        .build()?;
    client
        .create_webhook(&body)
        .await
        .unwrap_or_else(|e| panic!("{}", prism.explain(e)));

    // Prism sends the callback after answering; wait for it, within a bound.
    let deadline = Instant::now() + Duration::from_secs(20);
    let delivery = loop {
        let requests = receiver.received_requests().await.unwrap_or_default();
        if let Some(request) = requests.into_iter().next() {
            break request;
        }
        assert!(
            Instant::now() < deadline,
            "{}",
            prism.explain("no delivery reached the webhook URL")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(delivery.url.path(), "/truv");
    let event: WebhookDelivery = serde_json::from_slice(&delivery.body).unwrap_or_else(|e| {
        panic!(
            "{}",
            prism.explain(format!(
                "the delivery does not decode: {e}\n{}",
                String::from_utf8_lossy(&delivery.body)
            ))
        )
    });
    assert!(
        !matches!(event, WebhookDelivery::Unknown(_)),
        "a documented event: {event:?}"
    );
    // Prism 5 sends the body but none of the callback's header parameters: an unsigned
    // delivery, which the check refuses by name. (Were the header there, it could only be a
    // mismatch: Prism does not know the secret.)
    let signature = delivery
        .headers
        .get("X-WEBHOOK-SIGN")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let refused = truv_client::webhooks::verify_delivery(&delivery.body, signature, SECRET);
    assert!(
        matches!(
            refused,
            Err(VerifyError::MissingSignature { .. } | VerifyError::Mismatch { .. })
        ),
        "{refused:?} for {signature:?}"
    );
    Ok(())
}
