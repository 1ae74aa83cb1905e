"""Moments from sums computed by a query engine (Polars, DuckDB, Spark SQL):
the shared arithmetic of :mod:`csikit.polars` and :mod:`csikit.duckdb`.

An engine computes, over the complete rows (listwise deletion done once, in
the engine), the count, the weight sum, and the weighted sums of the shifted
values y = x − k and of their pairwise products, k being one complete row
(shifting by a value inside the data keeps the cancellation in
M = Σwyyᵀ − (Σwy)(Σwy)ᵀ/Σw small). These sums give exactly the moments
csikit computes from the rows (to rounding: the tests check 1e-12 on means
and correlations)."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from . import Model, Moments, _model, _na_list


def names_of(model: Union[str, Model, None], names: Optional[Sequence[str]]) -> list:
    """The indicator names of `model`, or `names` (exactly one of the two)."""
    if (model is None) == (names is None):
        raise ValueError("give either model= or names=")
    if model is not None:
        return list(_model(model).indicators)
    return [str(n) for n in names]


def check_columns(available: Sequence[str], cols: list, weights: Optional[str]) -> None:
    """Raise the library's own message (with near matches among the real
    column names) when a column of `cols` or `weights` is not `available`."""
    absent = [c for c in cols + ([weights] if weights else []) if c not in available]
    if absent:
        import pandas as pd

        import csikit

        empty = pd.DataFrame({str(c): pd.Series([], dtype=float) for c in available})
        csikit.moments(empty, names=cols, weights=weights)


def numeric_codes(na: Any) -> list:
    """The numeric missing-value codes of `na` (text codes cannot occur in a
    numeric column)."""
    out = []
    for c in _na_list(na):
        try:
            out.append(float(c))
        except ValueError:
            pass
    return out


def pair_index(p: int) -> list:
    """The (i, j) pairs with i ≤ j, in the order the engines compute them."""
    return [(i, j) for i in range(p) for j in range(i, p)]


def moments_from_sums(
    names: list,
    n_rows: int,
    n: int,
    weight_sum: float,
    shift: Sequence[float],
    sums: Sequence[float],
    cross: Sequence[float],
    na: Any,
) -> Moments:
    """Moments from engine sums: `sums[i]` = Σ w·y_i, `cross` = Σ w·y_i·y_j over
    :func:`pair_index`, y = x − shift; `n` complete rows of positive weight
    out of `n_rows` (the others count as dropped, listwise)."""
    p = len(names)
    if n == 0:
        state = Moments.empty(names, "listwise", _na_list(na)).state()
        state["n_rows"] = int(n_rows)
        state["n_dropped"] = int(n_rows)
        return Moments(state)
    sw = float(weight_sum)
    mean = [float(shift[i]) + float(sums[i]) / sw for i in range(p)]
    comoment = [0.0] * (p * p)
    for (i, j), c in zip(pair_index(p), cross):
        m = float(c) - float(sums[i]) * float(sums[j]) / sw
        comoment[i * p + j] = m
        comoment[j * p + i] = m
    return Moments({
        "names": list(names), "n": int(n), "weight_sum": sw, "mean": mean,
        "comoment": comoment, "missing": "listwise", "n_rows": int(n_rows),
        "n_dropped": int(n_rows) - int(n), "n_imputed": 0, "na": _na_list(na),
    })


def moments_by_group(
    names: list,
    rows: Any,
    k: int,
    n_rows: dict,
    shift: Sequence[float],
    na: Any,
) -> dict:
    """``{group: Moments}`` from an engine's result `rows` (`k` group values,
    then the count, the weight sum, :func:`moments_from_sums`' sums and cross
    sums), group values as :func:`csikit._groups._label` keys. Every group of
    `n_rows` (``{group: rows}``, the same keys) is included: one without a
    complete row gets empty moments that count its rows as dropped."""
    from ._groups import _label

    p = len(names)
    out: dict = {}
    for r in rows:
        g = tuple(_label(v) for v in r[:k])
        v = list(r[k:])
        out[g] = moments_from_sums(names, n_rows.get(g, v[0]), v[0], v[1], shift,
                                   v[2:2 + p], v[2 + p:], na)
    for g, n in n_rows.items():
        if g not in out:
            out[g] = moments_from_sums(names, n, 0, 0.0, [], [], [], na)
    return out
