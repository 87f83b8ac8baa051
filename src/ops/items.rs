//! Creating an inventory item with opening stock at a site named by the
//! user (the site made too if it is new): two documents, finished after a
//! crash by running it again.

use super::Outcome;
use super::journal::{Action, Step};
use crate::model::schema::{Described, FieldContext, same_name};
use crate::model::{InventoryItem, Record, Site, new_id};
use crate::store::{Result, Store};

/// An item with opening stock at a site given by name. The site (root
/// document) and the item (inventory document) are two commits; both ids are
/// fixed beforehand by [`super::apply::prepare`], so a second run after a crash finds
/// what the first created and completes the rest.
pub(super) fn create_item(
    store: &Store,
    fields: &[super::FieldInput],
    site: Option<&str>,
    qty: i64,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let id = get("id").unwrap_or_else(new_id);
    let mut item = InventoryItem {
        id: id.clone(),
        ..Default::default()
    };
    for (key, text) in fields.iter().filter(|(k, _)| k != "id" && k != "site_id") {
        item.set_field_text(key, text, cx)?;
    }
    item.validate()?;
    let taken = store
        .list::<InventoryItem>(false)?
        .into_iter()
        .find(|other| other.id != id && same_name(&other.name, &item.name));
    if let Some(other) = taken {
        return Err(crate::model::ValidationError::new(
            "name",
            format!(
                "an item named {:?} already exists (id {}); pick another name",
                other.name, other.id
            ),
        )
        .into());
    }
    if qty < 0 {
        return Err(crate::model::ValidationError::new("quantity", "must be 0 or more").into());
    }
    let mut steps = Vec::new();
    let site_id = match site.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(match store.site_by_name(name)? {
            Some(existing) => existing.id,
            None => {
                let site_id = get("site_id").unwrap_or_else(new_id);
                if store.get::<Site>(&site_id)?.is_none() {
                    store.create(Site {
                        id: site_id.clone(),
                        name: name.to_string(),
                        ..Default::default()
                    })?;
                }
                steps.push(Step::Created {
                    kind: Site::KIND.into(),
                    id: site_id.clone(),
                });
                site_id
            }
        }),
    };
    if store.get::<InventoryItem>(&id)?.is_none() {
        store.create_item(item, site_id.as_deref().map(|s| (s, qty)))?;
    }
    steps.push(Step::Created {
        kind: InventoryItem::KIND.into(),
        id: id.clone(),
    });
    let name = store.require::<InventoryItem>(&id)?.name;
    Ok((
        Outcome {
            created: Some(id),
            message: None,
        },
        Action {
            label: format!("Create item “{name}”"),
            steps,
        },
    ))
}
