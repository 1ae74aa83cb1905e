//! Rows grouped by the label of a column, in the crate's one level order.
//!
//! Every analysis that splits the data by a label column — CSI segments,
//! multi-group analysis levels, SERVQUAL and KANO segments, monitoring
//! segments — groups with [`group_rows`] and orders levels with
//! [`sort_levels`]:
//!
//! - **numerically** when every label is a finite number (`"2"` before
//!   `"10"`; labels equal as numbers, such as `"1"` and `"1.0"`, by code point);
//! - otherwise **by Unicode code point** of the label (Rust's `str` order:
//!   `"B"` before `"a"`, ASCII before CJK; Chinese labels by code point, not
//!   by pinyin or stroke count).
//!
//! Labels are compared exactly as they are in the data (after CSV reading);
//! rows without a label belong to no group and are counted. Grouping is one
//! pass with a hash map, linear in the number of rows whatever the number of
//! groups. Periods are grouped by their [`Period`](crate::Period) instead
//! (chronologically, every spelling of a period in one group).
//!
//! ```
//! use csikit::group::group_rows;
//! let labels = [Some("10"), Some("9"), None, Some("10")].map(|l| l.map(String::from));
//! let g = group_rows(&labels);
//! assert_eq!(g.labels(), ["9", "10"]);
//! assert_eq!(g.groups[1].rows, [0, 3]);
//! assert_eq!(g.n_missing, 1);
//! ```

use std::collections::HashMap;

use serde::Serialize;

/// One level of a label column and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The label.
    pub label: String,
    /// Its rows (0-based, ascending).
    pub rows: Vec<usize>,
}

/// The rows of a label column grouped by label, levels in the crate's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Groups {
    /// The groups, in level order ([module documentation](self)).
    pub groups: Vec<Group>,
    /// Rows without a label.
    pub n_missing: usize,
}

impl Groups {
    /// The labels, in level order.
    pub fn labels(&self) -> Vec<&str> {
        self.groups.iter().map(|g| g.label.as_str()).collect()
    }
}

/// Rows grouped by label in order of first appearance, and the number of
/// rows without a label: one pass with a hash map.
pub(crate) fn group_in_appearance_order<S: AsRef<str>>(
    labels: &[Option<S>],
) -> (Vec<Group>, usize) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut missing = 0;
    for (row, label) in labels.iter().enumerate() {
        let Some(l) = label else {
            missing += 1;
            continue;
        };
        let l = l.as_ref();
        let g = *index.entry(l).or_insert_with(|| {
            groups.push(Group {
                label: l.to_string(),
                rows: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].rows.push(row);
    }
    (groups, missing)
}

/// Groups rows by label (`None` = no label), levels in the crate's order.
pub fn group_rows<S: AsRef<str>>(labels: &[Option<S>]) -> Groups {
    let (mut groups, n_missing) = group_in_appearance_order(labels);
    sort_by_level(&mut groups, |g| g.label.as_str());
    Groups { groups, n_missing }
}

/// A label as a finite number (surrounding whitespace ignored).
fn number(label: &str) -> Option<f64> {
    label.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Sorts items by their label in the crate's level order ([module
/// documentation](self)): numerically when every label is a number,
/// otherwise by code point. Stable.
pub fn sort_by_level<T>(items: &mut [T], label: impl Fn(&T) -> &str) {
    let numeric = items.iter().all(|t| number(label(t)).is_some());
    if numeric {
        items.sort_by(|a, b| {
            let (la, lb) = (label(a), label(b));
            let (x, y) = (number(la).unwrap_or(0.0), number(lb).unwrap_or(0.0));
            x.total_cmp(&y).then_with(|| la.cmp(lb))
        });
    } else {
        items.sort_by(|a, b| label(a).cmp(label(b)));
    }
}

/// Sorts labels in the crate's level order.
///
/// ```
/// let mut l = vec!["10".to_string(), "9".into(), "1".into()];
/// csikit::group::sort_levels(&mut l);
/// assert_eq!(l, ["1", "9", "10"]);
/// let mut l = vec!["华南".to_string(), "north".into(), "East".into()];
/// csikit::group::sort_levels(&mut l);
/// assert_eq!(l, ["East", "north", "华南"]);
/// ```
pub fn sort_levels<S: AsRef<str>>(levels: &mut [S]) {
    sort_by_level(levels, |s| s.as_ref());
}

/// Sorts keys of several label columns (`keys[i][j]`: column `j`) by the
/// level order of the first column, then the second, …; each column's order
/// is decided on its own values ([`sort_levels`]).
pub fn sort_keys(keys: &mut [Vec<String>]) {
    let width = keys.iter().map(Vec::len).max().unwrap_or(0);
    // Rank of every value within its column.
    let ranks: Vec<HashMap<String, usize>> = (0..width)
        .map(|j| {
            let mut values: Vec<&str> = keys
                .iter()
                .filter_map(|k| k.get(j))
                .map(|s| s.as_str())
                .collect();
            values.sort_unstable();
            values.dedup();
            sort_levels(&mut values);
            values
                .into_iter()
                .enumerate()
                .map(|(r, v)| (v.to_string(), r))
                .collect()
        })
        .collect();
    keys.sort_by_cached_key(|k| {
        k.iter()
            .enumerate()
            .map(|(j, v)| ranks[j].get(v).copied().unwrap_or(usize::MAX))
            .collect::<Vec<usize>>()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<Option<String>> {
        v.iter()
            .map(|s| (!s.is_empty()).then(|| s.to_string()))
            .collect()
    }

    #[test]
    fn numeric_then_code_point_order() {
        let g = group_rows(&labels(&["10", "2", "", "2", "1.5"]));
        assert_eq!(g.labels(), ["1.5", "2", "10"]);
        assert_eq!(g.groups[1].rows, [1, 3]);
        assert_eq!(g.n_missing, 1);
        // One text label: every label by code point.
        let g = group_rows(&labels(&["10", "2", "b", "B", "华东", "华北"]));
        assert_eq!(g.labels(), ["10", "2", "B", "b", "华东", "华北"]);
        // "1" and "1.0" are distinct labels, equal as numbers: by code point.
        let g = group_rows(&labels(&["1.0", "1", "0.5"]));
        assert_eq!(g.labels(), ["0.5", "1", "1.0"]);
        // NaN and infinity are not numbers for ordering.
        let g = group_rows(&labels(&["2", "inf", "10"]));
        assert_eq!(g.labels(), ["10", "2", "inf"]);
    }

    #[test]
    fn appearance_order_primitive() {
        let (g, missing) = group_in_appearance_order(&labels(&["b", "a", "", "b"]));
        assert_eq!(missing, 1);
        assert_eq!(g[0].label, "b");
        assert_eq!(g[0].rows, [0, 3]);
        // Many groups: linear, each row in exactly one group.
        let many: Vec<Option<String>> =
            (0..20_000).map(|i| Some((i % 5_000).to_string())).collect();
        let g = group_rows(&many);
        assert_eq!(g.groups.len(), 5_000);
        assert_eq!(g.groups[4_999].label, "4999");
        assert_eq!(g.groups.iter().map(|x| x.rows.len()).sum::<usize>(), 20_000);
    }

    #[test]
    fn group_rows_keeps_first_appearance_order_and_counts_unlabelled() {
        let l = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let labels: Vec<Option<String>> = ["b", "a", "", "b", "c", "a"].map(l).to_vec();
        let (groups, unlabelled) = group_in_appearance_order(&labels);
        let pairs: Vec<(String, Vec<usize>)> =
            groups.into_iter().map(|g| (g.label, g.rows)).collect();
        assert_eq!(unlabelled, 1);
        assert_eq!(
            pairs,
            vec![
                ("b".to_string(), vec![0, 3]),
                ("a".to_string(), vec![1, 5]),
                ("c".to_string(), vec![4]),
            ]
        );
        // Linear in the rows even when every row is its own group (a scan per
        // row would take ~10^10 comparisons here).
        let many: Vec<Option<String>> = (0..200_000).map(|i| Some(i.to_string())).collect();
        let (groups, _) = group_in_appearance_order(&many);
        assert_eq!(groups.len(), 200_000);
        assert_eq!(groups[199_999].label, "199999");
        assert_eq!(groups[199_999].rows, [199_999]);
        // Sorted: numeric order.
        let sorted = group_rows(&many);
        assert_eq!(sorted.groups[10].label, "10");
    }

    #[test]
    fn multi_column_keys() {
        let mut k: Vec<Vec<String>> = [["s", "10"], ["n", "9"], ["s", "9"], ["n", "10"]]
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        sort_keys(&mut k);
        let flat: Vec<String> = k.iter().map(|r| r.join("/")).collect();
        assert_eq!(flat, ["n/9", "n/10", "s/9", "s/10"]);
    }
}
