//! The report as a PDF, laid out by typst from `assets/report.typ`. The
//! report goes in as JSON data (never as markup, so no text a person typed
//! can change the layout) and the chart as SVG. Fonts are typst's own,
//! embedded in the binary: the PDF looks the same on every machine and
//! nothing is downloaded.

use std::sync::LazyLock;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Bytes;
use typst::text::Font;
use typst_as_lib::{TypstAsLibError, TypstEngine};

use super::leadership::Report;
use super::page::Page;

const TEMPLATE: &str = include_str!("../../assets/report.typ");

/// typst's embedded fonts and the chart's (Roboto), parsed once.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    typst_assets::fonts()
        .chain([charts_rs::DEFAULT_FONT_DATA])
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect()
});

#[derive(serde::Serialize)]
struct Input<'a> {
    #[serde(flatten)]
    page: &'a Page,
    has_chart: bool,
}

/// Lays out and writes the PDF.
pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    let page = Page::of(report).shortened(super::page::ROWS_TO_READ);
    let chart = super::chart::spend_chart(report);
    let json = serde_json::to_vec(&Input {
        page: &page,
        has_chart: chart.is_some(),
    })
    .map_err(|e| e.to_string())?;
    let engine = TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts(FONTS.iter().cloned())
        .with_static_file_resolver([
            ("report.json", json),
            ("chart.svg", chart.unwrap_or_default().into_bytes()),
        ])
        .build();
    let Warned { output, warnings } = engine.compile();
    for warning in &warnings {
        tracing::debug!("report layout: {}", warning.message);
    }
    let document = output.map_err(|e| match e {
        TypstAsLibError::TypstSource(d) => diagnostics(&d),
        other => other.to_string(),
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|d| diagnostics(&d))
}

fn diagnostics(found: &[SourceDiagnostic]) -> String {
    let text: Vec<String> = found.iter().map(|d| d.message.to_string()).collect();
    format!("could not lay out the PDF: {}", text.join("; "))
}
