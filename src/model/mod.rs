//! Model specification: the typed builder ([`Model::builder`]) and the
//! lavaan-style syntax ([`Model::from_syntax`]).

pub mod spec;
pub mod syntax;

pub use spec::{ConstructSpec, HigherOrderSpec, InteractionSpec, Mode, Model, ModelBuilder};
