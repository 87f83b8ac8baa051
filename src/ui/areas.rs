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
    Task(String),
    Item(String),
}

/// A dashboard card: "what is slipping" in one area.
pub struct Card {
    pub title: String,
    pub lines: Vec<String>,
    /// The button under the card ("Open overdue tasks") and where it goes.
    pub open: (&'static str, Jump),
}

/// One area of the app.
pub struct AreaEntry {
    pub tab: AreaTab,
    pub label: &'static str,
    /// What Ctrl+N does in this area (`None`: a new task).
    pub new_record: Option<fn(&mut Screens)>,
    /// Records matching a palette query (already lowercased, not empty).
    pub find: fn(&ViewModel, &str) -> Vec<(String, Jump)>,
    /// This area's dashboard cards.
    pub cards: fn(&ViewModel) -> Vec<Card>,
}

pub const AREAS: [AreaEntry; 5] = [
    AreaEntry {
        tab: AreaTab::Dashboard,
        label: "Dashboard",
        new_record: None,
        find: |_, _| Vec::new(),
        cards: |_| Vec::new(),
    },
    AreaEntry {
        tab: AreaTab::Tasks,
        label: "Tasks",
        new_record: Some(|s| s.tasks.focus_quick_add = true),
        find: find_tasks,
        cards: task_cards,
    },
    AreaEntry {
        tab: AreaTab::Inventory,
        label: "Inventory",
        new_record: Some(|s| s.inventory.adding = true),
        find: find_items,
        cards: inventory_cards,
    },
    AreaEntry {
        tab: AreaTab::Trash,
        label: "Trash",
        new_record: None,
        find: |_, _| Vec::new(),
        cards: |_| Vec::new(),
    },
    AreaEntry {
        tab: AreaTab::Team,
        label: "Team & Sync",
        new_record: None,
        find: |_, _| Vec::new(),
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

fn find_tasks(vm: &ViewModel, query: &str) -> Vec<(String, Jump)> {
    vm.tasks
        .iter()
        .filter(|t| t.title.to_lowercase().contains(query))
        .take(8)
        .map(|t| (format!("Task: {}", t.title), Jump::Task(t.id.clone())))
        .collect()
}

fn find_items(vm: &ViewModel, query: &str) -> Vec<(String, Jump)> {
    vm.items
        .iter()
        .filter(|i| i.item.name.to_lowercase().contains(query))
        .take(5)
        .map(|i| {
            (
                format!("Item: {}", i.item.name),
                Jump::Item(i.item.id.clone()),
            )
        })
        .collect()
}

fn task_cards(vm: &ViewModel) -> Vec<Card> {
    let mut overdue: Vec<_> = vm.overdue().collect();
    overdue.sort_by_key(|t| t.due);
    let mut blocked: Vec<_> = vm.blocked().collect();
    blocked.sort_by_key(|t| t.blocked_since);
    let mut week: Vec<_> = vm.due_this_week().collect();
    week.sort_by_key(|t| t.due);
    vec![
        Card {
            title: format!("Overdue tasks: {}", overdue.len()),
            lines: overdue
                .iter()
                .take(8)
                .map(|t| {
                    let days = t.due.map(|d| d.days_until(vm.today).max(0)).unwrap_or(0);
                    format!(
                        "{} — {} day(s) late, {}",
                        t.title,
                        days,
                        t.owner.as_deref().unwrap_or("no owner")
                    )
                })
                .collect(),
            open: ("Open overdue tasks", Jump::Tasks(Filter::Overdue)),
        },
        Card {
            title: format!("Blocked tasks: {}", blocked.len()),
            lines: blocked
                .iter()
                .take(8)
                .map(|t| {
                    let days = t
                        .blocked_since
                        .map(|s| s.date().days_until(vm.today).max(0))
                        .unwrap_or(0);
                    format!(
                        "{} — {} (blocked {} day(s))",
                        t.title,
                        t.blocked_reason.as_deref().unwrap_or("no reason given"),
                        days
                    )
                })
                .collect(),
            open: ("Open blocked tasks", Jump::Tasks(Filter::Blocked)),
        },
        Card {
            title: format!("Due this week: {}", week.len()),
            lines: week
                .iter()
                .take(8)
                .map(|t| {
                    let due = t.due.map(|d| d.to_string()).unwrap_or_default();
                    format!("{} — due {due}", t.title)
                })
                .collect(),
            open: ("Open tasks due this week", Jump::Tasks(Filter::ThisWeek)),
        },
    ]
}

fn inventory_cards(vm: &ViewModel) -> Vec<Card> {
    vec![Card {
        title: format!("Low stock: {}", vm.low_stock.len()),
        lines: vm
            .low_stock
            .iter()
            .take(8)
            .map(|l| {
                format!(
                    "{} at {}: {} {} (reorder at {})",
                    l.item.name,
                    vm.site_name(&l.site_id),
                    l.on_hand,
                    l.item.unit,
                    l.threshold
                )
            })
            .collect(),
        open: ("Open inventory", Jump::Area(AreaTab::Inventory)),
    }]
}
