"""Moments per group (segment × period), per batch of rows: the shared part
of the scale-out recipes (:mod:`csikit.dask`, :mod:`csikit.spark`,
:mod:`csikit.duckdb`, :mod:`csikit.polars`).

A batch of rows (a pandas DataFrame: a Dask or Spark partition, a record
batch of DuckDB or Polars) gives a dict ``{group: moments}``, the group a
tuple of the `by` columns' values (``()`` without `by`; a missing value is
``None``). Dicts of disjoint batches merge group by group (:func:`merge`),
exactly, so the merged dict equals the dict of all rows. Plain moments
(:func:`csikit.moments`) or replicate moments
(:func:`csikit.replicate_moments`, with `key` and `replicates`).
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import pandas as pd

from . import Model, _model


def _label(v: Any) -> Any:
    """A group value as a dict key that is equal across batches (NaN/NaT → None,
    numpy scalars → Python scalars)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def batch(
    pdf: pd.DataFrame,
    cols: list,
    *,
    by: Sequence[str] = (),
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    key: Optional[str] = None,
    replicates: Optional[int] = None,
    seed: int = 1,
) -> dict:
    """``{group: moments}`` of one batch of rows (replicate moments when
    `replicates` is given). A batch without rows gives ``{}``."""
    import csikit

    def one(frame: pd.DataFrame) -> Any:
        if replicates is None:
            return csikit.moments(frame, names=cols, weights=weights, missing=missing, na=na)
        return csikit.replicate_moments(frame, names=cols, key=key, replicates=replicates,
                                        seed=seed, weights=weights, missing=missing, na=na)

    if len(pdf) == 0:
        return {}
    by = list(by)
    if not by:
        return {(): one(pdf)}
    out: dict = {}
    keys = pdf[by].astype(object).where(pdf[by].notna(), None)
    labels = [tuple(_label(v) for v in row) for row in keys.itertuples(index=False, name=None)]
    codes = pd.Series(labels, index=pdf.index, dtype=object).map(repr)
    first = {}
    for lab, code in zip(labels, codes):
        first.setdefault(code, lab)
    for code, rows in pdf.groupby(codes.to_numpy(), sort=False).groups.items():
        out[first[code]] = one(pdf.loc[rows])
    return out


def merge(*parts: dict) -> dict:
    """Group-by-group merge of ``{group: moments}`` dicts (``+`` of each group)."""
    out: dict = {}
    for part in parts:
        for g, m in part.items():
            out[g] = out[g] + m if g in out else m
    return out


def _sorted(groups: dict) -> list:
    return sorted(groups, key=lambda g: tuple((v is None, str(type(v)), v if v is not None else 0)
                                              for v in g))


def indices(
    groups: dict,
    model: Union[str, Model],
    by: Sequence[str],
    *,
    scale: Any = None,
    item_scales: Any = None,
    **settings: Any,
) -> pd.DataFrame:
    """The 0–100 index of every construct per group: one row per group and
    construct with the `by` columns, ``construct``, ``index`` and ``n``; each
    group is fitted from its own (merged) moments, as ``csikit.pls`` of the
    group's rows would be. Replicate moments are fitted from their full
    moments. A group whose fit fails is left out and listed in
    ``DataFrame.attrs["skipped"]`` (group, reason), never dropped silently."""
    import csikit

    rows = []
    skipped = []
    for g in _sorted(groups):
        m = groups[g]
        try:
            fit = csikit.pls(m, model, **settings)
            idx = fit.index(scale=scale, item_scales=item_scales).constructs
        except csikit.CsikitError as e:
            skipped.append((g, str(e)))
            continue
        for _, r in idx.iterrows():
            rows.append({**dict(zip(by, g)), "construct": r["construct"],
                         "index": r["index"], "n": fit.n_observations})
    out = pd.DataFrame(rows, columns=[*by, "construct", "index", "n"])
    out.attrs["skipped"] = skipped
    return out


def intervals(
    groups: dict,
    model: Union[str, Model],
    by: Sequence[str],
    **options: Any,
) -> pd.DataFrame:
    """:func:`csikit.replicate_intervals` per group of replicate moments: the
    `by` columns, ``statistic`` and ``estimate, mean, std_error, ci_lower,
    ci_upper``. Failed groups are listed in ``attrs["skipped"]``."""
    import csikit

    frames = []
    skipped = []
    for g in _sorted(groups):
        try:
            est = csikit.replicate_intervals(groups[g], model, **options).estimates
        except csikit.CsikitError as e:
            skipped.append((g, str(e)))
            continue
        est = est.reset_index()
        for name, v in reversed(list(zip(by, g))):
            est.insert(0, name, v)
        frames.append(est)
    cols = [*by, "statistic", "estimate", "mean", "std_error", "ci_lower", "ci_upper"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out.attrs["skipped"] = skipped
    return out


def names_of_model(model: Union[str, Model, None], names: Optional[Sequence[str]]) -> list:
    if (model is None) == (names is None):
        raise ValueError("give either model= or names=")
    return list(_model(model).indicators) if model is not None else [str(n) for n in names]
