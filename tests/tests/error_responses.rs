//! Error bodies typed per status (fixture `error_responses.yaml`): each documented status
//! decodes as its own type, ranges and `default` catch the rest, and a body that does not
//! have the documented shape is kept as text rather than lost.

use fixture_error_responses::types::{
    GetOrderDefault, GetOrderError, Order, PlaceOrderError, PlaceOrderResponse, Problem,
};
use fixture_error_responses::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fixture_error_responses::RetryPolicy::never())
        .build()
        .unwrap()
}

/// Makes `GET /orders/o1` answer with `response`, replacing what it answered before.
async fn answer(server: &MockServer, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/orders/o1"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The status and decoded error body of a failed `getOrder`.
async fn get_order_error(client: &Client) -> (u16, Option<GetOrderError>, String) {
    match client.get_order("o1").await {
        Err(Error::Api(error)) => (
            error.status().as_u16(),
            error.error_body().cloned(),
            error.body().to_owned(),
        ),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn each_status_decodes_as_its_documented_body() {
    let server = MockServer::start().await;
    let client = client(&server);

    let problem = json!({"title": "no such order", "detail": "o1"});
    answer(&server, ResponseTemplate::new(404).set_body_json(&problem)).await;
    let (status, body, _) = get_order_error(&client).await;
    assert_eq!(status, 404);
    let Some(GetOrderError::NotFound(found)) = body else {
        panic!("404 should decode as Problem: {body:?}");
    };
    assert_eq!(found.title, "no such order");
    assert_eq!(found.detail.as_deref(), Some("o1"));

    let invalid = json!({"errors": [{"field": "id", "message": "too short"}]});
    answer(&server, ResponseTemplate::new(422).set_body_json(&invalid)).await;
    let (_, body, _) = get_order_error(&client).await;
    let Some(GetOrderError::UnprocessableContent(errors)) = body else {
        panic!("422 should decode as ValidationErrors: {body:?}");
    };
    assert_eq!(errors.errors[0].field, "id");
    assert_eq!(errors.errors[0].message, "too short");
}

#[tokio::test]
async fn ranges_default_and_bodiless_statuses_have_their_variants() {
    let server = MockServer::start().await;
    let client = client(&server);

    // 418 is not documented itself: the `4XX` range takes it, as text.
    answer(
        &server,
        ResponseTemplate::new(418).set_body_string("short and stout"),
    )
    .await;
    let (status, body, _) = get_order_error(&client).await;
    assert_eq!(status, 418);
    assert_eq!(
        body,
        Some(GetOrderError::ClientError("short and stout".into()))
    );

    // A documented status without a body.
    answer(&server, ResponseTemplate::new(503)).await;
    let (_, body, _) = get_order_error(&client).await;
    assert_eq!(body, Some(GetOrderError::ServiceUnavailable));

    // Neither a documented code nor in a documented range: `default`.
    answer(
        &server,
        ResponseTemplate::new(500).set_body_json(json!({"code": 7})),
    )
    .await;
    let (_, body, _) = get_order_error(&client).await;
    assert_eq!(
        body,
        Some(GetOrderError::Default(GetOrderDefault { code: 7 }))
    );
}

#[tokio::test]
async fn a_body_without_the_documented_shape_is_kept_as_text() {
    let server = MockServer::start().await;
    let client = client(&server);
    answer(
        &server,
        ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"),
    )
    .await;
    let (status, body, text) = get_order_error(&client).await;
    assert_eq!(status, 404);
    assert_eq!(body, None);
    assert_eq!(text, "<html>Not Found</html>");
}

#[tokio::test]
async fn shared_error_bodies_use_the_crate_default_and_undocumented_ones_are_json() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/orders/o1"))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("content-type", "application/problem+json")
                .set_body_string(r#"{"title":"already shipped"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"oops": true})))
        .mount(&server)
        .await;
    let client = client(&server);

    // `cancelOrder`'s errors all carry a Problem: the crate's default `Error`.
    let error: Error = client.cancel_order("o1").await.unwrap_err();
    let Error::Api(error) = error else {
        panic!("expected an API error: {error:?}");
    };
    assert_eq!(
        error.error_body(),
        Some(&Problem {
            title: "already shipped".into(),
            detail: None
        })
    );

    // `listOrders` documents no error body: whatever JSON arrives.
    let error: Error<serde_json::Value> = client.list_orders().await.unwrap_err();
    let Error::Api(error) = error else {
        panic!("expected an API error: {error:?}");
    };
    assert_eq!(error.error_body(), Some(&json!({"oops": true})));
}

#[tokio::test]
async fn several_success_bodies_and_several_error_bodies_on_one_operation() {
    let server = MockServer::start().await;
    let order = Order::builder().id("o2").build().unwrap();
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"ticket": "t9"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(402).set_body_json(json!({"title": "card declined"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let PlaceOrderResponse::Accepted(queued) = client.place_order(&order).await.unwrap() else {
        panic!("202 should be Accepted");
    };
    assert_eq!(queued.ticket.as_deref(), Some("t9"));

    let Err(Error::Api(error)) = client.place_order(&order).await else {
        panic!("402 should be an API error");
    };
    let Some(PlaceOrderError::PaymentRequired(problem)) = error.error_body() else {
        panic!("402 should decode as Problem: {:?}", error.error_body());
    };
    assert_eq!(problem.title, "card declined");
}
