"""csikit: customer-satisfaction measurement for analysts.

PLS path modeling (PLS-PM / PLS-SEM) for CSI index models, SERVQUAL and KANO,
computed by the csikit Rust library (this package is a thin layer over it:
pandas in, pandas out, the same numbers as the Rust API).

>>> import csikit
>>> df = csikit.simulate_survey(500, seed=7)          # a telecom CSI survey
>>> fit = csikit.pls(df, model=csikit.ecsi_model())   # path scheme, 300 iterations, tol 1e-7
>>> fit.converged
True
>>> list(fit.paths.columns)
['from', 'to', 'estimate', 'std_error', 't', 'p']
>>> sorted(fit.to_dict())[:3]                         # the `pls` example's JSON
['assessment', 'constructs', 'converged']

Errors raised by the library are ``csikit.CsikitError`` (a ``ValueError``) or
one of its subclasses ``DataError``, ``ModelError``, ``EstimationError``,
``ConvergenceError``; ``err.kind`` names the library's error variant. Long
computations release the GIL, so other Python threads keep running.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _csikit
from ._csikit import (
    ConvergenceError,
    CsikitError,
    DataError,
    EstimationError,
    Model,
    ModelError,
    Moments,
)

__version__ = _csikit.__version__

__all__ = [
    "pls",
    "moments",
    "PlsResult",
    "Model",
    "Moments",
    "ecsi_model",
    "read_csv",
    "simulate_survey",
    "simulate_servqual",
    "simulate_kano",
    "servqual",
    "ServqualResult",
    "kano",
    "KanoResult",
    "CsikitError",
    "DataError",
    "ModelError",
    "EstimationError",
    "ConvergenceError",
]

# ----- data across the boundary ------------------------------------------------


def _na_list(na: Any) -> list[str]:
    """Missing-value markers as text (numbers also match numerically in the library)."""
    if na is None:
        return []
    if isinstance(na, (str, bytes)) or not isinstance(na, Iterable):
        na = [na]
    return [v.decode() if isinstance(v, bytes) else str(v) for v in na]


def _is_numeric(dtype: Any) -> bool:
    api = pd.api.types
    return api.is_bool_dtype(dtype) or (
        api.is_numeric_dtype(dtype) and not api.is_complex_dtype(dtype)
    )


def _column(name: str, s: pd.Series) -> tuple[str, Any]:
    """One column for the library: float64 array (NaN = missing) or list of str ('' = missing)."""
    if s.dtype == object:
        try:
            converted = pd.to_numeric(s, errors="raise")
        except (ValueError, TypeError):
            converted = None
        if converted is not None and _is_numeric(converted.dtype):
            s = converted
    if _is_numeric(s.dtype):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
        return (name, np.ascontiguousarray(arr))
    mask = s.isna().to_numpy()
    values = s.astype(object).to_numpy()
    return (name, ["" if m else str(v) for v, m in zip(values, mask)])


def _as_frame(data: Any, columns: Optional[Sequence[str]] = None) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"a numpy array must be 2-D (rows x columns), not {data.ndim}-D")
        if columns is None:
            raise ValueError("a numpy array needs column names: pass columns=[...]")
        if len(columns) != data.shape[1]:
            raise ValueError(
                f"{len(columns)} column names for an array of {data.shape[1]} columns"
            )
        return pd.DataFrame(data, columns=list(columns))
    if isinstance(data, Mapping):
        return pd.DataFrame(dict(data))
    raise TypeError(
        "data must be a pandas DataFrame, a dict of columns, a 2-D numpy array "
        f"(with columns=), a CSV path or csikit.Moments, not {type(data).__name__}"
    )


def _columns(frame: pd.DataFrame, needed: Optional[Iterable[str]] = None) -> list:
    """The columns the library needs. With `needed`, only those (all of them if one
    is absent, so that the library's error can suggest near matches)."""
    by_name = {}
    for c in frame.columns:
        by_name.setdefault(str(c), c)
    if len(by_name) != len(frame.columns):
        needed = None  # let the library report the duplicate name
    if needed is not None:
        needed = list(dict.fromkeys(needed))
        if all(n in by_name for n in needed):
            return [_column(n, frame[by_name[n]]) for n in needed]
    out = []
    for j, c in enumerate(frame.columns):
        out.append(_column(str(c), frame.iloc[:, j]))
    return out


def _frame_from(columns: list, index: Any = None) -> pd.DataFrame:
    """A DataFrame from the library's columns (float64 or categorical)."""
    data = {}
    for name, kind, payload in columns:
        if kind == "float64":
            data[name] = np.frombuffer(payload, dtype=np.float64).copy()
        else:
            codes, labels = payload
            data[name] = pd.Categorical.from_codes(
                np.frombuffer(codes, dtype=np.int32), categories=labels
            )
    return pd.DataFrame(data, index=index)


def _table(rows: list, columns: Sequence[str]) -> pd.DataFrame:
    """Rows of the library's JSON as a DataFrame with a fixed column order
    (extra keys appended); nullable numbers as float64 (None -> NaN)."""
    keys = list(columns)
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    df = pd.DataFrame(rows, columns=keys)
    for k in keys:
        col = df[k]
        if col.dtype == object:
            values = [v for v in col if v is not None]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                df[k] = col.astype(np.float64)
    return df


def _matrix(m: dict) -> pd.DataFrame:
    values = np.array(
        [np.nan if v is None else v for v in m["data"]], dtype=np.float64
    ).reshape(len(m["rows"]), len(m["cols"]))
    return pd.DataFrame(values, index=list(m["rows"]), columns=list(m["cols"]))


def read_csv(path: Union[str, os.PathLike], na: Any = None, delimiter: str = ",") -> pd.DataFrame:
    """Reads a CSV file with the library's reader: a header row; empty cells,
    ``NA``, ``NaN`` and the `na` markers (e.g. ``-99``) are missing; columns
    of numbers become float64, others categorical.

    >>> df = csikit.read_csv("tests/data/corp_rep.csv", na=-99)   # doctest: +SKIP
    """
    return _frame_from(_csikit.read_csv(os.fspath(path), _na_list(na), delimiter))


def simulate_survey(
    n: int = 250,
    seed: int = 1,
    months: int = 12,
    monthly_drift: float = 0.02,
    missing_rate: float = 0.0,
) -> pd.DataFrame:
    """A simulated ECSI telecom survey (seeded: same seed, same data): the
    indicator columns of :func:`ecsi_model` on a 1-10 scale plus the segment
    columns ``region``, ``arpu_tier``, ``age_band``, ``plan`` (categorical)
    and ``month``.

    >>> df = csikit.simulate_survey(100, seed=3)
    >>> df.shape[0], "region" in df.columns
    (100, True)
    """
    return _frame_from(
        _csikit.simulate_survey(n, seed, months, monthly_drift, missing_rate)
    )


def simulate_servqual(
    n: int = 200, seed: int = 1, missing_rate: float = 0.02, segments: int = 3,
    off_sum_rate: float = 0.03,
) -> pd.DataFrame:
    """Simulated answers to the 22-item SERVQUAL (columns ``E1..E22``,
    ``P1..P22``, ``A1..A22``, ``D1..D22``, ``W_<dimension>``, ``branch``).

    >>> csikit.simulate_servqual(50).shape[0]
    50
    """
    return _frame_from(
        _csikit.simulate_servqual(n, seed, missing_rate, segments, off_sum_rate)
    )


def simulate_kano(respondents: int = 300, seed: int = 1) -> pd.DataFrame:
    """Simulated KANO answers (columns ``F_f``, ``F_d``, ``F_i`` per feature of a
    mobile-banking app).

    >>> "secure_login_f" in csikit.simulate_kano(20).columns
    True
    """
    return _frame_from(_csikit.simulate_kano(respondents, seed))


def ecsi_model() -> Model:
    """The ECSI model (Image, Expectation, Quality, Value, Satisfaction,
    Complaints, Loyalty) matching :func:`simulate_survey`'s columns.

    >>> "Satisfaction" in [c[0] for c in csikit.ecsi_model().constructs]
    True
    """
    return Model.ecsi()


def _model(model: Any) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, str):
        return Model(model)
    raise TypeError("model must be lavaan-style syntax (str) or a csikit.Model")


# ----- PLS ------------------------------------------------------------------------


class PlsResult:
    """A fitted PLS path model. Tables are pandas DataFrames named as in the
    ``pls`` example's JSON; :meth:`to_dict` is that JSON.

    Attributes (DataFrames): ``constructs``, ``outer``, ``paths``, ``effects``,
    ``htmt``, ``htmt_signed``, ``vif_inner``, ``f_squared``, ``reliability``,
    ``cross_loadings``, ``construct_correlations``, ``path_matrix``,
    ``indicator_matrix``; scalars ``n_observations``, ``n_dropped``,
    ``n_imputed``, ``converged``, ``iterations``, ``scheme``, ``gof``.
    """

    def __init__(self, fit: Any, data: Optional[pd.DataFrame] = None, na: Any = None):
        self._fit = fit
        self._data = data
        self._na = na
        self._report = json.loads(fit.report_json())
        self._full: Optional[dict] = None

    def _all(self) -> dict:
        if self._full is None:
            self._full = json.loads(self._fit.fit_json())
        return self._full

    # --- the JSON contract
    def to_dict(self) -> dict:
        """The ``pls`` example's JSON document (DESIGN.md §4) as a dict.

        >>> fit.to_dict()["paths"][0]["estimate"]      # doctest: +SKIP
        0.5
        """
        return json.loads(self._fit.report_json())

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``json.dumps`` keyword arguments apply)."""
        return json.dumps(self.to_dict(), **kwargs)

    n_observations = property(lambda self: self._report["n_observations"], doc="Rows used.")
    n_dropped = property(lambda self: self._report["n_dropped"], doc="Rows dropped (listwise).")
    n_imputed = property(lambda self: self._report["n_imputed"], doc="Cells mean-imputed.")
    converged = property(lambda self: self._report["converged"], doc="Whether the iteration converged.")
    iterations = property(lambda self: self._report["iterations"], doc="Iterations run.")
    scheme = property(lambda self: self._report["scheme"], doc="Inner weighting scheme.")
    gof = property(lambda self: self._report["gof"], doc="Goodness of fit (Tenenhaus et al. 2004).")

    @property
    def missing(self) -> dict:
        """What missing-data handling did: policy, rows, used, dropped, imputed, per column."""
        return dict(self._all()["missing"])

    @property
    def constructs(self) -> pd.DataFrame:
        """Per construct: name, mode, indicators, r_squared, r_squared_adj,
        cronbach_alpha, rho_c, rho_a, ave (index when a scale was given), then
        block_communality, mean_redundancy, dg_rho, eig_1st, eig_2nd."""
        extra = {c["name"]: c for c in self._all()["constructs"]}
        rows = []
        for c in self._report["constructs"]:
            row = dict(c)
            for k in ("block_communality", "mean_redundancy", "dg_rho", "eig_1st", "eig_2nd"):
                row[k] = extra[c["name"]][k]
            rows.append(row)
        return _table(rows, ["name", "mode", "indicators", "r_squared", "r_squared_adj",
                             "cronbach_alpha", "rho_c", "rho_a", "ave"])

    @property
    def reliability(self) -> pd.DataFrame:
        """Internal consistency per construct: cronbach_alpha, rho_c, rho_a, ave (index = name)."""
        return self.constructs.set_index("name")[["cronbach_alpha", "rho_c", "rho_a", "ave"]]

    @property
    def outer(self) -> pd.DataFrame:
        """Per indicator: indicator, construct, weight, loading, communality, redundancy."""
        red = [o["redundancy"] for o in self._all()["outer"]]
        rows = [dict(o, redundancy=r) for o, r in zip(self._report["outer"], red)]
        return _table(rows, ["indicator", "construct", "weight", "loading", "communality",
                             "redundancy"])

    @property
    def paths(self) -> pd.DataFrame:
        """Structural paths: from, to, estimate, std_error, t, p (OLS inference as plspm)."""
        return _table(self._report["paths"], ["from", "to", "estimate", "std_error", "t", "p"])

    @property
    def effects(self) -> pd.DataFrame:
        """Direct, indirect and total effects: from, to, direct, indirect, total."""
        return _table(self._report["effects"], ["from", "to", "direct", "indirect", "total"])

    @property
    def htmt(self) -> pd.DataFrame:
        """HTMT per pair of reflective constructs (absolute correlations): a, b, value."""
        return _table(self._report["htmt"], ["a", "b", "value"])

    @property
    def htmt_signed(self) -> pd.DataFrame:
        """HTMT from signed correlations (cSEM's variant): a, b, value."""
        return _table(json.loads(self._fit.htmt_signed_json()), ["a", "b", "value"])

    @property
    def vif_inner(self) -> pd.DataFrame:
        """Inner VIF per path: from, to, value."""
        return _table(self._report["vif_inner"], ["from", "to", "value"])

    @property
    def f_squared(self) -> pd.DataFrame:
        """Cohen's f² per path: from, to, value."""
        return _table(self._report["f_squared"], ["from", "to", "value"])

    @property
    def cross_loadings(self) -> pd.DataFrame:
        """Correlations of every indicator (rows) with every construct (columns)."""
        return _matrix(self._all()["cross_loadings"])

    @property
    def construct_correlations(self) -> pd.DataFrame:
        """Correlations among the constructs."""
        return _matrix(self._all()["construct_correlations"])

    @property
    def path_matrix(self) -> pd.DataFrame:
        """Path coefficients, rows = dependent, columns = predictor (0 = no path)."""
        return _matrix(json.loads(self._fit.path_matrix_json()))

    @property
    def indicator_matrix(self) -> pd.DataFrame:
        """The indicator correlation (or covariance, scaling='centered') matrix S."""
        return _matrix(json.loads(self._fit.indicator_matrix_json()))

    @property
    def model(self) -> Model:
        """The fitted model."""
        return self._fit.model()

    @property
    def moments(self) -> Moments:
        """The moments the fit was computed from (mergeable, picklable)."""
        return self._fit.moments()

    def scores(self, data: Any = None) -> pd.DataFrame:
        """Construct scores (mean 0, SD 1) of the rows the fit used, indexed like
        the data. Without `data`, the data of the fit (not available for fits
        from moments or CSV paths: pass the data).
        """
        if data is None:
            data = self._data
            if data is None:
                raise ValueError(
                    "this fit was not made from a DataFrame in memory: pass the data to scores()"
                )
        frame = _as_frame(data)
        rows, names, values = self._fit.scores(
            _columns(frame, self.model.indicators), _na_list(self._na)
        )
        rows = np.frombuffer(rows, dtype=np.int64)
        values = np.frombuffer(values, dtype=np.float64).reshape(len(rows), len(names))
        return pd.DataFrame(values.copy(), index=frame.index[rows], columns=names)

    def summary(self) -> str:
        """The readable report (the library's text summary)."""
        return self._fit.summary()

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<csikit.PlsResult: {len(self._report['constructs'])} constructs, "
                f"n={self.n_observations}, converged={self.converged}, "
                f"iterations={self.iterations}>")


def pls(
    data: Any,
    model: Union[str, Model],
    *,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    missing: str = "listwise",
    na: Any = None,
    weights: Optional[str] = None,
    scaling: str = "standardized",
    stop_rule: str = "max_abs_change",
    allow_nonconvergence: bool = False,
    columns: Optional[Sequence[str]] = None,
) -> PlsResult:
    """Fits a PLS path model (Wold/Lohmöller PLS-PM on the indicator correlations).

    Parameters
    ----------
    data : DataFrame, dict of columns, 2-D numpy array (with ``columns=``),
        a CSV path (read by the library), or :class:`Moments` (e.g. merged from
        partitions; see :mod:`csikit.dask`). Columns the model does not name are ignored.
    model : lavaan-style syntax (``SAT =~ sat1 + sat2`` Mode A, ``VAL <~ v1 + v2``
        Mode B, ``SAT ~ IMAG + VAL`` paths) or a :class:`Model`.
    scheme : ``"path"`` (default), ``"centroid"`` or ``"factorial"``.
    tol, max_iter : stop when no outer weight changes by more than `tol`
        (by `stop_rule`); error (:class:`ConvergenceError`) after `max_iter`
        iterations unless ``allow_nonconvergence=True``.
    missing : ``"listwise"`` (default), ``"mean"`` or ``"error"``.
    na : a value (or list) meaning missing, e.g. ``-99``; NaN/None always are.
    weights : name of a case-weight column (weighted PLS).
    scaling : ``"standardized"`` (default) or ``"centered"``.
    stop_rule : ``"max_abs_change"`` (default), ``"sum_abs_change"`` (seminr)
        or ``"plspm"`` (R plspm's rule).

    Raises
    ------
    DataError, ModelError, EstimationError, ConvergenceError (all ``CsikitError``,
    a ``ValueError``) with the library's message.

    Examples
    --------
    >>> df = csikit.simulate_survey(300, seed=1)
    >>> fit = csikit.pls(df, "Quality =~ PERQ1 + PERQ2 + PERQ3\\n"
    ...                      "Satisfaction =~ CUSA1 + CUSA2 + CUSA3\\n"
    ...                      "Satisfaction ~ Quality")
    >>> row = fit.paths.iloc[0]
    >>> (row["from"], row["to"], bool(row["estimate"] > 0.3))
    ('Quality', 'Satisfaction', True)
    """
    settings = dict(scheme=scheme, tol=float(tol), max_iter=int(max_iter),
                    scaling=scaling, stop_rule=stop_rule,
                    allow_nonconvergence=bool(allow_nonconvergence))
    if isinstance(data, Moments):
        if weights is not None or na is not None:
            raise ValueError("weights= and na= apply when the moments are computed (csikit.moments)")
        return PlsResult(_csikit.pls_fit_moments(data, _model(model), **settings))
    if isinstance(data, (str, os.PathLike)):
        fit = _csikit.pls_fit_csv(os.fspath(data), _model(model), missing=missing,
                                  weights=weights, na=_na_list(na), **settings)
        return PlsResult(fit)
    m = _model(model)
    frame = _as_frame(data, columns)
    needed = list(m.indicators) + ([weights] if weights is not None else [])
    fit = _csikit.pls_fit(_columns(frame, needed), m, missing=missing, weights=weights,
                          na=_na_list(na), **settings)
    return PlsResult(fit, frame, na)


def moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    columns: Optional[Sequence[str]] = None,
) -> Moments:
    """The mergeable moments (counts, weighted means, co-moments) of the model's
    indicators (or of `names`) in `data`: one pass over the rows, GIL released.
    Moments of disjoint partitions merge exactly (``a.merge(b)`` or ``a + b``)
    into the moments of all rows, and ``csikit.pls(moments, model)`` gives the
    fit from the rows. Picklable, so partitions can be computed anywhere.

    With ``missing="listwise"`` per-partition moments merge to exactly the
    listwise moments of the whole; ``"mean"`` would impute partition means.

    >>> df = csikit.simulate_survey(400, seed=2)
    >>> m = csikit.moments(df.iloc[:150], csikit.ecsi_model()) + csikit.moments(df.iloc[150:], csikit.ecsi_model())
    >>> m.n
    400
    """
    if (model is None) == (names is None):
        raise ValueError("give either model= or names=")
    cols = list(_model(model).indicators) if model is not None else [str(n) for n in names]
    frame = _as_frame(data, columns)
    needed = cols + ([weights] if weights is not None else [])
    return Moments.from_columns(_columns(frame, needed), cols, weights, missing, _na_list(na))


# ----- SERVQUAL and KANO ----------------------------------------------------------


class ServqualResult:
    """A SERVQUAL analysis: DataFrames ``dimensions``, ``items``, scalars
    ``unweighted``, ``weighted``, ``servperf``, ``n``; :meth:`to_dict` is the
    ``servqual`` example's JSON."""

    def __init__(self, report: str):
        self._json = report
        self._report = json.loads(report)

    def to_dict(self) -> dict:
        """The ``servqual`` example's JSON document as a dict."""
        return json.loads(self._json)

    n = property(lambda self: self._report["n"], doc="Respondents.")
    unweighted = property(lambda self: self._report["unweighted"], doc="Unweighted SERVQUAL score.")
    weighted = property(lambda self: self._report["weighted"], doc="Weighted SERVQUAL score.")
    servperf = property(lambda self: self._report["servperf"], doc="SERVPERF score.")
    zone = property(lambda self: self._report["zone"], doc="Zone-of-tolerance counts (or None).")

    @property
    def dimensions(self) -> pd.DataFrame:
        """Per dimension: name, expectation, perception, gap, weight, msa, mss, … (nested keys joined by '_')."""
        return pd.json_normalize(self._report["dimensions"], sep="_")

    @property
    def items(self) -> pd.DataFrame:
        """Per item: item, dimension, expectation, perception, gap, …"""
        return pd.json_normalize(self._report["items"], sep="_")

    def __repr__(self) -> str:
        return f"<csikit.ServqualResult: n={self.n}, unweighted={self.unweighted}>"


def servqual(
    data: Any,
    *,
    scale: tuple[float, float] = (1, 7),
    reverse: Optional[Sequence[Union[int, str]]] = None,
    dimensions: Optional[Mapping[str, Sequence[Union[int, str]]]] = None,
    perception: str = "P",
    expectation: Optional[str] = "E",
    adequate: Optional[str] = "A",
    desired: Optional[str] = "D",
    weight: Optional[str] = "W_",
    weight_policy: str = "normalize",
    weight_tolerance: float = 0.5,
) -> ServqualResult:
    """SERVQUAL gap analysis (Parasuraman, Zeithaml & Berry 1988, 1991, 1994).

    Columns ``P1..P22`` (perceptions) are required; ``E``, ``A``/``D`` and
    ``W_<dimension>`` are used when present. `dimensions` maps dimension
    names to item ids for a custom instrument (default: the 22 standard items).

    >>> r = csikit.servqual(csikit.simulate_servqual(200))
    >>> list(r.dimensions["name"])[:2]
    ['tangibles', 'reliability']
    """
    frame = _as_frame(data)
    dims = None
    if dimensions is not None:
        dims = [(str(d), [str(i) for i in ids]) for d, ids in dimensions.items()]
    report = _csikit.servqual_json(
        _columns(frame), (float(scale[0]), float(scale[1])),
        [str(i) for i in (reverse or [])], dims, perception, expectation, adequate,
        desired, weight, weight_policy, float(weight_tolerance),
    )
    return ServqualResult(report)


class KanoResult:
    """A KANO analysis: DataFrame ``features`` (nested keys joined by '_':
    ``counts_A``, ``fong_significant``, …); :meth:`to_dict` is the ``kano``
    example's JSON."""

    def __init__(self, report: str):
        self._json = report
        self._report = json.loads(report)

    def to_dict(self) -> dict:
        """The ``kano`` example's JSON document as a dict."""
        return json.loads(self._json)

    @property
    def features(self) -> pd.DataFrame:
        """Per feature: feature, n, counts, category, category_rule, better, worse, …"""
        return pd.json_normalize(self._report["features"], sep="_")

    def __repr__(self) -> str:
        return f"<csikit.KanoResult: {len(self._report['features'])} features>"


def kano(
    data: Any,
    *,
    counts: bool = False,
    threshold: float = 0.06,
    max_questionable: Optional[int] = None,
    weight_by_importance: bool = False,
) -> KanoResult:
    """KANO classification (Kano et al. 1984; Berger et al. 1993).

    Answers: columns ``F_f``/``F_d`` (1 like … 5 dislike) per feature ``F``,
    optional ``F_i``. With ``counts=True`` the data are one row per feature
    with columns ``feature, A, O, M, I[, R, Q]``.

    >>> r = csikit.kano(csikit.simulate_kano(300))
    >>> r.features.loc[0, "feature"]
    'secure_login'
    """
    frame = _as_frame(data)
    report = _csikit.kano_json(
        _columns(frame), bool(counts), float(threshold), max_questionable,
        bool(weight_by_importance),
    )
    return KanoResult(report)
