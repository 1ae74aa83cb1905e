"""Estimation options of issue 18 through Python: unit weights, declared
composites under PLSc, specific indirect effects (with bootstrap intervals),
plspm's stopping rule."""

import math

import pandas as pd
import pytest

import csikit
from conftest import satisfaction_syntax


def test_unit_weights_are_sum_scores(satisfaction):
    fit = csikit.pls(satisfaction, satisfaction_syntax("A"), weighting="unit")
    assert fit.iterations == 0
    items = [f"imag{i}" for i in range(1, 6)]
    z = (satisfaction[items] - satisfaction[items].mean()) / satisfaction[items].std()
    s = z.sum(axis=1)
    expected = ((s - s.mean()) / s.std()).to_numpy()
    got = fit.scores()["IMAG"].to_numpy()
    assert max(abs(a - b) for a, b in zip(got, expected)) < 1e-12
    w = fit.outer.set_index("indicator").loc[items, "weight"]
    assert abs(w.max() - w.min()) < 1e-14
    with pytest.raises(csikit.CsikitError, match="unit weights"):
        csikit.pls(satisfaction, satisfaction_syntax("A"), weighting="unit", consistent=True)
    with pytest.raises(csikit.CsikitError, match="weighting"):
        csikit.pls(satisfaction, satisfaction_syntax("A"), weighting="equal")


def test_declared_composites_stay_uncorrected(satisfaction):
    fit = csikit.pls(satisfaction, satisfaction_syntax("A"), consistent=True, composites=["IMAG"])
    c = fit.consistent
    assert "IMAG" not in c["corrected"] and len(c["corrected"]) == 5
    rel = {r["construct"]: r["value"] for r in c["reliabilities"]}
    assert rel["IMAG"] == 1.0
    plain = csikit.pls(satisfaction, satisfaction_syntax("A"))
    r = plain.construct_correlations.loc["IMAG", "EXPE"]
    path = fit.paths.set_index(["from", "to"]).loc[("IMAG", "EXPE"), "estimate"]
    assert abs(path - r / math.sqrt(rel["EXPE"])) < 1e-12
    with pytest.raises(csikit.CsikitError, match="composites"):
        csikit.pls(satisfaction, satisfaction_syntax("A"), consistent=True, composites=["IMGA"])


def test_specific_indirect_effects_add_up(satisfaction):
    fit = csikit.pls(satisfaction, satisfaction_syntax("A"))
    spec = fit.specific_indirect
    assert list(spec.columns) == ["from", "to", "via", "chain", "estimate"]
    assert len(spec) == 24
    sums = spec.groupby(["from", "to"])["estimate"].sum()
    eff = fit.effects.set_index(["from", "to"])
    for key, total in sums.items():
        assert abs(total - eff.loc[key, "indirect"]) < 1e-12, key
    b = fit.bootstrap(100, seed=3, specific_indirect=True, threads=1)
    bs = b.specific_indirect_effects
    assert len(bs) == 24 and list(bs["chain"]) == list(spec["chain"])
    assert (bs["ci_lower"] <= bs["ci_upper"]).all()
    assert fit.bootstrap(100, seed=3, threads=1).specific_indirect_effects.empty
    d = fit.to_dict(specific_indirect=True, bootstrap=50)
    assert len(d["specific_indirect"]) == 24
    assert len(d["bootstrap"]["specific_indirect_effects"]) == 24
    assert "specific_indirect" not in fit.to_dict()


def test_plspm_stop_rule_counts(satisfaction):
    # plspm 0.5.1's default-tolerance reference stops after 4 updates (Mode A) and 7 (Mode B).
    for mode, n in [("A", 4), ("B", 7)]:
        fit = csikit.pls(satisfaction, satisfaction_syntax(mode), scheme="centroid", tol=1e-6,
                         max_iter=100, stop_rule="plspm")
        assert fit.iterations == n
    assert isinstance(fit.effects, pd.DataFrame)
