"""Scale-out recipes on small data: segment × period moments and indices,
and Poisson-bootstrap replicate intervals, from Dask, Spark (local[2]),
DuckDB and Polars, equal to the in-memory ones on the same rows."""

import os
import shutil

import numpy as np
import pandas as pd
import pytest

import csikit

BY = ["region", "period"]
TOL = 1e-10


@pytest.fixture(scope="module")
def rows():
    df = csikit.simulate_survey(900, seed=12)
    df.insert(0, "id", np.arange(len(df), dtype=np.int64) + 1000)
    rng = np.random.default_rng(5)
    df["period"] = rng.choice(["2025-01", "2025-02", "2025-03"], size=len(df))
    # Answers of "don't know" (99) and blanks, dropped listwise everywhere.
    df.loc[df.index[::37], "CUSA2"] = 99
    df.loc[df.index[5::41], "PERQ1"] = np.nan
    return df


def model():
    return csikit.ecsi_model()


def in_memory_indices(df):
    """The reference: each segment × period fitted from its own rows."""
    out = []
    for (region, period), sub in df.groupby(BY, sort=True):
        fit = csikit.pls(sub, model(), na=99)
        c = fit.index(scale=(1, 10)).constructs
        for _, r in c.iterrows():
            out.append((region, period, r["construct"], r["index"], fit.n_observations))
    return pd.DataFrame(out, columns=[*BY, "construct", "index", "n"])


def same_indices(got, ref):
    got = got.sort_values([*BY, "construct"]).reset_index(drop=True)
    ref = ref.sort_values([*BY, "construct"]).reset_index(drop=True)
    assert got[[*BY, "construct", "n"]].values.tolist() == ref[[*BY, "construct", "n"]].values.tolist()
    np.testing.assert_allclose(got["index"], ref["index"], rtol=0, atol=TOL)


def same_intervals(got, ref, tol=TOL):
    assert list(got.index) == list(ref.index)
    for c in ["estimate", "std_error", "ci_lower", "ci_upper"]:
        np.testing.assert_allclose(got[c], ref[c], rtol=tol, atol=tol, err_msg=c)


def test_group_moments_give_the_indices_of_each_group(rows):
    groups = csikit.group_moments(rows, model(), by=BY, na=99)
    assert sum(m.n_rows for m in groups.values()) == len(rows)
    got = csikit.group_indices(groups, model(), BY, scale=(1, 10))
    assert got.attrs["skipped"] == []
    same_indices(got, in_memory_indices(rows))


def test_dask_groups_and_replicates_equal_in_memory(rows):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(rows, npartitions=7)
    import csikit.dask

    groups = csikit.dask.group_moments(ddf, model(), by=BY, na=99, scheduler="sync")
    same_indices(csikit.group_indices(groups, model(), BY, scale=(1, 10)), in_memory_indices(rows))
    rm = csikit.dask.replicate_moments(ddf, model(), key="id", replicates=40, seed=3, na=99,
                                       scheduler="sync")[()]
    ref = csikit.replicate_moments(rows, model(), key="id", replicates=40, seed=3, na=99)
    same_intervals(csikit.replicate_intervals(rm, model(), scale=(1, 10), tol=1e-10).estimates,
                   csikit.replicate_intervals(ref, model(), scale=(1, 10), tol=1e-10).estimates)
    # Per region: replicate intervals of each segment.
    by_region = csikit.dask.replicate_moments(ddf, model(), key="id", replicates=30, seed=3,
                                              na=99, by="region", scheduler="sync")
    table = csikit.group_intervals(by_region, model(), "region", scale=(1, 10))
    sub = rows[rows["region"] == sorted(by_region)[0][0]]
    one = csikit.replicate_intervals(
        csikit.replicate_moments(sub, model(), key="id", replicates=30, seed=3, na=99),
        model(), scale=(1, 10)).estimates
    mine = table[table["region"] == sorted(by_region)[0][0]].set_index("statistic")
    same_intervals(mine[one.columns], one, 1e-9)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_engines_give_groups_and_replicates(rows, engine, tmp_path):
    pytest.importorskip(engine)
    pytest.importorskip("pyarrow")
    mod = __import__(f"csikit.{engine}", fromlist=["x"])
    folder = tmp_path / "survey"
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(rows)), 6)):
        rows.iloc[part].to_parquet(folder / f"part-{i}.parquet")
    groups = mod.moments(str(folder), model(), na=99, by=BY)
    same_indices(csikit.group_indices(groups, model(), BY, scale=(1, 10)), in_memory_indices(rows))
    rm = mod.replicate_moments(str(folder), model(), key="id", replicates=40, seed=3, na=99,
                               batch_rows=250)[()]
    ref = csikit.replicate_moments(rows, model(), key="id", replicates=40, seed=3, na=99)
    same_intervals(csikit.replicate_intervals(rm, model(), scale=(1, 10), tol=1e-10).estimates,
                   csikit.replicate_intervals(ref, model(), scale=(1, 10), tol=1e-10).estimates)




def test_polars_replicates_same_from_path_frame_and_lazy_plan(rows, tmp_path):
    """The three ways Polars replicates are read (slices of a Parquet scan,
    slices of a DataFrame, the batch sink of a caller's LazyFrame) give the
    same replicate moments."""
    pl = pytest.importorskip("polars")
    import csikit.polars as cp

    folder = tmp_path / "survey"
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(rows)), 3)):
        rows.iloc[part].to_parquet(folder / f"part-{i}.parquet")
    args = dict(key="id", replicates=12, seed=4, na=99, batch_rows=170)
    from_path = cp.replicate_moments(str(folder), model(), **args)[()]
    frame = pl.read_parquet(str(folder / "*.parquet"))
    from_frame = cp.replicate_moments(frame, model(), **args)[()]
    lazy = pl.scan_parquet(str(folder / "*.parquet")).filter(pl.col("id") >= 0)
    from_lazy = cp.replicate_moments(lazy, model(), **args)[()]
    ref = csikit.replicate_moments(rows, model(), key="id", replicates=12, seed=4, na=99)
    want = csikit.replicate_intervals(ref, model(), scale=(1, 10), tol=1e-10).estimates
    for got in (from_path, from_frame, from_lazy):
        same_intervals(csikit.replicate_intervals(got, model(), scale=(1, 10), tol=1e-10).estimates,
                       want)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_engine_replicates_raise_the_batch_error(rows, engine, tmp_path):
    """An error inside a streamed batch (here a missing row key in the last
    file) reaches the caller as the library's exception, not lost in the
    engine's thread, and no partial result comes back."""
    pytest.importorskip(engine)
    pytest.importorskip("pyarrow")
    mod = __import__(f"csikit.{engine}", fromlist=["x"])
    bad = rows.copy()
    bad["id"] = bad["id"].astype(float)
    bad.loc[bad.index[-3], "id"] = np.nan
    folder = tmp_path / "survey"
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(bad)), 4)):
        bad.iloc[part].to_parquet(folder / f"part-{i}.parquet")
    with pytest.raises(ValueError, match="key must hold whole numbers"):
        mod.replicate_moments(str(folder), model(), key="id", replicates=5, seed=3, na=99,
                              batch_rows=100)


def _spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    import sys

    from pyspark.sql import SparkSession

    # The executors' Python must be this one (csikit installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    return (SparkSession.builder.master("local[2]").appName("csikit-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "200")
            .getOrCreate())


def test_spark_sql_mapinpandas_and_replicates(rows):
    spark = _spark()
    import csikit.spark

    sdf = spark.createDataFrame(rows.astype({"id": "int64"})).repartition(5)
    # One SQL aggregation (csikit on the driver only): the in-memory fit.
    whole = csikit.spark.moments(sdf, model(), na=99)
    ref_fit = csikit.pls(rows, model(), na=99)
    got_fit = csikit.pls(whole, model())
    np.testing.assert_allclose(got_fit.paths["estimate"], ref_fit.paths["estimate"], atol=TOL)
    assert (got_fit.n_observations, got_fit.n_dropped) == (ref_fit.n_observations, ref_fit.n_dropped)
    same_indices(csikit.group_indices(csikit.spark.moments(sdf, model(), na=99, by=BY),
                                      model(), BY, scale=(1, 10)), in_memory_indices(rows))
    # mapInPandas: csikit.moments in each partition.
    mapped = csikit.spark.moments_mapped(sdf, model(), na=99, by=BY)
    same_indices(csikit.group_indices(mapped, model(), BY, scale=(1, 10)), in_memory_indices(rows))
    # Replicates inside the partitions = in memory.
    rm = csikit.spark.replicate_moments(sdf, model(), key="id", replicates=40, seed=3, na=99)[()]
    ref = csikit.replicate_moments(rows, model(), key="id", replicates=40, seed=3, na=99)
    same_intervals(csikit.replicate_intervals(rm, model(), scale=(1, 10), tol=1e-10).estimates,
                   csikit.replicate_intervals(ref, model(), scale=(1, 10), tol=1e-10).estimates)


def test_missing_group_values_form_one_group_across_partitions(rows):
    dd = pytest.importorskip("dask.dataframe")
    import csikit.dask

    df = rows.copy()
    df["region"] = df["region"].astype(object)
    df.loc[df.index[::9], "region"] = None
    ddf = dd.from_pandas(df, npartitions=6)
    got = csikit.dask.group_moments(ddf, model(), by="region", na=99, scheduler="sync")
    ref = csikit.group_moments(df, model(), by="region", na=99)
    assert set(got) == set(ref) and (None,) in got
    assert sum(m.n_rows for m in got.values()) == len(df)
    for g in ref:
        assert got[g].n == ref[g].n and got[g].n_rows == ref[g].n_rows
        np.testing.assert_allclose(got[g].means, ref[g].means, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got[g].correlation(), ref[g].correlation(), rtol=0, atol=1e-12)
