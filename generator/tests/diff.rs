//! `generator::diff` on edits of the real Truv description: each edit with the exact changes
//! (class, subject, text) a user of `truv-client` would be told about, and the version bump.

use generator::diff::{self, Class, Side, Subject, Version};

const SPEC: &str = include_str!("../../spec/truv-webhooks.yaml");

fn settings() -> generator::Settings {
    generator::Settings {
        crate_name: "truv-client".to_owned(),
        crate_version: "0.1.0".to_owned(),
        source_label: "spec/truv-webhooks.yaml".to_owned(),
        regenerate_command: "test".to_owned(),
        license: None,
        repository: None,
        strict: true,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    }
}

/// `text` with each `(from, to)` applied; each `from` must occur exactly once, so that an
/// edit of the spec that moves the text fails here rather than testing nothing.
fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in edits {
        assert_eq!(out.matches(from).count(), 1, "`{from}` must occur once");
        out = out.replacen(from, to, 1);
    }
    out
}

fn report(old: &str, new: &str) -> diff::Report {
    let old = Side {
        label: "old.yaml",
        text: old,
    };
    let new = Side {
        label: "new.yaml",
        text: new,
    };
    diff::diff(old, new, &settings()).unwrap()
}

/// `(class, subject, text)` of each change, the subject as the report's heading says it.
fn lines(report: &diff::Report) -> Vec<(Class, String, String)> {
    report
        .changes
        .iter()
        .map(|c| {
            let subject = match &c.subject {
                Subject::Client => "client".to_owned(),
                Subject::Operation { name, .. } => name.clone(),
                Subject::Type { path } => format!("types::{path}"),
                Subject::Callback { name } => format!("callback {name}"),
            };
            (c.class, subject, c.text.clone())
        })
        .collect()
}

const ENABLED: &str = "        enabled:
          type: boolean
          readOnly: true
          description: >-
            Whether Truv sends events to this webhook. Truv may disable a production
            webhook whose endpoint keeps failing; update it with `enabled: true` to
            re-enable it. (Documented; not on the create reference page, so not
            required here.)
";

struct Case {
    name: &'static str,
    /// Applied to the spec for the new side (the old side is the spec itself).
    edits: &'static [(&'static str, &'static str)],
    expected: &'static [(Class, &'static str, &'static str)],
}

const LIST_GET: &str = "      x-pagination:
        style: next-url";

const CASES: &[Case] = &[
    Case {
        name: "optional query parameter on the list operation",
        edits: &[(
            LIST_GET,
            "      parameters:
        - name: limit
          in: query
          description: How many webhooks a page holds.
          schema:
            type: integer
      x-pagination:
        style: next-url",
        )],
        expected: &[(
            Class::Minor,
            "list_webhooks",
            "optional query parameter `limit: i64` added (setter `limit`)",
        )],
    },
    Case {
        name: "required query parameter on the list operation",
        edits: &[(
            LIST_GET,
            "      parameters:
        - name: env_type
          in: query
          required: true
          schema:
            type: string
      x-pagination:
        style: next-url",
        )],
        expected: &[(
            Class::Major,
            "list_webhooks",
            "required query parameter `env_type: String` added: the method takes one more argument",
        )],
    },
    Case {
        name: "optional request field",
        edits: &[(
            "        events:
          $ref: \"#/components/schemas/WebhookEvents\"
    Webhook:",
            "        events:
          $ref: \"#/components/schemas/WebhookEvents\"
        note:
          type: string
          description: A note.
    Webhook:",
        )],
        expected: &[(
            Class::Minor,
            "types::WebhookCreateRequest",
            "optional field `note: Option<String>` added (builder setter `note`)",
        )],
    },
    Case {
        name: "required request field",
        edits: &[(
            "        - webhook_url
        - env_type
      properties:",
            "        - webhook_url
        - env_type
        - note
      properties:
        note:
          type: string
          description: A note.",
        )],
        expected: &[(
            Class::Major,
            "types::WebhookCreateRequest",
            "required field `note: String` added: `new` takes it, and `build()` refuses a builder without it",
        )],
    },
    Case {
        name: "request field no longer required",
        edits: &[(
            "        - webhook_url
        - env_type
      properties:",
            "        - webhook_url
      properties:",
        )],
        expected: &[(
            Class::Major,
            "types::WebhookCreateRequest",
            "field `env_type`: type `EnvType` → `Option<EnvType>`: `new` no longer takes it",
        )],
    },
    Case {
        name: "enumeration value removed (sent in requests)",
        edits: &[(
            "        - dev
        - prod
      example: dev",
            "        - dev
      example: dev",
        )],
        expected: &[(
            Class::Major,
            "types::EnvType",
            "value `prod` (`Prod`) removed",
        )],
    },
    Case {
        name: "enumeration value added (decoded as OrUnknown in responses)",
        edits: &[(
            "        - bank-accounts-updated
      example: task-status-updated",
            "        - bank-accounts-updated
        - paystubs-created
      example: task-status-updated",
        )],
        expected: &[(
            Class::Minor,
            "types::WebhookEvent",
            "value `paystubs-created` (`PaystubsCreated`) added",
        )],
    },
    Case {
        name: "maxLength lowered on a response-only field",
        edits: &[(
            "          maxLength: 32
          description: Unique identifier of the webhook.",
            "          maxLength: 16
          description: Unique identifier of the webhook.",
        )],
        expected: &[(
            Class::Patch,
            "types::Webhook",
            "field `id`: documentation changed",
        )],
    },
    Case {
        name: "maxLength raised on a request value",
        edits: &[("      maxLength: 2048", "      maxLength: 4096")],
        expected: &[
            (
                Class::Patch,
                "types::Webhook",
                "field `webhook_url`: documentation changed",
            ),
            (
                Class::Patch,
                "types::WebhookCreateRequest",
                "field `webhook_url`: documentation changed",
            ),
            (
                Class::Minor,
                "types::WebhookUrl",
                "values of this type: `maxLength` 2048 → 4096: every value accepted before still is",
            ),
            (Class::Patch, "types::WebhookUrl", "documentation changed"),
            (
                Class::Patch,
                "types::WebhookUpdateRequest",
                "field `webhook_url`: documentation changed",
            ),
        ],
    },
    Case {
        name: "operation removed",
        edits: &[(
            "    delete:
      tags:
        - Webhooks
      operationId: deleteWebhook",
            "    x-delete:
      tags:
        - Webhooks
      operationId: deleteWebhook",
        )],
        expected: &[
            (
                Class::Major,
                "delete_webhook",
                "removed: code calling it no longer compiles",
            ),
            (
                Class::Major,
                "types::retrieve_webhook::Error",
                "was an alias, is now an enum of error responses",
            ),
            (
                Class::Major,
                "types::delete_webhook::Error",
                "removed (an alias): code naming it no longer compiles",
            ),
            (
                Class::Major,
                "types::Error401Or403Or404Or429",
                "removed (an enum of error responses): code naming it no longer compiles",
            ),
        ],
    },
    Case {
        name: "operation renamed",
        edits: &[("operationId: deleteWebhook", "operationId: removeWebhook")],
        expected: &[
            (
                Class::Major,
                "remove_webhook",
                "renamed from `delete_webhook`: code calling the old name no longer compiles",
            ),
            (
                Class::Major,
                "remove_webhook",
                "error type `Error<delete_webhook::Error>` → `Error<remove_webhook::Error>`",
            ),
            (
                Class::Minor,
                "types::remove_webhook::Error",
                "added (an alias)",
            ),
            (
                Class::Major,
                "types::delete_webhook::Error",
                "removed (an alias): code naming it no longer compiles",
            ),
        ],
    },
    Case {
        name: "operation's method changed, same name",
        edits: &[(
            "    patch:
      tags:
        - Webhooks
      operationId: updateWebhook",
            "    put:
      tags:
        - Webhooks
      operationId: updateWebhook",
        )],
        expected: &[
            (
                Class::Minor,
                "update_webhook",
                "sends `PUT /v1/webhooks/{webhook_id}/` instead of `PATCH /v1/webhooks/{webhook_id}/`: the same code, another request",
            ),
            (Class::Patch, "update_webhook", "documentation changed"),
        ],
    },
    Case {
        name: "response field's type changed",
        edits: &[(
            "        detail:
          type: string",
            "        detail:
          type: integer",
        )],
        expected: &[(
            Class::Major,
            "types::NotFoundError",
            "field `detail`: type `String` → `i64`",
        )],
    },
    Case {
        name: "response field added, required",
        edits: &[(
            "      required:
        - detail
      properties:",
            "      required:
        - detail
        - code
      properties:
        code:
          type: string
          description: A code.",
        )],
        expected: &[(
            Class::Minor,
            "types::NotFoundError",
            "field `code: String` added",
        )],
    },
    Case {
        name: "security: one credential less on an operation",
        edits: &[(
            "      operationId: deleteWebhook",
            "      operationId: deleteWebhook
      security:
        - AccessSecret: []",
        )],
        expected: &[(
            Class::Minor,
            "delete_webhook",
            "security AccessSecret + ClientId → AccessSecret: every client that could call it still can",
        )],
    },
    Case {
        name: "security: a new credential required on an operation",
        edits: &[
            (
                "      operationId: deleteWebhook",
                "      operationId: deleteWebhook
      security:
        - Bearer: []",
            ),
            (
                "  securitySchemes:
",
                "  securitySchemes:
    Bearer:
      type: http
      scheme: bearer
      description: A token.
",
            ),
        ],
        expected: &[
            (
                Class::Minor,
                "client",
                "credential `Bearer` added (`ClientBuilder::bearer`)",
            ),
            (
                Class::Major,
                "delete_webhook",
                "security AccessSecret + ClientId → Bearer: a client set up for an old requirement may be refused before sending",
            ),
        ],
    },
    Case {
        name: "server URL changed",
        edits: &[(
            "  - url: https://prod.truv.com",
            "  - url: https://api.truv.com",
        )],
        expected: &[(
            Class::Minor,
            "client",
            "server `https://prod.truv.com` → `https://api.truv.com`: `Client::DEFAULT_BASE_URL`, and where `Client::new` sends calls",
        )],
    },
    Case {
        name: "documentation only",
        edits: &[(
            "Returns one webhook configuration.",
            "Returns one webhook configuration, by its id.",
        )],
        expected: &[(Class::Patch, "retrieve_webhook", "documentation changed")],
    },
];

#[test]
fn each_edit_has_its_changes_and_classes() {
    let mut failures = Vec::new();
    for case in CASES {
        let new = edit(SPEC, case.edits);
        let got = lines(&report(SPEC, &new));
        let expected: Vec<(Class, String, String)> = case
            .expected
            .iter()
            .map(|(c, s, t)| (*c, (*s).to_owned(), (*t).to_owned()))
            .collect();
        if got != expected {
            let shown: Vec<String> = got
                .iter()
                .map(|(c, s, t)| format!("    (Class::{c:?}, {s:?}, {t:?}),"))
                .collect();
            failures.push(format!("{}: got\n{}", case.name, shown.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

#[test]
fn documenting_enabled_on_the_webhook_is_one_additive_change_a_patch_position_bump_in_0_x() {
    let base = edit(SPEC, &[(ENABLED, "")]);
    let report = report(&base, SPEC);
    assert_eq!(
        lines(&report),
        [(
            Class::Minor,
            "types::Webhook".to_owned(),
            "field `enabled: Option<bool>` added".to_owned()
        )]
    );
    assert_eq!(report.counts(), (0, 1, 0));
    assert_eq!(report.required(), Some(Class::Minor));
    assert_eq!(version("0.1.0").required(Class::Minor), version("0.1.1"));
    assert!(diff::check_version(&version("0.1.0"), &version("0.1.1"), report.required()).is_ok());
    assert!(diff::check_version(&version("0.1.0"), &version("0.1.0"), report.required()).is_err());
}

#[test]
fn lowering_the_name_s_max_length_breaks_requests_and_bumps_0_x() {
    let new = edit(SPEC, &[("      maxLength: 128\n", "      maxLength: 64\n")]);
    let report = report(SPEC, &new);
    let breaking: Vec<_> = lines(&report)
        .into_iter()
        .filter(|(class, ..)| *class == Class::Major)
        .collect();
    assert_eq!(
        breaking,
        [(
            Class::Major,
            "types::WebhookName".to_owned(),
            "values of this type: `maxLength` 128 → 64: a value accepted before may now be refused before sending".to_owned()
        )]
    );
    // The rest is the limit the fields' docs mention, on the create, update and response types.
    assert_eq!(report.counts(), (1, 0, 4));
    assert_eq!(version("0.1.0").required(Class::Major), version("0.2.0"));
    let short = diff::check_version(&version("0.1.0"), &version("0.1.1"), report.required());
    assert_eq!(
        short.unwrap_err(),
        "`0.1.1` is not enough for major changes from `0.1.0`: use `0.2.0` or later"
    );
    assert!(diff::check_version(&version("0.1.0"), &version("0.2.0"), report.required()).is_ok());
}

#[test]
fn an_optional_query_parameter_on_the_list_operation_is_additive() {
    let case = CASES
        .iter()
        .find(|c| c.name.starts_with("optional query"))
        .unwrap();
    let report = report(SPEC, &edit(SPEC, case.edits));
    assert_eq!(report.required(), Some(Class::Minor));
    assert_eq!(report.counts(), (0, 1, 0));
}

#[test]
fn versions_follow_cargo_s_rules() {
    let cases = [
        ("1.2.3", Class::Major, "2.0.0"),
        ("1.2.3", Class::Minor, "1.3.0"),
        ("1.2.3", Class::Patch, "1.2.4"),
        ("0.2.3", Class::Major, "0.3.0"),
        ("0.2.3", Class::Minor, "0.2.4"),
        ("0.2.3", Class::Patch, "0.2.4"),
        ("0.0.3", Class::Major, "0.0.4"),
        ("0.0.3", Class::Minor, "0.0.4"),
        ("0.0.3", Class::Patch, "0.0.4"),
    ];
    for (from, class, to) in cases {
        assert_eq!(version(from).required(class), version(to), "{from} {class}");
    }
    // A larger bump than needed is fine; going down never is.
    assert!(diff::check_version(&version("0.2.3"), &version("1.0.0"), Some(Class::Major)).is_ok());
    assert!(diff::check_version(&version("0.2.3"), &version("0.2.3"), None).is_ok());
    assert!(diff::check_version(&version("0.2.3"), &version("0.2.2"), None).is_err());
    assert_eq!(version("1.4.0-rc.1+build"), version("1.4.0"));
    assert!("1.4".parse::<Version>().is_err());
}

#[test]
fn a_description_that_cannot_be_read_is_an_error_with_its_diagnostics() {
    let broken = edit(SPEC, &[("openapi: 3.0.3", "openapi: [3")]);
    let old = Side {
        label: "old.yaml",
        text: SPEC,
    };
    let new = Side {
        label: "new.yaml",
        text: &broken,
    };
    let error = diff::diff(old, new, &settings()).unwrap_err();
    assert_eq!(error.file, "new.yaml");
    assert!(!error.items.is_empty());
}

/// A realistic release of the description: `enabled` documented, an event type added, the
/// list filtered by environment, and a clarified summary.
#[test]
fn report_of_a_realistic_change() {
    let base = edit(SPEC, &[(ENABLED, "")]);
    let new = edit(
        SPEC,
        &[
            (
                "        - bank-accounts-updated
      example: task-status-updated",
                "        - bank-accounts-updated
        - paystubs-created
      example: task-status-updated",
            ),
            (
                LIST_GET,
                "      parameters:
        - name: env_type
          in: query
          description: Only the webhooks of this environment.
          schema:
            $ref: \"#/components/schemas/EnvType\"
      x-pagination:
        style: next-url",
            ),
            (
                "      summary: Delete a webhook",
                "      summary: Delete a webhook for good",
            ),
        ],
    );
    let report = report(&base, &new).with_versions(version("0.1.0"), Some(version("0.1.1")));
    insta::assert_snapshot!(report.markdown());
}
