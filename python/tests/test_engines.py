"""Issue 19: the moments of a Polars or DuckDB query equal csikit's own
(1e-12), with missing codes, NaN, nulls, case weights and Parquet
directories; Polars, pyarrow and DuckDB tables are accepted as data; a kept
non-converged fit warns; labelled params and the notebook view."""

import warnings

import numpy as np
import pandas as pd
import pytest

import csikit

from test_moments_dask import assert_same_fit

TOL = 1e-12


@pytest.fixture(scope="module")
def survey():
    df = csikit.simulate_survey(3000, seed=5, missing_rate=0.02)
    df.loc[df.index[::97], "CUSA1"] = 99  # a "don't know" code
    df["w"] = 0.5 + (np.arange(len(df)) % 5) / 2.0
    df.loc[df.index[7], "w"] = 0.0  # a zero weight drops the row
    return df


def same_moments(a, b):
    assert (a.n, a.n_rows, a.n_dropped, a.na) == (b.n, b.n_rows, b.n_dropped, b.na)
    assert a.names == b.names
    np.testing.assert_allclose(a.means, b.means, rtol=0, atol=TOL)
    np.testing.assert_allclose(a.correlation(), b.correlation(), rtol=0, atol=TOL)
    np.testing.assert_allclose(a.covariance(), b.covariance(), rtol=1e-11, atol=0)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_engine_moments_equal_csikit_moments(survey, engine, tmp_path):
    pl = pytest.importorskip("polars")
    mod = pytest.importorskip(f"csikit.{engine}")
    model = csikit.ecsi_model()
    ref = csikit.moments(survey, model, na=99)
    assert ref.n_dropped > 60  # NaN cells and the 99 code both dropped rows
    frame = pl.from_dict({c: survey[c].to_numpy() for c in survey.columns})
    if engine == "polars":
        got = mod.moments(frame, model, na=99)
        lazy = mod.moments(frame.lazy(), model, na=[99])
        same_moments(lazy, ref)
    else:
        import duckdb

        con = duckdb.connect()
        con.register("survey_view", survey)
        got = mod.moments("survey_view", model, na=99, con=con)
        rel = con.sql("SELECT * FROM survey_view")
        same_moments(mod.moments(rel, model, na=99), ref)
    same_moments(got, ref)
    assert_same_fit(csikit.pls(got, model), csikit.pls(survey, model, na=99), tol=1e-10)
    # Case weights (a zero weight removes the row, as in csikit).
    wref = csikit.moments(survey, model, na=99, weights="w")
    wgot = mod.moments(frame if engine == "polars" else "survey_view", model, na=99, weights="w",
                       **({} if engine == "polars" else {"con": con}))
    same_moments(wgot, wref)
    # A Parquet directory of partitions, one of them without a complete row.
    parts = tmp_path / "parts"
    parts.mkdir()
    for k, chunk in enumerate(np.array_split(np.arange(len(survey)), 5)):
        sub = survey.iloc[chunk].copy()
        if k == 2:
            sub["PERQ1"] = np.nan
        pl.from_dict({c: sub[c].to_numpy() for c in survey.columns}).write_parquet(
            parts / f"part-{k}.parquet")
    holed = survey.copy()
    holed.loc[holed.index[np.array_split(np.arange(len(survey)), 5)[2]], "PERQ1"] = np.nan
    same_moments(mod.moments(str(parts), model, na=99), csikit.moments(holed, model, na=99))


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_engine_errors_name_the_column(survey, engine):
    pl = pytest.importorskip("polars")
    mod = pytest.importorskip(f"csikit.{engine}")
    frame = pl.from_dict({c: survey[c].to_numpy() for c in survey.columns})
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.register("t", survey)
        call = lambda **kw: mod.moments("t", con=con, **kw)  # noqa: E731
    else:
        call = lambda **kw: mod.moments(frame, **kw)  # noqa: E731
    with pytest.raises(csikit.DataError, match="PERQ1"):
        call(names=["PERQ1", "PERQX"])
    bad = survey.copy()
    bad["w"] = -1.0
    if engine == "duckdb":
        con.register("t", bad)
    else:
        frame = pl.from_dict({c: bad[c].to_numpy() for c in bad.columns})
    with pytest.raises(csikit.DataError, match="weight"):
        call(names=["PERQ1", "PERQ2"], weights="w")


def test_polars_and_arrow_tables_are_data(survey):
    pl = pytest.importorskip("polars")
    model = csikit.ecsi_model()
    ref = csikit.pls(survey, model, na=99)
    frame = pl.from_dict({c: survey[c].to_numpy() for c in survey.columns})
    assert_same_fit(csikit.pls(frame, model, na=99), ref)
    assert_same_fit(csikit.pls(frame.lazy(), model, na=99), ref)
    pa = pytest.importorskip("pyarrow")
    assert_same_fit(csikit.pls(pa.Table.from_pandas(survey), model, na=99), ref)


def test_nonconvergence_warns_and_params_are_labelled(survey):
    model = csikit.ecsi_model()
    with pytest.warns(csikit.ConvergenceWarning, match="did not converge"):
        fit = csikit.pls(survey, model, na=99, max_iter=1, allow_nonconvergence=True)
    assert not fit.converged
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = csikit.pls(survey, model, na=99)
    p = fit.params
    assert p["Quality -> Satisfaction"] == pytest.approx(
        fit.paths.query("`from` == 'Quality' and to == 'Satisfaction'")["estimate"].item())
    assert len(p) == len(fit.paths)
    html = fit._repr_html_()
    assert "converged" in html and "<table" in html and "Satisfaction" in html


def test_seed_takes_int_generator_or_none(survey):
    import numpy as np

    fit = csikit.pls(survey, csikit.ecsi_model(), na=99)
    a = fit.bootstrap(30, seed=np.random.default_rng(5))
    b = fit.bootstrap(30, seed=np.random.default_rng(5))
    # A seeded Generator repeats; the result names the integer seed it drew,
    # and that integer repeats the run.
    assert a.seed == b.seed
    pd.testing.assert_frame_equal(a.paths, b.paths)
    c = fit.bootstrap(30, seed=a.seed)
    pd.testing.assert_frame_equal(a.paths, c.paths)
    fresh = fit.bootstrap(30, seed=None)
    again = fit.bootstrap(30, seed=fresh.seed)
    pd.testing.assert_frame_equal(fresh.paths, again.paths)
    assert fit.bootstrap(30, seed=np.int64(3)).seed == 3
    with pytest.raises(TypeError, match="seed= takes an int"):
        fit.bootstrap(30, seed=1.5)
    with pytest.raises(ValueError, match="seed= must be"):
        fit.bootstrap(30, seed=-1)


def test_engine_sums_make_one_group_per_label():
    """The engines' result rows become one Moments per group, keyed the way
    `by=` keys are everywhere (a NaN or numpy group value is the same key as
    in the row counts), and a group with rows but no complete row is kept
    with its rows counted as dropped — the assembly all engines share."""
    from csikit._sums import moments_by_group

    names = ["a", "b"]
    # count, weight sum, Σy_a, Σy_b, Σy_a², Σy_a·y_b, Σy_b² around shift (1, 2)
    rows = [(float("nan"), 2, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0),
            (np.int64(7), 3, 3.0, 0.0, 3.0, 2.0, 0.0, 5.0)]
    n_rows = {(None,): 4, (7,): 3, ("x",): 5}
    out = moments_by_group(names, rows, 1, n_rows, [1.0, 2.0], [99])
    assert set(out) == {(None,), (7,), ("x",)}
    m = out[(None,)].state()
    assert (m["n"], m["n_rows"], m["n_dropped"]) == (2, 4, 2)
    assert m["mean"] == [1.5, 2.5]
    assert m["comoment"] == [0.5, 0.5, 0.5, 0.5]
    m7 = out[(7,)].state()
    assert (m7["n"], m7["n_dropped"]) == (3, 0)
    assert m7["mean"] == [1.0, 3.0]
    assert m7["comoment"] == [2.0, 0.0, 0.0, 2.0]
    empty = out[("x",)].state()
    assert (empty["n"], empty["n_rows"], empty["n_dropped"]) == (0, 5, 5)
    assert empty["na"] == ["99"]  # the na codes travel with the moments
