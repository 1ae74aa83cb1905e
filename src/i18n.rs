//! Report languages: every text a report or chart shows comes from the
//! catalogs in this module, one entry per text with its English and Chinese
//! wording side by side (so no text can lack a translation: the compiler
//! checks each entry has both).
//!
//! The Chinese wording follows the terms service-quality teams use
//! (满意度指数, 短板, 环比/同比/定基比, 万投比, 达标; the glossary is
//! [`term`]). Item wording comes from the codebook ([`Labels`]); built-in
//! construct names are translated with [`construct_label`].
//!
//! Texts with values use named placeholders, `{n}`, filled by [`fill`]:
//!
//! ```
//! use csikit::i18n::{fill, Lang};
//! assert_eq!(Lang::Zh.pick("{n} rows", "{n} 行"), "{n} 行");
//! assert_eq!(fill("{n} 行", &[("n", "9600".into())]), "9600 行");
//! assert_eq!("zh-CN".parse::<Lang>().unwrap(), Lang::Zh);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codebook::Codebook;
use crate::error::Error;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default, so that existing reports keep their wording).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language code: `"en"` or `"zh"` (also the `lang` attribute of
    /// the HTML page and the argument of [`Codebook::label`]).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The text for this language out of an (English, Chinese) pair.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// A count with its noun in this language: `n` and the English
    /// singular/plural, or the Chinese measure phrase (`"3 rows"`, `"3 行"`).
    pub fn count(self, n: usize, en_one: &str, en_many: &str, zh: &str) -> String {
        match self {
            Lang::En if n == 1 => format!("{n} {en_one}"),
            Lang::En => format!("{n} {en_many}"),
            Lang::Zh => format!("{n} {zh}"),
        }
    }

    /// The list separator (`", "` or `"、"`).
    pub fn list_sep(self) -> &'static str {
        self.pick(", ", "、")
    }

    /// The sentence-final punctuation (`"."` or `"。"`).
    pub fn stop(self) -> &'static str {
        self.pick(".", "。")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = Error;

    /// `zh`, `zh-CN`, `zh_CN`, `zh-Hans`, `cn`, `chinese`, `中文` → Chinese;
    /// `en`, `en-US`, `english` → English (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        let base = t.split('-').next().unwrap_or("");
        match base {
            "zh" | "cn" | "chinese" | "中文" | "汉语" | "简体中文" => Ok(Lang::Zh),
            "en" | "english" | "英文" => Ok(Lang::En),
            _ => Err(Error::InvalidSetting {
                name: "lang".into(),
                message: format!(
                    "unknown report language `{s}`: use `zh` (Chinese) or `en` (English)"
                ),
            }),
        }
    }
}

/// Replaces each `{name}` in `text` by its value.
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The placeholders (`{name}`) of a text, sorted, for checking that both
/// wordings of an entry take the same values.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name.to_string());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out.sort();
    out
}

/// Declares a catalog: an enum of text keys, each with its English and
/// Chinese wording, with `text(lang)` and `ALL`. One invocation per report
/// domain keeps the domains apart; all catalogs live in this module.
macro_rules! catalog {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$kmeta:meta])* $key:ident => ($en:expr, $zh:expr)),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$kmeta])* #[doc = $en] $key),*
        }

        impl $name {
            /// Every key of the catalog.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The wording in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match self {
                    $($name::$key => lang.pick($en, $zh)),*
                }
            }

            /// The wording in `lang` with its placeholders filled.
            #[allow(dead_code)]
            pub fn fill(self, lang: Lang, values: &[(&str, String)]) -> String {
                fill(self.text(lang), values)
            }
        }
    };
}
pub(crate) use catalog;

// == common: texts every report shares ==
catalog! {
    /// Texts every report shares (data audit, warnings, table words).
    pub enum Common {
        DataHeading => ("Data", "数据"),
        WarningsHeading => ("Warnings", "提示"),
        NotesHeading => ("Notes", "说明"),
        RowsRead => ("{n} rows read", "读入 {n} 行"),
        RowsUsed => ("{n} rows used", "使用 {n} 行"),
        Significant => ("significant", "显著"),
        NotSignificant => ("not significant", "不显著"),
        ConfidenceInterval => ("confidence interval", "置信区间"),
        Segment => ("Segment", "分群"),
        Period => ("Period", "期间"),
        Total => ("Total", "总体"),
        Level => ("Level", "类别"),
        Respondents => ("Respondents", "样本量"),
        Item => ("Item", "指标"),
        Mean => ("Mean", "均值"),
        ChartsHeading => ("Charts", "图表"),
        TablesHeading => ("Tables", "数据表"),
        NoData => ("no data", "无数据"),
    }
}

// == csi: the CSI / ACSI report (issue 15) ==

// == servqual: the SERVQUAL report ==

// == kano: the KANO report ==

// == monitor: complaint monitoring, early warning, attribution (issue 17) ==

// == scorecard: touchpoint scorecards, NPS (issue 17) ==

// == drivers: relative-importance key drivers, dissatisfied profiles (issue 16) ==

/// The glossary of `../shared/DESIGN.md` §7: the Chinese term for an
/// English statistical or service-quality term (case-insensitive), `None`
/// when the term is not in the glossary.
pub fn term(english: &str) -> Option<&'static str> {
    const GLOSSARY: &[(&str, &str)] = &[
        ("customer satisfaction index", "客户满意度指数"),
        ("csi", "客户满意度指数"),
        ("image", "企业形象"),
        ("expectation", "客户期望"),
        ("perceived quality", "感知质量"),
        ("perceived value", "感知价值"),
        ("satisfaction", "客户满意度"),
        ("complaints", "客户抱怨"),
        ("loyalty", "客户忠诚度"),
        ("importance", "影响力"),
        ("performance", "表现"),
        ("short board", "短板"),
        ("fix first", "优先改进"),
        ("potential gain", "潜在提升"),
        ("path coefficient", "路径系数"),
        ("confidence interval", "置信区间"),
        ("significant", "显著"),
        ("month over month", "环比"),
        ("year over year", "同比"),
        ("fixed base", "定基比"),
        ("segment", "分群"),
        ("city", "地市"),
        ("district", "区县"),
        ("plan", "套餐"),
        ("arpu tier", "ARPU档"),
        ("complaint volume", "投诉量"),
        ("complaint increase", "投诉增量"),
        ("complaints per 10 000 customers", "万投比"),
        ("hotspot", "热点"),
        ("warning", "预警"),
        ("target met", "达标"),
        ("satisfied share", "满意率"),
        ("dissatisfied share", "不满率"),
        ("nps", "净推荐值"),
        ("touchpoint", "触点"),
        ("instant survey", "即评"),
        ("change attribution", "异动归因"),
        ("service-quality gap", "服务质量差距"),
        ("zone of tolerance", "容忍区"),
        ("attractive", "魅力质量"),
        ("one-dimensional", "期望质量"),
        ("must-be", "必备质量"),
        ("indifferent", "无差异质量"),
        ("reverse", "反向质量"),
        ("questionable", "可疑质量"),
    ];
    let key = english.trim().to_lowercase();
    GLOSSARY
        .iter()
        .find(|(en, _)| *en == key)
        .map(|(_, zh)| *zh)
}

/// The report label of a construct: the Chinese glossary name of a built-in
/// CSI construct (model names `Image`, `Expectation`, `Quality`, `Value`,
/// `Satisfaction`, `Complaints`, `Loyalty`, `BrandImage`, `ExpectedQuality`,
/// or their English labels) in Chinese, the English label in English; any
/// other name unchanged.
pub fn construct_label(name: &str, lang: Lang) -> String {
    const BUILT_IN: &[(&str, &str, &str)] = &[
        ("image", "Image", "企业形象"),
        ("expectation", "Expectation", "客户期望"),
        ("quality", "Perceived quality", "感知质量"),
        ("perceived quality", "Perceived quality", "感知质量"),
        ("value", "Perceived value", "感知价值"),
        ("perceived value", "Perceived value", "感知价值"),
        ("satisfaction", "Satisfaction", "客户满意度"),
        ("complaints", "Complaints", "客户抱怨"),
        ("loyalty", "Loyalty", "客户忠诚度"),
        ("brandimage", "Brand image", "品牌形象"),
        ("brand image", "Brand image", "品牌形象"),
        ("expectedquality", "Expected quality", "期望质量"),
        ("expected quality", "Expected quality", "期望质量"),
    ];
    let key = name.trim().to_lowercase();
    match BUILT_IN.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, zh)) => lang.pick(en, zh).to_string(),
        None => name.to_string(),
    }
}

/// Item wording for reports: the codebook's label in the report language,
/// falling back to the other language's label, then to the item code —
/// never a code where wording exists.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    codebook: Option<&'a Codebook>,
    lang: Lang,
}

impl<'a> Labels<'a> {
    /// Labels from a codebook (or none: codes are shown) in `lang`.
    pub fn new(codebook: Option<&'a Codebook>, lang: Lang) -> Self {
        Labels { codebook, lang }
    }

    /// The report language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The wording of an item (its code when the codebook has none).
    pub fn item(&self, code: &str) -> String {
        self.codebook
            .and_then(|c| c.label(code, self.lang.code()))
            .map_or_else(|| code.to_string(), str::to_string)
    }

    /// The wording with the code in brackets when they differ
    /// (`网络信号质量 (PERQ3)`), for tables that must stay traceable.
    pub fn item_with_code(&self, code: &str) -> String {
        let label = self.item(code);
        if label == code {
            label
        } else {
            format!("{label} ({code})")
        }
    }

    /// A construct's label ([`construct_label`]).
    pub fn construct(&self, name: &str) -> String {
        construct_label(name, self.lang)
    }
}

/// Whether a character is a wide (CJK or full-width) glyph, drawn about one
/// em wide.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x2FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a catalog: both wordings present, the same placeholders, no CJK in English.
    pub(super) fn check_catalog<K: Copy + std::fmt::Debug>(
        all: &[K],
        text: impl Fn(K, Lang) -> &'static str,
    ) {
        for &k in all {
            let en = text(k, Lang::En);
            let zh = text(k, Lang::Zh);
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{k:?} is empty"
            );
            assert_eq!(
                placeholders(en),
                placeholders(zh),
                "{k:?}: placeholders differ"
            );
            assert!(
                !en.chars().any(is_wide),
                "{k:?}: English text has CJK glyphs: {en}"
            );
        }
    }

    #[test]
    fn catalogs_have_both_languages_with_the_same_placeholders() {
        check_catalog(Common::ALL, Common::text);
    }

    #[test]
    fn placeholders_are_found_and_filled() {
        assert_eq!(placeholders("{b} and {a}, {a}"), ["a", "a", "b"]);
        assert_eq!(placeholders("no {} or {x y}"), Vec::<String>::new());
        assert_eq!(
            Common::RowsRead.fill(Lang::Zh, &[("n", "12".into())]),
            "读入 12 行"
        );
    }

    #[test]
    fn languages_parse_and_unknown_ones_are_refused() {
        for s in ["zh", "ZH", "zh_CN", "zh-Hans", "cn", "Chinese", "中文"] {
            assert_eq!(s.parse::<Lang>().unwrap(), Lang::Zh, "{s}");
        }
        for s in ["en", "EN", "en-US", "english"] {
            assert_eq!(s.parse::<Lang>().unwrap(), Lang::En, "{s}");
        }
        let e = "fr".parse::<Lang>().unwrap_err();
        assert!(e.to_string().contains("`zh`"), "{e}");
        assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh\"");
    }

    #[test]
    fn constructs_and_glossary_terms_are_translated() {
        assert_eq!(construct_label("Quality", Lang::Zh), "感知质量");
        assert_eq!(construct_label("Quality", Lang::En), "Perceived quality");
        assert_eq!(construct_label("网络", Lang::En), "网络");
        assert_eq!(term("Short board"), Some("短板"));
        assert_eq!(term("nonsense"), None);
    }

    #[test]
    fn labels_prefer_the_report_language_then_the_other_then_the_code() {
        let cb = Codebook::parse_csv(
            "item,label,label_en\nA,网络信号质量,Network signal\nB,资费,\nC,,\n",
        )
        .unwrap();
        let zh = Labels::new(Some(&cb), Lang::Zh);
        let en = Labels::new(Some(&cb), Lang::En);
        assert_eq!(zh.item("A"), "网络信号质量");
        assert_eq!(en.item("A"), "Network signal");
        assert_eq!(en.item("B"), "资费");
        assert_eq!(en.item("C"), "C");
        assert_eq!(zh.item_with_code("A"), "网络信号质量 (A)");
        assert_eq!(Labels::new(None, Lang::Zh).item("A"), "A");
    }

    #[test]
    fn wide_glyphs_are_recognised() {
        assert!(is_wide('满') && is_wide('，') && is_wide('Ａ'));
        assert!(!is_wide('a') && !is_wide('1') && !is_wide('é'));
    }
}
