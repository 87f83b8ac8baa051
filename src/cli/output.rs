//! Plain-text tables and JSON for command output, and where output goes:
//! normally the process's stdout/stderr; when a running node executes a
//! command for another CLI process, a per-thread capture sent back to it.

use std::cell::RefCell;
use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};

thread_local! {
    static CAPTURE: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Writes to stdout, or to this thread's capture.
pub fn write_out(text: &str) {
    let captured = CAPTURE.with(|c| match &mut *c.borrow_mut() {
        Some((out, _)) => {
            out.push_str(text);
            true
        }
        None => false,
    });
    if !captured {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }
}

/// Writes to stderr, or to this thread's capture.
pub fn write_err(text: &str) {
    let captured = CAPTURE.with(|c| match &mut *c.borrow_mut() {
        Some((_, err)) => {
            err.push_str(text);
            true
        }
        None => false,
    });
    if !captured {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// Runs `f` with this thread's output captured; returns (result, stdout, stderr).
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, String, String) {
    CAPTURE.with(|c| *c.borrow_mut() = Some((String::new(), String::new())));
    let result = f();
    let (out, err) = CAPTURE.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (result, out, err)
}

/// `println!` for command output (captured when run inside a node).
macro_rules! say {
    () => {
        $crate::cli::output::write_out("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say;

/// `eprintln!` for command notes (captured when run inside a node).
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::cli::output::write_err(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use note;

/// A borderless table with a header row, sized to the terminal when there is one.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    table
}

/// Prints pretty JSON followed by a newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    say!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn opt(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// Prints what an operation says ("Undid: …", "Next occurrence created").
pub(super) fn report_outcome(outcome: &crate::ops::Outcome) -> anyhow::Result<()> {
    if let Some(message) = &outcome.message {
        note!("{message}");
    }
    Ok(())
}

/// Warns about records this version could not read (they are skipped).
pub(super) fn report_unreadable(unreadable: &[crate::store::Unreadable]) {
    if let Some(summary) = crate::store::Unreadable::summary(unreadable) {
        note!("warning: {summary}");
    }
}

/// Damaged files set aside this run, and what is still hidden because of
/// them (said after every command until a peer repairs it).
pub(super) fn report_quarantine(store: &crate::store::Store) {
    for q in store.quarantined() {
        note!(
            "warning: damaged file {} was moved to {} ({})",
            q.original.display(),
            q.moved_to.display(),
            q.reason
        );
    }
    for damage in store.damage() {
        note!("warning: {}", damage.describe());
    }
}
