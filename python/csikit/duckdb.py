"""Moments of a DuckDB relation, table or Parquet directory, computed by DuckDB
in one SQL query — the model is then fitted from the moments: the estimates
equal the in-memory fit (checked to 1e-12).

>>> import csikit, csikit.duckdb                                              # doctest: +SKIP
>>> m = csikit.duckdb.moments("survey/", csikit.ecsi_model(), na=[98, 99])    # doctest: +SKIP
>>> fit = csikit.pls(m, csikit.ecsi_model())                                  # doctest: +SKIP

Rows with a missing value in any indicator (NULL, NaN or an `na` code) are
dropped once (listwise) in a common table expression, before the ~p²/2 sums,
and counted in ``fit.n_dropped``; the `na` codes travel with the moments.
Needs ``pip install duckdb``.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence, Union

from . import DataError, Model, Moments
from ._groups import _label
from ._sums import check_columns, moments_by_group, names_of, numeric_codes, pair_index

__all__ = ["moments", "pls", "replicate_moments"]


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(data: Any) -> str:
    """A FROM clause for `data`: a Parquet file/glob/directory, a table name,
    or a DuckDB relation (queried as the virtual table `__csikit_src`)."""
    if isinstance(data, os.PathLike) or (isinstance(data, str) and (
            os.path.exists(data) or data.endswith(".parquet") or "*" in data)):
        path = os.fspath(data)
        if os.path.isdir(path):
            path = os.path.join(path, "**", "*.parquet")
        return f"read_parquet({_literal(path)})"
    if isinstance(data, str):
        return _quote(data)  # a table or view of `con`
    if _is_relation(data):
        return "__csikit_src"
    raise TypeError("data must be a Parquet path, a table name or a DuckDB relation, "
                    f"not {type(data).__name__}")


def _is_relation(data: Any) -> bool:
    # The class lives in `duckdb` (≥ 1.5) or in its extension module
    # `_duckdb` (1.4, the last release for Python 3.9).
    return (type(data).__module__.split(".")[0] in ("duckdb", "_duckdb")
            and hasattr(data, "query"))


def moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    na: Any = None,
    con: Any = None,
    by: Optional[Sequence[str]] = None,
) -> Union[Moments, dict]:
    """The moments of the model's indicators (or of `names`) in `data` (a
    Parquet file, glob or directory; a table of `con`; or a DuckDB relation,
    queried in its own connection), listwise, with optional case weights.
    Without `con`, paths are read in a new in-memory connection. With `by`
    (e.g. ``["region", "month"]``): ``{(value, ...): Moments}`` per group
    from one ``GROUP BY`` query, every group present included (see
    :func:`csikit.group_indices`)."""
    import duckdb

    if _is_relation(data):
        def run(sql: str) -> list:
            return data.query("__csikit_src", sql).fetchall()
    else:
        connection = con if con is not None else duckdb.connect()

        def run(sql: str) -> list:
            return connection.execute(sql).fetchall()
    cols = names_of(model, names)
    src = _source(data)
    available = [r[0] for r in run(f"DESCRIBE SELECT * FROM {src}")]
    group = [by] if isinstance(by, str) else [str(b) for b in (by or [])]
    check_columns(available, cols + group, weights)
    codes = numeric_codes(na)

    def clean(c: str) -> str:
        x = f"CAST({_quote(c)} AS DOUBLE)"
        cond = f"isnan({x})"
        if codes:
            cond += f" OR {x} IN ({', '.join(repr(v) for v in codes)})"
        return f"CASE WHEN {cond} THEN NULL ELSE {x} END AS {_quote(c)}"

    w = "__csikit_weight"
    select = ", ".join([clean(c) for c in cols] + [_quote(g) for g in group]
                       + ([f"CAST({_quote(weights)} AS DOUBLE) AS {w}"] if weights else []))
    complete_where = " AND ".join(f"{_quote(c)} IS NOT NULL" for c in cols)
    cte = (f"WITH base AS (SELECT {select} FROM {src}), "
           f"complete AS (SELECT * FROM base WHERE {complete_where})")
    if weights:
        n_bad = run(
            f"{cte} SELECT count(*) FROM complete WHERE {w} IS NULL OR isnan({w}) OR {w} < 0"
        )[0][0]
        if n_bad:
            raise DataError(f"invalid case weights: {n_bad} complete rows have a negative, "
                            f"missing or NaN weight in `{weights}`")
        cte = cte.replace(f"WHERE {complete_where})", f"WHERE {complete_where} AND {w} > 0)")
    head = run(f"{cte} SELECT {', '.join(_quote(c) for c in cols)} FROM complete LIMIT 1")
    gsql = ", ".join(_quote(g) for g in group)
    k = len(group)
    if group:
        n_rows = {tuple(_label(v) for v in r[:k]): r[k]
                  for r in run(f"{cte} SELECT {gsql}, count(*) FROM base GROUP BY {gsql}")}
    else:
        n_rows = {(): run(f"{cte} SELECT count(*) FROM base")[0][0]}
    if head:
        shift = [float(v) for v in head[0]]
        wt = w if weights else "1.0"
        y = [f"({_quote(c)} - {k_!r})" for c, k_ in zip(cols, shift)]
        p = len(cols)
        aggs = ["count(*)", f"sum({wt})"]
        aggs += [f"sum({wt} * {y[i]})" for i in range(p)]
        aggs += [f"sum({wt} * {y[i]} * {y[j]})" for i, j in pair_index(p)]
        if group:
            sql = f"{cte} SELECT {gsql}, {', '.join(aggs)} FROM complete GROUP BY {gsql}"
        else:
            sql = f"{cte} SELECT {', '.join(aggs)} FROM complete"
        rows = run(sql)
    else:
        shift, rows = [], []
    out = moments_by_group(cols, rows, k, n_rows, shift, na)
    return out if group else out[()]


def _arrow_reader(result: Any, rows: int) -> Any:
    """A record-batch reader of a query result or relation (DuckDB ≥ 1.4
    names it ``to_arrow_reader``; older versions ``fetch_record_batch``)."""
    for name in ("to_arrow_reader", "fetch_arrow_reader", "fetch_record_batch"):
        if hasattr(result, name):
            return getattr(result, name)(rows)
    raise TypeError("this DuckDB version gives no Arrow record-batch reader")


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
    con: Any = None,
    by: Optional[Sequence[str]] = None,
    batch_rows: int = 1_000_000,
) -> dict:
    """Poisson-bootstrap replicate moments (:func:`csikit.replicate_moments`)
    of `data`, streamed from DuckDB in Arrow record batches of `batch_rows`
    rows (memory bounded by a batch) and merged: ``{group: ReplicateMoments}``
    (the group ``()`` without `by`). Needs pyarrow."""
    import duckdb

    from ._groups import batch, merge

    cols = names_of(model, names)
    group = [by] if isinstance(by, str) else [str(b) for b in (by or [])]
    src = _source(data)
    needed = list(dict.fromkeys(cols + group + [key] + ([weights] if weights else [])))
    sql = f"SELECT {', '.join(_quote(c) for c in needed)} FROM {src}"
    if _is_relation(data):
        available = list(data.columns)
        check_columns(available, cols + group + [key], weights)
        reader = _arrow_reader(data.query("__csikit_src", sql), int(batch_rows))
    else:
        connection = con if con is not None else duckdb.connect()
        available = [r[0] for r in connection.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
        check_columns(available, cols + group + [key], weights)
        # A relation streams its result batch by batch; `execute(...)` would
        # materialize all rows first (4.3 GB at 20 million rows; 0.7 GB so).
        reader = _arrow_reader(connection.sql(sql), int(batch_rows))
    acc: dict = {}
    for rb in reader:
        acc = merge(acc, batch(rb.to_pandas(), cols, by=group, weights=weights, na=na, key=key,
                               replicates=int(replicates), seed=int(seed)))
    return acc


def pls(data: Any, model: Union[str, Model], *, weights: Optional[str] = None,
        na: Any = None, con: Any = None, **settings: Any) -> "Any":
    """Fits `model` from :func:`moments` of `data`; `settings` are those of
    :func:`csikit.pls`."""
    import csikit

    return csikit.pls(moments(data, model, weights=weights, na=na, con=con), model, **settings)
