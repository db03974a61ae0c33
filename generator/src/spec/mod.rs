//! Stage 1: the OpenAPI document as written. Parsing, and for a spec read from a file loading the
//! files its `$ref`s name (`bundle.rs`); no decisions.

mod bundle;
mod load;
mod model;
mod raw;
mod schema;

pub use bundle::is_remote;
pub use load::{load, load_file, Sources, MAX_DEPTH};
pub use model::*;
pub use raw::RawDocument;
pub use schema::*;
