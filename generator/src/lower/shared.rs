//! Types shared by several places: one type per distinct shape, with a name that fits every
//! place it is used rather than the first one.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Docs, EnumValue, ErrorCase, ErrorStatus, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::Scope;

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
        let name = values_name(&variants)
            .or_else(|| common_suffix(&hints))
            .unwrap_or_else(|| hints[0].to_owned());
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
        let module = places[0].2.clone();
        def.module =
            module.filter(|m| places.iter().all(|(_, _, other)| other.as_ref() == Some(m)));
        def.name = scopes
            .entry(def.module.clone())
            .or_insert_with(|| Scope::of_types(&[]))
            .claim(name);
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

/// A status as a word of a name: `404`, `4xx`, `Default`.
fn status_word(status: ErrorStatus) -> String {
    match status {
        ErrorStatus::Code(code) => code.to_string(),
        ErrorStatus::Range(hundreds) => format!("{hundreds}xx"),
        ErrorStatus::Default => "Default".to_owned(),
    }
}

/// `ReadOrWrite`: the variants joined, for up to four of them and a name of readable length.
fn values_name(variants: &[&str]) -> Option<String> {
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
