//! Which file each operation's method goes in: one file per tag, as the spec groups its
//! operations for readers, so that a large API's client is many files of a readable size (which
//! also format and compile in parallel) rather than one.

use crate::names::{self, Namespace};

use super::{Api, GroupLabel, OperationGroup, PathSegment};

/// Groups the operations by their first tag; untagged operations by the first literal segment of
/// their path after the segments every untagged path starts with (`/v1/customers/{id}` →
/// `customers` when every path starts with `/v1`), or in one group when there is none. Groups
/// come in the order of their first operation; module names are claimed in that order.
pub fn assign_operation_groups(api: &mut Api) {
    let untagged: Vec<Vec<Option<String>>> = api
        .operations
        .iter()
        .filter(|op| op.tag.is_none())
        .map(|op| path_parts(&op.path))
        .collect();
    let shared = shared_prefix(&untagged);
    let mut groups: Vec<(GroupLabel, Vec<usize>)> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let label = match &op.tag {
            Some(tag) => GroupLabel::Tag(tag.clone()),
            None => path_parts(&op.path)
                .into_iter()
                .skip(shared)
                .flatten()
                .next()
                .map_or(GroupLabel::Other, GroupLabel::Path),
        };
        match groups.iter_mut().find(|(known, _)| *known == label) {
            Some((_, operations)) => operations.push(index),
            None => groups.push((label, vec![index])),
        }
    }
    let mut taken = Namespace::with_reserved(RESERVED);
    api.operation_groups = groups
        .into_iter()
        .map(|(label, operations)| {
            let name = taken.claim(&names::group_module_name(match &label {
                GroupLabel::Tag(text) | GroupLabel::Path(text) => text,
                GroupLabel::Other => "operations",
            }));
            OperationGroup {
                name,
                label,
                operations,
            }
        })
        .collect();
}

/// Names a module of `src/client.rs` may not take: the runtime modules it and the operation files
/// import, and `client` itself (a module named like its parent is a lint error).
const RESERVED: &[&str] = &["client", "transport", "validation"];

/// The `/`-separated parts of a path template: `Some(text)` for a literal part, `None` for one
/// that holds a parameter. Empty parts (the leading `/`) are left out.
fn path_parts(path: &[PathSegment]) -> Vec<Option<String>> {
    // A parameter as a character no path literal holds.
    const PARAMETER: char = '\0';
    let template: String = path
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => text.clone(),
            PathSegment::Param(_) => PARAMETER.to_string(),
        })
        .collect();
    template
        .split('/')
        .filter(|part| !part.is_empty())
        .map(|part| (!part.contains(PARAMETER)).then(|| part.to_owned()))
        .collect()
}

/// How many leading parts every path shares, short of the last part of the shortest path (so
/// that every path keeps a part to be grouped by).
fn shared_prefix(paths: &[Vec<Option<String>>]) -> usize {
    let Some(first) = paths.first() else {
        return 0;
    };
    let shortest = paths.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest.saturating_sub(1))
        .take_while(|&index| paths.iter().all(|path| path[index] == first[index]))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> PathSegment {
        PathSegment::Literal(text.to_owned())
    }

    #[test]
    fn operations_are_grouped_by_tag_then_by_path_under_free_module_names() {
        let api = crate::ir::lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /v1/clients:
    get: {operationId: listClients, tags: [Client], responses: {"200": {description: ok}}}
  /v1/links:
    get: {operationId: listLinks, tags: [transport], responses: {"200": {description: ok}}}
  /v1/orders/{id}:
    get:
      operationId: getOrder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /v1/orders:
    post: {operationId: addOrder, responses: {"200": {description: ok}}}
  /v1/refunds:
    post: {operationId: addRefund, tags: [Client], responses: {"200": {description: ok}}}
"#,
        );
        let groups: Vec<(&str, &GroupLabel, Vec<&str>)> = api
            .operation_groups
            .iter()
            .map(|group| {
                let operations = group
                    .operations
                    .iter()
                    .map(|index| api.operations[*index].operation_id.as_str())
                    .collect();
                (group.name.as_str(), &group.label, operations)
            })
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "client2",
                    &GroupLabel::Tag("Client".to_owned()),
                    vec!["listClients", "addRefund"]
                ),
                (
                    "transport2",
                    &GroupLabel::Tag("transport".to_owned()),
                    vec!["listLinks"]
                ),
                (
                    "orders",
                    &GroupLabel::Path("orders".to_owned()),
                    vec!["getOrder", "addOrder"]
                ),
            ]
        );
    }

    #[test]
    fn a_path_splits_into_literal_and_parameter_parts() {
        let path = [
            literal("/v1/customers/"),
            PathSegment::Param(0),
            literal("/sources/x-"),
            PathSegment::Param(1),
            literal(".json"),
        ];
        assert_eq!(
            path_parts(&path),
            [Some("v1"), Some("customers"), None, Some("sources"), None]
                .map(|part| part.map(str::to_owned))
        );
    }

    #[test]
    fn the_shared_prefix_leaves_every_path_a_part() {
        let parts = |parts: &[Option<&str>]| -> Vec<Option<String>> {
            parts.iter().map(|part| part.map(str::to_owned)).collect()
        };
        let paths = [
            parts(&[Some("v1"), Some("customers"), None]),
            parts(&[Some("v1"), Some("charges")]),
        ];
        assert_eq!(shared_prefix(&paths), 1);
        assert_eq!(shared_prefix(&[parts(&[Some("v1")])]), 0);
        let same = [parts(&[Some("pets")]), parts(&[Some("pets"), None])];
        assert_eq!(shared_prefix(&same), 0);
    }
}
