"""Mergeable, picklable moments and the Dask recipe: per-partition moments
merged give the in-memory estimates to 1e-12."""

import pickle

import numpy as np
import pandas as pd
import pytest

import csikit

TOL = 1e-12


def assert_same_fit(a, b, tol=TOL):
    da, db = a.to_dict(), b.to_dict()
    for key in ["n_observations", "n_dropped", "n_imputed", "scheme", "converged"]:
        assert da[key] == db[key], key
    for table in ["paths", "outer", "effects", "htmt", "vif_inner", "f_squared", "constructs"]:
        fa, fb = getattr(a, table), getattr(b, table)
        assert list(fa.columns) == list(fb.columns)
        num = [c for c in fa.columns if fa[c].dtype == np.float64]
        assert num, table
        np.testing.assert_allclose(fa[num].to_numpy(), fb[num].to_numpy(), rtol=0, atol=tol,
                                   err_msg=table)
    assert abs(da["gof"] - db["gof"]) <= tol


def test_merge_equals_whole_and_pickles(satisfaction, syntax):
    whole = csikit.moments(satisfaction, syntax)
    parts = [csikit.moments(satisfaction.iloc[i:i + 37], syntax) for i in range(0, 250, 37)]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged + p
    assert merged.n == whole.n == 250
    np.testing.assert_allclose(merged.means, whole.means, atol=1e-13)
    np.testing.assert_allclose(merged.correlation(), whole.correlation(), atol=1e-13)
    again = pickle.loads(pickle.dumps(merged))
    assert again == merged and again is not merged
    assert again.state() == merged.state()
    assert_same_fit(csikit.pls(merged, syntax), csikit.pls(satisfaction, syntax))
    # An empty moments object is neutral.
    e = csikit.Moments.empty(merged.names)
    assert (e + merged).n == 250
    # The fit's own moments are the data's.
    assert csikit.pls(satisfaction, syntax).moments == whole


def test_moments_errors(satisfaction, syntax):
    a = csikit.moments(satisfaction, names=["imag1", "imag2"])
    b = csikit.moments(satisfaction, names=["imag2", "imag1"])
    with pytest.raises(csikit.DataError) as info:
        a.merge(b)
    assert info.value.kind == "MomentsMismatch"
    c = csikit.moments(satisfaction, names=["imag1", "imag2"], missing="mean")
    with pytest.raises(csikit.DataError, match="missing"):
        a + c
    with pytest.raises(csikit.DataError, match="imag3"):
        csikit.pls(a, syntax)
    state = a.state()
    state["mean"] = [1.0]
    with pytest.raises(csikit.DataError, match="moments state"):
        csikit.Moments(state)
    with pytest.raises(ValueError, match="model= or names="):
        csikit.moments(satisfaction)


@pytest.fixture(scope="module")
def survey():
    df = csikit.simulate_survey(20_000, seed=11, missing_rate=0.01)
    df["w"] = 0.5 + (np.arange(len(df)) % 7) / 4.0
    return df


@pytest.mark.parametrize("npartitions", [1, 7, 32])
def test_dask_recipe_equals_in_memory(survey, npartitions):
    dd = pytest.importorskip("dask.dataframe")
    import csikit.dask as cdask

    model = csikit.ecsi_model()
    ddf = dd.from_pandas(survey, npartitions=npartitions)
    fit = cdask.pls(ddf, model, split_every=4)
    ref = csikit.pls(survey, model)
    assert ref.n_dropped > 0  # listwise deletion happened, and is reported
    assert_same_fit(fit, ref)
    weighted = cdask.pls(ddf, model, weights="w", scheme="centroid")
    assert_same_fit(weighted, csikit.pls(survey, model, weights="w", scheme="centroid"))


def test_dask_processes_and_empty_partitions(survey):
    dd = pytest.importorskip("dask.dataframe")
    import csikit.dask as cdask

    model = csikit.ecsi_model()
    small = survey.iloc[:3000].copy()
    # A partition whose rows are all dropped (listwise) still counts them.
    small.loc[small.index[:500], "CUSA1"] = np.nan
    ddf = dd.from_pandas(small, npartitions=6, sort=False)
    fit = cdask.pls(ddf, model, compute_kwargs={"scheduler": "processes", "num_workers": 2})
    ref = csikit.pls(small, model)
    assert_same_fit(fit, ref)
    assert fit.n_dropped == ref.n_dropped >= 500
    with pytest.raises(csikit.DataError, match="did you mean"):
        cdask.pls(ddf, "Q =~ PERQ1 + PERQX\nS =~ CUSA1 + CUSA2\nS ~ Q")


def test_na_codes_travel_with_moments_and_fits(satisfaction, syntax):
    """Issue 19: a fit made from moments computed with na= must not score the
    missing code as an answer in another partition (it used to: 2 000 rows
    instead of 1 900, scores far below the scale)."""
    df = satisfaction.copy()
    df.loc[df.index[:10], "sat1"] = -99
    clean = df[df["sat1"] != -99]
    m = csikit.moments(df.iloc[:120], syntax, na=-99) + csikit.moments(df.iloc[120:], syntax, na=-99)
    assert m.na == ["-99"] and m.n == 240 and m.n_dropped == 10
    fit = csikit.pls(m, syntax)
    # The fit from moments equals the in-memory fit with the code as missing,
    # and (but for the dropped-row count) the fit of the rows without it.
    assert_same_fit(fit, csikit.pls(df, syntax, na=-99), tol=1e-10)
    assert fit.paths.equals(fit.paths) and np.allclose(
        fit.paths["estimate"], csikit.pls(clean, syntax).paths["estimate"], atol=1e-10)
    # Scoring a partition without repeating na=: the code is still missing.
    scores = fit.scores(df.iloc[:100])
    assert len(scores) == 90
    np.testing.assert_allclose(scores.to_numpy(), fit.scores(df.iloc[:100], na=-99).to_numpy())
    # The same for a fit from rows.
    direct = csikit.pls(df, syntax, na=-99)
    assert len(direct.scores(df)) == 240
    assert direct.moments.na == ["-99"]
    # Different codes in two partitions cannot be merged; no-row moments adopt the codes.
    other = csikit.moments(df.iloc[120:], syntax, na=[98, 99])
    with pytest.raises(csikit.DataError, match="same na="):
        csikit.moments(df.iloc[:120], syntax, na=-99) + other
    assert (csikit.Moments.empty(m.names) + m).na == ["-99"]
    # The codes survive pickling (spelled -99.0 or " -99" they are the same code).
    again = pickle.loads(pickle.dumps(m))
    assert again == m and again.na == ["-99"]
    assert csikit.moments(df, syntax, na=["-99.0", " -99"]).na == ["-99"]


def test_partition_without_a_complete_row_gives_counted_empty_moments(satisfaction, syntax):
    part = satisfaction.iloc[:30].copy()
    part["sat1"] = np.nan  # a column never observed in this partition
    m = csikit.moments(part, syntax)
    assert (m.n, m.n_rows, m.n_dropped) == (0, 30, 30)
    total = m + csikit.moments(satisfaction.iloc[30:], syntax)
    fit = csikit.pls(total, syntax)
    assert fit.n_dropped == 30
    assert_same_fit(fit, csikit.pls(pd.concat([part, satisfaction.iloc[30:]]), syntax))
    none = csikit.moments(satisfaction.iloc[:0], syntax)
    assert (none.n, none.n_rows) == (0, 0)
