//! The hand-written runtime every generated client shares: configuration, transport, errors,
//! lenient decoding and validation. The generator copies it verbatim; only the modules beside it
//! are derived from the spec.

pub mod error;
pub mod lenient;
pub mod pagination;
pub mod secret;
pub mod transport;
pub mod validation;
