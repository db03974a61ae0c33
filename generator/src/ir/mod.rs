//! Stage 2: the resolved intermediate representation.
//!
//! Plain data, independent of syn and quote. Every decision is made while lowering into it: names
//! (via [`crate::names`]), required vs optional, boxing of recursive fields, union tagging, lenient
//! decoding, validation rules. It holds no unresolved `$ref`; emission only projects it.

mod all_of;
mod bodies;
mod dedup;
mod docs;
mod example;
mod groups;
mod lower;
mod operation;
mod pagination;
mod pattern;
mod pattern_example;
mod post;
mod read_ahead;
mod refs;
mod schema;
mod security;
mod settings;
mod types;
mod union;

pub use example::fits;
pub(crate) use lower::lower_with_then_release;
pub use lower::{lower, lower_with};
pub use settings::*;
pub use types::*;

/// The IR of a spec given as text, for the passes' unit tests.
#[cfg(test)]
pub(crate) fn lowered(spec: &str) -> Api {
    let document = crate::spec::load(spec).expect("the spec loads");
    lower(&document).expect("the spec lowers").0
}
