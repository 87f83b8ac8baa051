//! The report as CSV: each part as a block (a title row, a header row,
//! its rows, a blank row), for finance to open in a spreadsheet.

use super::leadership::Report;
use super::page::Page;

pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    let page = Page::of(report);
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut write = |row: Vec<String>| out.write_record(&row).map_err(|e| e.to_string());
    write(vec![page.title.clone()])?;
    write(vec!["Workspace".into(), page.workspace.clone()])?;
    write(vec!["Made".into(), page.generated.clone()])?;
    write(vec!["How complete".into(), page.completeness.clone()])?;
    for (label, value) in &page.headline {
        write(vec![label.clone(), value.clone()])?;
    }
    write(vec![page.spend_summary.clone()])?;
    for section in &page.sections {
        write(vec![])?;
        write(vec![section.title.clone()])?;
        write(section.columns.iter().map(|c| c.to_string()).collect())?;
        if section.rows.is_empty() {
            write(vec![section.empty.to_string()])?;
        }
        for row in &section.rows {
            write(row.clone())?;
        }
    }
    out.into_inner().map_err(|e| e.into_error().to_string())
}
