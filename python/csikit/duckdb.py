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
from ._sums import check_columns, moments_from_sums, names_of, numeric_codes, pair_index

__all__ = ["moments", "pls"]


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
    return type(data).__module__.split(".")[0] == "duckdb" and hasattr(data, "query")


def moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    na: Any = None,
    con: Any = None,
) -> Moments:
    """The moments of the model's indicators (or of `names`) in `data` (a
    Parquet file, glob or directory; a table of `con`; or a DuckDB relation,
    queried in its own connection), listwise, with optional case weights.
    Without `con`, paths are read in a new in-memory connection."""
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
    check_columns(available, cols, weights)
    codes = numeric_codes(na)

    def clean(c: str) -> str:
        x = f"CAST({_quote(c)} AS DOUBLE)"
        cond = f"isnan({x})"
        if codes:
            cond += f" OR {x} IN ({', '.join(repr(v) for v in codes)})"
        return f"CASE WHEN {cond} THEN NULL ELSE {x} END AS {_quote(c)}"

    w = "__csikit_weight"
    select = ", ".join([clean(c) for c in cols]
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
    n_rows = run(f"{cte} SELECT count(*) FROM base")[0][0]
    if not head:
        return moments_from_sums(cols, n_rows, 0, 0.0, [], [], [], na)
    shift = [float(v) for v in head[0]]
    wt = w if weights else "1.0"
    y = [f"({_quote(c)} - {k!r})" for c, k in zip(cols, shift)]
    p = len(cols)
    aggs = ["count(*)", f"sum({wt})"]
    aggs += [f"sum({wt} * {y[i]})" for i in range(p)]
    aggs += [f"sum({wt} * {y[i]} * {y[j]})" for i, j in pair_index(p)]
    r = run(f"{cte} SELECT {', '.join(aggs)} FROM complete")[0]
    return moments_from_sums(cols, n_rows, r[0], r[1], shift, r[2:2 + p], r[2 + p:], na)


def pls(data: Any, model: Union[str, Model], *, weights: Optional[str] = None,
        na: Any = None, con: Any = None, **settings: Any) -> "Any":
    """Fits `model` from :func:`moments` of `data`; `settings` are those of
    :func:`csikit.pls`."""
    import csikit

    return csikit.pls(moments(data, model, weights=weights, na=na, con=con), model, **settings)
