//! The record kinds the operations layer edits generically, by their kind
//! name (`"tasks"`). Adding a kind to an area is one line here.

/// Runs `$body` with `$R` bound to the record type named `$kind`, or
/// returns a "no such kind" error.
macro_rules! with_kind {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            "tasks" => {
                type $R = $crate::model::Task;
                $body
            }
            "projects" => {
                type $R = $crate::model::Project;
                $body
            }
            "items" => {
                type $R = $crate::model::InventoryItem;
                $body
            }
            "sites" => {
                type $R = $crate::model::Site;
                $body
            }
            "vendors" => {
                type $R = $crate::model::Vendor;
                $body
            }
            "contracts" => {
                type $R = $crate::model::Contract;
                $body
            }
            "purchase_orders" => {
                type $R = $crate::model::PurchaseOrder;
                $body
            }
            "receipts" => {
                type $R = $crate::model::Receipt;
                $body
            }
            "invoices" => {
                type $R = $crate::model::Invoice;
                $body
            }
            "budget_lines" => {
                type $R = $crate::model::BudgetLine;
                $body
            }
            "expenses" => {
                type $R = $crate::model::Expense;
                $body
            }
            "meetings" => {
                type $R = $crate::model::Meeting;
                $body
            }
            "people" => {
                type $R = $crate::model::Person;
                $body
            }
            "rooms" => {
                type $R = $crate::model::Room;
                $body
            }
            "onboarding_templates" => {
                type $R = $crate::model::OnboardingTemplate;
                $body
            }
            "onboarding_plans" => {
                type $R = $crate::model::OnboardingPlan;
                $body
            }
            "maintenance" => {
                type $R = $crate::model::MaintenanceRequest;
                $body
            }
            "docs" => {
                type $R = $crate::model::Doc;
                $body
            }
            "assets" => {
                type $R = $crate::model::Asset;
                $body
            }
            "rules" => {
                type $R = $crate::model::automation::Rule;
                $body
            }
            other => Err($crate::store::StoreError::Rejected(format!(
                "records of kind {other:?} cannot be changed here"
            ))),
        }
    };
}
pub(crate) use with_kind;
