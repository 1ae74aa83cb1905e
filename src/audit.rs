//! What happened to the data on the way into an analysis — rows read, used
//! and dropped by reason, cells imputed, codes recoded, scales declared or
//! inferred — shown at the top of every report and as the `data` key of
//! every JSON document. A number is never silently wrong: whatever was left
//! out, recoded or assumed is counted here.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::codebook::{Codebook, Recoding, suspect_codes};
use crate::csi::{Scale, Scales};
use crate::i18n::{Lang, catalog};
use crate::pls::{MissingPolicy, MissingReport};
use crate::{Dataset, Error, Result};

/// Rows left out for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// Why: `missing_values` (listwise deletion), `zero_weight`, `empty_row`, …
    pub reason: String,
    /// How many rows.
    pub rows: usize,
}

/// Where an item's answer scale came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleSource {
    /// Declared in the codebook.
    Codebook,
    /// Given on the command line or in the request (`scale`, `item_scales`).
    Request,
    /// Not declared: the lowest and highest answers observed (an assumption,
    /// stated in the report).
    Observed,
}

/// The scale an item was scored on, and its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScale {
    /// The item.
    pub item: String,
    /// Lowest answer.
    pub min: f64,
    /// Highest answer.
    pub max: f64,
    /// Where it came from.
    pub source: ScaleSource,
}

/// The data audit of a document (its `data` key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataAudit {
    /// Rows in the data as read.
    pub rows_read: usize,
    /// Rows the analysis used.
    pub rows_used: usize,
    /// Rows of the file whose every cell was empty (e.g. Excel's trailing
    /// empty rows): skipped when reading, not respondents, not in `rows_read`.
    pub empty_rows_skipped: usize,
    /// Rows left out, by reason.
    pub dropped: Vec<Dropped>,
    /// The missing-data policy (null where the analysis has none).
    pub missing_policy: Option<MissingPolicy>,
    /// Cells replaced by the column mean.
    pub imputed_cells: usize,
    /// Missing cells per used column (only columns with any).
    pub missing_by_column: Vec<(String, usize)>,
    /// What the codebook did (null without a codebook).
    pub recoding: Option<Recoding>,
    /// The answer scale of every scored item, with its source.
    pub scales: Vec<ItemScale>,
    /// `codebook`, `request`, `observed` or `mixed`: where the scales came
    /// from (null where no scale is used).
    pub scale_source: Option<String>,
    /// Warnings a reader must see (more than 10 % of the rows dropped,
    /// inferred scales, values that look like missing-data codes).
    pub warnings: Vec<String>,
    /// The same warnings typed (not in the JSON, which keeps the English
    /// sentences of `warnings`), so that a report words them in its
    /// language ([`DataAudit::warnings_in`]).
    #[serde(skip)]
    pub typed_warnings: Vec<AuditWarning>,
}

catalog! {
    /// The texts of the data-audit warnings, English and Chinese side by side
    /// (the English wording is also the `warnings` sentence of the JSON).
    pub enum AuditText {
        RowsNotUsed => ("{dropped} of {read} rows ({share} %) were not used", "{read} 行中有 {dropped} 行（{share}%）未使用"),
        ListwiseHint => (" (listwise deletion: consider --missing mean, or check the missing codes)", "（成列删除：可考虑 --missing mean，或检查缺失代码）"),
        SuspectCodes => ("item `{item}` holds {codes} far outside its other answers: likely missing-data codes (declare them with --na or in the codebook)", "题目 {item} 含有 {codes}，远离其他答案：疑似缺失代码（请用 --na 或编码手册声明）"),
        ScalesInferred => ("no answer scale declared for {n} item(s) ({items}): their lowest and highest observed answers were taken as the scale; declare it with --scale MIN:MAX or in the codebook", "{n} 题未声明答题量表（{items}）：以观测到的最低与最高答案作为量表；请用 --scale MIN:MAX 或编码手册声明"),
        NoLabel => ("{n} rows have no `{column}` and are in no group of it", "{n} 行缺少{column}，未计入任何分组"),
        GroupsSkipped => ("{groups} group(s) of `{column}` not estimated ({rows} rows; fewer than {min} usable respondents or a failed fit): {labels}", "{column}有 {groups} 个分组未估计（共 {rows} 行；有效样本少于 {min} 或拟合失败）：{labels}"),
        NotScored => ("{groups} group(s) with fewer than {min} answers not scored ({answers} answers)", "{groups} 个分组回答少于 {min} 条，未计分（共 {answers} 条回答）"),
        Prefix => ("warning: {text}", "提示：{text}"),
    }
}

/// A data-audit warning, typed: its English sentence ([`std::fmt::Display`])
/// is what the JSON's `warnings` list holds, [`AuditWarning::text`] words it
/// in a report language.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditWarning {
    /// More than 10 % of the rows were not used.
    RowsNotUsed {
        /// Rows dropped.
        dropped: usize,
        /// Rows read.
        read: usize,
        /// Whether listwise deletion dropped them (adds a hint).
        listwise: bool,
    },
    /// An item holds values far outside its other answers.
    SuspectCodes {
        /// The item.
        item: String,
        /// The suspected codes.
        codes: Vec<String>,
    },
    /// Items without a declared scale: observed ranges used.
    ScalesInferred {
        /// The items.
        items: Vec<String>,
    },
    /// Rows without a value in a grouping column.
    NoLabel {
        /// Rows.
        rows: usize,
        /// The grouping column.
        column: String,
    },
    /// Groups not estimated (too small or a failed fit).
    GroupsSkipped {
        /// The grouping column.
        column: String,
        /// Their rows.
        rows: usize,
        /// The minimum group size.
        min: usize,
        /// Their labels (the first eight, then `…`).
        labels: Vec<String>,
        /// How many groups.
        groups: usize,
    },
    /// Scorecard groups below the minimum number of answers.
    NotScored {
        /// How many groups.
        groups: usize,
        /// The minimum number of answers.
        min: usize,
        /// Their answers.
        answers: usize,
    },
}

impl AuditWarning {
    /// The warning in `lang`; `column` names a grouping column in that
    /// language (the identity keeps the column's own name).
    pub fn text(&self, lang: Lang, column: &dyn Fn(&str) -> String) -> String {
        use AuditText as T;
        let sep = if lang == Lang::En { ", " } else { "、" };
        match self {
            AuditWarning::RowsNotUsed {
                dropped,
                read,
                listwise,
            } => {
                let share = 100.0 * *dropped as f64 / (*read).max(1) as f64;
                T::RowsNotUsed.fill(
                    lang,
                    &[
                        ("dropped", dropped.to_string()),
                        ("read", read.to_string()),
                        ("share", format!("{share:.1}")),
                    ],
                ) + if *listwise {
                    T::ListwiseHint.text(lang)
                } else {
                    ""
                }
            }
            AuditWarning::SuspectCodes { item, codes } => {
                T::SuspectCodes.fill(lang, &[("item", item.clone()), ("codes", codes.join(sep))])
            }
            AuditWarning::ScalesInferred { items } => T::ScalesInferred.fill(
                lang,
                &[("n", items.len().to_string()), ("items", items.join(sep))],
            ),
            AuditWarning::NoLabel { rows, column: c } => {
                T::NoLabel.fill(lang, &[("n", rows.to_string()), ("column", column(c))])
            }
            AuditWarning::GroupsSkipped {
                column: c,
                rows,
                min,
                labels,
                groups,
            } => T::GroupsSkipped.fill(
                lang,
                &[
                    ("groups", groups.to_string()),
                    ("column", column(c)),
                    ("rows", rows.to_string()),
                    ("min", min.to_string()),
                    ("labels", labels.join(sep)),
                ],
            ),
            AuditWarning::NotScored {
                groups,
                min,
                answers,
            } => T::NotScored.fill(
                lang,
                &[
                    ("groups", groups.to_string()),
                    ("min", min.to_string()),
                    ("answers", answers.to_string()),
                ],
            ),
        }
    }
}

/// The English sentence (the JSON's wording).
impl std::fmt::Display for AuditWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En, &|c| c.to_string()))
    }
}

impl DataAudit {
    /// An audit of `rows` rows read, none dropped yet.
    pub fn new(rows: usize) -> Self {
        DataAudit {
            rows_read: rows,
            rows_used: rows,
            ..DataAudit::default()
        }
    }

    /// An audit of the data as read (rows, and the empty rows the reader
    /// skipped, from [`Dataset::source`]).
    pub fn of(data: &Dataset) -> Self {
        let mut a = DataAudit::new(data.n_rows());
        a.empty_rows_skipped = data.source().map_or(0, |s| s.empty_rows);
        a
    }

    /// Takes in what missing-data handling did (a fit's [`MissingReport`]).
    pub fn missing(&mut self, report: &MissingReport) {
        self.missing_policy = Some(report.policy);
        self.rows_used = report.n_used;
        self.imputed_cells = report.n_imputed;
        self.missing_by_column = report.missing_by_column.clone();
        if report.n_empty_rows > 0 {
            self.drop("empty_row", report.n_empty_rows);
        }
        if report.n_zero_weight > 0 {
            self.drop("zero_weight", report.n_zero_weight);
        }
        let missing = report.n_dropped_missing();
        if missing > 0 {
            self.drop("missing_values", missing);
        }
    }

    /// Counts rows left out for a reason.
    pub fn drop(&mut self, reason: &str, rows: usize) {
        match self.dropped.iter_mut().find(|d| d.reason == reason) {
            Some(d) => d.rows += rows,
            None => self.dropped.push(Dropped {
                reason: reason.into(),
                rows,
            }),
        }
    }

    /// Rows dropped in all.
    pub fn n_dropped(&self) -> usize {
        self.dropped.iter().map(|d| d.rows).sum()
    }

    /// Adds the closing warnings: more than 10 % of the rows dropped.
    pub fn finish(mut self) -> Self {
        let dropped = self.n_dropped();
        if self.rows_read > 0 && dropped * 10 > self.rows_read {
            let w = AuditWarning::RowsNotUsed {
                dropped,
                read: self.rows_read,
                listwise: self.missing_policy == Some(MissingPolicy::Listwise),
            };
            self.warnings.insert(0, w.to_string());
            self.typed_warnings.insert(0, w);
        }
        self
    }

    /// Adds a warning: its English sentence to `warnings` (the JSON), the
    /// typed warning for reports in other languages.
    pub fn warn(&mut self, warning: AuditWarning) {
        self.warnings.push(warning.to_string());
        self.typed_warnings.push(warning);
    }

    /// The warnings in `lang`: each typed warning worded in that language
    /// (`column` names a grouping column), any other sentence as it is.
    pub fn warnings_in(&self, lang: Lang, column: &dyn Fn(&str) -> String) -> Vec<String> {
        self.warnings
            .iter()
            .map(|w| match self.typed(w) {
                Some(t) => t.text(lang, column),
                None => w.clone(),
            })
            .collect()
    }

    /// The typed form of a sentence of `warnings` (none for a sentence
    /// added as plain text).
    pub fn typed(&self, sentence: &str) -> Option<&AuditWarning> {
        self.typed_warnings
            .iter()
            .find(|t| t.to_string() == sentence)
    }

    /// One line per fact, for the top of a text report.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "Respondents: {} rows read, {} used",
            self.rows_read, self.rows_used
        )];
        if self.empty_rows_skipped > 0 {
            out.push(format!(
                "  empty rows skipped (not respondents): {}",
                self.empty_rows_skipped
            ));
        }
        for d in &self.dropped {
            out.push(format!(
                "  dropped ({}): {}",
                d.reason.replace('_', " "),
                d.rows
            ));
        }
        if self.imputed_cells > 0 {
            out.push(format!(
                "  cells replaced by the item mean: {}",
                self.imputed_cells
            ));
        }
        if let Some(r) = &self.recoding {
            if r.missing_cells > 0 {
                // Per code: cells and items (the JSON lists every item and code).
                let codes: Vec<String> = r
                    .cells_by_code()
                    .iter()
                    .map(|(code, cells, items)| format!("{code}: {cells} cells in {items} item(s)"))
                    .collect();
                out.push(format!(
                    "  missing codes recoded as missing: {} cells ({})",
                    r.missing_cells,
                    codes.join("; ")
                ));
            }
            if !r.reversed.is_empty() {
                out.push(format!(
                    "  reverse-worded items recoded: {}",
                    r.reversed.join(", ")
                ));
            }
        }
        if let Some(src) = &self.scale_source {
            let text = match src.as_str() {
                "request" => "declared on the command line / in the request",
                "codebook" => "declared in the codebook",
                "observed" => "NOT declared: observed ranges used",
                _ => "declared for some items, observed ranges for the others",
            };
            out.push(format!("  answer scales: {text}"));
        }
        for w in &self.warnings {
            out.push(format!(
                "  {}",
                AuditText::Prefix.fill(Lang::En, &[("text", w.clone())])
            ));
        }
        out
    }
}

/// Applies the codebook (if any) to the data: a copy with missing codes
/// turned missing and reverse items recoded, or the data unchanged.
///
/// # Errors
/// The errors of [`Codebook::apply`].
pub fn apply_codebook<'d>(
    data: &'d Dataset,
    codebook: Option<&Codebook>,
) -> Result<(Cow<'d, Dataset>, Option<Recoding>)> {
    match codebook {
        None => Ok((Cow::Borrowed(data), None)),
        Some(cb) => {
            let mut d = data.clone();
            let r = cb.apply(&mut d)?;
            Ok((Cow::Owned(d), Some(r)))
        }
    }
}

/// Resolves the answer scale of each item — `item_scales` of the request,
/// then the codebook, then the request's `scale` for every item, else the
/// observed range (a stated assumption) — checks every answer against a
/// declared scale, and records it all in the audit.
///
/// # Errors
/// [`Error::OutOfScale`] for an answer outside a declared scale (declare it
/// missing with `--na` or in the codebook, or correct the data);
/// [`Error::AllMissing`] for an item without any answer when its range has
/// to be observed.
pub fn resolve_scales<S: AsRef<str>>(
    data: &Dataset,
    items: &[S],
    codebook: Option<&Codebook>,
    scale: Option<Scale>,
    item_scales: &[(String, Scale)],
    audit: &mut DataAudit,
) -> Result<Scales> {
    // Columns the estimation derives (scores of lower-order constructs,
    // product indicators) are not answers: they keep the request's scale.
    let mut scales = scale.map_or_else(Scales::none, Scales::uniform);
    let mut observed = Vec::new();
    let mut sources = Vec::new();
    for item in items {
        let item = item.as_ref();
        if !data.has_column(item) {
            continue;
        }
        let declared = item_scales
            .iter()
            .find(|(i, _)| i == item)
            .map(|(_, s)| (*s, ScaleSource::Request))
            .or_else(|| {
                codebook
                    .and_then(|c| c.item(item))
                    .and_then(|e| e.scale)
                    .map(|s| (s, ScaleSource::Codebook))
            })
            .or_else(|| scale.map(|s| (s, ScaleSource::Request)));
        let values = data.numeric(item)?;
        let (s, source) = match declared {
            Some((s, source)) => {
                if let Some((row, &value)) = values
                    .iter()
                    .enumerate()
                    .find(|(_, x)| !x.is_nan() && (**x < s.min || **x > s.max))
                {
                    return Err(Error::OutOfScale {
                        column: item.to_string(),
                        row: row + 1,
                        value,
                        min: s.min,
                        max: s.max,
                    });
                }
                (s, source)
            }
            None => {
                let lo = values
                    .iter()
                    .copied()
                    .filter(|x| !x.is_nan())
                    .reduce(f64::min);
                let hi = values
                    .iter()
                    .copied()
                    .filter(|x| !x.is_nan())
                    .reduce(f64::max);
                let (Some(lo), Some(hi)) = (lo, hi) else {
                    return Err(Error::AllMissing {
                        column: item.to_string(),
                    });
                };
                let suspects = suspect_codes(values);
                if !suspects.is_empty() {
                    audit.warn(AuditWarning::SuspectCodes {
                        item: item.to_string(),
                        codes: suspects.iter().map(|c| c.to_string()).collect(),
                    });
                }
                // A constant item gets a unit range so that rescaling is defined.
                let hi = if hi > lo { hi } else { lo + 1.0 };
                observed.push(item.to_string());
                (Scale::new(lo, hi), ScaleSource::Observed)
            }
        };
        scales = scales.with(item.to_string(), s);
        sources.push(source);
        audit.scales.push(ItemScale {
            item: item.to_string(),
            min: s.min,
            max: s.max,
            source,
        });
    }
    if !observed.is_empty() {
        audit.warn(AuditWarning::ScalesInferred { items: observed });
    }
    audit.scale_source = match sources.first() {
        None => None,
        Some(first) if sources.iter().any(|s| s != first) => Some("mixed".into()),
        Some(one) => Some(
            match one {
                ScaleSource::Codebook => "codebook",
                ScaleSource::Request => "request",
                ScaleSource::Observed => "observed",
            }
            .into(),
        ),
    };
    Ok(scales)
}

/// Warns about items whose values look like missing-data codes (98/99
/// above a 1–10 bulk) when no scale was declared to check them against.
pub fn warn_suspect_codes<S: AsRef<str>>(data: &Dataset, items: &[S], audit: &mut DataAudit) {
    for item in items {
        let Ok(values) = data.numeric(item.as_ref()) else {
            continue;
        };
        let suspects = suspect_codes(values);
        if !suspects.is_empty() {
            audit.warn(AuditWarning::SuspectCodes {
                item: item.as_ref().to_string(),
                codes: suspects.iter().map(|c| c.to_string()).collect(),
            });
        }
    }
}
