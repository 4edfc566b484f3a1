//! Redirects and credentials: the secret never leaves the base URL's origin. Two wiremock
//! servers on 127.0.0.1, on different ports, are two origins: the API (`home`) and somewhere
//! else (`away`). Each stops when its test ends.

use serde_json::json;
use truv_client::types::{EnvType, WebhookCreateRequest};
use truv_client::{Client, Error, RedirectPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "client-id-4f1c5a0e";
const SECRET: &str = "sandbox-5ecret-never-sent-away";

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
        .name("n")
        .webhook_url("http://example.com/")
        .env_type(EnvType::Dev)
        .build()
        .unwrap()
}

/// `home` answers the create call with `status` and `Location: target`.
async fn redirect_to(home: &MockServer, status: u16, target: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", target))
        .mount(home)
        .await;
}

/// Answers anything with a created webhook.
async fn created(server: &MockServer) {
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .mount(server)
        .await;
}

/// Every credential the client holds is absent from every request `away` received (headers,
/// query string, cookies, body).
async fn assert_saw_no_credential(away: &MockServer) {
    for received in away.received_requests().await.unwrap() {
        let mut seen = format!("{} {:?}", received.url, received.headers);
        seen.push_str(&String::from_utf8_lossy(&received.body));
        assert!(!seen.contains(SECRET), "the secret went away: {seen}");
        assert!(!seen.contains(CLIENT_ID), "the client id went away: {seen}");
        assert!(
            !seen.to_ascii_lowercase().contains("x-access-"),
            "a credential header went away: {seen}"
        );
    }
}

fn client(home: &MockServer) -> truv_client::ClientBuilder {
    Client::builder(CLIENT_ID, SECRET).base_url(home.uri())
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_by_default() {
    let (home, away) = (MockServer::start().await, MockServer::start().await);
    created(&away).await;
    redirect_to(&home, 307, &format!("{}/v1/webhooks/", away.uri())).await;

    let error = client(&home)
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap_err();

    assert!(away.received_requests().await.unwrap().is_empty());
    let Error::Api(api) = &error else {
        panic!("expected the redirect as an API error, got {error:?}")
    };
    assert_eq!(api.status(), 307);
    let shown = error.to_string();
    assert!(shown.contains("not followed"), "{shown}");
    assert!(
        shown.contains(&away.uri()),
        "names the other origin: {shown}"
    );
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_every_credential() {
    let home = MockServer::start().await;
    redirect_to(&home, 308, "/v2/webhooks/").await;
    Mock::given(method("POST"))
        .and(path("/v2/webhooks/"))
        .and(header("X-Access-Client-Id", CLIENT_ID))
        .and(header("X-Access-Secret", SECRET))
        .and(header("Content-Type", "application/json"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .expect(1)
        .mount(&home)
        .await;

    let webhook = client(&home)
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap();
    assert_eq!(webhook.id, "48427a36d43c4d5aa6324bc06c692456");
    // 308 repeats the request as it was: the same body went to the new path.
    let received = home.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
}

#[tokio::test]
async fn other_origins_when_allowed_get_no_credential_and_no_default_header() {
    let (home, away) = (MockServer::start().await, MockServer::start().await);
    created(&away).await;
    redirect_to(&home, 307, &format!("{}/elsewhere", away.uri())).await;

    let webhook = client(&home)
        .default_header("X-Team-Token", "team-token-3f9a")
        .redirect_policy(RedirectPolicy::default().follow_other_origins(true))
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap();
    assert_eq!(webhook.name, "n");

    let received = away.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "followed once");
    assert_eq!(received[0].url.path(), "/elsewhere");
    // 307 keeps method and body, and the body's type.
    assert_eq!(received[0].method.as_str(), "POST");
    assert_eq!(received[0].headers["content-type"], "application/json");
    assert!(!received[0].headers.contains_key("x-team-token"));
    assert_saw_no_credential(&away).await;
}

#[tokio::test]
async fn a_redirect_back_home_after_leaving_carries_no_credential_either() {
    let (home, away) = (MockServer::start().await, MockServer::start().await);
    redirect_to(&home, 307, &format!("{}/bounce", away.uri())).await;
    Mock::given(method("POST"))
        .and(path("/bounce"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/back", home.uri())),
        )
        .mount(&away)
        .await;
    Mock::given(method("POST"))
        .and(path("/back"))
        .respond_with(ResponseTemplate::new(201).set_body_json(webhook_json()))
        .mount(&home)
        .await;

    client(&home)
        .redirect_policy(RedirectPolicy::default().follow_other_origins(true))
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap();
    assert_saw_no_credential(&away).await;
    let back = home.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(back.url.path(), "/back");
    assert!(!back.headers.contains_key("x-access-secret"));
}

#[tokio::test]
async fn no_redirect_is_followed_with_the_none_policy_nor_past_the_limit() {
    let home = MockServer::start().await;
    // A loop: 307 keeps the POST, so every hop comes back here.
    redirect_to(&home, 307, "/v1/webhooks/").await;
    for policy in [
        RedirectPolicy::none(),
        RedirectPolicy::default().max_redirects(3),
    ] {
        let error = client(&home)
            .redirect_policy(policy.clone())
            .build()
            .unwrap()
            .create_webhook(&request())
            .await
            .unwrap_err();
        let Error::Api(api) = &error else {
            panic!("expected the redirect as an API error, got {error:?}")
        };
        assert_eq!(api.status(), 307);
        assert!(api.redirect_not_followed().is_some(), "{error}");
        assert_eq!(api.headers()["location"], "/v1/webhooks/");
    }
    // One request for `none`, four (the request and three redirects) for the limit of 3.
    assert_eq!(home.received_requests().await.unwrap().len(), 1 + 4);
}

/// A `reqwest::Client` of the caller's, built not to follow redirects: the client's own
/// policy decides, and the secret stays home.
#[tokio::test]
async fn a_given_http_client_without_redirects_gets_the_same_protection() {
    let (home, away) = (MockServer::start().await, MockServer::start().await);
    created(&away).await;
    redirect_to(&home, 307, &format!("{}/v1/webhooks/", away.uri())).await;
    let http = truv_client::reqwest::Client::builder()
        .redirect(truv_client::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let error = client(&home)
        .http_client(http)
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(away.received_requests().await.unwrap().is_empty());
}

/// A `reqwest::Client` that follows redirects itself does so before this client sees the
/// response (documented on `ClientBuilder::http_client`): what it fetched from another origin
/// is refused, with an error that says how to configure it.
#[tokio::test]
async fn a_given_http_client_that_follows_redirects_itself_is_caught() {
    let (home, away) = (MockServer::start().await, MockServer::start().await);
    created(&away).await;
    redirect_to(&home, 307, &format!("{}/v1/webhooks/", away.uri())).await;
    let error = client(&home)
        .http_client(truv_client::reqwest::Client::new())
        .build()
        .unwrap()
        .create_webhook(&request())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}")
    };
    let cause = std::error::Error::source(transport).unwrap().to_string();
    assert!(cause.contains("Policy::none()"), "{cause}");
}
