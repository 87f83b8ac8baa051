//! "What is slipping": overdue, blocked, due this week, low stock.

use super::backend::ViewModel;
use super::tasks::Filter;

/// Where a click on the dashboard leads.
pub enum DashboardJump {
    Tasks(Filter),
    Inventory,
}

/// Draws the dashboard; returns where to go when a list is clicked.
pub fn show(ui: &mut egui::Ui, vm: &ViewModel) -> Option<DashboardJump> {
    let mut jump = None;
    ui.heading("What is slipping");
    ui.add_space(8.0);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.columns(2, |cols| {
            let mut overdue: Vec<_> = vm.overdue().collect();
            overdue.sort_by_key(|t| t.due);
            card(
                &mut cols[0],
                &format!("Overdue tasks: {}", overdue.len()),
                |ui| {
                    for t in overdue.iter().take(8) {
                        let days = t.due.map(|d| d.days_until(vm.today).max(0)).unwrap_or(0);
                        ui.label(format!(
                            "{} — {} day(s) late, {}",
                            t.title,
                            days,
                            t.owner.as_deref().unwrap_or("no owner")
                        ));
                    }
                },
            );
            if cols[0].button("Open overdue tasks").clicked() {
                jump = Some(DashboardJump::Tasks(Filter::Overdue));
            }
            let mut blocked: Vec<_> = vm.blocked().collect();
            blocked.sort_by_key(|t| t.blocked_since);
            card(
                &mut cols[0],
                &format!("Blocked tasks: {}", blocked.len()),
                |ui| {
                    for t in blocked.iter().take(8) {
                        let days = t
                            .blocked_since
                            .map(|s| s.date().days_until(vm.today).max(0))
                            .unwrap_or(0);
                        ui.label(format!(
                            "{} — {} (blocked {} day(s))",
                            t.title,
                            t.blocked_reason.as_deref().unwrap_or("no reason given"),
                            days
                        ));
                    }
                },
            );
            if cols[0].button("Open blocked tasks").clicked() {
                jump = Some(DashboardJump::Tasks(Filter::Blocked));
            }
            let mut week: Vec<_> = vm.due_this_week().collect();
            week.sort_by_key(|t| t.due);
            card(
                &mut cols[1],
                &format!("Due this week: {}", week.len()),
                |ui| {
                    for t in week.iter().take(8) {
                        ui.label(format!(
                            "{} — due {}",
                            t.title,
                            t.due.map(|d| d.to_string()).unwrap_or_default()
                        ));
                    }
                },
            );
            if cols[1].button("Open tasks due this week").clicked() {
                jump = Some(DashboardJump::Tasks(Filter::ThisWeek));
            }
            card(
                &mut cols[1],
                &format!("Low stock: {}", vm.low_stock.len()),
                |ui| {
                    for l in vm.low_stock.iter().take(8) {
                        ui.label(format!(
                            "{} at {}: {} {} (reorder at {})",
                            l.item.name,
                            vm.site_name(&l.site_id),
                            l.on_hand,
                            l.item.unit,
                            l.threshold
                        ));
                    }
                },
            );
            if cols[1].button("Open inventory").clicked() {
                jump = Some(DashboardJump::Inventory);
            }
        });
    });
    jump
}

fn card(ui: &mut egui::Ui, title: &str, body: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.strong(title);
        body(ui);
    });
    ui.add_space(6.0);
}
