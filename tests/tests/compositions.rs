//! `allOf` merges into one struct; `oneOf`/`anyOf` become enums decoded by discriminator or
//! by the first shape that fits, and serialized as the chosen shape itself (fixtures
//! `all_of_merge.yaml` and `one_of_any_of.yaml`).

use fixture_all_of_merge::types::{Featured, Product};
use fixture_one_of_any_of::types::{Cat, GetTagResponse, GetTagResponseValue, Pet};
use serde_json::json;

#[test]
fn all_of_members_merge_into_one_struct() {
    let product: Product = serde_json::from_value(json!({
        "name": "Lamp",
        "tags": ["home"],
        "created_at": "2024-05-06T07:08:09Z",
        "id": "p1",
        "price": 1999
    }))
    .unwrap();
    assert_eq!(product.name, "Lamp");
    assert_eq!(product.id, "p1");
    assert_eq!(product.price, Some(1999));
    // Required properties of every member stay required.
    assert!(serde_json::from_value::<Product>(json!({"name": "Lamp", "id": "p1"})).is_err());
}

#[test]
fn properties_and_required_beside_an_all_of_join_the_merge() {
    let featured: Featured = serde_json::from_value(json!({
        "name": "Lamp",
        "tags": ["home"],
        "reason": "bestseller",
        "rank": 1
    }))
    .unwrap();
    assert_eq!(featured.name, "Lamp");
    // `required: [tags]` beside the nested allOf, `required: [reason]` beside the outer one.
    assert_eq!(featured.tags, ["home"]);
    assert_eq!(featured.reason, "bestseller");
    assert_eq!(featured.rank, Some(1));
    assert!(
        serde_json::from_value::<Featured>(json!({"name": "Lamp", "tags": [], "rank": 1})).is_err(),
        "reason is required beside the allOf"
    );
}

#[test]
fn the_discriminator_picks_the_variant() {
    let kitty: Pet = serde_json::from_value(json!({"kind": "kitty", "name": "Tom"})).unwrap();
    assert!(matches!(&kitty, Pet::Cat(cat) if cat.name == "Tom"));
    // Without a mapping entry, the schema name is the value.
    let dog: Pet =
        serde_json::from_value(json!({"kind": "Dog", "name": "Rex", "good": true})).unwrap();
    assert!(matches!(&dog, Pet::Dog(dog) if dog.good == Some(true)));
    // Serialized as the shape itself, discriminator included.
    assert_eq!(
        serde_json::to_value(&dog).unwrap(),
        json!({"kind": "Dog", "name": "Rex", "good": true})
    );
    let built: Pet = Cat::builder()
        .kind("kitty")
        .name("Tom")
        .build()
        .unwrap()
        .into();
    assert_eq!(built, kitty);
    assert!(serde_json::from_value::<Pet>(json!({"kind": "Dog"})).is_err());
}

#[test]
fn without_a_discriminator_the_first_fitting_shape_wins() {
    let named: GetTagResponse = serde_json::from_value(json!({"value": "blue"})).unwrap();
    assert_eq!(named.value, GetTagResponseValue::String("blue".to_owned()));
    let numbered: GetTagResponse = serde_json::from_value(json!({"value": 7})).unwrap();
    assert_eq!(numbered.value, GetTagResponseValue::Integer(7));
    assert_eq!(
        serde_json::to_value(&numbered).unwrap(),
        json!({"value": 7})
    );
    assert!(serde_json::from_value::<GetTagResponse>(json!({"value": [1]})).is_err());

    let with_owner: GetTagResponse = serde_json::from_value(json!({
        "value": "x",
        "owner": {"kind": "Dog", "name": "Rex"}
    }))
    .unwrap();
    let owner = serde_json::to_value(with_owner.owner.unwrap()).unwrap();
    assert_eq!(owner["name"], "Rex");
}
