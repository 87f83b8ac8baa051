//! `bureau bench ui`: CPU time of whole UI frames (layout and tessellation,
//! no GPU) with the L office open, on the Tasks table and the Dashboard, and
//! cold start to the first frame with data.

use std::path::Path;
use std::time::{Duration, Instant};

use super::backend::Backend;
use super::{AreaTab, BureauApp, Prefs};

pub struct UiReport {
    pub first_view: Duration,
    pub first_frame: Duration,
    pub tasks: (Duration, Duration),
    pub dashboard: (Duration, Duration),
    pub frames: usize,
}

impl std::fmt::Display for UiReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        writeln!(f, "| figure | value |")?;
        writeln!(f, "|---|---|")?;
        writeln!(
            f,
            "| cold start: open + first view model | {} |",
            ms(self.first_view)
        )?;
        writeln!(
            f,
            "| cold start to first frame with data | {} |",
            ms(self.first_view + self.first_frame)
        )?;
        writeln!(
            f,
            "| frame CPU, Tasks table, p50 / p95 ({} frames) | {} / {} |",
            self.frames,
            ms(self.tasks.0),
            ms(self.tasks.1)
        )?;
        write!(
            f,
            "| frame CPU, Dashboard, p50 / p95 ({} frames) | {} / {} |",
            self.frames,
            ms(self.dashboard.0),
            ms(self.dashboard.1)
        )
    }
}

fn frames(
    app: &mut BureauApp,
    ctx: &egui::Context,
    count: usize,
    scroll: bool,
) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(count);
    for i in 0..count {
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
        let started = Instant::now();
        let output = ctx.run_ui(input, |ui| app.show(ui));
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed());
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95))
}

/// Measures the app on the workspace in `data_dir`.
pub fn run(data_dir: &Path, count: usize) -> UiReport {
    let started = Instant::now();
    let backend = Backend::inline(data_dir);
    let first_view = started.elapsed();
    let ctx = egui::Context::default();
    let mut app = BureauApp::new(
        backend,
        Prefs {
            area: AreaTab::Tasks,
            dark_mode: Some(false),
            ..Default::default()
        },
    );
    let started = Instant::now();
    let _ = frames(&mut app, &ctx, 1, false);
    let first_frame = started.elapsed();
    let tasks = frames(&mut app, &ctx, count, true);
    app.prefs.area = AreaTab::Dashboard;
    let dashboard = frames(&mut app, &ctx, count, false);
    UiReport {
        first_view,
        first_frame,
        tasks,
        dashboard,
        frames: count,
    }
}
