//! The report as one self-contained HTML file: styles inline, the chart
//! as inline SVG, no scripts, no fonts or images fetched from anywhere.

use askama::Template;

use super::leadership::Report;
use super::page::Page;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportHtml<'a> {
    page: &'a Page,
    chart: Option<String>,
}

/// Renders the report page (text is HTML-escaped; the SVG comes from our
/// chart library and is inserted as is).
pub fn render(report: &Report) -> Result<String, String> {
    let page = Page::of(report).shortened(super::page::ROWS_TO_READ);
    ReportHtml {
        page: &page,
        chart: super::chart::spend_chart(report),
    }
    .render()
    .map_err(|e| format!("could not lay out the report: {e}"))
}
