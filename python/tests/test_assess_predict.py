"""Assessment, consistent PLS, Q² and PLSpredict through Python: numbers
against cSEM 0.6.1 and against independent pandas computations."""

import math

import numpy as np
import pandas as pd
import pytest

import csikit
from conftest import BLOCKS, mat, reference


def test_assessment_matches_csem(satisfaction, syntax):
    r = reference("cSEM_satisfaction_path_tight")
    a = csikit.pls(satisfaction, syntax, tol=1e-12, max_iter=1000).assess()
    assert not a.consistent
    assert a.srmr == pytest.approx(r["assess"]["SRMR"], abs=1e-10)
    # cSEM's DG is ½Σ(log10 φ)², csikit's d_G uses natural logs.
    assert a.d_g / math.log(10) ** 2 == pytest.approx(r["assess"]["DG"], abs=1e-10)
    assert a.gof == pytest.approx(r["assess"]["GoF"], abs=1e-8)
    rel = a.reliability
    for c in BLOCKS:
        assert rel.loc[c, "ave"] == pytest.approx(r["assess"]["AVE"][c], abs=1e-10)
        assert rel.loc[c, "rho_c"] == pytest.approx(r["assess"]["RhoC"][c], abs=1e-10)
        assert rel.loc[c, "cronbach_alpha"] == pytest.approx(
            r["assess"]["Reliability"]["Cronbachs_alpha"][c], abs=1e-10)
        assert rel.loc[c, "sqrt_ave"] == pytest.approx(math.sqrt(rel.loc[c, "ave"]), abs=1e-14)
    # HTMT with signed correlations is cSEM's (lower triangle of its matrix).
    for a_, b_, v in a.htmt_signed[["a", "b", "value"]].itertuples(index=False):
        ref = r["assess"]["HTMT"]["htmts"]
        got = mat(ref, b_, a_) or mat(ref, a_, b_)
        assert v == pytest.approx(got, abs=1e-10), (a_, b_)
    # Fornell–Larcker: √AVE on the diagonal, construct correlations elsewhere.
    fl = a.fornell_larcker
    assert list(fl.index) == list(BLOCKS)
    cc = csikit.pls(satisfaction, syntax, tol=1e-12, max_iter=1000).construct_correlations
    for c in BLOCKS:
        assert fl.loc[c, c] == pytest.approx(rel.loc[c, "sqrt_ave"], abs=1e-14)
    assert fl.loc["SAT", "LOY"] == pytest.approx(cc.loc["SAT", "LOY"], abs=1e-14)
    # Saturated fits better than estimated; shapes and the scalar views.
    mf = a.model_fit
    assert mf.loc["saturated", "srmr"] < mf.loc["estimated", "srmr"] == a.srmr
    assert a.cross_loadings.shape == (27, 6) and a.vif_outer.empty
    assert a.htmt2.shape == (15, 3) and a.htmt2["value"].dtype == np.float64
    assert a.to_dict()["fit_estimated"]["srmr"] == a.srmr
    assert "SRMR" in str(a) and "HTMT" in str(a)


def test_plsc_matches_csem(satisfaction, syntax):
    r = reference("cSEM_satisfaction_plsc_path")
    fit = csikit.pls(satisfaction, syntax, consistent=True, tol=1e-5, max_iter=100)
    assert fit.iterations == r["iterations"]
    cons = fit.consistent
    # Admissible (rho_A, loadings and corrected correlations within ±1, positive
    # definite) even though VAL ~ EXPE is −1.74: paths are not among the checks.
    assert cons["admissible"] and cons["problems"] == []
    assert set(cons["corrected"]) == set(BLOCKS)
    for row in cons["reliabilities"]:
        assert row["value"] == pytest.approx(r["reliabilities"][row["construct"]], abs=1e-10)
    for frm, to, est in fit.paths[["from", "to", "estimate"]].itertuples(index=False):
        assert est == pytest.approx(mat(r["path_matrix"], to, frm), abs=1e-10), (frm, to)
    for ind, con, load in fit.outer[["indicator", "construct", "loading"]].itertuples(index=False):
        assert load == pytest.approx(mat(r["loading_matrix"], con, ind), abs=1e-10)
    r2 = fit.constructs.set_index("name")["r_squared"]
    for c, v in r["R2"].items():
        assert r2[c] == pytest.approx(v, abs=1e-10)
    assert fit.assess().consistent
    assert csikit.pls(satisfaction, syntax).consistent is None


def test_q2_by_blindfolding(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    b = fit.q2()
    assert b.omission_distance == 7 and (b.n_observations, b.n_dropped) == (250, 0)
    t = b.constructs.set_index("construct")
    assert list(t.index) == ["EXPE", "QUAL", "VAL", "SAT", "LOY"]
    assert b.scale == "observed"
    # The former rule: SSO about the full-data mean; every point is omitted
    # exactly once, so it is the squared deviations from the mean.
    old = fit.q2(scale="mean_replaced")
    assert old.scale == "mean_replaced"
    t_old = old.constructs.set_index("construct")
    for c in t.index:
        x = satisfaction[BLOCKS[c]]
        assert t_old.loc[c, "sso"] == pytest.approx(((x - x.mean()) ** 2).sum().sum(), rel=1e-12)
    # Rescaling with the observed SD (default) gives higher Q² than the
    # shrunken SD of the mean-replaced column.
    assert ((t["q2"] - t_old["q2"]) > 0.005).all()
    assert fit.to_dict(q2=True)["blindfolding"]["scale"] == "observed"
    assert fit.to_dict(q2=True, q2_scale="mean_replaced")["blindfolding"] == old.to_dict()
    with pytest.raises(ValueError):
        fit.q2(scale="mean")
    assert np.allclose(t["q2"], 1 - t["sse"] / t["sso"], rtol=0, atol=1e-14)
    assert (t["q2"] > 0).all()
    # Same distance, same result; another distance, another result; data may be passed.
    assert fit.q2(omission=7).to_dict() == b.to_dict()
    assert fit.q2(satisfaction, omission=9).constructs["sse"].tolist() != t["sse"].tolist()


def test_plspredict_metrics_follow_the_predictions(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    p = fit.predict(folds=5, seed=3)
    assert (p.folds, p.seed, p.repetitions, p.approach) == (5, 3, 1, "earliest_antecedents")
    assert p.n_observations == 250 and len(p.indicators) == 22
    pred = p.predictions
    assert pred.shape == (250, 22) and list(pred.index) == list(satisfaction.index)
    for ind, rmse, mae in p.indicators[["indicator", "pls_rmse", "pls_mae"]].itertuples(index=False):
        e = pred[ind] - satisfaction.loc[pred.index, ind]
        assert rmse == pytest.approx(np.sqrt((e ** 2).mean()), rel=1e-12)
        assert mae == pytest.approx(e.abs().mean(), rel=1e-12)
    lm = p.lm_predictions
    e = lm["sat1"] - satisfaction["sat1"]
    assert p.indicators.set_index("indicator").loc["sat1", "lm_rmse"] == pytest.approx(
        np.sqrt((e ** 2).mean()), rel=1e-12)
    # Deterministic for a seed, different for another; row order does not matter
    # beyond the fold assignment, which is by position.
    assert fit.predict(folds=5, seed=3).to_dict() == p.to_dict()
    assert fit.predict(folds=5, seed=4).to_dict() != p.to_dict()
    direct = fit.predict(folds=5, seed=3, approach="direct", targets=["SAT"])
    assert direct.approach == "direct_antecedents"
    assert set(direct.indicators["construct"]) == {"SAT"}
    # Indexed like the data given.
    shuffled = satisfaction.sample(frac=1, random_state=0)
    assert set(fit.predict(shuffled, folds=5).predictions.index) == set(satisfaction.index)


def test_operations_need_rows_from_moments(satisfaction, syntax):
    m = csikit.moments(satisfaction, syntax)
    fit = csikit.pls(m, syntax)
    with pytest.raises(ValueError, match="moments"):
        fit.q2()
    # With the data given, the same as the in-memory fit.
    assert fit.q2(satisfaction).to_dict() == csikit.pls(satisfaction, syntax).q2().to_dict()


def test_issue18_assessment_frames(satisfaction, syntax):
    """Indicator VIF of every block, f² by re-estimation, information
    criteria; and with Mode B blocks, composite measures and HTMT of every pair."""
    fit = csikit.pls(satisfaction, syntax, tol=1e-12, max_iter=1000)
    a = fit.assess()
    # VIF of imag1 from a regression on imag2..imag5 (numpy least squares).
    x = satisfaction[BLOCKS["IMAG"]].to_numpy(dtype=float)
    X = np.column_stack([np.ones(len(x)), x[:, 1:]])
    beta, *_ = np.linalg.lstsq(X, x[:, 0], rcond=None)
    resid = x[:, 0] - X @ beta
    r2 = 1 - (resid ** 2).sum() / ((x[:, 0] - x[:, 0].mean()) ** 2).sum()
    v = a.vif_indicators.set_index("indicator")
    assert len(v) == 27
    assert v.loc["imag1", "value"] == pytest.approx(1 / (1 - r2), rel=1e-10)
    # seminr's f² (re-estimation) on every path.
    r = reference("seminr_satisfaction_path_tight")
    for f, t, val in a.f_squared_reestimated[["from", "to", "value"]].itertuples(index=False):
        assert val == pytest.approx(mat(r["fSquare"], f, t), abs=1e-9), (f, t)
    ic = a.information_criteria
    assert list(ic.index) == ["EXPE", "QUAL", "VAL", "SAT", "LOY"]
    n = 250
    assert (ic["bic"] - ic["aic"]).to_numpy() == pytest.approx(
        (ic["k"] * (math.log(n) - 2)).to_numpy(), abs=1e-9)
    assert a.reliability_composite.empty
    assert (a.htmt_all["basis"] == "reflective").all() and len(a.htmt_all) == 15
    # All blocks Mode B: composite measures; alpha equals the Mode A alpha.
    fb = csikit.pls(satisfaction, syntax.replace("=~", "<~"), tol=1e-12, max_iter=1000).assess()
    rc = fb.reliability_composite
    assert list(rc.index) == list(BLOCKS) and rc["composite"].all()
    for c in BLOCKS:
        assert rc.loc[c, "cronbach_alpha"] == pytest.approx(
            a.reliability.loc[c, "cronbach_alpha"], abs=1e-12)
    assert (fb.htmt_all["basis"] == "composite").all()
    assert "Mode B composites" in str(fb) and "Information criteria" in str(a)
