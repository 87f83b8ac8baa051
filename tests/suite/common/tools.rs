//! Programs some tests drive (a PDF renderer, a headless browser). On a
//! developer's machine a missing one skips that check with a note; CI
//! (`.ci/run` sets `BUREAU_REQUIRE_TOOLS=1` and installs them) fails
//! instead, so a check never passes there by being skipped.

use std::path::Path;

/// `path` if the program is installed; `None` (with a note) if not.
pub fn tool(path: &'static str) -> Option<&'static Path> {
    let found = Path::new(path);
    if found.exists() {
        return Some(found);
    }
    assert!(
        std::env::var_os("BUREAU_REQUIRE_TOOLS").is_none(),
        "{path} is required here (install it: see .ci/run)"
    );
    eprintln!("note: {path} is not installed; that check is skipped");
    None
}

/// Opens `page` in headless Chromium and returns every request the page
/// made to something other than a local file (the browser's own
/// background traffic, which has no page as its initiator, is left out),
/// with the page as Chromium read it.
pub fn browse(chromium: &Path, page: &Path, scratch: &Path) -> (Vec<String>, String) {
    let netlog = scratch.join("net.json");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join("profile").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&netlog).expect("net log")).expect("net log json");
    let mut requests: Vec<String> = log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| {
            let params = e.get("params")?;
            let url = params.get("url")?.as_str()?;
            let initiator = params.get("initiator")?.as_str()?;
            (initiator != "not an origin" && !url.starts_with("file:")).then(|| url.to_string())
        })
        .collect();
    requests.sort();
    requests.dedup();
    (requests, String::from_utf8_lossy(&out.stdout).into_owned())
}
