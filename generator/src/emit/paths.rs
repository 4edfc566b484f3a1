//! Shorter paths in the emitted code, where they cannot mean anything else.
//!
//! Emitters write every path in full (`::std::option::Option`, `crate::types::Pet`), so that no
//! schema name can change what a path means. Before a module is rendered, this pass rewrites
//! a full path to its short form wherever the short form names the same item there: a std
//! prelude name that no generated type of that module shadows, and a type of the `types`
//! module named from inside it. The result reads like hand-written code and is a good deal
//! smaller; the meaning is the same by construction.

use std::collections::BTreeSet;

use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};

/// The std paths that have a prelude name: the path's segments after `::std::`, and the name.
const PRELUDE: &[(&[&str], &str)] = &[
    (&["option", "Option", "Some"], "Some"),
    (&["option", "Option", "None"], "None"),
    (&["option", "Option"], "Option"),
    (&["result", "Result", "Ok"], "Ok"),
    (&["result", "Result", "Err"], "Err"),
    (&["result", "Result"], "Result"),
    (&["string", "String"], "String"),
    (&["vec", "Vec"], "Vec"),
    (&["boxed", "Box"], "Box"),
    (&["convert", "TryInto"], "TryInto"),
    (&["convert", "TryFrom"], "TryFrom"),
    (&["convert", "Into"], "Into"),
    (&["convert", "From"], "From"),
    (&["default", "Default"], "Default"),
    (&["string", "ToString"], "ToString"),
];

/// What can be shortened in one module.
#[derive(Debug, Clone)]
pub(crate) struct Shortening {
    /// The names the module defines itself: a prelude name among them stays in full.
    defined: BTreeSet<String>,
    /// Whether the module is `types`: `crate::types::X` is `X` there.
    in_types: bool,
    /// The operation's module of `types` this is, if one: `crate::types::<it>::X` is `X`
    /// there, and `crate::types::Y` is `super::Y`.
    module: Option<String>,
}

impl Shortening {
    /// For the `types` module, which defines `names`.
    pub(crate) fn types<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            defined: names.into_iter().map(str::to_owned).collect(),
            in_types: true,
            module: None,
        }
    }

    /// For the module `module` of `types`, which defines `names`.
    pub(crate) fn types_module<'a>(module: &str, names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            defined: names.into_iter().map(str::to_owned).collect(),
            in_types: false,
            module: Some(module.to_owned()),
        }
    }

    /// For a module that defines `names` and is not `types`.
    pub(crate) fn other<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            defined: names.into_iter().map(str::to_owned).collect(),
            in_types: false,
            module: None,
        }
    }

    fn prelude_free(&self, name: &str) -> bool {
        !self.defined.contains(name)
    }

    /// `tokens` with their paths shortened.
    pub(crate) fn apply(&self, tokens: TokenStream) -> TokenStream {
        let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
        let mut i = 0;
        while i < trees.len() {
            if let Some((replacement, used)) = self.shorten_at(&trees, i, &out) {
                out.push(replacement);
                i += used;
                continue;
            }
            // Moved out, not cloned: only the trees ahead of `i` are looked at again.
            let tree = std::mem::replace(&mut trees[i], placeholder());
            out.push(match tree {
                TokenTree::Group(group) => {
                    let (delimiter, span, stream) =
                        (group.delimiter(), group.span(), group.stream());
                    // The group let go first, its stream is not copied to be walked.
                    drop(group);
                    let mut inner = Group::new(delimiter, self.apply(stream));
                    inner.set_span(span);
                    TokenTree::Group(inner)
                }
                TokenTree::Literal(literal) if follows_skip_serializing_if(&out) => {
                    self.shorten_literal(literal)
                }
                other => other,
            });
            i += 1;
        }
        out.into_iter().collect()
    }

    /// The short form of the path starting at `trees[at]`, and how many trees it replaces.
    fn shorten_at(
        &self,
        trees: &[TokenTree],
        at: usize,
        before: &[TokenTree],
    ) -> Option<(TokenTree, usize)> {
        // A path that continues one before it (`a::crate::...`, `a ::std`) is not the start
        // of one.
        let continues = match before {
            [.., TokenTree::Ident(_)] => true,
            [.., first, second] => is_separator_pair(first, second),
            _ => false,
        };
        if continues {
            return None;
        }
        if is_separator(trees, at) && is_ident(trees.get(at + 2), "std") {
            for (segments, name) in PRELUDE {
                if !self.prelude_free(name) {
                    continue;
                }
                let len = 3 + segments.len() * 3;
                let matches = segments.iter().enumerate().all(|(k, segment)| {
                    let sep = at + 3 + k * 3;
                    is_separator(trees, sep) && is_ident(trees.get(sep + 2), segment)
                });
                // `Option` followed by `::is_none` is still the type; a longer match came first.
                if matches {
                    return Some((ident_like(&trees[at + len - 1], name), len));
                }
            }
            return None;
        }
        let types_path = is_ident(trees.get(at), "crate")
            && is_separator(trees, at + 1)
            && is_ident(trees.get(at + 3), "types")
            && is_separator(trees, at + 4);
        if !types_path {
            return None;
        }
        let Some(TokenTree::Ident(name)) = trees.get(at + 6) else {
            return None;
        };
        if self.in_types {
            return Some((TokenTree::Ident(name.clone()), 7));
        }
        let module = self.module.as_deref()?;
        if name == module && is_separator(trees, at + 7) {
            if let Some(TokenTree::Ident(inner)) = trees.get(at + 9) {
                return Some((TokenTree::Ident(inner.clone()), 10));
            }
        }
        // Another type of `types`: `super` stands for `crate::types`, the `::` after it stays.
        Some((TokenTree::Ident(Ident::new("super", trees[at].span())), 4))
    }

    /// The path strings serde attributes hold (`skip_serializing_if`) read the same way.
    fn shorten_literal(&self, literal: proc_macro2::Literal) -> TokenTree {
        if literal.to_string() == "\"::std::option::Option::is_none\""
            && self.prelude_free("Option")
        {
            return TokenTree::Literal(proc_macro2::Literal::string("Option::is_none"));
        }
        TokenTree::Literal(literal)
    }
}

/// `tokens` as code outside the crate sees them (a doctest): `crate` is the crate's name.
pub(crate) fn in_crate(lib: &Ident, tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "crate" => TokenTree::Ident(lib.clone()),
            TokenTree::Group(group) => {
                let (delimiter, span, stream) = (group.delimiter(), group.span(), group.stream());
                drop(group);
                let mut inner = Group::new(delimiter, in_crate(lib, stream));
                inner.set_span(span);
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}

/// Whether `trees[at..at + 2]` is `::`.
fn is_separator(trees: &[TokenTree], at: usize) -> bool {
    match (trees.get(at), trees.get(at + 1)) {
        (Some(first), Some(second)) => is_separator_pair(first, second),
        _ => false,
    }
}

/// Whether `first` and `second` are `::`.
fn is_separator_pair(first: &TokenTree, second: &TokenTree) -> bool {
    matches!(
        (first, second),
        (TokenTree::Punct(a), TokenTree::Punct(b))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// Whether the trees so far end in `skip_serializing_if =`, the one place a string holds a
/// path (reading every literal, doc comments among them, would cost a copy of each).
fn follows_skip_serializing_if(out: &[TokenTree]) -> bool {
    matches!(
        out,
        [.., TokenTree::Ident(name), TokenTree::Punct(eq)]
            if eq.as_char() == '=' && name == "skip_serializing_if"
    )
}

/// What a tree moved out of the list leaves behind (never read).
fn placeholder() -> TokenTree {
    TokenTree::Punct(proc_macro2::Punct::new('.', Spacing::Alone))
}

fn is_ident(tree: Option<&TokenTree>, name: &str) -> bool {
    matches!(tree, Some(TokenTree::Ident(ident)) if ident == name)
}

/// `name` as an identifier, with the span of the tree it replaces.
fn ident_like(tree: &TokenTree, name: &str) -> TokenTree {
    TokenTree::Ident(Ident::new(name, tree.span()))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn shortened(shortening: &Shortening, tokens: TokenStream) -> String {
        shortening.apply(tokens).to_string()
    }

    #[test]
    fn prelude_paths_shorten_unless_the_module_defines_the_name() {
        let tokens = quote! {
            pub struct Pet {
                pub name: ::std::option::Option<::std::string::String>,
                pub tags: ::std::vec::Vec<crate::types::Tag>,
            }
            fn f() -> ::std::result::Result<(), ()> { ::std::result::Result::Ok(()) }
        };
        let free = Shortening::types(["Pet", "Tag"]);
        assert_eq!(
            shortened(&free, tokens.clone()),
            quote! {
                pub struct Pet {
                    pub name: Option<String>,
                    pub tags: Vec<Tag>,
                }
                fn f() -> Result<(), ()> { Ok(()) }
            }
            .to_string()
        );
        // A schema called `String` or `Result` keeps std's in full.
        let shadowed = Shortening::types(["Pet", "String", "Result"]);
        let text = shortened(&shadowed, tokens);
        assert!(text.contains(":: std :: string :: String"), "{text}");
        assert!(text.contains("-> :: std :: result :: Result <"), "{text}");
        // `Ok` itself is not shadowed: the prelude's is std's.
        assert!(text.contains("{ Ok (()) }"), "{text}");
        assert!(text.contains("Option < :: std"), "{text}");
    }

    #[test]
    fn generated_types_shorten_only_inside_types() {
        let tokens = quote!(
            fn f(pet: &crate::types::Pet) -> crate::Error {
                todo()
            }
        );
        let outside = Shortening::other(["Client"]);
        assert!(shortened(&outside, tokens.clone()).contains("crate :: types :: Pet"));
        let inside = Shortening::types(["Pet"]);
        assert!(shortened(&inside, tokens).contains("(pet : & Pet)"));
    }

    #[test]
    fn inside_an_operations_module() {
        let tokens = quote!(
            fn f(a: crate::types::create_pet::Body, b: crate::types::Pet) {}
        );
        let inside = Shortening::types_module("create_pet", ["Body"]);
        assert_eq!(
            shortened(&inside, tokens),
            quote!(
                fn f(a: Body, b: super::Pet) {}
            )
            .to_string()
        );
    }

    #[test]
    fn crate_paths_in_examples_name_the_crate() {
        let lib = Ident::new("pets", proc_macro2::Span::call_site());
        let tokens = in_crate(&lib, quote!(let x = crate::types::Pet::default();));
        assert_eq!(
            tokens.to_string(),
            quote!(let x = pets::types::Pet::default();).to_string()
        );
    }

    #[test]
    fn serde_paths_in_strings_and_longer_paths() {
        let tokens = quote! {
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            x: ::std::option::Option::None,
        };
        let text = shortened(&Shortening::types(["A"]), tokens);
        assert!(text.contains("\"Option::is_none\""), "{text}");
        assert!(text.contains("x : None"), "{text}");
    }
}
