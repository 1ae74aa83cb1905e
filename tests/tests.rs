//! The crate's one integration-test binary (one link step): each module is a
//! topic.

mod bad_input;
mod common;
mod conformance;
mod csi;
mod kano;
mod properties;
mod servqual;
