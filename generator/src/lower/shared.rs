//! Types shared by several places: one type per distinct shape, with a name that fits every
//! place it is used rather than the first one.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::unescape_token;
use crate::model::{Docs, EnumValue, ErrorCase, ErrorStatus, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Scope};

/// One place an enumeration is used: the name it would have had there, its docs there, and
/// the module of types it would have been in.
pub(super) type Place = (String, Docs, Option<String>);

/// Names each enumeration used in several places: its values joined (`ReadOrWrite`) when they
/// are few, else the words its places' names end with alike (`…State`), else its first
/// place's name; its docs are its places' when they agree, else a list of its values. One
/// used by several operations' modules moves to the top of `types`.
pub(super) fn name_shared_enums(types: &mut [TypeDef], uses: &BTreeMap<TypeId, Vec<Place>>) {
    let shared: BTreeSet<TypeId> = uses
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(id, _)| *id)
        .collect();
    if shared.is_empty() {
        return;
    }
    let mut scopes: BTreeMap<Option<String>, Scope> = BTreeMap::new();
    for (i, def) in types.iter().enumerate() {
        if !shared.contains(&TypeId(i)) {
            scopes
                .entry(def.module.clone())
                .or_insert_with(|| Scope::of_types(&[]))
                .claim(def.name.clone());
        }
    }
    for id in shared {
        let places = &uses[&id];
        let def = &mut types[id.0];
        let TypeKind::Enum(e) = &def.kind else {
            continue;
        };
        let variants: Vec<&str> = e.variants.iter().map(|v| v.rust_name.as_str()).collect();
        let hints: Vec<&str> = places.iter().map(|(hint, _, _)| hint.as_str()).collect();
        // The first free of: the values, the words the places' names end with alike, each
        // place's name; else the first of these with a number, which the docs explain.
        let mut candidates: Vec<String> = values_name(&variants).into_iter().collect();
        candidates.extend(common_suffix(&hints));
        candidates.extend(hints.iter().map(|h| (*h).to_owned()));
        let module = places[0].2.clone();
        let module =
            module.filter(|m| places.iter().all(|(_, _, other)| other.as_ref() == Some(m)));
        let scope = scopes
            .entry(module.clone())
            .or_insert_with(|| Scope::of_types(&[]));
        let free = candidates.iter().find(|c| scope.is_free(c)).cloned();
        let wanted = free.clone().unwrap_or_else(|| candidates[0].clone());
        let name = scope.claim(wanted.clone());
        let values: Vec<String> = e
            .variants
            .iter()
            .map(|v| match &v.wire {
                EnumValue::String(text) => format!("`{text}`"),
                EnumValue::Integer(n) => format!("`{n}`"),
            })
            .collect();
        if places.iter().any(|(_, docs, _)| *docs != places[0].1) {
            let mut docs = Docs::default();
            docs.push(format!(
                "One of {}; the same values in {} places of the API description.",
                values.join(", "),
                places.len()
            ));
            def.docs = docs;
        }
        if name != wanted {
            def.docs.push(format!(
                "Named `{name}` because `{wanted}` is another type of this crate, and the \
                 places that use this one have no other name in common."
            ));
        }
        def.module = module;
        def.name = name;
    }
}

/// Makes one enum of the error responses that several operations share to the letter
/// (GitHub's 289 came to 99 shapes): each operation keeps its `Error` name in its module, as
/// another name for the shared enum, named after its statuses (`Error404Or422`).
pub(super) fn share_error_enums(types: &mut Vec<TypeDef>) {
    let mut groups: Vec<(Vec<ErrorCase>, Vec<TypeId>)> = Vec::new();
    for (i, def) in types.iter().enumerate() {
        let TypeKind::Errors(cases) = &def.kind else {
            continue;
        };
        let shape: Vec<ErrorCase> = cases
            .iter()
            .map(|case| ErrorCase {
                docs: Docs::default(),
                ..case.clone()
            })
            .collect();
        match groups.iter_mut().find(|(s, _)| *s == shape) {
            Some((_, members)) => members.push(TypeId(i)),
            None => groups.push((shape, vec![TypeId(i)])),
        }
    }
    let mut names = Scope::of_types(
        &types
            .iter()
            .filter(|t| t.module.is_none())
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
    );
    for (_, members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let first = &types[members[0].0];
        let TypeKind::Errors(cases) = first.kind.clone() else {
            continue;
        };
        let statuses: Vec<String> = cases.iter().map(|case| status_word(case.status)).collect();
        let mut docs = Docs::default();
        docs.push(format!(
            "The error responses, by status, of the {} operations whose errors have this shape.",
            members.len()
        ));
        let shared = TypeId(types.len());
        let name = names.claim(format!("Error{}", statuses.join("Or")));
        types.push(TypeDef {
            name,
            docs,
            pointer: first.pointer.clone(),
            example: None,
            kind: TypeKind::Errors(cases),
            features: Vec::new(),
            module: None,
        });
        for member in members {
            types[member.0].kind = TypeKind::Alias(TypeRef::Named(shared));
        }
    }
}

/// The places a type at the top of `types` stands for: copies of one shape merged into one
/// type ([`super::shapes`]), or a type made in one operation's module that others reach
/// ([`super::placement`]).
pub(super) struct Places<'a> {
    /// The name each place gave it, the first place first.
    pub names: Vec<&'a str>,
    /// Where the first place made it.
    pub pointer: &'a str,
    /// Every place is in a request (a body or a parameter), none in a response.
    pub input: bool,
    /// The operations whose modules the places were in, or that reach the type.
    pub operations: Vec<&'a str>,
    /// The names given by places inside a component schema, which say which component.
    pub in_components: Vec<&'a str>,
}

/// A name for a type several places share, said by what the type is or by what all its
/// places have alike, so that no tag's user meets a type named after another tag's
/// operation. The first free of:
///
/// 1. the words its places' names end with alike (`Address`), unless vague (`Item`);
/// 2. the shortest name a place inside a component schema gave it (`AgentTaskRepository`);
/// 3. a union of a few named shapes, its variants joined (`StringOrInteger`);
/// 4. in responses, a page of a list (an object with one array beside scalars), by what it
///    lists: the items' type (`BalanceTransactionList`), else the array's name (`TasksList`);
/// 5. the words its operations' names end with alike, before its name
///    (`actions/list-org-secrets` and `agents/list-org-secrets`: `ListOrgSecretsResponse`);
/// 6. its first place's name, unless vague;
/// 7. in requests only, that name with `Params` (`AddressParams`, beside the response's
///    `Address`);
/// 8. more of its first place's labels (`ShippingAddress`, `ReviewersItem`);
/// 9. the words its operations' names begin with alike (`projects/add-item-for-org` and
///    `…-for-user`: `ProjectsAddItemBody`);
/// 10. an object of up to three properties, by them (`ExpandBody`,
///     `MessageAndDocumentationUrlError`);
/// 11. a vague name after the first word its operations' names have alike, unless a method
///     (`CreateBody`), else after `Shared` (never a vague name alone at the top);
///
/// and last the first candidate with a number, with a note for its docs saying why.
pub(super) fn shared_type_name(
    places: &Places,
    kind: &TypeKind,
    types: &[TypeDef],
    scope: &mut Scope,
) -> (String, Option<String>) {
    let first = places.names[0];
    let vague = |name: &str| super::shapes::VAGUE.contains(&name);
    let mut candidates: Vec<String> = Vec::new();
    let name = common_suffix(&places.names).unwrap_or_else(|| first.to_owned());
    if !vague(&name) {
        candidates.push(name.clone());
    }
    if let Some(component) = places
        .in_components
        .iter()
        .filter(|n| !vague(n))
        .min_by_key(|n| n.len())
    {
        candidates.push((*component).to_owned());
    }
    if let TypeKind::Union(union) = kind {
        let variants: Vec<&str> = union
            .variants
            .iter()
            .map(|v| v.rust_name.as_str())
            .collect();
        let plain = variants
            .iter()
            .all(|v| !vague(v) && !v.ends_with(|c: char| c.is_ascii_digit()));
        if let Some(joined) = values_name(&variants).filter(|_| plain && variants.len() > 1) {
            candidates.push(joined);
        }
    }
    // A page of a list, by what it lists: the array's item type, else the array's name.
    if let (TypeKind::Struct(s), false) = (kind, places.input) {
        let listed: Vec<String> = s
            .fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Vec(item) => match item.as_ref() {
                    TypeRef::Named(id) if !vague(&types[id.0].name) => {
                        Some(types[id.0].name.clone())
                    }
                    _ => Some(naming::type_name(&f.wire_name)),
                },
                TypeRef::Named(_) | TypeRef::Map(_) => Some(String::new()),
                _ => None,
            })
            .collect();
        if let [item] = listed.as_slice() {
            if !item.is_empty() {
                candidates.push(format!("{item}List"));
            }
        }
    }
    let mut operations: Vec<String> = places
        .operations
        .iter()
        .map(|op| naming::type_name(op.trim_start_matches("r#")))
        .collect();
    operations.sort();
    operations.dedup();
    let operations: Vec<&str> = operations.iter().map(String::as_str).collect();
    if operations.len() > 1 {
        if let Some(alike) = common_suffix(&operations) {
            candidates.push(format!("{alike}{name}"));
        }
    }
    if !vague(first) {
        candidates.push(first.to_owned());
        if places.input && !name.ends_with("Param") && !name.ends_with("Params") {
            candidates.push(format!("{name}Params"));
        }
    }
    let labels = place_labels(places.pointer);
    for count in 2..=labels.len() {
        let joined = labels[labels.len() - count..].concat();
        if !vague(&joined) {
            candidates.push(joined);
        }
    }
    if let Some(alike) = common_prefix(&operations) {
        candidates.push(format!("{alike}{name}"));
    }
    if let TypeKind::Struct(s) = kind {
        let fields: Vec<String> = s
            .fields
            .iter()
            .map(|f| naming::type_name(&f.wire_name))
            .collect();
        let tail = words(first).last().copied().unwrap_or_default();
        let by_fields = match fields.as_slice() {
            [one] if one != tail => Some(format!("{one}{tail}")),
            [a, b] => Some(format!("{a}And{b}{tail}")),
            [a, b, c] => Some(format!("{a}{b}And{c}{tail}")),
            _ => None,
        };
        candidates.extend(by_fields.filter(|n| n.len() <= 48));
    }
    // A vague name is never one at the top on its own: after the word the operations' names
    // begin with alike when it is not a method (`Create`), else that it is shared.
    if vague(&name) {
        const METHODS: &[&str] = &["Get", "Put", "Post", "Patch", "Delete", "Head", "Options"];
        if let Some(alike) = common_words(&operations, 1).filter(|w| !METHODS.contains(&w.as_str()))
        {
            candidates.push(format!("{alike}{name}"));
        }
        candidates.push(format!("Shared{name}"));
    }
    if let Some(free) = candidates.iter().find(|c| scope.is_free(c)) {
        return (scope.claim(free.clone()), None);
    }
    let wanted = candidates.into_iter().next().unwrap_or(name);
    let claimed = scope.claim(wanted.clone());
    let note = (claimed != wanted).then(|| {
        format!(
            "Named `{claimed}` because `{wanted}` is another type of this crate, and the \
             places that use this one have no other name in common."
        )
    });
    (claimed, note)
}

/// The leading words every name has alike, three or more (`ProjectsAddItemForOrg`,
/// `ProjectsAddItemForUser`: `ProjectsAddItem`, without the `For` that led to where they
/// differ).
pub(super) fn common_prefix(names: &[&str]) -> Option<String> {
    // Two words are often a method and a resource, or a tag (`AgentTasks`): too little.
    common_words(names, 3)
}

/// The leading words, `least` or more, that two or more names have alike, short of the whole
/// of any of them, without a joining word at their end.
fn common_words(names: &[&str], least: usize) -> Option<String> {
    const JOINING: &[&str] = &[
        "For", "By", "In", "To", "Of", "And", "Or", "With", "On", "From",
    ];
    let split: Vec<Vec<&str>> = names.iter().map(|n| words(n)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let mut count = (0..shortest)
        .take_while(|&i| split.iter().all(|w| w[i] == split[0][i]))
        .count();
    while count > 0 && JOINING.contains(&split[0][count - 1]) {
        count -= 1;
    }
    (names.len() > 1 && count >= least && count < shortest).then(|| split[0][..count].concat())
}

/// The labels of the place a schema at `pointer` sits in, from its root: a property's name
/// (`shipping`: `Shipping`), `Item` for an array's items, `Value` for a map's values, and a
/// component schema's name first.
fn place_labels(pointer: &str) -> Vec<String> {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut labels = Vec::new();
    // The schema's root: a component schema's own, or an operation's body or response.
    let start = match tokens.as_slice() {
        ["components", "schemas", name, ..] => {
            labels.push(naming::type_name(&unescape_token(name)));
            3
        }
        _ => match tokens.iter().position(|t| *t == "schema") {
            Some(at) => at + 1,
            None => return labels,
        },
    };
    let mut rest = tokens[start..].iter();
    while let Some(token) = rest.next() {
        match *token {
            "properties" => {
                if let Some(name) = rest.next() {
                    labels.push(naming::type_name(&unescape_token(name)));
                }
            }
            "items" => labels.push("Item".to_owned()),
            "additionalProperties" => labels.push("Value".to_owned()),
            "oneOf" | "anyOf" | "allOf" | "prefixItems" => {
                rest.next();
            }
            _ => {}
        }
    }
    labels
}

/// A status as a word of a name: `404`, `4xx`, `Default`.
fn status_word(status: ErrorStatus) -> String {
    match status {
        ErrorStatus::Code(code) => code.to_string(),
        ErrorStatus::Range(hundreds) => format!("{hundreds}xx"),
        ErrorStatus::Default => "Default".to_owned(),
    }
}

/// `ReadOrWrite`: the variants joined, for up to four of them and a name of readable length.
pub(super) fn values_name(variants: &[&str]) -> Option<String> {
    if variants.is_empty() || variants.len() > 4 {
        return None;
    }
    let name = match variants {
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{}Or{last}", init.join("")),
        [] => return None,
    };
    (name.len() <= 40 && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// The trailing words every name has alike (`PullRequestState`, `IssueState`: `State`).
pub(super) fn common_suffix(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|n| words(n)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let mut count = 0;
    while count < shortest {
        let word = split[0][split[0].len() - 1 - count];
        if split.iter().all(|w| w[w.len() - 1 - count] == word) {
            count += 1;
        } else {
            break;
        }
    }
    let first = &split[0];
    (count > 0).then(|| first[first.len() - count..].concat())
}

/// The words of an `UpperCamelCase` name (digits stay with the word before them).
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_values_name_themselves() {
        assert_eq!(
            values_name(&["Read", "Write"]).as_deref(),
            Some("ReadOrWrite")
        );
        assert_eq!(
            values_name(&["Bot", "User", "Organization"]).as_deref(),
            Some("BotUserOrOrganization")
        );
        assert_eq!(values_name(&["A", "B", "C", "D", "E"]), None);
        assert_eq!(values_name(&["V1", "V2"]).as_deref(), Some("V1OrV2"));
    }

    #[test]
    fn shared_trailing_words() {
        assert_eq!(
            common_suffix(&["PullRequestState", "IssueState"]).as_deref(),
            Some("State")
        );
        assert_eq!(
            common_suffix(&["RepoMergeMethod", "OrgMergeMethod"]).as_deref(),
            Some("MergeMethod")
        );
        assert_eq!(
            common_suffix(&["AppPermissionsActions", "AppPermissionsChecks"]),
            None
        );
    }
}
