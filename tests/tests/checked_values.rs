//! Request values are checked when they are built, as a rule of the generator: proven on the
//! fixture crates (`tests/expectations/*`) for patterns, lengths, numeric bounds and
//! non-string enumerations, and for `readOnly`/`writeOnly` on both sides of the wire.

use fixture_non_string_enums::OrUnknown;
use fixture_non_string_enums::types::{Priority, Status, Ticket, TicketInput};
use fixture_number_bounds::types::{ItemUpdate, ListItemsLimit};
use fixture_read_write_only::types::{Account, AccountInput};
use fixture_string_rules::types::{NewLink, Slug};
use serde_json::json;

#[test]
fn patterns_and_lengths_are_checked() {
    assert!(Slug::new("my-link").is_ok());
    let kind = |value: &str| Slug::new(value).unwrap_err().kind().clone();
    assert!(matches!(
        kind("My Link"),
        fixture_string_rules::ValidationErrorKind::PatternMismatch { .. }
    ));
    assert!(matches!(
        kind("ab"),
        fixture_string_rules::ValidationErrorKind::TooShort { min: 3, actual: 2 }
    ));
    assert!(matches!(
        kind(&"a".repeat(33)),
        fixture_string_rules::ValidationErrorKind::TooLong {
            max: 32,
            actual: 33
        }
    ));

    let empty_note = NewLink::builder()
        .slug("ok-slug")
        .target("https://example.com/")
        .note("")
        .build()
        .unwrap_err();
    assert_eq!(empty_note.field(), "NewLink.note");

    // The look-ahead pattern is documented but not enforced: any string is accepted.
    let link = NewLink::builder()
        .slug("ok-slug")
        .target("https://example.com/")
        .password_hint("no digits here")
        .build()
        .unwrap();
    assert_eq!(link.password_hint.as_deref(), Some("no digits here"));
}

#[test]
fn numeric_bounds_are_checked() {
    assert!(ListItemsLimit::new(1).is_ok());
    assert!(ListItemsLimit::new(100).is_ok());
    assert!(ListItemsLimit::new(0).is_err());
    assert!(ListItemsLimit::new(101).is_err());

    let ok = ItemUpdate::builder()
        .quantity(25)
        .discount(0.5)
        .build()
        .unwrap();
    assert_eq!(ok.quantity.get(), 25);
    let not_multiple = ItemUpdate::builder().quantity(7).build().unwrap_err();
    assert_eq!(
        not_multiple.to_string(),
        "`ItemUpdate.quantity` must be a multiple of 5"
    );
    let too_many = ItemUpdate::builder().quantity(10_005).build().unwrap_err();
    assert_eq!(
        too_many.to_string(),
        "`ItemUpdate.quantity` is too large: it must be at most 10000"
    );
    let exclusive = ItemUpdate::builder()
        .quantity(5)
        .discount(1.0)
        .build()
        .unwrap_err();
    assert_eq!(
        exclusive.to_string(),
        "`ItemUpdate.discount` is too large: it must be less than 1"
    );
    // Deserializing a request type checks it too.
    assert!(serde_json::from_value::<ItemUpdate>(json!({"quantity": 3})).is_err());
}

#[test]
fn responses_do_not_enforce_limits() {
    // `quantity: minimum 0` and `price: exclusiveMinimum 0` are the server's promise; a
    // broken promise still decodes rather than losing the response.
    let item: fixture_number_bounds::types::Item =
        serde_json::from_value(json!({"sku": "x", "quantity": -3, "price": 0.0})).unwrap();
    assert_eq!(item.quantity, -3);
}

#[test]
fn integer_enums_are_exact_in_requests_and_tolerant_in_responses() {
    assert_eq!(Priority::try_from(-1).unwrap(), Priority::Minus1);
    assert_eq!(Priority::V2.as_i64(), 2);
    assert!(Priority::try_from(9).is_err());
    let sent = serde_json::to_value(
        TicketInput::builder()
            .title("t")
            .priority(Priority::V1)
            .status(Status::Plus1)
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sent, json!({"title": "t", "priority": 1, "status": "+1"}));
    assert!(serde_json::from_value::<TicketInput>(json!({"title": "t", "priority": 9})).is_err());

    let received: Ticket =
        serde_json::from_value(json!({"title": "t", "priority": 9, "status": "escalated"}))
            .unwrap();
    assert_eq!(received.priority, OrUnknown::Unknown(9));
    assert_eq!(
        received.status,
        Some(OrUnknown::Unknown("escalated".to_owned()))
    );
    assert_eq!(
        serde_json::to_value(&received).unwrap(),
        json!({"title": "t", "priority": 9, "status": "escalated"})
    );
}

#[test]
fn read_only_and_write_only_stay_on_their_side() {
    let input = AccountInput::builder()
        .email("a@example.com")
        .password("hunter2")
        .build()
        .unwrap();
    let sent = serde_json::to_value(&input).unwrap();
    assert_eq!(
        sent,
        json!({"email": "a@example.com", "password": "hunter2"})
    );

    // A server that echoes the write-only password does not put it in the response type.
    let account: Account = serde_json::from_value(json!({
        "id": "acc_1",
        "email": "a@example.com",
        "password": "hunter2",
        "created_at": "2024-01-02T03:04:05Z",
        "nickname": null
    }))
    .unwrap();
    assert_eq!(account.id, "acc_1");
    assert_eq!(account.nickname, None);
    assert!(!serde_json::to_string(&account).unwrap().contains("hunter2"));
}
