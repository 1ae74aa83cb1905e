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
from csikit._groups import batch, merge, names_of_model

__all__ = ["moments", "pls", "replicate_moments", "group_moments"]


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


def _tree(level: list, split_every: int, compute_kwargs: dict) -> dict:
    import dask

    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    if not level:
        return {}
    while len(level) > 1:
        level = [
            dask.delayed(merge)(*level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    (total,) = dask.compute(level[0], **compute_kwargs)
    return total


def group_moments(
    ddf: Any,
    model: Union[str, Model, None] = None,
    *,
    by: Any = (),
    names: Optional[Any] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    split_every: int = 8,
    **compute_kwargs: Any,
) -> dict:
    """Moments per group of the `by` columns (e.g. segment × period):
    ``{(value, ...): Moments}``, computed per partition with a group-by and
    merged group by group in a tree; equal to the moments of each group's rows
    in memory. Fit a group with ``csikit.pls(groups[g], model)``, or all of
    them with ``csikit._groups.indices`` (index per group and construct)."""
    import dask

    cols = names_of_model(model, names)
    group = [str(b) for b in ([by] if isinstance(by, str) else by)]
    needed = list(dict.fromkeys(cols + group + ([weights] if weights else [])))
    level = [dask.delayed(batch)(p, cols, by=group, weights=weights, missing=missing, na=na)
             for p in ddf[needed].to_delayed()]
    return _tree(level, split_every, compute_kwargs)


def replicate_moments(
    ddf: Any,
    model: Union[str, Model, None] = None,
    *,
    key: str,
    replicates: int = 200,
    seed: int = 1,
    by: Any = (),
    names: Optional[Any] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    split_every: int = 8,
    **compute_kwargs: Any,
) -> dict:
    """Poisson-bootstrap replicate moments (:func:`csikit.replicate_moments`)
    per partition, merged in a tree: ``{group: ReplicateMoments}`` (the group
    ``()`` without `by`). The rows' Poisson weights depend only on (seed, key,
    replicate), so the result does not depend on the partitioning; intervals:
    ``csikit.replicate_intervals(result[()], model, scale=(1, 10))``."""
    import dask

    cols = names_of_model(model, names)
    group = [str(b) for b in ([by] if isinstance(by, str) else by)]
    needed = list(dict.fromkeys(cols + group + [key] + ([weights] if weights else [])))
    level = [dask.delayed(batch)(p, cols, by=group, weights=weights, missing=missing, na=na,
                                 key=key, replicates=int(replicates), seed=int(seed))
             for p in ddf[needed].to_delayed()]
    return _tree(level, split_every, compute_kwargs)
