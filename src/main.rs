//! The `bureau` binary: sets up logging and hands the command line to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BUREAU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error,samod::io_loop=off")),
        )
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
