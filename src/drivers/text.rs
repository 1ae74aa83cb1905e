//! Report texts of the key-driver, profile and link reports, English and
//! Chinese side by side (glossary of DESIGN.md §7).

use crate::i18n::{Lang, catalog};

catalog! {
    /// Texts of the relative-importance, profile and link reports.
    pub enum DriversText {
        Title => ("Key drivers of {target}", "{target} 关键驱动因素"),
        Summary => (
            "{n} respondents used ({dropped} dropped for a missing answer); R² = {r2}.",
            "使用 {n} 位受访者（{dropped} 位因缺答剔除）；R² = {r2}。"
        ),
        Method => (
            "Shapley/LMG shares of R² ({method}); Johnson's relative weights; dominance analysis.",
            "R² 的 Shapley/LMG 分解（{method}）；Johnson 相对权重；优势分析。"
        ),
        Exact => ("exact over all subsets", "全部子集精确计算"),
        Sampled => ("{m} random orders of entry", "{m} 个随机进入顺序抽样近似"),
        Interval => (
            "Intervals: {level}% percentile bootstrap, {b} resamples (seed {seed}, {failed} unusable).",
            "区间：{level}% 百分位 bootstrap 置信区间，{b} 次重抽样（种子 {seed}，{failed} 次不可用）。"
        ),
        Driver => ("Driver", "驱动因素"),
        Rank => ("Rank", "排名"),
        Shapley => ("Shapley", "Shapley"),
        Share => ("Share of R²", "占 R² 比例"),
        Johnson => ("Johnson weight", "Johnson 权重"),
        Correlation => ("r", "相关系数"),
        Ci => ("95% CI", "95% 置信区间"),
        ChartTitle => ("Share of R² by driver (Shapley/LMG)", "各驱动因素占 R² 比例（Shapley/LMG）"),
        ProfileTitle => ("Profile of dissatisfied customers", "不满客户画像"),
        ProfileSummary => (
            "Dissatisfied: {target} ≤ {threshold}: {d} of {n} respondents (dissatisfied share {rate}%); {dropped} rows without {target} dropped.",
            "不满客户：{target} ≤ {threshold}，{n} 位中 {d} 位（不满率 {rate}%）；{dropped} 行缺少 {target} 已剔除。"
        ),
        Segment => ("Segment", "分群"),
        Level => ("Level", "取值"),
        ShareDissatisfied => ("Share among dissatisfied", "占不满客户比例"),
        BaseRate => ("Base rate", "基准占比"),
        Lift => ("Lift", "提升度"),
        PBh => ("p (BH)", "p（BH 校正）"),
        Separating => ("Drivers separating the dissatisfied", "区分不满客户的驱动因素"),
        MeanDissatisfied => ("Mean (dissatisfied)", "均值（不满）"),
        MeanRest => ("Mean (rest)", "均值（其他）"),
        Standardized => ("Standardized difference", "标准化差异"),
        LinkTitle => ("Link to operational data", "与运营数据的共变关系"),
        LinkSummary => (
            "{cells} unit-periods in the survey, {unmatched} without operational data at lag {lag}.",
            "调查共 {cells} 个单位-期，{unmatched} 个在滞后 {lag} 期无运营数据。"
        ),
        Index => ("Index", "指标"),
        Metric => ("Operational metric", "运营指标"),
        Slope => ("Slope", "斜率"),
        SmallN => (
            "Fewer than 30 unit-periods: read as a hint, not evidence; a correlation says nothing about cause.",
            "单位-期少于 30 个：仅供参考，不足以作为证据；相关不代表因果。"
        ),
    }
}

/// The text of `key` in `lang` with `{name}` placeholders filled.
pub fn say(key: DriversText, lang: Lang, values: &[(&str, String)]) -> String {
    key.fill(lang, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for k in DriversText::ALL {
            assert!(!k.text(Lang::En).is_empty() && !k.text(Lang::Zh).is_empty());
        }
        assert_eq!(DriversText::ProfileTitle.text(Lang::Zh), "不满客户画像");
    }
}
