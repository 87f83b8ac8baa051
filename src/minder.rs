//! Rules and reminders on an always-on office peer (`bureau serve`): once a
//! minute the rules are run and this device's member's new reminders are
//! shown (a desktop notification where the machine has a desktop, the log
//! always). The app does the same in its backend (`ui::engine_inbox`);
//! both deliver through [`deliver`].

use std::sync::Arc;
use std::time::Duration;

use crate::ops::Session;
use crate::store::{Mark, Store};
use crate::sync::Node;
use crate::views::{ViewModel, Views};

/// Desktop notifications shown at once at most; more are summed up in one.
const NOTIFY_AT_ONCE: usize = 3;

/// Shows each unread reminder no device of this member has notified yet
/// (a few one by one, the rest summed up in one notification), and
/// records them as notified in one change (so the member's other devices
/// do not show them again).
pub fn deliver(
    session: &Session,
    store: &Store,
    inbox: &crate::views::reminders::InboxView,
    desktop: bool,
) {
    let fresh: Vec<&crate::views::reminders::Reminder> =
        inbox.to_notify().map(|e| &e.reminder).collect();
    if fresh.is_empty() {
        return;
    }
    for r in fresh.iter().take(NOTIFY_AT_ONCE) {
        tracing::info!("reminder: {} ({})", r.title, r.detail);
        if desktop {
            crate::notifications::show(&r.title, &r.detail);
        }
    }
    if fresh.len() > NOTIFY_AT_ONCE {
        let more = fresh.len() - NOTIFY_AT_ONCE;
        tracing::info!("and {more} more reminder(s)");
        if desktop {
            crate::notifications::show(
                &format!("{more} more reminder(s)"),
                "Open Bureau's Inbox to see them all.",
            );
        }
    }
    let keys: Vec<&str> = fresh.iter().map(|r| r.key.as_str()).collect();
    if let Err(e) = session.mark_reminders(store, &keys, Mark::Notified) {
        tracing::warn!("recording reminders as notified: {e}");
    }
}

/// One minute's work: fire due rules, then deliver new reminders.
fn tick(session: &mut Session, store: &Store, views: &mut Views, vm: &mut ViewModel) {
    match session.run_rules(store) {
        Ok(fired) => {
            for f in fired {
                tracing::info!(
                    "rule “{}” fired for {}: {}",
                    f.rule_name,
                    f.record_name,
                    f.did
                );
            }
        }
        Err(e) => tracing::warn!("running the rules: {e}"),
    }
    vm.today = crate::model::Date(chrono::Local::now().date_naive());
    vm.now = crate::model::Stamp::now();
    // The first refresh reads the core; the rest follow on the next ones.
    for _ in 0..3 {
        if let Err(e) = views.refresh(store, vm) {
            tracing::warn!("reading the workspace for reminders: {e}");
            return;
        }
        if !views.loading() {
            break;
        }
    }
    deliver(session, store, &vm.inbox, true);
}

/// Runs [`tick`] every minute on a thread of its own until the node stops.
pub fn spawn(node: &Arc<Node>) -> Option<std::thread::JoinHandle<()>> {
    let node = Arc::downgrade(node);
    std::thread::Builder::new()
        .name("bureau-minder".into())
        .spawn(move || {
            let mut state: Option<(Session, Views, ViewModel)> = None;
            loop {
                let Some(node) = node.upgrade() else { return };
                let store = node.store().clone();
                if state.is_none() {
                    match Session::open_with(&store, Some(node.access())) {
                        Ok(session) => state = Some((session, Views::new(), ViewModel::default())),
                        Err(e) => tracing::warn!("rules and reminders are off: {e}"),
                    }
                }
                if let Some((session, views, vm)) = state.as_mut() {
                    tick(session, &store, views, vm);
                }
                drop((node, store));
                let ms = chrono::Utc::now().timestamp_millis().rem_euclid(60_000);
                std::thread::park_timeout(Duration::from_millis((60_000 - ms) as u64));
            }
        })
        .ok()
}
