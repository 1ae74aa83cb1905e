//! Every text of the CSI report and its charts, English and Chinese side by
//! side (the [`crate::i18n`] catalog of the `csi` domain; Chinese wording
//! from the DESIGN §7 glossary: 满意度指数, 短板, 优先改进, 潜在提升, 环比,
//! 同比, 定基比, 分群).

use crate::i18n::{Lang, catalog, fill};

catalog! {
    /// The texts of the CSI report and charts.
    pub enum CsiText {
        Title => ("Customer satisfaction index report ({model})", "客户满意度指数报告（{model}）"),
        BuiltinData => ("Data: built-in simulated telecom survey (csikit SurveySimulator, ECSI population model), {n} respondents over {months} months, seed {seed}, answers 1-10.", "数据：内置模拟电信满意度调查（csikit SurveySimulator，ECSI 总体模型），{n} 名受访者，{months} 个月，随机种子 {seed}，答题 1-10 分。"),
        // -- executive first page
        ExecHeading => ("At a glance: what to fix first", "首页摘要：优先改进什么"),
        OverallIndex => ("Overall {target} index: {value} ({ci} {lo} to {hi}), {n} respondents.", "总体{target}指数：{value}（{ci} {lo}–{hi}），样本量 {n}。"),
        LatestPeriod => ("Latest period {period}: {value}.", "最新一期 {period}：{value}。"),
        VsPrevious => ("vs previous period ({from}): {diff} points, {sig}", "环比（较 {from}）：{diff} 分，{sig}"),
        VsYear => ("vs a year earlier ({from}): {diff} points, {sig}", "同比（较 {from}）：{diff} 分，{sig}"),
        VsLag => ("vs {k} periods earlier ({from}): {diff} points, {sig}", "较 {k} 期前（{from}）：{diff} 分，{sig}"),
        VsBase => ("vs base ({from}): {diff} points, {sig}", "定基比（较 {from}）：{diff} 分，{sig}"),
        PreviousMissing => ("vs previous period: no estimated previous period", "环比：上一期无估计，无法比较"),
        YearMissing => ("vs a year earlier: no estimated period a year earlier", "同比：去年同期无估计，无法比较"),
        SigYes => ("significant (p = {p})", "显著（p = {p}）"),
        SigNo => ("not significant (p = {p})", "不显著（p = {p}）"),
        NotTested => ("not tested (no standard error)", "未检验（无标准误）"),
        FixFirstHeading => ("Fix first: items ranked by potential gain", "优先改进清单：按潜在提升排序的指标"),
        FixFirstRule => ("Rule: potential gain of an item = its rescaled outer weight × the total effect of its construct on {target} × (100 − the item's score): the {target} index points gained if the item reached 100. A construct's gain is the sum over its items, so the construct short boards and the item list come from the same numbers and cannot contradict each other.", "规则：指标的潜在提升 = 指标的标准化外部权重 × 所属维度对{target}的总效应 ×（100 − 指标得分），即该指标提升到 100 分时{target}指数可提高的分数。维度的潜在提升为其各指标之和，因此维度短板与指标清单来自同一组数字，不会互相矛盾。"),
        ConstructBoards => ("Short boards (constructs, by summed gain): {list}.", "维度短板（按潜在提升合计）：{list}。"),
        LowestSegments => ("Segments with the lowest {target} index", "{target}指数最低的分群"),
        SegmentLine => ("{column} = {label}: index {value} (n = {n}); fix first: {items}", "{column} = {label}：指数 {value}（样本量 {n}）；优先改进：{items}"),
        NoSegmentBoards => ("no item-level estimate", "无指标估计"),
        WarningsThatMatter => ("Warnings", "提示"),
        NoWarnings => ("No rows dropped, no group skipped, every answer scale declared.", "无剔除行、无跳过分组，所有答题量表均已声明。"),
        // -- audit and warnings
        RowsLine => ("Respondents: {read} rows read, {used} used", "样本：读入 {read} 行，使用 {used} 行"),
        EmptyRows => ("Empty rows skipped (not respondents): {n}", "跳过空行（非受访者）：{n}"),
        DroppedLine => ("Dropped ({reason}): {n} rows", "剔除（{reason}）：{n} 行"),
        ReasonMissing => ("missing values", "缺失值"),
        ReasonZeroWeight => ("zero weight", "权重为零"),
        ReasonEmpty => ("empty row", "空行"),
        Imputed => ("Cells replaced by the item mean: {n}", "以题目均值填补的单元格：{n}"),
        MissingCodes => ("Missing codes recoded as missing: {n} cells ({codes})", "缺失代码转为缺失值：{n} 个单元格（{codes}）"),
        CodeCells => ("{code}: {cells} cells in {items} item(s)", "{code}：{items} 题共 {cells} 个单元格"),
        Reversed => ("Reverse-worded items recoded: {items}", "反向题已转换：{items}"),
        ScalesLine => ("Answer scales: {parts}", "答题量表：{parts}"),
        ScalesCodebook => ("{n} item(s) declared in the codebook", "{n} 题由编码手册声明"),
        ScalesGiven => ("{n} item(s) given on the command line / in the request ({range})", "{n} 题由命令行/请求指定（{range}）"),
        ScalesObserved => ("{n} item(s) NOT declared: observed ranges used", "{n} 题未声明：按观测到的最低与最高答案计"),
        SkippedSummary => ("{groups} group(s) not estimated (fewer than {min} usable respondents or a failed fit; {rows} rows): {detail}", "{groups} 个分组未估计（有效样本少于 {min} 或拟合失败，共 {rows} 行）：{detail}"),
        DataHeading => ("Data and model", "数据与模型"),
        FixFirstMore => ("The first {shown} of {n} items; all in tables/fix_first.csv.", "列出前 {shown} 项（共 {n} 项），完整清单见 tables/fix_first.csv。"),
        IndexWarning => ("Index: {text}", "指数：{text}"),
        WarningPrefix => ("Warning: {text}", "提示：{text}"),
        Model => ("Model: {model} ({constructs} constructs, {paths} paths), PLS {scheme} scheme, {converged} after {iterations} iterations.", "模型：{model}（{constructs} 个维度，{paths} 条路径），PLS {scheme}加权方案，迭代 {iterations} 次后{converged}。"),
        SchemePath => ("path", "路径"),
        SchemeCentroid => ("centroid", "重心"),
        SchemeFactorial => ("factorial", "因子"),
        Converged => ("converged", "收敛"),
        NotConverged => ("NOT converged", "未收敛"),
        TargetIndex => ("{target} index: {value} ({ci} {lo} to {hi}), R² {r2}.", "{target}指数：{value}（{ci} {lo}–{hi}），R² {r2}。"),
        StrongestDriver => ("Strongest driver of {target}: {driver} (a 5-point gain in its index raises {target} by {impact} points{ci}).", "{target}的最强驱动因素：{driver}（其指数提高 5 分，{target}提高 {impact} 分{ci}）。"),
        TopShortBoard => ("Top short board: {construct} (potential gain {gain} points; first item: {item}).", "首要短板：{construct}（潜在提升 {gain} 分；首要指标：{item}）。"),
        NoShortBoard => ("No driver has a potential gain.", "没有可提升的驱动因素。"),
        // -- interval labels
        ScoreInterval => ("{level}% score interval", "{level}% 置信区间（得分 t）"),
        NormalInterval => ("{level}% normal interval", "{level}% 置信区间（正态）"),
        BootInterval => ("{level}% bootstrap interval", "{level}% Bootstrap 置信区间"),
        // -- sections
        StructuralHeading => ("Structural model", "结构模型"),
        StructuralText => ("Standardized path coefficients with the OLS inference of the inner regressions; R² and the 0-100 index in each box.", "标准化路径系数及内部回归的 OLS 推断；每个方框中为 R² 与 0-100 指数。"),
        IndexHeading => ("Index per construct", "各维度指数"),
        IndexText => ("Index = Σ v·100(x̄ − min)/(max − min) with unstandardized weights normalized within each block and the theoretical scale bounds (Fornell et al. 1996). {intervals}", "指数 = Σ v·100(x̄ − 最小值)/(最大值 − 最小值)，v 为各维度内归一化的非标准化权重，使用量表的理论上下限（Fornell 等 1996）。{intervals}"),
        IntervalsBoot => ("Intervals: bootstrap percentile intervals from {n} resamples of the respondents (re-estimating the weights each time); the score interval (Student t on the per-respondent index scores, weights held fixed) is in the score-interval columns. Impacts on {target} carry bootstrap intervals too.", "区间：对受访者 {n} 次 Bootstrap 重抽样（每次重新估计权重）的百分位区间；得分区间（受访者指数得分的 t 区间，权重固定）见“得分区间”列。对{target}的影响力也附 Bootstrap 区间。"),
        IntervalsScore => ("Intervals: Student t on the per-respondent index scores with the weights held fixed.", "区间：受访者指数得分的 t 区间（权重固定）。"),
        IpmaHeading => ("Importance-performance map of {target}", "{target}影响力–表现矩阵（IPMA）"),
        IpmaText => ("Importance = unstandardized total effect on {target} (index points per index point); performance = index (constructs) or rescaled item mean (items) (Ringle & Sarstedt 2016). Quadrants split at the means (constructs: importance {si}, performance {sp}).", "影响力 = 对{target}的非标准化总效应（每指数点带来的指数点）；表现 = 维度指数或指标均值换算的 0-100 分（Ringle & Sarstedt 2016）。象限以均值划分（维度：影响力 {si}，表现 {sp}）。"),
        SegmentHeading => ("By {column}", "按{column}分群"),
        TrendHeading => ("Trend by {column}", "按{column}的趋势"),
        GroupText => ("Each group is estimated separately (minimum {min} usable respondents).", "每个分组单独估计（有效样本至少 {min}）。"),
        GroupTextBoot => ("Each group is bootstrapped on its own rows; differences (to − from) are summarized from the differences of independent draws: SE = their SD, percentile interval, and the two-sided bootstrap p-value 2·min(share ≤ 0, share ≥ 0).", "每个分组在自身样本上做 Bootstrap；差异（比较期 − 基准期）由独立抽样之差汇总：标准误 = 其标准差，百分位区间，双侧 Bootstrap p 值 2·min(≤0 比例, ≥0 比例)。"),
        GroupTextNormal => ("Index differences: normal test on independent groups with weights held fixed.", "指数差异：独立分组的正态检验（权重固定）。"),
        NotCompared => ("Not compared ({comparison}): {to} with {from}, because {reason}.", "未比较（{comparison}）：{to} 与 {from}，原因：{reason}。"),
        SegmentBoardsHeading => ("Segment short boards by {column}", "按{column}的分群短板"),
        SegmentBoardsText => ("Per segment, the items with the largest potential gain (the fix-first rule above, on that segment's own estimation); the heat map shows each driver's potential gain (sum over its items) per segment, with the total for comparison.", "每个分群按其自身估计、以上述优先改进规则排出潜在提升最大的指标；热力图显示各驱动因素在各分群的潜在提升（其指标之和），并列出总体作对比。"),
        BinsHeading => ("Binned columns", "分档变量"),
        BinsText => ("{column}: {spec}; {missing} rows without a value are in no bin.", "{column}：{spec}；{missing} 行无数值，未计入任何档。"),
        NotesHeading => ("Notes", "说明"),
        BootstrapNote => ("Bootstrap: {resamples} resamples of {n} respondents (seed {seed}), {failed} failed{detail}; each segment and period is resampled on its own rows, seeded by this seed and its label.", "Bootstrap：对 {n} 名受访者重抽样 {resamples} 次（种子 {seed}），失败 {failed} 次{detail}；每个分群和期间在自身样本上重抽样，种子由此种子与其标签生成。"),
        NoBootstrapNote => ("Without the bootstrap, impacts and importances have no intervals (run with the bootstrap to add them).", "未做 Bootstrap 时，影响力与重要性没有置信区间（加 --bootstrap 可得到）。"),
        ScaleNoteOne => ("Answer scale {range} for every item.", "所有题目的答题量表为 {range}。"),
        ScaleNoteMany => ("Answer scales: {items}.", "答题量表：{items}。"),
        SeparateEstimation => ("Each segment and period is a separate estimation with the same model and settings.", "每个分群和期间均以相同模型和设置单独估计。"),
        // -- why: relative importance and the dissatisfied (issue 16)
        WhyHeading => ("Why: relative importance and the dissatisfied customers", "原因分析：相对重要性与不满客户画像"),
        RelImpHeading => ("Relative importance beside the PLS importance", "相对重要性与 PLS 影响力对比"),
        RelImpText => ("Shapley/LMG shares of the R² of {target} (R² {r2}) among its direct drivers, on the construct scores of this PLS model (Grömping 2007), beside the PLS importance: the total effect on {target}, which also counts effects through other constructs (Ringle & Sarstedt 2016). The first is the share of the explained variance, the second the index points gained per point.", "{target}的 R²（{r2}）在其直接驱动因素间的 Shapley/LMG 分解，基于本 PLS 模型的维度得分（Grömping 2007），并与 PLS 影响力对比：对{target}的总效应（含经由其他维度的间接效应，Ringle & Sarstedt 2016）。前者是解释方差的占比，后者是每提高一个指数点带来的指数点。"),
        RelImpAgree => ("Both rankings name {driver} as the top driver.", "两种排序的首要驱动因素一致：{driver}。"),
        RelImpDisagree => ("The rankings disagree on the top driver: {shapley} explains the largest share of R² ({share} %), while {pls} has the largest PLS total effect ({effect}, direct and indirect).", "两种排序的首要驱动因素不一致：{shapley}解释的 R² 占比最大（{share}%），而{pls}的 PLS 总效应最大（{effect}，含直接与间接效应）。"),
        RelImpMissing => ("Relative importance not computed: {reason}", "未计算相对重要性：{reason}"),
        DissHeading => ("Profile of the dissatisfied customers", "不满客户画像"),
        DissText => ("Dissatisfied: a {target} index of at most {at} (0-100): {d} of {n} respondents ({rate} %). Per segment: its share among the dissatisfied against its share among all respondents (lift), the {level}% Wilson interval of that share, and two-proportion tests adjusted for multiple testing (Benjamini-Hochberg 1995; Holm 1979).", "不满客户：{target}指数不高于 {at}（0-100）：{n} 名受访者中 {d} 名（{rate}%）。各分群：在不满客户中的占比与在全部受访者中的占比之比（提升度），该占比的 {level}% Wilson 置信区间，以及经多重检验校正的两比例检验（Benjamini-Hochberg 1995；Holm 1979）。"),
        DissTop => ("Most over-represented among the dissatisfied: {column} = {label} (lift {lift}, adjusted p {p}).", "不满客户中最突出的分群：{column} = {label}（提升度 {lift}，校正后 p {p}）。"),
        DissNone => ("No segment is over-represented among the dissatisfied after adjusting for multiple testing (Benjamini-Hochberg p < 0.05).", "经多重检验校正后，没有分群在不满客户中显著偏多（Benjamini-Hochberg p < 0.05）。"),
        DissMissing => ("Profile of the dissatisfied not computed: {reason}", "未计算不满客户画像：{reason}"),
        TRelImp => ("Relative importance of the drivers of {target}", "{target}驱动因素的相对重要性"),
        TDissSegments => ("Segments among the dissatisfied", "不满客户的分群构成"),
        TDissDrivers => ("Driver indices: the dissatisfied against the rest", "驱动因素指数：不满客户与其他客户对比"),
        HShapleyShare => ("Share of R² (Shapley/LMG)", "占 R² 比例（Shapley/LMG）"),
        HShapleyRank => ("Rank by share of R²", "按 R² 占比排名"),
        HJohnsonShare => ("Johnson weight share", "Johnson 权重占比"),
        HTotalEffectRank => ("Rank by total effect", "按总效应排名"),
        HSegment => ("Segment", "分群变量"),
        HLevel => ("Level", "分群"),
        HDissatisfied => ("Dissatisfied", "不满客户数"),
        HShareDiss => ("Share among the dissatisfied", "占不满客户比例"),
        HBaseRate => ("Share among all", "占全部受访者比例"),
        HLift => ("Lift", "提升度"),
        HDissRate => ("Dissatisfied rate", "不满率"),
        HPBh => ("p (Benjamini-Hochberg)", "p（BH 校正）"),
        HPHolm => ("p (Holm)", "p（Holm 校正）"),
        HMeanDiss => ("Index (dissatisfied)", "指数（不满客户）"),
        HMeanRest => ("Index (the rest)", "指数（其他客户）"),
        HCohenD => ("Standardized difference (Cohen's d)", "标准化差异（Cohen's d）"),
        // -- table titles
        TIndex => ("Index per construct ({ci})", "各维度指数（{ci}）"),
        TPaths => ("Structural paths", "结构路径"),
        TImpacts => ("Impacts: index points of the target for a 5-point gain of the driver", "影响力：驱动因素提高 5 分时目标指数的提升"),
        TIpmaConstructs => ("IPMA of {target} (constructs)", "{target}的 IPMA（维度）"),
        TIpmaItems => ("IPMA of {target} (items)", "{target}的 IPMA（指标）"),
        TFixFirst => ("Fix first: items by potential gain", "优先改进：按潜在提升排序的指标"),
        TConstructBoards => ("Short boards: constructs by summed potential gain", "短板：按潜在提升合计排序的维度"),
        TGroupIndex => ("Index by {column}", "按{column}的指数"),
        TGroupImpacts => ("Impacts on {target} by {column}", "按{column}的对{target}影响力"),
        TGroupDiff => ("Differences of the {target} index by {column} (to − from)", "按{column}的{target}指数差异（比较 − 基准）"),
        TGroupImpactDiff => ("Differences of the impacts on {target} by {column} (to − from; bootstrap)", "按{column}的对{target}影响力差异（比较 − 基准；Bootstrap）"),
        TSegmentBoards => ("Short boards per {column}", "按{column}的分群短板"),
        TBins => ("Bins of {column}", "{column}分档"),
        // -- column headers
        HConstruct => ("Construct", "维度"),
        HIndex => ("Index", "指数"),
        HStdError => ("Std. error", "标准误"),
        HLower => ("Lower", "下限"),
        HUpper => ("Upper", "上限"),
        HRSquared => ("R²", "R²"),
        HBootSe => ("Bootstrap SE", "Bootstrap 标准误"),
        HScoreLower => ("Score interval lower", "得分区间下限"),
        HScoreUpper => ("Score interval upper", "得分区间上限"),
        HFrom => ("From", "起点"),
        HTo => ("To", "终点"),
        HEstimate => ("Estimate", "估计值"),
        HT => ("t", "t 值"),
        HP => ("p", "p 值"),
        HDriver => ("Driver", "驱动因素"),
        HTarget => ("Target", "目标"),
        HTotalStd => ("Standardized total effect", "标准化总效应"),
        HTotal => ("Total effect (index points)", "总效应（指数点）"),
        HImpact => ("Impact (+5 points)", "影响力（+5 分）"),
        HImportance => ("Importance", "影响力"),
        HImportanceLower => ("Importance lower", "影响力下限"),
        HImportanceUpper => ("Importance upper", "影响力上限"),
        HPerformance => ("Performance", "表现（得分）"),
        HQuadrant => ("Quadrant", "象限"),
        HRank => ("Rank", "排名"),
        HItem => ("Item", "指标"),
        HCode => ("Code", "题号"),
        HWeight => ("Rescaled weight", "标准化权重"),
        HGain => ("Potential gain", "潜在提升"),
        HItems => ("Items", "指标数"),
        HTopItem => ("First item", "首要指标"),
        HN => ("Respondents", "样本量"),
        HComparison => ("Comparison", "比较"),
        HDifference => ("Difference", "差异"),
        HLabelLower => ("{name} lower", "{name}下限"),
        HLabelUpper => ("{name} upper", "{name}上限"),
        HLabelR2 => ("{name} R²", "{name} R²"),
        HBin => ("Bin", "档位"),
        HRange => ("Range", "范围"),
        // -- quadrants and comparisons
        QConcentrate => ("concentrate here (short board)", "重点改进区（短板）"),
        QKeepUp => ("keep up the good work", "继续保持区"),
        QLowPriority => ("low priority", "次要改进区"),
        QOverkill => ("possible overkill", "过度投入区"),
        CPrevious => ("previous period", "环比"),
        CYear => ("a year earlier", "同比"),
        CLag => ("{k} periods earlier", "较 {k} 期前"),
        CBase => ("base {p}", "定基比 {p}"),
        CPair => ("pair", "两两比较"),
        // -- the built-in survey's grouping columns
        ColRegion => ("Region", "地区"),
        ColArpuTier => ("ARPU tier", "ARPU档"),
        ColAgeBand => ("Age band", "年龄段"),
        ColPlan => ("Plan", "套餐"),
        ColMonth => ("Month", "月份"),
        // -- charts
        ChPathTitle => ("Path diagram", "结构模型路径图"),
        ChPathHeading => ("Structural model (standardized paths; R²; index 0-100)", "结构模型（标准化路径系数；R²；指数 0-100）"),
        ChIndexValue => ("index {v}", "指数 {v}"),
        ChExogenous => ("exogenous", "外生维度"),
        ChIndexTitle => ("Index per construct", "各维度指数"),
        ChIndexHeading => ("Index per construct (0-100, {ci})", "各维度指数（0-100，{ci}）"),
        ChIpmaConstructs => ("Importance-performance map (constructs)", "影响力–表现矩阵（维度）"),
        ChIpmaItems => ("Importance-performance map (items)", "影响力–表现矩阵（指标）"),
        ChIpmaHeading => ("Importance-performance map for {target} ({level})", "{target}影响力–表现矩阵（{level}）"),
        ChLevelConstructs => ("constructs", "维度"),
        ChLevelItems => ("items", "指标"),
        ChImportanceAxis => ("importance (index points of {target} per index point)", "影响力（每指数点带来的{target}指数点）"),
        ChPerformanceAxis => ("performance (0-100)", "表现（0-100）"),
        ChConcentrate => ("concentrate here", "重点改进区"),
        ChSegmentTitle => ("{target} index by {column}", "按{column}的{target}指数"),
        ChTrendHeading => ("{target} index by {column} (band: {ci})", "按{column}的{target}指数（阴影：{ci}）"),
        ChGapNote => ("Gaps: {n} period(s) not estimated (too few respondents): {periods}", "空缺：{n} 期未估计（样本不足）：{periods}"),
        ChNoPeriod => ("No period has enough respondents to be estimated", "没有任何期间的样本量足以估计"),
        ChHeatTitle => ("Potential gain by driver and {column}", "按驱动因素与{column}的潜在提升"),
        ChHeatHeading => ("Potential gain of each driver per {column} ({target} index points)", "各{column}分群中各驱动因素的潜在提升（{target}指数点）"),
    }
}

/// The report name of a grouping column: the built-in survey's columns
/// (`region`, `arpu_tier`, `age_band`, `plan`, `month`) translated, a
/// crossing `A*B` as `A × B`, any other name unchanged.
pub fn column_label(column: &str, lang: Lang) -> String {
    column
        .split('*')
        .map(|c| {
            let c = c.trim();
            match c {
                "region" => CsiText::ColRegion.text(lang).to_string(),
                "arpu_tier" => CsiText::ColArpuTier.text(lang).to_string(),
                "age_band" => CsiText::ColAgeBand.text(lang).to_string(),
                "plan" => CsiText::ColPlan.text(lang).to_string(),
                "month" => CsiText::ColMonth.text(lang).to_string(),
                other => other.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The report label of a group: a calendar period in the report language
/// (`2025-01` in English, `2025年1月` in Chinese; quarters `2025Q1` /
/// `2025年第1季度`; years `2025` / `2025年`), any other label (a segment,
/// a wave number) unchanged.
pub fn period_label(label: &str, lang: Lang) -> String {
    use crate::period::{Frequency, Period};
    let Some(p) = Period::parse(label) else {
        return label.to_string();
    };
    match (p.frequency(), lang) {
        (Frequency::Wave, _) => label.to_string(),
        (_, Lang::En) => p.to_string(),
        (Frequency::Monthly, Lang::Zh) => format!(
            "{}年{}月",
            p.year().unwrap_or_default(),
            p.month().unwrap_or_default()
        ),
        (Frequency::Quarterly, Lang::Zh) => format!(
            "{}年第{}季度",
            p.year().unwrap_or_default(),
            p.quarter().unwrap_or_default()
        ),
        (Frequency::Yearly, Lang::Zh) => format!("{}年", p.year().unwrap_or_default()),
    }
}

/// A catalog text filled with its values.
pub(crate) fn t(key: CsiText, lang: Lang, values: &[(&str, String)]) -> String {
    fill(key.text(lang), values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{is_wide, placeholders};

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        for &k in CsiText::ALL {
            let (en, zh) = (k.text(Lang::En), k.text(Lang::Zh));
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{k:?}");
            assert_eq!(placeholders(en), placeholders(zh), "{k:?}");
            assert!(!en.chars().any(is_wide), "{k:?}: {en}");
        }
        assert_eq!(period_label("2025-01", Lang::Zh), "2025年1月");
        assert_eq!(period_label("2025年3月", Lang::En), "2025-03");
        assert_eq!(period_label("2025Q2", Lang::Zh), "2025年第2季度");
        assert_eq!(period_label("13", Lang::Zh), "13");
        assert_eq!(period_label("south", Lang::Zh), "south");
        assert_eq!(
            t(CsiText::HLabelLower, Lang::Zh, &[("name", "满意度".into())]),
            "满意度下限"
        );
    }
}
