//! The engine's part for history, reminders and rules: the open record's
//! history kept current, rules fired once a minute, and new reminders
//! shown as desktop notifications (once per member, whichever of their
//! devices gets there first).

use std::sync::Arc;
use std::time::Duration;

use super::engine::Engine;
use crate::store::Store;

impl Engine {
    /// Runs the rules when the minute changed since they last ran (and a
    /// workspace is open). Firings are new changes: the views pick them up.
    pub(super) fn run_rules_each_minute(&mut self, store: &Store) {
        let minute = self.vm.now.millis().div_euclid(60_000);
        if self.rules_minute == Some(minute) {
            return;
        }
        self.rules_minute = Some(minute);
        let Some(session) = self.session.as_mut() else {
            return;
        };
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
    }

    /// Shows each new unread reminder once as a desktop notification and
    /// records that it was (so the member's other devices do not).
    pub(super) fn notify_new_reminders(&mut self, store: &Store) {
        if let Some(session) = self.session.as_ref() {
            crate::minder::deliver(session, store, &self.vm.inbox, self.desktop_notifications);
        }
    }

    /// Keeps the open record's history current: read again when its
    /// document's heads moved.
    pub(super) fn keep_history(&mut self, store: &Store) {
        let Some((kind, id)) = self.history_of.clone() else {
            self.vm.history = None;
            return;
        };
        let Some(area) = crate::store::ALL_KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, a)| *a)
        else {
            self.vm.history = None;
            return;
        };
        let heads = store
            .read(area, |doc| Ok(doc.get_heads()))
            .unwrap_or_default();
        let fresh = self
            .vm
            .history
            .as_ref()
            .is_some_and(|h| h.kind == kind && h.id == id && h.heads == heads);
        if fresh {
            return;
        }
        let entries = match crate::ops::history::history(store, &kind, &id) {
            Ok(entries) => entries,
            Err(e) => {
                tracing::warn!("reading the history of {kind} {id}: {e}");
                Vec::new()
            }
        };
        self.vm.history = Some(Arc::new(crate::views::RecordHistory {
            entries,
            kind,
            id,
            heads,
        }));
    }

    /// How long until the next minute starts (rules and reminders).
    pub(super) fn next_minute_in(&self) -> Duration {
        let ms = chrono::Utc::now().timestamp_millis().rem_euclid(60_000);
        Duration::from_millis((60_000 - ms) as u64)
    }
}
