//! Whole-API passes that need every type: boxing of cycles, lenient
//! decoding, `Default`, copies of types, and the format crates the crate depends on.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};

use crate::diagnostics::Diagnostic;
use crate::names::{self, Namespace};

use super::{
    Api, DateTimeCrate, ErrorResponse, FormatCrates, Module, Shape, TypeDef, TypeId, TypeKind,
    TypeRef,
};

/// Runs every pass, in order; returns what they had to report.
pub fn run(api: &mut Api, keep_components: bool) -> Vec<Diagnostic> {
    let diagnostics = drop_union_self_members(&mut api.types);
    prune_orphans(api, keep_components);
    box_cycles(&mut api.types);
    mark_lenient(&mut api.types);
    mark_default(&mut api.types);
    super::dedup::share_equal_types(api);
    mark_conversions(&mut api.types);
    api.format_crates = format_crates(api);
    share_error_enums(api);
    assign_modules(api);
    super::groups::assign_operation_groups(api);
    super::example::choose_usage_examples(api);
    diagnostics
}

/// Marks the union members the union converts `From`: a named type no other member of the union
/// is, once plain aliases (`pub type A = B;`, as copies of types become) are seen through. Two
/// `From` impls for one type would not compile.
fn mark_conversions(types: &mut BTreeMap<TypeId, TypeDef>) {
    let behind_aliases = |shape: &Shape| {
        let mut ty = shape.ty.clone();
        while let TypeRef::Named(id) = ty {
            match types.get(&id).map(|def| &def.kind) {
                Some(TypeKind::Alias(target))
                    if !target.nullable
                        && target.rules.is_empty()
                        && matches!(target.ty, TypeRef::Named(_)) =>
                {
                    ty = target.ty.clone();
                }
                _ => break,
            }
        }
        (ty, shape.nullable)
    };
    let mut converting: Vec<(TypeId, Vec<bool>)> = Vec::new();
    for (id, def) in types.iter() {
        if let TypeKind::Union(u) = &def.kind {
            let members: Vec<_> = u
                .variants
                .iter()
                .map(|v| behind_aliases(&v.shape))
                .collect();
            let converts = u
                .variants
                .iter()
                .zip(&members)
                .map(|(variant, member)| {
                    matches!(variant.shape.ty, TypeRef::Named(_))
                        && members.iter().filter(|other| *other == member).count() == 1
                })
                .collect();
            converting.push((*id, converts));
        }
    }
    for (id, converts) in converting {
        if let Some(TypeKind::Union(u)) = types.get_mut(&id).map(|def| &mut def.kind) {
            for (variant, converts) in u.variants.iter_mut().zip(converts) {
                variant.converts = converts;
            }
        }
    }
}

/// Puts every type in a file: a type whose schema lies inside another type's schema (an inline
/// property, item or variant) goes in the file of the outermost such type; every other type has
/// a file of its own, named after it. Names are claimed in document order, so a component keeps
/// its plain name.
fn assign_modules(api: &mut Api) {
    let mut at: HashMap<&str, TypeId> = HashMap::with_capacity(api.types.len());
    for (id, def) in &api.types {
        at.entry(def.origin.escaped()).or_insert(*id);
    }
    let mut owner_of: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for (id, def) in &api.types {
        let owner = def
            .origin
            .escaped_ancestors()
            .filter_map(|place| at.get(place))
            .last()
            .copied()
            .unwrap_or(*id);
        owner_of.insert(*id, owner);
    }
    let mut taken = Namespace::with_reserved(&["mod"]);
    let mut modules: Vec<Module> = Vec::new();
    let mut index_of: BTreeMap<TypeId, usize> = BTreeMap::new();
    for (id, owner) in &owner_of {
        if id == owner {
            index_of.insert(*id, modules.len());
            modules.push(Module {
                name: taken.claim(&names::module_name(&api.types[id].name)),
                types: vec![*id],
            });
        }
    }
    for (id, owner) in &owner_of {
        if id != owner {
            modules[index_of[owner]].types.push(*id);
        }
    }
    api.modules = modules;
}

/// Operations whose documented errors are alike (same statuses, variants, bodies and
/// descriptions) share the error enum of the first of them in document order; the others' enum
/// names become aliases of it. Each operation keeps its own name for its errors.
fn share_error_enums(api: &mut Api) {
    let mut first_of: Vec<(Vec<&ErrorResponse>, &str)> = Vec::new();
    let mut same_as: Vec<Option<String>> = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let Some(name) = op.error_type.as_deref() else {
            same_as.push(None);
            continue;
        };
        let typed: Vec<&ErrorResponse> =
            op.errors.iter().filter(|e| e.statuses.is_some()).collect();
        match first_of.iter().find(|(errors, _)| *errors == typed) {
            Some((_, first)) => same_as.push(Some((*first).to_owned())),
            None => {
                first_of.push((typed, name));
                same_as.push(None);
            }
        }
    }
    for (op, same_as) in api.operations.iter_mut().zip(same_as) {
        op.error_type_same_as = same_as;
    }
}

/// A union member that leads back to the union through unions alone (`U: oneOf: [$ref U, …]`, or
/// `A: [B, …]` with `B: [A, …]`) adds no values and would make an infinitely large type (and an
/// endless decode): it is left out, and reported. A union left with no member accepts any value.
fn drop_union_self_members(types: &mut BTreeMap<TypeId, TypeDef>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let ids: Vec<TypeId> = types.keys().copied().collect();
    for id in ids {
        let Some(TypeKind::Union(union)) = types.get(&id).map(|d| &d.kind) else {
            continue;
        };
        let looping: Vec<usize> = union
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                direct_named(&v.shape).is_some_and(|m| reaches_through_unions(types, m, id))
            })
            .map(|(index, _)| index)
            .collect();
        if looping.is_empty() {
            continue;
        }
        let def = types.get_mut(&id).expect("the union exists");
        for index in &looping {
            diagnostics.push(Diagnostic::warning(
                &def.origin,
                format!(
                    "member {} of this union leads back to the union through unions alone and adds no values; it is left out",
                    index + 1
                ),
            ));
        }
        if let TypeKind::Union(union) = &mut def.kind {
            let mut index = 0;
            union.variants.retain(|_| {
                index += 1;
                !looping.contains(&(index - 1))
            });
            if union.variants.is_empty() {
                def.kind = TypeKind::Alias(Shape::plain(TypeRef::Any));
            }
        }
    }
    diagnostics
}

/// Whether `target` is reachable from `from` by following union members that are named types.
fn reaches_through_unions(types: &BTreeMap<TypeId, TypeDef>, from: TypeId, target: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(TypeKind::Union(union)) = types.get(&id).map(|d| &d.kind) {
            stack.extend(union.variants.iter().filter_map(|v| direct_named(&v.shape)));
        }
    }
    false
}

/// The format crates some type, parameter or body of the API needs.
fn format_crates(api: &Api) -> FormatCrates {
    let mut crates = FormatCrates::default();
    let mut shapes: Vec<&Shape> = api.types.values().flat_map(shapes_of).collect();
    for op in &api.operations {
        shapes.extend(op.shapes());
    }
    while let Some(shape) = shapes.pop() {
        match &shape.ty {
            TypeRef::Date | TypeRef::DateTime => match api.date_time {
                DateTimeCrate::Chrono => crates.chrono = true,
                DateTimeCrate::Time => crates.time = true,
            },
            TypeRef::Uuid => crates.uuid = true,
            TypeRef::Base64 => crates.base64 = true,
            TypeRef::Array(items) | TypeRef::Map(items) => shapes.push(items),
            TypeRef::Tuple(items) => shapes.extend(items),
            _ => {}
        }
    }
    crates
}

/// Every type a shape mentions, at any depth of lists and maps.
fn mentioned(shape: &Shape, out: &mut Vec<TypeId>) {
    match &shape.ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(items) | TypeRef::Map(items) => mentioned(items, out),
        TypeRef::Tuple(items) => items.iter().for_each(|item| mentioned(item, out)),
        _ => {}
    }
}

fn shapes_of(def: &TypeDef) -> Vec<&Shape> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.shape).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
        TypeKind::Alias(shape) => vec![shape],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Drops inline types nothing refers to any more.
/// Component schemas stay (users may name them) unless `keep_components` is false, as when the
/// configuration leaves operations out: then only the types the generated operations reach stay.
fn prune_orphans(api: &mut Api, keep_components: bool) {
    let mut stack: Vec<TypeId> = Vec::new();
    for (id, def) in &api.types {
        if keep_components && def.origin.is_component_schema() {
            stack.push(*id);
        }
    }
    for op in &api.operations {
        for shape in op.shapes() {
            mentioned(shape, &mut stack);
        }
    }
    let mut reachable = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if reachable.insert(id) {
            if let Some(def) = api.types.get(&id) {
                for shape in shapes_of(def) {
                    mentioned(shape, &mut stack);
                }
            }
        }
    }
    api.types.retain(|id, _| reachable.contains(id));
}

/// The types a value of this shape contains directly (not behind a `Vec` or a map, which already
/// give indirection).
fn direct_named(shape: &Shape) -> Option<TypeId> {
    match shape.ty {
        TypeRef::Named(id) => Some(id),
        _ => None,
    }
}

fn direct_edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_named(&f.shape))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_named(&v.shape))
            .collect(),
        TypeKind::Alias(shape) => direct_named(shape).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Each type's strongly connected component of the graph of direct edges (Tarjan's algorithm,
/// without recursion): two types reach each other exactly when their components are the same.
/// A type the map does not hold has no edges.
fn strong_components(types: &BTreeMap<TypeId, TypeDef>) -> HashMap<TypeId, usize> {
    struct Visit {
        index: usize,
        low: usize,
        on_stack: bool,
    }
    let mut visits: HashMap<TypeId, Visit> = HashMap::with_capacity(types.len());
    let mut component: HashMap<TypeId, usize> = HashMap::with_capacity(types.len());
    let mut stack: Vec<TypeId> = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    let edges = |id: TypeId| types.get(&id).map(direct_edges).unwrap_or_default();
    for &root in types.keys() {
        if visits.contains_key(&root) {
            continue;
        }
        // Each frame: a type and the edges of it still to follow; `opening` is the type to visit
        // next, given its index and pushed on both stacks at the top of the loop.
        let mut frames: Vec<(TypeId, std::vec::IntoIter<TypeId>)> = Vec::new();
        let mut opening = Some(root);
        loop {
            if let Some(id) = opening.take() {
                let visit = Visit {
                    index: next_index,
                    low: next_index,
                    on_stack: true,
                };
                visits.insert(id, visit);
                next_index += 1;
                stack.push(id);
                frames.push((id, edges(id).into_iter()));
            }
            let Some((id, pending)) = frames.last_mut() else {
                break;
            };
            let id = *id;
            if let Some(next) = pending.next() {
                match visits.get(&next) {
                    None => opening = Some(next),
                    Some(visit) if visit.on_stack => {
                        let reached = visit.index;
                        let own = visits.get_mut(&id).expect("visited");
                        own.low = own.low.min(reached);
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let (index, low) = {
                let own = &visits[&id];
                (own.index, own.low)
            };
            if let Some((parent, _)) = frames.last() {
                let parent = visits.get_mut(parent).expect("visited");
                parent.low = parent.low.min(low);
            }
            if low == index {
                while let Some(member) = stack.pop() {
                    visits.get_mut(&member).expect("visited").on_stack = false;
                    component.insert(member, next_component);
                    if member == id {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// A struct field whose type leads back to the struct without indirection is boxed: the field's
/// type and the struct are in one strongly connected component.
fn box_cycles(types: &mut BTreeMap<TypeId, TypeDef>) {
    let component = strong_components(types);
    let mut boxed: Vec<(TypeId, usize)> = Vec::new();
    for (id, def) in types.iter() {
        if let TypeKind::Struct(s) = &def.kind {
            for (index, field) in s.fields.iter().enumerate() {
                if direct_named(&field.shape)
                    .is_some_and(|target| component.get(&target) == component.get(id))
                {
                    boxed.push((*id, index));
                }
            }
        }
    }
    for (id, index) in boxed {
        if let Some(TypeKind::Struct(s)) = types.get_mut(&id).map(|d| &mut d.kind) {
            s.fields[index].boxed = true;
        }
    }
}

/// Whether a shape holds only scalars (possibly in lists and maps): the values the API may send
/// in another JSON type than declared, such as numbers as strings.
fn is_scalar_tree(shape: &Shape) -> bool {
    match &shape.ty {
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        TypeRef::Array(items) | TypeRef::Map(items) => is_scalar_tree(items),
        // Formats decode through their own crate's strict parser; tuples item by item.
        TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::Uuid
        | TypeRef::Base64
        | TypeRef::Binary
        | TypeRef::Tuple(_)
        | TypeRef::Named(_)
        | TypeRef::Any => false,
    }
}

fn mark_lenient(types: &mut BTreeMap<TypeId, TypeDef>) {
    for def in types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.lenient = !field.flatten && is_scalar_tree(&field.shape);
            }
        }
    }
}

fn mark_default(types: &mut BTreeMap<TypeId, TypeDef>) {
    for def in types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.derive_default = s.fields.iter().all(|f| !f.required);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{lowered, Api};

    fn module_of(api: &Api, type_name: &str) -> String {
        let module = api.modules.iter().find(|module| {
            module
                .types
                .iter()
                .any(|id| api.types[id].name == type_name)
        });
        module
            .unwrap_or_else(|| panic!("no type {type_name}"))
            .name
            .clone()
    }

    #[test]
    fn inline_types_share_the_file_of_their_outermost_type() {
        let api = lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Order:
      type: object
      properties:
        status: {type: string, enum: [open, closed]}
        lines:
          type: array
          items:
            type: object
            properties:
              unit: {type: string, enum: [kg, piece]}
    OrderStatus:
      type: string
      enum: [a, b]
"#,
        );
        assert_eq!(module_of(&api, "Order"), "order");
        for inline in ["OrderStatus2", "OrderLinesItem", "OrderLinesItemUnit"] {
            assert_eq!(module_of(&api, inline), "order", "{inline}");
        }
        // A component keeps a file of its own, with the plain name.
        assert_eq!(module_of(&api, "OrderStatus"), "order_status");
        let order = api.modules.iter().find(|m| m.name == "order").unwrap();
        assert_eq!(
            api.types[&order.types[0]].name, "Order",
            "the owner comes first"
        );
        assert_eq!(order.types.len(), 4);
        assert_eq!(api.modules.len(), 2);
    }

    /// The struct named `name`.
    fn struct_named<'a>(api: &'a Api, name: &str) -> &'a crate::ir::StructDef {
        let def = api.types.values().find(|def| def.name == name).expect(name);
        let crate::ir::TypeKind::Struct(s) = &def.kind else {
            panic!("{name} is not a struct");
        };
        s
    }

    /// Which fields of the struct `name` are boxed.
    fn boxed_fields(api: &Api, name: &str) -> Vec<String> {
        struct_named(api, name)
            .fields
            .iter()
            .filter(|f| f.boxed)
            .map(|f| f.rust_name.clone())
            .collect()
    }

    #[test]
    fn a_field_is_boxed_exactly_when_its_type_leads_back_without_indirection() {
        let api = lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        leaf: {$ref: '#/components/schemas/Leaf'}
    Ping:
      type: object
      properties:
        pong: {$ref: '#/components/schemas/Pong'}
        leaf: {$ref: '#/components/schemas/Leaf'}
    Pong:
      type: object
      properties:
        shape: {$ref: '#/components/schemas/Shape'}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Ping'
        - $ref: '#/components/schemas/Leaf'
    Leaf:
      type: object
      properties:
        name: {type: string}
"#,
        );
        // Itself, directly; a list already gives indirection.
        assert_eq!(boxed_fields(&api, "Node"), ["parent"]);
        // Ping -> Pong -> Shape (a union) -> Ping: each struct on the cycle boxes its edge on it.
        assert_eq!(boxed_fields(&api, "Ping"), ["pong"]);
        assert_eq!(boxed_fields(&api, "Pong"), ["shape"]);
        assert!(boxed_fields(&api, "Leaf").is_empty());
    }

    #[test]
    fn an_inline_schema_that_merges_its_enclosing_component_is_one_recursive_type() {
        // `Node.position.x` copies the properties of `Node`, `position` among them: lowering
        // `position` again would copy them again, without end (a fuzzer found this).
        let api = lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        label: {type: string}
        position:
          type: object
          required: [x]
          properties:
            x:
              allOf:
                - $ref: '#/components/schemas/Node'
                - type: object
                  properties:
                    tags: {type: array, items: {type: string}}
"#,
        );
        let mut names: Vec<&str> = api.types.values().map(|def| def.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Node", "NodePosition", "NodePositionX"]);
        let field_type = |owner: &str, field: &str| {
            let s = struct_named(&api, owner);
            let field = s.fields.iter().find(|f| f.rust_name == field).unwrap();
            let crate::ir::TypeRef::Named(id) = field.shape.ty else {
                panic!("{owner}.{field:?} names no type");
            };
            api.types[&id].name.clone()
        };
        // The copy of `position` inside `x` is the type being made, not a new one.
        assert_eq!(field_type("NodePositionX", "position"), "NodePosition");
        assert_eq!(field_type("NodePosition", "x"), "NodePositionX");
        assert_eq!(boxed_fields(&api, "NodePosition"), ["x"]);
        assert_eq!(boxed_fields(&api, "NodePositionX"), ["position"]);
    }
}
