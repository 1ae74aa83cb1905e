//! The crate's one integration-test binary (one link step): each module is a
//! topic.

mod bad_input;
mod bootstrap;
mod common;
mod conformance;
mod groups;
mod kano;
mod properties;
mod servqual;
