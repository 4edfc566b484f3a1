//! What one call through the generated client costs against the same call written by hand
//! with `reqwest` and `serde`: both send Truv's "Create a webhook" request to the same local
//! server (wiremock on 127.0.0.1) and decode its answer, in the same run. Compare the
//! medians as a ratio, and the allocations per call (divan's allocation counter); absolute
//! times depend on the machine. `cargo xtask bench` reports the ratio in `BENCHMARKS.md`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use truv_client::types::{EnvType, WebhookCreateRequest, WebhookEvent};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[global_allocator]
static ALLOCATOR: divan::AllocProfiler = divan::AllocProfiler::system();

const CLIENT_ID: &str = "4f1c5a0e2d7b4b8e9a3c6d5e7f809a1b";
const SECRET: &str = "sandbox-9d8c7b6a5f4e3d2c1b0a";

fn main() {
    divan::main();
}

/// One runtime, one server and one client of each kind for the whole run.
struct Setup {
    runtime: tokio::runtime::Runtime,
    base: String,
    generated: truv_client::Client,
    by_hand: reqwest::Client,
    _server: MockServer,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        // One thread for client and server alike: a call costs its work, not thread wake-ups.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path("/v1/webhooks/"))
                .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
                    "id": "48427a36d43c4d5aa6324bc06c692456",
                    "name": "Payroll updates",
                    "webhook_url": "https://hooks.example.com/truv",
                    "events": ["task-status-updated", "order-status-updated"],
                    "env_type": "sandbox",
                    "created_at": "2022-05-04T11:30:00.000Z",
                    "updated_at": "2022-05-04T12:00:00.000Z"
                })))
                .mount(&server)
                .await;
            server
        });
        let base = server.uri();
        let generated = truv_client::Client::new(CLIENT_ID, SECRET)
            .unwrap()
            .with_base_url(&base)
            .unwrap();
        Setup {
            runtime,
            base,
            generated,
            by_hand: reqwest::Client::new(),
            _server: server,
        }
    })
}

#[divan::bench(sample_count = 200)]
fn create_webhook_generated(bencher: divan::Bencher) {
    let setup = setup();
    bencher.bench(|| {
        setup.runtime.block_on(async {
            let request = WebhookCreateRequest::builder()
                .name("Payroll updates")
                .webhook_url("https://hooks.example.com/truv")
                .env_type(EnvType::Sandbox)
                .events([
                    WebhookEvent::TaskStatusUpdated,
                    WebhookEvent::OrderStatusUpdated,
                ])
                .build()
                .unwrap();
            setup.generated.create_webhook(&request).await.unwrap()
        })
    });
}

/// The request and answer as someone writing the call by hand would declare them.
#[derive(Serialize)]
struct HandRequest<'a> {
    name: &'a str,
    webhook_url: &'a str,
    env_type: &'a str,
    events: &'a [&'a str],
}

#[derive(Deserialize)]
#[allow(dead_code)] // decoded, as a real caller would, then dropped
struct HandWebhook {
    id: String,
    name: String,
    webhook_url: String,
    events: Vec<String>,
    env_type: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: time::OffsetDateTime,
}

#[divan::bench(sample_count = 200)]
fn create_webhook_by_hand(bencher: divan::Bencher) {
    let setup = setup();
    let url = format!("{}/v1/webhooks/", setup.base);
    bencher.bench(|| {
        setup.runtime.block_on(async {
            let response = setup
                .by_hand
                .post(&url)
                .header("X-Access-Client-Id", CLIENT_ID)
                .header("X-Access-Secret", SECRET)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .body(
                    serde_json::to_vec(&HandRequest {
                        name: "Payroll updates",
                        webhook_url: "https://hooks.example.com/truv",
                        env_type: "sandbox",
                        events: &["task-status-updated", "order-status-updated"],
                    })
                    .unwrap(),
                )
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let body = response.bytes().await.unwrap();
            serde_json::from_slice::<HandWebhook>(&body).unwrap()
        })
    });
}
