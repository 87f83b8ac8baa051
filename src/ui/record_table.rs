//! A virtualised, sortable record table derived from a kind's description:
//! one column per field marked `column`, click a header to sort, click a
//! row to select it. Only the visible rows are laid out, and the sorted
//! order is kept until the rows or the sort change, so a frame costs the
//! same with ten tasks or ten thousand.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use crate::model::schema::{Described, FieldKind, FieldSpec};

/// A field key and whether descending.
pub type Sort = Option<(&'static str, bool)>;

/// Sort and the cached row order of one table.
#[derive(Default)]
pub struct TableState {
    pub sort: Sort,
    /// (identity of the rows, their number, sort) of the cached order.
    cached_for: Option<(usize, usize, Sort)>,
    order: Vec<usize>,
}

impl TableState {
    pub fn sorted_by(key: &'static str) -> Self {
        TableState {
            sort: Some((key, false)),
            ..Default::default()
        }
    }
}

/// How one cell is drawn; `None` draws the field's text.
pub type CellPainter<'a, R> = &'a dyn Fn(&mut egui::Ui, &R, &FieldSpec) -> Option<egui::Response>;

/// Draws the table. `rows` identity (`rows_key`) must change whenever the
/// rows change (e.g. the address of the view model's list plus the filter).
/// Shows `display` for cells (e.g. a project's name for its id). A row
/// clicked becomes `selected`.
pub fn record_table<R: Described>(
    ui: &mut egui::Ui,
    state: &mut TableState,
    rows: &[Arc<R>],
    rows_key: usize,
    selected: &mut Option<String>,
    display: &dyn Fn(&R, &FieldSpec) -> String,
    paint: CellPainter<'_, R>,
) {
    let columns: Vec<&'static FieldSpec> = R::fields().iter().filter(|f| f.column).collect();
    let key = (rows_key, rows.len(), state.sort);
    if state.cached_for != Some(key) {
        state.order = (0..rows.len()).collect();
        if let Some((field, descending)) = state.sort
            && let Some(spec) = columns.iter().find(|c| c.key == field)
        {
            let keys: Vec<SortKey> = rows.iter().map(|r| sort_key(&**r, spec, display)).collect();
            state.order.sort_by(|a, b| {
                let order = keys[*a].cmp(&keys[*b]);
                if descending { order.reverse() } else { order }
            });
        }
        state.cached_for = Some(key);
    }
    let mut clicked = None;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::remainder().at_least(140.0).clip(true));
    for spec in columns.iter().skip(1) {
        // Names of things get room; short values size to their content.
        let column = match spec.kind {
            FieldKind::Reference(_) | FieldKind::Text => Column::initial(180.0).at_least(90.0),
            FieldKind::Person | FieldKind::People => Column::initial(130.0).at_least(80.0),
            FieldKind::Time => Column::initial(120.0).at_least(115.0),
            _ => Column::auto().at_least(80.0),
        };
        table = table.column(column.clip(true).resizable(true));
    }
    table
        .header(24.0, |mut header| {
            for spec in &columns {
                header.col(|ui| {
                    let arrow = match state.sort {
                        Some((k, false)) if k == spec.key => " ^",
                        Some((k, true)) if k == spec.key => " v",
                        _ => "",
                    };
                    if ui.button(format!("{}{arrow}", spec.label)).clicked() {
                        state.sort = match state.sort {
                            Some((k, d)) if k == spec.key => Some((k, !d)),
                            _ => Some((spec.key, false)),
                        };
                    }
                });
            }
        })
        .body(|body| {
            body.rows(24.0, state.order.len(), |mut row| {
                let record = &rows[state.order[row.index()]];
                row.set_selected(selected.as_deref() == Some(record.id()));
                let mut open = false;
                for (i, spec) in columns.iter().enumerate() {
                    row.col(|ui| {
                        if let Some(response) = paint(ui, record, spec) {
                            open |= response.clicked();
                        } else if i == 0 {
                            let text = display(record, spec);
                            // A label (not a frameless button) keeps the baseline of the
                            // other columns.
                            let link = egui::Label::new(text).sense(egui::Sense::click());
                            open |= ui.add(link).clicked();
                        } else {
                            ui.label(display(record, spec));
                        }
                    });
                }
                if open || row.response().clicked() {
                    clicked = Some(record.id().to_string());
                }
            });
        });
    if let Some(id) = clicked {
        *selected = Some(id);
    }
}

/// Empty values sort last; numbers as numbers; the rest as text.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(i64),
    Text(String),
    Empty,
}

fn sort_key<R: Described>(
    record: &R,
    spec: &FieldSpec,
    display: &dyn Fn(&R, &FieldSpec) -> String,
) -> SortKey {
    let text = display(record, spec);
    if text.is_empty() {
        return SortKey::Empty;
    }
    match spec.kind {
        FieldKind::Int => text.parse().map_or(SortKey::Text(text), SortKey::Number),
        FieldKind::Choice(names) => names
            .iter()
            .position(|n| *n == text)
            .map_or(SortKey::Text(text), |i| SortKey::Number(i as i64)),
        _ => SortKey::Text(text.to_lowercase()),
    }
}
