"""Moments of a Polars DataFrame, LazyFrame or Parquet directory, computed by
Polars itself (lazy, streaming, on all cores) — the model is then fitted from
the moments: the estimates equal the in-memory fit (checked to 1e-12).

>>> import polars as pl, csikit, csikit.polars                   # doctest: +SKIP
>>> m = csikit.polars.moments("survey/", csikit.ecsi_model(), na=[98, 99])  # doctest: +SKIP
>>> fit = csikit.pls(m, csikit.ecsi_model())                     # doctest: +SKIP

Rows with a missing value in any indicator (null, NaN or an `na` code) are
dropped once (listwise), before the ~p²/2 sums, and counted in
``fit.n_dropped``; the `na` codes travel with the moments, so
``fit.scores(rows)`` treats them as missing too. Needs ``pip install polars``
(pyarrow is not needed).
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence, Union

from . import DataError, Model, Moments
from ._groups import _label
from ._sums import check_columns, moments_by_group, names_of, numeric_codes, pair_index

__all__ = ["moments", "pls", "replicate_moments"]


def _lazy(data: Any) -> Any:
    import polars as pl

    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if os.path.isdir(path):
            path = os.path.join(path, "**", "*.parquet")
        return pl.scan_parquet(path)
    if isinstance(data, pl.DataFrame):
        return data.lazy()
    if isinstance(data, pl.LazyFrame):
        return data
    raise TypeError(f"data must be a Polars DataFrame or LazyFrame, or a Parquet path, not {type(data).__name__}")


def moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    na: Any = None,
    by: Optional[Sequence[str]] = None,
) -> Union[Moments, dict]:
    """The moments of the model's indicators (or of `names`) in `data` (a Polars
    DataFrame or LazyFrame, or a Parquet file, glob or directory), listwise,
    with optional case weights from a column. One query; Polars does the work.
    With `by` (e.g. ``["region", "month"]``): ``{(value, ...): Moments}`` per
    group, every group present in the data included (see
    :func:`csikit.group_indices`)."""
    import polars as pl

    lf = _lazy(data)
    cols = names_of(model, names)
    available = lf.collect_schema().names()
    group = [by] if isinstance(by, str) else [str(b) for b in (by or [])]
    check_columns(available, cols + group, weights)
    codes = numeric_codes(na)

    def clean(c: str) -> Any:
        e = pl.col(c).cast(pl.Float64).fill_nan(None)
        if codes:
            e = pl.when(e.is_in(codes)).then(None).otherwise(e)
        return e.alias(c)

    w_name = "__csikit_weight"
    base = lf.select([clean(c) for c in cols] + [pl.col(g) for g in group]
                     + ([pl.col(weights).cast(pl.Float64).alias(w_name)] if weights else []))
    complete = base.drop_nulls(cols)
    if weights:
        bad = complete.filter(pl.col(w_name).is_null() | pl.col(w_name).is_nan()
                              | (pl.col(w_name) < 0)).select(pl.len())
        n_bad = bad.collect().item()
        if n_bad:
            raise DataError(f"invalid case weights: {n_bad} complete rows have a negative, "
                            f"missing or NaN weight in `{weights}`")
        complete = complete.filter(pl.col(w_name) > 0)
    first = complete.head(1).collect()
    if group:
        counts = base.group_by(group).agg(pl.len().alias("__n")).collect()
        n_rows = {tuple(_label(v) for v in r[:-1]): r[-1] for r in counts.iter_rows()}
    else:
        n_rows = {(): base.select(pl.len()).collect().item()}
    if first.height > 0:
        shift = [first.get_column(c)[0] for c in cols]
        y = [pl.col(c) - k for c, k in zip(cols, shift)]
        p = len(cols)
        if weights:
            w = pl.col(w_name)
            aggs = [pl.len().alias("__n"), w.sum().alias("__sw")]
            aggs += [(w * y[i]).sum().alias(f"__s{i}") for i in range(p)]
            aggs += [(w * y[i] * y[j]).sum().alias(f"__c{i}_{j}") for i, j in pair_index(p)]
        else:
            aggs = [pl.len().alias("__n"), pl.len().cast(pl.Float64).alias("__sw")]
            aggs += [y[i].sum().alias(f"__s{i}") for i in range(p)]
            aggs += [(y[i] * y[j]).sum().alias(f"__c{i}_{j}") for i, j in pair_index(p)]
        res = complete.group_by(group).agg(aggs) if group else complete.select(aggs)
        rows = res.collect().iter_rows()
    else:
        shift, rows = [], []
    out = moments_by_group(cols, rows, len(group), n_rows, shift, na)
    return out if group else out[()]


def replicate_moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    key: str,
    replicates: int = 200,
    seed: int = 1,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    na: Any = None,
    by: Optional[Sequence[str]] = None,
    batch_rows: int = 1_000_000,
) -> dict:
    """Poisson-bootstrap replicate moments (:func:`csikit.replicate_moments`)
    of `data`, read in batches of `batch_rows` rows and merged:
    ``{group: ReplicateMoments}`` (the group ``()`` without `by`). For a
    Parquet path or a DataFrame, one batch is in memory at a time whatever
    the number of rows (slices of the scan); a LazyFrame is streamed once
    with the engine's batch sink, whose buffers may run ahead of the
    consumer."""
    from ._groups import batch, merge

    lf = _lazy(data)
    cols = names_of(model, names)
    group = [by] if isinstance(by, str) else [str(b) for b in (by or [])]
    check_columns(lf.collect_schema().names(), cols + group + [key], weights)
    needed = list(dict.fromkeys(cols + group + [key] + ([weights] if weights else [])))
    acc: dict = {}
    failed: list = []

    def consume(chunk: Any) -> bool:
        nonlocal acc
        try:
            acc = merge(acc, batch(_pandas(chunk), cols, by=group, weights=weights, na=na,
                                   key=key, replicates=int(replicates), seed=int(seed)))
        except BaseException as e:  # re-raised below, outside Polars' thread
            failed.append(e)
            return True  # stop the query
        return False

    import polars as pl

    query = lf.select(needed)
    step = int(batch_rows)
    if isinstance(data, (str, os.PathLike, pl.DataFrame)):
        # A slice of a Parquet scan reads only its row groups (of a DataFrame,
        # it is a view): one batch in memory at a time, however many rows.
        # (The engine's own batch streams run ahead of this slower consumer:
        # `sink_batches` peaked at 2.4 GB and `collect_batches` at 1.9 GB on
        # 20 million rows, against 1.0 GB for slices.)
        rows = query.select(pl.len()).collect().item()
        for start in range(0, rows, step):
            if consume(query.slice(start, step).collect()):
                break
    else:
        # A LazyFrame of the caller's may hold any plan, which each slice would
        # run again: stream it once instead.
        stream = getattr(query, "sink_batches", None)
        if stream is not None:
            stream(consume, chunk_size=step)
        else:  # Polars < 1.32
            for chunk in query.collect_batches(chunk_size=step):
                if consume(chunk):
                    break
    if failed:
        raise failed[0]
    return acc


def _pandas(frame: Any) -> Any:
    """A pandas DataFrame of a Polars DataFrame, column by column (no pyarrow)."""
    import pandas as pd

    return pd.DataFrame({c: frame.get_column(c).to_numpy() for c in frame.columns})


def pls(data: Any, model: Union[str, Model], *, weights: Optional[str] = None,
        na: Any = None, **settings: Any) -> "Any":
    """Fits `model` from :func:`moments` of `data`; `settings` are those of
    :func:`csikit.pls` (scheme, tol, max_iter, scaling, stop_rule, ...)."""
    import csikit

    return csikit.pls(moments(data, model, weights=weights, na=na), model, **settings)
