//! The `anpham` command; the command line is the library's `cli` module.

fn main() -> std::process::ExitCode {
    anpham::cli::main()
}
