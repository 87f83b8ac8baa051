//! The engine's part for history, reminders and rules: the open record's
//! history kept current, rules fired once a minute, and new reminders
//! shown as desktop notifications (once per member, whichever of their
//! devices gets there first).

use std::sync::Arc;

use automerge::ReadDoc;
use std::time::Duration;

use super::engine::Engine;
use crate::store::Store;

impl Engine {
    /// Runs the rules when the minute changed since they last ran (and a
    /// workspace is open). Returns whether any fired (their changes are
    /// for the views to pick up).
    pub(super) fn run_rules_each_minute(&mut self, store: &Store) -> bool {
        let minute = self.vm.now.millis().div_euclid(60_000);
        if self.rules_minute == Some(minute) {
            return false;
        }
        self.rules_minute = Some(minute);
        let Some(session) = self.session.as_mut() else {
            return false;
        };
        match session.run_rules(store) {
            Ok(fired) => {
                for f in &fired {
                    tracing::info!(
                        "rule “{}” fired for {}: {}",
                        f.rule_name,
                        f.record_name,
                        f.did
                    );
                }
                !fired.is_empty()
            }
            Err(e) => {
                tracing::warn!("running the rules: {e}");
                false
            }
        }
    }

    /// After a refresh: the rules, once the workspace is read (never before
    /// the first frame with data; what they write is shown at once), then
    /// reminders no device of this member has shown yet (marking them
    /// changes the root document: the next refresh sees them shown).
    pub(super) fn rules_and_reminders(&mut self, store: &Store) {
        if !self.views.loading()
            && self.run_rules_each_minute(store)
            && let Err(e) = self.views.refresh(store, &mut self.vm)
        {
            tracing::warn!("refreshing the views: {e}");
        }
        self.notify_new_reminders(store);
    }

    /// Marks one of this member's reminders (read, unread, snoozed).
    pub(super) fn mark_reminder(
        &mut self,
        key: &str,
        mark: crate::store::Mark,
    ) -> Result<(), String> {
        let store = self.store()?.clone();
        let session = self.session.as_ref().ok_or("no workspace is open")?;
        session
            .mark_reminder(&store, key, mark)
            .map_err(|e| e.to_string())
    }

    /// Shows each new unread reminder once as a desktop notification and
    /// records that it was (so the member's other devices do not).
    pub(super) fn notify_new_reminders(&mut self, store: &Store) {
        if let Some(session) = self.session.as_ref() {
            crate::minder::deliver(session, store, &self.vm.inbox, self.desktop_notifications);
        }
    }

    /// Keeps the open record's history current: when its document's heads
    /// moved, only the new changes are read (the first reading decodes the
    /// record's whole history: 0.4 s for a task of the L office).
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
        let shown = self
            .vm
            .history
            .clone()
            .filter(|h| h.kind == kind && h.id == id)
            // After a yearly archive the area is in another document:
            // read the history there from the start.
            .filter(|h| {
                store
                    .read(area, |doc| {
                        Ok(h.heads.iter().all(|x| doc.get_change_by_hash(x).is_some()))
                    })
                    .unwrap_or(false)
            });
        if shown.as_ref().is_some_and(|h| h.heads == heads) {
            return;
        }
        let since = shown.as_ref().map(|h| h.heads.clone());
        match crate::ops::history::history_since(store, &kind, &id, since.as_deref()) {
            Ok((new, heads)) => {
                let mut entries = shown.map(|h| h.entries.clone()).unwrap_or_default();
                entries.extend(new);
                self.vm.history = Some(Arc::new(crate::views::RecordHistory {
                    entries,
                    kind,
                    id,
                    heads,
                }));
            }
            Err(e) => tracing::warn!("reading the history of {kind} {id}: {e}"),
        }
    }

    /// How long until the next minute starts (rules and reminders).
    pub(super) fn next_minute_in(&self) -> Duration {
        let ms = chrono::Utc::now().timestamp_millis().rem_euclid(60_000);
        Duration::from_millis((60_000 - ms) as u64)
    }
}
