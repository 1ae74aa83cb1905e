//! The texts of the monitoring report and trend chart, in English and
//! Chinese (万投比, 环比, 同比, 达标 per the DESIGN §7 glossary).

use crate::i18n::{Labels, Lang, catalog};
use crate::period::Period;

catalog! {
    /// Texts of the monitoring report and chart.
    pub enum Text {
        Title => ("Complaint monitoring report, {period}", "投诉监控报告（{period}）"),
        ChartTitle => ("Complaints per 10 000 customers by month", "各月万投比（每万客户投诉量）"),
        ChartCaption => ("Complaint trend", "投诉趋势"),
        AllCategories => ("all categories", "全部类别"),
        Gaps => ("No data for {list}: drawn as gaps.", "{list} 无数据，图中留空。"),
        NoPeriods => ("No month has data.", "没有任何月份有数据。"),
        Summary => ("Month {period}; {met} of {k} KPI targets met.", "统计月份 {period}；{k} 项指标中 {met} 项达标。"),
        TopVolume => ("Largest complaint volume: {category} ({volume} complaints, {rate} per 10 000 customers).", "投诉量最大：{category}（{volume} 件，万投比 {rate}）。"),
        TopIncrease => ("Largest increase month over month: {category} ({change}).", "环比增量最大：{category}（{change}）。"),
        KpiHeading => ("KPI targets, {period} (all customers)", "指标达标情况（{period}，全部客户）"),
        HotspotsHeading => ("Complaint hotspots, {period}", "投诉热点（{period}）"),
        ByVolume => ("By volume", "按投诉量"),
        ByIncrease => ("By month-over-month increase", "按环比增量"),
        ByRate => ("By rate (categories with at least {n} complaints)", "按万投比（投诉量不少于 {n} 件的类别）"),
        LinksHeading => ("Complaint categories linked to drivers", "投诉类别与满意度驱动因素的关联"),
        LinksNote => ("Complainers' mean driver score minus the others', with 95 % Bonferroni intervals; linked = the interval excludes 0.", "投诉客户与其他客户驱动因素得分均值之差，95% Bonferroni 区间；关联 = 区间不含 0。"),
        TrendHeading => ("Trend", "趋势"),
        Kpi => ("KPI", "指标"),
        Value => ("Value", "实际值"),
        Target => ("Target", "目标值"),
        Met => ("Target met", "达标"),
        Yes => ("yes", "达标"),
        No => ("no", "未达标"),
        Change => ("Change (month over month)", "环比变化"),
        Trend => ("Trend", "趋势"),
        Improving => ("improving", "改善"),
        Worsening => ("worsening", "恶化"),
        Flat => ("flat", "持平"),
        Base => ("Base", "基数"),
        Category => ("Category", "投诉类别"),
        Volume => ("Volume", "投诉量"),
        Rate => ("Per 10 000 customers", "万投比"),
        Mom => ("Month over month", "环比增量"),
        MomPct => ("Month over month %", "环比 %"),
        Yoy => ("Year over year", "同比增量"),
        YoyPct => ("Year over year %", "同比 %"),
        BaseIndex => ("Fixed base index", "定基比"),
        Driver => ("Driver", "驱动因素"),
        Complainers => ("Complainers", "投诉客户数"),
        Difference => ("Difference", "差值"),
        Interval => ("95 % interval", "95% 区间"),
        Linked => ("Linked", "关联"),
        SatisfiedShare => ("satisfied share (answer >= {t})", "满意率（≥{t} 分）"),
        ComplaintRate => ("complaint rate", "投诉率"),
        RespondedWithin => ("responded within {h} h", "{h} 小时内响应率"),
        ResolvedWithin => ("resolved within {h} h", "{h} 小时内解决率"),
        ResponseTime => ("response time p{p}", "响应时长 P{p}"),
        ResolutionTime => ("resolution time p{p}", "解决时长 P{p}"),
        Month => ("{y}-{m}", "{y}年{m}月"),
        AlertsSection => ("Early warning", "预警"),
        AttributionSection => ("Change attribution", "异动归因"),
        Segment => ("Segment", "分群"),
        ExpectedCol => ("Expected", "预期"),
        LevelCol => ("Level", "级别"),
        MixEffect => ("Mix effect", "结构效应"),
        RateEffect => ("Rate effect", "比率效应"),
        ContributionCol => ("Contribution", "贡献"),
        WatchHeading => ("Trend warning: EWMA and seasonal expectation", "趋势预警：EWMA 与季节预期"),
        WatchMethod => ("Complaints per 10 000 customers, all categories. EWMA (Roberts 1959) with λ = {lambda} and limits ±{width} σ (Lucas & Saccucci 1990) around the mean of the {baseline} months before {period} ({mu0}); σ = {sigma}, the mean moving range over 1.128 (Montgomery 2009). Seasonal expectation: the mean of the same month in earlier years.", "全部类别的万投比。EWMA（Roberts 1959），λ = {lambda}，控制限 ±{width} σ（Lucas & Saccucci 1990），中心为 {period} 之前 {baseline} 个月的均值（{mu0}）；σ = {sigma}，即平均移动极差除以 1.128（Montgomery 2009）。季节预期：往年同月的均值。"),
        WatchNoSeason => ("No month has the same month of an earlier year in the data, so there is no seasonal expectation.", "数据中没有往年同月，因此没有季节预期。"),
        WatchSignals => ("The EWMA is beyond its limits in: {list}.", "EWMA 超出控制限的月份：{list}。"),
        WatchNoSignal => ("The EWMA stays within its limits in every month.", "EWMA 各月均在控制限之内。"),
        WatchTooShort => ("Fewer than 3 months with customer counts (or a constant rate): no EWMA.", "有客户数的月份少于 3 个（或万投比恒定）：无法计算 EWMA。"),
        WatchChart => ("Complaints per 10 000 customers: EWMA, limits, seasonal expectation", "万投比：EWMA、控制限与季节预期"),
        PeriodCol => ("Month", "月份"),
        Ewma => ("EWMA", "EWMA"),
        LowerLimit => ("Lower limit", "下控制限"),
        UpperLimit => ("Upper limit", "上控制限"),
        Seasonal => ("Seasonal expectation", "季节预期"),
        VsSeasonal => ("Against seasonal expectation", "较季节预期"),
        Signal => ("Signal", "信号"),
        Beyond => ("beyond the limits", "超限"),
        CusumSignal => ("CUSUM signal", "累积和信号"),
        CusumUp => ("rise (C⁺ > H)", "上升（C⁺ > H）"),
        CusumDown => ("fall (C⁻ > H)", "下降（C⁻ > H）"),
        WatchCusumMethod => ("Tabular CUSUM (Page 1954; Montgomery 2009, §9.1) around the same centre and σ: reference value K = {k} σ, decision interval H = {h} σ ({hv} per 10 000 customers); a signal when C⁺ (a rise) or C⁻ (a fall) exceeds H.", "表格型累积和（CUSUM；Page 1954；Montgomery 2009，§9.1），中心与 σ 同上：参考值 K = {k} σ，决策区间 H = {h} σ（万投比 {hv}）；C⁺（上升）或 C⁻（下降）超过 H 即发出信号。"),
        WatchCusumSignals => ("The CUSUM signals in: {list}.", "累积和（CUSUM）发出信号的月份：{list}。"),
        WatchCusumNoSignal => ("The CUSUM gives no signal in any month.", "累积和（CUSUM）各月均无信号。"),
        LegendValue => ("monthly rate", "月度万投比"),
        LegendEwma => ("EWMA", "EWMA"),
        LegendLimits => ("control limits", "控制限"),
        LegendSeasonal => ("seasonal expectation", "季节预期"),
        CustomHeading => ("User-defined KPIs, {period}", "自定义指标达标情况（{period}）"),
        CustomSummary => ("User-defined KPIs, {period} (total over units): {met} of {k} targets met.", "自定义指标（{period}，各单元合计）：{k} 项目标中 {met} 项达标。"),
        CustomNote => ("A value meets its target when it is at or above it (higher is better, ≥) or at or below it (lower is better, ≤). Month over month: change from the previous period; year over year: from the same period a year earlier. Percentiles: Hyndman & Fan (1996) definition 7.", "实际值达到目标值即为达标：越高越好（≥）或越低越好（≤）。环比：较上一周期的变化；同比：较上年同期的变化。分位数：Hyndman & Fan（1996）定义 7。"),
        UnitCol => ("Unit", "单元"),
        Total => ("total", "合计"),
        MomCol => ("Month over month", "环比"),
        YoyCol => ("Year over year", "同比"),
        Rows => ("Rows", "行数"),
        NoTarget => ("no target", "无目标"),
        AttainmentHeading => ("Attainment rate by KPI, {period}", "各指标达标率（{period}）"),
        AttainmentCol => ("Attainment rate", "达标率"),
        UnitsMet => ("Units met / with a target", "达标单元 / 有目标单元"),
        SkippedHeading => ("Rows left out of the KPIs", "未纳入指标计算的行"),
        SkippedNone => ("Every row of the KPI tables was used.", "指标数据的所有行均已使用。"),
        RowsUsed => ("Used", "已用"),
        MissingPeriod => ("No period", "缺少周期"),
        MissingUnit => ("No unit", "缺少单元"),
        MissingValue => ("Empty value", "空值"),
        InvalidValue => ("Not a number", "非数值"),
    }
}

/// A period's label: `2025-03` in English, `2025年3月` in Chinese (other
/// frequencies as written).
pub fn period(p: Period, lang: Lang) -> String {
    match (lang, p.year(), p.month()) {
        (Lang::Zh, Some(y), Some(m)) => {
            Text::Month.fill(lang, &[("y", y.to_string()), ("m", m.to_string())])
        }
        _ => p.to_string(),
    }
}

/// A KPI's name (as [`crate::monitor::Kpi::name`] writes it) in `lang`.
pub fn kpi(name: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let between = |prefix: &str, suffix: &str| {
        name.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .map(str::to_string)
    };
    if let Some(t) = between("satisfied share (answer >= ", ")") {
        Text::SatisfiedShare.fill(lang, &[("t", t)])
    } else if name == "complaint rate" {
        Text::ComplaintRate.text(lang).to_string()
    } else if let Some(h) = between("responded within ", " h") {
        Text::RespondedWithin.fill(lang, &[("h", h)])
    } else if let Some(h) = between("resolved within ", " h") {
        Text::ResolvedWithin.fill(lang, &[("h", h)])
    } else if let Some(p) = between("response time p", "") {
        Text::ResponseTime.fill(lang, &[("p", p)])
    } else if let Some(p) = between("resolution time p", "") {
        Text::ResolutionTime.fill(lang, &[("p", p)])
    } else {
        name.to_string()
    }
}

/// The wording of a complaint category, region or driver: the codebook's
/// label, else (in Chinese) the name of the built-in example's categories,
/// regions and drivers, else the name.
pub fn name(labels: &Labels<'_>, name: &str) -> String {
    let label = labels.item(name);
    if label != name {
        return label;
    }
    const BUILT_IN: &[(&str, &str)] = &[
        ("network", "网络"),
        ("billing", "计费"),
        ("roaming", "漫游"),
        ("other", "其他"),
        ("5g", "5G"),
        ("north", "北区"),
        ("south", "南区"),
        ("east", "东区"),
        ("quality", "质量"),
        ("value", "价值"),
        ("service", "服务"),
        ("quality_index", "质量指数"),
        ("value_index", "价值指数"),
        ("service_index", "服务指数"),
    ];
    match (labels.lang(), BUILT_IN.iter().find(|(k, _)| *k == name)) {
        (Lang::Zh, Some((_, zh))) => (*zh).to_string(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_texts_have_both_languages_and_kpis_months_are_translated() {
        crate::i18n::check_catalog(Text::ALL, Text::text);
        let p = Period::parse("2025-03").unwrap();
        assert_eq!(period(p, Lang::Zh), "2025年3月");
        assert_eq!(period(p, Lang::En), "2025-03");
        assert_eq!(kpi("resolved within 24 h", Lang::Zh), "24 小时内解决率");
        assert_eq!(
            kpi("satisfied share (answer >= 8)", Lang::Zh),
            "满意率（≥8 分）"
        );
        assert_eq!(kpi("complaint rate", Lang::En), "complaint rate");
        let zh = Labels::new(None, Lang::Zh);
        assert_eq!(name(&zh, "billing"), "计费");
        assert_eq!(name(&Labels::new(None, Lang::En), "billing"), "billing");
    }
}
