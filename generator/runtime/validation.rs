//! Client-side validation: every rule of the spec is checked before a request is sent, and every
//! violation is reported at once with the JSON pointer of the offending value.

use std::collections::BTreeMap;
use std::fmt;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON pointer of the value in the request body (`/data/1/contacts/0/value`).
    pub pointer: String,
    /// The rule it breaks (`must match the pattern ^7`).
    pub rule: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.rule)
    }
}

/// Every violation found in one value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The violations, in the order of the value's fields.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// Collects violations while walking a value.
#[derive(Debug, Default)]
pub struct Validator {
    /// The JSON pointer of the current place, grown and cut back as the walk goes; written out
    /// only when a violation is recorded.
    path: String,
    violations: Vec<Violation>,
}

impl Validator {
    /// An empty validator at the root.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks `f` one property deeper.
    pub fn field(&mut self, name: &str, f: impl FnOnce(&mut Self)) {
        let length = self.path.len();
        self.path.push('/');
        if name.contains(['~', '/']) {
            self.path
                .push_str(&name.replace('~', "~0").replace('/', "~1"));
        } else {
            self.path.push_str(name);
        }
        f(self);
        self.path.truncate(length);
    }

    /// Checks a value that validates itself (a model, or an option, list, map or box of them) one
    /// property deeper.
    pub fn nested(&mut self, name: &str, value: &impl Validate) {
        self.field(name, |validator| value.validate_into(validator));
    }

    /// Checks `rules` on a value one property deeper, then what the value contains: an absent
    /// value (`None`) has nothing to check.
    pub fn check<T: Validate + ?Sized>(&mut self, name: &str, value: &T, rules: &[Rule<'_>]) {
        self.field(name, |validator| value.validate_with(validator, rules));
    }

    /// Checks `rules` on a value at the current place, then what the value contains.
    pub fn apply<T: Validate + ?Sized>(&mut self, value: &T, rules: &[Rule<'_>]) {
        value.validate_with(self, rules);
    }

    /// Checks `f` one list item deeper.
    pub fn index(&mut self, index: usize, f: impl FnOnce(&mut Self)) {
        use std::fmt::Write as _;
        let length = self.path.len();
        let _ = write!(self.path, "/{index}");
        f(self);
        self.path.truncate(length);
    }

    /// Records a broken rule at the current place.
    pub fn violation(&mut self, rule: impl Into<String>) {
        let pointer = self.path.clone();
        self.violations.push(Violation {
            pointer,
            rule: rule.into(),
        });
    }

    /// `pattern`.
    pub fn pattern(&mut self, value: &str, pattern: &Pattern) {
        if !pattern.regex().is_match(value) {
            self.violation(format!("must match the pattern {}", pattern.source()));
        }
    }

    /// `minLength`, in characters.
    pub fn min_length(&mut self, value: &str, min: u64) {
        if (value.chars().count() as u64) < min {
            self.violation(format!("must be at least {min} characters long"));
        }
    }

    /// `maxLength`, in characters.
    pub fn max_length(&mut self, value: &str, max: u64) {
        if value.chars().count() as u64 > max {
            self.violation(format!("must be at most {max} characters long"));
        }
    }

    /// `minimum` / `exclusiveMinimum`.
    pub fn minimum(&mut self, value: impl Numeric, bound: f64, exclusive: bool) {
        let value = value.to_f64();
        if value < bound || (exclusive && value == bound) {
            let relation = if exclusive {
                "greater than"
            } else {
                "at least"
            };
            self.violation(format!("must be {relation} {bound}"));
        }
    }

    /// `maximum` / `exclusiveMaximum`.
    pub fn maximum(&mut self, value: impl Numeric, bound: f64, exclusive: bool) {
        let value = value.to_f64();
        if value > bound || (exclusive && value == bound) {
            let relation = if exclusive { "less than" } else { "at most" };
            self.violation(format!("must be {relation} {bound}"));
        }
    }

    /// `minItems`.
    pub fn min_items(&mut self, len: usize, min: u64) {
        if (len as u64) < min {
            self.violation(format!("must have at least {min} item(s)"));
        }
    }

    /// `maxItems`.
    pub fn max_items(&mut self, len: usize, max: u64) {
        if len as u64 > max {
            self.violation(format!("must have at most {max} item(s)"));
        }
    }

    /// `format: email`: an RFC 5321 mailbox in its usual form, as JSON Schema validators check it.
    pub fn email(&mut self, value: &str) {
        if !is_email(value) {
            self.violation("must be an e-mail address");
        }
    }

    /// The violations found, or `Ok` when there are none.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                violations: self.violations,
            })
        }
    }
}

/// Whether `value` is `local@domain`: the local part dot-separated atoms of letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-``, the domain two or more dot-separated labels of letters, digits and
/// inner hyphens. ASCII only: JSON Schema's `email` is RFC 5321's mailbox (the internationalized
/// form is the `idn-email` format); quoted local parts and address literals are not accepted.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let atom = |atom: &str| {
        !atom.is_empty()
            && atom
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
    };
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    local.split('.').all(atom) && domain.contains('.') && domain.split('.').all(label)
}

/// A number that bounds can be checked on.
pub trait Numeric: Copy {
    /// The value as a float, for comparing with a bound of the spec.
    fn to_f64(self) -> f64;
}

macro_rules! numeric {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}

numeric!(i32, i64, u32, u64, f32, f64);

/// A `pattern` of the spec, compiled on its first use: a file's patterns are its statics.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: std::sync::OnceLock<regex::Regex>,
}

impl Pattern {
    /// The pattern as the spec writes it (it searches: `^7` accepts any text starting with 7).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The compiled regex.
    pub fn regex(&self) -> &regex::Regex {
        self.regex.get_or_init(|| compile_pattern(self.source))
    }
}

/// Compiles a pattern that the generator has already checked compiles.
pub fn compile_pattern(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern)
        .unwrap_or_else(|error| panic!("pattern {pattern:?} was checked by the generator: {error}"))
}

/// A rule of the spec on a value, as [`Validator::check`] takes them: a string's, a number's or a
/// list's own, or the rules of what a list or a map holds. A rule that does not apply to the
/// value's type (a length on a number) is not checked: the generator passes none such.
#[derive(Debug, Clone, Copy)]
pub enum Rule<'a> {
    /// `pattern`, on a string.
    Pattern(&'a Pattern),
    /// `minLength`, in characters.
    MinLength(u64),
    /// `maxLength`, in characters.
    MaxLength(u64),
    /// `format: email`.
    Email,
    /// `minimum`.
    Minimum(f64),
    /// `exclusiveMinimum`.
    ExclusiveMinimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `exclusiveMaximum`.
    ExclusiveMaximum(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// The rules of every item of a list.
    Items(&'a [Rule<'a>]),
    /// The rules of every value of a map.
    Values(&'a [Rule<'a>]),
}

/// The rules in `rules` that a list, or a map, passes to what it holds (the first such).
fn inner_rules<'r>(
    rules: &'r [Rule<'r>],
    pick: impl Fn(&Rule<'r>) -> Option<&'r [Rule<'r>]>,
) -> &'r [Rule<'r>] {
    rules.iter().find_map(pick).unwrap_or(&[])
}

/// A value whose rules can be checked.
pub trait Validate {
    /// Checks every rule of `self` and of what it contains, recording violations in `validator`.
    fn validate_into(&self, validator: &mut Validator);

    /// Checks `rules` on `self`, then what it contains. A model's rules are its own, so it
    /// takes none from outside; strings, numbers, lists, maps and options override this.
    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        let _ = rules;
        self.validate_into(validator);
    }

    /// Checks every rule, reporting every violation at once.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut validator = Validator::new();
        self.validate_into(&mut validator);
        validator.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, validator: &mut Validator) {
        if let Some(value) = self {
            value.validate_into(validator);
        }
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        if let Some(value) = self {
            value.validate_with(validator, rules);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, validator: &mut Validator) {
        (**self).validate_into(validator);
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        (**self).validate_with(validator, rules);
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, validator: &mut Validator) {
        (**self).validate_into(validator);
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        (**self).validate_with(validator, rules);
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_into(&self, validator: &mut Validator) {
        self.validate_with(validator, &[]);
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        for rule in rules {
            match *rule {
                Rule::MinItems(min) => validator.min_items(self.len(), min),
                Rule::MaxItems(max) => validator.max_items(self.len(), max),
                _ => {}
            }
        }
        let items = inner_rules(rules, |rule| match *rule {
            Rule::Items(items) => Some(items),
            _ => None,
        });
        for (index, item) in self.iter().enumerate() {
            validator.index(index, |v| item.validate_with(v, items));
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, validator: &mut Validator) {
        self.as_slice().validate_into(validator);
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        self.as_slice().validate_with(validator, rules);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, validator: &mut Validator) {
        self.validate_with(validator, &[]);
    }

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        let values = inner_rules(rules, |rule| match *rule {
            Rule::Values(values) => Some(values),
            _ => None,
        });
        for (key, value) in self {
            validator.field(key, |v| value.validate_with(v, values));
        }
    }
}

impl Validate for str {
    fn validate_into(&self, _: &mut Validator) {}

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        for rule in rules {
            match *rule {
                Rule::Pattern(pattern) => validator.pattern(self, pattern),
                Rule::MinLength(min) => validator.min_length(self, min),
                Rule::MaxLength(max) => validator.max_length(self, max),
                Rule::Email => validator.email(self),
                _ => {}
            }
        }
    }
}

impl Validate for String {
    fn validate_into(&self, _: &mut Validator) {}

    fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
        self.as_str().validate_with(validator, rules);
    }
}

macro_rules! bounded {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_into(&self, _: &mut Validator) {}

            fn validate_with(&self, validator: &mut Validator, rules: &[Rule<'_>]) {
                for rule in rules {
                    match *rule {
                        Rule::Minimum(bound) => validator.minimum(*self, bound, false),
                        Rule::ExclusiveMinimum(bound) => validator.minimum(*self, bound, true),
                        Rule::Maximum(bound) => validator.maximum(*self, bound, false),
                        Rule::ExclusiveMaximum(bound) => validator.maximum(*self, bound, true),
                        _ => {}
                    }
                }
            }
        }
    )*};
}

bounded!(i32, i64, u32, u64, f32, f64);

macro_rules! nothing_to_check {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_into(&self, _: &mut Validator) {}
        }
    )*};
}

nothing_to_check!(bool, serde_json::Value);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_violation_with_its_pointer() {
        let mut v = Validator::new();
        v.field("data", |v| {
            v.index(1, |v| {
                v.field("value", |v| v.pattern("89", &Pattern::new("^7")));
                v.field("email", |v| v.email("no-at-sign"));
            })
        });
        v.field("a/b", |v| v.min_items(0, 1));
        let error = v.finish().unwrap_err();
        assert_eq!(
            error.to_string(),
            "/data/1/value: must match the pattern ^7; /data/1/email: must be an e-mail address; \
             /a~1b: must have at least 1 item(s)"
        );
    }

    #[test]
    fn e_mail_addresses_are_ascii_mailboxes() {
        for valid in [
            "a@b.ru",
            "first.last+tag@mail-host.example.com",
            "o'neil_{x}@b.io",
        ] {
            assert!(is_email(valid), "{valid}");
        }
        for invalid in [
            "no-at-sign",
            "@b.ru",
            "a@b",
            "a@b..ru",
            "a@.b.ru",
            "a@b.ru.",
            "a@-b.ru",
            "a.@b.ru",
            "a..b@c.ru",
            "a b@c.ru",
            "a@b@c.ru",
            "почта@mail.ru",
            "a@почта.рф",
        ] {
            assert!(!is_email(invalid), "{invalid}");
        }
    }

    #[test]
    fn rules_reach_what_lists_maps_and_options_hold() {
        static DIGITS: Pattern = Pattern::new("^[0-9]+$");
        let mut v = Validator::new();
        let lists: Option<Vec<Vec<String>>> = Some(vec![vec!["12".into(), "x".into()], vec![]]);
        v.check(
            "lists",
            &lists,
            &[
                Rule::MaxItems(1),
                Rule::Items(&[Rule::MinItems(1), Rule::Items(&[Rule::Pattern(&DIGITS)])]),
            ],
        );
        let map = BTreeMap::from([("a/b".to_owned(), 5_i64), ("c".to_owned(), 1)]);
        let bounds = [Rule::ExclusiveMaximum(5.0), Rule::Minimum(2.0)];
        v.check("map", &map, &[Rule::Values(&bounds)]);
        v.check("absent", &None::<String>, &[Rule::MinLength(3)]);
        v.check("name", "абвгд", &[Rule::MaxLength(4), Rule::Email]);
        v.apply(&Some(2.5_f64), &[Rule::Maximum(2.0)]);
        assert_eq!(
            v.finish().unwrap_err().to_string(),
            "/lists: must have at most 1 item(s); /lists/0/1: must match the pattern ^[0-9]+$; \
             /lists/1: must have at least 1 item(s); /map/a~1b: must be less than 5; \
             /map/c: must be at least 2; /name: must be at most 4 characters long; \
             /name: must be an e-mail address; /: must be at most 2"
        );
    }

    #[test]
    fn accepts_valid_values() {
        let mut v = Validator::new();
        v.pattern("79998886655", &Pattern::new("^7"));
        v.email("a@b.ru");
        v.minimum(1.0, 1.0, false);
        v.maximum(2.0, 3.0, true);
        v.min_length("абв", 3);
        assert!(v.finish().is_ok());
    }
}
