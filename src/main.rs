//! The `dateline` binary: parse the command line, run it, report errors with their causes.

use std::process::ExitCode;

use clap::Parser;

/// A build allocates and frees many small strings and template values on every thread; with
/// glibc's allocator that was a fifth of the build's CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = dateline::cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("Reason: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
