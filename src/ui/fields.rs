//! Field editors and the details form, derived from a kind's description.
//!
//! Editing works like Linear: a field commits on Enter or when it loses
//! focus (there is no Save button, so clicking elsewhere loses nothing), Esc
//! puts back the value the field had. Each commit sends an [`Op`] setting
//! that one field, so nothing else in the record is written. Typed text is
//! checked with the same rule the operations layer uses
//! ([`Described::set_field_text`]) and a mistake is shown next to the field,
//! saying what to type, instead of being sent.

use std::collections::BTreeMap;

use crate::model::schema::{Described, FieldContext, FieldKind, FieldSpec};
use crate::ops::{FieldInput, Op};

use super::backend::Command;

/// What the form needs besides the record: the date for relative input,
/// and the choices for reference fields (kind -> (id, name)).
pub struct FormContext<'a> {
    pub today: crate::model::Date,
    pub references: &'a BTreeMap<&'static str, Vec<(String, String)>>,
    /// Members' names, for person fields.
    pub people: &'a [String],
    /// The workspace currency, for amounts typed without one.
    pub currency: &'a str,
    /// The history the backend has loaded (shown under the form).
    pub history: Option<&'a crate::views::RecordHistory>,
}

impl<'a> FormContext<'a> {
    /// The form's context in the app: today, the workspace currency, the
    /// members' names, and `references` to pick from.
    pub fn of(
        vm: &'a crate::views::ViewModel,
        references: &'a BTreeMap<&'static str, Vec<(String, String)>>,
    ) -> Self {
        FormContext {
            today: vm.today,
            references,
            people: &vm.member_names,
            currency: &vm.currency,
            history: vm.history.as_deref(),
        }
    }
}

/// Field mistakes shown under their fields, keyed by (record id, field).
#[derive(Default)]
pub struct FieldErrors(BTreeMap<(String, &'static str), String>);

/// Draws every described field of `record` as a labelled editor.
pub fn details_form<R: Described>(
    ui: &mut egui::Ui,
    record: &R,
    cx: &FormContext<'_>,
    errors: &mut FieldErrors,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new(("details form", record.id()))
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            for spec in R::fields() {
                if spec.kind == FieldKind::LongText || spec.own_place {
                    continue;
                }
                let label = ui.label(spec.label);
                ui.vertical(|ui| {
                    field_editor::<R>(ui, record, spec, label.id, cx, errors, commands);
                });
                ui.end_row();
            }
        });
    for spec in R::fields()
        .iter()
        .filter(|s| s.kind == FieldKind::LongText && !s.own_place)
    {
        let label = ui.label(spec.label);
        field_editor::<R>(ui, record, spec, label.id, cx, errors, commands);
    }
    ui.add_space(6.0);
    super::history::section(ui, R::KIND, record.id(), cx.history, commands);
}

/// One field's editor; sends an edit of that field when it commits.
pub fn field_editor<R: Described>(
    ui: &mut egui::Ui,
    record: &R,
    spec: &'static FieldSpec,
    label: egui::Id,
    cx: &FormContext<'_>,
    errors: &mut FieldErrors,
    commands: &mut Vec<Command>,
) {
    let current = record.field_text(spec.key).unwrap_or_default();
    let key = (record.id().to_string(), spec.key);
    let mut send = |text: String, errors: &mut FieldErrors| {
        let mut probe = record.clone();
        let check = FieldContext {
            today: cx.today,
            currency: cx.currency.to_string(),
        };
        match spec.kind {
            // References are resolved (or created) by the operations layer.
            FieldKind::Reference(_) => {}
            _ => {
                if let Err(e) = probe.set_field_text(spec.key, &text, &check) {
                    errors.0.insert(key.clone(), e.message);
                    return;
                }
            }
        }
        errors.0.remove(&key);
        commands.push(Command::Op(Op::set(R::KIND, record.id(), spec.key, text)));
    };
    match spec.kind {
        FieldKind::Flag => {
            let mut on = current == "yes";
            let was = on;
            ui.checkbox(&mut on, "").labelled_by(label);
            if on != was {
                send(if on { "yes" } else { "no" }.to_string(), errors);
            }
        }
        FieldKind::Choice(names) => {
            let shown = if current.is_empty() {
                "—".to_string()
            } else if names.contains(&current.as_str()) {
                current.clone()
            } else {
                format!("{current} (newer version)")
            };
            let mut picked = None;
            egui::ComboBox::from_id_salt((record.id(), spec.key))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    if !spec.required && ui.selectable_label(current.is_empty(), "—").clicked() {
                        picked = Some(String::new());
                    }
                    for name in names {
                        if ui.selectable_label(current == *name, *name).clicked() {
                            picked = Some(name.to_string());
                        }
                    }
                })
                .response
                .labelled_by(label);
            if let Some(text) = picked.filter(|t| *t != current) {
                send(text, errors);
            }
        }
        FieldKind::Reference(kind) => {
            let options = cx.references.get(kind).map(Vec::as_slice).unwrap_or(&[]);
            let shown = options
                .iter()
                .find(|(id, _)| *id == current)
                .map_or("—", |(_, name)| name.as_str());
            let mut picked = None;
            egui::ComboBox::from_id_salt((record.id(), spec.key))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(current.is_empty(), "—").clicked() {
                        picked = Some(String::new());
                    }
                    for (id, name) in options {
                        if ui.selectable_label(current == *id, name).clicked() {
                            picked = Some(id.clone());
                        }
                    }
                })
                .response
                .labelled_by(label);
            if let Some(text) = picked.filter(|t| *t != current) {
                send(text, errors);
            }
        }
        FieldKind::Person => {
            let mut picked = None;
            let shown = if current.is_empty() {
                "—"
            } else {
                current.as_str()
            };
            egui::ComboBox::from_id_salt((record.id(), spec.key))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    picked = member_picker(ui, (record.id(), spec.key), &current, cx.people);
                })
                .response
                .labelled_by(label);
            if !current.is_empty() && !cx.people.contains(&current) {
                ui.weak("not a member");
            }
            if let Some(text) = picked.filter(|t| *t != current) {
                send(text, errors);
            }
        }
        FieldKind::Date => {
            ui.horizontal(|ui| {
                let picked = date_picker(ui, (record.id(), spec.key), &current, cx.today);
                let typed = text_field(ui, (record.id(), spec.key), &current, false, label);
                if let Some(text) = typed.or_else(|| picked.map(|d| d.to_string())) {
                    send(text, errors);
                }
            });
        }
        _ => {
            let multiline = spec.kind == FieldKind::LongText;
            if let Some(text) = text_field(ui, (record.id(), spec.key), &current, multiline, label)
            {
                send(text, errors);
            }
        }
    }
    if let Some(message) = errors.0.get(&key) {
        ui.colored_label(super::ERROR_COLOR, message);
    }
}

/// A text box showing `current` (live: a peer's edit appears at once)
/// until it gets focus; then it edits a private copy, which it returns on
/// Enter or focus loss if it differs. Esc puts the copy back.
pub fn text_field(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    current: &str,
    multiline: bool,
    label: egui::Id,
) -> Option<String> {
    let id = ui.make_persistent_id(id_salt);
    let buffer_id = id.with("buffer");
    let mut buffer: Option<String> = ui.data(|d| d.get_temp(buffer_id));
    let mut text = buffer.clone().unwrap_or_else(|| current.to_string());
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(4)
    } else {
        egui::TextEdit::singleline(&mut text)
    };
    let response = ui
        .add(edit.id(id).desired_width(f32::INFINITY))
        .labelled_by(label);
    if response.gained_focus() || (response.has_focus() && buffer.is_none()) {
        buffer = Some(current.to_string());
    }
    if response.has_focus() {
        let pass = ui.ctx().cumulative_pass_nr();
        ui.data_mut(|d| d.insert_temp(editing_id(), pass));
        if response.changed() || buffer.is_some() {
            buffer = Some(text.clone());
        }
        ui.data_mut(|d| d.insert_temp(buffer_id, buffer.clone().unwrap_or_default()));
        return None;
    }
    if response.lost_focus() {
        ui.data_mut(|d| d.remove::<String>(buffer_id));
        let escaped = ui.input(|i| i.key_pressed(egui::Key::Escape));
        if !escaped && text != current {
            return Some(text);
        }
    }
    None
}

fn editing_id() -> egui::Id {
    egui::Id::unique("bureau field being edited")
}

/// Whether a field editor had the keyboard in the previous pass: then Esc
/// and Ctrl+Z belong to it, not to the window (egui drops the focus on Esc
/// before the frame's widgets run, so asking who has focus is too late).
pub fn was_editing(ctx: &egui::Context) -> bool {
    let last: Option<u64> = ctx.data(|d| d.get_temp(editing_id()));
    last.is_some_and(|pass| pass + 1 >= ctx.cumulative_pass_nr())
}

/// A calendar button ("Pick") beside a date field: returns the day picked.
/// The field itself still takes typing (`2026-12-01`, `fri`, `+3d`, empty
/// to clear).
pub fn date_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    current: &str,
    today: crate::model::Date,
) -> Option<crate::model::Date> {
    use chrono::Datelike;
    let shown = current.parse::<crate::model::Date>().unwrap_or(today);
    let mut day = jiff::civil::Date::new(
        i16::try_from(shown.0.year()).unwrap_or(2026),
        i8::try_from(shown.0.month()).unwrap_or(1),
        i8::try_from(shown.0.day()).unwrap_or(1),
    )
    .ok()?;
    let salt = format!("date picker {id_salt:?}");
    let response = ui.add(
        egui_extras::DatePickerButton::new(&mut day)
            .id_salt(&salt)
            .format("Pick")
            .show_icon(false)
            .calendar_week(false)
            // Its year/month/day combo boxes have no accessible names;
            // the arrows and the calendar do the same job.
            .combo_boxes(false),
    );
    if !response.changed() {
        return None;
    }
    crate::model::Date::new(
        i32::from(day.year()),
        u32::try_from(day.month()).ok()?,
        u32::try_from(day.day()).ok()?,
    )
}

/// The inside of a member picker: typing narrows the list ("type-ahead"),
/// Enter takes the first match. Returns the name picked ("" for nobody).
fn member_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    current: &str,
    people: &[String],
) -> Option<String> {
    let find_id = ui.make_persistent_id(("find member", id_salt));
    let mut find: String = ui.data(|d| d.get_temp(find_id)).unwrap_or_default();
    let label = ui.label("Find a member");
    let edit = ui
        .add(egui::TextEdit::singleline(&mut find).hint_text("type a name"))
        .labelled_by(label.id);
    if !edit.has_focus() && find.is_empty() {
        edit.request_focus();
    }
    let wanted = find.trim().to_lowercase();
    let matching: Vec<&String> = people
        .iter()
        .filter(|n| wanted.is_empty() || n.to_lowercase().contains(&wanted))
        .collect();
    let mut picked = None;
    if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        picked = matching.first().map(|n| (*n).clone());
    }
    if ui
        .selectable_label(current.is_empty(), "— nobody")
        .clicked()
    {
        picked = Some(String::new());
    }
    for name in &matching {
        if ui
            .selectable_label(current == name.as_str(), name.as_str())
            .clicked()
        {
            picked = Some((*name).clone());
        }
    }
    if matching.is_empty() {
        ui.weak(format!("No member called “{}”.", find.trim()));
    }
    ui.separator();
    ui.weak("Someone else? Invite them in Team & Sync.");
    if picked.is_some() {
        find.clear();
        ui.close();
    }
    ui.data_mut(|d| d.insert_temp(find_id, find));
    picked
}

/// The text typed for `key` in a draft of (key, text) pairs.
pub fn draft<'a>(fields: &'a mut Vec<(String, String)>, key: &str) -> &'a mut String {
    if let Some(i) = fields.iter().position(|(k, _)| k == key) {
        return &mut fields[i].1;
    }
    fields.push((key.to_string(), String::new()));
    let last = fields.len() - 1;
    &mut fields[last].1
}

/// A row of labelled text fields for a new record of `kind`, and the Add
/// button that sends it (the row empties when it is saved: `settle`).
pub fn quick_add(
    ui: &mut egui::Ui,
    fields: &mut Vec<(String, String)>,
    specs: &[(&str, &str, &str, f32)],
    (kind, button): (&str, &str),
    commands: &mut Vec<Command>,
) {
    let mut add = false;
    ui.horizontal_wrapped(|ui| {
        for (key, label, hint, width) in specs {
            let l = ui.label(*label);
            let edit = ui
                .add(
                    egui::TextEdit::singleline(draft(fields, key))
                        .hint_text(*hint)
                        .desired_width(*width),
                )
                .labelled_by(l.id);
            add |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        }
        add |= ui.button(button).clicked();
    });
    let typed: Vec<FieldInput> = fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .cloned()
        .collect();
    if add && !typed.is_empty() {
        commands.push(Command::Op(Op::Create {
            kind: kind.into(),
            fields: typed,
        }));
    }
}
