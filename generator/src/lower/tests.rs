//! Lowering's rules, proved on the model it builds rather than on printed code: each test
//! lowers a small inline document and asserts the names, kinds and choices it should get.

use super::lower;
use crate::diagnostics::Diagnostic;
use crate::load::{self, Syntax};
use crate::model::{
    Api, Body, BodyMedia, Checked, CursorSource, EnumValue, ErrorStatus, Field, FormField, Method,
    NextPage, Omission, Omitted, Operation, PagerSource, ParamEncoding, ParamLocation, Parameter,
    PathStyle, Payload, Placement, StringRules, Struct, TokenFlow, TypeDef, TypeId, TypeKind,
    TypeRef,
};

/// `body` (`paths`, `components`...) under a minimal header, with the indentation it has in
/// the test's source removed, so documents can be written where they are used.
fn document(body: &str) -> String {
    let indent = body
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Test, version: \"1\"}\n");
    for line in body.lines() {
        text.push_str(line.get(indent..).unwrap_or(""));
        text.push('\n');
    }
    text
}

/// The model of a complete document, or what it left out (as problems).
fn lower_result(body: &str) -> Result<Api, Vec<Diagnostic>> {
    let api = lower_partial(body);
    if api.omissions.is_empty() {
        Ok(api)
    } else {
        Err(api
            .omissions
            .iter()
            .map(|o| Diagnostic::new(&o.pointer, &o.reason))
            .collect())
    }
}

/// The model of a document, whatever it left out.
fn lower_partial(body: &str) -> Api {
    let text = document(body);
    let doc = load::parse(&text, Syntax::Yaml)
        .unwrap_or_else(|d| panic!("test document does not parse: {d:?}\n{text}"));
    lower(&doc)
}

fn lower_yaml(body: &str) -> Api {
    lower_result(body).unwrap_or_else(|d| panic!("lowering failed: {d:#?}"))
}

fn lower_errors(body: &str) -> Vec<Diagnostic> {
    match lower_result(body) {
        Ok(_) => panic!("lowering succeeded, but the document has problems"),
        Err(diagnostics) => diagnostics,
    }
}

/// The type at `path`: `Pet` at the top of `types`, `create_pet::Body` in an operation's
/// module.
fn type_id(api: &Api, path: &str) -> TypeId {
    let name = path;
    let found = (0..api.types.len()).position(|i| api.type_path(TypeId(i)) == path);
    let names: Vec<String> = (0..api.types.len())
        .map(|i| api.type_path(TypeId(i)))
        .collect();
    TypeId(found.unwrap_or_else(|| panic!("no type `{name}` among {names:?}")))
}

fn type_def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    &api.types[type_id(api, name).0]
}

fn named(api: &Api, name: &str) -> TypeRef {
    TypeRef::Named(type_id(api, name))
}

fn struct_def<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match &type_def(api, name).kind {
        TypeKind::Struct(s) => s,
        other => panic!("`{name}` is not a struct: {other:?}"),
    }
}

fn field<'a>(s: &'a Struct, wire_name: &str) -> &'a Field {
    s.fields
        .iter()
        .find(|f| f.wire_name == wire_name)
        .unwrap_or_else(|| panic!("no field `{wire_name}` in {s:?}"))
}

fn wire_names(s: &Struct) -> Vec<&str> {
    s.fields.iter().map(|f| f.wire_name.as_str()).collect()
}

fn operation<'a>(api: &'a Api, rust_name: &str) -> &'a Operation {
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.rust_name.as_str())
        .collect();
    api.operations
        .iter()
        .find(|o| o.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no operation `{rust_name}` among {names:?}"))
}

fn param<'a>(op: &'a Operation, wire_name: &str, location: ParamLocation) -> &'a Parameter {
    op.params
        .iter()
        .find(|p| p.wire_name == wire_name && p.location == location)
        .unwrap_or_else(|| panic!("no {location:?} parameter `{wire_name}` in `{}`", op.id))
}

fn body<'a>(api: &'a Api, rust_name: &str) -> &'a Body {
    operation(api, rust_name)
        .body
        .as_ref()
        .unwrap_or_else(|| panic!("`{rust_name}` has no body"))
}

// Types

#[test]
fn struct_fields_keep_wire_names_and_say_required_and_nullable() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            get:
              operationId: getPet
              responses:
                "200":
                  description: A pet.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
        components:
          schemas:
            Pet:
              type: object
              required: [petId]
              properties:
                petId: {type: string}
                nickName: {type: string, nullable: true}
                type: {type: integer, format: int32}
        "##,
    );
    let pet = struct_def(&api, "Pet");
    let pet_id = field(pet, "petId");
    assert_eq!(
        (
            pet_id.rust_name.as_str(),
            &pet_id.ty,
            pet_id.required,
            pet_id.nullable
        ),
        ("pet_id", &TypeRef::String, true, false)
    );
    let nick = field(pet, "nickName");
    assert_eq!(
        (nick.rust_name.as_str(), nick.required, nick.nullable),
        ("nick_name", false, true)
    );
    let kind = field(pet, "type");
    assert_eq!(
        (kind.rust_name.as_str(), &kind.ty),
        ("r#type", &TypeRef::I32)
    );
    // Only what callers build gets a builder; this struct is only received.
    assert_eq!(pet.builder, None);
    assert_eq!(
        operation(&api, "get_pet").success,
        Payload::Json(named(&api, "Pet"))
    );
}

#[test]
fn structs_sent_in_requests_get_a_builder() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            post:
              operationId: createPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/NewPet"}
              responses: {"204": {description: Created.}}
        components:
          schemas:
            NewPet:
              type: object
              properties:
                name: {type: string}
        "##,
    );
    assert_eq!(
        struct_def(&api, "NewPet").builder.as_deref(),
        Some("NewPetBuilder")
    );
    let body = body(&api, "create_pet");
    assert_eq!(
        (&body.ty, body.required, &body.media),
        (&named(&api, "NewPet"), true, &BodyMedia::Json)
    );
}

#[test]
fn one_enum_type_is_or_unknown_in_responses_and_exact_in_requests() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            get:
              operationId: getPet
              responses:
                "200":
                  description: A pet.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
            post:
              operationId: createPet
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/NewPet"}
              responses: {"204": {description: Created.}}
        components:
          schemas:
            Status: {type: string, enum: [active, in-review, "", active]}
            Pet:
              type: object
              properties:
                status: {$ref: "#/components/schemas/Status"}
            NewPet:
              type: object
              properties:
                status: {$ref: "#/components/schemas/Status"}
        "##,
    );
    let status = type_id(&api, "Status");
    assert_eq!(
        api.types
            .iter()
            .filter(|t| t.name.starts_with("Status"))
            .count(),
        1
    );
    let TypeKind::Enum(e) = &type_def(&api, "Status").kind else {
        panic!("`Status` is not an enum");
    };
    let variants: Vec<(&str, &EnumValue)> = e
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), &v.wire))
        .collect();
    // A repeated value is one variant; the empty string needs a name of its own.
    assert_eq!(
        variants,
        [
            ("Active", &EnumValue::String("active".into())),
            ("InReview", &EnumValue::String("in-review".into())),
            ("Empty", &EnumValue::String(String::new())),
        ]
    );
    assert_eq!(
        field(struct_def(&api, "Pet"), "status").ty,
        TypeRef::OrUnknown(status)
    );
    assert_eq!(
        field(struct_def(&api, "NewPet"), "status").ty,
        TypeRef::Named(status)
    );
}

#[test]
fn enum_values_in_words_keep_their_names_before_symbols_spelled_alike() {
    let api = lower_yaml(
        r##"
        paths:
          /events:
            get:
              operationId: getEvent
              responses:
                "200":
                  description: An event.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Event"}
        components:
          schemas:
            Event: {type: string, enum: ["*", push, star, "+", plus, "-1", "+1"]}
        "##,
    );
    let TypeKind::Enum(e) = &type_def(&api, "Event").kind else {
        panic!("`Event` is not an enum");
    };
    let names: Vec<&str> = e.variants.iter().map(|v| v.rust_name.as_str()).collect();
    // GitHub's webhook events list `*` before `star`: neither is `Star2`.
    assert_eq!(
        names,
        [
            "StarSymbol",
            "Push",
            "Star",
            "PlusSymbol",
            "Plus",
            "Minus1",
            "Plus1"
        ]
    );
}

#[test]
fn inline_union_members_of_one_kind_are_named_by_what_tells_them_apart() {
    let api = lower_yaml(
        r##"
        paths:
          /refs:
            get:
              operationId: getRef
              responses:
                "200":
                  description: A reference.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Ref"}
        components:
          schemas:
            Ref:
              oneOf:
                - {type: object, properties: {type: {type: string, enum: [branch]}, name: {type: string}}}
                - {type: object, properties: {type: {type: string, enum: [tag]}, sha: {type: string}}}
                - {type: string, enum: [read, write]}
                - {type: string, enum: [admin]}
                - {type: object, properties: {a: {type: string}}}
                - {type: object, properties: {b: {type: string}}}
        "##,
    );
    let TypeKind::Union(u) = &type_def(&api, "Ref").kind else {
        panic!("`Ref` is not a union");
    };
    let names: Vec<&str> = u.variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        names,
        ["Branch", "Tag", "ReadOrWrite", "Admin", "Object", "Object2"]
    );
    // The number, the last resort, is explained.
    let last = &u.variants[5].docs.paragraphs;
    assert!(
        last.iter()
            .any(|p| p.contains("member 6 of the `oneOf`, after `Object`")),
        "{last:?}"
    );
}

#[test]
fn integer_enums_keep_integer_values() {
    let api = lower_yaml(
        r##"
        paths:
          /levels:
            get:
              operationId: getLevel
              responses:
                "200":
                  description: A level.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Level"}
        components:
          schemas:
            Level: {type: integer, enum: [1, 2, 10]}
        "##,
    );
    let TypeKind::Enum(e) = &type_def(&api, "Level").kind else {
        panic!("`Level` is not an enum");
    };
    assert!(e.is_integer());
    let variants: Vec<(&str, &EnumValue)> = e
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), &v.wire))
        .collect();
    assert_eq!(
        variants,
        [
            ("V1", &EnumValue::Integer(1)),
            ("V2", &EnumValue::Integer(2)),
            ("V10", &EnumValue::Integer(10)),
        ]
    );
    assert_eq!(
        operation(&api, "get_level").success,
        Payload::Json(TypeRef::OrUnknown(type_id(&api, "Level")))
    );
}

/// Pet: sent and received, with read-only and write-only properties.
const PET_BOTH_WAYS: &str = r##"
    paths:
      /pets:
        get:
          operationId: getPet
          responses:
            "200":
              description: A pet.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Pet"}
        post:
          operationId: createPet
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Pet"}
          responses: {"204": {description: Created.}}
    components:
      schemas:
        Pet:
          type: object
          required: [name]
          properties:
            id: {type: string, readOnly: true}
            name: {type: string}
            password: {type: string, writeOnly: true}
    "##;

#[test]
fn schema_with_read_only_used_both_ways_splits_into_name_and_name_input() {
    let api = lower_yaml(PET_BOTH_WAYS);
    let received = struct_def(&api, "Pet");
    assert_eq!(wire_names(received), ["id", "name"]);
    assert_eq!(received.builder, None);
    let sent = struct_def(&api, "PetInput");
    assert_eq!(wire_names(sent), ["name", "password"]);
    assert_eq!(sent.builder.as_deref(), Some("PetInputBuilder"));
    assert_eq!(
        operation(&api, "get_pet").success,
        Payload::Json(named(&api, "Pet"))
    );
    assert_eq!(body(&api, "create_pet").ty, named(&api, "PetInput"));
}

#[test]
fn schema_that_lowers_alike_both_ways_is_one_type() {
    let api = lower_yaml(
        &PET_BOTH_WAYS
            .replace("{type: string, readOnly: true}", "{type: string}")
            .replace("{type: string, writeOnly: true}", "{type: string}"),
    );
    let pet = struct_def(&api, "Pet");
    assert_eq!(wire_names(pet), ["id", "name", "password"]);
    assert_eq!(pet.builder.as_deref(), Some("PetBuilder"));
    assert!(!api.types.iter().any(|t| t.name == "PetInput"));
    assert_eq!(body(&api, "create_pet").ty, named(&api, "Pet"));
}

#[test]
fn string_rules_are_checked_only_in_requests() {
    let api = lower_yaml(
        r##"
        paths:
          /codes:
            get:
              operationId: getCode
              responses:
                "200":
                  description: A code.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Holder"}
            put:
              operationId: putCode
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Holder"}
              responses: {"204": {description: Stored.}}
        components:
          schemas:
            Holder:
              type: object
              properties:
                code: {$ref: "#/components/schemas/Code"}
                home: {type: string, format: uri}
            Code: {type: string, minLength: 2, maxLength: 5, pattern: "^[A-Z]+$"}
        "##,
    );
    let received = struct_def(&api, "Holder");
    assert_eq!(field(received, "code").ty, TypeRef::String);
    assert_eq!(field(received, "home").ty, TypeRef::String);
    let sent = struct_def(&api, "HolderInput");
    // The component keeps its name, for the runtime's pattern string with a rule type.
    assert_eq!(field(sent, "code").ty, named(&api, "Code"));
    let TypeKind::Alias(TypeRef::Checked(Checked::Pattern(rule))) = &type_def(&api, "Code").kind
    else {
        panic!("Code is a pattern string")
    };
    assert_eq!(api.types[rule.0].name, "CodePattern");
    assert_eq!(
        api.types[rule.0].kind,
        TypeKind::StringRule(StringRules {
            min_length: Some(2),
            max_length: Some(5),
            absolute_uri: false,
            pattern: Some("^[A-Z]+$".into()),
        })
    );
    // An inline rule is the runtime's type itself: no type of its own.
    assert_eq!(
        field(sent, "home").ty,
        TypeRef::Checked(Checked::Uri { min: 0, max: None })
    );
    assert!(!api.types.iter().any(|t| t.name == "HolderInputHome"));
    assert!(api.uses_patterns());
}

#[test]
fn number_bounds_are_checked_only_in_requests() {
    let api = lower_yaml(
        r#"
        paths:
          /items:
            get:
              operationId: listItems
              parameters:
                - name: limit
                  in: query
                  schema:
                    type: integer
                    format: int32
                    minimum: 1
                    maximum: 100
                    exclusiveMaximum: true
                    multipleOf: 5
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          count: {type: integer, format: int32, minimum: 1}
                          ratio: {type: number, maximum: 1}
        "#,
    );
    let limit = param(operation(&api, "list_items"), "limit", ParamLocation::Query);
    // Bounds become inclusive type parameters: `exclusiveMaximum: 100` is at most 99.
    assert_eq!(
        limit.ty,
        TypeRef::Checked(Checked::Integer {
            wide: false,
            min: Some(1),
            max: Some(99),
            multiple_of: Some(5),
        })
    );
    // A checked number is still one value in the query.
    assert_eq!(limit.encoding, ParamEncoding::Scalar);
    let page = struct_def(&api, "list_items::Response");
    assert_eq!(field(page, "count").ty, TypeRef::I32);
    assert_eq!(field(page, "ratio").ty, TypeRef::F64);
}

#[test]
fn schemas_no_operation_reaches_still_become_response_types() {
    let api = lower_yaml(
        r"
        paths: {}
        components:
          schemas:
            Event:
              type: object
              properties:
                kind: {type: string, enum: [created]}
        ",
    );
    let event = struct_def(&api, "Event");
    assert_eq!(event.builder, None);
    assert_eq!(
        field(event, "kind").ty,
        TypeRef::OrUnknown(type_id(&api, "EventKind"))
    );
}

// Operations and parameters

#[test]
fn operation_names_come_from_operation_id_and_avoid_client_methods_and_each_other() {
    let api = lower_yaml(
        r#"
        paths:
          /pets:
            get:
              operationId: listPets
              responses: {"204": {description: Done.}}
            post:
              operationId: list_pets
              responses: {"204": {description: Done.}}
          /clients:
            get:
              operationId: new
              responses: {"204": {description: Done.}}
        "#,
    );
    let names: Vec<(&str, &str, Method)> = api
        .operations
        .iter()
        .map(|o| (o.rust_name.as_str(), o.id.as_str(), o.method.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("list_pets", "listPets", Method::Get),
            ("list_pets2", "list_pets", Method::Post),
            ("new2", "new", Method::Get),
        ]
    );
}

#[test]
fn operations_without_id_are_named_from_method_and_path() {
    let api = lower_yaml(
        r#"
        paths:
          /pets/{petId}/toys:
            delete:
              parameters:
                - {name: petId, in: path, required: true, schema: {type: string}}
              responses: {"204": {description: Done.}}
        "#,
    );
    let op = &api.operations[0];
    assert_eq!(op.id, "delete /pets/{petId}/toys");
    assert_eq!(op.rust_name, "delete_pets_pet_id_toys");
    assert_eq!(op.method, Method::Delete);
    assert_eq!(op.path, "/pets/{petId}/toys");
}

/// Twilio's `StartTime<` and `StartTime>` beside `StartTime`: words, not `start_time2` and
/// `start_time3`; a sigil is dropped unless a sibling has the name without it.
#[test]
fn symbols_in_parameter_and_field_names_are_words() {
    let api = lower_yaml(
        r##"
        paths:
          /calls:
            get:
              operationId: listCalls
              parameters:
                - {name: "StartTime<", in: query, schema: {type: string}}
                - {name: StartTime, in: query, schema: {type: string}}
                - {name: "StartTime>=", in: query, required: true, schema: {type: string}}
                - {name: "reactions--1", in: query, schema: {type: integer}}
                - {name: "$select", in: query, schema: {type: string}}
              responses:
                "200":
                  description: A call.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Call"}
        components:
          schemas:
            Call:
              type: object
              properties:
                "@id": {type: string}
                "@type": {type: string}
                id: {type: string}
                "+1": {type: integer}
                "-1": {type: integer}
        "##,
    );
    let op = operation(&api, "list_calls");
    let names: Vec<(&str, &str)> = op
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.setter.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("start_time_lt", "start_time_lt"),
            ("start_time", "start_time"),
            ("start_time_ge", "start_time_ge"),
            ("reactions_minus_1", "reactions_minus_1"),
            ("select", "select"),
        ]
    );
    let call = struct_def(&api, "Call");
    let fields: Vec<&str> = call.fields.iter().map(|f| f.rust_name.as_str()).collect();
    assert_eq!(fields, ["at_id", "r#type", "id", "plus_1", "minus_1"]);
}

#[test]
fn parameters_keep_location_required_and_path_style() {
    let api = lower_yaml(
        r#"
        paths:
          /files/{id}/{tags}/{version}:
            get:
              operationId: getFile
              parameters:
                - {name: id, in: path, style: label, schema: {type: string}}
                - name: tags
                  in: path
                  required: true
                  style: matrix
                  explode: true
                  schema: {type: array, items: {type: string}}
                - {name: version, in: path, required: true, schema: {type: integer}}
                - name: X-Meta
                  in: header
                  schema:
                    type: object
                    properties:
                      a: {type: string}
                - {name: session, in: cookie, required: true, schema: {type: string}}
              responses: {"204": {description: Done.}}
        "#,
    );
    let op = operation(&api, "get_file");
    let id = param(op, "id", ParamLocation::Path);
    // A path parameter is required whatever the document says.
    assert_eq!(
        (id.required, id.path_style, id.encoding),
        (true, PathStyle::Label, ParamEncoding::Scalar)
    );
    let tags = param(op, "tags", ParamLocation::Path);
    assert_eq!(
        (tags.path_style, tags.encoding),
        (
            PathStyle::Matrix,
            ParamEncoding::List {
                explode: true,
                separator: ','
            }
        )
    );
    let version = param(op, "version", ParamLocation::Path);
    assert_eq!(
        (&version.ty, version.path_style),
        (&TypeRef::I64, PathStyle::Simple)
    );
    let meta = param(op, "X-Meta", ParamLocation::Header);
    assert_eq!(
        (meta.rust_name.as_str(), meta.required, meta.encoding),
        ("x_meta", false, ParamEncoding::Text { explode: false })
    );
    let session = param(op, "session", ParamLocation::Cookie);
    assert_eq!(
        (session.required, session.encoding),
        (true, ParamEncoding::Scalar)
    );
}

#[test]
fn query_parameter_encoding_follows_style_and_explode() {
    let api = lower_yaml(
        r#"
        paths:
          /search:
            get:
              operationId: search
              parameters:
                - {name: q, in: query, schema: {type: string}}
                - {name: tags, in: query, schema: {type: array, items: {type: string}}}
                - name: ids
                  in: query
                  explode: false
                  schema: {type: array, items: {type: integer}}
                - name: pipes
                  in: query
                  style: pipeDelimited
                  schema: {type: array, items: {type: string}}
                - name: filter
                  in: query
                  style: deepObject
                  schema:
                    type: object
                    properties:
                      owner: {type: string}
                - name: where
                  in: query
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          a: {type: string}
              responses: {"204": {description: Done.}}
        "#,
    );
    let encodings: Vec<(&str, ParamEncoding)> = operation(&api, "search")
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.encoding))
        .collect();
    assert_eq!(
        encodings,
        [
            ("q", ParamEncoding::Scalar),
            (
                "tags",
                ParamEncoding::List {
                    explode: true,
                    separator: ','
                }
            ),
            (
                "ids",
                ParamEncoding::List {
                    explode: false,
                    separator: ','
                }
            ),
            (
                "pipes",
                ParamEncoding::List {
                    explode: false,
                    separator: '|'
                }
            ),
            (
                "filter",
                ParamEncoding::Object {
                    deep: true,
                    explode: false
                }
            ),
            ("r#where", ParamEncoding::Json),
        ]
    );
    assert_eq!(
        param(operation(&api, "search"), "filter", ParamLocation::Query).ty,
        named(&api, "search::Filter")
    );
}

#[test]
fn operation_parameters_replace_path_item_ones_of_the_same_name_and_location() {
    let api = lower_yaml(
        r#"
        paths:
          /pets/{id}:
            parameters:
              - {name: id, in: path, required: true, description: From the path item., schema: {type: string}}
              - {name: id, in: query, description: Same name in the query., schema: {type: string}}
            get:
              operationId: getPet
              parameters:
                - {name: id, in: path, required: true, description: From the operation., schema: {type: integer}}
              responses: {"204": {description: Done.}}
        "#,
    );
    let op = operation(&api, "get_pet");
    assert_eq!(op.params.len(), 2);
    let path_id = param(op, "id", ParamLocation::Path);
    assert_eq!(path_id.ty, TypeRef::I64);
    assert_eq!(path_id.docs.paragraphs, ["From the operation."]);
    assert_eq!(
        param(op, "id", ParamLocation::Query).docs.paragraphs,
        ["Same name in the query."]
    );
}

#[test]
fn parameter_names_keep_their_names_beside_the_generated_method_locals() {
    let api = lower_yaml(
        r#"
        paths:
          /things:
            get:
              operationId: listThings
              parameters:
                - {name: body, in: query, schema: {type: string}}
                - {name: parts, in: header, schema: {type: string}}
                - {name: request, in: header, schema: {type: string}}
                - {name: page, in: query, schema: {type: integer}}
                - {name: path, in: query, required: true, schema: {type: string}}
                - {name: path_, in: query, required: true, schema: {type: string}}
              responses: {"204": {description: Done.}}
        "#,
    );
    let names: Vec<&str> = operation(&api, "list_things")
        .params
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    // The generated code's locals end in `_` (`parts_`, `path_`), which no parameter's name
    // does: parameters keep theirs. Only the body argument is taken.
    assert_eq!(
        names,
        ["body2", "parts", "request", "page", "path", "path2"]
    );
}

// Request bodies

/// One operation per request body media type.
const BODIES: &str = r##"
    paths:
      /json:
        post:
          operationId: sendJson
          requestBody:
            content:
              application/x-www-form-urlencoded:
                schema: {$ref: "#/components/schemas/Form"}
              application/json:
                schema: {$ref: "#/components/schemas/Form"}
          responses: {"204": {description: Done.}}
      /form:
        post:
          operationId: sendForm
          requestBody:
            required: true
            content:
              application/x-www-form-urlencoded:
                schema: {$ref: "#/components/schemas/Form"}
                encoding:
                  name: {style: form}
                  tags: {style: pipeDelimited}
                  meta: {style: deepObject}
          responses: {"204": {description: Done.}}
      /upload:
        post:
          operationId: upload
          requestBody:
            content:
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    file: {type: string, format: binary}
                    note: {type: string}
          responses: {"204": {description: Done.}}
      /text:
        post:
          operationId: sendText
          requestBody:
            content:
              text/plain; charset=utf-8:
                schema: {type: string}
          responses: {"204": {description: Done.}}
      /bytes:
        post:
          operationId: sendBytes
          requestBody:
            content:
              application/octet-stream:
                schema: {type: string, format: binary}
          responses: {"204": {description: Done.}}
    components:
      schemas:
        Form:
          type: object
          properties:
            name: {type: string}
            tags: {type: array, items: {type: string}}
            meta:
              type: object
              properties:
                a: {type: string}
    "##;

#[test]
fn json_is_preferred_over_other_body_media() {
    let api = lower_yaml(BODIES);
    let body = body(&api, "send_json");
    assert_eq!(
        (&body.ty, &body.media),
        (&named(&api, "Form"), &BodyMedia::Json)
    );
}

#[test]
fn form_bodies_keep_only_encodings_that_differ_from_the_default() {
    let api = lower_yaml(BODIES);
    let body = body(&api, "send_form");
    assert!(body.required);
    assert_eq!(
        body.media,
        BodyMedia::Form(vec![
            FormField {
                name: "tags".into(),
                deep: false,
                explode: false,
                separator: '|',
            },
            FormField {
                name: "meta".into(),
                deep: true,
                explode: true,
                separator: ',',
            },
        ])
    );
    assert!(api.uses_forms());
}

#[test]
fn multipart_bodies_are_structs_whose_binary_fields_are_files() {
    let api = lower_yaml(BODIES);
    let body = body(&api, "upload");
    assert_eq!(
        (&body.ty, &body.media),
        (&named(&api, "upload::Body"), &BodyMedia::Multipart)
    );
    let upload = struct_def(&api, "upload::Body");
    assert!(upload.multipart);
    assert_eq!(field(upload, "file").ty, TypeRef::File);
    assert_eq!(field(upload, "note").ty, TypeRef::String);
    assert!(api.uses_multipart());
}

#[test]
fn text_and_other_bodies_are_sent_with_their_media_type() {
    let api = lower_yaml(BODIES);
    let text = body(&api, "send_text");
    assert_eq!(
        (&text.ty, &text.media),
        (
            &TypeRef::String,
            &BodyMedia::Text("text/plain; charset=utf-8".into())
        )
    );
    let bytes = body(&api, "send_bytes");
    assert_eq!(
        (&bytes.ty, &bytes.media),
        (
            &TypeRef::Bytes,
            &BodyMedia::Bytes("application/octet-stream".into())
        )
    );
}

// Success responses

#[test]
fn success_payload_follows_media_and_sets_accept() {
    let api = lower_yaml(
        r#"
        paths:
          /ping:
            get:
              operationId: ping
              responses: {"204": {description: Alive.}}
          /readme:
            get:
              operationId: readme
              responses:
                "200":
                  description: Text.
                  content:
                    text/markdown: {schema: {type: string}}
          /logo:
            get:
              operationId: logo
              responses:
                "200":
                  description: An image.
                  content:
                    image/png: {schema: {type: string, format: binary}}
        "#,
    );
    let payloads: Vec<(&str, &Payload, &str)> = api
        .operations
        .iter()
        .map(|o| (o.rust_name.as_str(), &o.success, o.accept.as_str()))
        .collect();
    assert_eq!(
        payloads,
        [
            ("ping", &Payload::Empty, "application/json"),
            ("readme", &Payload::Text, "text/markdown"),
            ("logo", &Payload::Bytes, "image/png"),
        ]
    );
}

#[test]
fn success_statuses_sharing_a_body_return_it() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            put:
              operationId: upsertPet
              responses:
                "200":
                  description: Replaced.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
        components:
          schemas:
            Pet:
              type: object
              properties:
                name: {type: string}
        "##,
    );
    assert_eq!(
        operation(&api, "upsert_pet").success,
        Payload::Json(named(&api, "Pet"))
    );
    assert!(
        !api.types
            .iter()
            .any(|t| matches!(t.kind, TypeKind::Responses(_)))
    );
}

#[test]
fn success_statuses_with_different_bodies_become_an_enum_by_status() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            post:
              operationId: createPet
              responses:
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
                "202":
                  description: Queued.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          ticket: {type: string}
                "204": {description: Already there.}
        components:
          schemas:
            Pet:
              type: object
              properties:
                name: {type: string}
        "##,
    );
    let id = type_id(&api, "create_pet::Response");
    assert_eq!(operation(&api, "create_pet").success, Payload::Several(id));
    let TypeKind::Responses(cases) = &api.types[id.0].kind else {
        panic!("`create_pet::Response` is not an enum of responses");
    };
    let cases: Vec<(Option<u16>, &str, &Payload)> = cases
        .iter()
        .map(|c| (c.status, c.rust_name.as_str(), &c.payload))
        .collect();
    assert_eq!(
        cases,
        [
            (Some(201), "Created", &Payload::Json(named(&api, "Pet"))),
            (
                Some(202),
                "Accepted",
                &Payload::Json(named(&api, "create_pet::Response202"))
            ),
            (Some(204), "NoContent", &Payload::Empty),
        ]
    );
}

// Error responses

#[test]
fn error_statuses_sharing_a_json_body_use_that_type_and_the_alias_takes_the_most_shared() {
    let api = lower_yaml(
        r##"
        paths:
          /first:
            get:
              operationId: first
              responses:
                "204": {description: Done.}
                "400":
                  description: Bad.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Other"}
          /second:
            get:
              operationId: second
              responses:
                "204": {description: Done.}
                "404":
                  description: Missing.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Problem"}
                "500":
                  description: Broken.
                  content:
                    application/problem+json:
                      schema: {$ref: "#/components/schemas/Problem"}
                "503": {description: Down, no body.}
          /third:
            get:
              operationId: third
              responses:
                "204": {description: Done.}
                default:
                  description: Anything.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Problem"}
        components:
          schemas:
            Problem:
              type: object
              properties:
                title: {type: string}
            Other:
              type: object
              properties:
                reason: {type: string}
        "##,
    );
    let problem = named(&api, "Problem");
    assert_eq!(operation(&api, "first").error, named(&api, "Other"));
    assert_eq!(operation(&api, "second").error, problem);
    assert_eq!(operation(&api, "third").error, problem);
    // Two operations share `Problem`; the first seen (`Other`) has only one.
    assert_eq!(api.error_body, problem);
}

#[test]
fn errors_without_a_json_body_are_free_form_json() {
    let api = lower_yaml(
        r#"
        paths:
          /text:
            get:
              operationId: textError
              responses:
                "204": {description: Done.}
                "400":
                  description: Bad.
                  content:
                    text/plain: {schema: {type: string}}
          /none:
            get:
              operationId: noErrorBody
              responses:
                "204": {description: Done.}
                "404": {description: Missing.}
        "#,
    );
    assert_eq!(operation(&api, "text_error").error, TypeRef::Json);
    assert_eq!(operation(&api, "no_error_body").error, TypeRef::Json);
    assert_eq!(api.error_body, TypeRef::Json);
}

#[test]
fn differing_error_bodies_become_an_enum_by_code_then_range_then_default() {
    let api = lower_yaml(
        r##"
        paths:
          /orders/{id}:
            get:
              operationId: getOrder
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200":
                  description: The order.
                  content:
                    application/json: {schema: {type: string}}
                default:
                  description: Anything else.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          code: {type: integer}
                4XX:
                  description: Other client errors.
                  content:
                    text/plain: {schema: {type: string}}
                "422":
                  description: Malformed.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Invalid"}
                "404":
                  description: Missing.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Problem"}
        components:
          schemas:
            Problem:
              type: object
              properties:
                title: {type: string}
            Invalid:
              type: object
              properties:
                fields: {type: array, items: {type: string}}
        "##,
    );
    let errors = type_id(&api, "get_order::Error");
    let op = operation(&api, "get_order");
    assert_eq!(op.error, TypeRef::Named(errors));
    let TypeKind::Errors(cases) = &api.types[errors.0].kind else {
        panic!("`get_order::Error` is not an enum of errors");
    };
    let cases: Vec<(ErrorStatus, &str, &Payload, &[String])> = cases
        .iter()
        .map(|c| {
            (
                c.status,
                c.rust_name.as_str(),
                &c.payload,
                c.docs.paragraphs.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            (
                ErrorStatus::Code(404),
                "NotFound",
                &Payload::Json(named(&api, "Problem")),
                &["`404`: Missing.".to_owned()][..]
            ),
            (
                ErrorStatus::Code(422),
                "UnprocessableContent",
                &Payload::Json(named(&api, "Invalid")),
                &["`422`: Malformed.".to_owned()][..]
            ),
            (
                ErrorStatus::Range(4),
                "ClientError",
                &Payload::Text,
                &["`4XX`: Other client errors.".to_owned()][..]
            ),
            (
                ErrorStatus::Default,
                "Default",
                // An inline error schema is named after its status when there are several
                // (`Default` is the prelude's, so `DefaultValue`).
                &Payload::Json(named(&api, "get_order::DefaultValue")),
                &["`default`: Anything else.".to_owned()][..]
            ),
        ]
    );
    // Error media types are not success media types.
    assert_eq!(op.accept, "application/json");
    // The crate's alias never defaults to a per-operation enum.
    assert_eq!(api.error_body, TypeRef::Json);
}

// Security

#[test]
fn security_requirements_are_alternatives_and_an_empty_one_allows_anonymous_calls() {
    let api = lower_yaml(
        r#"
        security:
          - Key: []
        paths:
          /inherits:
            get:
              operationId: inherits
              responses: {"204": {description: Done.}}
          /open:
            get:
              operationId: open
              security: []
              responses: {"204": {description: Done.}}
          /either:
            get:
              operationId: either
              security:
                - Token: []
                - {}
              responses: {"204": {description: Done.}}
          /both:
            get:
              operationId: both
              security:
                - {Key: [], Session: []}
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Unused: {type: apiKey, in: query, name: unused}
            Key: {type: apiKey, in: header, name: X-Api-Key}
            Token: {type: http, scheme: bearer}
            Session: {type: apiKey, in: cookie, name: session}
        "#,
    );
    // `Unused` is dropped, and the operations' indexes follow.
    let schemes: Vec<&str> = api.credentials.iter().map(|c| c.scheme.as_str()).collect();
    assert_eq!(schemes, ["Key", "Token", "Session"]);
    let security: Vec<(&str, &[Vec<usize>])> = api
        .operations
        .iter()
        .map(|o| (o.rust_name.as_str(), o.security.as_slice()))
        .collect();
    assert_eq!(
        security,
        [
            ("inherits", &[vec![0]][..]),
            ("open", &[][..]),
            ("either", &[vec![1], vec![]][..]),
            ("both", &[vec![0, 2]][..]),
        ]
    );
}

#[test]
fn credentials_are_placed_by_scheme_kind_and_named_clear_of_builder_methods() {
    let api = lower_yaml(
        r#"
        paths:
          /any:
            get:
              operationId: any
              security:
                - header: []
                - query: []
                - cookie: []
                - bearer: []
                - basic: []
                - oauth: []
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            header: {type: apiKey, in: header, name: X-Key}
            query: {type: apiKey, in: query, name: key}
            cookie: {type: apiKey, in: cookie, name: sid}
            bearer: {type: http, scheme: Bearer}
            basic: {type: http, scheme: basic}
            oauth:
              type: oauth2
              flows:
                clientCredentials:
                  tokenUrl: https://auth.example.com/token
                  scopes: {}
        "#,
    );
    let credentials: Vec<(&str, &Placement)> = api
        .credentials
        .iter()
        .map(|c| (c.rust_name.as_str(), &c.placement))
        .collect();
    assert_eq!(
        credentials,
        [
            ("header", &Placement::Header("X-Key".into())),
            ("query", &Placement::Query("key".into())),
            ("cookie", &Placement::Cookie("sid".into())),
            ("bearer", &Placement::Bearer),
            // The client builder has a `basic` method of its own.
            ("basic2", &Placement::Basic),
            ("oauth", &Placement::Bearer),
        ]
    );
}

#[test]
fn client_credentials_flows_are_fetched_by_the_client() {
    let api = lower_yaml(
        r#"
        paths:
          /one:
            get:
              operationId: one
              security: [{machine: []}, {user: []}, {client: []}]
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            machine:
              type: oauth2
              flows:
                clientCredentials: {tokenUrl: /oauth/token, refreshUrl: /oauth/refresh, scopes: {}}
            user:
              type: oauth2
              flows:
                authorizationCode:
                  authorizationUrl: https://auth.example.com/authorize
                  tokenUrl: https://auth.example.com/token
                  scopes: {}
                clientCredentials: {tokenUrl: https://auth.example.com/token, scopes: {}}
            client:
              type: oauth2
              flows:
                implicit: {authorizationUrl: https://auth.example.com/authorize, scopes: {}}
        "#,
    );
    let flows: Vec<(&str, Option<&TokenFlow>, Vec<&str>)> = api
        .credentials
        .iter()
        .map(|c| {
            let args = c.args.iter().map(String::as_str).collect();
            (c.rust_name.as_str(), c.token_flow.as_ref(), args)
        })
        .collect();
    let flow = |token_url: &str, refresh_url: Option<&str>, setter: &str, only_flow| TokenFlow {
        token_url: token_url.into(),
        refresh_url: refresh_url.map(Into::into),
        setter: setter.into(),
        only_flow,
    };
    assert_eq!(
        flows,
        [
            // Its only flow: `Client::new` asks for the client id and secret.
            (
                "machine",
                Some(&flow(
                    "/oauth/token",
                    Some("/oauth/refresh"),
                    "machine_client_credentials",
                    true
                )),
                vec!["machine_client_id", "machine_client_secret"],
            ),
            // Tokens from another flow are likelier: `Client::new` asks for a token.
            (
                "user",
                Some(&flow(
                    "https://auth.example.com/token",
                    None,
                    "user_client_credentials",
                    false
                )),
                vec!["user"],
            ),
            // No flow the client can run: a token, and no client credentials setter.
            ("client", None, vec!["client"]),
        ]
    );
    assert!(
        api.credentials
            .iter()
            .all(|c| c.placement == Placement::Bearer)
    );
    assert!(api.uses_client_credentials());
}

#[test]
fn default_credentials_are_the_first_alternative_most_operations_accept() {
    let api = lower_yaml(
        r#"
        paths:
          /one:
            get:
              operationId: one
              security: [{Token: []}]
              responses: {"204": {description: Done.}}
          /two:
            get:
              operationId: two
              security: [{Key: []}, {Token: []}]
              responses: {"204": {description: Done.}}
          /three:
            get:
              operationId: three
              security: [{Key: []}]
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Token: {type: http, scheme: bearer}
            Key: {type: apiKey, in: header, name: X-Key}
        "#,
    );
    let chosen: Vec<&str> = api
        .default_credentials
        .iter()
        .map(|&i| api.credentials[i].scheme.as_str())
        .collect();
    assert_eq!(chosen, ["Key"]);
}

#[test]
fn other_http_schemes_are_dropped_for_an_alternative_or_given_by_the_caller() {
    let unused = lower_yaml(
        r#"
        paths:
          /x:
            get:
              operationId: x
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Digest: {type: http, scheme: digest}
        "#,
    );
    assert!(unused.credentials.is_empty());
    let api = lower_yaml(
        r#"
        paths:
          /either:
            get:
              operationId: either
              security: [{Digest: []}, {Token: []}, {Missing: []}]
              responses: {"204": {description: Done.}}
          /digest:
            get:
              operationId: digestOnly
              security: [{Missing: []}, {Digest: []}]
              responses: {"204": {description: Done.}}
          /mutual:
            get:
              operationId: mutual
              security: [{Tls: []}]
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Digest: {type: http, scheme: digest}
            Token: {type: http, scheme: bearer}
            Tls: {type: http, scheme: mutual}
        "#,
    );
    let placements: Vec<(&str, &Placement, usize)> = api
        .credentials
        .iter()
        .map(|c| (c.scheme.as_str(), &c.placement, c.args.len()))
        .collect();
    assert_eq!(
        placements,
        [
            ("Digest", &Placement::Authorization("digest".to_owned()), 1),
            ("Token", &Placement::Bearer, 1),
            ("Tls", &Placement::Transport, 0),
        ]
    );
    // The caller-given alternative goes where the client can satisfy another by itself; a
    // scheme that is not defined is never an alternative.
    assert_eq!(operation(&api, "either").security, [vec![1]]);
    assert_eq!(operation(&api, "digest_only").security, [vec![0]]);
    assert_eq!(operation(&api, "mutual").security, [vec![2]]);

    let errors = lower_errors(
        r##"
        paths:
          /x:
            get:
              operationId: x
              security: [{Missing: []}]
              responses: {"204": {description: Done.}}
          /y:
            get:
              operationId: y
              security: [{Broken: []}]
              responses: {"204": {description: Done.}}
          /z:
            get:
              operationId: z
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Broken: {$ref: "#/components/securitySchemes/Nowhere"}
        "##,
    );
    assert_eq!(
        errors,
        [
            Diagnostic::new(
                "/paths/~1x/get/security",
                "security scheme `Missing` is not defined in `components.securitySchemes`"
            ),
            Diagnostic::new(
                "/components/securitySchemes/Broken",
                "reference `#/components/securitySchemes/Nowhere` points to nothing"
            ),
        ]
    );
}

// The API as a whole

#[test]
fn default_base_url_fills_in_server_variables() {
    let api = lower_yaml(
        r#"
        servers:
          - url: "https://{region}.example.com/{version}/"
            variables:
              region: {default: eu, enum: [eu, us]}
              version: {default: v2}
          - url: https://second.example.com
        paths: {}
        "#,
    );
    assert_eq!(
        api.default_base_url.as_deref(),
        Some("https://eu.example.com/v2")
    );
}

#[test]
fn relative_or_unfilled_server_url_has_no_default_base_url() {
    for url in ["/api/v1", "https://{tenant}.example.com"] {
        let api = lower_yaml(&format!("servers: [{{url: \"{url}\"}}]\npaths: {{}}\n"));
        assert_eq!(api.default_base_url, None, "for {url}");
    }
}

// Diagnostics

#[test]
fn missing_reference_is_reported_at_its_pointer() {
    let errors = lower_errors(
        r##"
        paths:
          /pets:
            get:
              operationId: getPet
              responses:
                "200":
                  description: A pet.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Nope"}
        "##,
    );
    assert_eq!(
        errors,
        [Diagnostic::new(
            "/paths/~1pets/get/responses/200/content/application~1json/schema",
            "reference `#/components/schemas/Nope` points to nothing"
        )]
    );
}

#[test]
fn path_template_name_without_a_path_parameter_is_reported() {
    let errors = lower_errors(
        r#"
        paths:
          /pets/{petId}:
            get:
              operationId: getPet
              parameters:
                - {name: petId, in: query, schema: {type: string}}
              responses: {"204": {description: Done.}}
        "#,
    );
    assert_eq!(
        errors,
        [Diagnostic::new(
            "/paths/~1pets~1{petId}/get",
            "the path names `{petId}` but no path parameter declares it"
        )]
    );
}

#[test]
fn problem_in_a_shared_component_is_reported_once() {
    let errors = lower_errors(
        r##"
        paths:
          /a:
            get:
              operationId: a
              parameters: [{$ref: "#/components/parameters/Broken"}]
              responses: {"204": {description: Done.}}
          /b:
            get:
              operationId: b
              parameters: [{$ref: "#/components/parameters/Broken"}]
              responses: {"204": {description: Done.}}
        components:
          parameters:
            Broken:
              name: broken
              in: query
              schema: {$ref: "#/components/schemas/Missing"}
        "##,
    );
    assert_eq!(
        errors,
        [Diagnostic::new(
            "/components/parameters/Broken/schema",
            "reference `#/components/schemas/Missing` points to nothing"
        )]
    );
}

// Partial generation: what cannot be expressed is left out, the rest kept

#[test]
fn an_operation_with_a_problem_is_left_out_with_its_types_and_the_rest_kept() {
    let api = lower_partial(
        r#"
        paths:
          /kept:
            get:
              operationId: kept
              responses: {"204": {description: Done.}}
          /orders/{id}:
            post:
              operationId: placeOrder
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: array, items: {type: string}}
              responses:
                "200":
                  description: Placed.
                  content:
                    application/json:
                      schema: {type: object, properties: {total: {type: integer}}}
                "400":
                  description: Refused.
                  content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}
                "409":
                  description: Taken.
                  content: {application/json: {schema: {type: object, properties: {b: {type: string}}}}}
        "#,
    );
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.rust_name.as_str())
        .collect();
    assert_eq!(names, ["kept"]);
    let omitted = Omitted::Operation {
        method: Method::Post,
        path: "/orders/{id}".to_owned(),
    };
    assert_eq!(
        api.omissions,
        [
            Omission {
                subject: omitted.clone(),
                pointer: "/paths/~1orders~1{id}/post".to_owned(),
                reason: "the path names `{id}` but no path parameter declares it".to_owned(),
            },
            Omission {
                subject: omitted,
                pointer: "/paths/~1orders~1{id}/post/requestBody/content/\
                          application~1x-www-form-urlencoded/schema"
                    .to_owned(),
                reason: "an `application/x-www-form-urlencoded` request body must be an object \
                         or one string"
                    .to_owned(),
            },
        ]
    );
    assert_eq!(api.operations_left_out(), 1);
    // Its response struct and enum of errors went with it: nothing the crate would not use.
    assert!(api.types.is_empty(), "{:?}", api.types);
}

#[test]
fn a_schema_that_cannot_be_typed_is_a_named_json_value_for_every_operation_using_it() {
    let api = lower_partial(
        r##"
        paths:
          /a:
            get:
              operationId: a
              responses:
                "200":
                  description: A.
                  content: {application/json: {schema: {$ref: "#/components/schemas/Mixed"}}}
          /b:
            post:
              operationId: b
              requestBody:
                content: {application/json: {schema: {$ref: "#/components/schemas/Mixed"}}}
              responses: {"204": {description: Done.}}
        components:
          schemas:
            Mixed:
              description: Old and new shapes.
              allOf:
                - {type: object, properties: {x: {type: string}}}
                - {type: string}
        "##,
    );
    assert_eq!(api.operations.len(), 2, "both stay callable");
    let mixed = type_def(&api, "Mixed");
    assert_eq!(mixed.kind, TypeKind::Untyped);
    assert_eq!(mixed.docs.paragraphs[0], "Old and new shapes.");
    assert!(
        mixed.docs.paragraphs[1].starts_with(
            "Any JSON value: this client cannot type the schema at `/components/schemas/Mixed`"
        ),
        "{:?}",
        mixed.docs
    );
    assert_eq!(
        operation(&api, "a").success,
        Payload::Json(named(&api, "Mixed"))
    );
    assert_eq!(body(&api, "b").ty, named(&api, "Mixed"));
    // One problem, one omission: the component is degraded once, for all its users.
    assert_eq!(api.omissions.len(), 1, "{:?}", api.omissions);
    assert_eq!(
        api.omissions[0].subject,
        Omitted::Schema {
            type_name: "Mixed".to_owned()
        }
    );
    assert_eq!(api.operations_left_out(), 0);
}

#[test]
fn a_shared_parameter_that_cannot_be_sent_leaves_out_each_operation_using_it() {
    let api = lower_partial(
        r##"
        paths:
          /a:
            get:
              operationId: a
              parameters: [{$ref: "#/components/parameters/Filter"}]
              responses: {"204": {description: Done.}}
          /b:
            get:
              operationId: b
              parameters: [{$ref: "#/components/parameters/Filter"}]
              responses: {"204": {description: Done.}}
          /c:
            get:
              operationId: c
              responses: {"204": {description: Done.}}
        components:
          parameters:
            Filter:
              name: filter
              in: query
              content:
                text/plain:
                  schema: {type: object, properties: {q: {type: string}}}
        "##,
    );
    assert_eq!(api.operations.len(), 1);
    assert_eq!(api.operations_left_out(), 2);
    let pointers: Vec<&str> = api.omissions.iter().map(|o| o.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/parameters/Filter",
            "/components/parameters/Filter"
        ]
    );
}

#[test]
fn a_multipart_struct_only_a_left_out_operation_sends_encodes_nothing() {
    let api = lower_partial(
        r##"
        paths:
          /files:
            put:
              operationId: putFile
              security: [{Nowhere: []}]
              requestBody:
                content:
                  multipart/form-data:
                    schema: {$ref: "#/components/schemas/Upload"}
              responses: {"204": {description: Stored.}}
          /uploads:
            post:
              operationId: upload
              requestBody:
                content:
                  multipart/form-data:
                    schema: {$ref: "#/components/schemas/Sent"}
              responses: {"204": {description: Stored.}}
        components:
          schemas:
            Upload:
              type: object
              properties: {file: {type: string, format: binary}}
            Sent:
              type: object
              properties: {file: {type: string, format: binary}}
        "##,
    );
    assert!(!struct_def(&api, "Upload").multipart);
    assert!(struct_def(&api, "Sent").multipart);
    assert_eq!(field(struct_def(&api, "Upload"), "file").ty, TypeRef::File);
}

#[test]
fn a_pattern_only_string_used_on_both_sides_is_checked_in_requests() {
    let api = lower_yaml(
        r##"
        paths:
          /codes:
            post:
              operationId: addCode
              requestBody:
                content: {application/json: {schema: {$ref: "#/components/schemas/Code"}}}
              responses:
                "200":
                  description: Stored.
                  content: {application/json: {schema: {$ref: "#/components/schemas/Code"}}}
        components:
          schemas:
            Code:
              type: object
              required: [value]
              properties:
                value: {type: string, pattern: "^[A-Z]{3}$"}
        "##,
    );
    // Before, the response copy served both sides and the pattern went unchecked.
    let input = struct_def(&api, "CodeInput");
    let TypeRef::Checked(Checked::Pattern(rule)) = &field(input, "value").ty else {
        panic!("a checked string: {input:?}")
    };
    assert!(matches!(
        &api.types[rule.0].kind,
        TypeKind::StringRule(StringRules { pattern: Some(p), .. }) if p == "^[A-Z]{3}$"
    ));
    assert_eq!(field(struct_def(&api, "Code"), "value").ty, TypeRef::String);
}

#[test]
fn a_query_written_into_the_path_key_is_left_to_its_query_parameters() {
    let api = lower_yaml(
        r#"
        paths:
          /search?query={query}&page={page}&mode=fast:
            get:
              operationId: search
              parameters:
                - {name: query, in: query, required: true, schema: {type: string}}
                - {name: page, in: path, required: true, schema: {type: integer}}
              responses: {"204": {description: Done.}}
        "#,
    );
    // `query` is sent by its parameter; `page` is a path parameter written into the query,
    // and a literal pair stays.
    assert_eq!(
        operation(&api, "search").path,
        "/search?page={page}&mode=fast"
    );
}

#[test]
fn a_repeated_operation_id_names_the_operation_after_method_and_path() {
    let api = lower_yaml(
        r##"
        paths:
          /v2/items:
            get:
              operationId: listItems
              responses: {"204": {description: Done.}}
          /items:
            $ref: "#/paths/~1v2~1items"
        "##,
    );
    let names: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.rust_name.as_str(), o.path.as_str()))
        .collect();
    assert_eq!(
        names,
        [("list_items", "/v2/items"), ("get_items", "/items")]
    );
}

#[test]
fn a_union_beside_properties_is_flattened_unless_its_variants_carry_them() {
    let api = lower_yaml(
        r##"
        paths:
          /things:
            get:
              operationId: things
              responses:
                "200":
                  description: Things.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: {$ref: "#/components/schemas/Thing"}
          /pets:
            get:
              operationId: pets
              responses:
                "200":
                  description: Pets.
                  content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        components:
          schemas:
            Thing:
              type: object
              required: [id]
              properties:
                id: {type: string}
              oneOf:
                - {title: Box, type: object, properties: {size: {type: integer}}}
                - {title: Bag, type: object, properties: {volume: {type: number}}}
            Pet:
              type: object
              properties: {kind: {type: string}}
              discriminator: {propertyName: kind}
              oneOf:
                - $ref: "#/components/schemas/Cat"
            Cat:
              allOf:
                - $ref: "#/components/schemas/Pet"
                - {type: object, properties: {indoor: {type: boolean}}}
        "##,
    );
    let thing = struct_def(&api, "Thing");
    assert_eq!(wire_names(thing), ["id", "variant"]);
    let variant = field(thing, "variant");
    assert!(variant.flatten && variant.required);
    assert!(matches!(
        &variant.ty,
        TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Union(_))
    ));
    // Every property of `Pet` is declared by its subtype too: `Pet` is the union itself.
    assert!(matches!(type_def(&api, "Pet").kind, TypeKind::Union(_)));
}

fn operation_by_id<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn list_shapes_are_recognised_and_other_operations_get_no_pager() {
    let api = lower_yaml(
        r##"
        paths:
          /pets:
            get:
              operationId: listPets
              parameters:
                - {name: starting_after, in: query, schema: {type: string}}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [data, has_more]
                        properties:
                          data: {type: array, items: {$ref: "#/components/schemas/Pet"}}
                          has_more: {type: boolean}
            post:
              operationId: createPet
              responses:
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
          /owners:
            get:
              operationId: listOwners
              responses:
                "200":
                  description: A page, without the `starting_after` parameter Stripe's lists have.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          data: {type: array, items: {type: string}}
                          has_more: {type: boolean}
          /listPetsStream:
            get:
              operationId: listPetsStream
              responses:
                "204": {description: Nothing.}
        components:
          schemas:
            Pet:
              type: object
              required: [id]
              properties:
                id: {type: string}
        "##,
    );
    let pager = operation_by_id(&api, "listPets").pager.as_ref().unwrap();
    assert_eq!(pager.source, PagerSource::StartingAfter);
    assert_eq!(pager.item, named(&api, "Pet"));
    assert_eq!(pager.items.len(), 1);
    assert_eq!(pager.items[0].rust_name, "data");
    assert_eq!(
        pager.next,
        NextPage::Cursor {
            parameter: "starting_after".to_owned(),
            cursor: CursorSource::LastItem {
                items: "/data".to_owned(),
                property: "id".to_owned()
            },
            has_more: Some("/has_more".to_owned()),
        }
    );
    // The pages are the call's (`list_pets().pages()`): `listPetsStream` keeps its own name.
    assert_eq!(
        operation_by_id(&api, "listPetsStream").rust_name,
        "list_pets_stream"
    );
    assert!(operation_by_id(&api, "createPet").pager.is_none());
    assert!(operation_by_id(&api, "listOwners").pager.is_none());
}

#[test]
fn a_bad_pagination_extension_is_reported_at_its_pointer() {
    let errors = lower_errors(
        r#"
        paths:
          /a:
            get:
              operationId: a
              x-pagination: {style: next-url, items: /results}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          results: {type: array, items: {type: string}}
          /b:
            get:
              operationId: b
              x-pagination: {style: cursor, items: /results, parameter: after, cursor: /next}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          results: {type: array, items: {type: string}}
          /c:
            get:
              operationId: c
              x-pagination: {style: next-url, items: /nope, next: /next}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema: {type: object, properties: {results: {type: array, items: {type: string}}}}
          /d:
            get:
              operationId: d
              x-pagination: {style: sideways}
              responses:
                "204": {description: Nothing.}
        "#,
    );
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!(found[0].0, "/paths/~1a/get/x-pagination");
    assert!(found[0].1.contains("needs `next`"), "{}", found[0].1);
    assert!(
        found[1].1.contains("no query parameter `after`"),
        "{}",
        found[1].1
    );
    assert!(found[2].1.contains("`/nope`"), "{}", found[2].1);
    assert!(found[3].1.contains("sideways"), "{}", found[3].1);
}

#[test]
fn a_signed_callback_becomes_a_verifier_and_its_union_an_enum_of_events() {
    let api = lower_yaml(
        r##"
        paths:
          /hooks:
            post:
              operationId: createHook
              responses:
                "201": {description: Created.}
              callbacks:
                event:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, prefix: "v1=", key: Secret}
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: "#/components/schemas/Event"}
                      responses:
                        "200": {description: Received.}
        security:
          - Secret: []
        components:
          securitySchemes:
            Secret: {type: apiKey, in: header, name: X-Secret, description: The account secret.}
          schemas:
            Event:
              oneOf:
                - $ref: "#/components/schemas/Created"
                - $ref: "#/components/schemas/Unknown"
              discriminator:
                propertyName: kind
                mapping:
                  thing-created: "#/components/schemas/Created"
                  thing-renamed: "#/components/schemas/Created"
            Created:
              type: object
              required: [kind, id]
              properties:
                kind: {type: string}
                id: {type: string}
            Unknown:
              type: object
              properties:
                kind: {type: string}
        "##,
    );
    assert_eq!(api.callbacks.len(), 1);
    let callback = &api.callbacks[0];
    assert_eq!(callback.verify_name, "verify_event");
    assert_eq!(callback.header_const, "EVENT_SIGNATURE_HEADER");
    assert_eq!(callback.key_arg, "secret");
    assert_eq!(
        callback.key_description.as_deref(),
        Some("The account secret.")
    );
    assert_eq!(callback.prefix, "v1=");
    assert_eq!(callback.body, named(&api, "Event"));
    let TypeKind::Events(events) = &type_def(&api, "Event").kind else {
        panic!("an enum of events")
    };
    let variants: Vec<(&str, &str)> = events
        .variants
        .iter()
        .map(|v| (v.value.as_str(), v.rust_name.as_str()))
        .collect();
    // The member the mapping leaves out goes by its schema name; a member called `Unknown`
    // does not take the fallback's name.
    assert_eq!(
        variants,
        [
            ("thing-created", "ThingCreated"),
            ("thing-renamed", "ThingRenamed"),
            ("Unknown", "Unknown2")
        ]
    );
    assert_eq!(events.variants[0].ty, events.variants[1].ty);
    assert_eq!(events.unknown, "Unknown");
    assert_eq!(events.accessor, "kind");
}

#[test]
fn a_bad_signature_extension_is_reported_at_its_pointer() {
    let errors = lower_errors(
        r#"
        paths:
          /hooks:
            post:
              operationId: createHook
              responses:
                "201": {description: Created.}
              callbacks:
                event:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-md5, encoding: hex, key: Secret}
                      responses:
                        "200": {description: Received.}
                other:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Nobody}
                      responses:
                        "200": {description: Received.}
        "#,
    );
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0].0,
        "/paths/~1hooks/post/callbacks/event/{$request.body#~1url}/post/x-callback-signature"
    );
    assert!(found[0].1.contains("hmac-md5"), "{}", found[0].1);
    assert!(
        found[1].1.contains("`Nobody` is not a security scheme"),
        "{}",
        found[1].1
    );
}

/// The user object as descriptions repeat it: inline in two responses (in two operations'
/// modules), as a component and as the component's nullable twin.
const REPEATED_USER: &str = r"
    paths:
      /a:
        get:
          operationId: getA
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      owner: {type: object, properties: {login: {type: string}, id: {type: integer}}}
                      admin: {$ref: '#/components/schemas/nullable-user'}
      /b:
        get:
          operationId: getB
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      owner: {type: object, properties: {login: {type: string}, id: {type: integer}}}
                      admin: {$ref: '#/components/schemas/nullable-user'}
      /c:
        get:
          operationId: getC
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      owner: {type: object, properties: {login: {type: string}, id: {type: integer}}}
                      admin: {type: object, properties: {login: {type: string}}}
    components:
      schemas:
        nullable-user: {type: object, properties: {login: {type: string}}, nullable: true}
        user: {type: object, properties: {login: {type: string}}}
    ";

#[test]
fn objects_declared_alike_are_one_type() {
    let api = lower_yaml(REPEATED_USER);
    let structs: Vec<String> = (0..api.types.len())
        .filter(|&i| matches!(api.types[i].kind, TypeKind::Struct(_)))
        .map(|i| api.type_path(TypeId(i)))
        .collect();
    // The three inline owners are one struct, out of the modules (two operations use it);
    // the component with the shorter name is the type, its twin another name for it.
    // The two alike responses get a new shared type, named after its properties (their own
    // name, `Response`, says nothing out of their modules, and the operations' names have
    // nothing alike).
    assert_eq!(
        structs,
        ["Owner", "get_c::Response", "User", "OwnerAndAdminResponse"]
    );
    assert_eq!(
        type_def(&api, "NullableUser").kind,
        TypeKind::Alias(named(&api, "User"))
    );
    // `get_a::Response` and `get_b::Response` stay, since their methods name them: as names
    // of the shared type.
    let shared = match &type_def(&api, "get_a::Response").kind {
        TypeKind::Alias(TypeRef::Named(id)) => *id,
        other => panic!("get_a::Response is {other:?}"),
    };
    assert_eq!(
        type_def(&api, "get_b::Response").kind,
        TypeKind::Alias(TypeRef::Named(shared))
    );
    assert_eq!(shared, type_id(&api, "OwnerAndAdminResponse"));
    let s = struct_def(&api, "OwnerAndAdminResponse");
    assert_eq!(field(s, "owner").ty, named(&api, "Owner"));
    assert_eq!(field(s, "admin").ty, named(&api, "NullableUser"));
    // The inline `admin` of the third response is the same object as the components, and
    // goes: the field names the component.
    let third = struct_def(&api, "get_c::Response");
    assert_eq!(field(third, "admin").ty, named(&api, "User"));
    assert_eq!(field(third, "owner").ty, named(&api, "Owner"));
}

/// Two tags whose operations declare the same objects inline: each shared type is named for
/// what it is or what its places share, never after the first operation that declares it.
const TAGS_DECLARING_ALIKE: &str = r"
    paths:
      /orgs/{org}/actions/secrets:
        get:
          operationId: actions/list-org-secrets
          tags: [actions]
          parameters: [{name: org, in: path, required: true, schema: {type: string}}]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    required: [total_count, secrets]
                    properties:
                      total_count: {type: integer}
                      secrets: {type: array, items: {type: object, properties: {name: {type: string}, created_at: {type: string}}}}
        put:
          operationId: actions/set-secret
          tags: [actions]
          parameters: [{name: org, in: path, required: true, schema: {type: string}}]
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    ids: {type: array, items: {oneOf: [{type: string}, {type: integer}]}}
                    address: {type: object, properties: {line1: {type: string}, city: {type: string}}}
          responses: {'204': {description: done}}
      /orgs/{org}/agents/secrets:
        get:
          operationId: agents/list-org-secrets
          tags: [agents]
          parameters: [{name: org, in: path, required: true, schema: {type: string}}]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    required: [total_count, secrets]
                    properties:
                      total_count: {type: integer}
                      secrets: {type: array, items: {type: object, properties: {name: {type: string}, created_at: {type: string}}}}
        put:
          operationId: agents/set-secret
          tags: [agents]
          parameters: [{name: org, in: path, required: true, schema: {type: string}}]
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    selected: {type: array, items: {oneOf: [{type: string}, {type: integer}]}}
                    address: {type: object, properties: {line1: {type: string}, city: {type: string}}}
          responses: {'204': {description: done}}
      /pets:
        get:
          operationId: pets/list
          tags: [pets]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      total: {type: integer}
                      pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
      /stores:
        post:
          operationId: stores/create
          tags: [stores]
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    address: {type: object, properties: {line1: {type: string}, city: {type: string}}}
          responses: {'204': {description: done}}
      /stores/{id}/pets:
        get:
          operationId: stores/list-pets
          tags: [stores]
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      total: {type: integer}
                      pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    components:
      schemas:
        Pet: {type: object, properties: {name: {type: string}}}
        Address: {type: object, properties: {street: {type: string}}}
    ";

#[test]
fn types_shared_across_tags_are_named_for_what_they_are() {
    let api = lower_yaml(TAGS_DECLARING_ALIKE);
    let top: Vec<&str> = api
        .types
        .iter()
        .filter(|def| def.module.is_none())
        .map(|def| def.name.as_str())
        .collect();
    // The responses alike: a page of a list, by the array's name (its items' name, `Item`,
    // says nothing at the top); the items: what their operations' names end with alike.
    assert_eq!(
        type_def(&api, "actions_list_org_secrets::Response").kind,
        TypeKind::Alias(named(&api, "SecretsList"))
    );
    let page = struct_def(&api, "SecretsList");
    assert_eq!(
        field(page, "secrets").ty,
        TypeRef::Vec(Box::new(named(&api, "ListOrgSecretsItem")))
    );
    // A list's page, by what it lists.
    assert_eq!(
        type_def(&api, "pets_list::Response").kind,
        TypeKind::Alias(named(&api, "PetList"))
    );
    // A union of two scalars, by its variants.
    let ids = struct_def(&api, "actions_set_secret::Body");
    assert_eq!(
        field(ids, "ids").ty,
        TypeRef::Vec(Box::new(named(&api, "StringOrInteger")))
    );
    // A request object whose name a component has, in operations with nothing alike in
    // their names: the same name, as parameters.
    assert_eq!(field(ids, "address").ty, named(&api, "AddressParams"));
    for name in &top {
        for op in &api.operations {
            let operation = crate::naming::type_name(&op.rust_name);
            assert!(
                !name.starts_with(&operation),
                "{name} is named after {}: {top:?}",
                op.id
            );
        }
    }
}

#[test]
fn common_words_of_operation_names() {
    use super::shared::common_prefix;
    assert_eq!(
        common_prefix(&["ProjectsAddItemForOrg", "ProjectsAddItemForUser"]).as_deref(),
        Some("ProjectsAddItem")
    );
    // Two words are a method and a resource, or a tag: too little to name a type.
    assert_eq!(
        common_prefix(&["PostIssuingCards", "PostIssuingCardholders"]),
        None
    );
    // A name that is all of another's is that operation's: not a name for what they share.
    assert_eq!(
        common_prefix(&["ReposGetBranch", "ReposGetBranchRules"]),
        None
    );
}

#[test]
fn objects_alike_but_for_a_doc_stay_apart() {
    let doc = REPEATED_USER.replace(
        "user: {type: object, properties: {login: {type: string}}}",
        "user: {type: object, properties: {login: {type: string, description: Their handle.}}}",
    );
    let api = lower_yaml(&doc);
    assert!(matches!(type_def(&api, "User").kind, TypeKind::Struct(_)));
    assert!(matches!(
        type_def(&api, "NullableUser").kind,
        TypeKind::Struct(_)
    ));
}

#[test]
fn a_pager_that_cannot_be_followed_costs_the_pager_not_the_method() {
    let api = lower_partial(
        r#"
        paths:
          /a:
            get:
              operationId: a
              x-pagination: {style: next-url, items: /results}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          results: {type: array, items: {type: string}}
          /b:
            get:
              operationId: aStream
              responses: {"204": {description: Done.}}
        "#,
    );
    let a = operation(&api, "a");
    assert!(a.pager.is_none());
    // The names the pager would have had stay free: `aStream` is not renamed for it.
    assert_eq!(operation_by_id(&api, "aStream").rust_name, "a_stream");
    assert_eq!(api.operations_left_out(), 0);
    assert_eq!(
        api.omissions,
        [Omission {
            subject: Omitted::Pager {
                method: Method::Get,
                path: "/a".to_owned(),
            },
            pointer: "/paths/~1a/get/x-pagination".to_owned(),
            reason: api.omissions[0].reason.clone(),
        }]
    );
    assert!(
        api.omissions[0].reason.contains("needs `next`"),
        "{:?}",
        api.omissions
    );
}

#[test]
fn a_left_out_operation_takes_its_pager_and_events_types_and_keeps_its_verifier() {
    let api = lower_partial(
        r##"
        paths:
          /items:
            get:
              operationId: listItems
              parameters:
                - {name: starting_after, in: query, schema: {type: string}}
                - {name: nowhere, in: path, required: true, schema: {type: string}}
              responses:
                "200":
                  description: A page.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          has_more: {type: boolean}
                          data:
                            type: array
                            items: {type: object, properties: {id: {type: string}}}
          /hooks:
            post:
              operationId: createHook
              security: [{Nowhere: []}]
              responses:
                "201": {description: Created.}
              callbacks:
                event:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Secret}
                      requestBody:
                        content:
                          application/json:
                            schema:
                              oneOf:
                                - $ref: "#/components/schemas/Created"
                              discriminator: {propertyName: kind}
                      responses:
                        "200": {description: Received.}
          /kept:
            get:
              operationId: kept
              responses: {"204": {description: Done.}}
        components:
          securitySchemes:
            Secret: {type: apiKey, in: header, name: X-Secret}
          schemas:
            Created:
              type: object
              properties: {kind: {type: string}}
        "##,
    );
    let names: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(names, ["kept"]);
    assert_eq!(api.operations_left_out(), 2);
    // The page and its items were only the left-out operation's: gone with it.
    let type_names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        !type_names.iter().any(|n| n.starts_with("ListItems")),
        "{type_names:?}"
    );
    // A delivery is verified whoever registered it: the verifier and its enum of events stay.
    assert_eq!(api.callbacks.len(), 1);
    let TypeRef::Named(events) = &api.callbacks[0].body else {
        panic!("a named delivery type")
    };
    assert!(matches!(api.types[events.0].kind, TypeKind::Events(_)));
    assert!(type_names.contains(&"Created"), "{type_names:?}");
}

#[test]
fn a_signed_callback_with_a_problem_is_left_out_and_the_rest_generated() {
    let api = lower_partial(
        r##"
        paths:
          /hooks:
            post:
              operationId: createHook
              responses:
                "201": {description: Created.}
              callbacks:
                broken:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Secret}
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: "#/components/schemas/Missing"}
                      responses:
                        "200": {description: Received.}
                mtls:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Mutual}
                      requestBody:
                        content:
                          application/json:
                            schema: {type: object}
                      responses:
                        "200": {description: Received.}
                good:
                  "{$request.body#/url}":
                    post:
                      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Secret}
                      requestBody:
                        content:
                          application/json:
                            schema: {type: object, properties: {id: {type: string}}}
                      responses:
                        "200": {description: Received.}
        components:
          securitySchemes:
            Secret: {type: apiKey, in: header, name: X-Secret}
            Mutual: {type: http, scheme: mutual}
        "##,
    );
    assert_eq!(api.operations.len(), 1);
    let verifiers: Vec<&str> = api.callbacks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(verifiers, ["good"]);
    let found: Vec<(&Omitted, &str)> = api
        .omissions
        .iter()
        .map(|o| (&o.subject, o.pointer.as_str()))
        .collect();
    let callback = |name: &str| Omitted::Callback {
        name: name.to_owned(),
    };
    assert_eq!(
        found,
        [
            (
                &callback("broken"),
                "/paths/~1hooks/post/callbacks/broken/{$request.body#~1url}/post/requestBody/\
                 content/application~1json/schema"
            ),
            (
                &callback("mtls"),
                "/paths/~1hooks/post/callbacks/mtls/{$request.body#~1url}/post/\
                 x-callback-signature"
            ),
        ]
    );
    assert!(
        api.omissions[0].reason.contains("Missing"),
        "{:?}",
        api.omissions
    );
}

#[test]
fn a_schema_that_is_only_itself_is_untyped_not_a_stack_overflow() {
    let api = lower_partial(
        r##"
        paths:
          /loop:
            get:
              operationId: getLoop
              responses:
                "200":
                  description: ok
                  content: {application/json: {schema: {$ref: "#/components/schemas/A"}}}
        components:
          schemas:
            A: {allOf: [{$ref: "#/components/schemas/B"}]}
            B: {oneOf: [{$ref: "#/components/schemas/A"}]}
        "##,
    );
    // The operation stays; what it returns is any JSON, and the omissions say why.
    assert_eq!(api.operations.len(), 1);
    assert!(
        api.omissions
            .iter()
            .any(|o| o.reason.contains("refers back to itself")),
        "{:?}",
        api.omissions
    );
}

#[test]
fn an_openapi32_operation_that_cannot_be_sent_costs_itself_alone() {
    let text = r#"
openapi: 3.2.0
info: {title: Test, version: "1"}
paths:
  /items:
    query:
      operationId: findItems
      responses: {"200": {description: Found.}}
    additionalOperations:
      get:
        operationId: again
        responses: {"200": {description: A GET in the wrong place.}}
      "NOT A TOKEN":
        operationId: spaced
        responses: {"200": {description: Not a method.}}
      LINK:
        operationId: linkItems
        responses: {"204": {description: Linked.}}
  /search:
    get:
      operationId: search
      parameters:
        - name: q
          in: querystring
          content:
            application/json:
              schema: {type: object}
      responses: {"200": {description: Found.}}
webhooks:
  refresh:
    query:
      x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Key}
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses: {"200": {description: Seen.}}
  unsigned:
    query:
      responses: {"200": {description: Not verified, so not generated.}}
"#;
    let settings = crate::Settings {
        crate_name: "methods".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "methods.yaml".to_owned(),
        regenerate_command: "test".to_owned(),
        license: None,
        repository: None,
        strict: false,
        select: crate::config::Selection::default(),
        types: crate::config::Types::default(),
    };
    let generated = crate::generate("methods.yaml", text, &settings).unwrap();
    assert_eq!(generated.operations, 2, "QUERY and LINK are generated");
    let left_out: Vec<(Omitted, &str, &str)> = generated
        .omissions
        .iter()
        .map(|o| (o.subject.clone(), o.pointer.as_str(), o.reason.as_str()))
        .collect();
    // Deliveries are read first.
    assert_eq!(
        left_out,
        [
            (
                Omitted::Callback {
                    name: "refresh".to_owned()
                },
                "/webhooks/refresh/query",
                "a signed delivery sent with the QUERY method is not supported: deliveries are \
                 verified for the methods a 3.0 path item has"
            ),
            (
                Omitted::Operation {
                    method: Method::Extension("get".to_owned()),
                    path: "/items".to_owned()
                },
                "/paths/~1items/additionalOperations/get",
                "`get` belongs in the path item's `get` field, not in `additionalOperations`"
            ),
            (
                Omitted::Operation {
                    method: Method::Extension("NOT A TOKEN".to_owned()),
                    path: "/items".to_owned()
                },
                "/paths/~1items/additionalOperations/NOT A TOKEN",
                "`NOT A TOKEN` is not an HTTP method name (an RFC 9110 token)"
            ),
            (
                Omitted::Operation {
                    method: Method::Get,
                    path: "/search".to_owned()
                },
                "/paths/~1search/get/parameters/0",
                "`in: querystring` as `application/json` is not supported: only an object sent \
                 form-encoded (`application/x-www-form-urlencoded`) is"
            ),
        ]
    );
    let api = {
        let loaded = load::read(text, Syntax::Yaml).unwrap();
        lower(&loaded.document)
    };
    assert_eq!(operation_by_id(&api, "findItems").method, Method::Query);
    assert_eq!(
        operation_by_id(&api, "linkItems").method,
        Method::Extension("LINK".to_owned())
    );
}

#[test]
fn a_signed_callback_of_a_query_operation_becomes_a_verifier() {
    let text = r#"
openapi: 3.2.0
info: {title: Test, version: "1"}
paths:
  /watches:
    query:
      operationId: watchItems
      responses:
        "200": {description: Watching.}
      callbacks:
        changed:
          "{$request.body#/url}":
            post:
              x-callback-signature: {header: X-Sig, algorithm: hmac-sha256, encoding: hex, key: Secret}
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {id: {type: string}}}
              responses:
                "200": {description: Received.}
security:
  - Secret: []
components:
  securitySchemes:
    Secret: {type: apiKey, in: header, name: X-Secret}
"#;
    let loaded = load::read(text, Syntax::Yaml).unwrap();
    let api = lower(&loaded.document);
    assert!(api.omissions.is_empty(), "{:?}", api.omissions);
    assert_eq!(api.callbacks.len(), 1);
    assert_eq!(api.callbacks[0].verify_name, "verify_changed");
    assert_eq!(operation_by_id(&api, "watchItems").method, Method::Query);
}

/// Two tags whose operations use one response component with an inline schema, which holds
/// an inline object; and a schema no operation uses that holds one the first tag uses.
const TAGS_SHARING_A_RESPONSE: &str = r##"
    paths:
      /pets:
        get:
          operationId: listPets
          tags: [pets]
          responses:
            "200":
              description: Pets.
              content:
                application/json:
                  schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
            "404": {$ref: "#/components/responses/NotFound"}
      /stores:
        get:
          operationId: listStores
          tags: [stores]
          responses:
            "204": {description: None.}
            "404": {$ref: "#/components/responses/NotFound"}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    body: {type: object, properties: {x: {type: string}}}
    components:
      responses:
        NotFound:
          description: Nothing there.
          content:
            application/json:
              schema:
                type: object
                properties:
                  detail: {type: object, properties: {resource: {type: string}}}
      schemas:
        Pet: {type: object, properties: {name: {type: string}}}
        PetEvent:
          type: object
          properties:
            pet: {$ref: "#/components/schemas/Pet"}
"##;

#[test]
fn types_several_operations_reach_move_out_of_the_first_ones_module() {
    let api = lower_yaml(TAGS_SHARING_A_RESPONSE);
    let feature = |name: &str| {
        api.features
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("no feature {name}"))
    };
    // Made while lowering `listPets`, used by `listStores` too: at the top, gated by neither
    // tag alone (both reach it), named after the component it comes from.
    assert_eq!(type_def(&api, "NotFound").features, Vec::<usize>::new());
    assert!(type_def(&api, "NotFoundDetail").features.is_empty());
    // What one operation alone uses stays in its module.
    assert_eq!(
        type_def(&api, "list_stores::Body").features,
        [feature("stores")]
    );
    assert_eq!(
        type_def(&api, "list_stores::BodyBody").features,
        [feature("stores")]
    );
    // A schema no operation uses is compiled by `schemas`, and so is what it reaches.
    assert_eq!(type_def(&api, "PetEvent").features, [feature("schemas")]);
    assert_eq!(
        type_def(&api, "Pet").features,
        [feature("pets"), feature("schemas")]
    );
}

/// `[types]` and `x-rust-type`: a mapped schema has no type of its own, the crate depends on a
/// mapped crate only while something kept uses it, and a mapping that is not a Rust type costs
/// its schema, reported at the extension.
#[test]
fn mapped_types_replace_schemas_and_bring_their_crates_only_when_used() {
    let text = r##"
openapi: 3.0.3
info: {title: Mapped, version: "1"}
paths:
  /users/{id}:
    get:
      operationId: get_user
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      properties:
        balance: {$ref: "#/components/schemas/Amount"}
        broken: {type: string, x-rust-type: {path: "not a path", crate: x, version: "1"}}
    Amount: {type: string}
"##;
    let config = crate::config::Config::from_file(
        toml_file(
            "[types.formats]\nuuid = \"uuid\"\ndate = { path = \"jiff::civil::Date\", crate = \"jiff\", version = \"0.2\" }\n\
             [types.schemas]\nAmount = \"rust_decimal\"\n",
        ),
        None,
    )
    .unwrap();
    let loaded = load::read(text, Syntax::Yaml).unwrap();
    let api = crate::lower::lower_with(
        &loaded.document,
        &crate::lower::Options {
            types: Some(&config.types),
            selected: false,
        },
    );
    assert!(
        api.types.iter().all(|t| t.name != "Amount"),
        "no type for a mapped schema"
    );
    let names: Vec<&str> = api
        .external_dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["rust_decimal", "uuid"]);
    assert_eq!(
        api.operations[0].params[0].ty,
        TypeRef::External("uuid::Uuid".to_owned())
    );
    let omission = &api.omissions[0];
    assert_eq!(
        omission.pointer,
        "/components/schemas/User/properties/broken/x-rust-type"
    );
    assert!(
        omission.reason.starts_with("not a Rust type: `not a path`"),
        "{}",
        omission.reason
    );
}

fn toml_file(text: &str) -> crate::config::File {
    toml::from_str(text).unwrap()
}
