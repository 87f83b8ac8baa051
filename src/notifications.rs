//! Desktop notifications for reminders (notify-rust: the freedesktop
//! notification service on Linux, the system's on macOS and Windows).
//! Shown from a thread of its own: the call may wait on the desktop's
//! notification service, and must never block the backend. A desktop
//! without one (a headless office peer) is expected: said at debug level.

/// Shows one notification; never waits, never fails loudly.
pub fn show(summary: &str, body: &str) {
    let (summary, body) = (summary.to_string(), body.to_string());
    let spawned = std::thread::Builder::new()
        .name("bureau-notify".into())
        .spawn(move || {
            let shown = notify_rust::Notification::new()
                .appname("Bureau")
                .summary(&summary)
                .body(&body)
                .show();
            if let Err(e) = shown {
                tracing::debug!("no desktop notification ({e}): {summary}");
            }
        });
    if let Err(e) = spawned {
        tracing::debug!("no desktop notification: {e}");
    }
}
