//! Errors read well in a report that walks their causes (`anyhow`'s `{:#}`, `eyre`): each
//! cause's text appears once. The convention (Rust API guidelines): an error's `Display`
//! either includes its source's text or returns it from `source()`, never both; this crate's
//! errors return it from `source()`.

use serde_json::json;
use truv_client::types::{EnvType, WebhookCreateRequest};
use truv_client::{Client, ConfigErrorKind, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sandbox-5ecret-never-printed";

/// Each error of the chain, as its own `Display` shows it.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut links = vec![error.to_string()];
    let mut next = error.source();
    while let Some(cause) = next {
        links.push(cause.to_string());
        next = cause.source();
    }
    links
}

/// No error of the chain repeats the text of one of its causes, and the report names them all.
fn assert_each_cause_once(error: &(dyn std::error::Error + 'static)) -> String {
    let links = chain(error);
    for (i, link) in links.iter().enumerate() {
        for cause in &links[i + 1..] {
            assert!(
                !link.contains(cause.as_str()),
                "`{link}` repeats its cause `{cause}`; chain: {links:#?}"
            );
        }
    }
    let report = links.join(": ");
    assert!(!report.contains(SECRET), "{report}");
    report
}

fn request() -> WebhookCreateRequest {
    WebhookCreateRequest::builder()
        .name("n")
        .webhook_url("http://example.com/")
        .env_type(EnvType::Dev)
        .build()
        .unwrap()
}

fn client(uri: &str) -> Client {
    Client::builder("client-id", SECRET)
        .base_url(uri)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_transport_error_shows_each_cause_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&uri).create_webhook(&request()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let report = assert_each_cause_once(&error);
    assert!(
        report.starts_with("createWebhook: could not connect after 1 attempt: "),
        "{report}"
    );
    assert!(chain(&error).len() > 1, "the cause is returned by source()");
}

#[tokio::test]
async fn a_decode_error_shows_the_json_error_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .create_webhook(&request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let links = chain(&error);
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links[1].contains("invalid type"), "{links:?}");
    assert_each_cause_once(&error);
}

#[test]
fn a_refused_value_and_a_refused_configuration_say_what_they_are() {
    let refused = WebhookCreateRequest::builder()
        .name("é".repeat(129))
        .build()
        .unwrap_err();
    let error: Error = Error::from(refused);
    assert_eq!(
        assert_each_cause_once(&error),
        "`WebhookCreateRequest.name` is too long: at most 128 characters are allowed, the value \
         has 129"
    );

    // A bad base URL is a configuration error, not a request "refused before sending".
    let config = Client::builder("client-id", SECRET)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert_eq!(config.setting(), "base_url");
    assert!(matches!(
        config.kind(),
        ConfigErrorKind::InvalidBaseUrl { .. }
    ));
    let report = assert_each_cause_once(&Error::<()>::from(config));
    assert!(
        report.starts_with("client configuration: `base_url`"),
        "{report}"
    );
    assert!(!report.contains("refused before sending"), "{report}");

    let header = Client::builder("client-id", SECRET)
        .default_header("X-Ok", "bad\nvalue")
        .build()
        .unwrap_err();
    assert_eq!(header.setting(), "default_header");
    assert_eq!(header.kind(), &ConfigErrorKind::InvalidHeader);
    assert!(!header.to_string().contains("bad"), "{header}");
}
