//! `application/x-www-form-urlencoded` request bodies. Only generated crates whose API sends
//! form bodies carry this module.

use serde::Serialize;

use super::transport::RequestParts;
use super::validation::ValidationError;

/// How one property of a form body is encoded: its `encoding` entry in the API description.
/// Properties without one use the `form` style, exploded (arrays repeat the name; objects
/// spread into their own keys).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormField {
    pub name: &'static str,
    /// `deepObject`: nested values as `name[key]=value` (Stripe's way).
    pub deep: bool,
    pub explode: bool,
    /// What joins the items of an array that is not exploded (`,`, or ` `/`|` for the
    /// delimited styles).
    pub separator: char,
}

/// Sets `body`, form-encoded, as the request body. Fields go in the order of their names
/// (the order of a form body's fields carries no meaning).
pub(crate) fn form_body<B: Serialize>(
    parts: &mut RequestParts,
    body: &B,
    fields: &[FormField],
) -> Result<(), ValidationError> {
    let serde_json::Value::Object(map) = super::transport::to_json("body", body)? else {
        return Err(ValidationError::not_encodable(
            "body",
            "a form body must be an object",
        ));
    };
    let mut pairs = Vec::new();
    for (name, item) in super::transport::by_name(&map) {
        let field = fields.iter().find(|field| field.name == name);
        super::transport::push_value(
            &mut pairs,
            name.clone(),
            field.is_some_and(|field| field.deep),
            field.is_none_or(|field| field.explode),
            field.map_or(',', |field| field.separator),
            item,
        );
    }
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    parts.raw_body("application/x-www-form-urlencoded", encoded.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Login {
        user: &'static str,
        remember: bool,
        tags: Vec<&'static str>,
    }

    #[test]
    fn encodes_fields_as_pairs() {
        let mut parts = RequestParts::new("/login".to_owned(), &[]);
        let login = Login {
            user: "a b&c",
            remember: true,
            tags: vec!["x", "y"],
        };
        form_body(&mut parts, &login, &[]).unwrap();
        assert_eq!(
            parts.body(),
            Some(&b"remember=true&tags=x&tags=y&user=a+b%26c"[..])
        );
    }

    #[test]
    fn encodings_pick_deep_objects_and_delimited_arrays() {
        let body = serde_json::json!({
            "metadata": {"order": "6735", "note": null},
            "items": [{"price": "p_1", "quantity": 2}],
            "expand": ["customer", "invoice"],
            "name": "Ann",
            "payment_method_types": ["card"],
        });
        let fields = [
            FormField {
                name: "metadata",
                deep: true,
                explode: true,
                separator: ',',
            },
            FormField {
                name: "items",
                deep: true,
                explode: true,
                separator: ',',
            },
            FormField {
                name: "expand",
                deep: false,
                explode: false,
                separator: '|',
            },
            FormField {
                name: "payment_method_types",
                deep: true,
                explode: true,
                separator: ',',
            },
        ];
        let mut parts = RequestParts::new("/charges".to_owned(), &[]);
        form_body(&mut parts, &body, &fields).unwrap();
        assert_eq!(
            std::str::from_utf8(parts.body().unwrap()).unwrap(),
            "expand=customer%7Cinvoice&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2\
             &metadata%5Border%5D=6735&name=Ann&payment_method_types%5B0%5D=card"
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        let mut parts = RequestParts::new("/x".to_owned(), &[]);
        let error = form_body(&mut parts, &"text", &[]).unwrap_err();
        assert_eq!(error.field(), "body");
    }
}
