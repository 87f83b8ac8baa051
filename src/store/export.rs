//! `bureau export --json`: every shared record (past years' archived
//! tasks under `archived_tasks`, by year) and every document's text,
//! keys sorted, nothing device-local, so two devices holding the same
//! changes print the same bytes.

use serde_json::{Map, Value, json};

use super::{Result, Store};
use crate::model::*;

/// Rebuilds a JSON value with every object's keys in sorted order.
fn canonical(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canonical(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

impl Store {
    fn export_kind<R: Record>(&self, out: &mut Map<String, Value>) -> Result<()> {
        let mut records = Map::new();
        for record in self.list::<R>(true)? {
            let value = serde_json::to_value(&record)
                .map_err(|e| super::StoreError::Corrupt(e.to_string()))?;
            records.insert(record.id().to_string(), value);
        }
        out.insert(R::KIND.to_string(), Value::Object(records));
        Ok(())
    }

    /// The whole shared workspace as canonical JSON.
    pub fn export_json(&self) -> Result<Value> {
        let mut out = Map::new();
        out.insert("schema_version".into(), json!(SCHEMA_VERSION));
        out.insert(
            "workspace".into(),
            serde_json::to_value(self.workspace()?)
                .map_err(|e| super::StoreError::Corrupt(e.to_string()))?,
        );
        macro_rules! each {
            ($($R:ty),*) => { $( self.export_kind::<$R>(&mut out)?; )* };
        }
        crate::model::every_kind!(each);
        // Items with their stock per site (replacing the plain records).
        let mut items = Map::new();
        for stock in self.list_item_stock(true)? {
            let value = serde_json::to_value(&stock)
                .map_err(|e| super::StoreError::Corrupt(e.to_string()))?;
            items.insert(stock.item.id.clone(), value);
        }
        out.insert(InventoryItem::KIND.into(), Value::Object(items));
        // Each document's text, by document id (a text that has not reached
        // this machine yet is left out).
        let mut bodies = Map::new();
        for doc in self.list::<Doc>(true)? {
            if doc.body_doc.is_empty() {
                continue;
            }
            if let Ok(text) = self.body_text(&doc.body_doc) {
                bodies.insert(doc.id.clone(), Value::String(text));
            }
        }
        out.insert("doc_bodies".into(), Value::Object(bodies));
        // Past years' tasks, by year, once anything was archived (a year
        // not on this machine yet is left out).
        let archives = self.archives()?;
        if !archives.is_empty() {
            let mut years = Map::new();
            for (year, here) in archives.iter().flat_map(|a| a.years.iter()) {
                if !here {
                    continue;
                }
                let mut tasks = Map::new();
                for task in self.archived::<Task>(*year)?.records {
                    let value = serde_json::to_value(&task)
                        .map_err(|e| super::StoreError::Corrupt(e.to_string()))?;
                    tasks.insert(task.id.clone(), value);
                }
                years.insert(year.to_string(), Value::Object(tasks));
            }
            out.insert("archived_tasks".into(), Value::Object(years));
        }
        Ok(canonical(Value::Object(out)))
    }
}
