//! `pattern`: the regular expression the client checks a value with, and the one a property test
//! generates values from.
//!
//! A JSON Schema pattern searches: `^7` accepts any text that starts with 7. A generator (proptest's
//! `string_regex`) produces whole strings and cannot handle anchors. So the generating regex is the
//! pattern with its edge anchors removed, and with a little free text on each side it leaves
//! unanchored; every string it produces contains a match of the pattern where the pattern's anchors
//! allow it, so it matches the pattern.

use regex_syntax::hir::{Hir, HirKind, Look};

use super::types::Pattern;

/// The free text put where a pattern is unanchored: any characters, newlines included, at most 8.
const FREE_TEXT: &str = "(?s:.{0,8})";

/// The pattern `source` (already known to compile with the `regex` crate) with its generating
/// regex.
pub fn pattern(source: &str) -> Pattern {
    Pattern {
        source: source.to_owned(),
        generator: generator(source),
    }
}

/// The generating regex of `source`; `None` when an anchor or a word boundary sits elsewhere than
/// at the edges of the pattern or of one of its top-level alternatives (`a^b`, `\bword`, `(?m)`
/// line anchors), where it cannot simply be dropped.
fn generator(source: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let HirKind::Alternation(branches) = without_groups(&hir).kind() else {
        return branch(&hir, Some(source));
    };
    let generators: Option<Vec<String>> = branches.iter().map(|b| branch(b, None)).collect();
    Some(
        generators?
            .iter()
            .map(|g| format!("(?:{g})"))
            .collect::<Vec<_>>()
            .join("|"),
    )
}

/// One alternative (`source` is its text when it is the whole pattern): its leading `^` and
/// trailing `$` dropped, free text where they are missing.
fn branch(hir: &Hir, source: Option<&str>) -> Option<String> {
    let hir = without_groups(hir);
    let mut parts: &[Hir] = match hir.kind() {
        HirKind::Concat(parts) => parts,
        _ => std::slice::from_ref(hir),
    };
    let starts = parts.first().is_some_and(|p| is_look(p, Look::Start));
    if starts {
        parts = &parts[1..];
    }
    let ends = parts.last().is_some_and(|p| is_look(p, Look::End));
    if ends {
        parts = &parts[..parts.len() - 1];
    }
    if parts.iter().any(has_look) {
        return None;
    }
    let core = Hir::concat(parts.to_vec());
    let core = source
        .and_then(|source| same_text(source, starts, ends, &core))
        .unwrap_or_else(|| core.to_string());
    Some(match (starts, ends) {
        (true, true) => core,
        (true, false) => format!("(?:{core}){FREE_TEXT}"),
        (false, true) => format!("{FREE_TEXT}(?:{core})"),
        (false, false) => format!("{FREE_TEXT}(?:{core}){FREE_TEXT}"),
    })
}

/// The spec's own text less its leading `^` and trailing `$`, when that is exactly `core`: more
/// readable in generated code than the regex syntax's rendering of `core`.
fn same_text(source: &str, starts: bool, ends: bool, core: &Hir) -> Option<String> {
    let mut text = source;
    if starts {
        text = text.strip_prefix('^')?;
    }
    if ends {
        text = text.strip_suffix('$')?;
    }
    let parsed = regex_syntax::Parser::new().parse(text).ok()?;
    (parsed == *core).then(|| text.to_owned())
}

/// `hir` without the capture groups that wrap all of it.
fn without_groups(mut hir: &Hir) -> &Hir {
    while let HirKind::Capture(capture) = hir.kind() {
        hir = &capture.sub;
    }
    hir
}

fn is_look(hir: &Hir, look: Look) -> bool {
    matches!(hir.kind(), HirKind::Look(l) if *l == look)
}

/// Whether `hir` holds an anchor or a boundary anywhere.
fn has_look(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(_) => true,
        HirKind::Repetition(repetition) => has_look(&repetition.sub),
        HirKind::Capture(capture) => has_look(&capture.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(has_look),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::generator;

    #[test]
    fn anchored_patterns_lose_their_anchors() {
        assert_eq!(generator("^[0-9]{4}$").as_deref(), Some("[0-9]{4}"));
        assert_eq!(
            generator(r"^(0?[1-9]|[12][0-9])\.[0-9]{4}$").as_deref(),
            Some(r"(0?[1-9]|[12][0-9])\.[0-9]{4}")
        );
    }

    #[test]
    fn unanchored_edges_get_free_text() {
        assert_eq!(generator("^7").as_deref(), Some("(?:7)(?s:.{0,8})"));
        assert_eq!(
            generator("@").as_deref(),
            Some("(?s:.{0,8})(?:@)(?s:.{0,8})")
        );
    }

    #[test]
    fn each_alternative_is_anchored_on_its_own() {
        assert_eq!(
            generator("^a$|b$").as_deref(),
            Some("(?:a)|(?:(?s:.{0,8})(?:b))")
        );
    }

    #[test]
    fn inner_anchors_and_boundaries_cannot_be_generated() {
        assert_eq!(generator(r"a^b"), None);
        assert_eq!(generator(r"^\bword"), None);
        assert_eq!(generator(r"(?m)^a$"), None);
    }

    #[test]
    fn generated_text_matches_the_pattern() {
        // The generating regex, anchored as a whole, only accepts text the pattern accepts.
        for (source, samples) in [
            ("^7", &["7", "7abc", "7\n\n"][..]),
            ("^[0-9]{3}-[0-9]{3}$", &["123-456"][..]),
            ("x|^y$", &["x", "__x__", "y"][..]),
        ] {
            let generating = generator(source).unwrap();
            let whole = regex::Regex::new(&format!("^(?:{generating})$")).unwrap();
            let pattern = regex::Regex::new(source).unwrap();
            for sample in samples {
                assert!(whole.is_match(sample), "{generating} makes {sample:?}");
                assert!(pattern.is_match(sample), "{source} accepts {sample:?}");
            }
        }
    }
}
