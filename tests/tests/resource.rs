//! The webhooks resource of `truv-client` beyond create: listing (one page, every page, a
//! next page at another origin), retrieving, updating, deleting, and the 404 body. Driven
//! through the public API against wiremock on 127.0.0.1 (each server stops with its test).

use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::json;
use truv_client::types::{
    WebhookEvent, WebhookUpdateRequest, delete_webhook, retrieve_webhook, update_webhook,
};
use truv_client::{Client, Error, OrUnknown, ValidationErrorKind};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "4f1c5a0e2d7b4b8e9a3c6d5e7f809a1b";
const SECRET: &str = "sandbox-9d8c7b6a5f4e3d2c1b0a";

fn webhook(id: &str, enabled: bool) -> serde_json::Value {
    json!({
        "id": id,
        "name": format!("hook {id}"),
        "webhook_url": "https://hooks.example.com/truv",
        "events": ["task-status-updated"],
        "env_type": "sandbox",
        "enabled": enabled,
        "created_at": "2022-05-04T11:30:00.000Z",
        "updated_at": "2022-05-04T12:00:00+00:00"
    })
}

fn page(next: Option<&str>, ids: &[&str]) -> serde_json::Value {
    json!({
        "count": 3,
        "next": next,
        "previous": null,
        "results": ids.iter().map(|id| webhook(id, true)).collect::<Vec<_>>()
    })
}

fn client(server: &MockServer) -> Client {
    Client::builder(CLIENT_ID, SECRET)
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// The list's first page links to a second one (as Truv writes it: an absolute URL with a
/// cursor), whose `next` is null.
async fn two_pages(server: &MockServer) {
    let next = format!("{}/v1/webhooks/?cursor=cD0y", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .and(query_param("cursor", "cD0y"))
        .and(header("X-Access-Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(None, &["c"])))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .and(header("X-Access-Client-Id", CLIENT_ID))
        .and(header("X-Access-Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&next), &["a", "b"])))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn list_webhooks_returns_one_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(None, &["a"])))
        .expect(1)
        .mount(&server)
        .await;
    let list = client(&server).list_webhooks().await.unwrap();
    assert_eq!(list.count, Some(3));
    assert_eq!(list.next, None);
    assert_eq!(list.results.len(), 1);
    assert_eq!(list.results[0].enabled, Some(true));
    assert_eq!(
        list.results[0].events,
        [OrUnknown::Known(WebhookEvent::TaskStatusUpdated)]
    );
}

#[tokio::test]
async fn the_stream_walks_every_page_and_stops_at_the_last() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let ids: Vec<String> = client(&server)
        .list_webhooks()
        .items()
        .map_ok(|webhook| webhook.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    // Both pages were fetched once each, with the credentials (the mocks match on them).
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn pages_come_one_at_a_time_and_on_demand() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let client = client(&server);
    let mut pages = client.list_webhooks().pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.results.len(), 2);
    assert!(first.next.is_some());
    // The second page is not asked for until the stream is polled again.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.results[0].id, "c");
    assert!(
        pages.next().await.is_none(),
        "the last page ends the stream"
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_next_page_at_another_origin_is_not_followed() {
    let server = MockServer::start().await;
    // Another server on 127.0.0.1: another port is another origin.
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(None, &["stolen"])))
        .mount(&elsewhere)
        .await;
    let next = format!("{}/v1/webhooks/?cursor=cD0y", elsewhere.uri());
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&next), &["a"])))
        .mount(&server)
        .await;

    let items: Vec<Result<_, _>> = client(&server).list_webhooks().items().collect().await;
    assert_eq!(items.len(), 2, "the first page's item, then the refusal");
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    let Err(Error::InvalidRequest(refused)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    let ValidationErrorKind::OtherOrigin { origin } = refused.kind() else {
        panic!("{refused:?}")
    };
    assert_eq!(*origin, elsewhere.uri());
    assert!(!refused.to_string().contains(SECRET));
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "no request, so no credential, went to the other origin"
    );
}

#[tokio::test]
async fn a_next_page_with_another_scheme_is_another_origin() {
    let server = MockServer::start().await;
    let next = server.uri().replacen("http://", "https://", 1) + "/v1/webhooks/?cursor=x";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&next), &["a"])))
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = client(&server).list_webhooks().items().try_collect().await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(e)) if matches!(e.kind(), ValidationErrorKind::OtherOrigin { .. })),
        "{result:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_page_pointing_at_itself_ends_the_stream() {
    let server = MockServer::start().await;
    let same = format!("{}/v1/webhooks/", server.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&same), &["a"])))
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .list_webhooks()
        .items()
        .map_ok(|w| w.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn pages_that_point_in_a_circle_end_the_stream_with_an_error() {
    // Page 1 names page 2, whose `next` is page 1 again: the walk ends with a refusal after
    // page 2 instead of going round forever (only a page naming itself was caught before).
    let server = MockServer::start().await;
    let first = format!("{}/v1/webhooks/", server.uri());
    let second = format!("{}/v1/webhooks/?cursor=cD0y", server.uri());
    Mock::given(method("GET"))
        .and(query_param("cursor", "cD0y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&first), &["b"])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&second), &["a"])))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).list_webhooks().items().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    let Err(Error::InvalidRequest(refused)) = &items[2] else {
        panic!("the cycle is an error: {:?}", items[2]);
    };
    assert_eq!(refused.kind(), &ValidationErrorKind::PageCycle);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn max_pages_bounds_a_walk_and_says_so() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let pages: Vec<_> = client(&server)
        .list_webhooks()
        .pages()
        .max_pages(1)
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0].as_ref().unwrap().results.len(), 2);
    let Err(Error::InvalidRequest(refused)) = &pages[1] else {
        panic!("the bound is an error: {:?}", pages[1]);
    };
    assert_eq!(refused.kind(), &ValidationErrorKind::PageLimit { limit: 1 });
    // The second page was named but never fetched.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // `two_pages` expects each page once: only the first was asked for here.
    server.reset().await;
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_operation_error() {
    let server = MockServer::start().await;
    let next = format!("{}/v1/webhooks/?cursor=cD0y", server.uri());
    Mock::given(method("GET"))
        .and(query_param("cursor", "cD0y"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"error": {"code": "not_authenticated", "message": "wrong environment"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(Some(&next), &["a"])))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).list_webhooks().items().collect().await;
    assert_eq!(items.len(), 2);
    let Err(Error::Api(api)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(api.status(), 403);
    assert_eq!(api.error_body().unwrap().error.code, "not_authenticated");
}

#[tokio::test]
async fn retrieve_update_and_delete_address_one_webhook() {
    let server = MockServer::start().await;
    let id = "48427a36d43c4d5aa6324bc06c692456";
    let at = format!("/v1/webhooks/{id}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook(id, false)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(at.as_str()))
        .and(header("Content-Type", "application/json"))
        .and(body_json(json!({"enabled": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook(id, true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(at.as_str()))
        .and(header("X-Access-Secret", SECRET))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let disabled = client.retrieve_webhook(id).await.unwrap();
    assert_eq!(disabled.enabled, Some(false));
    // Re-enabling a webhook Truv disabled: only `enabled` is sent.
    let change = WebhookUpdateRequest::builder()
        .enabled(true)
        .build()
        .unwrap();
    let enabled = client.update_webhook(id, &change).await.unwrap();
    assert_eq!(enabled.enabled, Some(true));
    let deleted = client.delete_webhook(id).with_response().await.unwrap();
    assert_eq!(deleted.status(), 204);
}

#[tokio::test]
async fn an_id_is_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks/a%2F..%2Fb/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook("x", true)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).retrieve_webhook("a/../b").await.unwrap();
}

#[tokio::test]
async fn update_checks_its_values_before_sending() {
    let error = WebhookUpdateRequest::builder()
        .name("x".repeat(129))
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "WebhookUpdateRequest.name");
    assert!(matches!(
        error.kind(),
        ValidationErrorKind::TooLong { max: 128, .. }
    ));
    let error = WebhookUpdateRequest::builder()
        .webhook_url("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ValidationErrorKind::NotAbsoluteUri { .. }
    ));
}

#[tokio::test]
async fn not_found_carries_truvs_detail_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found."})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found."})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found."})))
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client.retrieve_webhook("missing").await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status(), 404);
    let Some(retrieve_webhook::Error::NotFound(body)) = api.error_body() else {
        panic!("{:?}", api.error_body())
    };
    assert_eq!(body.detail, "Not Found.");

    let change = WebhookUpdateRequest::builder()
        .enabled(false)
        .build()
        .unwrap();
    let error = client.update_webhook("missing", &change).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(
        api.error_body(),
        Some(update_webhook::Error::NotFound(body)) if body.detail == "Not Found."
    ));

    let error = client.delete_webhook("missing").await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(
        api.error_body(),
        Some(delete_webhook::Error::NotFound(_))
    ));
}

#[tokio::test]
async fn the_usual_error_body_still_decodes_next_to_the_404_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "authentication_failed", "message": "Invalid credentials"}}),
        ))
        .mount(&server)
        .await;
    let error = client(&server).retrieve_webhook("x").await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    let Some(retrieve_webhook::Error::Unauthorized(body)) = api.error_body() else {
        panic!("{:?}", api.error_body())
    };
    assert_eq!(body.error.code, "authentication_failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_iterates_every_page() {
    let server = MockServer::start().await;
    two_pages(&server).await;
    let blocking = truv_client::blocking::Client::from_async(client(&server)).unwrap();
    // Called from inside an async runtime on purpose: the blocking client copes.
    let ids: Vec<String> = blocking
        .list_webhooks()
        .items()
        .map(|webhook| webhook.unwrap().id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);

    let again = MockServer::start().await;
    two_pages(&again).await;
    let blocking = truv_client::blocking::Client::from_async(client(&again)).unwrap();
    let pages: Vec<_> = blocking.list_webhooks().pages().collect();
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok));
}
