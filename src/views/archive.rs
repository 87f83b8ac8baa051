//! The Tasks area's past years (the yearly archive), read while the app
//! shows them: each archived year on this device, with its tasks, and the
//! years not fetched yet.

use std::sync::Arc;

use crate::model::{Area, Date, Task};
use crate::store::{ArchivedTask, Result, Store};

/// Past years' tasks as the app shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArchiveView {
    /// Each archived year, and whether it is on this device yet.
    pub years: Vec<(i32, bool)>,
    /// Every archived task of the years here, newest year first.
    pub tasks: Arc<Vec<ArchivedTask>>,
    /// The last archive's cut-off: tasks finished before it were moved.
    pub before: Option<Date>,
}

impl ArchiveView {
    /// What decides whether the view must be read again: the years and
    /// which of them are here.
    pub fn key(store: &Store) -> Result<Vec<(i32, bool)>> {
        Ok(store
            .archives()?
            .into_iter()
            .filter(|a| a.area == Area::Tasks)
            .flat_map(|a| a.years.into_iter())
            .collect())
    }

    /// Reads every archived year on this device.
    pub fn read(store: &Store) -> Result<ArchiveView> {
        let archives = store.archives()?;
        let tasks_area = archives.iter().find(|a| a.area == Area::Tasks);
        let years: Vec<(i32, bool)> = tasks_area
            .map(|a| a.years.iter().rev().map(|(y, here)| (*y, *here)).collect())
            .unwrap_or_default();
        let mut tasks = Vec::new();
        for (year, here) in &years {
            if *here {
                let listing = store.archived::<Task>(*year)?;
                tasks.extend(
                    listing
                        .records
                        .into_iter()
                        .map(|task| ArchivedTask { year: *year, task }),
                );
            }
        }
        // Newest finished first, as a person looks back.
        tasks.sort_by_key(|t| std::cmp::Reverse(t.task.completed_at));
        Ok(ArchiveView {
            years,
            tasks: Arc::new(tasks),
            before: tasks_area
                .and_then(|a| a.rotations.last())
                .map(|r| r.before),
        })
    }
}
