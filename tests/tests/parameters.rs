//! Parameters go where and how the API description says (fixture `parameters.yaml`).

use fixture_parameters::Client;
use fixture_parameters::types::{Item, SearchCreated, ShelfFilter, Sort, Window};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "i1"}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/b c"})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new().unwrap().with_base_url(&server.uri()).unwrap()
}

#[tokio::test]
async fn query_styles_and_optional_parameters() {
    let server = server().await;
    let created = SearchCreated {
        gte: Some(10),
        lt: Some(20),
    };
    let items = client(&server)
        .search(
            "red shoes",
            Some(2),
            Some(&["a".to_owned(), "b".to_owned()]),
            Some(&[1, 2]),
            Some(&created),
            Some(Sort::Newest),
        )
        .await
        .unwrap();
    assert_eq!(items[0].id, "i1");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.url.query(),
        Some(
            "q=red+shoes&page=2&tag=a&tag=b&ids=1%7C2&created%5Bgte%5D=10&created%5Blt%5D=20&sort=newest"
        )
    );

    // Optional parameters left out are not sent at all.
    client(&server)
        .search("x", None, None, None, None, None)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[1];
    assert_eq!(request.url.query(), Some("q=x"));
}

#[tokio::test]
async fn path_header_and_every_method() {
    let server = server().await;
    let client = client(&server);
    let item = client
        .get_items_item_id(
            "a/b c",
            Some("req-1"),
            Some(&["id".to_owned(), "title".to_owned()]),
        )
        .await
        .unwrap();
    assert_eq!(item.id, "a/b c");
    let body = Item {
        id: "x".to_owned(),
        title: None,
    };
    client.put_items_item_id("a/b c", &body).await.unwrap();
    client.patch_items_item_id("a/b c", None).await.unwrap();
    client.delete_items_item_id("a/b c").await.unwrap();
    client.head_items_item_id("a/b c").await.unwrap();
    client.options_items_item_id("a/b c").await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let get = &requests[0];
    // The path parameter stays one segment; arrays without explode are comma-joined.
    assert_eq!(get.url.path(), "/items/a%2Fb%20c");
    assert_eq!(get.url.query(), Some("fields=id%2Ctitle"));
    assert_eq!(get.headers["x-request-id"], "req-1");
    let methods: Vec<String> = requests.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(
        methods,
        ["GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    );
    assert!(
        requests[2].body.is_empty(),
        "an absent optional body sends nothing"
    );
}

#[tokio::test]
async fn path_styles_and_json_content_parameters() {
    let server = server().await;
    let filter = ShelfFilter {
        color: Some("red".to_owned()),
        sizes: Some(vec![38, 39]),
    };
    let window = Window {
        from: Some(1),
        to: Some(5),
    };
    client(&server)
        .shelf(
            &[1, 2],
            "top shelf",
            &[3, 4],
            &["a/b".to_owned(), "c".to_owned()],
            &filter,
            Some("eu west"),
            "6f1c",
            &window,
            &window,
        )
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    // simple (lists comma-joined), label (`.`), matrix exploded (`;rows=` each), label
    // exploded (`.` each); every value percent-encoded, the separators not.
    assert_eq!(
        request.url.path(),
        "/shelves/1,2/.top%20shelf/;rows=3;rows=4/.a%2Fb.c"
    );
    // `content: application/json`: the value as JSON text, in the query and in a header.
    let filter_sent = request
        .url
        .query_pairs()
        .find(|(name, _)| name == "filter")
        .map(|(_, value)| value.into_owned());
    assert_eq!(
        filter_sent.as_deref(),
        Some(r#"{"color":"red","sizes":[38,39]}"#)
    );
    assert_eq!(
        request.headers.get("x-context").unwrap().to_str().unwrap(),
        r#""eu west""#
    );
    // Objects in headers: `simple` style, `key,value,...`, or `key=value,...` exploded.
    assert_eq!(request.headers["x-window"], "from,1,to,5");
    assert_eq!(request.headers["x-window-exploded"], "from=1,to=5");
    // Other `content` (`*/*` here, as Telnyx has it): the value as it is.
    assert_eq!(
        request.headers.get("x-trace").unwrap().to_str().unwrap(),
        "6f1c"
    );
}
