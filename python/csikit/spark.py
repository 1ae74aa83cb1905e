"""Scale-out recipe for Spark: moments (per segment × period too) and
Poisson-bootstrap replicate moments of a Spark DataFrame, merged on the driver,
where the model is fitted — the estimates equal the in-memory fit.

Two ways:

* :func:`moments` — **one SQL aggregation** (``GROUP BY`` the `by` columns)
  of count, weight sum, Σ w·y and Σ w·yᵢ·yⱼ over the complete rows
  (y = x − a shift taken from one complete row, against cancellation). The
  executors run plain Spark SQL: **csikit is needed only on the driver**.
* :func:`moments_mapped` / :func:`replicate_moments` — ``mapInPandas``: each
  partition computes ``csikit.moments`` (or ``csikit.replicate_moments``) of
  its Arrow batches, merges them, and yields the pickled result; the driver
  merges the partitions. Needs csikit on the executors (``pip install
  pycsikit`` there). The only way to the replicates: their Poisson weights
  come from csikit's counter-based generator.

>>> import csikit, csikit.spark                                              # doctest: +SKIP
>>> sdf = spark.read.parquet("survey/")                                       # doctest: +SKIP
>>> fit = csikit.pls(csikit.spark.moments(sdf, model, na=[98, 99]), model)    # doctest: +SKIP
>>> by = csikit.spark.moments(sdf, model, by=["region", "month"])            # doctest: +SKIP
>>> idx = csikit.spark.indices(by, model, ["region", "month"], scale=(1, 10))  # doctest: +SKIP
>>> rm = csikit.spark.replicate_moments(sdf, model, key="id", replicates=200)  # doctest: +SKIP
>>> ci = csikit.replicate_intervals(rm[()], model, scale=(1, 10))             # doctest: +SKIP

Missing data: listwise; rows with NULL, NaN or an `na` code in an indicator
are dropped once, counted in ``n_dropped``. Tested with Spark ``local[2]``
(python/tests/test_spark.py; skipped without pyspark and Java).
"""

from __future__ import annotations

import pickle
from typing import Any, Optional, Sequence, Union

from . import DataError, Model, Moments
from ._groups import _label, batch, indices, intervals, merge, names_of_model
from ._sums import check_columns, moments_by_group, moments_from_sums, numeric_codes, pair_index

__all__ = ["moments", "moments_mapped", "replicate_moments", "indices", "intervals", "pls"]


def moments(
    sdf: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    na: Any = None,
    by: Optional[Sequence[str]] = None,
) -> Union[Moments, dict]:
    """The moments of the model's indicators (or of `names`) in the Spark
    DataFrame `sdf`, listwise, from one Spark SQL aggregation (csikit only on
    the driver). Without `by`: one :class:`csikit.Moments`; with `by`: a dict
    ``{(value, ...): Moments}`` per combination of the `by` columns (a
    missing value is ``None``), every group present in the data included (a
    group without a complete row has empty moments that count its rows)."""
    from pyspark.sql import functions as F

    cols = names_of_model(model, names)
    group = [str(b) for b in (by or [])]
    check_columns(list(sdf.columns), cols + group, weights)
    codes = numeric_codes(na)
    w = "__csikit_weight"

    def clean(c: str) -> Any:
        x = F.col(f"`{c}`").cast("double")
        bad = F.isnan(x)
        if codes:
            bad = bad | x.isin(codes)
        return F.when(bad, F.lit(None)).otherwise(x).alias(c)

    select = [clean(c) for c in cols] + [F.col(f"`{g}`").alias(g) for g in group]
    if weights:
        select.append(F.col(f"`{weights}`").cast("double").alias(w))
    base = sdf.select(*select)
    complete = base
    for c in cols:
        complete = complete.where(F.col(f"`{c}`").isNotNull())
    if weights:
        bad = complete.where(F.col(w).isNull() | F.isnan(F.col(w)) | (F.col(w) < 0)).count()
        if bad:
            raise DataError(f"invalid case weights: {bad} complete rows have a negative, "
                            f"missing or NaN weight in `{weights}`")
        complete = complete.where(F.col(w) > 0)
    gcols = [F.col(f"`{g}`") for g in group]
    n_rows = {tuple(_label(v) for v in r[:len(group)]): r[-1]
              for r in base.groupBy(*gcols).count().collect()}
    head = complete.select(*[F.col(f"`{c}`") for c in cols]).limit(1).collect()
    p = len(cols)
    if head:
        shift = [float(v) for v in head[0]]
        wt = F.col(w) if weights else F.lit(1.0)
        y = [F.col(f"`{c}`") - F.lit(k) for c, k in zip(cols, shift)]
        aggs = [F.count(F.lit(1)), F.sum(wt)]
        aggs += [F.sum(wt * y[i]) for i in range(p)]
        aggs += [F.sum(wt * y[i] * y[j]) for i, j in pair_index(p)]
        rows = complete.groupBy(*gcols).agg(*aggs).collect()
    else:
        shift, rows = [], []
    out = moments_by_group(cols, rows, len(group), n_rows, shift, na)
    if not group:
        return out.get((), moments_from_sums(cols, 0, 0, 0.0, [], [], [], na))
    return out


def _mapped(sdf: Any, cols: list, group: list, extra: list, options: dict) -> dict:
    """``mapInPandas``: per partition, the merged ``{group: moments}`` of its
    Arrow batches, pickled; merged on the driver."""
    def per_partition(batches: Any) -> Any:
        import pandas as pd

        acc: dict = {}
        for pdf in batches:
            acc = merge(acc, batch(pdf, cols, by=group, **options))
        yield pd.DataFrame({"moments": [pickle.dumps(acc)]})

    needed = list(dict.fromkeys(cols + group + extra))
    rows = sdf.select(*[f"`{c}`" for c in needed]).mapInPandas(
        per_partition, schema="moments binary").collect()
    return merge(*(pickle.loads(r[0]) for r in rows))


def moments_mapped(
    sdf: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    by: Optional[Sequence[str]] = None,
) -> Union[Moments, dict]:
    """As :func:`moments`, computed by ``csikit.moments`` inside each
    partition (``mapInPandas``; csikit needed on the executors)."""
    cols = names_of_model(model, names)
    group = [str(b) for b in (by or [])]
    check_columns(list(sdf.columns), cols + group, weights)
    out = _mapped(sdf, cols, group, [weights] if weights else [],
                  dict(weights=weights, missing=missing, na=na))
    if not group:
        import csikit

        return out.get((), csikit.Moments.empty(cols, missing, csikit._na_list(na)))
    return out


def replicate_moments(
    sdf: Any,
    model: Union[str, Model, None] = None,
    *,
    key: str,
    replicates: int = 200,
    seed: int = 1,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    by: Optional[Sequence[str]] = None,
) -> dict:
    """Poisson-bootstrap replicate moments (:func:`csikit.replicate_moments`)
    of `sdf`, computed inside the partitions (``mapInPandas``) and merged on
    the driver: ``{group: ReplicateMoments}`` (the group ``()`` without `by`).
    `key` names the column of unique row ids."""
    cols = names_of_model(model, names)
    group = [str(b) for b in (by or [])]
    check_columns(list(sdf.columns), cols + group + [key], weights)
    return _mapped(sdf, cols, group, [key] + ([weights] if weights else []),
                   dict(weights=weights, missing=missing, na=na, key=key,
                        replicates=int(replicates), seed=int(seed)))


def pls(sdf: Any, model: Union[str, Model], *, weights: Optional[str] = None,
        na: Any = None, **settings: Any) -> Any:
    """Fits `model` from :func:`moments` of `sdf` (one SQL aggregation);
    `settings` are those of :func:`csikit.pls`."""
    import csikit

    return csikit.pls(moments(sdf, model, weights=weights, na=na), model, **settings)
