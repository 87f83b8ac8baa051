//! Following a dashboard card, a palette choice or a link between areas
//! ([`areas::Jump`]) to the screen that shows it.

use super::backend::ViewModel;
use super::{
    AreaTab, BureauApp, areas, docs, facilities, meetings, onboarding, people, purchasing, tasks,
};

impl BureauApp {
    /// Follows a dashboard card, palette choice or link.
    pub(super) fn go(&mut self, jump: areas::Jump, vm: &ViewModel) {
        match jump {
            areas::Jump::Area(area) => self.prefs.area = area,
            areas::Jump::Tasks(filter) => {
                self.prefs.area = AreaTab::Tasks;
                self.screens.tasks.filter = filter;
            }
            areas::Jump::Board => {
                self.prefs.area = AreaTab::Tasks;
                self.screens.tasks.board = true;
            }
            areas::Jump::Task(id) => {
                self.prefs.area = AreaTab::Tasks;
                self.screens.tasks.filter = tasks::Filter::All;
                self.screens.tasks.search.clear();
                self.screens.tasks.selected = Some(id);
            }
            areas::Jump::Vendor(id) => {
                self.prefs.area = AreaTab::Vendors;
                self.screens.vendors.selected = Some(id);
            }
            areas::Jump::Order(id) => {
                self.prefs.area = AreaTab::Purchasing;
                self.screens.purchasing.tab = purchasing::Tab::Orders;
                self.screens.purchasing.show_closed |=
                    vm.purchasing.order(&id).is_some_and(|o| !o.is_open());
                self.screens.purchasing.selected_order = Some(id);
            }
            areas::Jump::Invoice(id) => {
                self.prefs.area = AreaTab::Purchasing;
                self.screens.purchasing.tab = purchasing::Tab::Invoices;
                self.screens.purchasing.selected_invoice = Some(id);
            }
            areas::Jump::Contract(id) => {
                self.prefs.area = AreaTab::Purchasing;
                self.screens.purchasing.tab = purchasing::Tab::Renewals;
                self.screens.purchasing.selected_contract = Some(id);
            }
            areas::Jump::Purchasing(tab) => {
                self.prefs.area = AreaTab::Purchasing;
                self.screens.purchasing.tab = tab;
            }
            areas::Jump::Meeting(id) => {
                self.prefs.area = AreaTab::Meetings;
                self.screens.meetings.open_meeting(id);
            }
            areas::Jump::MeetingsWeek => {
                self.prefs.area = AreaTab::Meetings;
                self.screens.meetings.tab = meetings::Tab::Week;
            }
            areas::Jump::Plan(id) => {
                self.prefs.area = AreaTab::Onboarding;
                self.screens.onboarding.tab = onboarding::Tab::Plans;
                self.screens.onboarding.selected = Some(id);
            }
            areas::Jump::Maintenance(id) => {
                self.prefs.area = AreaTab::Facilities;
                self.screens.facilities.tab = facilities::Tab::Maintenance;
                self.screens.facilities.show = facilities::Show::All;
                self.screens.facilities.selected = Some(id);
            }
            areas::Jump::Asset(id) => {
                self.prefs.area = AreaTab::Facilities;
                self.screens.facilities.tab = facilities::Tab::Equipment;
                self.screens.facilities.equipment.selected = Some(id);
            }
            areas::Jump::Doc(id) => {
                self.prefs.area = AreaTab::Docs;
                self.screens.docs.open(id);
            }
            areas::Jump::DocsReviewDue => {
                self.prefs.area = AreaTab::Docs;
                self.screens.docs.open = None;
                self.screens.docs.show = docs::Show::ReviewDue;
            }
            areas::Jump::Person(name) => {
                self.prefs.area = AreaTab::People;
                self.screens.people.tab = people::Tab::Directory;
                self.screens.people.search.clear();
                self.screens.people.selected = Some(name);
            }
            areas::Jump::LowStock => {
                self.prefs.area = AreaTab::Inventory;
                self.screens.inventory.low_only = true;
            }
            areas::Jump::Item(id) => {
                self.prefs.area = AreaTab::Inventory;
                self.screens.inventory.search = vm
                    .items
                    .iter()
                    .find(|i| i.item.id == id)
                    .map(|i| i.item.name.clone())
                    .unwrap_or_default();
            }
        }
    }
}
