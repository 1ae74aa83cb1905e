//! The `csikit` command. See `csikit --help`.

fn main() -> std::process::ExitCode {
    csikit_cli::main()
}
