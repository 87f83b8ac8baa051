//! Operations over many records at once: board positions for several
//! cards, and merging a duplicate site or project into the one to keep.

use super::Outcome;
use super::apply::{Edit, changes_between, edit_record};
use super::journal::{Action, Step};
use crate::model::{Project, Record, Site, Task};
use crate::store::records::{hydrate_for_edit, kind_map_mut, write_edit};
use crate::store::{Result, Store, StoreError};

/// Gives tasks their board positions in one commit, writing only `rank`.
pub(super) fn rank_tasks(store: &Store, ranks: &[(String, String)]) -> Result<(Outcome, Action)> {
    store.change(Task::AREA, "rank tasks", |tx, audit| {
        let map = kind_map_mut(tx, Task::KIND)?;
        let mut steps = Vec::new();
        for (id, rank) in ranks {
            let (obj, task) = hydrate_for_edit::<Task>(tx, &map, id)?;
            let mut moved = task.clone();
            moved.rank = Some(rank.clone());
            let changes = changes_between(&task, &moved);
            write_edit(tx, &obj, &task, moved, audit)?;
            if !changes.is_empty() {
                steps.push(Step::Fields {
                    kind: Task::KIND.into(),
                    id: id.clone(),
                    changes,
                });
            }
        }
        Ok((
            Outcome::default(),
            Action {
                label: "Move a card on the board".into(),
                steps,
            },
        ))
    })
}

/// Merges the duplicate `from` into `into` (see [`Op::MergeInto`]).
pub(super) fn merge_into(
    store: &Store,
    kind: &str,
    from: &str,
    into: &str,
) -> Result<(Outcome, Action)> {
    if from == into {
        return Err(StoreError::Rejected(
            "pick another record to merge into".into(),
        ));
    }
    match kind {
        "projects" => {
            let kept = store.require::<Project>(into)?;
            store.change(Task::AREA, "merge projects", |tx, audit| {
                let mut steps = Vec::new();
                let map = kind_map_mut(tx, Task::KIND)?;
                let tasks = crate::store::records::read_all::<Task, _>(&*tx, true).records;
                for t in tasks.iter().filter(|t| t.project.as_deref() == Some(from)) {
                    let (obj, before) = hydrate_for_edit::<Task>(tx, &map, &t.id)?;
                    let mut after = before.clone();
                    after.project = Some(into.to_string());
                    let changes = changes_between(&before, &after);
                    write_edit(tx, &obj, &before, after, audit)?;
                    steps.push(Step::Fields {
                        kind: Task::KIND.into(),
                        id: t.id.clone(),
                        changes,
                    });
                }
                let projects = kind_map_mut(tx, Project::KIND)?;
                let (obj, before) = hydrate_for_edit::<Project>(tx, &projects, from)?;
                let mut after = before.clone();
                after.deleted_at = after.deleted_at.or(Some(audit.at));
                let changes = changes_between(&before, &after);
                write_edit(tx, &obj, &before, after, audit)?;
                steps.push(Step::Fields {
                    kind: Project::KIND.into(),
                    id: from.to_string(),
                    changes,
                });
                let moved = steps.len() - 1;
                Ok((
                    Outcome {
                        created: None,
                        message: Some(format!("{moved} task(s) moved to “{}”", kept.name)),
                    },
                    Action {
                        label: format!("Merge a project into “{}”", kept.name),
                        steps,
                    },
                ))
            })
        }
        "sites" => {
            let kept = store.require::<Site>(into)?;
            store.require::<Site>(from)?;
            let moved = store.move_all_stock(from, into)?;
            let mut steps: Vec<Step> = moved
                .iter()
                .flat_map(|(item, qty)| {
                    [
                        Step::Stock {
                            item: item.clone(),
                            site: from.to_string(),
                            delta: -qty,
                        },
                        Step::Stock {
                            item: item.clone(),
                            site: into.to_string(),
                            delta: *qty,
                        },
                    ]
                })
                .collect();
            let (_, delete) = edit_record::<Site>(store, from, Edit::TRASH, |_, s, audit, _| {
                s.deleted_at = s.deleted_at.or(Some(audit.at));
                Ok(())
            })?;
            steps.extend(delete.steps);
            Ok((
                Outcome {
                    created: None,
                    message: Some(format!(
                        "Stock of {} item(s) moved to {}",
                        moved.len(),
                        kept.name
                    )),
                },
                Action {
                    label: format!("Merge a site into {}", kept.name),
                    steps,
                },
            ))
        }
        other => Err(StoreError::Rejected(format!(
            "only sites and projects can be merged, not {other}"
        ))),
    }
}
