//! Turning spec prose into doc attributes that rustdoc accepts without warnings.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = "..."]` attributes, one per line, paragraphs separated by an empty line.
pub(crate) fn attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&lines(docs))
}

/// The first paragraph only: for builder setters and short summaries.
pub(crate) fn summary(docs: &Docs) -> String {
    docs.paragraphs
        .first()
        .map(|p| markdown_safe(p))
        .unwrap_or_default()
}

pub(crate) fn lines(docs: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    for (i, paragraph) in docs.paragraphs.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.extend(markdown_safe(paragraph).lines().map(str::to_owned));
    }
    out
}

pub(crate) fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Makes spec Markdown safe for rustdoc: code fences without a language become `text` (so
/// they are not compiled as doctests), indentation that would start an indented code block
/// is removed, bare URLs are wrapped in `<>`, and brackets that are not links are escaped.
pub(crate) fn markdown_safe(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let info = trimmed.trim_start_matches('`').trim();
                let lang = if info.is_empty() || info == "rust" {
                    "text"
                } else {
                    info
                };
                out.push(format!("```{lang}"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
        } else {
            out.push(escape_inline(trimmed.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // Keep `[text](target)`; escape anything else.
                let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => {
                        let end = chars[close..]
                            .iter()
                            .position(|&c| c == ')')
                            .map(|p| p + close);
                        let end = end.unwrap_or(chars.len() - 1);
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                        continue;
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' => out.push_str("\\]"),
            'h' if starts_url(&chars[i..]) && !matches!(out.chars().last(), Some('<' | '(')) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, '>' | ')' | '"'))
                    .map_or(chars.len(), |p| p + i);
                let mut url: String = chars[i..end].iter().collect();
                let trailing: String = {
                    let kept = url.trim_end_matches(['.', ',', ';', ':']).len();
                    url.split_off(kept)
                };
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_hazards_are_defused() {
        assert_eq!(
            markdown_safe("see https://x.io/a."),
            "see <https://x.io/a>."
        );
        assert_eq!(
            markdown_safe("[link](https://x.io)"),
            "[link](https://x.io)"
        );
        assert_eq!(markdown_safe("an [array] here"), "an \\[array\\] here");
        assert_eq!(
            markdown_safe("`[a]` and `https://x`"),
            "`[a]` and `https://x`"
        );
        assert_eq!(
            markdown_safe("```\nlet x = 1;\n```"),
            "```text\nlet x = 1;\n```"
        );
        assert_eq!(markdown_safe("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(markdown_safe("para\n\n    indented"), "para\n\nindented");
        assert_eq!(markdown_safe("<https://x.io>"), "<https://x.io>");
    }
}
