//! Spec text → rustdoc-ready Markdown that `cargo doc` and doctests accept as it is.
//!
//! Descriptions are CommonMark written for people, not for rustdoc: a code fence without a language
//! would be compiled as a doctest, an indented block likewise, and `[x]` or `<tag>` would be read as
//! links or HTML. This module neutralises those while keeping the text readable.

/// Joins the non-empty parts with blank lines and makes the result safe for rustdoc.
pub fn join(parts: &[Option<&str>]) -> Option<String> {
    let text: Vec<String> = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(sanitize)
        .collect();
    (!text.is_empty()).then(|| text.join("\n\n"))
}

/// Makes one piece of spec text safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_list = false;
    let text: std::borrow::Cow<str> = if text.contains('\t') {
        text.replace('\t', "    ").into()
    } else {
        text.into()
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence becomes a `text` block: nothing from a spec is compiled as a doctest.
            out.push(if in_fence {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_owned());
        } else if trimmed.is_empty() {
            out.push(String::new());
        } else {
            if indent == 0 {
                in_list = is_list_item(trimmed);
            }
            // Inside a list, indentation continues the item; elsewhere it would start a code block.
            let kept = if in_list { &line[..indent.min(8)] } else { "" };
            out.push(format!("{kept}{}", escape_inline(trimmed)));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n").trim_end().to_owned()
}

/// Whether a line starts a Markdown list item (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    if digits > 0 {
        rest.starts_with(". ") || rest.starts_with(") ")
    } else {
        line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ")
    }
}

/// Escapes what rustdoc would read as links or HTML, and wraps bare URLs, outside inline code.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Inline code, and most prose, has nothing to escape or wrap.
        if i % 2 == 1 || !(piece.contains(['[', ']', '<', '>', '\\']) || piece.contains("http")) {
            out.push_str(piece);
            continue;
        }
        let mut words = piece.split(' ').peekable();
        while let Some(word) = words.next() {
            if word.starts_with("http://") || word.starts_with("https://") {
                out.push('<');
                out.push_str(word.trim_end_matches(['.', ',', ';', ')']));
                out.push('>');
                out.push_str(&word[word.trim_end_matches(['.', ',', ';', ')']).len()..]);
            } else {
                for c in word.chars() {
                    if matches!(c, '[' | ']' | '<' | '>' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_blocks() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn indentation_cannot_start_a_code_block() {
        assert_eq!(sanitize("a\n\n    code"), "a\n\ncode");
    }

    #[test]
    fn list_items_keep_their_continuation_indent() {
        assert_eq!(
            sanitize("1. first\n   more\n\nafter"),
            "1. first\n   more\n\nafter"
        );
        assert_eq!(sanitize("- a\n  b"), "- a\n  b");
    }

    #[test]
    fn links_html_and_urls_are_neutralised() {
        assert_eq!(sanitize("see [x] <b>"), "see \\[x\\] \\<b\\>");
        assert_eq!(sanitize("at https://a.b/c."), "at <https://a.b/c>.");
        assert_eq!(sanitize("keep `[x]` as code"), "keep `[x]` as code");
        assert_eq!(sanitize("plain  prose, kept."), "plain  prose, kept.");
        assert_eq!(sanitize("a `b` [c] `d`"), "a `b` \\[c\\] `d`");
    }

    #[test]
    fn joins_non_empty_parts() {
        assert_eq!(
            join(&[Some(" a "), None, Some(""), Some("b")]),
            Some("a\n\nb".to_owned())
        );
        assert_eq!(join(&[None, Some("  ")]), None);
    }
}
