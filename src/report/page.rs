//! A report laid out for reading: every part as a titled table of text,
//! the same for the HTML page, the PDF and the CSV file, so the three
//! never disagree.

use serde::Serialize;

use super::leadership::{Report, Section, TaskLine};

/// A report with its page, made once (the app's preview shows the page
/// every frame without laying it out again).
#[derive(Debug, Clone)]
pub struct Preview {
    pub report: Report,
    pub page: Page,
}

impl Preview {
    pub fn of(report: Report) -> Preview {
        Preview {
            page: Page::of(&report).shortened(ROWS_TO_READ),
            report,
        }
    }
}

/// The report as titled tables of text.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    pub workspace: String,
    pub generated: String,
    pub completeness: String,
    /// "Opened: 12", "Completed: 9"…
    pub headline: Vec<(String, String)>,
    /// "Spent 1234.50 EUR, 4.1% more than last week (1185.00 EUR)."
    pub spend_summary: String,
    pub sections: Vec<Section>,
}

fn tasks(title: &str, lines: &[TaskLine], blocked: bool, empty: &'static str) -> Section {
    Section {
        title: title.into(),
        columns: if blocked {
            vec!["Task", "Owner", "Why blocked", "For"]
        } else {
            vec!["Task", "Owner", "Due", "Late"]
        },
        more: 0,
        rows: lines
            .iter()
            .map(|t| {
                let owner = if t.owner.is_empty() {
                    "nobody".to_string()
                } else {
                    t.owner.clone()
                };
                if blocked {
                    vec![t.title.clone(), owner, t.reason.clone(), t.age.clone()]
                } else {
                    vec![t.title.clone(), owner, t.due.clone(), t.age.clone()]
                }
            })
            .collect(),
        empty,
    }
}

/// Rows a table shows on a page to read (HTML, PDF, the preview); the
/// CSV file has every row.
pub const ROWS_TO_READ: usize = 25;

impl Page {
    /// The page with each table cut to its first `rows` rows (the rest
    /// counted in `more`): a report leadership reads, not a listing.
    pub fn shortened(mut self, rows: usize) -> Page {
        for section in &mut self.sections {
            section.more = section.rows.len().saturating_sub(rows);
            section.rows.truncate(rows);
        }
        self
    }

    pub fn of(r: &Report) -> Page {
        let budget = Section {
            title: "Spend against budget".into(),
            columns: vec![
                "Budget line",
                "Budget",
                "Spent",
                "Remaining",
                "Forecast",
                "Flag",
            ],
            rows: r
                .budget
                .iter()
                .map(|b| {
                    vec![
                        b.name.clone(),
                        r.money(b.budget),
                        r.money(b.spent),
                        r.money(b.remaining),
                        r.money(b.forecast),
                        b.flag.to_string(),
                    ]
                })
                .collect(),
            empty: "No budget lines for this month.",
            more: 0,
        };
        let by_category = Section {
            title: "Spent by category".into(),
            columns: vec!["Category", "Spent"],
            rows: r
                .spent_by_category
                .iter()
                .map(|(c, v)| vec![c.clone(), r.money(*v)])
                .collect(),
            empty: "Nothing was spent.",
            more: 0,
        };
        let mut sections = vec![
            tasks("Overdue tasks", &r.overdue, false, "Nothing is overdue."),
            tasks("Blocked tasks", &r.blocked, true, "Nothing is blocked."),
        ];
        sections.extend(r.sections().into_iter().cloned());
        sections.push(budget);
        sections.push(by_category);
        Page {
            title: r.title.clone(),
            workspace: r.workspace.clone(),
            generated: r.generated.clone(),
            completeness: r.completeness.clone(),
            headline: vec![
                ("Tasks opened".into(), r.tasks_opened.to_string()),
                ("Tasks completed".into(), r.tasks_completed.to_string()),
                ("Overdue".into(), r.overdue.len().to_string()),
                ("Blocked".into(), r.blocked.len().to_string()),
                ("Spent".into(), r.money(r.spent)),
            ],
            spend_summary: format!("Spent {}, {}.", r.money(r.spent), r.spend_change()),
            sections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_table_is_cut_on_the_page_and_says_how_many_more() {
        let section = |n: usize| Section {
            title: "Open purchase orders".into(),
            columns: vec!["Order"],
            rows: (0..n).map(|i| vec![format!("PO-{i}")]).collect(),
            empty: "none",
            more: 0,
        };
        let page = Page {
            title: String::new(),
            workspace: String::new(),
            generated: String::new(),
            completeness: String::new(),
            headline: Vec::new(),
            spend_summary: String::new(),
            sections: vec![section(30), section(3)],
        }
        .shortened(25);
        assert_eq!(
            (page.sections[0].rows.len(), page.sections[0].more),
            (25, 5)
        );
        assert_eq!(page.sections[0].rows[24], vec!["PO-24".to_string()]);
        assert_eq!((page.sections[1].rows.len(), page.sections[1].more), (3, 0));
    }
}
