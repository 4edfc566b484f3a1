//! Property tests of `truv-client`'s checked values and of serde round trips of every
//! generated Truv type.

use proptest::prelude::*;
use time::OffsetDateTime;
use truv_client::OrUnknown;
use truv_client::ValidationErrorKind;
use truv_client::types::{
    EnvType, ErrorResponse, Webhook, WebhookCreateRequest, WebhookEvent, WebhookName, WebhookUrl,
};

/// Characters of 1 to 4 UTF-8 bytes, so that byte and character counts differ.
fn text_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec!['a', 'Z', '7', ' ', '-', 'é', 'ß', '中', '😀'])
}

fn text(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(text_char(), len).prop_map(|chars| chars.into_iter().collect())
}

fn env_type() -> impl Strategy<Value = EnvType> {
    prop::sample::select(EnvType::ALL.to_vec())
}

fn event() -> impl Strategy<Value = WebhookEvent> {
    prop::sample::select(WebhookEvent::ALL.to_vec())
}

/// A valid absolute URL of at most `max` characters.
fn url(max: usize) -> impl Strategy<Value = String> {
    ("(http|https)", "[a-z]{1,20}", "[a-z0-9/._-]{0,200}").prop_map(move |(scheme, host, path)| {
        let mut url = format!("{scheme}://{host}.example/{path}");
        url.truncate(max);
        url
    })
}

fn timestamp() -> impl Strategy<Value = OffsetDateTime> {
    // Years 1..=9999, whole-minute offsets: everything RFC 3339 can spell.
    (
        -62_135_596_800_i64..253_402_300_799,
        0_u32..1_000_000_000,
        -1439_i16..=1439,
    )
        .prop_map(|(seconds, nanos, offset_minutes)| {
            let offset =
                time::UtcOffset::from_whole_seconds(i32::from(offset_minutes) * 60).unwrap();
            (OffsetDateTime::from_unix_timestamp(seconds).unwrap()
                + time::Duration::nanoseconds(i64::from(nanos)))
            .to_offset(offset)
        })
}

fn response_event() -> impl Strategy<Value = OrUnknown<WebhookEvent>> {
    prop_oneof![
        event().prop_map(OrUnknown::Known),
        "[a-z]{1,12}-(created|updated|deleted)x".prop_map(OrUnknown::Unknown),
    ]
}

fn webhook() -> impl Strategy<Value = Webhook> {
    (
        "[0-9a-f]{32}",
        text(0..=140),
        url(2048),
        prop::collection::vec(response_event(), 0..6),
        prop_oneof![
            env_type().prop_map(OrUnknown::Known),
            "[a-z]{1,8}x".prop_map(OrUnknown::Unknown)
        ],
        prop::option::of(any::<bool>()),
        timestamp(),
        timestamp(),
    )
        .prop_map(
            // Response types are non-exhaustive: built the way they arrive, from JSON.
            |(id, name, webhook_url, events, env_type, enabled, created_at, updated_at)| {
                let rfc3339 = |t: OffsetDateTime| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .unwrap()
                };
                serde_json::from_value(serde_json::json!({
                    "id": id,
                    "name": name,
                    "webhook_url": webhook_url,
                    "events": events,
                    "env_type": env_type,
                    "enabled": enabled,
                    "created_at": rfc3339(created_at),
                    "updated_at": rfc3339(updated_at),
                }))
                .unwrap()
            },
        )
}

proptest! {
    #[test]
    fn name_length_counts_characters(name in text(0..=200)) {
        let chars = name.chars().count();
        match WebhookName::new(name.clone()) {
            Ok(valid) => {
                prop_assert!(chars <= 128);
                prop_assert_eq!(valid.as_str(), name.as_str());
            }
            Err(error) => {
                prop_assert!(chars > 128);
                prop_assert_eq!(error.kind(), &ValidationErrorKind::TooLong { max: 128, actual: chars });
            }
        }
    }

    #[test]
    fn names_at_the_limit(filler in text_char(), extra in 0_usize..3) {
        let name: String = std::iter::repeat_n(filler, 128 + extra).collect();
        prop_assert_eq!(WebhookName::new(name).is_ok(), extra == 0);
    }

    #[test]
    fn webhook_urls_are_absolute_and_bounded(base in url(2048), pad in 0_usize..40) {
        let long: String = format!("{base}{}", "a".repeat(pad));
        let chars = long.chars().count();
        prop_assert_eq!(WebhookUrl::new(long).is_ok(), chars <= 2048);
        let at_limit = format!("https://x.example/{}", "p".repeat(2048 - 18));
        prop_assert!(WebhookUrl::new(at_limit.clone()).is_ok());
        let over_limit = format!("{at_limit}p");
        prop_assert!(WebhookUrl::new(over_limit).is_err());
    }

    #[test]
    fn relative_references_are_refused(path in "[a-z0-9/._-]{0,40}") {
        let error = WebhookUrl::new(format!("/{path}")).unwrap_err();
        let is_uri_error = matches!(error.kind(), ValidationErrorKind::NotAbsoluteUri { .. });
        prop_assert!(is_uri_error);
    }

    #[test]
    fn requests_round_trip(
        name in text(0..=128),
        webhook_url in url(2048),
        env_type in env_type(),
        events in prop::option::of(prop::collection::vec(event(), 0..5)),
    ) {
        let mut builder = WebhookCreateRequest::builder()
            .name(name)
            .webhook_url(webhook_url)
            .env_type(env_type);
        if let Some(events) = events {
            builder = builder.events(events);
        }
        let request = builder.build().unwrap();
        let json = serde_json::to_string(&request).unwrap();
        prop_assert_eq!(serde_json::from_str::<WebhookCreateRequest>(&json).unwrap(), request);
    }

    #[test]
    fn webhooks_round_trip(webhook in webhook()) {
        let json = serde_json::to_value(&webhook).unwrap();
        prop_assert_eq!(serde_json::from_value::<Webhook>(json).unwrap(), webhook);
    }

    #[test]
    fn error_bodies_round_trip(
        code in "[a-z_]{1,30}",
        message in text(0..=80),
        params in prop::option::of(prop::collection::vec(("[a-z_]{1,12}", text(0..=40)), 0..4)),
    ) {
        // Response types are non-exhaustive: built the way they arrive, from JSON.
        let mut error = serde_json::json!({"code": code, "message": message});
        if let Some(params) = &params {
            let params: Vec<_> = params
                .iter()
                .map(|(field, message)| serde_json::json!({"field": field, "message": message}))
                .collect();
            error["extra"] = serde_json::json!({"invalid-params": params});
        }
        let body: ErrorResponse = serde_json::from_value(serde_json::json!({"error": error})).unwrap();
        prop_assert_eq!(&body.error.code, &code);
        prop_assert_eq!(
            body.error.extra.as_ref().and_then(|extra| extra.invalid_params.as_ref()).map(Vec::len),
            params.as_ref().map(Vec::len)
        );
        let json = serde_json::to_value(&body).unwrap();
        prop_assert_eq!(serde_json::from_value::<ErrorResponse>(json).unwrap(), body);
    }

    #[test]
    fn enums_round_trip_through_their_wire_strings(env in env_type(), event in event()) {
        prop_assert_eq!(env.to_string().parse::<EnvType>().unwrap(), env);
        prop_assert_eq!(event.as_str().parse::<WebhookEvent>().unwrap(), event);
        let json = serde_json::to_string(&event).unwrap();
        prop_assert_eq!(json, format!("\"{}\"", event.as_str()));
    }

    #[test]
    fn unknown_wire_strings_are_refused_in_requests_and_kept_in_responses(raw in "[a-z]{1,10}x") {
        prop_assert!(raw.parse::<WebhookEvent>().is_err());
        let decoded: OrUnknown<WebhookEvent> = serde_json::from_value(serde_json::json!(raw)).unwrap();
        prop_assert_eq!(&decoded, &OrUnknown::Unknown(raw.clone()));
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), serde_json::json!(raw));
    }
}
