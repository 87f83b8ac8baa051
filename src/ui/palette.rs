//! Ctrl+K: go to any area or record, or run an action, by typing part of
//! its name. Results are ranked by a fuzzy matcher (nucleo, Helix's), so
//! "toner" puts "Toner" first; ↑ / ↓ move the highlight, Enter picks it,
//! Esc closes.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::AreaTab;
use super::areas::{AREAS, Jump};
use super::backend::{Command, ViewModel};

/// What a palette entry does.
#[derive(Debug, Clone)]
pub enum Pick {
    Go(Jump),
    /// Start a new record in an area (what Ctrl+N does there).
    New(AreaTab),
    Send(Command),
    /// Switch between the light and dark theme.
    ToggleTheme,
}

#[derive(Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub just_opened: bool,
    highlight: usize,
    /// Ranked results and the query and data they were computed for.
    results: Vec<(String, Pick)>,
    results_for: Option<(String, u64)>,
}

/// Actions offered besides places and records.
fn actions() -> Vec<(String, Pick)> {
    vec![
        ("New task".into(), Pick::New(AreaTab::Tasks)),
        ("Task board".into(), Pick::Go(Jump::Board)),
        ("New item".into(), Pick::New(AreaTab::Inventory)),
        (
            "Count stock…".into(),
            Pick::Go(Jump::Area(AreaTab::Inventory)),
        ),
        ("Invite…".into(), Pick::Go(Jump::Area(AreaTab::Team))),
        ("Undo my last change".into(), Pick::Send(Command::Undo)),
        (
            "Open the Trash".into(),
            Pick::Go(Jump::Area(AreaTab::Trash)),
        ),
        ("Switch theme (light / dark)".into(), Pick::ToggleTheme),
    ]
}

/// Every entry the palette can offer, places and actions first.
fn candidates(vm: &ViewModel) -> Vec<(String, Pick)> {
    let mut out: Vec<(String, Pick)> = AREAS
        .iter()
        .map(|a| (format!("Area: {}", a.label), Pick::Go(Jump::Area(a.tab))))
        .collect();
    out.extend(actions());
    for area in &AREAS {
        out.extend(
            (area.records)(vm)
                .into_iter()
                .map(|(l, j)| (l, Pick::Go(j))),
        );
    }
    out
}

/// The best matches for `query` (all places and actions when empty).
fn rank(vm: &ViewModel, query: &str) -> Vec<(String, Pick)> {
    let all = candidates(vm);
    if query.trim().is_empty() {
        return all
            .into_iter()
            .filter(|(_, p)| !matches!(p, Pick::Go(Jump::Task(_) | Jump::Item(_))))
            .collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let labels: Vec<&str> = all.iter().map(|(l, _)| l.as_str()).collect();
    let mut scored: Vec<(usize, u32)> = pattern
        .match_list(
            labels.iter().enumerate().map(|(i, l)| Indexed(i, l)),
            &mut matcher,
        )
        .into_iter()
        .map(|(Indexed(i, _), score)| (i, score))
        .collect();
    // Best score first; on a tie the shorter name (the closer match), then
    // places and actions before records.
    scored.sort_by_key(|(i, score)| (std::cmp::Reverse(*score), labels[*i].len(), *i));
    scored
        .into_iter()
        .take(12)
        .map(|(i, _)| all[i].clone())
        .collect()
}

/// A label with its position, so matches can be mapped back.
struct Indexed<'a>(usize, &'a str);

impl AsRef<str> for Indexed<'_> {
    fn as_ref(&self) -> &str {
        self.1
    }
}

pub fn show(ctx: &egui::Context, state: &mut PaletteState, vm: &ViewModel) -> Option<Pick> {
    if !state.open {
        return None;
    }
    let key = (state.query.clone(), vm.version);
    if state.results_for.as_ref() != Some(&key) {
        state.results = rank(vm, &state.query);
        state.highlight = state.highlight.min(state.results.len().saturating_sub(1));
        state.results_for = Some(key);
    }
    let (up, down) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
        )
    });
    if down && state.highlight + 1 < state.results.len() {
        state.highlight += 1;
    }
    if up {
        state.highlight = state.highlight.saturating_sub(1);
    }
    let mut choice = None;
    let mut open = true;
    egui::Window::new("Go to")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .open(&mut open)
        .show(ctx, |ui| {
            let label = ui.label("Go to area or record");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("a place, a record or an action…")
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
            if edit.changed() {
                state.highlight = 0;
            }
            if std::mem::take(&mut state.just_opened) {
                edit.request_focus();
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            for (index, (label, pick)) in state.results.iter().enumerate() {
                if ui
                    .selectable_label(index == state.highlight, label)
                    .clicked()
                {
                    choice = Some(pick.clone());
                }
            }
            if state.results.is_empty() {
                ui.weak("Nothing matches.");
            }
            if enter && choice.is_none() {
                choice = state.results.get(state.highlight).map(|(_, p)| p.clone());
            }
        });
    if !open || choice.is_some() {
        state.open = false;
        state.query.clear();
        state.highlight = 0;
        state.results_for = None;
    }
    choice
}
