//! Docs: SOPs, policies and guides. The list shows what is due for
//! review; a document opens as a page with its text rendered (Read), a box
//! everyone can type in at once (Edit), every version with who and when,
//! two compared line by line and one put back (History), and its fields
//! (Details). The text is loaded only while the page is open.

use super::areas::{Card, Jump};
use super::backend::{Command, ViewModel};
use super::co_text::{CoTextBox, TextDraft, co_edit};
use super::fields::{FieldErrors, FormContext, details_form, quick_add};
use super::record_table::{TableState, record_table};
use crate::model::schema::{Described, FieldSpec};

/// Unchanged lines shown around each change when comparing versions.
const CONTEXT: usize = 2;

/// Lines a version added, in the comparison.
const ADDED_COLOR: egui::Color32 = egui::Color32::from_rgb(40, 140, 60);
use crate::model::{Doc, Record};
use crate::ops::{Op, TextChange};
use crate::views::docs::{BodyView, DiffRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    #[default]
    All,
    ReviewDue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageTab {
    #[default]
    Read,
    Edit,
    History,
    Details,
}

#[derive(Default)]
pub struct DocsState {
    pub show: Show,
    table: TableState,
    search: String,
    /// The open document, and the one the backend was last told of.
    pub open: Option<String>,
    told: Option<String>,
    pub tab: PageTab,
    new_doc: Vec<(String, String)>,
    body: Option<TextDraft>,
    /// Versions compared in History (numbers, oldest is 1), and the pair
    /// last asked of the backend.
    compare: (usize, usize),
    asked: (usize, usize),
    markdown: egui_commonmark::CommonMarkCache,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
    restore: super::confirm::Pending,
}

impl DocsState {
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice
            && kind == Doc::KIND
        {
            self.new_doc.clear();
        }
    }

    /// Opens a document's page (its text is asked of the backend on the
    /// next frame).
    pub fn open(&mut self, id: String) {
        self.open = Some(id);
        self.tab = PageTab::Read;
        self.compare = (0, 0);
        self.asked = (0, 0);
    }

    fn close(&mut self) {
        self.open = None;
    }
}

pub fn show(ui: &mut egui::Ui, state: &mut DocsState, vm: &ViewModel, commands: &mut Vec<Command>) {
    // The backend loads the text of the open document, and only that one.
    if state.told != state.open {
        state.told.clone_from(&state.open);
        commands.push(Command::OpenDoc {
            doc: state.open.clone(),
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(id) = state.open.clone() {
            match vm.docs.doc(&id).cloned() {
                Some(doc) => page(ui, state, vm, &doc, commands),
                None => state.close(),
            }
            return;
        }
        list(ui, state, vm, commands);
    });
}

fn list(ui: &mut egui::Ui, state: &mut DocsState, vm: &ViewModel, commands: &mut Vec<Command>) {
    let due = vm.docs.review_due(vm.today);
    ui.horizontal(|ui| {
        ui.heading("Docs");
        ui.separator();
        ui.selectable_value(
            &mut state.show,
            Show::All,
            format!("All ({})", vm.docs.docs.len()),
        );
        ui.selectable_value(
            &mut state.show,
            Show::ReviewDue,
            format!("Review due ({})", due.len()),
        );
        ui.separator();
        let label = ui.label("Search");
        ui.add(egui::TextEdit::singleline(&mut state.search).desired_width(180.0))
            .labelled_by(label.id);
    });
    ui.separator();
    quick_add(
        ui,
        &mut state.new_doc,
        &[
            ("title", "Title", "Fire safety SOP", 200.0),
            ("category", "Category", "sop, policy, guide", 110.0),
            ("owner", "Owner", "Ana", 100.0),
        ],
        (Doc::KIND, "Add document"),
        commands,
    );
    ui.separator();
    let query = state.search.trim().to_lowercase();
    let rows: Vec<_> = match state.show {
        Show::All => vm.docs.docs.iter().collect(),
        Show::ReviewDue => due,
    }
    .into_iter()
    .filter(|d| query.is_empty() || d.title.to_lowercase().contains(&query))
    .cloned()
    .collect();
    if rows.is_empty() {
        ui.weak(match state.show {
            Show::ReviewDue => "Nothing is due for review.",
            Show::All if !query.is_empty() => "No document matches.",
            Show::All => "No documents yet: add one above.",
        });
        return;
    }
    let today = vm.today;
    let display = |d: &Doc, spec: &FieldSpec| match spec.key {
        "category" => d.category.title().to_string(),
        key => d.field_text(key).unwrap_or_default(),
    };
    let paint = |ui: &mut egui::Ui, d: &Doc, spec: &FieldSpec| {
        (spec.key == "review_date" && d.review_due(today)).then(|| {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{} (due)",
                        d.field_text("review_date").unwrap_or_default()
                    ))
                    .color(super::ERROR_COLOR),
                )
                .sense(egui::Sense::click()),
            )
        })
    };
    let key = std::sync::Arc::as_ptr(&vm.docs.docs) as usize
        + state.show as usize
        + query.len() * 7919
        + rows.len();
    let mut selected = None;
    record_table(
        ui,
        &mut state.table,
        &rows,
        key,
        &mut selected,
        &display,
        &paint,
    );
    if let Some(id) = selected {
        state.open(id);
    }
}

fn page(
    ui: &mut egui::Ui,
    state: &mut DocsState,
    vm: &ViewModel,
    doc: &Doc,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading(&doc.title);
        ui.weak(doc.category.title());
        if ui.button("Close").clicked() {
            state.close();
        }
    });
    ui.horizontal_wrapped(|ui| {
        if let Some(owner) = &doc.owner {
            ui.label(format!("Owner: {owner}"));
        }
        match doc.review_date {
            Some(date) if doc.review_due(vm.today) => {
                ui.colored_label(super::ERROR_COLOR, format!("Review due since {date}"));
            }
            Some(date) => {
                ui.label(format!("Next review {date}"));
            }
            None => {
                ui.weak("No review cycle");
            }
        }
        if doc.review_months.is_some() && ui.button("Mark reviewed today").clicked() {
            commands.push(Command::Op(Op::set(
                Doc::KIND,
                &doc.id,
                "last_reviewed",
                "today",
            )));
        }
        if let (Some(at), Some(by)) = (doc.body_edited_at, &doc.body_edited_by) {
            ui.weak(format!(
                "Text edited {} by {by}",
                at.0.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
            ));
        }
    });
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.tab, PageTab::Read, "Read");
        ui.selectable_value(&mut state.tab, PageTab::Edit, "Edit");
        ui.selectable_value(&mut state.tab, PageTab::History, "History");
        ui.selectable_value(&mut state.tab, PageTab::Details, "Details");
    });
    ui.separator();
    if state.tab == PageTab::Details {
        let references = super::purchasing::references(vm);
        let cx = FormContext::of(vm, &references);
        details_form(ui, doc, &cx, &mut state.errors, commands);
        ui.separator();
        let question = format!(
            "Move “{}” to the Trash? You can restore it from Trash.",
            doc.title
        );
        if state.confirm.trash(
            ui,
            Doc::KIND,
            &doc.id,
            "Delete document",
            &question,
            commands,
        ) {
            state.close();
        }
        return;
    }
    let body = vm.body.as_ref().filter(|b| b.doc == doc.id);
    let Some(body) = body else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Opening the text…");
        });
        return;
    };
    if let Some(why) = &body.unavailable {
        ui.colored_label(super::ERROR_COLOR, why);
        return;
    }
    match state.tab {
        PageTab::Read => {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    if body.text.trim().is_empty() {
                        ui.weak("No text yet: write it under Edit.");
                    }
                    egui_commonmark::CommonMarkViewer::new().show(
                        ui,
                        &mut state.markdown,
                        &body.text,
                    );
                });
        }
        PageTab::Edit => {
            ui.weak("Markdown. Everyone can edit at once, online or not: both keep their words.");
            let look = CoTextBox {
                label: "Text",
                hint: "# Title\n\nSteps, one per line…",
                rows: 24,
                monospace: true,
            };
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    for (id, before, after) in
                        co_edit(ui, &mut state.body, &doc.id, &body.text, &look)
                    {
                        commands.push(Command::Op(Op::EditText {
                            kind: Doc::KIND.into(),
                            id,
                            field: "body".into(),
                            change: TextChange::Replace { before, after },
                        }));
                    }
                });
        }
        PageTab::History => history(ui, state, vm, doc, body, commands),
        PageTab::Details => {}
    }
}

fn history(
    ui: &mut egui::Ui,
    state: &mut DocsState,
    vm: &ViewModel,
    doc: &Doc,
    body: &BodyView,
    commands: &mut Vec<Command>,
) {
    let n = body.versions.len();
    if n < 2 {
        ui.weak(match body.versions.first() {
            Some(v) => format!(
                "One version so far, written {}. Each change made here or by a teammate adds one.",
                v.at.0
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
            ),
            None => "No versions yet.".to_string(),
        });
        return;
    }
    // By default: the one before the latest against the latest.
    if state.compare.1 == 0 || state.compare.1 > n || state.compare.0 > n {
        state.compare = (n.saturating_sub(1).max(1), n);
    }
    let name_of = |member: &str| {
        vm.members
            .iter()
            .find(|m| m.member_id == member)
            .map_or_else(|| member.chars().take(8).collect(), |m| m.name.clone())
    };
    ui.label("Pick two versions to compare: the older under “From”, the newer under “To”.");
    egui::ScrollArea::vertical()
        .id_salt("doc versions")
        .max_height(ui.available_height() * 0.4)
        .show(ui, |ui| {
            egui::Grid::new("doc versions grid")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("#");
                    ui.strong("When");
                    ui.strong("Who");
                    ui.strong("From");
                    ui.strong("To");
                    ui.end_row();
                    for (i, v) in body.versions.iter().enumerate().rev() {
                        let number = i + 1;
                        ui.label(number.to_string());
                        ui.label(
                            v.at.0
                                .with_timezone(&chrono::Local)
                                .format("%Y-%m-%d %H:%M")
                                .to_string(),
                        );
                        ui.label(format!(
                            "{} ({})",
                            name_of(&v.member_id),
                            v.device.chars().take(8).collect::<String>()
                        ));
                        ui.radio_value(&mut state.compare.0, number, "")
                            .on_hover_text(format!("Compare from version {number}"));
                        ui.radio_value(&mut state.compare.1, number, "")
                            .on_hover_text(format!("Compare to version {number}"));
                        ui.end_row();
                    }
                });
        });
    let (from, to) = state.compare;
    ui.separator();
    let Some(old) = body.versions.get(from.saturating_sub(1)) else {
        return;
    };
    if state.asked != (from, to) {
        state.asked = (from, to);
        commands.push(Command::CompareVersions { from, to });
    }
    ui.horizontal(|ui| {
        ui.strong(format!("From version {from} to version {to}"));
        let question = format!(
            "Put the text back as it was in version {from}? It becomes a new change, which you can undo."
        );
        if from < n
            && state
                .restore
                .button(ui, &old.hash, &format!("Restore version {from}"), &question)
        {
            commands.push(Command::Op(Op::RestoreDocVersion {
                doc: doc.id.clone(),
                version: old.hash.clone(),
            }));
        }
    });
    diff_view(ui, body, (from, to));
}

/// The lines that differ between two versions, coloured.
fn diff_view(ui: &mut egui::Ui, body: &BodyView, compared: (usize, usize)) {
    let Some(diff) = body.diff.as_ref().filter(|d| d.compared == compared) else {
        ui.weak("Comparing…");
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("doc diff")
        .auto_shrink(false)
        .show(ui, |ui| {
            if diff.is_same() {
                ui.weak("The two versions read the same.");
                return;
            }
            for row in diff.folded(CONTEXT) {
                match row {
                    DiffRow::Same(n) => {
                        ui.weak(format!("… {n} lines the same …"));
                    }
                    DiffRow::Line(tag, line) => {
                        let text = egui::RichText::new(format!("{tag} {line}")).monospace();
                        match tag {
                            '+' => ui.colored_label(ADDED_COLOR, text),
                            '-' => ui.colored_label(super::ERROR_COLOR, text),
                            _ => ui.label(text.weak()),
                        };
                    }
                }
            }
        });
}

pub fn entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.docs
        .docs
        .iter()
        .map(|d| (format!("Doc: {}", d.title), Jump::Doc(d.id.clone())))
        .collect()
}

/// The dashboard card: documents due for review, most overdue first.
pub fn cards(vm: &ViewModel) -> Vec<Card> {
    let due = vm.docs.review_due(vm.today);
    if due.is_empty() {
        return Vec::new();
    }
    vec![Card {
        title: format!("Review overdue: {}", due.len()),
        lines: due
            .iter()
            .take(8)
            .map(|d| {
                (
                    format!(
                        "{} ({}) — due {}",
                        d.title,
                        d.owner.as_deref().unwrap_or("no owner"),
                        d.review_date.map(|r| r.to_string()).unwrap_or_default()
                    ),
                    Jump::Doc(d.id.clone()),
                )
            })
            .collect(),
        more: due.len().saturating_sub(8),
        open: ("Open documents due for review", Jump::DocsReviewDue),
    }]
}
