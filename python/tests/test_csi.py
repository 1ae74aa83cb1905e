"""CSI through Python: index, impacts, IPMA, segments, periods, report,
templates, aggregation — against independent pandas/numpy computations and
the Rust API's own output."""

import numpy as np
import pandas as pd
import pytest

import csikit

SCALE = (1, 10)


@pytest.fixture(scope="module")
def survey():
    return csikit.simulate_survey(1200, seed=11, months=3)


@pytest.fixture(scope="module")
def model():
    return csikit.ecsi_model()


@pytest.fixture(scope="module")
def fit(survey, model):
    return csikit.pls(survey, model)


def blocks(model):
    return {name: inds for name, _, inds in model.constructs}


def test_index_is_the_rescaled_weighted_mean(survey, model, fit):
    """Fornell (1992): index = 100 (Σ w̃ x̄ − min)/(max − min), w̃ the
    unstandardized weights w/sd normalized to sum 1."""
    idx = fit.index(scale=SCALE)
    outer = fit.outer.set_index("indicator")
    for name, inds in blocks(model).items():
        w = outer.loc[inds, "weight"] / survey[inds].std()
        w = w / w.sum()
        expected = 100 * ((w * survey[inds].mean()).sum() - 1) / 9
        assert idx.value(name) == pytest.approx(expected, abs=1e-9), name
    c = idx.constructs
    assert list(c.columns[:4]) == ["construct", "index", "sd", "std_error"]
    assert (c["ci_lower"] < c["index"]).all() and (c["index"] < c["ci_upper"]).all()
    assert idx.n == 1200 and idx.warnings == []
    ind = idx.indicators
    assert np.allclose(ind["performance"], 100 * (ind["mean"] - 1) / 9)
    assert np.allclose(ind.groupby("construct")["rescaled"].sum(), 1)
    # Per-respondent scores average to the index.
    scores = fit.index_scores(scale=SCALE)
    assert scores.shape == (1200, 7)
    for name in blocks(model):
        assert scores[name].mean() == pytest.approx(idx.value(name), abs=1e-9)
    assert "<svg" in idx.to_svg()


def test_index_is_invariant_to_rescaling_an_item_with_its_scale(survey, model):
    base = csikit.pls(survey, model).index(scale=SCALE)
    df = survey.assign(CUSA1=survey["CUSA1"] * 10)
    got = csikit.pls(df, model).index(scale=SCALE, item_scales={"CUSA1": (10, 100)})
    assert got.value("Satisfaction") == pytest.approx(base.value("Satisfaction"), abs=1e-9)
    # Without telling the scale, the index changes: the scale matters.
    wrong = csikit.pls(df, model).index(scale=SCALE)
    assert abs(wrong.value("Satisfaction") - base.value("Satisfaction")) > 1


def test_ipma_importance_is_the_total_effect_on_index_scores(survey, model, fit):
    """Importance = unstandardized total effect: from OLS of each endogenous
    construct's 0-100 scores on its predecessors' (numpy), summed over paths."""
    scores = fit.index_scores(scale=SCALE)
    names = list(scores.columns)
    k = len(names)
    b = np.zeros((k, k))  # b[to, from]
    for to in names:
        preds = [f for f, t in model.paths if t == to]
        if preds:
            x = np.column_stack([np.ones(len(scores)), scores[preds].to_numpy()])
            coef = np.linalg.lstsq(x, scores[to].to_numpy(), rcond=None)[0][1:]
            for f, c in zip(preds, coef):
                b[names.index(to), names.index(f)] = c
    total = np.linalg.inv(np.eye(k) - b) - np.eye(k)
    m = fit.ipma("Satisfaction", scale=SCALE)
    assert m.target == "Satisfaction"
    assert m.target_index == pytest.approx(fit.index(scale=SCALE).value("Satisfaction"))
    t = names.index("Satisfaction")
    for name, imp in m.constructs[["name", "importance"]].itertuples(index=False):
        assert imp == pytest.approx(total[t, names.index(name)], abs=1e-8), name
    # Quadrants split at the means; short boards: high importance, low performance, by gain.
    c = m.constructs
    si, sp = m.construct_split
    assert si == pytest.approx(c["importance"].mean()) and sp == pytest.approx(c["performance"].mean())
    hot = c[(c["importance"] > si) & (c["performance"] < sp)]
    assert set(hot["quadrant"]) <= {"concentrate_here"}
    sb = m.short_boards
    assert set(sb["name"]) == set(hot["name"]) and sb["rank"].tolist() == list(range(1, len(sb) + 1))
    assert np.allclose(sb["potential_gain"], sb["importance"] * (100 - sb["performance"]))
    assert sb["potential_gain"].is_monotonic_decreasing
    # Impacts: the +5-point effect.
    imp = fit.impacts(scale=SCALE)
    row = imp[(imp["driver"] == "Quality") & (imp["target"] == "Satisfaction")].iloc[0]
    assert row["impact"] == pytest.approx(5 * row["total_effect"])
    # Given splits and the importance ranking.
    m2 = fit.ipma("Satisfaction", scale=SCALE, construct_split=(0, 100), ranking="importance")
    assert m2.construct_split == (0, 100) and set(m2.constructs["quadrant"]) == {"concentrate_here"}
    assert m2.short_boards["importance"].is_monotonic_decreasing
    assert "<svg" in m.to_svg() and "<svg" in m.to_svg("indicators")


def test_to_dict_index_and_ipma_match_the_objects(fit):
    d = fit.to_dict(scale=SCALE, ipma="Satisfaction")
    idx = fit.index(scale=SCALE)
    assert [c["index"] for c in d["constructs"]] == idx.constructs["index"].tolist()
    assert d["ipma"]["short_boards"] == fit.ipma("Satisfaction", scale=SCALE).short_boards["name"].tolist()
    assert "ipma" not in fit.to_dict() and fit.to_dict()["constructs"][0].get("index") is None


def test_segments_equal_separate_fits(survey, model):
    by = csikit.csi_segments(survey, model, "region", scale=SCALE)
    assert (by.column, by.kind, by.target) == ("region", "segment", "Satisfaction")
    assert by.groups["label"].tolist() == ["east", "north", "south", "west"]
    assert by.groups["n"].sum() == 1200 and by.n_missing_label == 0 and by.skipped.empty
    idx = by.index.set_index(["label", "construct"])["index"]
    paths = by.paths.set_index(["label", "from", "to"])["estimate"]
    for region in ["north", "south"]:
        part = survey[survey["region"] == region]
        f = csikit.pls(part, model)
        own = f.index(scale=SCALE)
        for name in ["Quality", "Satisfaction"]:
            assert idx[(region, name)] == pytest.approx(own.value(name), abs=1e-12)
        assert paths[(region, "Quality", "Satisfaction")] == pytest.approx(
            f.paths.set_index(["from", "to"]).loc[("Quality", "Satisfaction"), "estimate"], abs=1e-12)
    # Differences: to − from, SE from the two groups' SEs.
    full = by.index.set_index(["label", "construct"])
    d = by.index_differences
    assert len(d) == 6 * 7
    r = d[(d["construct"] == "Satisfaction") & (d["from"] == "east") & (d["to"] == "south")].iloc[0]
    a, b = full.loc[("east", "Satisfaction")], full.loc[("south", "Satisfaction")]
    assert r["difference"] == pytest.approx(b["index"] - a["index"], abs=1e-12)
    assert r["std_error"] == pytest.approx(np.hypot(a["std_error"], b["std_error"]), abs=1e-12)
    assert set(by.ipma["label"]) == set(by.groups["label"])
    assert list(by.impact_differences.columns[:5]) == ["driver", "from", "to", "comparison", "difference"]
    assert "<svg" in by.to_svg()
    # Missing labels are counted, small groups skipped with the reason.
    holes = survey.assign(region=survey["region"].astype(object).where(survey.index % 10 != 0))
    by2 = csikit.csi_segments(holes, model, "region", scale=SCALE, min_group_size=280)
    assert by2.n_missing_label == 120
    assert by2.groups["n"].sum() + by2.skipped["n"].sum() == 1080
    assert not by2.skipped.empty and "fewer than the minimum 280" in by2.skipped["reason"].iloc[0]


def test_periods_and_comparisons(survey, model):
    by = csikit.csi_periods(survey, model, "month", lag=2, base="2", scale=SCALE)
    assert by.kind == "period" and by.groups["label"].tolist() == ["1", "2", "3"]
    d = by.index_differences
    per = d.groupby("comparison").size().to_dict()
    assert per == {"previous": 2 * 7, "lag 2": 1 * 7, "base 2": 2 * 7}
    lag = d[(d["comparison"] == "lag 2") & (d["construct"] == "Quality")].iloc[0]
    assert (lag["from"], lag["to"]) == ("1", "3")
    assert "<svg" in by.to_svg("Quality")


def test_acsi_report_writes_the_folder(tmp_path, survey, model):
    paths = csikit.acsi_report(survey, model, tmp_path / "rep", segments=["region", "plan"],
                               period="month", lag=1, scale=SCALE, title="Telecom CSI")
    names = {p.relative_to(tmp_path / "rep").as_posix() for p in paths}
    assert {"report.md", "report.html"} <= names
    assert any(n.startswith("charts/") and n.endswith(".svg") for n in names)
    assert any(n.startswith("tables/") and n.endswith(".csv") for n in names)
    assert all(p.exists() for p in paths)
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "Telecom CSI" in html and "<svg" in html and "ECSI" in html


def test_templates_models_aggregation_and_truth(survey):
    acsi = csikit.csi_template("acsi")
    assert acsi["name"] == "ACSI" and len(acsi["paths"]) == 9
    assert len(csikit.csi_template("CCSI")["paths"]) == 11
    b = blocks(csikit.ecsi_model())
    m = csikit.csi_model("ecsi", b)
    assert sorted(m.paths) == sorted(csikit.ecsi_model().paths)
    fit = csikit.pls(survey, m)
    assert fit.index(scale=SCALE).value("Satisfaction") == pytest.approx(
        csikit.pls(survey, csikit.ecsi_model()).index(scale=SCALE).value("Satisfaction"), abs=1e-12)
    m2 = csikit.csi_model("ecsi", b, composite=["Image"], add_paths=[("Value", "Loyalty")])
    assert ("Value", "Loyalty") in m2.paths
    assert [c[1] for c in m2.constructs if c[0] == "Image"] == ["B"]
    units = pd.DataFrame({"name": ["A", "B", "C"], "index": [70.0, 80.0, 60.0],
                          "weight": [300.0, 100.0, 100.0], "industry": ["x", "x", "y"]})
    tot = csikit.aggregate_index(units)
    assert tot["index"].iloc[0] == pytest.approx((70 * 300 + 80 * 100 + 60 * 100) / 500)
    by = csikit.aggregate_index(units, by="industry")
    assert by["name"].tolist() == ["x", "y"] and by["index"].tolist() == [72.5, 60.0]
    t = csikit.simulate_truth({"region": "south", "plan": "prepaid"})
    assert t["share"] == pytest.approx(1 / 12) and len(t["paths"]) == 12
    assert 1 < t["item_means"]["CUSA1"] < 10
