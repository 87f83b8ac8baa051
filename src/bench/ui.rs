//! `bureau bench ui --dir DIR`: the app on a large office, through the real
//! path (the threaded backend, the operations layer, incremental views):
//!
//! - cold start to the first frame with data;
//! - edit → visible in the same window: an edit sent as the app sends it,
//!   until a frame shows it;
//! - remote change → visible: a change applied to the document outside the
//!   backend (as samod applies a peer's change), until a frame shows it;
//! - frame CPU of the Tasks table and the Dashboard (layout and
//!   tessellation, no GPU).
//!
//! The bench office has no founder key (no sync), so the backend runs
//! without a node; peer status is not part of these figures.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::Task;
use crate::ops::Op;
use crate::ui::backend::{Backend, ViewModel};
use crate::ui::{AreaTab, BureauApp, Prefs};

pub struct UiReport {
    pub first_frame: Duration,
    pub edit: (Duration, Duration),
    pub remote: (Duration, Duration),
    pub tasks: (Duration, Duration),
    pub dashboard: (Duration, Duration),
    /// An invoice's due date edited, until the purchasing view shows it
    /// (every order's progress and invoice's match computed again).
    pub purchasing_edit: (Duration, Duration),
    /// Stock adjusted, until shown (low stock and the reorder plan follow).
    pub stock_edit: (Duration, Duration),
    pub purchasing: (Duration, Duration),
    pub invoices_shown: usize,
    pub frames: usize,
    pub edits: usize,
    pub tasks_shown: usize,
}

impl std::fmt::Display for UiReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        let pair = |(a, b): (Duration, Duration)| format!("{} / {}", ms(a), ms(b));
        writeln!(f, "| figure ({} tasks) | value | goal |", self.tasks_shown)?;
        writeln!(f, "|---|---|---|")?;
        writeln!(
            f,
            "| cold start to first frame with data | {} | ≤ 500 ms |",
            ms(self.first_frame)
        )?;
        writeln!(
            f,
            "| edit → visible in the same window, p50 / p95 ({} edits) | {} | p95 ≤ 16 ms |",
            self.edits,
            pair(self.edit)
        )?;
        writeln!(
            f,
            "| remote change → visible, p50 / p95 ({} changes) | {} | p95 ≤ 50 ms |",
            self.edits,
            pair(self.remote)
        )?;
        writeln!(
            f,
            "| frame CPU, Tasks table, p50 / p95 ({} frames) | {} | p95 ≤ 4 ms |",
            self.frames,
            pair(self.tasks)
        )?;
        writeln!(
            f,
            "| frame CPU, Dashboard, p50 / p95 ({} frames) | {} | p95 ≤ 4 ms |",
            self.frames,
            pair(self.dashboard)
        )?;
        writeln!(
            f,
            "| invoice edit → visible ({} invoices), p50 / p95 | {} | p95 ≤ 16 ms |",
            self.invoices_shown,
            pair(self.purchasing_edit)
        )?;
        writeln!(
            f,
            "| stock adjust → visible (low stock, reorder plan), p50 / p95 | {} | p95 ≤ 16 ms |",
            pair(self.stock_edit)
        )?;
        write!(
            f,
            "| frame CPU, Purchasing orders table, p50 / p95 ({} frames) | {} | p95 ≤ 4 ms |",
            self.frames,
            pair(self.purchasing)
        )
    }
}

fn input(i: usize, scroll: bool) -> egui::RawInput {
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        time: Some(i as f64 / 60.0),
        ..Default::default()
    };
    if scroll {
        input
            .events
            .push(egui::Event::PointerMoved(egui::pos2(500.0, 400.0)));
        input.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
    }
    input
}

/// One whole frame: layout and tessellation.
fn frame(app: &mut BureauApp, ctx: &egui::Context, i: usize, scroll: bool) -> Duration {
    let started = Instant::now();
    let output = ctx.run_ui(input(i, scroll), |ui| app.show(ui));
    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    started.elapsed()
}

fn p50_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    if times.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95))
}

fn frames(app: &mut BureauApp, ctx: &egui::Context, count: usize, scroll: bool) -> Vec<Duration> {
    (0..count).map(|i| frame(app, ctx, i, scroll)).collect()
}

const WAIT: Duration = Duration::from_secs(60);

/// Waits until the backend shows task `id` titled `title`, then draws the
/// frame that shows it; returns the time from `started`.
fn until_visible(
    app: &mut BureauApp,
    ctx: &egui::Context,
    id: &str,
    title: &str,
    started: Instant,
) -> Duration {
    let shows = |vm: &ViewModel| vm.task(id).is_some_and(|t| t.title == title);
    let _ = app.backend_mut().wait_until(WAIT, shows);
    frame(app, ctx, 0, false);
    started.elapsed()
}

/// Edits invoices' due dates and adjusts stock `count` times each, timing
/// each until a frame shows it.
fn purchasing_edits(
    app: &mut BureauApp,
    ctx: &egui::Context,
    count: usize,
) -> (Vec<Duration>, Vec<Duration>, usize) {
    let Some(vm) = app
        .backend_mut()
        .wait_until(WAIT, |vm| !vm.purchasing.invoices.is_empty())
    else {
        return (Vec::new(), Vec::new(), 0);
    };
    let shown = vm.purchasing.invoices.len();
    let mut invoice_edits = Vec::new();
    for (i, inv) in vm.purchasing.invoices.iter().take(count).enumerate() {
        let due = inv.date.add_days(30 + (i % 7) as i64 + 1);
        let started = Instant::now();
        app.backend_mut()
            .send(Op::set("invoices", &inv.id, "due", due.to_string()));
        let shows = |vm: &ViewModel| {
            vm.purchasing
                .invoice(&inv.id)
                .is_some_and(|i| i.due == Some(due))
        };
        let _ = app.backend_mut().wait_until(WAIT, shows);
        frame(app, ctx, 0, false);
        invoice_edits.push(started.elapsed());
    }
    let mut stock_edits = Vec::new();
    let target = vm.items.iter().find_map(|s| {
        s.on_hand
            .iter()
            .next()
            .map(|(site, _)| (s.item.id.clone(), site.clone()))
    });
    if let Some((item, site)) = target {
        for i in 0..count {
            let by = if i % 2 == 0 { 1 } else { -1 };
            let started = Instant::now();
            let sent = app.backend_mut().send(Op::AdjustStock {
                item: item.clone(),
                site: site.clone(),
                by,
                reason: Some("bench".into()),
            });
            let _ = app.backend_mut().wait_until(WAIT, |vm| vm.applied >= sent);
            frame(app, ctx, 0, false);
            stock_edits.push(started.elapsed());
        }
    }
    (invoice_edits, stock_edits, shown)
}

/// Measures the app on the workspace in `data_dir`.
pub fn run(data_dir: &Path, count: usize) -> UiReport {
    let started = Instant::now();
    let backend = Backend::threaded_with(
        data_dir.to_path_buf(),
        crate::sync::NetOptions::loopback(),
        false,
        || {},
    );
    let ctx = egui::Context::default();
    let mut app = BureauApp::new(
        backend,
        Prefs {
            area: AreaTab::Tasks,
            dark_mode: Some(false),
            ..Default::default()
        },
    );
    let vm = app
        .backend_mut()
        .wait_until(WAIT, |vm| vm.workspace.is_some() && !vm.tasks.is_empty());
    frame(&mut app, &ctx, 0, false);
    let first_frame = started.elapsed();
    let tasks: Vec<Arc<Task>> = vm
        .map(|vm| vm.tasks.iter().take(count).cloned().collect())
        .unwrap_or_default();
    let tasks_shown = app.backend_mut().view().tasks.len();

    let mut edit = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let title = format!("{} (edit {i})", t.title);
        let started = Instant::now();
        app.backend_mut()
            .send(Op::set("tasks", &t.id, "title", &title));
        edit.push(until_visible(&mut app, &ctx, &t.id, &title, started));
    }

    let mut remote = Vec::new();
    if let Some(store) = app.backend_mut().store() {
        for (i, t) in tasks.iter().enumerate() {
            let title = format!("{} (remote {i})", t.title);
            let started = Instant::now();
            let applied = store.update::<Task, _>(&t.id, "remote edit", |task| {
                task.title = title.clone();
                Ok(())
            });
            if applied.is_ok() {
                remote.push(until_visible(&mut app, &ctx, &t.id, &title, started));
            }
        }
    }

    let (purchasing_edit, stock_edit, invoices_shown) = purchasing_edits(&mut app, &ctx, count);
    let tasks_frames = frames(&mut app, &ctx, count, true);
    app.prefs.area = AreaTab::Dashboard;
    let dashboard = frames(&mut app, &ctx, count, false);
    app.prefs.area = AreaTab::Purchasing;
    let purchasing = frames(&mut app, &ctx, count, true);
    UiReport {
        first_frame,
        edit: p50_p95(edit),
        remote: p50_p95(remote),
        tasks: p50_p95(tasks_frames),
        dashboard: p50_p95(dashboard),
        purchasing_edit: p50_p95(purchasing_edit),
        stock_edit: p50_p95(stock_edit),
        purchasing: p50_p95(purchasing),
        invoices_shown,
        frames: count,
        edits: tasks.len(),
        tasks_shown,
    }
}
