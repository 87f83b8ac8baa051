//! Task operations that touch more than one record at once.

use super::records::{hydrate_for_edit, kind_map_mut, write_edit};
use super::{Result, Store};
use crate::model::{Record, Stamp, Task, TaskStatus};

impl Store {
    /// Changes a task's status (and blocked reason). Completing a recurring
    /// task also creates its next occurrence, in the same commit. Returns the
    /// id of that next occurrence, if any.
    pub fn set_task_status(
        &self,
        id: &str,
        status: TaskStatus,
        reason: Option<String>,
    ) -> Result<Option<String>> {
        self.change(
            Task::AREA,
            &format!("set status {status} task {id}"),
            |tx, audit| {
                let map = kind_map_mut(tx, Task::KIND)?;
                let (obj, mut task) = hydrate_for_edit::<Task>(tx, &map, id)?;
                let before = task.clone();
                let next = task.set_status(status, reason, audit.at);
                task.validate()?;
                write_edit(tx, &obj, &before, task, audit)?;
                let Some(mut next) = next else {
                    return Ok(None);
                };
                next.created_at = Stamp::default();
                next.touch(audit, true);
                next.validate()?;
                autosurgeon::reconcile_prop(tx, &map, next.id.as_str(), &next)?;
                Ok(Some(next.id))
            },
        )
    }
}
