//! The line and column of a JSON pointer in the text of a YAML (or indented JSON) document, for
//! diagnostics the parser gave no place and for `explain`.
//!
//! The parser keeps no positions, so the place is found again in the text: key by key, each key
//! looked for among the lines of its parent's block that are indented as its first line is, and a
//! sequence index counted among the `- ` items at that indentation. That covers block YAML (the
//! style specs are written in) and indented JSON; a pointer that goes through flow style
//! (`{a: 1}`, `[1, 2]`), an anchor or a multi-line key is not found, and gives no place rather
//! than a wrong one.

/// One line of the text: where its content starts, the content, and the 1-based line number.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
    number: usize,
}

/// The 1-based line and column where the value at `segments` (unescaped pointer segments) is
/// written in `text`: the column of its key, or of its `- ` item. `None` when it is not found.
/// The root is line 1, column 1.
pub fn locate(text: &str, segments: &[String]) -> Option<(usize, usize)> {
    let mut block: Vec<Line> = text
        .lines()
        .enumerate()
        .filter_map(|(index, raw)| {
            let text = raw.trim_start_matches(' ');
            let meaningful = !text.trim().is_empty()
                && !text.starts_with('#')
                && !text.starts_with("---")
                && !text.starts_with("...")
                && !text.starts_with('%');
            meaningful.then(|| Line {
                indent: raw.len() - text.len(),
                text: text.trim_end(),
                number: index + 1,
            })
        })
        .collect();
    // A JSON document's braces around the root: its members are the block.
    if block.first().is_some_and(|line| line.text == "{") {
        block.remove(0);
    }
    let mut place = (1, 1);
    for segment in segments {
        let (found, inner) = child(&block, segment)?;
        place = found;
        block = inner;
    }
    Some(place)
}

/// In `block` (the lines of one value), the place of the member `segment` and the lines of its
/// value.
fn child<'a>(block: &[Line<'a>], segment: &str) -> Option<((usize, usize), Vec<Line<'a>>)> {
    let indent = block.first()?.indent;
    let sequence = block[0].text.starts_with("- ") || block[0].text == "-";
    let starts: Vec<usize> = (0..block.len())
        .filter(|&i| block[i].indent == indent)
        .collect();
    let start = if sequence {
        let index: usize = segment.parse().ok()?;
        starts
            .iter()
            .copied()
            .filter(|&i| block[i].text.starts_with('-'))
            .nth(index)?
    } else {
        starts
            .iter()
            .copied()
            .find(|&i| key_of(block[i].text) == Some(segment))?
    };
    let line = block[start];
    // A sequence may be written at its key's own indentation (`parameters:` then `- name: x`).
    let same_indent_items = !sequence
        && value_of(line.text) == Some("")
        && block
            .get(start + 1)
            .is_some_and(|next| next.indent == indent && next.text.starts_with('-'));
    let end = block[start + 1..]
        .iter()
        .position(|next| {
            next.indent < indent
                || (next.indent == indent && !(same_indent_items && next.text.starts_with('-')))
        })
        .map_or(block.len(), |offset| start + 1 + offset);
    let place = (line.number, line.indent + 1);
    let mut inner: Vec<Line<'a>> = block[start + 1..end].to_vec();
    if !sequence && !opens_block(value_of(line.text).unwrap_or_default()) {
        // A value on the key's line (a scalar, a block scalar's `|`, flow style): the deeper
        // lines are its text, not members.
        inner.clear();
    }
    if sequence {
        // The item's first member is written on the dash's line: `- name: token`.
        let rest = line.text.trim_start_matches('-').trim_start();
        if !rest.is_empty() {
            let first = Line {
                indent: line.indent + (line.text.len() - rest.len()),
                text: rest,
                number: line.number,
            };
            inner.insert(0, first);
        }
    }
    Some((place, inner))
}

/// Whether what follows a key's `:` leaves its members to the next lines: nothing, a comment,
/// an anchor or a tag alone, or an indented JSON object's `{`.
fn opens_block(value: &str) -> bool {
    value.is_empty()
        || value.starts_with('#')
        || value == "{"
        || ((value.starts_with('&') || value.starts_with('!')) && !value.contains(' '))
}

/// The key of a `key: value` (or `"key": value`) line, unquoted.
fn key_of(text: &str) -> Option<&str> {
    let (key, _) = split_key(text)?;
    Some(key)
}

/// The value written after the key, trimmed.
fn value_of(text: &str) -> Option<&str> {
    let (_, value) = split_key(text)?;
    Some(value)
}

/// A mapping line as its key (unquoted) and what follows the `:`.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let close = text[1..].find(quote)? + 1;
            (&text[1..close], text[close + 1..].strip_prefix(':')?)
        }
        _ => {
            let colon = text
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| text[i + 1..].is_empty() || text[i + 1..].starts_with(' '))?;
            (text[..colon].trim_end(), &text[colon + 1..])
        }
    };
    if key.contains("\\") || key.contains("''") {
        // Escapes in a key: not compared, rather than compared wrongly.
        return None;
    }
    let value = rest.trim();
    Some((key, value.strip_suffix(',').unwrap_or(value).trim_end()))
}

#[cfg(test)]
mod tests {
    use super::locate;

    fn at(text: &str, pointer: &[&str]) -> Option<(usize, usize)> {
        let segments: Vec<String> = pointer.iter().map(|s| (*s).to_owned()).collect();
        locate(text, &segments)
    }

    const YAML: &str = "\
openapi: 3.1.0
# a comment
paths:
  '/v1/CLIENTS':
    put:
      parameters:
        - name: token
          in: query
        - $ref: '#/components/parameters/Code'
      description: |
        text
        properties: not a key
components:
  schemas:
    Pet:
      properties:
        id: {type: integer}
        tags:
          - a
";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        assert_eq!(at(YAML, &[]), Some((1, 1)));
        assert_eq!(at(YAML, &["paths", "/v1/CLIENTS", "put"]), Some((5, 5)));
        assert_eq!(
            at(YAML, &["paths", "/v1/CLIENTS", "put", "parameters", "0"]),
            Some((7, 9))
        );
        assert_eq!(
            at(
                YAML,
                &["paths", "/v1/CLIENTS", "put", "parameters", "0", "in"]
            ),
            Some((8, 11))
        );
        assert_eq!(
            at(
                YAML,
                &["paths", "/v1/CLIENTS", "put", "parameters", "1", "$ref"]
            ),
            Some((9, 11))
        );
        assert_eq!(
            at(YAML, &["components", "schemas", "Pet", "properties", "id"]),
            Some((17, 9))
        );
        assert_eq!(
            at(
                YAML,
                &["components", "schemas", "Pet", "properties", "tags", "0"]
            ),
            Some((19, 11))
        );
    }

    #[test]
    fn gives_no_place_rather_than_a_wrong_one() {
        // Inside flow style, inside a block scalar, past the end, a missing key.
        assert_eq!(
            at(
                YAML,
                &["components", "schemas", "Pet", "properties", "id", "type"]
            ),
            None
        );
        assert_eq!(
            at(
                YAML,
                &["paths", "/v1/CLIENTS", "put", "description", "properties"]
            ),
            None
        );
        assert_eq!(
            at(YAML, &["paths", "/v1/CLIENTS", "put", "parameters", "2"]),
            None
        );
        assert_eq!(at(YAML, &["info"]), None);
        assert_eq!(at("", &["a"]), None);
        assert_eq!(at("- a\n- b\n", &["x"]), None);
        assert_eq!(at("a: [1, 2]\n", &["a", "0"]), None);
    }

    #[test]
    fn finds_items_written_at_their_keys_indentation() {
        let yaml = "a:\n- x: 1\n  y: 2\n- z: 3\nb: 4\n";
        assert_eq!(at(yaml, &["a", "0", "y"]), Some((3, 3)));
        assert_eq!(at(yaml, &["a", "1", "z"]), Some((4, 3)));
        assert_eq!(at(yaml, &["b"]), Some((5, 1)));
    }

    #[test]
    fn reads_indented_json() {
        let json =
            "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  },\n  \"x\": 1\n}\n";
        assert_eq!(at(json, &["paths", "/a", "get"]), Some((4, 7)));
        assert_eq!(at(json, &["x"]), Some((7, 3)));
    }

    /// Every member and item of `value`, with its pointer segments.
    fn places(value: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, member) in map {
                    at.push(key.clone());
                    out.push(at.clone());
                    places(member, at, out);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    at.push(index.to_string());
                    out.push(at.clone());
                    places(item, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    /// Every place found in the repository's YAML specs is the place of its key or item, and
    /// nearly all are found (the rest are inside flow style).
    #[test]
    fn every_place_found_in_the_specs_is_right() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![root.join("spec/lotinfo.yaml")];
        for folder in [
            "tests/fixtures",
            "tests/fixtures/multifile",
            "tests/fixtures/multifile/schemas",
        ] {
            for entry in std::fs::read_dir(root.join(folder)).expect("fixtures") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    specs.push(path);
                }
            }
        }
        specs.sort();
        let (mut found, mut all) = (0, 0);
        for spec in &specs {
            let text = std::fs::read_to_string(spec).expect("spec");
            let Ok(tree) = serde_yaml::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let mut pointers = Vec::new();
            places(&tree, &mut Vec::new(), &mut pointers);
            let lines: Vec<&str> = text.lines().collect();
            for pointer in &pointers {
                all += 1;
                let Some((line, column)) = locate(&text, pointer) else {
                    continue;
                };
                found += 1;
                let at = &lines[line - 1][column - 1..];
                let last = pointer.last().expect("not the root");
                let right = at.starts_with('-')
                    || at.starts_with(&format!("{last}:"))
                    || at.starts_with(&format!("'{last}':"))
                    || at.starts_with(&format!("\"{last}\":"));
                assert!(
                    right,
                    "{}: {pointer:?} at {line}:{column}: {at}",
                    spec.display()
                );
            }
        }
        assert!(all > 2000, "{all} places");
        assert!(found * 10 > all * 9, "{found} of {all} found");
    }
}
