//! The `bureau` binary: sets up logging and hands the command line to the library.

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// What is logged unless `BUREAU_LOG` or `RUST_LOG` says otherwise: our own
/// warnings and other crates' errors, except conditions that are normal for
/// an offline-first app (a relay or a peer that cannot be reached).
const DEFAULT_LOG: &str =
    "error,bureau=warn,iroh::socket::transports::relay=off,samod::io_loop=off";

fn main() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("BUREAU_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let cli = match bureau::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // One line saying what to fix; `--help` has the rest.
            let text = e.render().to_string();
            let summary: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("{}", summary.join(" "));
            return std::process::ExitCode::from(2);
        }
    };
    let raw_args: Vec<String> = std::env::args().skip(1).collect();
    match bureau::cli::run(cli, &raw_args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
