//! Reports: pick weekly or monthly and the period, preview the leadership
//! report as it will read, and save it as HTML, PDF or CSV. The report is
//! made and written by the backend (never on the UI thread); the preview
//! shows the same tables the files hold.

use super::backend::{Command, ViewModel};
use crate::report::{Cadence, Format, Span};

pub struct ReportsState {
    pub cadence: Cadence,
    /// "2026-W48", "2026-11"; empty: the current one.
    pub period: String,
    pub format: Format,
    /// Where "Save" writes.
    pub path: String,
    /// The name Bureau gave `path` last (while `path` still is that, it
    /// follows the period and format chosen; once typed over, it is kept).
    pub auto_path: String,
    /// Where reports go by default (the Documents folder), found once.
    pub folder: Option<std::path::PathBuf>,
    /// A "Browse…" dialog open on its own thread: where it says to save.
    pub picking: Option<std::sync::mpsc::Receiver<Option<std::path::PathBuf>>>,
}

impl Default for ReportsState {
    fn default() -> Self {
        ReportsState {
            cadence: Cadence::Weekly,
            period: String::new(),
            format: Format::Pdf,
            path: String::new(),
            auto_path: String::new(),
            folder: None,
            picking: None,
        }
    }
}

/// "~/Documents/bureau-weekly-report-2026-W48.pdf".
fn default_path(folder: &std::path::Path, span: &Span, format: Format) -> String {
    let cadence = match span.cadence {
        Cadence::Weekly => "weekly",
        Cadence::Monthly => "monthly",
    };
    folder
        .join(format!(
            "bureau-{cadence}-report-{}.{}",
            span.key(),
            format.extension()
        ))
        .display()
        .to_string()
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut ReportsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let span = Span::parse(
        state.cadence,
        Some(&state.period)
            .filter(|p| !p.is_empty())
            .map(String::as_str),
        vm.today,
    );
    let mut make = |save: Option<(Format, std::path::PathBuf)>, span: &Span| {
        commands.push(Command::MakeReport { span: *span, save });
    };
    ui.horizontal_wrapped(|ui| {
        ui.heading("Reports");
        ui.separator();
        let before = (state.cadence, state.period.clone());
        ui.selectable_value(&mut state.cadence, Cadence::Weekly, "Weekly");
        ui.selectable_value(&mut state.cadence, Cadence::Monthly, "Monthly");
        if state.cadence != before.0 {
            state.period.clear();
        }
        if let Ok(span) = &span
            && ui
                .button("Previous")
                .on_hover_text("The period before")
                .clicked()
        {
            state.period = span.previous().key();
        }
        let label = ui.label("Period");
        ui.add(
            egui::TextEdit::singleline(&mut state.period)
                .hint_text("this one")
                .desired_width(80.0),
        )
        .labelled_by(label.id);
        if let Ok(span) = &span {
            ui.label(span.label());
            if ui.button("Preview").clicked() {
                make(None, span);
            }
        }
    });
    let span = match span {
        Ok(span) => span,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    ui.horizontal_wrapped(|ui| {
        let format = state.format;
        let label = ui.label("Format");
        egui::ComboBox::from_id_salt("report format")
            .selected_text(state.format.extension().to_uppercase())
            .show_ui(ui, |ui| {
                for f in [Format::Pdf, Format::Html, Format::Csv] {
                    ui.selectable_value(&mut state.format, f, f.extension().to_uppercase());
                }
            })
            .response
            .labelled_by(label.id);
        // The file's name follows the format chosen.
        if state.format != format {
            let old = format!(".{}", format.extension());
            if let Some(stem) = state.path.strip_suffix(&old) {
                state.path = format!("{stem}.{}", state.format.extension());
            }
        }
        let label = ui.label("Save as");
        let folder = state.folder.get_or_insert_with(|| {
            directories::UserDirs::new()
                .and_then(|d| d.document_dir().map(|p| p.to_path_buf()))
                .or_else(|| vm.data_dir.parent().map(|p| p.to_path_buf()))
                .unwrap_or_default()
        });
        let named = default_path(folder, &span, state.format);
        if state.path == state.auto_path && state.path != named {
            state.path = named.clone();
        }
        state.auto_path = named;
        ui.add(egui::TextEdit::singleline(&mut state.path).desired_width(360.0))
            .labelled_by(label.id);
        if ui
            .button("Use this period's name")
            .on_hover_text("Name the file after the period and format")
            .clicked()
        {
            state.path = state.auto_path.clone();
        }
        let browsing = state.picking.is_some();
        if ui
            .add_enabled(!browsing, egui::Button::new("Browse…"))
            .on_hover_text("Choose where to save in a file dialog")
            .clicked()
        {
            state.picking = Some(save_dialog(
                ui.ctx(),
                &state.path,
                "Save the report",
                state.format.extension(),
            ));
        }
        if let Some(picked) = state.picking.as_ref().and_then(|r| r.try_recv().ok()) {
            state.picking = None;
            if let Some(path) = picked {
                state.path = path.display().to_string();
            }
        }
        if ui.button("Save").clicked() {
            make(Some((state.format, state.path.trim().into())), &span);
        }
    });
    ui.separator();
    let Some(preview) = vm.report.as_ref().filter(|p| p.report.span == span) else {
        ui.weak("Press Preview to see the report for this period, made from the records on this device.");
        return;
    };
    let page = &preview.page;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(&page.title);
        ui.weak(format!("{} · made {}", page.workspace, page.generated));
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(egui::RichText::new(format!(
                "How complete: {}",
                page.completeness
            )));
        });
        ui.horizontal_wrapped(|ui| {
            for (label, value) in &page.headline {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.vertical(|ui| {
                        ui.strong(value);
                        ui.small(label);
                    });
                });
            }
        });
        ui.label(&page.spend_summary);
        for (i, section) in page.sections.iter().enumerate() {
            ui.add_space(6.0);
            ui.strong(&section.title);
            if section.rows.is_empty() {
                ui.weak(section.empty);
                continue;
            }
            egui::Grid::new(("report section", i))
                .striped(true)
                .num_columns(section.columns.len())
                .show(ui, |ui| {
                    for c in &section.columns {
                        ui.strong(*c);
                    }
                    ui.end_row();
                    for row in &section.rows {
                        for cell in row {
                            ui.label(cell);
                        }
                        ui.end_row();
                    }
                });
            if section.more > 0 {
                ui.weak(format!(
                    "and {} more (the CSV export has every row)",
                    section.more
                ));
            }
        }
    });
}

/// Opens the system's save dialog on its own thread (it blocks until the
/// person answers); the answer arrives on the channel, with a repaint.
pub(super) fn save_dialog(
    ctx: &egui::Context,
    current: &str,
    title: &'static str,
    extension: &'static str,
) -> std::sync::mpsc::Receiver<Option<std::path::PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let current = std::path::PathBuf::from(current);
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let mut dialog = rfd::FileDialog::new()
            .set_title(title)
            .add_filter(extension.to_uppercase(), &[extension]);
        if let Some(name) = current.file_name().and_then(|n| n.to_str()) {
            dialog = dialog.set_file_name(name);
        }
        if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        let _ = tx.send(dialog.save_file());
        ctx.request_repaint();
    });
    rx
}
