//! SERVQUAL analysis of a CSV file (or of built-in simulated data).
//!
//! ```text
//! cargo run --release --example servqual -- [--data FILE.csv] [--reverse 10-13,18-22]
//!     [--scale MIN:MAX] [--segment COLUMN] [--out DIR] [--seed N] [--lang zh|en] [--json]
//! ```
//!
//! The same program as `csikit servqual` (identical flags and output): the
//! recipe lives in `csikit::analysis::servqual`, the flags in the `csikit-cli` crate.

fn main() -> std::process::ExitCode {
    csikit_cli::main_as("servqual")
}
