//! A readable string that matches a `pattern`, for the README's example values.
//!
//! A deterministic walk of the pattern's syntax tree writes the shortest text it accepts: a
//! literal as itself, a class as one readable member (a lowercase letter, else a digit, …), a
//! repetition at its minimum count, an alternation as its first branch that can be written, and
//! anchors and boundaries as nothing. Where the text must be longer (`minLength`), repetitions
//! that may grow take more copies. The caller checks the result against the pattern itself, since
//! a boundary or an anchor the walk passes over may still refuse it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The shortest text the walk makes of `source` that is at least `min_chars` long where its
/// repetitions can grow so far; `None` when the pattern does not parse or a part of it cannot be
/// written (an empty class, a byte that is not text).
pub fn matching_text(source: &str, min_chars: usize) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let mut text = String::new();
    write(&hir, &mut text, &mut 0)?;
    let short = text.chars().count();
    if short >= min_chars {
        return Some(text);
    }
    let mut longer = String::new();
    write(&hir, &mut longer, &mut (min_chars - short))?;
    Some(longer)
}

/// Appends the walk's text of `hir` to `out`; `extra` is how many more characters repetitions
/// may add beyond their minimum.
fn write(hir: &Hir, out: &mut String, extra: &mut usize) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(class) => out.push(member(class)?),
        HirKind::Capture(capture) => write(&capture.sub, out, extra)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, out, extra)?;
            }
        }
        HirKind::Alternation(branches) => {
            // The first branch that can be written; the others are left untouched.
            let written = branches.iter().find_map(|branch| {
                let mut text = String::new();
                let mut left = *extra;
                write(branch, &mut text, &mut left).map(|()| (text, left))
            })?;
            out.push_str(&written.0);
            *extra = written.1;
        }
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min {
                write(&repetition.sub, out, extra)?;
            }
            let mut count = repetition.min;
            while *extra > 0 && repetition.max.map_or(true, |max| count < max) {
                let mut copy = String::new();
                write(&repetition.sub, &mut copy, &mut 0)?;
                let added = copy.chars().count();
                if added == 0 {
                    break;
                }
                out.push_str(&copy);
                *extra = extra.saturating_sub(added);
                count += 1;
            }
        }
    }
    Some(())
}

/// The most readable member of a class: `a`, else `0`, else a lowercase letter, a digit, an
/// uppercase letter, other printable ASCII, and last any printable character.
fn member(class: &Class) -> Option<char> {
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        // Only ASCII bytes are text on their own.
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .filter(|r| r.start().is_ascii())
            .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
            .collect(),
    };
    let contains = |c: char| ranges.iter().any(|&(start, end)| start <= c && c <= end);
    let first = |wanted: fn(&char) -> bool| {
        ranges
            .iter()
            .find_map(|&(start, end)| (start..=end).take(256).find(&wanted))
    };
    ['a', '0']
        .into_iter()
        .find(|c| contains(*c))
        .or_else(|| first(char::is_ascii_lowercase))
        .or_else(|| first(char::is_ascii_digit))
        .or_else(|| first(char::is_ascii_uppercase))
        .or_else(|| first(char::is_ascii_graphic))
        .or_else(|| first(|c| !c.is_control() && !c.is_whitespace()))
        .or_else(|| ranges.first().map(|r| r.0))
}

#[cfg(test)]
mod tests {
    use super::matching_text;

    /// The walk's text of `source`, checked against the pattern as the client checks it.
    fn matching(source: &str, min_chars: usize) -> String {
        let text = matching_text(source, min_chars).expect("a text");
        let regex = regex::Regex::new(source).unwrap();
        assert!(regex.is_match(&text), "{source} accepts {text:?}");
        text
    }

    #[test]
    fn patterns_seen_in_real_documents_get_a_matching_text() {
        for (source, expected) in [
            ("^AC[0-9a-fA-F]{32}$", format!("AC{}", "a".repeat(32))),
            ("^(SM|MM)[0-9a-fA-F]{32}$", format!("SM{}", "a".repeat(32))),
            (r"[a-f\d]{24}", "a".repeat(24)),
            (r"^[\w-]+$", "a".to_owned()),
            (r"a\w+b", "aab".to_owned()),
            ("^https?://", "http://".to_owned()),
            (r"^(https?|syslog\+tls|syslog)://", "http://".to_owned()),
            (
                r"^(?:\{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}\}|[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7})$",
                format!("{{{}}}", "a".repeat(32)),
            ),
            (
                r"stable|([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(-.*)?",
                "stable".to_owned(),
            ),
            (
                r"(([a-z0-9-_ ]|[^\\x00-\\x7F])+.(json|yaml|yml))",
                "aajson".to_owned(),
            ),
            ("^[0-9]{4}$", "0000".to_owned()),
            ("[A-Z]{2}", "AA".to_owned()),
        ] {
            assert_eq!(matching(source, 0), expected, "{source}");
        }
    }

    #[test]
    fn edge_cases() {
        // Optional parts and starred repetitions are left out; case-insensitive letters are lowercase.
        assert_eq!(matching("ab?c*", 0), "a");
        assert_eq!(matching("(?i)HELLO", 0), "hello");
        // A class without letters or digits gives its first printable member.
        assert_eq!(matching(r"[-+]", 0), "+");
        assert_eq!(matching(r"[^\x00-\x7F]", 0), "¡");
        // Anchors, boundaries and empty patterns write nothing.
        assert_eq!(matching("^$", 0), "");
        assert_eq!(matching("", 0), "");
        // An alternation whose first branch cannot be written takes the next.
        assert_eq!(matching(r"[^\s\S]|b", 0), "b");
        assert_eq!(matching_text(r"[^\s\S]", 0), None);
        // A bounded repetition grows up to its maximum only.
        assert_eq!(matching("x[0-9]{1,3}", 0), "x0");
    }

    #[test]
    fn repetitions_grow_to_a_minimum_length() {
        assert_eq!(matching("^[a-z]+$", 5), "aaaaa");
        assert_eq!(matching("^x[0-9]{1,3}$", 10), "x000");
        assert_eq!(matching("^(ab)*$", 3), "abab");
        // Nothing can grow: the shortest text is all there is.
        assert_eq!(matching("^abc$", 8), "abc");
    }

    #[test]
    fn a_boundary_the_walk_passes_over_can_still_refuse_the_text() {
        // The caller's check against the pattern catches it.
        let text = matching_text(r"a\bb", 0).unwrap();
        assert!(!regex::Regex::new(r"a\bb").unwrap().is_match(&text));
    }
}
