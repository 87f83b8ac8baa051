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
    Vendor(String),
    Order(String),
    Invoice(String),
    Contract(String),
    /// A tab of the Purchasing area.
    Purchasing(super::purchasing::Tab),
    Meeting(String),
    /// The Meetings area's week view (clashes first).
    MeetingsWeek,
    /// An onboarding or offboarding plan.
    Plan(String),
    Maintenance(String),
    Asset(String),
    Doc(String),
    /// The Docs area showing what is due for review.
    DocsReviewDue,
    /// A person in the directory, by name.
    Person(String),
}

impl Jump {
    /// Where "Show" on a "created" toast leads.
    pub fn created(kind: &str, id: &str) -> Option<Jump> {
        let id = id.to_string();
        Some(match kind {
            "tasks" => Jump::Task(id),
            "items" => Jump::Item(id),
            "vendors" => Jump::Vendor(id),
            "purchase_orders" => Jump::Order(id),
            "invoices" => Jump::Invoice(id),
            "contracts" => Jump::Contract(id),
            "meetings" => Jump::Meeting(id),
            "onboarding_plans" => Jump::Plan(id),
            "maintenance" => Jump::Maintenance(id),
            "assets" => Jump::Asset(id),
            "docs" => Jump::Doc(id),
            _ => return None,
        })
    }
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
    /// A count beside the area's name in the sidebar, and what it counts.
    pub badge: fn(&ViewModel) -> Option<(usize, String)>,
}

/// No count in the sidebar.
fn no_badge(_: &ViewModel) -> Option<(usize, String)> {
    None
}

pub const AREAS: [AreaEntry; 16] = [
    AreaEntry {
        tab: AreaTab::Dashboard,
        label: "Dashboard",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
        badge: slipping_badge,
    },
    AreaEntry {
        tab: AreaTab::Inbox,
        label: "Inbox",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
        badge: super::inbox::badge,
    },
    AreaEntry {
        tab: AreaTab::Tasks,
        label: "Tasks",
        new_record: Some(|s| s.tasks.focus_quick_add = true),
        records: task_entries,
        cards: task_cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Inventory,
        label: "Inventory",
        new_record: Some(|s| s.inventory.adding = true),
        records: item_entries,
        cards: inventory_cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Vendors,
        label: "Vendors",
        new_record: Some(|s| s.vendors.focus_new = true),
        records: vendor_entries,
        cards: |_| Vec::new(),
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Purchasing,
        label: "Purchasing",
        new_record: Some(|s| s.purchasing.start_new()),
        records: purchasing_entries,
        cards: purchasing_cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Budget,
        label: "Budget",
        new_record: Some(|s| s.budget.tab = super::budget::Tab::Ledger),
        records: |_| Vec::new(),
        cards: budget_cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Meetings,
        label: "Meetings",
        new_record: Some(|s| s.meetings.tab = super::meetings::Tab::Meetings),
        records: super::meetings::entries,
        cards: super::meetings::cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Onboarding,
        label: "Onboarding",
        new_record: Some(|s| s.onboarding.tab = super::onboarding::Tab::Plans),
        records: super::onboarding::entries,
        cards: super::onboarding::cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Facilities,
        label: "Facilities",
        new_record: Some(|s| s.facilities.show = super::facilities::Show::Open),
        records: super::facilities::entries,
        cards: super::facilities::cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Docs,
        label: "Docs",
        new_record: Some(|s| s.docs.open = None),
        records: super::docs::entries,
        cards: super::docs::cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::People,
        label: "People",
        new_record: Some(|s| s.people.tab = super::people::Tab::Directory),
        records: super::people::entries,
        cards: super::people::cards,
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Reports,
        label: "Reports",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Conflicts,
        label: "Conflicts",
        new_record: None,
        records: |_| Vec::new(),
        cards: conflict_cards,
        badge: super::conflicts::badge,
    },
    AreaEntry {
        tab: AreaTab::Trash,
        label: "Trash",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
        badge: no_badge,
    },
    AreaEntry {
        tab: AreaTab::Team,
        label: "Team & Sync",
        new_record: None,
        records: |_| Vec::new(),
        cards: |_| Vec::new(),
        badge: no_badge,
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

fn vendor_entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.purchasing
        .vendors
        .iter()
        .map(|v| (format!("Vendor: {}", v.name), Jump::Vendor(v.id.clone())))
        .collect()
}

fn purchasing_entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    let view = &vm.purchasing;
    let orders = view.orders.iter().map(|o| {
        (
            format!("Order: {} ({})", o.number, view.vendor_name(&o.vendor)),
            Jump::Order(o.id.clone()),
        )
    });
    let invoices = view.invoices.iter().map(|i| {
        (
            format!("Invoice: {} ({})", i.number, view.vendor_name(&i.vendor)),
            Jump::Invoice(i.id.clone()),
        )
    });
    let contracts = view.contracts.iter().map(|c| {
        (
            format!("Contract: {} ({})", c.title, view.vendor_name(&c.vendor)),
            Jump::Contract(c.id.clone()),
        )
    });
    orders.chain(invoices).chain(contracts).collect()
}

fn purchasing_cards(vm: &ViewModel) -> Vec<Card> {
    use super::purchasing::{AWAITING_DAYS, Tab};
    let view = &vm.purchasing;
    let decisions: Vec<_> = view
        .renewals
        .iter()
        .filter(|r| r.days_left <= super::renewals::DECISION_DAYS)
        .collect();
    let (renewal_lines, renewal_more) = lines(&decisions, |r| {
        let when = if r.days_left < 0 {
            format!("notice deadline passed {} ago", days_text(-r.days_left))
        } else {
            format!("give notice within {}", days_text(r.days_left))
        };
        (
            format!(
                "{} ({}) — {when}",
                r.contract.title,
                view.vendor_name(&r.contract.vendor)
            ),
            Jump::Contract(r.contract.id.clone()),
        )
    });
    let late: Vec<_> = view.awaiting_delivery(vm.today, AWAITING_DAYS).collect();
    let (late_lines, late_more) = lines(&late, |o| {
        let days = o.sent_on.map_or(0, |s| s.days_until(vm.today));
        (
            format!(
                "{} ({}) — {}, sent {} ago",
                o.number,
                view.vendor_name(&o.vendor),
                view.order_status.get(&o.id).copied().unwrap_or(""),
                days_text(days)
            ),
            Jump::Order(o.id.clone()),
        )
    });
    let queue: Vec<_> = view.to_reconcile().collect();
    let (queue_lines, queue_more) = lines(&queue, |i| {
        let why = view
            .matches
            .get(&i.id)
            .and_then(|m| m.reasons.first().cloned())
            .unwrap_or_else(|| "no purchase order".into());
        (
            format!("{} ({}) — {why}", i.number, view.vendor_name(&i.vendor)),
            Jump::Invoice(i.id.clone()),
        )
    });
    let mut due: Vec<_> = view.due_within_week(vm.today).collect();
    due.sort_by_key(|i| i.due);
    let (due_lines, due_more) = lines(&due, |i| {
        let when = match i.due {
            Some(d) if d < vm.today => format!("overdue since {d}"),
            Some(d) => format!("due {d}"),
            None => String::new(),
        };
        (
            format!(
                "{} ({}) — {}, {when}",
                i.number,
                view.vendor_name(&i.vendor),
                i.total
            ),
            Jump::Invoice(i.id.clone()),
        )
    });
    vec![
        Card {
            title: format!("Renewals to decide: {}", decisions.len()),
            lines: renewal_lines,
            more: renewal_more,
            open: ("Open the renewal calendar", Jump::Purchasing(Tab::Renewals)),
        },
        Card {
            title: format!("Awaiting delivery over a week: {}", late.len()),
            lines: late_lines,
            more: late_more,
            open: ("Open purchase orders", Jump::Purchasing(Tab::Orders)),
        },
        Card {
            title: format!("Invoices to reconcile: {}", queue.len()),
            lines: queue_lines,
            more: queue_more,
            open: ("Open the reconcile queue", Jump::Purchasing(Tab::Reconcile)),
        },
        Card {
            title: format!("Invoices due this week or overdue: {}", due.len()),
            lines: due_lines,
            more: due_more,
            open: ("Open invoices", Jump::Purchasing(Tab::Invoices)),
        },
    ]
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
/// The dashboard's count: tasks overdue or blocked.
fn slipping_badge(vm: &ViewModel) -> Option<(usize, String)> {
    let n = slipping(vm);
    (n > 0).then(|| {
        (
            n,
            format!("{n} task(s) overdue or blocked (each counted once)"),
        )
    })
}

/// The dashboard card for fields in conflict.
fn conflict_cards(vm: &ViewModel) -> Vec<Card> {
    if vm.conflicts.is_empty() {
        return Vec::new();
    }
    vec![Card {
        title: format!("Conflicts to resolve: {}", vm.conflicts.len()),
        lines: vm
            .conflicts
            .iter()
            .take(8)
            .map(|c| {
                (
                    format!("{} “{}”: {}", c.label, c.name, c.field_label),
                    Jump::Area(AreaTab::Conflicts),
                )
            })
            .collect(),
        more: vm.conflicts.len().saturating_sub(8),
        open: ("Open conflicts", Jump::Area(AreaTab::Conflicts)),
    }]
}

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

/// Budget lines of the running period over budget, or forecast over by
/// more than the workspace threshold.
fn budget_cards(vm: &ViewModel) -> Vec<Card> {
    let flagged: Vec<(String, Jump)> = vm
        .budget
        .flagged()
        .map(|(line, s)| {
            (
                format!(
                    "{} · {}: {} ({} of {})",
                    line.category,
                    s.period,
                    s.flag.as_str(),
                    crate::model::orders::amount_text(s.spent),
                    crate::model::orders::amount_text(s.budget)
                ),
                Jump::Area(AreaTab::Budget),
            )
        })
        .collect();
    if flagged.is_empty() {
        return Vec::new();
    }
    let more = flagged.len().saturating_sub(8);
    vec![Card {
        title: format!("Budget variances: {}", flagged.len()),
        lines: flagged.into_iter().take(8).collect(),
        more,
        open: ("Open budget", Jump::Area(AreaTab::Budget)),
    }]
}
