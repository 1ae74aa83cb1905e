"""Scale-out benchmark (not a test): the ECSI model on generated survey rows
written as Parquet partitions, fitted in one process (pandas, every row in
memory) and by the recipes (Polars, DuckDB, Dask, Spark): the fit, the
segment × period indices and the Poisson-bootstrap intervals must equal the
in-memory ones to 1e-10; each run's wall time and its client process's peak
memory (max RSS of that Python process; Spark's JVM is not included) are
printed as a table and as JSON.

    python python/bench/scale_out.py --rows 20000000 --partitions 50    # the issue's size
    python python/bench/scale_out.py --rows 1000000 --partitions 50     # a busy machine

Each engine runs in its own subprocess, so each peak is that engine's own.
Needs pycsikit with the extras polars, duckdb, dask and pyspark (+ Java).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

MODEL = None
BY = ["region", "period"]
SCALE = (1, 10)


def model():
    import csikit

    return csikit.ecsi_model()


def generate(folder: str, rows: int, partitions: int) -> None:
    """`partitions` Parquet files of simulated survey rows, with a unique
    integer `id`, a `region` and a `period`; 1 % of one answer is 99 (missing)."""
    import csikit

    os.makedirs(folder, exist_ok=True)
    per = -(-rows // partitions)
    periods = np.array([f"2025-{m:02d}" for m in range(1, 7)])
    start = 0
    for i in range(partitions):
        n = min(per, rows - start)
        if n <= 0:
            break
        df = csikit.simulate_survey(n, seed=i + 1)
        df.insert(0, "id", np.arange(start, start + n, dtype=np.int64))
        rng = np.random.default_rng(i)
        df["period"] = periods[rng.integers(0, len(periods), n)]
        df.loc[rng.random(n) < 0.01, "CUSA2"] = 99
        df.to_parquet(os.path.join(folder, f"part-{i:04d}.parquet"), index=False)
        start += n


def summarize(whole, groups, rm) -> dict:
    """What every engine must reproduce: paths, indices per group, intervals."""
    import csikit

    fit = csikit.pls(whole, model())
    idx = csikit.group_indices(groups, model(), BY, scale=SCALE)
    ci = csikit.replicate_intervals(rm, model(), scale=SCALE).estimates
    return {
        "n": int(fit.n_observations),
        "paths": fit.paths["estimate"].tolist(),
        "indices": idx.sort_values([*BY, "construct"])["index"].tolist(),
        "ci": ci[["estimate", "std_error", "ci_lower", "ci_upper"]].to_numpy().ravel().tolist(),
    }


def run(engine: str, folder: str, replicates: int) -> dict:
    import csikit

    m = model()
    t0 = time.perf_counter()
    if engine == "in-memory":
        import pandas as pd

        df = pd.read_parquet(folder)
        whole = csikit.moments(df, m, na=99)
        groups = csikit.group_moments(df, m, by=BY, na=99)
        rm = csikit.replicate_moments(df, m, key="id", replicates=replicates, seed=1, na=99)
        fit = csikit.pls(df, m, na=99)  # the fit of the rows themselves
        assert abs(fit.paths["estimate"] - csikit.pls(whole, m).paths["estimate"]).max() < 1e-10
    elif engine == "polars":
        import csikit.polars as eng

        whole = eng.moments(folder, m, na=99)
        groups = eng.moments(folder, m, na=99, by=BY)
        rm = eng.replicate_moments(folder, m, key="id", replicates=replicates, seed=1,
                                   na=99)[()]
    elif engine == "duckdb":
        import csikit.duckdb as eng

        whole = eng.moments(folder, m, na=99)
        groups = eng.moments(folder, m, na=99, by=BY)
        rm = eng.replicate_moments(folder, m, key="id", replicates=replicates, seed=1,
                                   na=99)[()]
    elif engine == "dask":
        import dask.dataframe as dd

        import csikit.dask as eng

        ddf = dd.read_parquet(folder)
        whole = eng.moments(ddf, m, na=99)
        groups = eng.group_moments(ddf, m, by=BY, na=99)
        rm = eng.replicate_moments(ddf, m, key="id", replicates=replicates, seed=1, na=99)[()]
    elif engine == "spark":
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession

        import csikit.spark as eng

        spark = (SparkSession.builder.master("local[2]").appName("csikit-bench")
                 .config("spark.ui.enabled", "false")
                 .config("spark.driver.memory", "2g").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        sdf = spark.read.parquet(folder)
        whole = eng.moments(sdf, m, na=99)
        groups = eng.moments(sdf, m, na=99, by=BY)
        rm = eng.replicate_moments(sdf, m, key="id", replicates=replicates, seed=1, na=99)[()]
    else:
        raise SystemExit(f"unknown engine {engine}")
    seconds = time.perf_counter() - t0
    out = summarize(whole, groups, rm)
    out["engine"] = engine
    out["seconds"] = seconds
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--partitions", type=int, default=50)
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--engines", default="in-memory,polars,duckdb,dask,spark")
    ap.add_argument("--dir", default=None, help="Parquet folder (kept; generated if absent)")
    ap.add_argument("--run", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args.dir, args.replicates)))
        return
    folder = args.dir or os.path.join(tempfile.gettempdir(),
                                      f"csikit-bench-{args.rows}-{args.partitions}")
    if not os.path.isdir(folder):
        t0 = time.perf_counter()
        generate(folder, args.rows, args.partitions)
        print(f"generated {args.rows} rows in {args.partitions} partitions in "
              f"{time.perf_counter() - t0:.0f} s: {folder}", file=sys.stderr)
    results = []
    for engine in args.engines.split(","):
        proc = subprocess.run([sys.executable, __file__, "--run", engine, "--dir", folder,
                               "--replicates", str(args.replicates)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{engine}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    ref = next((r for r in results if r["engine"] == "in-memory"), None)
    print(f"{args.rows} rows, {args.partitions} Parquet partitions, {args.replicates} "
          f"Poisson replicates; max |difference| from the in-memory results")
    print(f"{'engine':<10} {'seconds':>8} {'peak MiB':>9} {'paths':>9} {'indices':>9} {'CIs':>9}")
    for r in results:
        diffs = []
        for k in ("paths", "indices", "ci"):
            if ref is None or len(r[k]) != len(ref[k]):
                diffs.append(float("nan"))
            else:
                diffs.append(float(np.max(np.abs(np.subtract(r[k], ref[k])))))
        r["max_diff"] = dict(zip(("paths", "indices", "ci"), diffs))
        print(f"{r['engine']:<10} {r['seconds']:>8.1f} {r['max_rss_mib']:>9.0f} "
              + " ".join(f"{d:>9.1e}" for d in diffs))
        ok = all(d <= 1e-10 for d in diffs) if ref is not None else False
        if not ok and r is not ref:
            print(f"   {r['engine']}: NOT equal to the in-memory results to 1e-10", file=sys.stderr)
    print(json.dumps([{k: r[k] for k in ("engine", "seconds", "max_rss_mib", "max_diff")}
                      for r in results]))


if __name__ == "__main__":
    main()
