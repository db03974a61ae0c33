//! Stage 1: the OpenAPI document as written. Parsing only: no resolution, no decisions.

mod load;
mod model;
mod raw;
mod schema;

pub use load::{load, MAX_DEPTH};
pub use model::*;
pub use raw::RawDocument;
pub use schema::*;
