//! KANO analysis from the command line.
//!
//! ```text
//! cargo run --release --example kano -- --data FILE.csv [--counts] [--threshold 0.06] [--lang zh|en] [--json]
//! ```
//!
//! Without `--data` the example analyses simulated answers (features of
//! known categories from `csikit::kano::simulate`). Run with `--help` for
//! every option.
//!
//! The same program as `csikit kano` (identical flags and output): the
//! recipe lives in `csikit::analysis::kano`, the flags in the `csikit-cli` crate.

fn main() -> std::process::ExitCode {
    csikit_cli::main_as("kano")
}
