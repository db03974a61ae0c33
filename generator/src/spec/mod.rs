//! Stage 1: the OpenAPI document as written. Parsing only: no resolution, no decisions.

mod load;
mod model;
mod schema;

pub use load::{load, MAX_DEPTH};
pub use model::*;
pub use schema::*;
