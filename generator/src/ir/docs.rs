//! Spec text → rustdoc-ready Markdown that `cargo doc` and doctests accept as it is.
//!
//! Descriptions are CommonMark written for people, not for rustdoc: a code fence without a language
//! would be compiled as a doctest, an indented block likewise, and `[x]` or `<tag>` would be read as
//! links or HTML. This module neutralises those while keeping the text readable.

/// Joins the non-empty parts with blank lines and makes the result safe for rustdoc.
pub fn join(parts: &[Option<&str>]) -> Option<String> {
    let mut out = String::new();
    for part in parts.iter().flatten().map(|p| p.trim()) {
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        sanitize_into(&mut out, part);
    }
    (!out.is_empty()).then_some(out)
}

/// Makes one piece of spec text safe for rustdoc, appending it to `out`: the lowering makes a text
/// for every description of a large document, so each is written once, into the string that
/// keeps it.
fn sanitize_into(out: &mut String, text: &str) {
    let start = out.len();
    out.reserve(text.len());
    let mut in_fence = false;
    let mut in_list = false;
    let text: std::borrow::Cow<str> = if text.contains('\t') {
        text.replace('\t', "    ").into()
    } else {
        text.into()
    };
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence becomes a `text` block: nothing from a spec is compiled as a doctest.
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else if !trimmed.is_empty() {
            if indent == 0 {
                in_list = is_list_item(trimmed);
            }
            // Inside a list, indentation continues the item; elsewhere it would start a code block.
            if in_list {
                out.push_str(&line[..indent.min(8)]);
            }
            escape_inline_into(out, trimmed);
        }
    }
    if in_fence {
        if out.len() > start {
            out.push('\n');
        }
        out.push_str("```");
    }
    let kept = start + out[start..].trim_end().len();
    out.truncate(kept);
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

/// Escapes what rustdoc would read as links or HTML, and wraps bare URLs, outside inline code,
/// appending the line to `out`.
fn escape_inline_into(out: &mut String, line: &str) {
    // Most lines hold nothing to escape or wrap: copied whole, not piece by piece.
    if !needs_escaping(line) {
        out.push_str(line);
        return;
    }
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Inline code, and most prose, has nothing to escape or wrap.
        if i % 2 == 1 || !needs_escaping(piece) {
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
                let mut rest = word;
                while let Some(at) = rest.bytes().position(escaped) {
                    out.push_str(&rest[..at]);
                    out.push('\\');
                    // The characters found are ASCII: one byte each.
                    out.push_str(&rest[at..=at]);
                    rest = &rest[at + 1..];
                }
                out.push_str(rest);
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
}

/// Whether `text` holds something rustdoc would read as a link or HTML, or a URL to wrap.
fn needs_escaping(text: &str) -> bool {
    text.bytes().any(escaped) || text.contains("http")
}

/// Whether rustdoc would read the character (an ASCII byte) as part of a link or of HTML: it is
/// escaped. Compared byte by byte, as these are ASCII and no other character's bytes are.
fn escaped(byte: u8) -> bool {
    matches!(byte, b'[' | b']' | b'<' | b'>' | b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitize(text: &str) -> String {
        let mut out = String::new();
        sanitize_into(&mut out, text);
        out
    }

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
