//! The crate's one integration-test binary (one link step): each module is a
//! topic.

mod common;
mod conformance;
