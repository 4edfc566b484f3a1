//! Credentials are set once on the client and sent where the API description says, operation
//! by operation: headers, query, cookie, bearer, basic, OAuth tokens, alternatives, optional
//! and anonymous operations (fixture `tests/fixtures/security_schemes.yaml`).

use fixture_security_schemes::{Client, Error, ValidationErrorKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["a", "b"]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/secrets/db"))
        .respond_with(ResponseTemplate::new(200).set_body_json("s3cr3t"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn last_request(server: &MockServer) -> Request {
    server.received_requests().await.unwrap().pop().unwrap()
}

fn header_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn each_operation_sends_the_credentials_it_needs() {
    let server = server().await;
    let client = Client::builder("header-key")
        .base_url(server.uri())
        .token("jwt-token")
        .query_key("query-key")
        .session("session-id")
        .o_auth("oauth-token")
        .build()
        .unwrap();

    client.health().await.unwrap();
    let health = last_request(&server).await;
    assert_eq!(
        header_of(&health, "x-api-key"),
        None,
        "security: [] sends nothing"
    );
    assert_eq!(header_of(&health, "authorization"), None);

    assert_eq!(client.list_secrets().await.unwrap(), ["a", "b"]);
    assert_eq!(
        header_of(&last_request(&server).await, "x-api-key").as_deref(),
        Some("header-key")
    );

    assert_eq!(client.read_secret("db").await.unwrap(), "s3cr3t");
    let read = last_request(&server).await;
    assert_eq!(
        header_of(&read, "authorization").as_deref(),
        Some("Bearer jwt-token")
    );
    assert_eq!(
        header_of(&read, "x-api-key"),
        None,
        "only the chosen requirement is sent"
    );

    // Cookie parameters and the cookie credential travel in one `Cookie` header, values
    // that RFC 6265 does not allow as they are percent-encoded.
    client.legacy(Some("dark mode; é"), 3).await.unwrap();
    let legacy = last_request(&server).await;
    assert_eq!(legacy.url.query(), Some("api_key=query-key"));
    assert_eq!(legacy.headers.get_all("cookie").iter().count(), 1);
    assert_eq!(
        header_of(&legacy, "cookie").as_deref(),
        Some("theme=dark%20mode%3B%20%C3%A9; visits=3; session=session-id")
    );
    client.legacy(None, 4).await.unwrap();
    assert_eq!(
        header_of(&last_request(&server).await, "cookie").as_deref(),
        Some("visits=4; session=session-id")
    );

    client.profile().await.unwrap();
    assert_eq!(
        header_of(&last_request(&server).await, "authorization").as_deref(),
        Some("Bearer oauth-token")
    );
}

#[tokio::test]
async fn alternatives_and_optional_credentials() {
    let server = server().await;
    // No bearer token: the second alternative of readSecret, basic auth, is used.
    let client = Client::builder("header-key")
        .base_url(server.uri())
        .login("ann", "pw")
        .build()
        .unwrap();
    assert_eq!(client.read_secret("db").await.unwrap(), "s3cr3t");
    // "ann:pw" in base64.
    assert_eq!(
        header_of(&last_request(&server).await, "authorization").as_deref(),
        Some("Basic YW5uOnB3")
    );

    // OAuth is optional on /profile: without a token the call goes out anonymously.
    client.profile().await.unwrap();
    assert_eq!(
        header_of(&last_request(&server).await, "authorization"),
        None
    );
}

#[tokio::test]
async fn a_missing_credential_is_refused_before_any_request() {
    let server = server().await;
    let client = Client::new("header-key")
        .unwrap()
        .with_base_url(&server.uri())
        .unwrap();
    let error = client.read_secret("db").await.unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.field(), "Token");
    assert_eq!(invalid.kind(), &ValidationErrorKind::Missing);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn query_credentials_stay_out_of_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder("header-key")
        .base_url(uri)
        .query_key("query-secret-value")
        .session("session-id")
        .retry_policy(fixture_security_schemes::RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.legacy(None, 1).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains("query-secret-value"), "{shown}");
    assert!(!format!("{client:?}").contains("query-secret-value"));
}
