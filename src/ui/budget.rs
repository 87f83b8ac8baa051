//! Budget: budget lines with spent / remaining / forecast bars, the spend
//! ledger (expenses and approved invoices) with filters, and monthly spend
//! by category and by site as charts. Everything shown is computed in the
//! background ([`crate::views::budget`]); editing a line or an expense
//! writes only the field changed.

use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form, quick_add};
use crate::model::matching::percent_text;
use crate::model::orders::{amount_text, parse_percent};
use crate::model::spend::{Flag, Source, Spend};
use crate::model::{BudgetLine, Expense, Period, Record};
use crate::ops::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Lines,
    Ledger,
    Charts,
}

#[derive(Default)]
pub struct BudgetState {
    pub tab: Tab,
    /// The line or expense whose details are open.
    pub selected: Option<String>,
    pub errors: FieldErrors,
    /// New line / new expense being typed: (key, text).
    pub line_draft: Vec<(String, String)>,
    pub expense_draft: Vec<(String, String)>,
    pub threshold: String,
    /// Lines of every period, not only those running today.
    pub all_periods: bool,
    /// Ledger filters ("" = any).
    pub filter_category: String,
    pub filter_site: String,
    pub filter_month: String,
    /// An invoice clicked in the ledger: the shell opens it.
    pub open: Option<super::areas::Jump>,
}

impl BudgetState {
    /// Empties a quick-add row once what it sent was saved; a refused entry
    /// stays typed, to be fixed rather than typed again.
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice {
            match kind.as_str() {
                "budget_lines" => self.line_draft.clear(),
                "expenses" => self.expense_draft.clear(),
                _ => {}
            }
        }
    }
}

fn money(minor: i64) -> String {
    amount_text(minor)
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut BudgetState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.budget;
    if let Some(id) = state.selected.clone() {
        let line = view.lines.iter().find(|l| l.id == id).cloned();
        let expense = view.expenses.iter().find(|e| e.id == id).cloned();
        if line.is_none() && expense.is_none() {
            state.selected = None;
        } else {
            super::layout::details_side(ui, "Budget details", |ui| {
                let references = super::purchasing::references(vm);
                let cx = FormContext::of(vm, &references);
                ui.horizontal(|ui| {
                    ui.heading(if line.is_some() {
                        "Budget line"
                    } else {
                        "Expense"
                    });
                    if ui.button("Close").clicked() {
                        state.selected = None;
                    }
                });
                let (kind, id) = match (&line, &expense) {
                    (Some(l), _) => {
                        details_form(ui, &**l, &cx, &mut state.errors, commands);
                        (BudgetLine::KIND, l.id.clone())
                    }
                    (_, Some(e)) => {
                        details_form(ui, &**e, &cx, &mut state.errors, commands);
                        (Expense::KIND, e.id.clone())
                    }
                    _ => return,
                };
                ui.separator();
                if ui.button("Move to Trash").clicked() {
                    commands.push(Command::Op(Op::Delete {
                        kind: kind.into(),
                        id,
                    }));
                    state.selected = None;
                }
            });
        }
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let (this, last) = view.this_and_last_month();
        ui.horizontal_wrapped(|ui| {
            ui.heading("Budget");
            ui.separator();
            ui.label(format!(
                "Spent this month {} {} · last month {}",
                money(this),
                vm.currency,
                money(last)
            ));
            ui.separator();
            let label = ui.label("Flag forecasts over budget by more than");
            if state.threshold.is_empty() {
                state.threshold = format!("{}%", percent_text(view.threshold_bp));
            }
            let edit = ui
                .add(egui::TextEdit::singleline(&mut state.threshold).desired_width(48.0))
                .labelled_by(label.id);
            if edit.lost_focus() {
                match parse_percent(&state.threshold) {
                    Ok(bp) if bp != view.threshold_bp => {
                        commands.push(Command::Op(Op::SetBudgetThreshold { percent_bp: bp }))
                    }
                    Ok(_) => {}
                    Err(_) => state.threshold = format!("{}%", percent_text(view.threshold_bp)),
                }
            }
        });
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut state.tab,
                Tab::Lines,
                format!("Budget lines ({})", view.statuses.len()),
            );
            ui.selectable_value(
                &mut state.tab,
                Tab::Ledger,
                format!("Spending ({})", view.ledger.len()),
            );
            ui.selectable_value(&mut state.tab, Tab::Charts, "Charts");
        });
        ui.separator();
        match state.tab {
            Tab::Lines => lines(ui, state, vm, commands),
            Tab::Ledger => ledger(ui, state, vm, commands),
            Tab::Charts => charts(ui, vm),
        }
    });
}

fn lines(ui: &mut egui::Ui, state: &mut BudgetState, vm: &ViewModel, commands: &mut Vec<Command>) {
    let this_month = Period::month_of(vm.today).to_string();
    quick_add(
        ui,
        &mut state.line_draft,
        &[
            ("category", "Category", "Office supplies", 130.0),
            ("period", "Period", &this_month, 70.0),
            ("amount", "Amount", "500.00", 70.0),
            ("site", "Site", "all sites", 90.0),
        ],
        (BudgetLine::KIND, "Add budget line"),
        commands,
    );
    ui.separator();
    let view = &vm.budget;
    if view.statuses.is_empty() {
        ui.weak("No budget lines yet. Add one per category and month, quarter or year; spending and approved invoices count against it.");
        return;
    }
    let site = |id: &Option<String>| {
        id.as_ref()
            .map(|id| {
                vm.sites
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or(id.clone(), |s| s.name.clone())
            })
            .unwrap_or_else(|| "all sites".into())
    };
    let running = view
        .statuses
        .iter()
        .filter(|(_, s)| s.period.contains(vm.today))
        .count();
    ui.horizontal(|ui| {
        ui.selectable_value(
            &mut state.all_periods,
            false,
            format!("Running now ({running})"),
        );
        ui.selectable_value(
            &mut state.all_periods,
            true,
            format!("Every period ({})", view.statuses.len()),
        );
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("budget lines")
            .num_columns(5)
            .striped(true)
            .spacing([14.0, 6.0])
            .show(ui, |ui| {
                for h in ["Line", "Budget", "Spent / forecast", "Remaining", "Flag"] {
                    ui.strong(h);
                }
                ui.end_row();
                let shown = view
                    .statuses
                    .iter()
                    .filter(|(_, s)| state.all_periods || s.period.contains(vm.today));
                for (line, s) in shown {
                    let name = format!(
                        "{} · {} · {}",
                        line.category,
                        s.period.label(),
                        site(&line.site)
                    );
                    if ui
                        .selectable_label(state.selected.as_deref() == Some(&line.id), name)
                        .clicked()
                    {
                        state.selected = Some(line.id.clone());
                    }
                    ui.label(format!("{} {}", money(s.budget), s.currency));
                    let budget = s.budget.max(1) as f32;
                    let spent = (s.spent as f32 / budget).clamp(0.0, 1.0);
                    let colour = match s.flag {
                        Flag::Over => egui::Color32::from_rgb(200, 60, 50),
                        Flag::ForecastOver => egui::Color32::from_rgb(220, 140, 40),
                        _ => egui::Color32::from_rgb(60, 130, 200),
                    };
                    ui.vertical(|ui| {
                        ui.add(
                            egui::ProgressBar::new(spent)
                                .desired_width(200.0)
                                .fill(colour)
                                .text(format!("spent {}", money(s.spent))),
                        );
                        let forecast = (s.forecast as f32 / budget).clamp(0.0, 1.0);
                        ui.add(
                            egui::ProgressBar::new(forecast)
                                .desired_width(200.0)
                                .desired_height(10.0)
                                .fill(colour.gamma_multiply(0.45)),
                        )
                        .on_hover_text(format!(
                            "Forecast to the end of the period: {}",
                            money(s.forecast)
                        ));
                    });
                    ui.label(money(s.remaining));
                    if s.flag == Flag::Ok {
                        ui.label("");
                    } else {
                        ui.colored_label(colour, s.flag.as_str());
                    }
                    ui.end_row();
                }
            });
    });
}

fn ledger(ui: &mut egui::Ui, state: &mut BudgetState, vm: &ViewModel, commands: &mut Vec<Command>) {
    quick_add(
        ui,
        &mut state.expense_draft,
        &[
            ("date", "Date", "today", 80.0),
            ("amount", "Amount", "42.50", 60.0),
            ("category", "Category", "Office supplies", 110.0),
            ("site", "Site", "", 70.0),
            ("vendor", "Vendor", "", 90.0),
            ("note", "Note", "card, petty cash…", 120.0),
        ],
        (Expense::KIND, "Add expense"),
        commands,
    );
    ui.separator();
    let view = &vm.budget;
    let site_name = |id: &str| {
        vm.sites
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| s.name.clone())
    };
    ui.horizontal(|ui| {
        let combo =
            |ui: &mut egui::Ui, label: &str, value: &mut String, options: Vec<(String, String)>| {
                let shown = options
                    .iter()
                    .find(|(k, _)| k == value)
                    .map_or("any".to_string(), |(_, v)| v.clone());
                let label = ui.label(label);
                egui::ComboBox::from_id_salt(("ledger filter", label.id))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(value, String::new(), "any");
                        for (k, v) in options {
                            ui.selectable_value(value, k, v);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            };
        let categories = view
            .categories
            .iter()
            .map(|c| (c.clone(), c.clone()))
            .collect();
        combo(ui, "Category", &mut state.filter_category, categories);
        let sites = vm
            .sites
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        combo(ui, "Site", &mut state.filter_site, sites);
        let months = view
            .months
            .iter()
            .rev()
            .map(|m| (m.to_string(), m.label()))
            .collect();
        combo(ui, "Month", &mut state.filter_month, months);
    });
    let month = state.filter_month.parse::<Period>().ok();
    let rows: Vec<&Spend> = view
        .ledger
        .iter()
        .filter(|s| {
            state.filter_category.is_empty()
                || crate::model::schema::same_name(&s.category, &state.filter_category)
        })
        .filter(|s| {
            state.filter_site.is_empty() || s.site.as_deref() == Some(state.filter_site.as_str())
        })
        .filter(|s| month.is_none_or(|m| m.contains(s.date)))
        .collect();
    let total = rows
        .iter()
        .fold(0i64, |sum, s| sum.saturating_add(s.amount.minor));
    ui.label(format!(
        "{} entries, {} {}",
        rows.len(),
        money(total),
        vm.currency
    ));
    if rows.is_empty() {
        ui.weak("Nothing spent here yet. Add card and petty-cash spending above; approved invoices appear by themselves.");
        return;
    }
    // Only the rows in view are laid out, however long the ledger.
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(84.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::initial(130.0).at_least(80.0).clip(true))
        .column(Column::initial(90.0).at_least(60.0).clip(true))
        .column(Column::auto().at_least(60.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(22.0, |mut header| {
            for h in ["Date", "Amount", "Category", "Site", "From", "Note"] {
                header.col(|ui| {
                    ui.strong(h);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let s = rows[row.index()];
                row.col(|ui| {
                    ui.label(s.date.to_string());
                });
                row.col(|ui| {
                    ui.label(s.amount.to_string());
                });
                row.col(|ui| {
                    ui.label(&s.category);
                });
                row.col(|ui| {
                    ui.label(s.site.as_deref().map(site_name).unwrap_or_default());
                });
                row.col(|ui| match &s.source {
                    Source::Expense(id) => {
                        let open = state.selected.as_deref() == Some(id.as_str());
                        if ui.selectable_label(open, "expense").clicked() {
                            state.selected = Some(id.clone());
                        }
                    }
                    Source::Invoice(id) => {
                        if ui
                            .link("invoice")
                            .on_hover_text("Open the invoice in Purchasing")
                            .clicked()
                        {
                            state.open = Some(super::areas::Jump::Invoice(id.clone()));
                        }
                    }
                });
                row.col(|ui| {
                    ui.label(&s.note);
                });
            });
        });
}

/// Monthly spend stacked by key, one bar per month.
fn stacked(
    ui: &mut egui::Ui,
    id: &str,
    vm: &ViewModel,
    series: &std::collections::BTreeMap<String, Vec<i64>>,
    name: impl Fn(&str) -> String,
) {
    let labels: Vec<String> = vm
        .budget
        .months
        .iter()
        .map(|m| m.start().0.format("%b %Y").to_string())
        .collect();
    let mut charts: Vec<BarChart> = Vec::new();
    for (key, values) in series {
        let bars = values
            .iter()
            .enumerate()
            .map(|(i, v)| Bar::new(i as f64, *v as f64 / 100.0).width(0.6))
            .collect();
        let chart = BarChart::new(name(key), bars);
        let refs: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&refs);
        charts.push(chart);
    }
    Plot::new(id)
        .height(220.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .x_grid_spacer(|input| {
            let (lo, hi) = input.bounds;
            (lo.ceil() as i64..=hi.floor() as i64)
                .map(|i| egui_plot::GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

fn charts(ui: &mut egui::Ui, vm: &ViewModel) {
    let view = &vm.budget;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.strong(format!("Spend by category ({})", vm.currency));
        stacked(ui, "by category", vm, &view.by_category, |k| k.to_string());
        ui.add_space(8.0);
        ui.strong(format!("Spend by site ({})", vm.currency));
        stacked(ui, "by site", vm, &view.by_site, |k| {
            if k.is_empty() {
                "no site".into()
            } else {
                vm.sites
                    .iter()
                    .find(|s| s.id == k)
                    .map_or(k.to_string(), |s| s.name.clone())
            }
        });
        ui.add_space(8.0);
        ui.strong("This month against last month, by category");
        egui::Grid::new("month vs month")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                for h in ["Category", "Last month", "This month", "Change"] {
                    ui.strong(h);
                }
                ui.end_row();
                for (category, values) in view.by_category.iter() {
                    let n = values.len();
                    let (last, this) = (
                        values.get(n.wrapping_sub(2)).copied().unwrap_or(0),
                        values.last().copied().unwrap_or(0),
                    );
                    ui.label(category);
                    ui.label(money(last));
                    ui.label(money(this));
                    ui.label(match last {
                        0 => "—".to_string(),
                        l => format!("{:+.0}%", (this - l) as f64 * 100.0 / l as f64),
                    });
                    ui.end_row();
                }
            });
    });
}
