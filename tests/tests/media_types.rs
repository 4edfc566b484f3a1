//! Request bodies as text, bytes and forms, success bodies as text and bytes, and
//! operations whose success statuses carry different bodies (fixture `media_types.yaml`).

use fixture_media_types::types::{
    CreateChargeBody, CreateChargeBodyItemsItem, LoginBody, Profile, StartJobResponse,
    UploadAvatarBody, UploadAvatarBodyCrop,
};
use fixture_media_types::{Client, FilePart};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new().unwrap().with_base_url(&server.uri()).unwrap()
}

#[tokio::test]
async fn text_bytes_and_form_bodies_are_sent_as_declared() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "text/plain"))
        .and(body_string("remember the milk"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "n1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/files/f%201"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("password=p%26w&username=ann"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    assert_eq!(client.add_note("remember the milk").await.unwrap().id, "n1");
    client
        .upload_file("f 1", &[0, 159, 146, 150])
        .await
        .unwrap();
    let uploaded = server.received_requests().await.unwrap();
    assert_eq!(uploaded[1].body, vec![0, 159, 146, 150]);
    let login = LoginBody::builder()
        .username("ann")
        .password("p&w")
        .build()
        .unwrap();
    assert_eq!(client.login(&login).await.unwrap().id, "s1");
}

#[tokio::test]
async fn text_and_byte_responses_are_returned_as_such() {
    let server = MockServer::start().await;
    let pdf = b"%PDF-1.7\n\xff\xfe".to_vec();
    Mock::given(method("GET"))
        .and(path("/files/report"))
        .and(header("accept", "application/pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/readme"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("# Files\n", "text/markdown"))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(client.download_file("report").await.unwrap(), pdf);
    assert_eq!(client.readme().await.unwrap(), "# Files\n");
}

#[tokio::test]
async fn each_success_status_decodes_as_its_own_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"queue_position": 3})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "j1"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let StartJobResponse::Accepted(queued) = client.start_job().await.unwrap() else {
        panic!("202 is Accepted")
    };
    assert_eq!(queued.queue_position, 3);
    assert_eq!(
        client.start_job().await.unwrap(),
        StartJobResponse::NoContent
    );
    let done = client.start_job_with_response().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(matches!(done.body(), StartJobResponse::Ok(stored) if stored.id == "j1"));
}

#[tokio::test]
async fn multipart_bodies_send_files_text_and_json_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/avatars"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "a1"})))
        .mount(&server)
        .await;
    let body = UploadAvatarBody::builder()
        .image(
            FilePart::new(vec![0x89, b'P', b'N', b'G'])
                .with_file_name("me.png")
                .with_content_type("image/png"),
        )
        .caption("Me")
        .crop(UploadAvatarBodyCrop {
            x: Some(1),
            y: None,
        })
        .build()
        .unwrap();
    assert_eq!(client(&server).upload_avatar(&body).await.unwrap().id, "a1");

    let request = &server.received_requests().await.unwrap()[0];
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with its boundary");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&[0x89, b'P', b'N', b'G']);
    expected.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nMe\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"crop\"\r\n\r\n{{\"x\":1}}\r\n\
             --{boundary}--\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(request.body, expected);
}

/// A component used as a multipart body by one operation and as JSON by another encodes both
/// ways; its `default` property's setter does not hide the builder's `Default`.
#[tokio::test]
async fn one_component_as_multipart_and_as_json() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let profile = Profile::builder()
        .name("Ann")
        .default(true)
        .build()
        .unwrap();
    let client = client(&server);
    client.create_profile(&profile).await.unwrap();
    client.replace_profile(&profile).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let content_type = requests[0].headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with its boundary");
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"default\"\r\n\r\ntrue\r\n\
             --{boundary}--\r\n"
        )
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[1].body).unwrap(),
        json!({"name": "Ann", "default": true})
    );
}

/// Form bodies follow each property's `encoding`: Stripe's `deepObject` nesting, delimited
/// arrays; other arrays repeat their name. An empty free-form body sends no fields.
#[tokio::test]
async fn form_bodies_follow_their_encodings() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut body = CreateChargeBody::new(500);
    body.expand = Some(vec!["customer".into(), "invoice".into()]);
    body.tags = Some(vec!["a".into(), "b".into()]);
    body.metadata = Some([("order".to_owned(), "6735".to_owned())].into());
    body.items = Some(vec![CreateChargeBodyItemsItem {
        price: Some("price_1".into()),
        quantity: Some(2),
    }]);
    let client = client(&server);
    client.create_charge(&body).await.unwrap();
    client
        .list_charges(Some(&std::collections::BTreeMap::new()))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&requests[0].body)
        .into_owned()
        .collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("amount", "500"),
            ("expand", "customer"),
            ("expand", "invoice"),
            ("items[0][price]", "price_1"),
            ("items[0][quantity]", "2"),
            ("metadata[order]", "6735"),
            ("tags", "a|b"),
        ]
    );
    assert_eq!(
        requests[1].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(requests[1].body.is_empty());
}
