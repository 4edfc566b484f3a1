//! Schema shapes (recursion, additionalProperties, free-form, nullable, formats) and names
//! that are not Rust keep their wire form (fixtures `schema_shapes.yaml`, `awkward_names.yaml`).

use fixture_awkward_names::types::{Reactions, ReactionsContent};
use fixture_schema_shapes::types::{Measurement, Node};
use serde_json::json;

#[test]
fn recursive_and_open_ended_shapes_round_trip() {
    let wire = json!({
        "label": "root",
        "children": [{"label": "leaf", "parent": {"label": "root"}}],
        "labels": {"colour": "green"},
        "extra": {"anything": [1, {"goes": true}]},
        "closed": {},
        "anything": 42,
        "note": null
    });
    let node: Node = serde_json::from_value(wire.clone()).unwrap();
    let children = node.children.as_ref().unwrap();
    assert_eq!(children[0].parent.as_ref().unwrap().label, "root");
    assert_eq!(node.labels.as_ref().unwrap()["colour"], "green");
    assert_eq!(node.anything, Some(json!(42)));
    assert_eq!(node.note, None);
    let mut back = serde_json::to_value(&node).unwrap();
    // `note: null` is an absent optional field: not sent back.
    back.as_object_mut()
        .unwrap()
        .insert("note".to_owned(), json!(null));
    assert_eq!(back, wire);
}

#[test]
fn number_and_string_formats() {
    let measurement: Measurement = serde_json::from_value(json!({
        "small": 2_147_483_647,
        "big": 9_007_199_254_740_993_i64,
        "ratio": 0.5,
        "precise": 0.1,
        "checksum": "aGk=",
        "blob": "raw"
    }))
    .unwrap();
    assert_eq!(measurement.small, i32::MAX);
    assert_eq!(measurement.big, 9_007_199_254_740_993);
    assert!((measurement.ratio - 0.5_f32).abs() < f32::EPSILON);
    assert!(serde_json::from_value::<Measurement>(json!({
        "small": 2_147_483_648_i64, "big": 1, "ratio": 0, "precise": 0, "checksum": "", "blob": ""
    }))
    .is_err(), "int32 is enforced by the Rust type");
}

#[test]
fn awkward_names_keep_their_wire_spelling() {
    let wire = json!({"+1": 3, "-1": 1, "type": "heart", "3d": true, "content": "-1"});
    let reactions: Reactions = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(reactions.plus_1, Some(3));
    assert_eq!(reactions.minus_1, Some(1));
    assert_eq!(reactions.r#type.as_deref(), Some("heart"));
    assert_eq!(reactions.n_3d, Some(true));
    assert_eq!(
        reactions.content.as_ref().unwrap(),
        &ReactionsContent::Minus1
    );
    assert_eq!(serde_json::to_value(&reactions).unwrap(), wire);
    assert_eq!(
        "".parse::<ReactionsContent>().unwrap(),
        ReactionsContent::Empty
    );
}

/// Names the generated code itself uses: a `build` property (its setter is `build_`, next to
/// the builder's `build()`), and security schemes called `Basic` and `Secret` (their builder
/// methods are `basic2` and `secret2`, next to the runtime's own).
#[tokio::test]
async fn names_taken_by_generated_methods_are_renamed_not_clashed() {
    use fixture_awkward_names::Client;
    use fixture_awkward_names::types::StartBuildBody;
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/builds"))
        // `ann:pw`, the first alternative the client can satisfy.
        .and(header("authorization", "Basic YW5uOnB3"))
        .and(body_json(json!({"build": "nightly", "build_": "x"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = StartBuildBody::builder()
        .build_("nightly")
        .build2("x")
        .build()
        .unwrap();
    let client = Client::builder("someone", "else")
        .base_url(server.uri())
        .basic2("ann", "pw")
        .secret2("s3")
        .build()
        .unwrap();
    client.start_build(&body).await.unwrap();

    // Path parameters named after keywords (`type`, `ref`) next to one called `type_`.
    Mock::given(method("DELETE"))
        .and(path("/kinds/a%20b/7"))
        .and(wiremock::matchers::query_param("type_", "q"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client.delete_kind("a b", 7, Some("q")).await.unwrap();

    let error = StartBuildBody::builder().build().unwrap_err();
    assert_eq!(error.field(), "StartBuildBody.build");
}
