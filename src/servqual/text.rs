//! The texts of the SERVQUAL report and gap chart, in English and Chinese.

use crate::i18n::{Lang, catalog};

catalog! {
    /// Texts of the SERVQUAL report and chart.
    pub enum Text {
        Title => ("SERVQUAL report", "SERVQUAL 服务质量差距报告"),
        ChartTitle => ("SERVQUAL by dimension (n = {n})", "各维度服务质量（样本量 {n}）"),
        ChartTitleSegment => ("SERVQUAL gaps, {column} = {value}", "服务质量差距：{column} = {value}"),
        ChartCaption => ("Servqual gaps", "服务质量差距图"),
        Expectation => ("expectation", "期望"),
        Perception => ("perception", "感知"),
        Zone => ("zone of tolerance (adequate to desired)", "容忍区（适当服务至理想服务）"),
        MeanAnswer => ("mean answer", "平均得分"),
        GapLabel => ("gap {v}", "差距 {v}"),
        AxisBreak => ("axis starts at {v}", "纵轴自 {v} 起"),
        Respondents => ("{n} respondents, answer scale {min} to {max}, sources: {sources}", "样本量 {n}，答题量表 {min}～{max}，数据来源：{sources}"),
        Reversed => ("Reverse-scored items: {items}", "反向计分题项：{items}"),
        SummaryGap => ("Unweighted SERVQUAL gap (perception minus expectation): {v}", "未加权服务质量差距（感知减期望）：{v}"),
        SummaryWeighted => ("Weighted SERVQUAL gap: {v}", "加权服务质量差距：{v}"),
        SummaryServperf => ("SERVPERF (mean perception): {v}", "SERVPERF（感知均值）：{v}"),
        SummaryTopDimension => ("Fix first (dimension): {name} (score {v})", "优先改进维度：{name}（得分 {v}）"),
        SummaryTopItem => ("Fix first (item): {name} (score {v})", "优先改进题项：{name}（得分 {v}）"),
        DimensionsHeading => ("Dimensions", "各维度"),
        DimensionsNote => ("Respondent means over the items answered; gap = perception minus expectation.", "按受访者已答题项求均值；差距 = 感知 − 期望。"),
        ScoresHeading => ("Overall scores", "总体得分"),
        ItemsHeading => ("Items", "各题项"),
        PrioritiesHeading => ("Priorities", "改进优先级"),
        PrioritiesRule => ("Score = weight × shortfall; shortfall = {against}; weight = {weight}; highest first.", "得分 = 权重 × 不足；不足 = {against}；权重 = {weight}；按得分从高到低。"),
        AgainstExpectation => ("expectation minus perception", "期望 − 感知"),
        AgainstDesired => ("desired minus perception", "理想服务 − 感知"),
        WeightImportance => ("mean importance points / 100", "平均重要性分值 / 100"),
        WeightEqual => ("equal weights (no importance points)", "等权（无重要性分值）"),
        TopItems => ("Top items", "优先改进题项"),
        SegmentsHeading => ("By segment: {column}", "分群：{column}"),
        SegmentsNote => ("{n} segments; {unlabelled} rows without a label are in the whole sample only.", "共 {n} 个分群；{unlabelled} 行无分群标签，只计入总体。"),
        WholeSample => ("Whole sample", "总体"),
        LeftOut => ("{n} respondents lack a score in some dimension and are left out of the dimension-mean scores.", "{n} 名受访者在某一维度无得分，未计入维度均值得分。"),
        WeightsNote => ("Importance points: {missing} respondents with a missing entry, {off} not summing to 100 ({rescaled} rescaled to their sum, {excluded} left out).", "重要性分值：{missing} 名受访者有缺失，{off} 名合计不为 100（{rescaled} 名按合计重新缩放，{excluded} 名剔除）。"),
        ZoneNote => ("Zone of tolerance: below {below} ({pb}%), within {within} ({pw}%), above {above} ({pa}%).", "容忍区：低于 {below}（{pb}%），区内 {within}（{pw}%），高于 {above}（{pa}%）。"),
        Inverted => ("{n} answers with adequate above desired are not classified.", "{n} 个回答的适当服务高于理想服务，未归类。"),
        Dimension => ("Dimension", "维度"),
        Items => ("Items", "题项数"),
        ItemNumber => ("No.", "序号"),
        ItemWording => ("Item", "题项"),
        Gap => ("Gap", "差距"),
        N => ("Respondents", "样本量"),
        Weight => ("Weight", "权重"),
        Msa => ("MSA (perception − adequate)", "MSA（感知 − 适当）"),
        Mss => ("MSS (perception − desired)", "MSS（感知 − 理想）"),
        Width => ("Zone width", "容忍区宽度"),
        AlphaP => ("α perception", "感知 α 系数"),
        AlphaE => ("α expectation", "期望 α 系数"),
        AlphaGap => ("α gap", "差距 α 系数"),
        ExpectationH => ("Expectation", "期望"),
        PerceptionH => ("Perception", "感知"),
        ZoneH => ("Below / within / above zone", "低于 / 区内 / 高于容忍区"),
        Rank => ("Rank", "排名"),
        Shortfall => ("Shortfall", "不足"),
        Score => ("Score", "得分"),
        Measure => ("Measure", "指标"),
        Value => ("Value", "数值"),
        Unweighted => ("Unweighted SERVQUAL (mean of the dimension gaps)", "未加权 SERVQUAL（各维度差距均值）"),
        UnweightedItems => ("SERVQUAL item variant (mean of all item gaps)", "SERVQUAL 题项版（全部题项差距均值）"),
        Weighted => ("Weighted SERVQUAL (importance points / 100 × gap)", "加权 SERVQUAL（重要性分值/100 × 差距）"),
        Servperf => ("SERVPERF (mean of the dimension perceptions)", "SERVPERF（各维度感知均值）"),
        ServperfItems => ("SERVPERF item variant (mean of all items)", "SERVPERF 题项版（全部题项均值）"),
        ServperfWeighted => ("Weighted SERVPERF", "加权 SERVPERF"),
        MsaTotal => ("MSA (perception − adequate)", "MSA（感知 − 适当服务）"),
        MssTotal => ("MSS (perception − desired)", "MSS（感知 − 理想服务）"),
        Reverse => ("reverse-scored", "反向计分"),
        ChartsHeading => ("Charts", "图表"),
        ItemN => ("item {n}", "第 {n} 题"),
    }
}

/// The name of a SERVQUAL dimension in `lang`: in Chinese the standard
/// dimensions (Parasuraman et al. 1988) translated; otherwise unchanged.
pub fn dimension(name: &str, lang: Lang) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("tangibles", "有形性"),
        ("reliability", "可靠性"),
        ("responsiveness", "响应性"),
        ("assurance", "保证性"),
        ("empathy", "移情性"),
    ];
    match (lang, NAMES.iter().find(|(k, _)| *k == name)) {
        (Lang::Zh, Some((_, zh))) => (*zh).to_string(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servqual_texts_have_both_languages() {
        crate::i18n::check_catalog(Text::ALL, Text::text);
        assert_eq!(dimension("empathy", Lang::Zh), "移情性");
        assert_eq!(dimension("network", Lang::Zh), "network");
    }
}
