//! Proptest strategies (feature `proptest`): the pieces the generated `Arbitrary` impls of the
//! models are built from. Each strategy produces only values that satisfy the rules it is given,
//! so a generated value is valid against the spec by construction.

use std::collections::BTreeMap;
use std::fmt::Debug;

use proptest::arbitrary::{any, Arbitrary};
use proptest::collection::{btree_map, vec};
use proptest::strategy::{BoxedStrategy, Just, LazyJust, Strategy, Union};
use proptest::string::string_regex;

use super::validation::compile_pattern;

/// How many items a list has past its `minItems` at most, and a map at most.
const FREE_ITEMS: usize = 3;
/// How many characters a string has past its `minLength` at most, when no pattern shapes it.
const FREE_LENGTH: u64 = 16;
/// How far an unbounded side of a number's range reaches.
const FREE_SPAN: f64 = 1e9;

/// How many more levels of named types a generated value may nest.
///
/// Every named type one level down gets one level less. Once none is left, optional and nullable
/// fields are left out (`None`), lists have their fewest items and maps none, so recursive types
/// stay finite. `any::<T>()` starts from [`Depth::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth(u32);

impl Depth {
    /// The levels `any::<T>()` allows: more than any type of a usual spec nests.
    pub const DEFAULT: u32 = 6;

    /// A depth of `levels` levels.
    pub const fn new(levels: u32) -> Self {
        Depth(levels)
    }

    /// The depth of a value one level down.
    pub const fn deeper(self) -> Self {
        Depth(self.0.saturating_sub(1))
    }

    /// Whether no level is left: only what is required is generated.
    pub const fn is_exhausted(self) -> bool {
        self.0 == 0
    }
}

impl Default for Depth {
    fn default() -> Self {
        Depth(Self::DEFAULT)
    }
}

/// A `pattern` of the spec.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The pattern as the spec writes it (it searches: `^7` accepts any text starting with 7).
    pub source: &'static str,
    /// A regex without anchors every whole match of which matches `source`; `None` when the
    /// generator could not make one, and then values are arbitrary text filtered by `source`.
    pub generator: Option<&'static str>,
}

/// Values of a named type of the crate, one level of [`Depth`] deeper than the type that holds
/// them. The type is inferred from where the values go (a field, a list's items, a variant).
pub fn nested<T>(depth: Depth) -> BoxedStrategy<T>
where
    T: Arbitrary<Parameters = Depth, Strategy = BoxedStrategy<T>>,
{
    T::arbitrary_with(depth.deeper())
}

/// Values of an optional field or nullable value of a named type of the crate: nothing, or a
/// value one level of [`Depth`] deeper (`optional(depth, move || nested(depth))`).
pub fn optional_nested<T>(depth: Depth) -> BoxedStrategy<Option<T>>
where
    T: Arbitrary<Parameters = Depth, Strategy = BoxedStrategy<T>> + Debug + 'static,
{
    optional(depth, move || nested::<T>(depth))
}

/// The rules of a string, as the spec gives them: [`StringRules::ANY`] has none, and each rule
/// is added to it by its method (`StringRules::ANY.max_length(5000)`), the strictest of a kind
/// winning.
#[derive(Debug, Clone, Copy)]
pub struct StringRules {
    pattern: Option<Pattern>,
    patterns: &'static [Pattern],
    min_length: u64,
    max_length: Option<u64>,
    email: bool,
}

impl StringRules {
    /// No rule: any text.
    pub const ANY: StringRules = StringRules {
        pattern: None,
        patterns: &[],
        min_length: 0,
        max_length: None,
        email: false,
    };

    /// A `pattern` (see [`Pattern`]), for a string with one.
    pub const fn pattern(self, source: &'static str, generator: Option<&'static str>) -> Self {
        StringRules {
            pattern: Some(Pattern { source, generator }),
            ..self
        }
    }

    /// The `pattern`s, for a string with more than one: the value matches every one.
    pub const fn patterns(self, patterns: &'static [Pattern]) -> Self {
        StringRules { patterns, ..self }
    }

    /// Every pattern the rules hold.
    fn all_patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.pattern.iter().chain(self.patterns)
    }

    /// A `minLength`, in characters (the largest given applies).
    pub const fn min_length(self, characters: u64) -> Self {
        let min_length = if characters > self.min_length {
            characters
        } else {
            self.min_length
        };
        StringRules { min_length, ..self }
    }

    /// A `maxLength`, in characters (the smallest given applies).
    pub const fn max_length(self, characters: u64) -> Self {
        let max_length = match self.max_length {
            Some(max) if max <= characters => max,
            _ => characters,
        };
        StringRules {
            max_length: Some(max_length),
            ..self
        }
    }

    /// `format: email`.
    pub const fn email(self) -> Self {
        StringRules {
            email: true,
            ..self
        }
    }
}

/// Any text (a string without rules).
pub fn any_string() -> BoxedStrategy<String> {
    string(StringRules::ANY)
}

/// Strings that satisfy `rules`.
///
/// An e-mail address or a pattern's generating regex shapes the value; otherwise it is text of an
/// allowed length (ASCII, Cyrillic and any other character). Whatever the shape does not
/// guarantee (a length beside a pattern, a second pattern) is then filtered.
pub fn string(rules: StringRules) -> BoxedStrategy<String> {
    let min = rules.min_length;
    let max = rules.max_length;
    if let Some(max) = max {
        assert!(min <= max, "no string is {min} to {max} characters long");
    }
    let base = if rules.email {
        email()
    } else if let Some(generator) = rules.all_patterns().find_map(|p| p.generator) {
        string_regex(generator)
            .unwrap_or_else(|error| panic!("proptest cannot generate from {generator:?}: {error}"))
            .boxed()
    } else {
        let most = max.unwrap_or(u64::MAX).min(min + FREE_LENGTH);
        text(to_usize(min), to_usize(most))
    };
    let patterns: Vec<regex::Regex> = rules
        .all_patterns()
        .map(|p| compile_pattern(p.source))
        .collect();
    base.prop_filter("a string that breaks a rule of the spec", move |value| {
        let length = value.chars().count() as u64;
        length >= min
            && max.map_or(true, |max| length <= max)
            && patterns.iter().all(|p| p.is_match(value))
    })
    .boxed()
}

/// E-mail addresses that both the runtime's check and the strict `email` formats of JSON Schema
/// validators (dot-atom local part, hostname domain) accept.
pub fn email() -> BoxedStrategy<String> {
    const ADDRESS: &str = concat!(
        r"[A-Za-z0-9_+-]{1,10}(\.[A-Za-z0-9_+-]{1,10})?",
        r"@[a-z0-9]{1,10}(-[a-z0-9]{1,10})?\.[a-z]{2,8}",
    );
    string_regex(ADDRESS)
        .expect("the e-mail regex is supported by proptest")
        .boxed()
}

/// Text of `min` to `max` characters: mostly ASCII and Cyrillic, sometimes any character.
fn text(min: usize, max: usize) -> BoxedStrategy<String> {
    let character = Union::new_weighted(vec![
        (3, proptest::char::range(' ', '~')),
        (2, proptest::char::range('Ѐ', 'ӿ')),
        (1, proptest::char::any()),
    ]);
    vec(character, min..=max)
        .prop_map(String::from_iter)
        .boxed()
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The integers (in `i128`, which holds every bound) allowed by `minimum`s and `maximum`s, each a
/// bound and whether it is exclusive, within `lowest..=highest`.
fn integer_range(
    minimums: &[(f64, bool)],
    maximums: &[(f64, bool)],
    lowest: i128,
    highest: i128,
) -> (i128, i128) {
    let mut low = lowest;
    let mut high = highest;
    for &(bound, exclusive) in minimums {
        let least = if exclusive && bound.ceil() == bound {
            bound + 1.0
        } else {
            bound.ceil()
        };
        low = low.max(least as i128);
    }
    for &(bound, exclusive) in maximums {
        let most = if exclusive && bound.floor() == bound {
            bound - 1.0
        } else {
            bound.floor()
        };
        high = high.min(most as i128);
    }
    assert!(
        low <= high,
        "no integer satisfies minimum {minimums:?} and maximum {maximums:?}"
    );
    (low, high)
}

/// Integers of the range: its two ends, small values, and any value of it.
fn integers(low: i128, high: i128) -> BoxedStrategy<i128> {
    let small = (low.max(-1000), high.min(1000));
    let mut options = vec![
        (1, Just(low).boxed()),
        (1, Just(high).boxed()),
        (6, (low..=high).boxed()),
    ];
    if small.0 <= small.1 {
        options.push((2, (small.0..=small.1).boxed()));
    }
    Union::new_weighted(options).boxed()
}

/// `i64` values allowed by `minimum`s and `maximum`s (bound, exclusive).
pub fn int64(minimums: &[(f64, bool)], maximums: &[(f64, bool)]) -> BoxedStrategy<i64> {
    let (low, high) = integer_range(minimums, maximums, i64::MIN.into(), i64::MAX.into());
    integers(low, high)
        .prop_map(|n| i64::try_from(n).expect("the range is within i64"))
        .boxed()
}

/// `i32` values allowed by `minimum`s and `maximum`s (bound, exclusive).
pub fn int32(minimums: &[(f64, bool)], maximums: &[(f64, bool)]) -> BoxedStrategy<i32> {
    let (low, high) = integer_range(minimums, maximums, i32::MIN.into(), i32::MAX.into());
    integers(low, high)
        .prop_map(|n| i32::try_from(n).expect("the range is within i32"))
        .boxed()
}

/// Finite numbers allowed by `minimum`s and `maximum`s (bound, exclusive): the ends of the range,
/// zero when allowed, and any value of it. An unbounded side reaches 10⁹ past the other.
pub fn number(minimums: &[(f64, bool)], maximums: &[(f64, bool)]) -> BoxedStrategy<f64> {
    let least = minimums.iter().map(|b| b.0).reduce(f64::max);
    let most = maximums.iter().map(|b| b.0).reduce(f64::min);
    let (low, high) = match (least, most) {
        (Some(low), Some(high)) => (low, high),
        (Some(low), None) => (low, low + FREE_SPAN),
        (None, Some(high)) => (high - FREE_SPAN, high),
        (None, None) => (-FREE_SPAN, FREE_SPAN),
    };
    assert!(low <= high, "no number is between {low} and {high}");
    let minimums = minimums.to_vec();
    let maximums = maximums.to_vec();
    let allowed = move |n: &f64| {
        minimums
            .iter()
            .all(|&(b, exclusive)| if exclusive { *n > b } else { *n >= b })
            && maximums
                .iter()
                .all(|&(b, exclusive)| if exclusive { *n < b } else { *n <= b })
    };
    let mut options: Vec<BoxedStrategy<f64>> = [low, high, 0.0]
        .into_iter()
        .filter(|edge| allowed(edge))
        .map(|edge| Just(edge).boxed())
        .collect();
    options.push((low..=high).boxed());
    options.push((low..=high).boxed());
    Union::new(options)
        .prop_filter("a number out of the spec's bounds", allowed)
        .boxed()
}

/// A value or nothing (`None`: left out, or `null`), half and half; always nothing once `depth`
/// is exhausted, when `inner` is not even built.
pub fn optional<S>(depth: Depth, inner: impl FnOnce() -> S) -> BoxedStrategy<Option<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Debug,
{
    if depth.is_exhausted() {
        LazyJust::new(|| None).boxed()
    } else {
        proptest::option::of(inner()).boxed()
    }
}

/// Lists of `minItems` to `maxItems` items (at most 3 past the minimum); the fewest
/// allowed once `depth` is exhausted (`item` is not built when that is none).
pub fn list<S>(
    depth: Depth,
    min_items: &[u64],
    max_items: &[u64],
    item: impl FnOnce() -> S,
) -> BoxedStrategy<Vec<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Debug,
{
    let min = to_usize(min_items.iter().copied().max().unwrap_or(0));
    let max = max_items.iter().copied().min().map(to_usize);
    if let Some(max) = max {
        assert!(min <= max, "no list has {min} to {max} items");
    }
    let most = if depth.is_exhausted() {
        min
    } else {
        max.unwrap_or(usize::MAX).min(min + FREE_ITEMS)
    };
    if most == 0 {
        return LazyJust::new(Vec::new).boxed();
    }
    vec(item(), min..=most).boxed()
}

/// Maps of up to 3 entries with any keys but `excluded` (the declared properties
/// beside additional ones); empty once `depth` is exhausted (`value` is then not built).
pub fn map<S>(
    depth: Depth,
    excluded: &'static [&'static str],
    value: impl FnOnce() -> S,
) -> BoxedStrategy<BTreeMap<String, S::Value>>
where
    S: Strategy + 'static,
    S::Value: Debug,
{
    if depth.is_exhausted() {
        return LazyJust::new(BTreeMap::new).boxed();
    }
    let key = text(0, 12).prop_filter("a declared property's name", move |key| {
        !excluded.contains(&key.as_str())
    });
    btree_map(key, value(), 0..=FREE_ITEMS).boxed()
}

/// The value as writing and reading it again makes it: a tagged union's member then holds its
/// variant's tag in its own tag property, as every value decoded from the wire does.
pub fn as_written<T>(value: T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    serde_json::to_value(&value)
        .ok()
        .and_then(|json| serde_json::from_value(json).ok())
        .unwrap_or(value)
}

/// Any JSON value: scalars, and lists and objects of them nested a little (only scalars once
/// `depth` is exhausted).
pub fn json_value(depth: Depth) -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    let scalar = Union::new(vec![
        Just(Value::Null).boxed(),
        any::<bool>().prop_map(Value::Bool).boxed(),
        any::<i64>().prop_map(Value::from).boxed(),
        (-FREE_SPAN..FREE_SPAN).prop_map(Value::from).boxed(),
        text(0, 8).prop_map(Value::String).boxed(),
    ]);
    if depth.is_exhausted() {
        return scalar.boxed();
    }
    scalar
        .prop_recursive(2, 8, FREE_ITEMS as u32, |inner| {
            Union::new(vec![
                vec(inner.clone(), 0..=FREE_ITEMS)
                    .prop_map(Value::Array)
                    .boxed(),
                btree_map(text(0, 8), inner, 0..=FREE_ITEMS)
                    .prop_map(|map| Value::Object(map.into_iter().collect()))
                    .boxed(),
            ])
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    fn samples<T: Debug>(strategy: BoxedStrategy<T>) -> Vec<T> {
        let mut runner = TestRunner::deterministic();
        (0..300)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    #[test]
    fn integers_stay_within_their_bounds_and_reach_them() {
        let values = samples(int64(&[(1.0, false)], &[(3000.0, false)]));
        assert!(values.iter().all(|n| (1..=3000).contains(n)));
        assert!(values.contains(&1) && values.contains(&3000));
        let values = samples(int32(&[(0.5, true)], &[(10.0, true)]));
        assert!(values.iter().all(|n| (1..=9).contains(n)), "{values:?}");
    }

    #[test]
    fn numbers_respect_exclusive_bounds() {
        let values = samples(number(&[(0.0, true)], &[(1.0, false)]));
        assert!(values.iter().all(|n| *n > 0.0 && *n <= 1.0), "{values:?}");
        assert!(values.contains(&1.0));
    }

    #[test]
    fn strings_follow_patterns_and_lengths() {
        const LOGIN: &[Pattern] = &[Pattern {
            source: "^[a-z][a-z0-9_]*$",
            generator: Some("[a-z][a-z0-9_]*"),
        }];
        let values = samples(string(
            StringRules::ANY
                .patterns(LOGIN)
                .min_length(3)
                .max_length(16),
        ));
        let login = regex::Regex::new("^[a-z][a-z0-9_]{2,15}$").unwrap();
        assert!(values.iter().all(|v| login.is_match(v)), "{values:?}");
        // Of several lengths of a kind (from `allOf`), the strictest applies.
        let values = samples(string(
            StringRules::ANY
                .min_length(2)
                .min_length(1)
                .max_length(4)
                .max_length(9),
        ));
        assert!(values.iter().all(|v| (2..=4).contains(&v.chars().count())));
    }

    #[test]
    fn e_mail_addresses_pass_the_runtime_check() {
        for value in samples(email()) {
            let mut validator = super::super::validation::Validator::new();
            validator.email(&value);
            assert!(validator.finish().is_ok(), "{value}");
        }
    }

    #[test]
    fn exhausted_depth_builds_nothing_optional() {
        let exhausted = Depth::new(0);
        let none: BoxedStrategy<Option<u8>> =
            optional(exhausted, || -> Just<u8> { panic!("not built") });
        assert!(samples(none).iter().all(Option::is_none));
        let empty: BoxedStrategy<Vec<u8>> =
            list(exhausted, &[], &[], || -> Just<u8> { panic!("not built") });
        assert!(samples(empty).iter().all(Vec::is_empty));
        let two = samples(list(exhausted, &[2], &[], || Just(1u8)));
        assert!(two.iter().all(|v| v.len() == 2));
    }
}
