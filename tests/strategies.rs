//! The proptest strategies every generated crate has behind its `proptest` feature, on the golden
//! crates (one family of constructs each): every generated value passes the crate's own
//! validation and survives a JSON round trip, recursive types stay finite, and the rules of the
//! validation fixture are kept. (`tests/contract.rs` checks the real client's values against
//! Prism.)

use std::fmt::Debug;

use proptest::arbitrary::{any, any_with, Arbitrary};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{TestCaseError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Generates values of `T`; each must validate and decode back from its JSON unchanged.
fn check<T, V>(validate: V)
where
    T: Arbitrary + Serialize + DeserializeOwned + PartialEq + Debug,
    V: Fn(&T) -> Result<(), String>,
{
    TestRunner::default()
        .run(&any::<T>(), |value| {
            validate(&value).map_err(|error| {
                TestCaseError::fail(format!("{value:?} breaks a rule: {error}"))
            })?;
            let json = serde_json::to_value(&value).expect("a value encodes");
            let back: T = serde_json::from_value(json.clone())
                .map_err(|error| TestCaseError::fail(format!("{json} does not decode: {error}")))?;
            proptest::prop_assert_eq!(back, value);
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{}: {failure}", std::any::type_name::<T>()));
}

macro_rules! every_value_is_valid {
    ($($test:ident: $krate:ident { $($ty:ident),* })*) => {$(
        #[test]
        fn $test() {
            use $krate::Validate as _;
            $(check::<$krate::models::$ty, _>(|value| value.validate().map_err(|e| e.to_string()));)*
        }
    )*};
}

every_value_is_valid! {
    bodies: golden_bodies { Charge, UploadRequest, PutNoteFilter }
    enums: golden_enums { Color, Priority, Bare, Single, MaybeColor, Palette, PaletteKind }
    formats: golden_formats { Event, Level }
    multifile: golden_multifile { Animal, Cat, Category, Color, Dog, Owner, Pet, Problem, Species, Subcategory, Tag }
    naming: golden_naming { OptionModel, ClientModel, ClientModel2, Klient, N404error }
    objects: golden_objects { Node, Named, NamedNode, Counters, NodePosition, NamedNodePosition }
    operations: golden_operations { Problem, Item, DeleteItemsItemIdRequest, ListItemsSort }
    pagination: golden_pagination { ListThingsRequest, ListThingsResponse, ListThingsResponseResultItem }
    requests: golden_requests { Point }
    security: golden_security { Thing, WithCookieKeyTheme }
    shapes: golden_shapes { Action, Ticket, Media, Song, Episode, Clip, ListKernelsResponse }
    unions: golden_unions { Pet, Cat, Dog, IdOrName, Shape, Household, ShapeVariant1 }
    validation: golden_validation { Account }
}

/// Samples of a strategy, deterministic.
fn samples<S: Strategy>(strategy: S, count: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
        .collect()
}

#[test]
fn the_validation_fixture_rules_are_kept_and_reached() {
    use golden_validation::models::Account;
    let accounts = samples(any::<Account>(), 500);
    let login = regex::Regex::new("^[a-z][a-z0-9_]{2,15}$").unwrap();
    let code = regex::Regex::new("^[0-9]{4}$").unwrap();
    for account in &accounts {
        assert!(login.is_match(&account.login), "{account:?}");
        assert!((1..=3).contains(&account.emails.len()), "{account:?}");
        assert!(account.age.map_or(true, |age| (18..=130).contains(&age)));
        assert!(account.score.map_or(true, |s| s > 0.0 && s <= 1.0));
        let codes = account.codes.iter().flatten();
        assert!(codes.clone().all(|c| code.is_match(c)), "{account:?}");
        let limits = account.limits.iter().flat_map(|l| l.values());
        assert!(limits.clone().all(|n| *n >= 0), "{account:?}");
    }
    // The edges of the ranges are reached, and optional fields are both present and absent.
    let ages: Vec<i64> = accounts.iter().filter_map(|a| a.age).collect();
    assert!(ages.contains(&18) && ages.contains(&130), "{ages:?}");
    assert!(accounts.iter().any(|a| a.emails.len() == 1));
    assert!(accounts.iter().any(|a| a.emails.len() == 3));
    assert!(accounts.iter().any(|a| a.score.is_none()));
    assert!(accounts.iter().any(|a| a.score == Some(1.0)));
}

#[test]
fn recursive_types_stay_finite_and_depth_bounds_them() {
    use golden_objects::models::Node;
    use golden_objects::runtime::strategies::Depth;
    fn depth(node: &Node) -> usize {
        let children = node.children.iter().flatten();
        let below = children.chain(node.parent.as_deref()).map(depth).max();
        1 + below.unwrap_or(0)
    }
    let nodes = samples(any::<Node>(), 200);
    assert!(nodes
        .iter()
        .all(|n| depth(n) <= Depth::DEFAULT as usize + 1));
    assert!(nodes.iter().any(|n| depth(n) >= 3), "nesting happens");
    let flat = samples(any_with::<Node>(Depth::new(0)), 50);
    assert!(flat
        .iter()
        .all(|n| n.children.is_none() && n.parent.is_none()));
}

#[test]
fn every_union_member_and_enum_value_is_generated() {
    use golden_enums::models::Priority;
    use golden_unions::models::{IdOrName, Pet};
    let pets = samples(any::<Pet>(), 100);
    assert!(pets.iter().any(|p| matches!(p, Pet::Cat(_))));
    assert!(pets.iter().any(|p| matches!(p, Pet::Dog(_))));
    let owners = samples(any::<IdOrName>(), 100);
    assert!(owners.iter().any(|o| matches!(o, IdOrName::Integer(_))));
    assert!(owners.iter().any(|o| matches!(o, IdOrName::String(_))));
    let mut seen = samples(any::<Priority>(), 100);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "all five values: {seen:?}");
}
