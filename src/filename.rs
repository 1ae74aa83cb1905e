//! File names for labels: one rule for every report writer.
//!
//! A label (a segment such as `华东/上海`, a chart name) becomes a file stem
//! made of its letters and digits (any script, so Chinese labels stay
//! readable) with every other character replaced by `_`. Different labels
//! that would give the same stem — `a/b` and `a_b`, or two labels that
//! differ only in punctuation — never share a file: within one
//! [`FileNames`], a stem already taken by another label gets a suffix
//! `-2`, `-3`, … in order of first use, and the same label always gets the
//! same stem.

use std::collections::HashMap;

/// The stem of one label: letters and digits kept (any script), `-` kept,
/// everything else `_`; an empty result becomes `_`.
pub fn sanitize(label: &str) -> String {
    let s: String = label
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// Stems handed out within one folder: distinct labels get distinct stems.
#[derive(Debug, Clone, Default)]
pub struct FileNames {
    by_label: HashMap<String, String>,
    taken: HashMap<String, String>,
}

impl FileNames {
    /// An empty set.
    pub fn new() -> Self {
        FileNames::default()
    }

    /// The stem of a label made of parts (joined by `_` after sanitizing each
    /// part): the same parts always give the same stem, different parts
    /// never do.
    pub fn stem<S: AsRef<str>>(&mut self, parts: &[S]) -> String {
        let key = parts
            .iter()
            .map(|p| p.as_ref())
            .collect::<Vec<_>>()
            .join("\u{0}");
        if let Some(s) = self.by_label.get(&key) {
            return s.clone();
        }
        let base = parts
            .iter()
            .map(|p| sanitize(p.as_ref()))
            .collect::<Vec<_>>()
            .join("_");
        let mut stem = base.clone();
        let mut k = 2;
        while self.taken.contains_key(&stem.to_lowercase()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        self.taken.insert(stem.to_lowercase(), key.clone());
        self.by_label.insert(key, stem.clone());
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_labels_get_distinct_stems() {
        let mut n = FileNames::new();
        let a = n.stem(&["servqual", "a/b"]);
        let b = n.stem(&["servqual", "a_b"]);
        let c = n.stem(&["servqual", "华东"]);
        let d = n.stem(&["servqual", "华南"]);
        assert_eq!(a, "servqual_a_b");
        assert_eq!(b, "servqual_a_b-2");
        assert_eq!(c, "servqual_华东");
        assert_ne!(c, d);
        assert_eq!(n.stem(&["servqual", "a/b"]), a);
        // Case-insensitive file systems: `A` and `a` are different files only on some.
        let e = n.stem(&["x", "A"]);
        let f = n.stem(&["x", "a"]);
        assert_ne!(e.to_lowercase(), f.to_lowercase());
    }
}
