//! The generated `truv-client`, driven through its public API against a real HTTP server on
//! 127.0.0.1 (wiremock; each server stops when its test ends).

use serde_json::json;
use time::macros::datetime;
use truv_client::types::{EnvType, WebhookCreateRequest, WebhookEvent};
use truv_client::{Client, Error, OrUnknown, ValidationErrorKind};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "4f1c5a0e2d7b4b8e9a3c6d5e7f809a1b";
const SECRET: &str = "sandbox-9d8c7b6a5f4e3d2c1b0a";

/// The response example from Truv's reference page.
fn page_example() -> serde_json::Value {
    json!({
        "id": "48427a36d43c4d5aa6324bc06c692456",
        "name": "<string>",
        "webhook_url": "http://example.com/",
        "events": ["task-status-updated", "order-status-updated"],
        "env_type": "dev",
        "created_at": "2022-05-04T11:30:00.000Z",
        "updated_at": "2022-05-04T12:00:00.000Z"
    })
}

/// Answers every request to `server` with `response`.
async fn answer(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    Client::new(CLIENT_ID, SECRET)
        .unwrap()
        .with_base_url(&server.uri())
        .unwrap()
}

fn request() -> WebhookCreateRequest {
    WebhookCreateRequest::builder()
        .name("Payroll updates")
        .webhook_url("https://hooks.example.com/truv")
        .env_type(EnvType::Sandbox)
        .events([
            WebhookEvent::TaskStatusUpdated,
            WebhookEvent::OrderStatusUpdated,
        ])
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_webhook_sends_the_documented_request_and_decodes_the_page_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/webhooks/"))
        .and(header("X-Access-Client-Id", CLIENT_ID))
        .and(header("X-Access-Secret", SECRET))
        .and(header("Content-Type", "application/json"))
        .and(header("Accept", "application/json"))
        .and(body_json(json!({
            "name": "Payroll updates",
            "webhook_url": "https://hooks.example.com/truv",
            "env_type": "sandbox",
            "events": ["task-status-updated", "order-status-updated"]
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_example()))
        .expect(1)
        .mount(&server)
        .await;

    let webhook = client(&server).create_webhook(&request()).await.unwrap();

    assert_eq!(webhook.id, "48427a36d43c4d5aa6324bc06c692456");
    assert_eq!(webhook.name, "<string>");
    assert_eq!(webhook.webhook_url, "http://example.com/");
    assert_eq!(
        webhook.events,
        vec![
            OrUnknown::Known(WebhookEvent::TaskStatusUpdated),
            OrUnknown::Known(WebhookEvent::OrderStatusUpdated)
        ]
    );
    assert_eq!(webhook.env_type, EnvType::Dev);
    assert_eq!(webhook.created_at, datetime!(2022-05-04 11:30:00 UTC));
    assert_eq!(webhook.updated_at, datetime!(2022-05-04 12:00:00 UTC));
}

#[tokio::test]
async fn absent_events_are_omitted_not_null() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_example()))
        .expect(1)
        .mount(&server)
        .await;
    let body = WebhookCreateRequest::builder()
        .name("n")
        .webhook_url("http://example.com/")
        .env_type(EnvType::Prod)
        .build()
        .unwrap();
    client(&server).create_webhook(&body).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"name": "n", "webhook_url": "http://example.com/", "env_type": "prod"})
    );
    assert!(!String::from_utf8_lossy(&received[0].body).contains("events"));
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/proxy/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(CLIENT_ID, SECRET)
        .unwrap()
        .with_base_url(&format!("{}/proxy/", server.uri()))
        .unwrap();
    client.create_webhook(&request()).await.unwrap();
}

#[tokio::test]
async fn bad_request_carries_truvs_error_body() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(400).set_body_json(json!({
            "error": {
                "code": "incorrect_parameters",
                "message": "Invalid parameters",
                "extra": {"invalid-params": [{"field": "webhook_url", "message": "Enter a valid URL."}]}
            }
        }))).await;

    let error = client(&server)
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status(), 400);
    let body = api.error_body().expect("Truv's error shape decodes");
    assert_eq!(body.error.code, "incorrect_parameters");
    assert_eq!(body.error.message, "Invalid parameters");
    let invalid = body
        .error
        .extra
        .as_ref()
        .unwrap()
        .invalid_params
        .as_ref()
        .unwrap();
    assert_eq!(invalid[0].field, "webhook_url");
    assert_eq!(invalid[0].message, "Enter a valid URL.");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn unauthorized_is_an_api_error_with_its_code() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": "authentication_failed", "message": "Invalid credentials"}
        })),
    )
    .await;

    let error = client(&server)
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status(), 401);
    let body = api.error_body().unwrap();
    assert_eq!(body.error.code, "authentication_failed");
    assert!(body.error.extra.is_none());
}

#[tokio::test]
async fn a_server_error_with_html_keeps_the_raw_body() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    answer(
        &server,
        ResponseTemplate::new(500).set_body_raw(html, "text/html"),
    )
    .await;

    let error = client(&server)
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status(), 500);
    assert!(api.error_body().is_none());
    assert_eq!(api.body(), html);
    assert!(error.to_string().contains("500"), "{error}");
}

#[tokio::test]
async fn malformed_success_json_is_a_decode_error_with_the_body() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_raw("{\"id\": \"abc\", ", "application/json"),
    )
    .await;

    let error = client(&server)
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.status(), 201);
    assert_eq!(decode.body(), "{\"id\": \"abc\", ");
}

#[tokio::test]
async fn unknown_events_and_fields_in_a_response_still_decode_and_round_trip() {
    let server = MockServer::start().await;
    let mut body = page_example();
    body["events"] = json!(["task-status-updated", "payroll-exploded"]);
    body["env_type"] = json!("staging");
    body["enabled"] = json!(true);
    answer(&server, ResponseTemplate::new(201).set_body_json(&body)).await;

    let webhook = client(&server).create_webhook(&request()).await.unwrap();
    assert_eq!(
        webhook.events[1],
        OrUnknown::Unknown("payroll-exploded".to_owned())
    );
    assert_eq!(webhook.env_type.as_str(), "staging");
    let back = serde_json::to_value(&webhook).unwrap();
    assert_eq!(
        back["events"],
        json!(["task-status-updated", "payroll-exploded"])
    );
    assert_eq!(back["env_type"], json!("staging"));
}

#[tokio::test]
async fn both_timestamp_spellings_decode() {
    let server = MockServer::start().await;
    let mut body = page_example();
    body["created_at"] = json!("2022-08-24T13:55:12.845645Z");
    body["updated_at"] = json!("2022-08-24T13:55:12.845666+00:00");
    answer(&server, ResponseTemplate::new(201).set_body_json(&body)).await;

    let webhook = client(&server).create_webhook(&request()).await.unwrap();
    assert_eq!(
        webhook.created_at,
        datetime!(2022-08-24 13:55:12.845645 UTC)
    );
    assert_eq!(
        webhook.updated_at,
        datetime!(2022-08-24 13:55:12.845666 UTC)
    );
}

/// How a caller writes it: one `?` for a refused value and for a failed call.
async fn create_named(client: &Client, name: String) -> Result<(), Error> {
    let body = WebhookCreateRequest::builder()
        .name(name)
        .webhook_url("http://example.com/")
        .env_type(EnvType::Dev)
        .build()?;
    client.create_webhook(&body).await?;
    Ok(())
}

#[tokio::test]
async fn an_over_long_name_is_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_example()))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    let error = create_named(&client, "é".repeat(129)).await.unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("expected a refusal, got {error:?}")
    };
    assert_eq!(invalid.field(), "WebhookCreateRequest.name");
    assert_eq!(
        invalid.kind(),
        &ValidationErrorKind::TooLong {
            max: 128,
            actual: 129
        }
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[test]
fn builder_reports_missing_and_invalid_fields() {
    let missing = WebhookCreateRequest::builder()
        .name("n")
        .env_type(EnvType::Dev)
        .build()
        .unwrap_err();
    assert_eq!(missing.field(), "WebhookCreateRequest.webhook_url");
    assert_eq!(missing.kind(), &ValidationErrorKind::Missing);

    let relative = WebhookCreateRequest::builder()
        .name("n")
        .webhook_url("/hooks")
        .env_type(EnvType::Dev)
        .build()
        .unwrap_err();
    assert_eq!(relative.field(), "WebhookCreateRequest.webhook_url");
    assert!(matches!(
        relative.kind(),
        ValidationErrorKind::NotAbsoluteUri { .. }
    ));

    let bad_env = WebhookCreateRequest::builder()
        .name("n")
        .webhook_url("http://example.com/")
        .env_type("staging")
        .build()
        .unwrap_err();
    assert_eq!(bad_env.field(), "WebhookCreateRequest.env_type");
    assert_eq!(
        bad_env.to_string(),
        "`WebhookCreateRequest.env_type` must be one of: sandbox, dev, prod"
    );
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(403).set_body_json(json!({
            "error": {"code": "not_authenticated", "message": "Forbidden"}
        })),
    )
    .await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(SECRET));

    let error = client.create_webhook(&request()).await.unwrap_err();
    assert!(!format!("{error:?}").contains(SECRET));
    assert!(!error.to_string().contains(SECRET));

    // A secret that cannot travel in a header is refused when the client is built, without
    // echoing it.
    let error = Client::new(CLIENT_ID, "sandbox-secret\nwith-newline").unwrap_err();
    assert_eq!(error.setting(), "AccessSecret");
    assert_eq!(error.kind(), &truv_client::ConfigErrorKind::InvalidHeader);
    assert!(!format!("{error:?}{error}").contains("with-newline"));
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    // wiremock pools its servers, so a dropped one keeps listening: take a port from the OS
    // and close it instead.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new(CLIENT_ID, SECRET)
        .unwrap()
        .with_base_url(&uri)
        .unwrap();
    let error = client.create_webhook(&request()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error:?}").contains(SECRET));
}

#[test]
fn base_urls_are_checked() {
    let client = Client::new(CLIENT_ID, SECRET).unwrap();
    assert_eq!(client.base_url(), "https://prod.truv.com");
    assert_eq!(Client::DEFAULT_BASE_URL, "https://prod.truv.com");
    assert!(client.clone().with_base_url("ftp://example.com").is_err());
    assert!(client.with_base_url("not a url").is_err());
}

/// `format: uri` is RFC 3986: what WHATWG's parser would trim or repair is refused, and what
/// passes is sent exactly as given.
#[tokio::test]
async fn webhook_urls_are_checked_as_rfc_3986_and_sent_as_checked() {
    for repaired in [
        " https://hooks.example.com/truv",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/\n",
        "https:\\\\hooks.example.com\\truv",
    ] {
        let error = WebhookCreateRequest::builder()
            .name("n")
            .webhook_url(repaired)
            .env_type(EnvType::Dev)
            .build()
            .unwrap_err();
        assert!(
            matches!(error.kind(), ValidationErrorKind::NotAbsoluteUri { .. }),
            "{repaired:?}: {error}"
        );
    }
    let server = MockServer::start().await;
    let url = "https://hooks.example.com/truv/?team=a%20b&x=%E2%9C%93#part";
    Mock::given(method("POST"))
        .and(body_json(
            json!({"name": "n", "webhook_url": url, "env_type": "dev"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_example()))
        .expect(1)
        .mount(&server)
        .await;
    let body = WebhookCreateRequest::builder()
        .name("n")
        .webhook_url(url)
        .env_type(EnvType::Dev)
        .build()
        .unwrap();
    assert_eq!(body.webhook_url.as_str(), url);
    client(&server).create_webhook(&body).await.unwrap();
}

#[tokio::test]
async fn default_headers_replace_the_generated_ones_instead_of_repeating_them() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(page_example()),
    )
    .await;
    let client = Client::builder(CLIENT_ID, SECRET)
        .base_url(server.uri())
        .user_agent("payroll-sync/2")
        .default_header("Accept", "application/json; charset=utf-8")
        .default_header("X-Team", "first")
        .default_header("X-Team", "second")
        .build()
        .unwrap();
    client.create_webhook(&request()).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let headers = &received[0].headers;
    let all = |name: &str| -> Vec<&str> {
        headers
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap())
            .collect()
    };
    assert_eq!(all("accept"), ["application/json; charset=utf-8"]);
    assert_eq!(all("user-agent"), ["payroll-sync/2"]);
    // Set twice, a default header is sent twice (HTTP allows a repeated field), in order.
    assert_eq!(all("x-team"), ["first", "second"]);
    assert_eq!(all("x-access-secret"), [SECRET]);
    assert_eq!(all("content-type"), ["application/json"]);
}

#[tokio::test]
async fn ids_that_are_dot_segments_are_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    // Sent as they are, these would reach `/v1/webhooks/` (`.`, empty) and `/v1/` (`..`).
    let refusals = [
        client.retrieve_webhook(".").await.map(drop).unwrap_err(),
        client.delete_webhook("..").await.unwrap_err(),
        client.retrieve_webhook("").await.map(drop).unwrap_err(),
    ];
    for error in refusals {
        let Error::InvalidRequest(invalid) = &error else {
            panic!("expected a refusal, got {error:?}")
        };
        assert_eq!(invalid.field(), "webhook_id");
        assert_eq!(invalid.kind(), &ValidationErrorKind::NotAPathSegment);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
