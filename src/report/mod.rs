//! Reports and data exchange, made from local records without a network:
//! the leadership report (HTML, PDF, CSV), CSV export and import of every
//! record kind, and the calendar feed (`.ics`).

pub mod calendar;
pub mod chart;
pub mod coverage;
pub mod directory;
pub mod html;
pub mod leadership;
pub mod meeting_summary;
pub mod office_sections;
pub mod page;
pub mod pdf;
pub mod records_csv;
pub mod table;

pub use leadership::{Cadence, Report, Span};

/// A file format a report is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Pdf,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
        }
    }
}

/// The report in `format`, as the bytes of its file.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Html => html::render(report).map(String::into_bytes),
        Format::Pdf => pdf::render(report),
        Format::Csv => table::render(report),
    }
}
