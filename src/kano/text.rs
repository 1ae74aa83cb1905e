//! The texts of the KANO report and charts, in English and Chinese.

use super::Category;
use crate::i18n::{Lang, catalog};

catalog! {
    /// Texts of the KANO report and charts.
    pub enum Text {
        Title => ("KANO report", "KANO 需求分类报告"),
        BetterWorseTitle => ("Better–Worse diagram", "Better–Worse 系数图"),
        BetterWorseCaption => ("Kano Better/Worse", "KANO Better/Worse 系数图"),
        ContinuousTitle => ("Continuous Kano diagram (DuMouchel)", "连续型 KANO 图（DuMouchel）"),
        ContinuousCaption => ("Kano continuous", "连续型 KANO 图"),
        WorseAxis => ("|Worse| = (O + M) / (A + O + M + I)", "|Worse| = (O + M) / (A + O + M + I)，不满意影响"),
        BetterAxis => ("Better = (A + O) / (A + O + M + I)", "Better = (A + O) / (A + O + M + I)，满意影响"),
        DysfunctionalAxis => ("mean dysfunctional score (like −2 … dislike 4)", "不具备时平均得分（喜欢 −2 … 不喜欢 4）"),
        FunctionalAxis => ("mean functional score (dislike −2 … like 4)", "具备时平均得分（不喜欢 −2 … 喜欢 4）"),
        ColourNote => ("Colour: category by the M > O > A > I rule.", "颜色：按 M > O > A > I 规则的类别。"),
        SizeNote => ("Point size: mean self-stated importance.", "点的大小：自评重要性均值。"),
        NotShownCounts => ("Not shown (no A, O, M or I answers): {list}", "未画出（无 A、O、M、I 回答）：{list}"),
        NotShownContinuous => ("Not shown (no answer-level data): {list}", "未画出（无逐条回答数据）：{list}"),
        SegmentLabel => ("Segment {label}", "分群 {label}"),
        Respondents => ("{n} respondents, {k} features, category-strength threshold {t}", "样本量 {n}，{k} 项功能，类别强度阈值 {t}"),
        CountsOnly => ("{k} features from aggregate counts, category-strength threshold {t}", "{k} 项功能（汇总计数），类别强度阈值 {t}"),
        Dropped => ("{n} respondents dropped for too many questionable answers", "{n} 名受访者因可疑回答过多被剔除"),
        CategoryList => ("{category}: {list}", "{category}：{list}"),
        FixFirst => ("Fix first: must-be features with the largest |Worse| ({list}) — their absence causes dissatisfaction.", "优先改进：|Worse| 最大的必备质量功能（{list}）——缺失会直接导致不满。"),
        FeaturesHeading => ("Features", "各功能分类"),
        FeaturesNote => ("Category: the most frequent answer class (with the M > O > A > I rule when the strength is below the threshold); Better/Worse after Berger et al. (1993); Fong test: * = the two most frequent classes differ significantly.", "类别：出现最多的类别（类别强度低于阈值时按 M > O > A > I 规则）；Better/Worse 按 Berger 等（1993）；Fong 检验：* 表示前两个类别差异显著。"),
        SegmentsHeading => ("By segment: {column}", "分群：{column}"),
        SegmentsNote => ("Category by the M > O > A > I rule in each segment; {n} rows without a segment are in the whole sample only.", "各分群按 M > O > A > I 规则的类别；{n} 行无分群标签，只计入总体。"),
        Feature => ("Feature", "功能"),
        Category => ("Category", "类别"),
        RuleCategory => ("Category (M > O > A > I rule)", "类别（M > O > A > I 规则）"),
        Strength => ("Category strength", "类别强度"),
        Fong => ("Fong test", "Fong 检验"),
        FunctionalMean => ("Functional mean", "具备时均值"),
        DysfunctionalMean => ("Dysfunctional mean", "不具备时均值"),
        Importance => ("Importance", "重要性"),
        N => ("Respondents", "样本量"),
        WholeSample => ("Whole sample", "总体"),
        ChartsHeading => ("Charts", "图表"),
    }
}

/// A category's name in `lang` (the DESIGN §7 glossary in Chinese).
pub fn category(c: Category, lang: Lang) -> String {
    match lang {
        Lang::En => {
            let n = c.name();
            let mut chars = n.chars();
            chars.next().map_or_else(String::new, |f| {
                f.to_uppercase().collect::<String>() + chars.as_str()
            })
        }
        Lang::Zh => crate::i18n::term(c.name()).unwrap_or(c.name()).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kano_texts_have_both_languages_and_categories_use_the_glossary() {
        crate::i18n::check_catalog(Text::ALL, Text::text);
        assert_eq!(category(Category::M, Lang::Zh), "必备质量");
        assert_eq!(category(Category::O, Lang::En), "One-dimensional");
    }
}
