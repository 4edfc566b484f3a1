//! Deliveries Truv sends to a webhook URL: `truv_client::webhooks::verify_delivery` checks
//! the `X-WEBHOOK-SIGN` signature and decodes the event.
//!
//! Signatures are computed independently of the client, by Python's `hmac` exactly as Truv's
//! quickstart computes them: `"v1=" + hmac.new(secret.encode(), body, hashlib.sha256)
//! .hexdigest()`. The events are the examples of the spec's `createWebhook` callback.

use std::io::Write as _;
use std::process::{Command, Stdio};

use time::macros::datetime;
use truv_client::VerifyError;
use truv_client::types::{DataEventEventType, OrderEventEventType, WebhookDelivery};
use truv_client::webhooks::{DELIVERY_SIGNATURE_HEADER, verify_delivery};

const SECRET: &str = "sandbox-9d8c7b6a5f4e3d2c1b0a";

/// `X-WEBHOOK-SIGN` for `body`, as Truv's Python quickstart computes it.
fn truv_signature(body: &[u8], secret: &str) -> String {
    let script = "import hashlib, hmac, sys\n\
                  body = sys.stdin.buffer.read()\n\
                  print('v1=' + hmac.new(sys.argv[1].encode(), body, hashlib.sha256).hexdigest(), end='')";
    let mut child = Command::new("python3")
        .args(["-c", script, secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs (it is on every machine this project builds on)");
    child.stdin.take().unwrap().write_all(body).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 failed");
    String::from_utf8(output.stdout).unwrap()
}

/// The callback's request body examples in the spec, by name, as the bytes Truv would send.
fn spec_examples() -> Vec<(String, Vec<u8>)> {
    let spec: serde_json::Value = serde_yaml::from_str(&tests::truv_spec()).unwrap();
    let examples = spec
        .pointer(
            "/paths/~1v1~1webhooks~1/post/callbacks/delivery/{$request.body#~1webhook_url}/post/requestBody/content/application~1json/examples",
        )
        .and_then(serde_json::Value::as_object)
        .expect("the callback documents examples");
    examples
        .iter()
        .map(|(name, example)| (name.clone(), serde_json::to_vec(&example["value"]).unwrap()))
        .collect()
}

fn task_example() -> Vec<u8> {
    spec_examples()
        .into_iter()
        .find(|(name, _)| name == "taskStatusUpdated")
        .unwrap()
        .1
}

#[test]
fn every_documented_example_verifies_and_decodes_as_its_event() {
    let examples = spec_examples();
    assert_eq!(examples.len(), 4);
    for (name, body) in examples {
        let signature = truv_signature(&body, SECRET);
        let event =
            verify_delivery(&body, &signature, SECRET).unwrap_or_else(|e| panic!("{name}: {e}"));
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(event.event_type(), sent["event_type"], "{name}");
        assert!(
            !matches!(event, WebhookDelivery::Unknown(_)),
            "{name} is a documented event"
        );
        // What decoded encodes back to the fields that were sent (timestamps as the same
        // instants: `+00:00` comes back as `Z`).
        let again = serde_json::to_value(&event).unwrap();
        let instant = |value: &serde_json::Value| {
            value.as_str().and_then(|text| {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .ok()
            })
        };
        for (field, value) in sent.as_object().unwrap() {
            if value.is_null() {
                continue;
            }
            let back = again.get(field);
            if field.ends_with("_at") {
                assert_eq!(back.and_then(instant), instant(value), "{name}: {field}");
            } else {
                assert_eq!(back, Some(value), "{name}: {field}");
            }
        }
    }
}

#[test]
fn the_task_example_has_both_timestamp_spellings() {
    let body = task_example();
    let event = verify_delivery(&body, &truv_signature(&body, SECRET), SECRET).unwrap();
    let WebhookDelivery::TaskStatusUpdated(task) = event else {
        panic!("{event:?}")
    };
    // `Z` and `+00:00` alike.
    assert_eq!(
        task.event_created_at,
        datetime!(2022-08-24 13:55:12.845645 UTC)
    );
    assert_eq!(
        task.updated_at,
        Some(datetime!(2022-08-24 13:55:12.845666 UTC))
    );
    assert_eq!(task.status, "done");
    assert_eq!(task.tracking_info, None);
    assert_eq!(task.template_id, None);
    assert_eq!(task.task_id, "5214c1d2e3f4a5b6c7d8e9f0a1b2c3d4");
}

#[test]
fn events_that_share_a_shape_keep_their_own_variant() {
    for (event_type, expected) in [
        ("order-created", OrderEventEventType::OrderCreated),
        (
            "order-refresh-failed",
            OrderEventEventType::OrderRefreshFailed,
        ),
    ] {
        let body = serde_json::to_vec(&serde_json::json!({
            "webhook_id": "w", "event_type": event_type, "event_created_at": "2024-01-02T03:04:05Z",
            "user_id": "u", "order_id": "o", "status": "pending"
        }))
        .unwrap();
        let event = verify_delivery(&body, &truv_signature(&body, SECRET), SECRET).unwrap();
        match (&event, event_type) {
            (WebhookDelivery::OrderCreated(order), "order-created")
            | (WebhookDelivery::OrderRefreshFailed(order), "order-refresh-failed") => {
                assert_eq!(order.event_type, expected);
                assert_eq!(order.order_id, "o");
            }
            _ => panic!("{event_type}: {event:?}"),
        }
    }
    let body = br#"{"webhook_id":"w","event_type":"shifts-updated","event_created_at":"2024-01-02T03:04:05+00:00","user_id":"u","object_id":"s1"}"#;
    let event = verify_delivery(body, &truv_signature(body, SECRET), SECRET).unwrap();
    let WebhookDelivery::ShiftsUpdated(data) = event else {
        panic!("{event:?}")
    };
    assert_eq!(data.event_type, DataEventEventType::ShiftsUpdated);
    assert_eq!(data.task_id, None);
}

#[test]
fn an_unknown_event_type_keeps_its_json() {
    let body = br#"{"webhook_id":"w","event_type":"payroll-moved-to-mars","event_created_at":"2031-01-01T00:00:00Z","user_id":"u","rocket":{"stage":2}}"#;
    let event = verify_delivery(body, &truv_signature(body, SECRET), SECRET).unwrap();
    assert_eq!(event.event_type(), "payroll-moved-to-mars");
    let WebhookDelivery::Unknown(raw) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(raw["rocket"]["stage"], 2);
    let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), sent);
}

#[test]
fn a_changed_byte_is_a_mismatch() {
    let body = task_example();
    let signature = truv_signature(&body, SECRET);
    for at in [0, body.len() / 2, body.len() - 1] {
        let mut changed = body.clone();
        changed[at] ^= 0x01;
        let error = verify_delivery(&changed, &signature, SECRET).unwrap_err();
        assert!(
            matches!(
                error,
                VerifyError::Mismatch {
                    header: "X-WEBHOOK-SIGN"
                }
            ),
            "byte {at}: {error:?}"
        );
    }
    // The same body re-encoded (as a framework that parses and re-serializes would) no
    // longer matches: the raw bytes are what is signed.
    let reencoded =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(&body).unwrap())
            .unwrap();
    assert!(matches!(
        verify_delivery(&reencoded, &signature, SECRET),
        Err(VerifyError::Mismatch { .. })
    ));
}

#[test]
fn another_key_is_a_mismatch() {
    let body = task_example();
    let signature = truv_signature(&body, "prod-another-secret");
    let error = verify_delivery(&body, &signature, SECRET).unwrap_err();
    assert!(matches!(error, VerifyError::Mismatch { .. }), "{error:?}");
    assert!(
        !error.to_string().contains(SECRET) && !format!("{error:?}").contains(SECRET),
        "{error}"
    );
}

#[test]
fn missing_wrong_or_empty_headers_are_refused_by_name() {
    let body = task_example();
    let signature = truv_signature(&body, SECRET);
    let hex = signature.strip_prefix("v1=").unwrap();

    let error = verify_delivery(&body, hex, SECRET).unwrap_err();
    assert!(
        matches!(error, VerifyError::MissingPrefix { prefix: "v1=", .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the `X-WEBHOOK-SIGN` signature does not start with `v1=`"
    );
    let error = verify_delivery(&body, &format!("v2={hex}"), SECRET).unwrap_err();
    assert!(
        matches!(error, VerifyError::MissingPrefix { .. }),
        "{error:?}"
    );
    let error = verify_delivery(&body, "", SECRET).unwrap_err();
    assert!(
        matches!(error, VerifyError::MissingSignature { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("missing or empty"), "{error}");
    let error = verify_delivery(&body, "v1=zz", SECRET).unwrap_err();
    assert!(matches!(
        error,
        VerifyError::Malformed {
            encoding: "hex",
            ..
        }
    ));
    let error = verify_delivery(&body, &signature, "").unwrap_err();
    assert!(matches!(error, VerifyError::EmptyKey), "{error:?}");
    assert_eq!(DELIVERY_SIGNATURE_HEADER, "X-WEBHOOK-SIGN");
}

#[test]
fn a_signed_body_that_is_not_an_event_is_a_decode_error() {
    // A documented event type without the fields its shape requires.
    let body = br#"{"webhook_id":"w","event_type":"task-status-updated","event_created_at":"2024-01-02T03:04:05Z","user_id":"u"}"#;
    let error = verify_delivery(body, &truv_signature(body, SECRET), SECRET).unwrap_err();
    let VerifyError::Decode(cause) = &error else {
        panic!("{error:?}")
    };
    assert!(cause.to_string().contains("task_id"), "{cause}");
    let body = b"not json";
    let error = verify_delivery(body, &truv_signature(body, SECRET), SECRET).unwrap_err();
    assert!(matches!(error, VerifyError::Decode(_)), "{error:?}");
}
