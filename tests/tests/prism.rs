//! The generated `truv-client` against Prism, a mock server that is the spec itself: Prism
//! rejects any request the spec does not allow and answers with responses built from it.
//!
//! Ignored by default because they need Node and `npm ci --prefix tools`; `cargo xtask ci`
//! installs the tools and runs them with `cargo test -p tests --test prism -- --ignored`.
//! Each test starts its own Prism on 127.0.0.1 and stops it when it ends.

use serde_json::json;
use tests::prism::Prism;
use time::macros::datetime;
use truv_client::types::{EnvType, Webhook, WebhookCreateRequest, WebhookEvent};
use truv_client::{Client, OrUnknown};

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

/// A request body the spec allows, with a `name` of `name_length` characters.
fn body_with_name_length(name_length: usize) -> serde_json::Value {
    json!({
        "name": "x".repeat(name_length),
        "webhook_url": "https://hooks.example.com/truv",
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
    let client = Client::new(CLIENT_ID, SECRET)?.with_base_url(&prism.base_url())?;
    let body = WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url("https://hooks.example.com/truv")
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
    // `Prefer: dynamic=true` makes Prism generate every response from the schema instead of
    // returning the example: random strings, dates, enum values, extra properties.
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(prism.base_url())
        .default_header("Prefer", "dynamic=true")
        .build()?;
    let body = WebhookCreateRequest::builder()
        .name("x".repeat(15))
        .webhook_url("https://hooks.example.com/truv")
        .env_type(EnvType::Sandbox)
        .build()?;
    for run in 1..=DYNAMIC_RUNS {
        let response = client
            .create_webhook_with_response(&body)
            .await
            .unwrap_or_else(|e| panic!("{}", prism.explain(format!("run {run}: {e}"))));
        // Getting here means the random body decoded as `Webhook` (a failure is
        // `Error::Decode`, which panics above with the body).
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    // The same through raw HTTP, to see the generated body itself decode.
    let raw = post_raw(&prism, &body_with_name_length(15), Some("dynamic=true")).await?;
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

    // The longest `name` the spec allows (`WebhookName.maxLength` is 128) passes...
    let response = post_raw(&prism, &body_with_name_length(128), None).await?;
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
    let response = post_raw(&prism, &body_with_name_length(200), None).await?;
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
