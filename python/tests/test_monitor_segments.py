"""Monitoring, and SERVQUAL / KANO per segment, through Python: against
pandas computations and against separate analyses of each segment."""

import numpy as np
import pandas as pd
import pytest

import csikit


@pytest.fixture(scope="module")
def sim():
    return csikit.simulate_monitor(30000, months=12, survey_per_month=300, seed=1)


@pytest.fixture(scope="module")
def mon(sim):
    return csikit.monitor(sim.complaints, sim.customers, segments=["region"],
                          response_hours="response_hours", resolution_hours="resolution_hours",
                          customer_id="customer_id", base_period="2025-01")


def test_metrics_equal_pandas_counts(sim, mon):
    c = sim.complaints.assign(month=sim.complaints["month"].astype(str),
                              category=sim.complaints["category"].astype(str))
    volume = c.groupby(["month", "category"]).size()
    customers = sim.customers.assign(month=sim.customers["month"].astype(str)).groupby("month")["customers"].sum()
    m = mon.metrics
    assert mon.periods == [f"2025-{k:02d}" for k in range(1, 13)]
    assert mon.categories == ["5g", "billing", "network", "other", "roaming"]
    total = m[m["segment"].isna() & (m["category"] != "(all)")]
    assert len(total) == 12 * 5
    for r in total.itertuples(index=False):
        v = volume.get((r.period, r.category), 0)
        assert r.volume == v and r.customers == customers[r.period]
        assert r.rate_per_10k == pytest.approx(v / customers[r.period] * 1e4)
    net = total[total["category"] == "network"].set_index("period")
    assert net["mom_change"].iloc[1:].tolist() == net["volume"].diff().iloc[1:].astype(int).tolist()
    assert np.isnan(net["mom_change"].iloc[0])
    assert np.allclose(net["base_index"], net["volume"] / net["volume"].iloc[0] * 100)
    # "(all)" is the sum over categories; segments sum to the total.
    alls = m[m["segment"].isna() & (m["category"] == "(all)")].set_index("period")["volume"]
    assert alls.tolist() == c.groupby("month").size().tolist()
    seg = m[m["segment"].notna() & (m["category"] == "(all)")]
    assert seg.groupby("period")["volume"].sum().tolist() == alls.tolist()
    assert set(seg["segment"]) == {"region=east", "region=north", "region=south"}


def test_hotspots_kpis_and_links(sim, mon):
    h = mon.hotspots(n=3)
    assert h["period"] == "2025-12" and len(h["by_volume"]) == 3
    assert h["by_volume"]["volume"].is_monotonic_decreasing
    m = mon.metrics
    dec = m[(m["period"] == "2025-12") & m["segment"].isna() & (m["category"] != "(all)")]
    assert h["by_volume"]["category"].iloc[0] == dec.sort_values("volume").iloc[-1]["category"]
    assert (h["by_increase"]["mom_change"] > 0).all()
    # KPIs: the satisfied share and the complaint rate against pandas.
    k = mon.kpis(survey=sim.survey)
    share = k[(k["kpi"] == "satisfied share (answer >= 8)") & k["segment"].isna()].set_index("period")
    s = sim.survey.assign(month=sim.survey["month"].astype(str))
    expected = (s["satisfaction"] >= 8).groupby(s["month"]).mean()
    assert np.allclose(share["value"], expected.loc[share.index])
    assert (share["met"] == (share["value"] >= 0.9)).all()
    rate = k[(k["kpi"] == "complaint rate") & k["segment"].isna()].set_index("period")["value"]
    alls = m[m["segment"].isna() & (m["category"] == "(all)")].set_index("period")
    assert np.allclose(rate, alls["volume"] / alls["customers"])
    assert set(k["direction"]) == {"at_least", "at_most"}
    assert "satisfied share (answer >= 8)" not in set(mon.kpis()["kpi"])
    # Links: the simulator ties network to quality and billing to value, nothing else.
    links = mon.link_by_respondent(sim.survey, ["quality_index", "value_index", "service_index"])
    linked = set(links.loc[links["linked"], ["category", "driver"]].itertuples(index=False, name=None))
    assert linked == {("network", "quality_index"), ("billing", "value_index")}
    r = links[(links["category"] == "network") & (links["driver"] == "quality_index")].iloc[0]
    assert r["difference"] == pytest.approx(r["mean_complained"] - r["mean_other"])
    seg = mon.link_by_segment(sim.survey, ["quality_index"])
    assert set(seg["segments"]) == {3}
    assert "<svg" in mon.trend_svg(["network", "billing"])


def test_servqual_by_segment_equals_separate_analyses():
    sq = csikit.simulate_servqual(300)
    r = csikit.servqual(sq, by="branch")
    assert r.segment_column == "branch" and r.unlabelled == 0
    whole = csikit.servqual(sq).to_dict()
    d = r.to_dict()
    for key in whole:
        assert d[key] == whole[key], key
    for label, seg in r.segments.items():
        part = sq[sq["branch"] == float(label)]
        # A segment's report has no data audit of its own (the whole
        # document's `data` key covers every row).
        own = {k: v for k, v in csikit.servqual(part).to_dict().items() if k != "data"}
        assert seg.to_dict() == own
    t = r.segment_table("dimensions")
    assert t.columns[0] == "segment" and len(t) == 5 * len(r.segments)
    assert csikit.servqual(sq).segments == {} and csikit.servqual(sq).segment_column is None


def test_kano_by_segment_equals_separate_analyses():
    df = csikit.simulate_kano(300).assign(group=["a", "b", None] * 100)
    r = csikit.kano(df, by="group")
    assert r.column == "group" and r.missing_segment == 100
    assert r.respondents == {"a": 100, "b": 100}
    for label, seg in r.segments.items():
        own = csikit.kano(df[df["group"] == label].drop(columns="group")).to_dict()
        got = seg.to_dict()
        assert got["features"] == own["features"]
        assert got["label"] == f"group = {label}"
    assert r.features.columns[0] == "segment" and set(r.features["segment"]) == {"a", "b"}
