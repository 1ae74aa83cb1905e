"""The bootstrap, the multi-group analysis and the CSI bootstrap intervals
through Python: DataFrame schemas, determinism for a seed, agreement with
the library's JSON, and properties that can fail (ordered intervals, a
known difference found significant)."""

import math

import numpy as np
import pandas as pd
import pytest

import csikit

BOOT_COLUMNS = ["estimate", "mean", "std_error", "bias", "t", "p", "ci_lower", "ci_upper",
                "bca_lower", "bca_upper"]


@pytest.fixture(scope="module")
def survey():
    return csikit.simulate_survey(400, seed=21)


@pytest.fixture(scope="module")
def fit(survey):
    return csikit.pls(survey, csikit.ecsi_model())


def test_bootstrap_tables_and_determinism(fit):
    b = fit.bootstrap(150, seed=11)
    assert (b.resamples, b.seed, b.failed, b.n_observations) == (150, 11, 0, 400)
    assert b.confidence == 0.95 and b.sign_change == "none" and b.jackknife_failed == 0
    for table, ids in [(b.paths, ["from", "to"]), (b.total_effects, ["from", "to"]),
                       (b.indirect_effects, ["from", "to"]),
                       (b.loadings, ["indicator", "construct"]),
                       (b.weights, ["indicator", "construct"]), (b.r_squared, ["construct"]),
                       (b.htmt, ["a", "b"])]:
        assert list(table.columns[:len(ids) + len(BOOT_COLUMNS)]) == ids + BOOT_COLUMNS
        assert len(table) > 0
        assert (table["ci_lower"] <= table["ci_upper"]).all()
        assert all(table[c].dtype == np.float64 for c in BOOT_COLUMNS)
    assert len(b.paths) == len(fit.paths)
    # The estimates are the fit's own.
    est = b.paths.set_index(["from", "to"])["estimate"]
    own = fit.paths.set_index(["from", "to"])["estimate"]
    assert np.allclose(est.loc[own.index].to_numpy(), own.to_numpy(), atol=1e-10)
    # Same seed, same result, whatever the threads; another seed differs.
    assert fit.bootstrap(150, seed=11, threads=1).to_dict() == b.to_dict()
    other = fit.bootstrap(150, seed=12)
    assert not np.allclose(other.paths["std_error"], b.paths["std_error"])
    # Without BCa: NaN columns, no jackknife.
    nb = fit.bootstrap(50, seed=1, bca=False)
    assert nb.paths["bca_lower"].isna().all() and nb.jackknife_failed is None


def test_bootstrap_settings_are_checked(fit):
    with pytest.raises(csikit.CsikitError, match="sign_change"):
        fit.bootstrap(50, sign_change="sometimes")
    with pytest.raises(csikit.CsikitError, match="on_failure"):
        fit.bootstrap(50, on_failure="ignore")
    with pytest.raises(csikit.CsikitError, match="resamples"):
        fit.bootstrap(1)
    moments_fit = csikit.pls(csikit.moments(csikit.simulate_survey(100), csikit.ecsi_model()),
                             csikit.ecsi_model())
    with pytest.raises(ValueError, match="data="):
        moments_fit.bootstrap(50)


def test_mga_tables(survey):
    r = csikit.mga(survey, csikit.ecsi_model(), "arpu_tier", permutations=49, seed=3)
    assert r.levels == ["high", "low", "mid"] and r.column == "arpu_tier"
    assert sum(r.n.values()) == 400 and r.permutations == 49 and r.seed == 3
    assert r.correction == "holm"
    paths = r.paths
    assert list(paths.columns[:9]) == ["from", "to", "group_a", "group_b", "estimate_a",
                                       "estimate_b", "difference", "p_permutation", "p_adjusted"]
    assert len(paths) == 3 * 12
    assert np.allclose(paths["difference"], paths["estimate_a"] - paths["estimate_b"])
    assert ((paths["p_permutation"] > 0) & (paths["p_permutation"] <= 1)).all()
    assert (paths["p_adjusted"] >= paths["p_permutation"] - 1e-12).all()
    assert len(r.loadings) == len(r.weights) == 3 * 24
    micom = r.micom
    assert list(micom.columns[:3]) == ["construct", "group_a", "group_b"]
    assert {"c", "c_p", "compositional_invariance", "invariance"} <= set(micom.columns)
    assert len(micom) == 3 * 7
    # Deterministic for a seed, and the same as the fit's method.
    again = csikit.pls(survey, csikit.ecsi_model()).mga("arpu_tier", permutations=49, seed=3)
    assert again.to_dict() == r.to_dict()
    with pytest.raises(csikit.CsikitError, match="correction"):
        csikit.mga(survey, csikit.ecsi_model(), "arpu_tier", correction="sidak")
    with pytest.raises(csikit.DataError):
        csikit.mga(survey, csikit.ecsi_model(), "no_such_column")


def test_csi_intervals_with_the_bootstrap(fit, survey):
    m = fit.ipma("Satisfaction", scale=(1, 10), bootstrap=100, seed=5)
    for table in (m.constructs, m.indicators):
        assert (table["importance_ci_lower"] < table["importance"]).all()
        assert (table["importance"] < table["importance_ci_upper"]).all()
        assert set(table["importance_ci_method"]) == {"bootstrap_percentile"}
    plain = fit.ipma("Satisfaction", scale=(1, 10))
    assert plain.constructs["importance_ci_lower"].isna().all()
    assert fit.ipma("Satisfaction", scale=(1, 10), bootstrap=100, seed=5).to_dict() == m.to_dict()

    by = csikit.csi_periods(survey, csikit.ecsi_model(), "month", scale=(1, 10),
                            min_group_size=20, bootstrap=100, seed=2, base="1")
    idx = by.index
    assert set(idx["ci_method"]) == {"bootstrap_percentile"}
    assert set(idx["score_ci_method"]) == {"score_t"}
    assert ((idx["ci_lower"] < idx["index"]) & (idx["index"] < idx["ci_upper"])).all()
    imp = by.impacts
    assert not imp["ci_lower"].isna().any()
    d = by.impact_differences
    assert not d[["std_error", "p_value", "ci_lower", "ci_upper"]].isna().any().any()
    assert ((d["p_value"] > 0) & (d["p_value"] <= 1)).all()
    i = by.index_differences
    assert set(i["ci_method"]) == {"bootstrap_percentile"}
    assert set(i["score_ci_method"]) == {"normal_difference"}
    assert list(by.bootstrap["resamples"]) == [100] * len(by.groups)
    # Without the bootstrap the impact differences have no inference.
    plain = csikit.csi_periods(survey, csikit.ecsi_model(), "month", scale=(1, 10),
                               min_group_size=20)
    assert plain.impact_differences["p_value"].isna().all() and plain.bootstrap.empty


def test_known_difference_is_significant():
    df = csikit.simulate_survey(3000, seed=17, months=3)
    tiers = csikit.csi_segments(df, csikit.ecsi_model(), "arpu_tier", scale=(1, 10),
                                bootstrap=200, seed=9)
    d = tiers.impact_differences.set_index(["driver", "from", "to"]).loc[("Value", "high", "low")]
    # The simulator's Value -> Satisfaction path is 0.30 stronger for low ARPU.
    assert d["difference"] > 0 and d["ci_lower"] > 0
    assert math.isclose(d["p_value"], 2 / 201)


def test_report_shows_the_intervals(tmp_path):
    df = csikit.simulate_survey(900, seed=3, months=3)
    paths = csikit.acsi_report(df, csikit.ecsi_model(), tmp_path, segments=["region"],
                               period="month", scale=(1, 10), bootstrap=60, seed=4,
                               min_group_size=50)
    names = {p.name for p in paths}
    assert {"region_impact_differences.csv", "month_impact_differences.csv"} <= names
    md = (tmp_path / "report.md").read_text()
    assert "95% bootstrap interval" in md and "need the bootstrap" not in md
    ipma = pd.read_csv(tmp_path / "tables" / "ipma_constructs.csv")
    # Human column headers in the report language (English by default).
    assert (ipma["Importance lower"] < ipma["Importance upper"]).all()
