//! The "why" part of the CSI report: relative importance beside the PLS
//! importance, and the profile of the dissatisfied customers
//! ([`crate::csi::why::KeyDrivers`]), in the report language.

use super::{Chart, CsiReport, Section, Table, f, table};
use crate::csi::models::Construct;
use crate::csi::text::CsiText as T;

/// Adjusted p-values below this count as over-represented.
const ALPHA: f64 = 0.05;

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// "= 0.031" or "< 0.001", to follow a "p" in a sentence.
fn p_clause(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("= {p:.3}")
    }
}

impl CsiReport {
    /// A construct's report name from its model name.
    fn why_name(&self, name: &str) -> String {
        self.cname(&Construct::from_name(name))
    }

    /// The sentence comparing the two rankings' top drivers.
    fn why_rank_sentence(&self) -> Option<String> {
        let k = self.key_drivers.as_ref()?;
        let first = k.comparison.iter().find(|c| c.shapley_rank == 1)?;
        let pls = k
            .comparison
            .iter()
            .find(|c| c.total_effect_rank == Some(1))?;
        Some(if first.driver == pls.driver {
            self.tx(T::RelImpAgree, &[("driver", self.why_name(&first.driver))])
        } else {
            self.tx(
                T::RelImpDisagree,
                &[
                    ("shapley", self.why_name(&first.driver)),
                    ("share", f(100.0 * first.shapley_share, 1)),
                    ("pls", self.why_name(&pls.driver)),
                    ("effect", f(pls.total_effect.unwrap_or(f64::NAN), 3)),
                ],
            )
        })
    }

    /// The sentence on the most over-represented segment.
    fn why_profile_sentence(&self) -> Option<String> {
        let p = self.key_drivers.as_ref()?.dissatisfied.as_ref()?;
        Some(
            match p
                .segments
                .iter()
                .filter(|s| s.lift > 1.0 && s.p_bh < ALPHA)
                .min_by_key(|s| s.rank)
            {
                Some(s) => self.tx(
                    T::DissTop,
                    &[
                        ("column", self.column_name(&s.column)),
                        ("label", self.glabel(&s.level)),
                        ("lift", f(s.lift, 2)),
                        ("p", p_clause(s.p_bh)),
                    ],
                ),
                None => self.text(T::DissNone),
            },
        )
    }

    /// The bullets of the executive page.
    pub(super) fn why_exec(&self) -> Vec<String> {
        self.why_rank_sentence()
            .into_iter()
            .chain(self.why_profile_sentence())
            .collect()
    }

    /// The relative-importance chart (Shapley shares of R², drivers ranked).
    pub(super) fn why_charts(&self) -> Vec<Chart> {
        #[cfg(feature = "analysis")]
        if let Some(a) = self
            .key_drivers
            .as_ref()
            .and_then(|k| k.relative_importance.as_ref())
        {
            let labels: Vec<String> = a.drivers.iter().map(|d| self.why_name(&d.name)).collect();
            return vec![Chart {
                file: "relative_importance.svg".into(),
                title: crate::drivers::text::DriversText::ChartTitle
                    .text(self.lang)
                    .to_string(),
                svg: crate::analysis::drivers::shares_svg(a, &labels, self.lang),
            }];
        }
        Vec::new()
    }

    /// The tables: both rankings, the segments among the dissatisfied, the
    /// driver indices of the dissatisfied against the rest.
    pub(super) fn why_tables(&self) -> Vec<Table> {
        let Some(k) = &self.key_drivers else {
            return Vec::new();
        };
        let h = |key: T| self.text(key);
        let target = self.target_name();
        let mut out = Vec::new();
        if let Some(a) = &k.relative_importance {
            out.push(table(
                "relative_importance.csv",
                self.tx(T::TRelImp, &[("target", target.clone())]),
                &[
                    ("driver", h(T::HDriver)),
                    ("shapley_share", h(T::HShapleyShare)),
                    ("shapley_rank", h(T::HShapleyRank)),
                    ("johnson_share", h(T::HJohnsonShare)),
                    ("total_effect", h(T::HTotal)),
                    ("total_effect_rank", h(T::HTotalEffectRank)),
                ],
                k.comparison
                    .iter()
                    .map(|c| {
                        let johnson = a
                            .drivers
                            .iter()
                            .find(|d| d.name == c.driver)
                            .map_or(f64::NAN, |d| d.johnson_share);
                        vec![
                            self.why_name(&c.driver),
                            format!("{} %", f(100.0 * c.shapley_share, 1)),
                            c.shapley_rank.to_string(),
                            format!("{} %", f(100.0 * johnson, 1)),
                            f(c.total_effect.unwrap_or(f64::NAN), 3),
                            c.total_effect_rank.map_or("—".into(), |r| r.to_string()),
                        ]
                    })
                    .collect(),
            ));
        }
        if let Some(p) = &k.dissatisfied {
            out.push(table(
                "dissatisfied_segments.csv",
                self.text(T::TDissSegments),
                &[
                    ("column", h(T::HSegment)),
                    ("level", h(T::HLevel)),
                    ("n", h(T::HN)),
                    ("dissatisfied", h(T::HDissatisfied)),
                    ("dissatisfied_rate", h(T::HDissRate)),
                    ("share", h(T::HShareDiss)),
                    (
                        "share_ci_lower",
                        self.tx(T::HLabelLower, &[("name", h(T::HShareDiss))]),
                    ),
                    (
                        "share_ci_upper",
                        self.tx(T::HLabelUpper, &[("name", h(T::HShareDiss))]),
                    ),
                    ("base_rate", h(T::HBaseRate)),
                    ("lift", h(T::HLift)),
                    ("p_bh", h(T::HPBh)),
                    ("p_holm", h(T::HPHolm)),
                ],
                p.segments
                    .iter()
                    .map(|s| {
                        vec![
                            self.column_name(&s.column),
                            self.glabel(&s.level),
                            s.n.to_string(),
                            s.dissatisfied.to_string(),
                            format!("{} %", f(100.0 * s.dissatisfied_rate, 1)),
                            format!("{} %", f(100.0 * s.share, 1)),
                            format!("{} %", f(100.0 * s.share_ci_lower, 1)),
                            format!("{} %", f(100.0 * s.share_ci_upper, 1)),
                            format!("{} %", f(100.0 * s.base_rate, 1)),
                            f(s.lift, 2),
                            p_text(s.p_bh),
                            p_text(s.p_holm),
                        ]
                    })
                    .collect(),
            ));
            out.push(table(
                "dissatisfied_drivers.csv",
                self.text(T::TDissDrivers),
                &[
                    ("driver", h(T::HDriver)),
                    ("mean_dissatisfied", h(T::HMeanDiss)),
                    ("mean_rest", h(T::HMeanRest)),
                    ("difference", h(T::HDifference)),
                    ("standardized", h(T::HCohenD)),
                    ("p", h(T::HP)),
                ],
                p.drivers
                    .iter()
                    .map(|d| {
                        let name = d.name.strip_suffix(" index").unwrap_or(&d.name);
                        vec![
                            self.why_name(name),
                            f(d.mean_dissatisfied, 1),
                            f(d.mean_rest, 1),
                            f(d.difference, 1),
                            f(d.standardized, 2),
                            p_text(d.p_value),
                        ]
                    })
                    .collect(),
            ));
        }
        out
    }

    /// The report sections: relative importance (text, chart, table) and the
    /// profile of the dissatisfied (text, tables).
    pub(super) fn why_sections<'a>(
        &self,
        chart: &dyn Fn(&str) -> Vec<&'a Chart>,
        table: &dyn Fn(&str) -> Vec<Table>,
    ) -> Vec<Section<'a>> {
        let Some(k) = &self.key_drivers else {
            return Vec::new();
        };
        let target = self.target_name();
        let mut out = vec![Section::new(self.text(T::WhyHeading), 2)];
        let mut s = Section::new(self.text(T::RelImpHeading), 3);
        match (&k.relative_importance, &k.relative_importance_error) {
            (Some(a), _) => {
                s.text.push(self.tx(
                    T::RelImpText,
                    &[("target", target.clone()), ("r2", f(a.r_squared, 3))],
                ));
                s.text.extend(self.why_rank_sentence());
                s.charts = chart("relative_importance.svg");
                s.tables = table("relative_importance.csv");
            }
            (None, reason) => s.text.push(self.tx(
                T::RelImpMissing,
                &[("reason", reason.clone().unwrap_or_default())],
            )),
        }
        out.push(s);
        let mut s = Section::new(self.text(T::DissHeading), 3);
        match (&k.dissatisfied, &k.profile_error) {
            (Some(p), _) => {
                s.text.push(self.tx(
                    T::DissText,
                    &[
                        ("target", target),
                        ("at", f(k.dissatisfied_at, 1)),
                        ("d", p.dissatisfied.to_string()),
                        ("n", p.n.to_string()),
                        ("rate", f(100.0 * p.dissatisfied_rate, 1)),
                        ("level", "95".into()),
                    ],
                ));
                s.text.extend(self.why_profile_sentence());
                s.tables = [
                    table("dissatisfied_segments.csv"),
                    table("dissatisfied_drivers.csv"),
                ]
                .concat();
            }
            (None, reason) => s.text.push(self.tx(
                T::DissMissing,
                &[("reason", reason.clone().unwrap_or_default())],
            )),
        }
        out.push(s);
        out
    }
}
