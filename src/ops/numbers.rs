//! Purchase order numbers that two offline devices can never both give out.
//!
//! A number is `PO-<series>-<counter>`. Each device numbers from its own
//! series: the shortest start (at least two characters) of its device key
//! that is not the start of any other device key it knows. Membership
//! reaches a device before it can write, so two devices that both know each
//! other always get different series; the counter is one more than the
//! highest number of the series in the document (trash included), and only
//! the series' own device writes numbers in it.

/// The series of `own` (a device key) among the `others` this device knows.
pub(super) fn series_tag(own: &str, others: &[String]) -> String {
    let clean = |key: &str| -> String {
        key.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let own = clean(own);
    let others: Vec<String> = others
        .iter()
        .map(|o| clean(o))
        .filter(|o| *o != own)
        .collect();
    (2..=own.len())
        .map(|len| &own[..len])
        .find(|tag| !others.iter().any(|o| o.starts_with(tag)))
        .unwrap_or(&own)
        .to_string()
}

/// The next number of `series`, given every number in the document.
pub(super) fn next_number(series: &str, existing: &[String]) -> String {
    let prefix = format!("PO-{series}-");
    let highest = existing
        .iter()
        .filter_map(|n| n.strip_prefix(&prefix))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:04}", highest.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_avoids_every_known_device_and_counts_on() {
        let others = vec!["3fa9c0".to_string(), "71bb00".to_string()];
        assert_eq!(series_tag("3f0e11", &others), "3F0");
        assert_eq!(series_tag("c81234", &others), "C8");
        let numbers = vec!["PO-C8-0009".to_string(), "PO-C81-0042".to_string()];
        assert_eq!(next_number("C8", &numbers), "PO-C8-0010");
        assert_eq!(next_number("AB", &numbers), "PO-AB-0001");
    }
}
