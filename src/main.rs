//! The `anpham` command; the command line is the library's `cli` module (`cli_main`).

fn main() -> std::process::ExitCode {
    anpham::cli_main()
}
