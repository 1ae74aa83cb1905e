//! File names from labels: the one rule every report writer uses (CSI
//! report, the SERVQUAL, KANO and monitoring examples).
//!
//! **The rule.** [`file_stem`] keeps letters and digits of every script
//! (`华东`, `Région`, `tier2`), `-` and `_`, and replaces every other
//! character (space, `/`, `\`, `:`, `.`, …) by `_`; an empty result becomes
//! `_`, and stems are cut at 64 characters. Within one report,
//! [`file_stems`] gives different labels different stems: labels whose stems
//! coincide — ignoring case, since common file systems do (`a/b` and `a_b`;
//! `Region` and `region`) — each get a suffix `-` + 8 hexadecimal digits of
//! the FNV-1a hash of the label (Fowler, Noll & Vo), stable across runs and
//! platforms; a label whose stem is unique keeps its plain stem.
//! [`dedupe`] finally makes whole file names (stems combined with prefixes
//! and suffixes) unique with `-2`, `-3`, … before the extension.
//!
//! ```
//! use csikit::files::file_stems;
//! assert_eq!(file_stems(&["华东", "华南", "north"]), ["华东", "华南", "north"]);
//! let s = file_stems(&["a/b", "a_b", "c d"]);
//! assert_ne!(s[0], s[1]);
//! assert!(s[0].starts_with("a_b-") && s[1].starts_with("a_b-"));
//! assert_eq!(s[2], "c_d");
//! ```

use std::collections::{HashMap, HashSet};

/// Longest stem kept from a label, in characters.
const MAX_CHARS: usize = 64;

/// A label as a file stem (module documentation): letters and digits of
/// any script, `-` and `_` are kept, anything else becomes `_`. Two labels
/// can share a stem; use [`file_stems`] for the labels of one report.
pub fn file_stem(label: &str) -> String {
    let stem: String = label
        .chars()
        .take(MAX_CHARS)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() { "_".into() } else { stem }
}

/// FNV-1a (32 bits) of the label's UTF-8 bytes, as 8 hexadecimal digits.
fn short_hash(label: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in label.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// One stem per label, different for different labels (module
/// documentation); equal labels get equal stems. The result does not depend
/// on the order of the labels.
pub fn file_stems<S: AsRef<str>>(labels: &[S]) -> Vec<String> {
    // Distinct labels per case-folded plain stem.
    let mut by_stem: HashMap<String, HashSet<&str>> = HashMap::new();
    for l in labels {
        let l = l.as_ref();
        by_stem
            .entry(file_stem(l).to_lowercase())
            .or_default()
            .insert(l);
    }
    let mut out: Vec<String> = labels
        .iter()
        .map(|l| {
            let l = l.as_ref();
            let plain = file_stem(l);
            if by_stem[&plain.to_lowercase()].len() > 1 {
                format!("{plain}-{}", short_hash(l))
            } else {
                plain
            }
        })
        .collect();
    // A hashed stem could still equal another label's plain stem (or two
    // hashes collide): make the rest unique in order of the labels, keeping
    // equal labels equal.
    let mut owner: HashMap<String, &str> = HashMap::new();
    for (stem, l) in out.iter_mut().zip(labels) {
        let l = l.as_ref();
        let mut k = 1;
        let base = stem.clone();
        loop {
            match owner.get(&stem.to_lowercase()) {
                Some(&o) if o != l => {
                    k += 1;
                    *stem = format!("{base}-{k}");
                }
                _ => break,
            }
        }
        owner.insert(stem.to_lowercase(), l);
    }
    out
}

/// Makes file names unique (ignoring case) in place: a name equal to an
/// earlier one gets `-2`, `-3`, … before its extension (`x.csv` →
/// `x-2.csv`). The first occurrence keeps its name.
///
/// ```
/// let mut names = vec!["x_impact_differences.csv".to_string(), "X_impact_differences.csv".into()];
/// csikit::files::dedupe(&mut names);
/// assert_eq!(names[1], "X_impact_differences-2.csv");
/// ```
pub fn dedupe(names: &mut [String]) {
    let mut taken: HashSet<String> = HashSet::new();
    for name in names.iter_mut() {
        if taken.insert(name.to_lowercase()) {
            continue;
        }
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (name[..i].to_string(), name[i..].to_string()),
            _ => (name.clone(), String::new()),
        };
        let mut k = 2;
        loop {
            let candidate = format!("{stem}-{k}{ext}");
            if taken.insert(candidate.to_lowercase()) {
                *name = candidate;
                break;
            }
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_letters_of_every_script() {
        assert_eq!(file_stem("华东"), "华东");
        assert_eq!(file_stem("Région 2"), "Région_2");
        assert_eq!(file_stem("a/b\\c:d.e"), "a_b_c_d_e");
        assert_eq!(file_stem("arpu-tier_2"), "arpu-tier_2");
        assert_eq!(file_stem(""), "_");
        assert_eq!(file_stem(&"长".repeat(100)).chars().count(), MAX_CHARS);
    }

    #[test]
    fn different_labels_never_share_a_stem() {
        // Chinese labels that the old ASCII-only rule turned into `__`.
        let s = file_stems(&["华东", "华南", "华东"]);
        assert_eq!(s, ["华东", "华南", "华东"]);
        let s = file_stems(&["a/b", "a_b", "a b", "Region", "region", "x"]);
        let unique: HashSet<String> = s.iter().map(|x| x.to_lowercase()).collect();
        assert_eq!(unique.len(), 6, "{s:?}");
        assert_eq!(s[5], "x");
        assert_eq!(s[0], format!("a_b-{}", short_hash("a/b")));
        // Independent of order.
        let r = file_stems(&["x", "region", "Region", "a b", "a_b", "a/b"]);
        assert_eq!(r, ["x", &s[4], &s[3], &s[2], &s[1], &s[0]]);
        // A label that spells another label's hashed stem still gets its own.
        let hashed = format!("a_b-{}", short_hash("a/b"));
        let s = file_stems(&["a/b", "a_b", &hashed]);
        let unique: HashSet<&String> = s.iter().collect();
        assert_eq!(unique.len(), 3, "{s:?}");
        // Long labels that agree in their first 64 characters.
        let (a, b) = ("长".repeat(70), format!("{}x", "长".repeat(70)));
        let s = file_stems(&[a.as_str(), b.as_str()]);
        assert_ne!(s[0], s[1]);
    }

    #[test]
    fn fnv_reference_values() {
        // FNV-1a 32-bit test vectors (Fowler, Noll & Vo).
        assert_eq!(short_hash(""), "811c9dc5");
        assert_eq!(short_hash("a"), "e40c292c");
        assert_eq!(short_hash("foobar"), "bf9cf968");
    }

    #[test]
    fn dedupe_whole_names() {
        let mut n: Vec<String> = ["a.csv", "A.csv", "a.csv", "b", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        dedupe(&mut n);
        assert_eq!(n, ["a.csv", "A-2.csv", "a-3.csv", "b", "b-2"]);
    }
}
