"""Replicate moments (the Poisson bootstrap that runs inside partitions) and
picklable fits: partitions and row order give the same replicates to 1e-12,
keys of any dtype give the same weights, fits pickle to equal results."""

import pickle

import numpy as np
import pandas as pd
import pytest

import csikit

TOL = 1e-12


@pytest.fixture(scope="module")
def survey():
    df = csikit.simulate_survey(600, seed=8)
    df.insert(0, "id", np.arange(600, dtype=np.int64) * 7919 + 11)
    return df


def close_frames(a, b, tol=TOL):
    assert list(a.index) == list(b.index)
    scale = np.maximum(1.0, np.abs(b.to_numpy()))
    assert np.all(np.abs(a.to_numpy() - b.to_numpy()) <= tol * scale)


def test_partitions_and_row_order_give_the_same_intervals(survey):
    model = csikit.ecsi_model()
    whole = csikit.replicate_moments(survey, model, key="id", replicates=60, seed=3)
    ref = csikit.replicate_intervals(whole, model, scale=(1, 10), tol=1e-10)
    assert ref.failed == 0 and ref.replicates == 60 and ref.n_observations == 600
    rng = np.random.default_rng(4)
    shuffled = survey.iloc[rng.permutation(len(survey))]
    for k in (2, 5, 13):
        cuts = np.sort(rng.choice(np.arange(1, 600), size=k - 1, replace=False))
        bounds = [0, *cuts.tolist(), len(shuffled)]
        parts = [shuffled.iloc[a:b] for a, b in zip(bounds, bounds[1:])]
        merged = sum(csikit.replicate_moments(p, model, key="id", replicates=60, seed=3)
                     for p in parts)
        assert merged.n == 600 and merged.replicates == 60
        ci = csikit.replicate_intervals(merged, model, scale=(1, 10), tol=1e-10)
        close_frames(ci.estimates, ref.estimates, 1e-11)
    # The point estimates are the fit of the rows.
    fit = csikit.pls(survey, model, tol=1e-10)
    paths = fit.paths.set_index(["from", "to"])["estimate"]
    for (f, t), v in paths.items():
        assert abs(ref.estimates.loc[f"path:{f}->{t}", "estimate"] - v) < 1e-9
    row = ref.estimates.loc["index:Satisfaction"]
    assert row["ci_lower"] < row["estimate"] < row["ci_upper"] and row["std_error"] > 0
    assert "importance:Quality" in ref.estimates.index


def test_keys_of_any_dtype_give_the_same_weights(survey):
    model = csikit.ecsi_model()
    a = csikit.replicate_moments(survey, model, key="id", replicates=10, seed=5)
    as_float = survey.assign(id=survey["id"].astype(float))
    assert csikit.replicate_moments(as_float, model, key="id", replicates=10, seed=5) == a
    as_array = csikit.replicate_moments(survey, model, key=survey["id"].to_numpy(),
                                        replicates=10, seed=5)
    assert as_array == a
    texts = survey.assign(id=[f"R{i}" for i in range(len(survey))])
    t1 = csikit.replicate_moments(texts.iloc[:250], model, key="id", replicates=10, seed=5)
    t2 = csikit.replicate_moments(texts.iloc[250:], model, key="id", replicates=10, seed=5)
    whole = csikit.replicate_moments(texts, model, key="id", replicates=10, seed=5)
    np.testing.assert_allclose((t1 + t2).moments.means, whole.moments.means, atol=1e-13)
    # Another seed, other replicates; the same rows, the same full moments.
    b = csikit.replicate_moments(survey, model, key="id", replicates=10, seed=6)
    assert b != a and b.moments == a.moments


def test_replicate_moments_pickle_and_errors(survey):
    model = csikit.ecsi_model()
    rm = csikit.replicate_moments(survey, model, key="id", replicates=5, seed=1)
    again = pickle.loads(pickle.dumps(rm))
    assert again == rm and again.state() == rm.state()
    assert "replicates=5" in repr(rm)
    with pytest.raises(ValueError, match="key= is required"):
        csikit.replicate_moments(survey, model, replicates=5)
    dup = survey.assign(id=0)
    with pytest.raises(csikit.CsikitError, match="key"):
        csikit.replicate_moments(dup, model, key="id", replicates=5)
    other = csikit.replicate_moments(survey, model, key="id", replicates=5, seed=2)
    with pytest.raises(csikit.DataError, match="seed"):
        rm + other
    with pytest.raises(csikit.CsikitError, match="listwise"):
        csikit.replicate_moments(survey, model, key="id", replicates=5, missing="mean")
    # A partition without a complete row merges as nothing, its rows counted.
    empty = survey.iloc[:3].copy()
    empty[list(model.indicators)] = np.nan
    e = csikit.replicate_moments(empty, model, key="id", replicates=5, seed=1)
    assert (e.n, e.n_rows, e.n_dropped) == (0, 3, 3)
    merged = e + rm
    assert merged.n == 600 and merged.n_rows == 603 and merged.n_dropped == 3
    # csikit.pls takes replicate moments: the fit of the rows.
    fit = csikit.pls(merged, model)
    assert fit.n_observations == 600 and fit.n_dropped == 3


def test_fits_pickle_to_equal_results(survey):
    model = csikit.ecsi_model()
    messy = survey.copy()
    messy.loc[messy.index[:20], "CUSA1"] = -99
    fit = csikit.pls(messy, model, na=-99)
    again = pickle.loads(pickle.dumps(fit))
    pd.testing.assert_frame_equal(again.paths, fit.paths)
    pd.testing.assert_frame_equal(again.outer, fit.outer)
    assert again.n_dropped == fit.n_dropped == 20
    pd.testing.assert_frame_equal(again.scores(), fit.scores())
    # Every setting travels with the pickle: unit weights stay unit weights.
    unit = csikit.pls(messy, model, na=-99, weighting="unit")
    assert not unit.paths.equals(fit.paths)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(unit)).paths, unit.paths)
    # A fit from moments keeps na=: scoring a partition reads -99 as missing.
    m = csikit.moments(messy.iloc[:300], model, na=-99) + csikit.moments(messy.iloc[300:], model, na=-99)
    from_moments = pickle.loads(pickle.dumps(csikit.pls(m, model)))
    pd.testing.assert_frame_equal(from_moments.paths, fit.paths, check_exact=False, atol=1e-12)
    scores = from_moments.scores(messy.iloc[:100])
    assert len(scores) == 80
    pd.testing.assert_frame_equal(scores, fit.scores().loc[scores.index], check_exact=False,
                                  atol=1e-10)
