//! The line and column of a JSON pointer in the text of a YAML (or indented JSON) document, for
//! diagnostics the parser gave no place and for `explain`.
//!
//! The parser keeps no positions, so the place is found again in the text: key by key, each key
//! looked for among the lines of its parent's block that are indented as its first line is, and a
//! sequence index counted among the `- ` items at that indentation. That covers block YAML (the
//! style specs are written in) and indented JSON; a pointer that goes through flow style
//! (`{a: 1}`, `[1, 2]`), an anchor or a multi-line key is not found, and gives no place rather
//! than a wrong one. Each block's members are listed once, when a pointer first goes through it,
//! so that many diagnostics in a large document cost a pass over each block they go through,
//! not one over the document each.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One meaningful line of the text (or the part of one after a sequence item's `- `): where its
/// content starts, the content's byte range, and the 1-based line number.
#[derive(Debug, Clone, Copy)]
struct Line {
    indent: usize,
    start: usize,
    end: usize,
    number: usize,
}

/// The lines of one value: `first` (a sequence item's first member, written on the dash's line)
/// then `lines[start..end]`.
#[derive(Debug, Clone, Copy)]
struct Block {
    first: Option<Line>,
    start: usize,
    end: usize,
}

/// A member of a block: where its key (or dash) is, and the lines of its value.
#[derive(Debug, Clone, Copy)]
struct Member {
    place: (usize, usize),
    block: Block,
}

/// The members of one block, by key (or sequence index).
type Members = Rc<HashMap<String, Member>>;

/// A document's text, ready to find pointers in.
pub struct Locator {
    text: String,
    lines: Vec<Line>,
    /// The members of each block a pointer went through, by the segments that lead to it.
    members: RefCell<HashMap<Vec<String>, Members>>,
}

impl Locator {
    /// Reads the lines of `text`.
    pub fn new(text: String) -> Self {
        let mut lines = Vec::new();
        let mut offset = 0;
        for (index, raw) in text.split_inclusive('\n').enumerate() {
            let content = raw.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start_matches(' ');
            let meaningful = !trimmed.trim().is_empty()
                && !trimmed.starts_with('#')
                && !trimmed.starts_with("---")
                && !trimmed.starts_with("...")
                && !trimmed.starts_with('%');
            if meaningful {
                let indent = content.len() - trimmed.len();
                lines.push(Line {
                    indent,
                    start: offset + indent,
                    end: offset + indent + trimmed.trim_end().len(),
                    number: index + 1,
                });
            }
            offset += raw.len();
        }
        // A JSON document's braces around the root: its members are the block.
        let first = usize::from(
            lines
                .first()
                .is_some_and(|line| &text[line.start..line.end] == "{"),
        );
        let locator = Locator {
            text,
            lines,
            members: RefCell::new(HashMap::new()),
        };
        // The root block, under the empty path.
        let root = Block {
            first: None,
            start: first.min(locator.lines.len()),
            end: locator.lines.len(),
        };
        let members = locator.members_of(root);
        locator
            .members
            .borrow_mut()
            .insert(Vec::new(), Rc::new(members));
        locator
    }

    /// The 1-based line and column where the value at `segments` (unescaped pointer segments) is
    /// written: the column of its key, or of its `- ` item. `None` when it is not found. The root
    /// is line 1, column 1.
    pub fn locate(&self, segments: &[String]) -> Option<(usize, usize)> {
        let mut place = (1, 1);
        for depth in 0..segments.len() {
            let members = self.members_at(&segments[..depth])?;
            place = members.get(&segments[depth])?.place;
        }
        Some(place)
    }

    /// The members of the block at `path`, listed when first asked for.
    fn members_at(&self, path: &[String]) -> Option<Members> {
        if let Some(members) = self.members.borrow().get(path) {
            return Some(Rc::clone(members));
        }
        let (last, parent) = path.split_last()?;
        let block = self.members_at(parent)?.get(last)?.block;
        let members = Rc::new(self.members_of(block));
        self.members
            .borrow_mut()
            .insert(path.to_vec(), Rc::clone(&members));
        Some(members)
    }

    fn text_of(&self, line: Line) -> &str {
        &self.text[line.start..line.end]
    }

    /// The line `index` of `block`.
    fn line(&self, block: Block, index: usize) -> Line {
        match (block.first, index) {
            (Some(first), 0) => first,
            (Some(_), _) => self.lines[block.start + index - 1],
            (None, _) => self.lines[block.start + index],
        }
    }

    fn len(block: Block) -> usize {
        block.end - block.start + usize::from(block.first.is_some())
    }

    /// The members of `block`: the keys of a mapping, or the indices of a sequence.
    fn members_of(&self, block: Block) -> HashMap<String, Member> {
        let mut members = HashMap::new();
        let count = Self::len(block);
        if count == 0 {
            return members;
        }
        let first = self.line(block, 0);
        let indent = first.indent;
        let first_text = self.text_of(first);
        let sequence = first_text.starts_with("- ") || first_text == "-";
        let mut item = 0;
        let mut index = 0;
        while index < count {
            let line = self.line(block, index);
            let text = self.text_of(line);
            if line.indent != indent {
                index += 1;
                continue;
            }
            let key = if sequence {
                text.starts_with('-').then(|| {
                    item += 1;
                    (item - 1).to_string()
                })
            } else {
                key_of(text).map(str::to_owned)
            };
            // A sequence may be written at its key's own indentation (`parameters:` then
            // `- name: x`).
            let same_indent_items =
                !sequence && value_of(text) == Some("") && index + 1 < count && {
                    let next = self.line(block, index + 1);
                    next.indent == indent && self.text_of(next).starts_with('-')
                };
            let mut end = index + 1;
            while end < count {
                let next = self.line(block, end);
                let ends = next.indent < indent
                    || (next.indent == indent
                        && !(same_indent_items && self.text_of(next).starts_with('-')));
                if ends {
                    break;
                }
                end += 1;
            }
            if let Some(key) = key {
                let member = Member {
                    place: (line.number, line.indent + 1),
                    block: self.value_block(block, index, end, sequence, line),
                };
                members.entry(key).or_insert(member);
            }
            index = end;
        }
        members
    }

    /// The lines of the value of the member at `index..end` of `block`.
    fn value_block(
        &self,
        block: Block,
        index: usize,
        end: usize,
        sequence: bool,
        line: Line,
    ) -> Block {
        let text = self.text_of(line);
        // `block`'s line `i` (past its `first`, when it has one) is `lines[block.start + i - shift]`;
        // `from` is past the member's own line, so past `first`.
        let shift = usize::from(block.first.is_some());
        let rest = |from: usize| Block {
            first: None,
            start: block.start + from - shift,
            end: block.start + end - shift,
        };
        if sequence {
            // The item's first member is written on the dash's line: `- name: token`.
            let after = text.trim_start_matches('-').trim_start();
            let mut value = rest(index + 1);
            if !after.is_empty() {
                let skipped = text.len() - after.len();
                value.first = Some(Line {
                    indent: line.indent + skipped,
                    start: line.start + skipped,
                    end: line.end,
                    number: line.number,
                });
            }
            value
        } else if opens_block(value_of(text).unwrap_or_default()) {
            rest(index + 1)
        } else {
            // A value on the key's line (a scalar, a block scalar's `|`, flow style): the deeper
            // lines are its text, not members.
            Block {
                first: None,
                start: 0,
                end: 0,
            }
        }
    }
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
    use super::Locator;

    fn at(text: &str, pointer: &[&str]) -> Option<(usize, usize)> {
        let segments: Vec<String> = pointer.iter().map(|s| (*s).to_owned()).collect();
        Locator::new(text.to_owned()).locate(&segments)
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
            let locator = Locator::new(text.clone());
            for pointer in &pointers {
                all += 1;
                let Some((line, column)) = locator.locate(pointer) else {
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
        // The request and shape fixtures write many small schemas in flow style.
        assert!(found * 100 > all * 85, "{found} of {all} found");
    }
}
