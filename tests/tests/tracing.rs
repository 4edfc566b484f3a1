//! The client's `tracing` output. In a test binary of its own, with a global subscriber:
//! tracing caches per call site whether anyone listens, so a subscriber scoped to one test
//! thread would race with other tests' threads.

use std::sync::{Arc, Mutex};

use serde_json::json;
use truv_client::Client;
use truv_client::types::{EnvType, WebhookCreateRequest};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sandbox-5ecret-never-printed";

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_attempt_is_traced_without_secrets_or_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "48427a36d43c4d5aa6324bc06c692456",
            "name": "Payroll updates",
            "webhook_url": "https://hooks.example.com/truv",
            "events": [],
            "env_type": "sandbox",
            "created_at": "2022-05-04T11:30:00.000Z",
            "updated_at": "2022-05-04T12:00:00.000Z"
        })))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let client = Client::builder("client-id", SECRET)
        .base_url(server.uri())
        .build()
        .unwrap();
    let body = WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url("https://hooks.example.com/truv")
        .env_type(EnvType::Sandbox)
        .build()
        .unwrap();
    client.create_webhook(&body).await.unwrap();
    // A failed attempt: the caller gets the error, so it is not a warning of the library's.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let offline = client
        .with_base_url(&closed)
        .unwrap()
        .with_retry_policy(truv_client::RetryPolicy::never());
    offline.create_webhook(&body).await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "http_request",
        "operation=\"createWebhook\"",
        "method=POST",
        "path=\"/v1/webhooks/\"",
        "attempt=1",
        "status=201",
        "latency_ms=",
    ] {
        assert!(logs.contains(expected), "{expected} missing from:\n{logs}");
    }
    assert!(logs.contains("request failed"), "{logs}");
    // A library logs per request at `debug`: an application at `info` hears nothing of it.
    for line in logs.lines() {
        assert!(
            line.contains(" DEBUG ") || line.contains(" TRACE "),
            "logged above debug: {line}"
        );
    }
    assert!(!logs.contains(SECRET), "{logs}");
    assert!(
        !logs.contains("Payroll updates"),
        "request bodies stay out of logs:\n{logs}"
    );
}
