//! Inline types that are exactly an earlier type become aliases of it. Large documents repeat
//! whole inline schemas (Stripe spells out the same nested objects in the request bodies of
//! related operations): each copy would otherwise be a type of its own, with its impls, to
//! format and to compile. The copy keeps its name and its own documentation, as a `pub type` of
//! the first: an inline type's description is its property's, which the field shows too, so two
//! copies that differ only there (Stripe's 35 capability statuses, each "The status of the …
//! capability") are still one type.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use super::{Api, Shape, TypeDef, TypeId, TypeKind, TypeRef};
use crate::pointer::Pointer;

/// Makes every inline type (one not named under `components/schemas`) that equals an earlier type
/// in deprecation, extra derives and kind (its fields' or values' documentation included, its own
/// left out) an alias of that type. Two types are equal when they
/// are alike with the types they mention taken as equal too, so nested copies are found from the
/// inside out until nothing changes. Component schemas always stay types of their own: users name
/// them.
pub fn share_equal_types(api: &mut Api) {
    // Each type's fingerprint (a hash of its deprecation, derives and kind with the types it
    // mentions left out) and the types it mentions, in order: two types are equal when both are,
    // with the mentioned types resolved, and their outlines are equal (checked on a match, so a
    // collision of fingerprints never merges two types).
    // Each type's alone, so on every core (Stripe's 8,000 types took a tenth of the lowering).
    let types: Vec<(&TypeId, &TypeDef)> = api
        .types
        .iter()
        .filter(|(_, def)| !matches!(def.kind, TypeKind::Alias(_)))
        .collect();
    let outlines: Vec<(TypeId, bool, u64, Vec<TypeId>)> =
        crate::map_on_every_core(&types, |(id, def)| {
            let (kind, mentions) = outline(def);
            (
                **id,
                def.origin.is_component_schema(),
                fingerprint(def, &kind),
                mentions,
            )
        });
    let mut same_as: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    loop {
        let mut first_with: HashMap<(u64, Vec<TypeId>), TypeId> = HashMap::new();
        let mut found = false;
        for (id, component, print, mentions) in &outlines {
            if same_as.contains_key(id) {
                continue;
            }
            let key = (
                *print,
                mentions.iter().map(|m| resolve(*m, &same_as)).collect(),
            );
            match first_with.get(&key) {
                Some(first) if !component && alike(&api.types[first], &api.types[id]) => {
                    same_as.insert(*id, *first);
                    found = true;
                }
                Some(_) => {}
                None => {
                    first_with.insert(key, *id);
                }
            }
        }
        if !found {
            break;
        }
    }
    for (copy, first) in &same_as {
        let first = resolve(*first, &same_as);
        if let Some(def) = api.types.get_mut(copy) {
            def.kind = TypeKind::Alias(Shape::plain(TypeRef::Named(first)));
        }
    }
}

/// Whether two types are alike but for the types they mention and their own documentation (which
/// the alias keeps); their extra derives too, as a copy that becomes an alias derives what its
/// first does.
fn alike(a: &TypeDef, b: &TypeDef) -> bool {
    a.deprecated == b.deprecated && a.derives == b.derives && outline(a).0 == outline(b).0
}

/// A hash of the type's deprecation, extra derives and `kind` (its outline).
fn fingerprint(def: &TypeDef, kind: &TypeKind) -> u64 {
    use std::fmt::Write as _;
    use std::hash::Hasher as _;
    /// Feeds formatted text to a hasher a few KiB at a time: the text is never held whole, and
    /// the hasher is not called for each of the many small pieces `Debug` writes.
    struct Hashing {
        hasher: foldhash::fast::FoldHasher<'static>,
        buffer: String,
    }
    const CHUNK: usize = 4096;
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            if self.buffer.len() + text.len() > CHUNK {
                self.hasher.write(self.buffer.as_bytes());
                self.buffer.clear();
            }
            if text.len() > CHUNK {
                self.hasher.write(text.as_bytes());
            } else {
                self.buffer.push_str(text);
            }
            Ok(())
        }
    }
    // foldhash rather than SipHash: the text is the whole of every type, and a collision only
    // costs the comparison that follows a match.
    let mut hashing = Hashing {
        hasher: std::hash::BuildHasher::build_hasher(&foldhash::fast::FixedState::default()),
        buffer: String::with_capacity(CHUNK),
    };
    // Writing to a hasher cannot fail.
    let _ = write!(
        hashing,
        "{}\u{0}{:?}\u{0}{kind:?}",
        def.deprecated, def.derives
    );
    hashing.hasher.write(hashing.buffer.as_bytes());
    hashing.hasher.finish()
}

/// The type's kind with every type it mentions replaced by one placeholder, and the types it
/// mentions, in order.
fn outline(def: &TypeDef) -> (TypeKind, Vec<TypeId>) {
    let mut kind = def.kind.clone();
    let mut mentions = Vec::new();
    // Where a copy's parts are written is not what it is: origins are left out too.
    match &mut kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| {
            f.origin = Pointer::root();
            take_mentions(&mut f.shape, &mut mentions);
        }),
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| {
            v.origin = Pointer::root();
            take_mentions(&mut v.shape, &mut mentions);
        }),
        TypeKind::Alias(shape) => take_mentions(shape, &mut mentions),
        TypeKind::Enum(e) => e
            .variants
            .iter_mut()
            .for_each(|v| v.origin = Pointer::root()),
    }
    (kind, mentions)
}

/// Replaces every type `shape` mentions by a placeholder, collecting them in order.
fn take_mentions(shape: &mut Shape, mentions: &mut Vec<TypeId>) {
    match &mut shape.ty {
        TypeRef::Named(id) => {
            mentions.push(*id);
            *id = TypeId(u32::MAX);
        }
        TypeRef::Array(items) | TypeRef::Map(items) => take_mentions(items, mentions),
        TypeRef::Tuple(items) => items
            .iter_mut()
            .for_each(|item| take_mentions(item, mentions)),
        _ => {}
    }
}

/// The first type `id` equals (itself when none).
fn resolve(mut id: TypeId, same_as: &BTreeMap<TypeId, TypeId>) -> TypeId {
    while let Some(first) = same_as.get(&id) {
        id = *first;
    }
    id
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
