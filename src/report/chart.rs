//! The report's chart as SVG (charts-rs: pure SVG, its own embedded font
//! for measuring text, nothing loaded at run time): budget, spent and
//! forecast per budget line, or spend per category when there are no
//! budget lines.

use super::leadership::Report;

/// Minor units as a whole-currency bar height.
fn units(minor: i64) -> f32 {
    (minor as f64 / 100.0) as f32
}

/// The chart, or `None` when there is nothing to draw.
pub fn spend_chart(r: &Report) -> Option<String> {
    let (names, series): (Vec<String>, Vec<charts_rs::Series>) = if !r.budget.is_empty() {
        let names = r.budget.iter().map(|b| short(&b.name)).collect();
        let column = |f: fn(&super::leadership::BudgetRow) -> i64| {
            r.budget.iter().map(|b| units(f(b))).collect::<Vec<f32>>()
        };
        (
            names,
            vec![
                ("Budget", column(|b| b.budget)).into(),
                ("Spent", column(|b| b.spent)).into(),
                ("Forecast", column(|b| b.forecast)).into(),
            ],
        )
    } else if !r.spent_by_category.is_empty() {
        (
            r.spent_by_category.iter().map(|(c, _)| short(c)).collect(),
            vec![
                (
                    "Spent",
                    r.spent_by_category
                        .iter()
                        .map(|(_, v)| units(*v))
                        .collect::<Vec<f32>>(),
                )
                    .into(),
            ],
        )
    } else {
        return None;
    };
    let mut chart = charts_rs::BarChart::new(series, names);
    chart.width = 720.0;
    chart.height = 320.0;
    chart.title.text = format!("Spend against budget ({})", r.currency);
    chart.series.colors = vec!["#9db4d6".into(), "#2f6db5".into(), "#e0913a".into()];
    chart.svg().ok()
}

/// A label short enough for an axis.
fn short(name: &str) -> String {
    // "Office supplies · November 2026 · HQ" → "Office supplies · HQ".
    let parts: Vec<&str> = name.split(" · ").collect();
    let first = match parts.as_slice() {
        [category, _, site, ..] => format!("{category} · {site}"),
        _ => parts.first().copied().unwrap_or(name).to_string(),
    };
    if first.chars().count() > 18 {
        format!("{}…", first.chars().take(17).collect::<String>())
    } else {
        first
    }
}
