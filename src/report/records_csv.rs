//! Records as CSV: one row per record, a header row of field names (`id`
//! first, the audit fields last), for every record kind. Text is written
//! as typed, amounts as `42.50 EUR`, lists and nested parts (order lines,
//! contacts) as JSON in their cell. Reading maps columns by header name,
//! so columns may come in any order and unknown ones are refused by name.
//!
//! What to do with the rows (check them, write them) is the operations
//! layer's (`ops::import`); this module only converts.

use serde_json::{Map, Value};

use crate::model::Money;
use crate::model::Record;

const AUDIT: [&str; 5] = [
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
];

/// A record's JSON fields as an object (empty if it is not one).
fn fields_of<R: Record>(record: &R) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The columns of a kind: `id`, its fields by name, then the audit fields.
pub fn columns<R: Record + Default>() -> Vec<String> {
    let template = fields_of(&R::default());
    let mut out = vec!["id".to_string()];
    out.extend(
        template
            .keys()
            .filter(|k| *k != "id" && !AUDIT.contains(&k.as_str()))
            .cloned(),
    );
    out.extend(AUDIT.iter().map(|k| k.to_string()));
    out
}

fn is_money(value: &Value) -> bool {
    matches!(value, Value::Object(m) if m.len() == 2 && m.contains_key("minor") && m.contains_key("currency"))
}

/// One cell: text as is, nothing as empty, amounts as "42.50 EUR", the rest
/// as JSON.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(v) if is_money(v) => serde_json::from_value::<Money>(v.clone())
            .map(|m| m.to_string())
            .unwrap_or_default(),
        Some(v) => v.to_string(),
    }
}

/// Every record as CSV with a header row.
pub fn write<R: Record + Default>(records: &[R]) -> Result<Vec<u8>, String> {
    let columns = columns::<R>();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&columns).map_err(|e| e.to_string())?;
    for record in records {
        let fields = fields_of(record);
        let row: Vec<String> = columns.iter().map(|c| cell(fields.get(c))).collect();
        out.write_record(&row).map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.into_error().to_string())
}

/// Every record of `kind` (trash included, so a round trip keeps it) as
/// CSV; `kind` is a kind's name as in `bureau export --csv tasks`.
pub fn export_kind(store: &crate::store::Store, kind: &str) -> crate::store::Result<Vec<u8>> {
    macro_rules! kinds {
        ($($R:ty),*) => {
            match kind {
                $( k if k == <$R>::KIND => write(&store.list::<$R>(true)?), )*
                other => {
                    let known: Vec<&str> = crate::store::ALL_KINDS.iter().map(|(k, _)| *k).collect();
                    return Err(crate::store::StoreError::Rejected(format!(
                        "no record kind {other:?}; use one of {}",
                        known.join(", ")
                    )));
                }
            }
        };
    }
    crate::model::every_kind!(kinds).map_err(crate::store::StoreError::Corrupt)
}

/// A row read from a file: its line number and the record, or what is
/// wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<R> {
    pub line: u64,
    pub record: Result<R, String>,
}

/// A cell as the JSON value the field's template expects.
fn value_for(template: &Value, text: &str, currency: &str) -> Result<Value, String> {
    let text = text.trim();
    Ok(match template {
        Value::String(_) => Value::String(text.to_string()),
        _ if text.is_empty() => match template {
            Value::Null => Value::Null,
            other => other.clone(),
        },
        Value::Bool(_) => match text.to_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(format!("{text:?} is not yes or no")),
        },
        Value::Number(_) => serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .map_err(|_| format!("{text:?} is not a number"))?,
        v if is_money(v) => {
            serde_json::to_value(Money::parse(text, currency)?).map_err(|e| e.to_string())?
        }
        // A list typed as "a, b" (tags, watchers) rather than JSON.
        Value::Array(_) if !text.starts_with('[') => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_string()))
                .collect(),
        ),
        Value::Object(_) | Value::Array(_) => serde_json::from_str(text)
            .map_err(|e| format!("expected JSON like the export writes ({e})"))?,
        // An optional field: text, unless it reads as a number, list or map.
        Value::Null => match serde_json::from_str::<Value>(text) {
            Ok(v @ (Value::Number(_) | Value::Array(_) | Value::Object(_) | Value::Bool(_))) => v,
            _ => Value::String(text.to_string()),
        },
    })
}

/// Reads every row of a CSV file of one kind. A file whose header names a
/// column the kind doesn't have, or lacks none it needs, is refused as a
/// whole; a bad row is reported with its line number and the rest read.
pub fn read<R: Record + Default>(bytes: &[u8], currency: &str) -> Result<Vec<Row<R>>, String> {
    let template = fields_of(&R::default());
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the header row can't be read: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase().replace([' ', '-'], "_"))
        .collect();
    let unknown: Vec<&String> = header
        .iter()
        .filter(|h| !h.is_empty() && !template.contains_key(h.as_str()))
        .collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
        return Err(format!(
            "line 1: unknown column{} {}; a {} file has: {}",
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            R::KIND,
            columns::<R>().join(", ")
        ));
    }
    let mut rows = Vec::new();
    for (index, result) in reader.records().enumerate() {
        let fallback = index as u64 + 2;
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(fallback, |p| p.line());
                rows.push(Row {
                    line,
                    record: Err(format!("can't be read: {e}")),
                });
                continue;
            }
        };
        let line = record.position().map_or(fallback, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > header.len() {
            rows.push(Row {
                line,
                record: Err(format!(
                    "has {} cells but the header has {} columns",
                    record.len(),
                    header.len()
                )),
            });
            continue;
        }
        let mut fields = template.clone();
        let mut problem = None;
        for (column, text) in header.iter().zip(record.iter()) {
            let Some(t) = template.get(column) else {
                continue;
            };
            match value_for(t, text, currency) {
                Ok(v) => {
                    fields.insert(column.clone(), v);
                }
                Err(e) => {
                    problem = Some(format!("{column}: {e}"));
                    break;
                }
            }
        }
        let parsed = match problem {
            Some(p) => Err(p),
            None => serde_json::from_value::<R>(Value::Object(fields.clone()))
                .map_err(|e| culprit::<R>(&template, &fields).unwrap_or_else(|| e.to_string())),
        };
        rows.push(Row {
            line,
            record: parsed,
        });
    }
    Ok(rows)
}

/// Which column makes a row unreadable: the first whose value alone,
/// in an otherwise default record, can't be read ("due: …").
fn culprit<R: Record>(
    template: &Map<String, Value>,
    fields: &Map<String, Value>,
) -> Option<String> {
    fields.iter().find_map(|(key, value)| {
        let mut one = template.clone();
        one.insert(key.clone(), value.clone());
        serde_json::from_value::<R>(Value::Object(one))
            .err()
            .map(|e| format!("{key}: {value} can't be read ({e})"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Expense, Task, TaskStatus};

    #[test]
    fn a_record_survives_the_round_trip_and_columns_map_by_name() {
        let expense = Expense {
            id: "e1".into(),
            date: Date::new(2026, 11, 3).unwrap(),
            amount: Money::new(4250, "EUR"),
            category: "Office, supplies \"misc\"".into(),
            site: Some("hq".into()),
            ..Default::default()
        };
        let bytes = write(std::slice::from_ref(&expense)).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("id,"), "{text}");
        assert!(text.contains("42.50 EUR"), "{text}");
        let rows = read::<Expense>(&bytes, "EUR").unwrap();
        assert_eq!(rows[0].record.as_ref().unwrap(), &expense);
        // Columns in another order, fewer of them, and a header in words.
        let typed = "Amount,Category,date\n12.5,Travel,2026-11-04\n";
        let rows = read::<Expense>(typed.as_bytes(), "EUR").unwrap();
        let e = rows[0].record.as_ref().unwrap();
        assert_eq!((e.amount.minor, e.category.as_str()), (1250, "Travel"));
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn bad_cells_name_their_line_and_column() {
        let typed = "title,status,due\nA,todo,2026-11-30\nB,todo,31/11/2026\n";
        let rows = read::<Task>(typed.as_bytes(), "EUR").unwrap();
        assert_eq!(rows[0].record.as_ref().unwrap().status, TaskStatus::Todo);
        assert_eq!(rows[1].line, 3);
        assert!(rows[1].record.is_err());
        let err = read::<Task>(b"title,colour\nA,red\n", "EUR").unwrap_err();
        assert!(err.contains("unknown column colour"), "{err}");
    }
}
