//! Inline types that are exactly an earlier type become aliases of it. Large documents repeat
//! whole inline schemas (Stripe spells out the same nested objects in the request bodies of
//! related operations): each copy would otherwise be a type of its own, with its impls, to
//! format and to compile. The copy keeps its name and its own documentation, as a `pub type` of
//! the first: an inline type's description is its property's, which the field shows too, so two
//! copies that differ only there (Stripe's 35 capability statuses, each "The status of the …
//! capability") are still one type.

use std::hash::{Hash, Hasher};

use foldhash::{HashMap, HashMapExt};

use super::{
    Api, EnumDef, EnumVariant, Field, Rule, Shape, StructDef, TypeDef, TypeId, TypeKind, TypeRef,
    UnionDef, UnionVariant,
};

/// Makes every inline type (one not named under `components/schemas`) that equals an earlier type
/// in deprecation, extra derives and kind (its fields' or values' documentation included, its own
/// left out) an alias of that type. Two types are equal when they
/// are alike with the types they mention taken as equal too, so nested copies are found from the
/// inside out until nothing changes. Component schemas always stay types of their own: users name
/// them.
pub fn share_equal_types(api: &mut Api) {
    // Each type's fingerprint (a hash of what [`alike`] compares) and the types it mentions, in
    // order: two types are equal when both are, with the mentioned types resolved, and they are
    // alike (checked on a match, so a collision of fingerprints never merges two types).
    // Each type's alone, so on every core.
    let types: Vec<(&TypeId, &TypeDef)> = api
        .types
        .iter()
        .filter(|(_, def)| !matches!(def.kind, TypeKind::Alias(_)))
        .collect();
    let outlines: Vec<Outline> = crate::map_on_every_core(&types, |(id, def)| {
        let (print, mentions) = fingerprint(def);
        Outline {
            id: **id,
            component: def.origin.is_component_schema(),
            print,
            mentions,
        }
    });
    let mut same_as = SameAs::new(api);
    // Each round, the first type (in order) of each key (fingerprint and mentioned types,
    // resolved), found through the hash of the key and checked against the key itself: the
    // types of one hash are chained, the latest first, through `next_of_hash`.
    let mut first_of_hash: HashMap<u64, usize> = HashMap::with_capacity(outlines.len());
    let mut next_of_hash: Vec<Option<usize>> = vec![None; outlines.len()];
    loop {
        first_of_hash.clear();
        let mut found = false;
        for (index, outline) in outlines.iter().enumerate() {
            if same_as.first_of(outline.id).is_some() {
                continue;
            }
            let hash = outline.key_hash(&same_as);
            let mut candidate = first_of_hash.get(&hash).copied();
            let first = loop {
                match candidate {
                    Some(other) if outlines[other].same_key(outline, &same_as) => {
                        break Some(outlines[other].id);
                    }
                    Some(other) => candidate = next_of_hash[other],
                    None => break None,
                }
            };
            match first {
                Some(first)
                    if !outline.component && alike(&api.types[&first], &api.types[&outline.id]) =>
                {
                    same_as.set(outline.id, first);
                    found = true;
                }
                Some(_) => {}
                None => next_of_hash[index] = first_of_hash.insert(hash, index),
            }
        }
        if !found {
            break;
        }
    }
    for (copy, first) in same_as.pairs() {
        if let Some(def) = api.types.get_mut(&copy) {
            def.kind = TypeKind::Alias(Shape::plain(TypeRef::Named(first)));
        }
    }
}

/// Which type each type was found equal to, by id.
struct SameAs(Vec<Option<TypeId>>);

impl SameAs {
    fn new(api: &Api) -> Self {
        let ids = api.types.keys().last().map_or(0, |id| id.0 as usize + 1);
        SameAs(vec![None; ids])
    }

    /// The earlier type `id` was found equal to, if it was.
    fn first_of(&self, id: TypeId) -> Option<TypeId> {
        self.0.get(id.0 as usize).copied().flatten()
    }

    fn set(&mut self, id: TypeId, first: TypeId) {
        if let Some(slot) = self.0.get_mut(id.0 as usize) {
            *slot = Some(first);
        }
    }

    /// The first type `id` equals (itself when none).
    fn resolve(&self, mut id: TypeId) -> TypeId {
        while let Some(first) = self.first_of(id) {
            id = first;
        }
        id
    }

    /// Each type found equal to another, with the first type it equals, in order of id.
    fn pairs(&self) -> Vec<(TypeId, TypeId)> {
        (0..self.0.len())
            .map(|index| TypeId(index as u32))
            .filter(|id| self.first_of(*id).is_some())
            .map(|id| (id, self.resolve(id)))
            .collect()
    }
}

/// What the rounds know of a type: its id, whether it is a component schema, its fingerprint and
/// the types it mentions, in order. Its key in a round is the fingerprint with the mentions
/// resolved.
struct Outline {
    id: TypeId,
    component: bool,
    print: u64,
    mentions: Vec<TypeId>,
}

impl Outline {
    /// The hash of the type's key.
    fn key_hash(&self, same_as: &SameAs) -> u64 {
        let mut hasher = fixed_hasher();
        self.print.hash(&mut hasher);
        self.mentions.len().hash(&mut hasher);
        for mention in &self.mentions {
            same_as.resolve(*mention).hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Whether the two types have one key.
    fn same_key(&self, other: &Outline, same_as: &SameAs) -> bool {
        self.print == other.print
            && self.mentions.len() == other.mentions.len()
            && self
                .mentions
                .iter()
                .zip(&other.mentions)
                .all(|(a, b)| same_as.resolve(*a) == same_as.resolve(*b))
    }
}

/// The hasher of fingerprints and keys: foldhash rather than SipHash, as a collision only costs the
/// comparison that follows a match.
fn fixed_hasher() -> foldhash::fast::FoldHasher<'static> {
    std::hash::BuildHasher::build_hasher(&foldhash::fast::FixedState::default())
}

/// Whether two types are alike but for the types they mention, where their parts are in the
/// spec (origins), and their own documentation (which the alias keeps); their extra derives count,
/// as a copy that becomes an alias derives what its first does. Every part of a kind is compared
/// unless it is named as left out, so a part added to the IR is compared until said otherwise.
fn alike(a: &TypeDef, b: &TypeDef) -> bool {
    a.deprecated == b.deprecated && a.derives == b.derives && same_kind(&a.kind, &b.kind)
}

fn same_kind(a: &TypeKind, b: &TypeKind) -> bool {
    match (a, b) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let StructDef {
                fields,
                derive_default,
            } = a;
            *derive_default == b.derive_default && same_all(fields, &b.fields, same_field)
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let EnumDef {
                variants,
                default,
                unknown,
            } = a;
            *default == b.default
                && *unknown == b.unknown
                && same_all(variants, &b.variants, |a, b| {
                    let EnumVariant {
                        rust_name,
                        value,
                        origin: _,
                        docs,
                    } = a;
                    *rust_name == b.rust_name && *value == b.value && *docs == b.docs
                })
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            let UnionDef { tagging, variants } = a;
            *tagging == b.tagging
                && same_all(variants, &b.variants, |a, b| {
                    let UnionVariant {
                        rust_name,
                        tag,
                        origin: _,
                        shape,
                        docs,
                        converts,
                    } = a;
                    *rust_name == b.rust_name
                        && *tag == b.tag
                        && same_shape(shape, &b.shape)
                        && *docs == b.docs
                        && *converts == b.converts
                })
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => same_shape(a, b),
        _ => false,
    }
}

fn same_field(a: &Field, b: &Field) -> bool {
    let Field {
        rust_name,
        wire_name,
        origin: _,
        docs,
        shape,
        required,
        boxed,
        lenient,
        deprecated,
        default,
        flatten,
    } = a;
    *rust_name == b.rust_name
        && *wire_name == b.wire_name
        && *docs == b.docs
        && same_shape(shape, &b.shape)
        && *required == b.required
        && *boxed == b.boxed
        && *lenient == b.lenient
        && *deprecated == b.deprecated
        && *default == b.default
        && *flatten == b.flatten
}

/// Whether two shapes are the same with every named type taken as the same.
fn same_shape(a: &Shape, b: &Shape) -> bool {
    let Shape {
        ty,
        nullable,
        rules,
    } = a;
    *nullable == b.nullable
        && rules
            .iter()
            .filter(|r| r.is_checked())
            .eq(b.rules.iter().filter(|r| r.is_checked()))
        && match (ty, &b.ty) {
            (TypeRef::Named(_), TypeRef::Named(_)) => true,
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                same_shape(a, b)
            }
            (TypeRef::Tuple(a), TypeRef::Tuple(b)) => same_all(a, b, same_shape),
            (a, b) => a == b,
        }
}

fn same_all<T>(a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}

/// A hash of what [`alike`] compares (a type's deprecation, extra derives and kind, leaving out
/// fields' defaults, which are rare), and the types the kind mentions, in order.
fn fingerprint(def: &TypeDef) -> (u64, Vec<TypeId>) {
    let mut hasher = fixed_hasher();
    let mut mentions = Vec::new();
    let h = &mut hasher;
    def.deprecated.hash(h);
    def.derives.hash(h);
    std::mem::discriminant(&def.kind).hash(h);
    match &def.kind {
        TypeKind::Struct(s) => {
            s.derive_default.hash(h);
            s.fields.len().hash(h);
            for field in &s.fields {
                field.rust_name.hash(h);
                field.wire_name.hash(h);
                field.docs.hash(h);
                (field.required, field.boxed, field.lenient).hash(h);
                (field.deprecated, field.flatten).hash(h);
                hash_shape(&field.shape, h, &mut mentions);
            }
        }
        TypeKind::Enum(e) => {
            (e.default, &e.unknown, e.variants.len()).hash(h);
            for variant in &e.variants {
                (&variant.rust_name, &variant.value, &variant.docs).hash(h);
            }
        }
        TypeKind::Union(u) => {
            u.tagging.hash(h);
            u.variants.len().hash(h);
            for variant in &u.variants {
                (
                    &variant.rust_name,
                    &variant.tag,
                    &variant.docs,
                    variant.converts,
                )
                    .hash(h);
                hash_shape(&variant.shape, h, &mut mentions);
            }
        }
        TypeKind::Alias(shape) => hash_shape(shape, h, &mut mentions),
    }
    (hasher.finish(), mentions)
}

/// Hashes what [`same_shape`] compares, collecting the named types in order.
fn hash_shape(shape: &Shape, h: &mut impl Hasher, mentions: &mut Vec<TypeId>) {
    shape.nullable.hash(h);
    // Rules the client does not check leave the Rust alike.
    let checked = || shape.rules.iter().filter(|r| r.is_checked());
    checked().count().hash(h);
    for rule in checked() {
        hash_rule(rule, h);
    }
    std::mem::discriminant(&shape.ty).hash(h);
    match &shape.ty {
        TypeRef::Named(id) => mentions.push(*id),
        TypeRef::Array(items) | TypeRef::Map(items) => hash_shape(items, h, mentions),
        TypeRef::Tuple(items) => {
            items.len().hash(h);
            for item in items {
                hash_shape(item, h, mentions);
            }
        }
        TypeRef::Integer(kind) => kind.hash(h),
        TypeRef::Number(kind) => kind.hash(h),
        TypeRef::String
        | TypeRef::Boolean
        | TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::Uuid
        | TypeRef::Base64
        | TypeRef::Binary
        | TypeRef::Any => {}
    }
}

fn hash_rule(rule: &Rule, h: &mut impl Hasher) {
    std::mem::discriminant(rule).hash(h);
    match rule {
        Rule::Pattern(pattern) => (&pattern.source, &pattern.generator).hash(h),
        Rule::MinLength(n) | Rule::MaxLength(n) | Rule::MinItems(n) | Rule::MaxItems(n) => {
            n.hash(h)
        }
        Rule::Minimum { bound, exclusive } | Rule::Maximum { bound, exclusive } => {
            (bound.to_bits(), exclusive).hash(h)
        }
        Rule::Email | Rule::MultipleOf(_) | Rule::Format(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{lowered, Api, TypeKind, TypeRef};

    /// The type `name` is an alias of: `None` when it is a type of its own.
    fn alias_of(api: &Api, name: &str) -> Option<String> {
        let def = api
            .types
            .values()
            .find(|def| def.name == name)
            .unwrap_or_else(|| panic!("no type {name}"));
        match &def.kind {
            TypeKind::Alias(shape) => match &shape.ty {
                TypeRef::Named(id) => Some(api.types[id].name.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// A copy that differs only where it is, in its own documentation and in which types it
    /// mentions has the first's fingerprint and is alike; a change to any compared part is not.
    #[test]
    fn alike_leaves_out_only_origins_own_docs_and_mentioned_types() {
        use super::{alike, fingerprint};
        use crate::ir::{EnumValue, Rule, TypeId};
        use crate::pointer::Pointer;
        let api = lowered(
            r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Other: {type: object, properties: {a: {type: string}}}
    Card:
      type: object
      properties:
        brand: {type: string, enum: [visa, mir], description: The brand.}
        last4: {type: string, pattern: "^[0-9]{4}$", minLength: 4}
        other: {$ref: "#/components/schemas/Other"}
"##,
        );
        let card = api
            .types
            .values()
            .find(|def| def.name == "Card")
            .expect("Card");
        let brand = api
            .types
            .values()
            .find(|def| def.name == "CardBrand")
            .expect("CardBrand");
        let mut copy = card.clone();
        copy.docs = Some("Its own words.".to_owned());
        copy.origin = Pointer::root().join("elsewhere");
        let TypeKind::Struct(fields) = &mut copy.kind else {
            panic!("a struct")
        };
        for field in &mut fields.fields {
            field.origin = Pointer::root().join("there");
            if let TypeRef::Named(id) = &mut field.shape.ty {
                *id = TypeId(9_999);
            }
        }
        assert!(alike(card, &copy));
        assert_eq!(fingerprint(card).0, fingerprint(&copy).0);
        assert_ne!(fingerprint(card).1, fingerprint(&copy).1);
        type Change = Box<dyn Fn(&mut crate::ir::TypeDef)>;
        let changes: Vec<(&str, Change)> = vec![
            ("deprecated", Box::new(|def| def.deprecated = true)),
            ("derives", Box::new(|def| def.derives.push("Hash".into()))),
            (
                "a field's docs",
                Box::new(|def| struct_of(def).fields[0].docs = None),
            ),
            (
                "a field's name",
                Box::new(|def| struct_of(def).fields[0].rust_name.push('x')),
            ),
            (
                "required",
                Box::new(|def| struct_of(def).fields[1].required ^= true),
            ),
            (
                "nullable",
                Box::new(|def| struct_of(def).fields[1].shape.nullable ^= true),
            ),
            (
                "a rule",
                Box::new(|def| struct_of(def).fields[1].shape.rules[1] = Rule::MinLength(5)),
            ),
            (
                "a type",
                Box::new(|def| struct_of(def).fields[1].shape.ty = TypeRef::Boolean),
            ),
            (
                "a default",
                Box::new(|def| struct_of(def).fields[1].default = Some("1234".into())),
            ),
        ];
        for (what, change) in &changes {
            let mut changed = card.clone();
            change(&mut changed);
            assert!(!alike(card, &changed), "{what}");
        }
        let mut other_value = brand.clone();
        let TypeKind::Enum(values) = &mut other_value.kind else {
            panic!("an enum")
        };
        values.variants[1].value = EnumValue::String("mir2".into());
        assert!(!alike(brand, &other_value));
        assert_ne!(fingerprint(brand).0, fingerprint(&other_value).0);
    }

    fn struct_of(def: &mut crate::ir::TypeDef) -> &mut crate::ir::StructDef {
        match &mut def.kind {
            TypeKind::Struct(fields) => fields,
            _ => panic!("a struct"),
        }
    }

    #[test]
    fn an_inline_copy_becomes_an_alias_of_the_first_equal_type_from_the_inside_out() {
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
        card:
          type: object
          properties:
            brand: {type: string, enum: [visa, mir]}
            last4: {type: string, pattern: "^[0-9]{4}$"}
    Refund:
      type: object
      properties:
        card:
          type: object
          properties:
            brand: {type: string, enum: [visa, mir]}
            last4: {type: string, pattern: "^[0-9]{4}$"}
        note:
          type: object
          description: Another description is kept by the alias.
          properties:
            brand: {type: string, enum: [visa, mir]}
            last4: {type: string, pattern: "^[0-9]{4}$"}
    Payment:
      type: object
      properties:
        card:
          type: object
          properties:
            brand: {type: string, enum: [visa, mir]}
            last4: {type: string, pattern: "^[0-9]{5}$"}
    CardBrand:
      type: string
      enum: [visa, mir]
    OtherBrand:
      type: string
      enum: [visa, mir]
"#,
        );
        // Every inline copy of the component enum is an alias of it (components come first in
        // document order), so the objects holding one are the same too.
        for copy in ["OrderCardBrand", "RefundCardBrand", "PaymentCardBrand"] {
            assert_eq!(alias_of(&api, copy).as_deref(), Some("CardBrand"), "{copy}");
        }
        assert_eq!(alias_of(&api, "RefundCard").as_deref(), Some("OrderCard"));
        assert_eq!(alias_of(&api, "OrderCard"), None);
        // The type's own description does not keep it apart: the alias keeps it.
        assert_eq!(alias_of(&api, "RefundNote").as_deref(), Some("OrderCard"));
        let note = api
            .types
            .values()
            .find(|def| def.name == "RefundNote")
            .expect("RefundNote");
        assert_eq!(
            note.docs.as_deref(),
            Some("Another description is kept by the alias.")
        );
        // A different rule does.
        assert_eq!(alias_of(&api, "PaymentCard"), None);
        // A component never becomes an alias, even of an equal earlier component.
        assert_eq!(alias_of(&api, "OtherBrand"), None);
        assert_eq!(alias_of(&api, "CardBrand"), None);
    }
}
