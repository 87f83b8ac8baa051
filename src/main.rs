//! The `bureau` binary: sets up logging and hands the command line to the library.

use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// What is logged unless `BUREAU_LOG` or `RUST_LOG` says otherwise: other
/// crates' errors, except conditions that are normal for an offline-first
/// app (a relay or a peer that cannot be reached). One-shot commands say
/// what matters themselves; `serve`, which runs unattended, also logs
/// Bureau's own warnings (damaged files, refused peers).
const DEFAULT_LOG: &str = "error,iroh::socket::transports::relay=off,samod::io_loop=off";
const DEFAULT_SERVE_LOG: &str =
    "error,bureau=warn,iroh::socket::transports::relay=off,samod::io_loop=off";

fn main() -> std::process::ExitCode {
    let parsed = bureau::cli::Cli::try_parse();
    let default = match &parsed {
        Ok(cli) if matches!(cli.command, Some(bureau::cli::Command::Serve)) => DEFAULT_SERVE_LOG,
        _ => DEFAULT_LOG,
    };
    let filter = EnvFilter::try_from_env("BUREAU_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let cli = match parsed {
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
