//! Fit a PLS path model to a CSV file and print a report (or the JSON of
//! DESIGN.md §4 with `--json`). Without `--data`/`--model` it fits the
//! built-in ECSI model to the built-in simulated telecom survey.
//!
//! ```text
//! cargo run --release --example pls -- --data FILE.csv --model MODEL.txt [options]
//! ```
//!
//! The same program as `csikit pls` (identical flags and output): the
//! recipe lives in `csikit::analysis::pls`, the flags in the `csikit-cli` crate.

fn main() -> std::process::ExitCode {
    csikit_cli::main_as("pls")
}
