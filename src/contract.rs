//! The JSON contracts of the commands (DESIGN.md §4): the keys other tools
//! read. Keys are added, never renamed or dropped; the lists below are the
//! promise, and [`missing_keys`] checks a document against them (the golden
//! tests in `tests/contract.rs` run every command's document through it).
//!
//! A key path is a dot-separated list of object keys; `[]` after a key
//! means "every element of this array", e.g. `paths[].std_error`.

use serde_json::Value;

pub use crate::analysis::acsi::AcsiJson;
pub use crate::analysis::{KanoDocument, MonitorDocument, ServqualDocument};
pub use crate::pls::report::PlsReport;

/// `csikit pls --json`: always present.
pub const PLS: &[&str] = &[
    "n_observations",
    "n_dropped",
    "scheme",
    "converged",
    "iterations",
    "constructs[].name",
    "constructs[].mode",
    "constructs[].indicators",
    "constructs[].r_squared",
    "constructs[].r_squared_adj",
    "constructs[].cronbach_alpha",
    "constructs[].rho_c",
    "constructs[].rho_a",
    "constructs[].ave",
    "outer[].indicator",
    "outer[].construct",
    "outer[].weight",
    "outer[].loading",
    "paths[].from",
    "paths[].to",
    "paths[].estimate",
    "paths[].std_error",
    "paths[].t",
    "paths[].p",
    "effects[].from",
    "effects[].to",
    "effects[].direct",
    "effects[].indirect",
    "effects[].total",
    "htmt[].a",
    "htmt[].b",
    "htmt[].value",
    "vif_inner[].from",
    "vif_inner[].to",
    "vif_inner[].value",
    "f_squared[].from",
    "f_squared[].to",
    "f_squared[].value",
    "gof",
];

/// `csikit pls --json --scale MIN:MAX --ipma TARGET`: added keys.
pub const PLS_IPMA: &[&str] = &[
    "constructs[].index",
    "ipma.target",
    "ipma.constructs[].name",
    "ipma.constructs[].importance",
    "ipma.constructs[].performance",
    "ipma.indicators[].indicator",
    "ipma.indicators[].importance",
    "ipma.indicators[].performance",
];

/// `csikit pls --json --bootstrap N --seed S`: added keys.
pub const PLS_BOOTSTRAP: &[&str] = &[
    "bootstrap.resamples",
    "bootstrap.seed",
    "bootstrap.failed",
    "bootstrap.paths[].from",
    "bootstrap.paths[].to",
    "bootstrap.paths[].estimate",
    "bootstrap.paths[].mean",
    "bootstrap.paths[].std_error",
    "bootstrap.paths[].ci_lower",
    "bootstrap.paths[].ci_upper",
];

/// `csikit pls --json --predict FOLDS`: added keys.
pub const PLS_PREDICT: &[&str] = &[
    "predict.folds",
    "predict.seed",
    "predict.indicators[].indicator",
    "predict.indicators[].construct",
    "predict.indicators[].pls_rmse",
    "predict.indicators[].pls_mae",
    "predict.indicators[].lm_rmse",
    "predict.indicators[].lm_mae",
    "predict.indicators[].q2_predict",
];

/// `csikit pls --json --groups COLUMN --permutations N`: added keys.
pub const PLS_GROUPS: &[&str] = &[
    "groups.column",
    "groups.levels",
    "groups.n",
    "groups.permutations",
    "groups.seed",
    "groups.paths[].from",
    "groups.paths[].to",
    "groups.paths[].estimates",
    "groups.paths[].difference",
    "groups.paths[].p_permutation",
];

/// `csikit kano --json`.
pub const KANO: &[&str] = &[
    "features[].feature",
    "features[].n",
    "features[].counts.A",
    "features[].counts.O",
    "features[].counts.M",
    "features[].counts.I",
    "features[].counts.R",
    "features[].counts.Q",
    "features[].category",
    "features[].category_rule",
    "features[].all_questionable",
    "features[].better",
    "features[].worse",
    "features[].total_strength",
    "features[].category_strength",
    "features[].fong.difference",
    "features[].fong.critical",
    "features[].fong.significant",
    "features[].functional_mean",
    "features[].dysfunctional_mean",
];

/// `csikit servqual --json`.
pub const SERVQUAL: &[&str] = &[
    "n",
    "dimensions[].name",
    "dimensions[].expectation",
    "dimensions[].perception",
    "dimensions[].gap",
    "dimensions[].weight",
    "dimensions[].msa",
    "dimensions[].mss",
    "items[].item",
    "items[].dimension",
    "items[].expectation",
    "items[].perception",
    "items[].gap",
    "unweighted",
    "weighted",
    "servperf",
    "zone",
];

/// `csikit acsi --json`: the report's numbers.
pub const ACSI: &[&str] = &[
    "title",
    "model",
    "n_observations",
    "n_dropped",
    "target",
    "index.constructs[].construct",
    "index.constructs[].index",
    "impacts[].driver",
    "impacts[].target",
    "impacts[].impact",
    "paths[].from",
    "paths[].to",
    "paths[].estimate",
    "ipma.target",
    "ipma.constructs",
    "ipma.indicators",
    "ipma.short_boards",
    "segments",
    "periods",
];

/// `csikit monitor --json`.
pub const MONITOR: &[&str] = &["period", "hotspots", "kpis", "links"];

/// `csikit scorecard --json` (issue 17).
pub const SCORECARD: &[&str] = &[
    "groups[].by",
    "groups[].period",
    "groups[].n",
    "groups[].mean",
    "groups[].top_box",
    "groups[].bottom_box",
    "groups[].nps",
    "groups[].nps_ci_lower",
    "groups[].nps_ci_upper",
];

/// The key paths of `spec` that `doc` lacks (an empty array satisfies every
/// path below it). Empty when the document keeps the contract.
pub fn missing_keys(doc: &Value, spec: &[&str]) -> Vec<String> {
    spec.iter()
        .filter(|path| !has_path(doc, &path.split('.').collect::<Vec<_>>()))
        .map(|p| p.to_string())
        .collect()
}

fn has_path(v: &Value, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let (key, each) = match first.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*first, false),
    };
    let Some(child) = v.as_object().and_then(|o| o.get(key)) else {
        return false;
    };
    if each {
        match child.as_array() {
            Some(items) => items.iter().all(|item| has_path(item, rest)),
            None => false,
        }
    } else {
        has_path(child, rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_through_arrays_and_objects() {
        let doc: Value =
            serde_json::from_str(r#"{"a": [{"b": 1}, {"b": 2, "c": {"d": null}}], "e": []}"#)
                .unwrap();
        assert!(missing_keys(&doc, &["a[].b", "e[].x", "a"]).is_empty());
        assert_eq!(missing_keys(&doc, &["a[].c.d"]), ["a[].c.d"]);
        assert_eq!(missing_keys(&doc, &["b", "a.b"]), ["b", "a.b"]);
    }
}
