//! The area registry: one entry per area of the app, from which the
//! sidebar, Ctrl+N, the Ctrl+K palette and the dashboard's cards are made.
//! Adding an area is one entry here (plus its screen in `BureauApp::shell`).

use super::backend::ViewModel;
use super::tasks::Filter;
use super::{AreaTab, Screens};

/// Where a click leads (a dashboard card, a palette result).
#[derive(Debug, Clone, PartialEq)]
pub enum Jump {
    Area(AreaTab),
    Tasks(Filter),
    /// The tasks as a board (status columns).
    Board,
    Task(String),
    Item(String),
    /// Inventory showing only what is low.
    LowStock,
}

/// A dashboard card: "what is slipping" in one area.
pub struct Card {
    pub title: String,
    /// Up to eight rows, each opening its record.
    pub lines: Vec<(String, Jump)>,
    /// How many more than the rows shown.
    pub more: usize,
    /// The button under the card ("Open overdue tasks") and where it goes.
    pub open: (&'static str, Jump),
}

/// One area of the app.
pub struct AreaEntry {
    pub tab: AreaTab,
    pub label: &'static str,
    /// What Ctrl+N does in this area (`None`: a new task).
    pub new_record: Option<fn(&mut Screens)>,
    /// This area's records as palette entries ("Task: Order toner").
    pub records: fn(&ViewModel) -> Vec<(String, Jump)>,
    /// This area's dashboard cards.
    pub cards: fn(&ViewModel) -> Vec<Card>,
}

pub const AREAS: [AreaEntry; 5] = [
    AreaEntry {
        tab: AreaTab::Dashboard,
        label: "Dashboard",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
    },
    AreaEntry {
        tab: AreaTab::Tasks,
        label: "Tasks",
        new_record: Some(|s| s.tasks.focus_quick_add = true),
        records: task_entries,
        cards: task_cards,
    },
    AreaEntry {
        tab: AreaTab::Inventory,
        label: "Inventory",
        new_record: Some(|s| s.inventory.adding = true),
        records: item_entries,
        cards: inventory_cards,
    },
    AreaEntry {
        tab: AreaTab::Trash,
        label: "Trash",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
    },
    AreaEntry {
        tab: AreaTab::Team,
        label: "Team & Sync",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
    },
];

pub fn entry(tab: AreaTab) -> &'static AreaEntry {
    AREAS.iter().find(|a| a.tab == tab).unwrap_or(&AREAS[0])
}

/// Every area's cards, in registry order.
pub fn all_cards(vm: &ViewModel) -> Vec<Card> {
    AREAS.iter().flat_map(|a| (a.cards)(vm)).collect()
}

fn task_entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.tasks
        .iter()
        .map(|t| (format!("Task: {}", t.title), Jump::Task(t.id.clone())))
        .collect()
}

fn item_entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.items
        .iter()
        .map(|i| {
            (
                format!("Item: {}", i.item.name),
                Jump::Item(i.item.id.clone()),
            )
        })
        .collect()
}

/// The first eight of `rows` as card lines, and how many are left.
fn lines<T>(rows: &[T], line: impl Fn(&T) -> (String, Jump)) -> (Vec<(String, Jump)>, usize) {
    (
        rows.iter().take(8).map(line).collect(),
        rows.len().saturating_sub(8),
    )
}

fn task_cards(vm: &ViewModel) -> Vec<Card> {
    let mut overdue: Vec<_> = vm.overdue().collect();
    overdue.sort_by_key(|t| t.due);
    let mut blocked: Vec<_> = vm.blocked().collect();
    blocked.sort_by_key(|t| t.blocked_since);
    let mut week: Vec<_> = vm.due_this_week().collect();
    week.sort_by_key(|t| t.due);
    let open = |t: &crate::model::Task| Jump::Task(t.id.clone());
    let (overdue_lines, overdue_more) = lines(&overdue, |t| {
        let days = t.due.map(|d| d.days_until(vm.today).max(0)).unwrap_or(0);
        let owner = t.owner.as_deref().unwrap_or("no owner");
        (
            format!("{} — {} late, {owner}", t.title, days_text(days)),
            open(t),
        )
    });
    let (blocked_lines, blocked_more) = lines(&blocked, |t| {
        let days = t
            .blocked_since
            .map(|s| s.local_date().days_until(vm.today).max(0))
            .unwrap_or(0);
        let reason = t.blocked_reason.as_deref().unwrap_or("no reason given");
        (
            format!("{} — {reason} (blocked {})", t.title, days_text(days)),
            open(t),
        )
    });
    let (week_lines, week_more) = lines(&week, |t| {
        let due = t.due.map(|d| d.to_string()).unwrap_or_default();
        (format!("{} — due {due}", t.title), open(t))
    });
    vec![
        Card {
            title: format!("Overdue tasks: {}", overdue.len()),
            lines: overdue_lines,
            more: overdue_more,
            open: ("Open overdue tasks", Jump::Tasks(Filter::Overdue)),
        },
        Card {
            title: format!("Blocked tasks: {}", blocked.len()),
            lines: blocked_lines,
            more: blocked_more,
            open: ("Open blocked tasks", Jump::Tasks(Filter::Blocked)),
        },
        Card {
            title: format!("Due this week: {}", week.len()),
            lines: week_lines,
            more: week_more,
            open: ("Open tasks due this week", Jump::Tasks(Filter::ThisWeek)),
        },
    ]
}

fn inventory_cards(vm: &ViewModel) -> Vec<Card> {
    let (lines, more) = lines(&vm.low_stock, |l| {
        (
            format!(
                "{} at {}: {} {} (reorder at {})",
                l.item.name,
                vm.site_name(&l.site_id),
                l.on_hand,
                l.item.unit,
                l.threshold
            ),
            Jump::Item(l.item.id.clone()),
        )
    });
    vec![Card {
        title: format!("Low stock: {}", vm.low_stock.len()),
        lines,
        more,
        open: ("Open low stock", Jump::LowStock),
    }]
}

/// Tasks the dashboard counts as slipping (overdue or blocked, each once).
pub fn slipping(vm: &ViewModel) -> usize {
    vm.tasks
        .iter()
        .filter(|t| {
            t.is_overdue(vm.today) || (t.is_open() && t.status == crate::model::TaskStatus::Blocked)
        })
        .count()
}

/// "today", "1 day", "3 days".
fn days_text(days: i64) -> String {
    if days == 0 {
        "today".into()
    } else if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}
