//! When output is coloured, and the styles it is coloured with.

use anstyle::{AnsiColor, Style};

/// `--color`: when diffs and diagnostics are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour a stream that is a terminal, unless `NO_COLOR` or `CI` is set (or `TERM=dumb`).
    Auto,
    /// Always colour, even into a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour a stream: `terminal` says whether it is one, `env` reads an environment
/// variable. `auto` colours a terminal only, and not when `NO_COLOR` is set to anything but the
/// empty text (no-color.org), when `CI` is (many CI systems run the command in a pseudo-terminal
/// whose log keeps escape codes as text), or when `TERM` is `dumb`.
pub fn enabled(when: ColorWhen, terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            terminal && !set("NO_COLOR") && !set("CI") && env("TERM").as_deref() != Some("dumb")
        }
    }
}

/// Reads an environment variable as text (a value that is not Unicode counts as set).
pub fn from_process(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
}

/// `error`.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// `warning`.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// A JSON pointer, the place of a diagnostic or of an explained item.
pub const PLACE: Style = Style::new().bold();
/// `hint`, and the names `explain` shows.
pub const NOTE: Style = AnsiColor::Cyan.on_default();
/// A diff's added line.
pub const ADDED: Style = AnsiColor::Green.on_default();
/// A diff's removed line.
pub const REMOVED: Style = AnsiColor::Red.on_default();
/// A diff's hunk header (`@@ -1,3 +1,4 @@`).
pub const HUNK: Style = AnsiColor::Cyan.on_default();
/// A diff's file headers (`--- a/…`, `+++ b/…`).
pub const FILE: Style = Style::new().bold();

/// `text` in `style`, or as it is when `colored` is false.
pub fn paint(colored: bool, style: Style, text: &str) -> String {
    if colored && !text.is_empty() {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_owned()
    }
}

/// A unified diff with its lines coloured: added green, removed red, hunk headers cyan, file
/// headers bold.
pub fn diff(colored: bool, diff: &str) -> String {
    if !colored {
        return diff.to_owned();
    }
    let mut out = String::with_capacity(diff.len() + diff.len() / 8);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let style = if body.starts_with("+++ ") || body.starts_with("--- ") {
            Some(FILE)
        } else if body.starts_with("@@") {
            Some(HUNK)
        } else if body.starts_with('+') {
            Some(ADDED)
        } else if body.starts_with('-') {
            Some(REMOVED)
        } else {
            None
        };
        match style {
            Some(style) => out.push_str(&paint(true, style, body)),
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{diff, enabled, ColorWhen};

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn auto_colours_a_terminal_only_without_no_color_or_ci() {
        assert!(enabled(ColorWhen::Auto, true, env(&[])));
        assert!(!enabled(ColorWhen::Auto, false, env(&[])));
        assert!(!enabled(ColorWhen::Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(enabled(ColorWhen::Auto, true, env(&[("NO_COLOR", "")])));
        assert!(!enabled(ColorWhen::Auto, true, env(&[("CI", "true")])));
        assert!(!enabled(ColorWhen::Auto, true, env(&[("TERM", "dumb")])));
        assert!(enabled(
            ColorWhen::Always,
            false,
            env(&[("NO_COLOR", "1"), ("CI", "1")])
        ));
        assert!(!enabled(ColorWhen::Never, true, env(&[])));
    }

    #[test]
    fn a_diff_is_coloured_line_by_line() {
        let text = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n same";
        assert_eq!(diff(false, text), text);
        let coloured = diff(true, text);
        assert!(
            coloured.contains("\u{1b}[32m+new\u{1b}[0m\n"),
            "{coloured:?}"
        );
        assert!(
            coloured.contains("\u{1b}[31m-old\u{1b}[0m\n"),
            "{coloured:?}"
        );
        assert!(
            coloured.contains("\u{1b}[36m@@ -1 +1 @@\u{1b}[0m\n"),
            "{coloured:?}"
        );
        assert!(coloured.ends_with("\n same"), "{coloured:?}");
    }
}
