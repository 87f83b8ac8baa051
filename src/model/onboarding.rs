//! Onboarding templates and the per-hire plans made from them.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, record, require_text};
use super::values::{Date, Stamp};
use super::workspace::Role;

/// A step in a template: who does it (by role in the hire's team, e.g.
/// "IT", "manager") and how many days from the start date it is due.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct TemplateStep {
    pub title: String,
    pub owner_role: String,
    pub offset_days: i64,
    pub order: i64,
}

record! {
    pub struct OnboardingTemplate ("onboarding_templates" in Onboarding) {
        pub name: String,
        pub steps: BTreeMap<String, TemplateStep>,
    }
    validate(t) {
        require_text("template name", &t.name)?;
        for s in t.steps.values() {
            require_text("step title", &s.title)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct PlanStep {
    pub title: String,
    pub owner: Option<String>,
    pub due: Date,
    pub done: bool,
    pub done_at: Option<Stamp>,
    pub order: i64,
}

record! {
    /// A new hire's onboarding checklist.
    pub struct OnboardingPlan ("onboarding_plans" in Onboarding) {
        pub new_hire: String,
        pub start_date: Date,
        pub manager: Option<String>,
        pub site: Option<String>,
        pub template: Option<String>,
        /// Role the hire will have in Bureau, if they get an account.
        pub role: Option<Role>,
        pub steps: BTreeMap<String, PlanStep>,
    }
    validate(p) {
        require_text("new hire", &p.new_hire)?;
        for s in p.steps.values() {
            if s.title.trim().is_empty() {
                return Err(ValidationError::new("step title", "must not be empty"));
            }
        }
        Ok(())
    }
}

super::field_write::nested_fields!(TemplateStep {
    title,
    owner_role,
    offset_days,
    order
});
super::field_write::nested_fields!(PlanStep {
    title,
    owner,
    due,
    done,
    done_at,
    order
});
