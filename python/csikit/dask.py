"""Scale-out recipe: fit a PLS path model to a Dask DataFrame.

Every PLS-PM estimate is a function of the indicators' moments (counts,
weighted means, co-moments), and moments of disjoint partitions merge exactly
(Chan, Golub & LeVeque 1983). So each partition computes its moments where it
lives, the (small, picklable) moments are merged in a tree, and the model is
fitted from the merged moments: the estimates equal the in-memory fit to
rounding (1e-12). Needs ``pip install pycsikit[dask]`` (from a checkout: ``pip install ./python[dask]``).

>>> import dask.dataframe as dd, csikit, csikit.dask
>>> df = csikit.simulate_survey(10_000, seed=1)
>>> ddf = dd.from_pandas(df, npartitions=8)
>>> fit = csikit.dask.pls(ddf, csikit.ecsi_model())            # doctest: +SKIP
>>> fit.paths                                                  # doctest: +SKIP

The recipe by hand (what :func:`moments` does), e.g. for Spark or any engine
that can run Python on partitions::

    parts = [csikit.moments(part, model) for part in partitions]    # on workers
    total = functools.reduce(lambda a, b: a + b, parts)             # anywhere
    fit = csikit.pls(total, model)

Missing data: ``missing="listwise"`` per partition is exactly listwise
deletion on the whole (rows dropped are counted in ``fit.n_dropped``);
``"mean"`` would replace by partition means, not global ones.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import pandas as pd

import csikit
from csikit import Model, Moments

__all__ = ["moments", "pls"]


def _partition_moments(
    part: pd.DataFrame, names: list, weights: Optional[str], missing: str, na: Any
) -> Moments:
    """Moments of one partition. A partition with no rows (or none left after
    listwise deletion) gives empty moments that still count its rows as
    dropped (``csikit.moments`` does this for any partition)."""
    return csikit.moments(part, names=names, weights=weights, missing=missing, na=na)


def _merge(*parts: Moments) -> Moments:
    total = parts[0]
    for p in parts[1:]:
        total = total.merge(p)
    return total


def moments(
    ddf: Any,
    model: Union[str, Model],
    *,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    split_every: int = 8,
    **compute_kwargs: Any,
) -> Moments:
    """The merged moments of the model's indicators over all partitions of a
    Dask DataFrame: per-partition moments (``dask.delayed``), merged in a tree
    of fan-in `split_every`, computed with ``compute_kwargs`` (e.g.
    ``scheduler="processes"``)."""
    import dask

    m = model if isinstance(model, Model) else Model(model)
    names = list(m.indicators)
    cols = names + ([weights] if weights is not None else [])
    absent = [c for c in cols if c not in ddf.columns]
    if absent:
        # The library's message, with near matches from the real column names.
        empty = pd.DataFrame({str(c): pd.Series([], dtype=float) for c in ddf.columns})
        csikit.moments(empty, names=names, weights=weights, missing=missing)
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    level = [
        dask.delayed(_partition_moments)(p, names, weights, missing, na)
        for p in ddf[cols].to_delayed()
    ]
    while len(level) > 1:
        level = [
            dask.delayed(_merge)(*level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    (total,) = dask.compute(level[0], **compute_kwargs)
    return total


def pls(
    ddf: Any,
    model: Union[str, Model],
    *,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    split_every: int = 8,
    compute_kwargs: Optional[dict] = None,
    **settings: Any,
) -> "csikit.PlsResult":
    """Fits `model` to a Dask DataFrame via merged partition moments; `settings`
    are those of :func:`csikit.pls` (scheme, tol, max_iter, scaling, stop_rule,
    allow_nonconvergence). Construct scores need the rows: compute them per
    partition with ``fit.scores(partition)``."""
    total = moments(ddf, model, weights=weights, missing=missing, na=na,
                    split_every=split_every, **(compute_kwargs or {}))
    return csikit.pls(total, model, **settings)
