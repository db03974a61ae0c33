//! The hand-written runtime every generated client shares: configuration, transport, errors,
//! lenient decoding, validation and (feature `proptest`) the pieces of the models' strategies. The
//! generator copies it verbatim; only the modules beside it are derived from the spec.

pub mod error;
pub mod lenient;
pub mod pagination;
pub mod secret;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod transport;
pub mod validation;
