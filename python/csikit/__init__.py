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
``ConvergenceError``; ``err.kind`` names the library's error variant and
``err.code`` is its stable snake_case code (e.g. ``'unknown_column'``). Long
computations release the GIL, so other Python threads keep running; Ctrl-C
stops a bootstrap or a permutation run within a moment.

Every analysis is the library's (its analysis layer, as the ``csikit``
command runs it): keyword arguments become the library's settings and
requests, and tables come back as columns from which the DataFrames are built.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Optional, Sequence, Union

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
    ReplicateMoments,
)

__version__ = _csikit.__version__

__all__ = [
    "MonitorReport",
    "drivers",
    "DriversResult",
    "profile",
    "ProfileResult",
    "link",
    "LinkResult",
    "pls",
    "moments",
    "replicate_moments",
    "replicate_intervals",
    "ReplicateMoments",
    "ReplicateIntervals",
    "group_moments",
    "group_indices",
    "group_intervals",
    "PlsResult",
    "Assessment",
    "Blindfolding",
    "PredictResult",
    "BootstrapResult",
    "MgaResult",
    "mga",
    "IndexResult",
    "IpmaResult",
    "CsiGroups",
    "csi_segments",
    "csi_periods",
    "acsi_report",
    "csi_template",
    "csi_model",
    "aggregate_index",
    "simulate_truth",
    "Monitor",
    "monitor",
    "simulate_monitor",
    "monitor_report",
    "MonitorData",
    "KanoSegments",
    "DEFAULT_KPIS",
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
    "scorecard",
    "CsikitError",
    "DataError",
    "ModelError",
    "EstimationError",
    "ConvergenceError",
    "ConvergenceWarning",
    "SeedLike",
]

# ----- data across the boundary ------------------------------------------------


#: What ``seed=`` takes: an int (0 ≤ seed < 2⁶⁴), a ``numpy.random.Generator``
#: (one integer is drawn from it, so a seeded Generator gives the same result
#: every run) or ``None`` (a fresh seed from the operating system). Results
#: report the integer seed actually used, so any run can be repeated.
SeedLike = Union[int, np.integer, np.random.Generator, None]


def _seed(seed: Any) -> int:
    """The integer seed for `seed` (see :data:`SeedLike`)."""
    if seed is None:
        import secrets

        return secrets.randbits(63)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed= takes an int, a numpy.random.Generator or None, "
                        f"not {type(seed).__name__}")
    value = int(seed)
    if not 0 <= value < 2**64:
        raise ValueError(f"seed= must be between 0 and 2**64 - 1, got {value}")
    return value


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
    frame = _foreign_frame(data)
    if frame is not None:
        return frame
    raise TypeError(
        "data must be a pandas or Polars DataFrame (or LazyFrame), a pyarrow Table, "
        "a DuckDB relation, a dict of columns, a 2-D numpy array (with columns=), a CSV "
        f"path or csikit.Moments, not {type(data).__name__}"
    )


def _foreign_frame(data: Any) -> Optional[pd.DataFrame]:
    """A pandas DataFrame from another engine's table: Polars (DataFrame or
    LazyFrame, read column by column, so pyarrow is not needed), pyarrow
    (Table, RecordBatch), DuckDB relations, or anything with the dataframe
    interchange protocol. None if `data` is none of these."""
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        if hasattr(data, "collect") and not hasattr(data, "to_numpy"):
            data = data.collect()  # a LazyFrame
        # Nulls become NaN (floats) or None (text): missing either way.
        return pd.DataFrame({c: data.get_column(c).to_numpy() for c in data.columns})
    if module == "duckdb" and hasattr(data, "df"):
        return data.df()
    if module == "pyarrow" and hasattr(data, "to_pandas"):
        return data.to_pandas()
    if hasattr(data, "__dataframe__"):
        return pd.api.interchange.from_dataframe(data)
    return None


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


def _numbers_as_float(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding only numbers and None (or nothing but None) as
    float64 (None -> NaN)."""
    for k in df.columns:
        col = df[k]
        if col.dtype == object:
            values = [v for v in col if v is not None]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                df[k] = col.astype(np.float64)
    return df


def _frame(cols: Mapping[str, list], columns: Sequence[str] = (),
           normalized: bool = False) -> pd.DataFrame:
    """A DataFrame from the library's columns (``{name: list}``, as the
    compiled core returns a table): the `columns` first, in this order, then
    the others in the library's order; numbers float64 (NaN = null) unless
    every cell is an integer. A column of nothing but null is float64 NaN,
    or (``normalized``, the SERVQUAL and KANO tables) None."""
    keys = list(columns) + [k for k in cols if k not in columns]
    n = len(next(iter(cols.values()))) if cols else 0
    df = pd.DataFrame({k: cols[k] if k in cols else [None] * n for k in keys}, columns=keys)
    return df if normalized else _numbers_as_float(df)


def _table(rows: list, columns: Sequence[str]) -> pd.DataFrame:
    """Rows (dicts of a small result) as a DataFrame with a fixed column order
    (extra keys appended); nullable numbers as float64 (None -> NaN)."""
    keys = list(columns)
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    return _numbers_as_float(pd.DataFrame(rows, columns=keys))


def _interval_columns(key: str = "ci") -> list:
    return [f"{key}_lower", f"{key}_upper", f"{key}_level", f"{key}_method"]


def _matrix(m: dict) -> pd.DataFrame:
    values = np.array(
        [np.nan if v is None else v for v in m["data"]], dtype=np.float64
    ).reshape(len(m["rows"]), len(m["cols"]))
    return pd.DataFrame(values, index=list(m["rows"]), columns=list(m["cols"]))


def _cell_text(v: Any) -> str:
    """A codebook cell as text: missing -> "", booleans yes/no, whole numbers without ".0"."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _codebook(codebook: Any) -> Any:
    """A codebook argument: a path to the codebook CSV, a DataFrame (or dict
    of columns) with the columns item, label, min, max, missing, reverse
    (optional label_en), or a codebook already read; None stays None."""
    if codebook is None or isinstance(codebook, _csikit.Codebook):
        return codebook
    if isinstance(codebook, (str, os.PathLike)):
        return _csikit.Codebook.read(os.fspath(codebook))
    frame = _as_frame(codebook)
    header = [str(c) for c in frame.columns]
    rows = [[_cell_text(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    return _csikit.Codebook.from_rows(header, rows)


def read_csv(path: Union[str, os.PathLike], na: Any = None,
             delimiter: Optional[str] = ",") -> pd.DataFrame:
    """Reads a CSV file with the library's reader: a header row; empty cells,
    ``NA``, ``NaN`` and the `na` markers (e.g. ``-99``) are missing; columns
    of numbers become float64, others categorical. ``delimiter=None`` reads
    the file as the ``csikit`` command does (CSV with the delimiter detected,
    or an ``.xlsx`` workbook).

    >>> df = csikit.read_csv("tests/data/corp_rep.csv", na=-99)   # doctest: +SKIP
    """
    return _frame_from(_csikit.read_csv(os.fspath(path), _na_list(na), delimiter))


def simulate_survey(
    n: int = 250,
    seed: SeedLike = 1,
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
        _csikit.simulate_survey(n, _seed(seed), months, monthly_drift, missing_rate)
    )


def simulate_servqual(
    n: int = 200, seed: SeedLike = 1, missing_rate: float = 0.02, segments: int = 3,
    off_sum_rate: float = 0.03,
) -> pd.DataFrame:
    """Simulated answers to the 22-item SERVQUAL (columns ``E1..E22``,
    ``P1..P22``, ``A1..A22``, ``D1..D22``, ``W_<dimension>``, ``branch``).

    >>> csikit.simulate_servqual(50).shape[0]
    50
    """
    return _frame_from(
        _csikit.simulate_servqual(n, _seed(seed), missing_rate, segments, off_sum_rate)
    )


def simulate_kano(respondents: int = 300, seed: SeedLike = 1) -> pd.DataFrame:
    """Simulated KANO answers (columns ``F_f``, ``F_d``, ``F_i`` per feature of a
    mobile-banking app).

    >>> "secure_login_f" in csikit.simulate_kano(20).columns
    True
    """
    return _frame_from(_csikit.simulate_kano(respondents, _seed(seed)))


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

    def __init__(self, fit: Any, data: Optional[pd.DataFrame] = None, na: Any = None,
                 csv: Optional[tuple] = None, weights: Optional[str] = None):
        self._fit = fit
        self._data = data
        self._na = na
        self._csv = csv
        self._weights = weights
        self._doc = fit.report()  # the fit's report: scalars with get, tables with table
        self._assessment: Optional[Assessment] = None
        # (data, model, settings) of csikit.pls: what pickling ships.
        self._recipe: Optional[tuple] = None

    def __reduce__(self) -> tuple:
        """Pickles the fit as its data (rows, moments with their ``na`` codes,
        or a CSV path, read again when unpickled), model and settings; the
        unpickled fit is the same deterministic estimation, so its results
        are equal."""
        if self._recipe is None:
            raise TypeError("only fits made by csikit.pls pickle")
        return (_refit, self._recipe)

    def _get(self, key: str) -> Any:
        return self._doc.get(key)

    def _has_rows(self) -> bool:
        return self._data is not None or self._csv is not None

    def _frame(self, data: Any) -> pd.DataFrame:
        """The data of an operation that needs the rows: `data`, else the fit's own."""
        if data is None:
            data = self._data
            if data is None and self._csv is not None:
                data = read_csv(self._csv[0], na=self._na, delimiter=self._csv[1])
            if data is None:
                raise ValueError(
                    "this fit was made from moments, not rows: pass the data (data=...)"
                )
        return _as_frame(data)

    @property
    def _indicators(self) -> list:
        """The data columns of the model as specified (not the derived columns
        of higher-order constructs and interaction terms)."""
        return list(self._fit.specified_model().indicators)

    def _needed(self, extra: Sequence[Optional[str]] = ()) -> list:
        """The columns the library needs: the indicators, the case weights,
        the codebook's items and `extra`."""
        needed = list(self._indicators) + ([self._weights] if self._weights else [])
        for c in [*self._fit.codebook_items(), *extra]:
            if c is not None and c not in needed:
                needed.append(c)
        return needed

    def _data_columns(self, data: Any, extra: Sequence[Optional[str]] = ()) -> list:
        return _columns(self._frame(data), self._needed(extra))

    # --- the JSON contract
    def to_dict(
        self,
        *,
        q2: bool = False,
        omission: Optional[int] = None,
        predict: Optional[int] = None,
        seed: SeedLike = 1,
        repetitions: int = 1,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
        ipma: Optional[str] = None,
        bootstrap: Optional[int] = None,
        confidence: float = 0.95,
        sign_change: str = "none",
        keep_inadmissible: bool = False,
        groups: Optional[str] = None,
        permutations: int = 999,
        correction: str = "holm",
        slopes: Optional[tuple[str, str, str]] = None,
        codebook: Any = None,
        data: Any = None,
        specific_indirect: bool = False,
        q2_scale: str = "observed",
    ) -> dict:
        """The ``pls`` example's JSON document (DESIGN.md §4) as a dict.

        The options are the example's: ``q2=True`` (``--q2``) adds
        ``blindfolding`` (omission distance `omission`, ``--omission``;
        `q2_scale`, ``--q2-scale``: ``"observed"`` or ``"mean_replaced"``);
        ``predict=FOLDS`` (``--predict``, with ``--seed``, ``--repetitions``)
        adds ``predict``; ``scale=(min, max)`` (``--scale``) fills
        ``constructs[].index``; ``ipma=TARGET`` (``--ipma``) adds ``ipma``;
        ``bootstrap=N`` (``--bootstrap``, with ``--seed``, ``--confidence``,
        ``--sign-change``, ``--keep-inadmissible``) adds ``bootstrap`` and,
        with `ipma`, the importance intervals; ``groups=COLUMN``
        (``--groups``, with ``--permutations``, ``--correction``, ``--seed``)
        adds ``groups``; ``slopes=(FOCAL, MODERATOR, DEPENDENT)`` (``--slopes
        F:M:Y``) adds ``simple_slopes`` (with bootstrap intervals when
        `bootstrap` is given); ``specific_indirect=True``
        (``--specific-indirect``) adds ``specific_indirect`` (and, with
        `bootstrap`, ``bootstrap.specific_indirect_effects``). ``codebook=`` (``--codebook``; a path or a
        DataFrame, see :func:`pls`) recodes the rows first (default: the
        fit's codebook). Q², PLSpredict, the bootstrap, the groups and a
        codebook need the rows: the fit's data, or `data`; with the rows the
        answers are also checked against the declared scales, as the command
        does. Ctrl-C stops the resampling.

        >>> fit = csikit.pls(csikit.simulate_survey(250, seed=2026), csikit.ecsi_model())
        >>> d = fit.to_dict(scale=(1, 10), ipma="Satisfaction")
        >>> d["ipma"]["target"], 0 < d["constructs"][0]["index"] < 100
        ('Satisfaction', True)
        """
        cb = _codebook(codebook)
        extra = [groups, *(cb.items if cb is not None else [])]
        columns = (self._data_columns(data, extra)
                   if data is not None or self._has_rows() else None)
        return self._fit.report_with(
            columns, _na_list(self._na), bool(q2), omission, predict, _seed(seed),
            int(repetitions), _scale(scale), _item_scales(item_scales), ipma,
            None if bootstrap is None else int(bootstrap), float(confidence), sign_change,
            bool(keep_inadmissible), None if groups is None else str(groups),
            int(permutations), correction,
            None if slopes is None else tuple(str(x) for x in slopes), cb,
            bool(specific_indirect),
            q2_scale=str(q2_scale),
        ).get()

    # --- model extensions
    @property
    def correlation(self) -> str:
        """The indicator correlations estimated from: ``"pearson"`` or ``"polychoric"``."""
        return self._get("correlation")

    @property
    def extension(self) -> Optional[dict]:
        """Higher-order constructs and interaction terms: ``hoc_approach``,
        ``interaction_approach``, ``derived_columns`` and ``stage1`` (the
        stage-1 report of a two-stage HOC approach); None for a plain model."""
        return self._get("extension")

    @property
    def specified_model(self) -> Model:
        """The model as specified (:attr:`model` is the one estimated, with the
        derived columns of higher-order constructs and interaction terms)."""
        return self._fit.specified_model()

    def higher_order_assessment(self) -> dict:
        """The assessment of every higher-order construct with its lower-order
        constructs as indicators (Sarstedt et al. 2019), as DataFrames:
        ``constructs`` (construct, mode, approach, rho_c, ave; NaN for Mode B),
        ``loadings`` (construct, component, loading: the HOC–LOC correlation or
        stage-2 loading) and ``vif`` (construct, component, vif). Empty frames
        without higher-order constructs.

        >>> df = csikit.simulate_survey(300, seed=1)
        >>> fit = csikit.pls(df, "Q1 =~ PERQ1 + PERQ2\\nQ2 =~ PERQ3 + PERQ4\\n"
        ...                      "Q =~ Q1 + Q2\\nS =~ CUSA1 + CUSA2 + CUSA3\\nS ~ Q")
        >>> list(fit.higher_order_assessment()["loadings"]["component"])
        ['Q1', 'Q2']
        """
        rows = self._fit.higher_order()
        return {
            "constructs": _table(
                [{k: r[k] for k in ("construct", "mode", "approach", "rho_c", "ave")}
                 for r in rows],
                ["construct", "mode", "approach", "rho_c", "ave"],
            ).astype({"rho_c": np.float64, "ave": np.float64}),
            "loadings": _table(
                [{"construct": r["construct"], "component": c, "loading": v}
                 for r in rows for c, v in r["loadings"]],
                ["construct", "component", "loading"],
            ).astype({"loading": np.float64}),
            "vif": _table(
                [{"construct": r["construct"], "component": c, "vif": v}
                 for r in rows for c, v in r["vif"]],
                ["construct", "component", "vif"],
            ).astype({"vif": np.float64}),
        }

    def simple_slopes(
        self,
        focal: str,
        moderator: str,
        dependent: str,
        *,
        bootstrap: Optional[int] = None,
        seed: SeedLike = 1,
        confidence: float = 0.95,
        sign_change: str = "none",
        keep_inadmissible: bool = False,
        data: Any = None,
    ) -> pd.DataFrame:
        """The simple-slope table of `focal` on `dependent` moderated by
        `moderator` (Aiken & West 1991): slope = b_focal + b_term · m at
        moderator levels m = −1, 0, +1 SD. Columns moderator_sd, slope,
        ci_lower, ci_upper (NaN without ``bootstrap=N``, the percentile
        intervals of N resamples, which need the rows: the fit's data or
        `data`). ``attrs`` holds focal, moderator, dependent, term,
        focal_effect, interaction_effect. Raises :class:`ModelError` when the
        model has no interaction term of the two constructs into `dependent`.
        """
        columns = self._data_columns(data) if bootstrap is not None else None
        d = self._fit.simple_slopes(
            str(focal), str(moderator), str(dependent), columns, _na_list(self._na),
            None if bootstrap is None else int(bootstrap), _seed(seed), float(confidence),
            sign_change, bool(keep_inadmissible))
        rows = [{"moderator_sd": r["moderator_sd"], "slope": r["slope"],
                 "ci_lower": None if r["ci"] is None else r["ci"][0],
                 "ci_upper": None if r["ci"] is None else r["ci"][1]} for r in d["rows"]]
        df = _table(rows, ["moderator_sd", "slope", "ci_lower", "ci_upper"]).astype(
            {"ci_lower": np.float64, "ci_upper": np.float64})
        df.attrs.update({k: d[k] for k in ("focal", "moderator", "dependent", "term",
                                           "focal_effect", "interaction_effect")})
        return df

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``json.dumps`` keyword arguments apply)."""
        return json.dumps(self.to_dict(), **kwargs)

    n_observations = property(lambda self: self._get("n_observations"), doc="Rows used.")
    n_dropped = property(lambda self: self._get("n_dropped"), doc="Rows dropped (listwise).")
    n_imputed = property(lambda self: self._get("n_imputed"), doc="Cells mean-imputed.")
    converged = property(lambda self: self._get("converged"), doc="Whether the iteration converged.")
    iterations = property(lambda self: self._get("iterations"), doc="Iterations run.")
    scheme = property(lambda self: self._get("scheme"), doc="Inner weighting scheme.")
    gof = property(lambda self: self._get("gof"), doc="Goodness of fit (Tenenhaus et al. 2004).")

    @property
    def missing(self) -> dict:
        """What missing-data handling did: policy, rows, used, dropped, imputed, per column."""
        return dict(self._fit.full().get("missing"))

    _CONSTRUCT_EXTRAS = ["block_communality", "mean_redundancy", "dg_rho", "eig_1st", "eig_2nd"]

    @property
    def constructs(self) -> pd.DataFrame:
        """Per construct: name, mode, indicators, r_squared, r_squared_adj,
        cronbach_alpha, rho_c, rho_a, ave (index when a scale was given), then
        block_communality, mean_redundancy, dg_rho, eig_1st, eig_2nd."""
        cols = dict(self._doc.table("constructs"))
        extra = self._fit.full().table("constructs", columns=["name", *self._CONSTRUCT_EXTRAS])
        at = {name: i for i, name in enumerate(extra["name"])}
        for k in self._CONSTRUCT_EXTRAS:
            cols[k] = [extra[k][at[name]] for name in cols["name"]]
        return _frame(cols, ["name", "mode", "indicators", "r_squared", "r_squared_adj",
                             "cronbach_alpha", "rho_c", "rho_a", "ave"])

    @property
    def reliability(self) -> pd.DataFrame:
        """Internal consistency per construct: cronbach_alpha, rho_c, rho_a, ave (index = name)."""
        return self.constructs.set_index("name")[["cronbach_alpha", "rho_c", "rho_a", "ave"]]

    @property
    def outer(self) -> pd.DataFrame:
        """Per indicator: indicator, construct, weight, loading, communality, redundancy."""
        cols = dict(self._doc.table("outer"))
        cols["redundancy"] = self._fit.full().table("outer", columns=["redundancy"])["redundancy"]
        return _frame(cols, ["indicator", "construct", "weight", "loading", "communality",
                             "redundancy"])

    @property
    def paths(self) -> pd.DataFrame:
        """Structural paths: from, to, estimate, std_error, t, p (OLS inference as plspm)."""
        return _frame(self._doc.table("paths"), ["from", "to", "estimate", "std_error", "t", "p"])

    @property
    def effects(self) -> pd.DataFrame:
        """Direct, indirect and total effects: from, to, direct, indirect, total."""
        return _frame(self._doc.table("effects"), ["from", "to", "direct", "indirect", "total"])

    @property
    def specific_indirect(self) -> pd.DataFrame:
        """Specific indirect effects, each chain of mediators separately: from,
        to, via (list of mediators), chain (``"A -> M -> Y"``), estimate (the
        product of the paths along the chain). Per (from, to) they add up to
        the indirect effect of :attr:`effects`."""
        return _frame(self._fit.specific_indirect(), ["from", "to", "via", "chain", "estimate"])

    @property
    def htmt(self) -> pd.DataFrame:
        """HTMT per pair of reflective constructs (absolute correlations): a, b, value."""
        return _frame(self._doc.table("htmt"), ["a", "b", "value"])

    @property
    def htmt_signed(self) -> pd.DataFrame:
        """HTMT from signed correlations (cSEM's variant): a, b, value."""
        return _frame(self._fit.htmt_signed(), ["a", "b", "value"])

    @property
    def vif_inner(self) -> pd.DataFrame:
        """Inner VIF per path: from, to, value."""
        return _frame(self._doc.table("vif_inner"), ["from", "to", "value"])

    @property
    def f_squared(self) -> pd.DataFrame:
        """Cohen's f² per path: from, to, value."""
        return _frame(self._doc.table("f_squared"), ["from", "to", "value"])

    @property
    def cross_loadings(self) -> pd.DataFrame:
        """Correlations of every indicator (rows) with every construct (columns)."""
        return _matrix(self._fit.full().get("cross_loadings"))

    @property
    def construct_correlations(self) -> pd.DataFrame:
        """Correlations among the constructs."""
        return _matrix(self._fit.full().get("construct_correlations"))

    @property
    def path_matrix(self) -> pd.DataFrame:
        """Path coefficients, rows = dependent, columns = predictor (0 = no path)."""
        return _matrix(self._fit.path_matrix())

    @property
    def indicator_matrix(self) -> pd.DataFrame:
        """The indicator correlation (or covariance, scaling='centered') matrix S."""
        return _matrix(self._fit.indicator_matrix())

    @property
    def model(self) -> Model:
        """The fitted model."""
        return self._fit.model()

    @property
    def moments(self) -> Moments:
        """The moments the fit was computed from (mergeable, picklable)."""
        return self._fit.moments()

    def scores(self, data: Any = None, *, na: Any = None) -> pd.DataFrame:
        """Construct scores (mean 0, SD 1) of the rows the fit used, indexed like
        the data. Without `data`, the data of the fit (not available for fits
        from moments or CSV paths: pass the data). The codes that were missing
        when the fit (or its moments) was made are missing here too; `na` adds
        codes for these rows only.
        """
        if data is None:
            data = self._data
            if data is None:
                raise ValueError(
                    "this fit was not made from a DataFrame in memory: pass the data to scores()"
                )
        frame = _as_frame(data)
        rows, names, values = self._fit.scores(
            _columns(frame, self._needed()), _na_list(self._na) + _na_list(na))
        rows = np.frombuffer(rows, dtype=np.int64)
        values = np.frombuffer(values, dtype=np.float64).reshape(len(rows), len(names))
        return pd.DataFrame(values.copy(), index=frame.index[rows], columns=names)

    def summary(self) -> str:
        """The readable report (the library's text summary)."""
        return self._fit.summary()

    # --- assessment, PLSc, Q², PLSpredict
    @property
    def consistent(self) -> Optional[dict]:
        """Consistent PLS (``consistent=True``): ``reliabilities`` (rho_A used per
        construct), ``corrected``, ``admissible``, ``problems``; None for plain PLS."""
        return self._get("consistent")

    def assess(self) -> "Assessment":
        """The assessment of the measurement and structural model: reliability,
        Fornell–Larcker, cross-loadings, HTMT/HTMT2, indicator and inner VIF,
        f², SRMR, d_ULS, d_G (see :class:`Assessment`).

        >>> fit = csikit.pls(csikit.simulate_survey(300, seed=1), csikit.ecsi_model())
        >>> a = fit.assess()
        >>> bool(0 < a.srmr < 0.2), list(a.model_fit.index)
        (True, ['estimated', 'saturated'])
        """
        if self._assessment is None:
            self._assessment = Assessment(self._fit.assessment(), self._fit.assessment_text())
        return self._assessment

    def implied_correlation(self, saturated: bool = False) -> pd.DataFrame:
        """The indicator correlations the model implies (behind SRMR, d_ULS, d_G);
        ``saturated=True``: with the construct correlations free."""
        return _matrix(self._fit.implied(bool(saturated)))

    def q2(self, data: Any = None, omission: Optional[int] = None,
           scale: str = "observed") -> "Blindfolding":
        """Stone–Geisser Q² of the endogenous constructs by blindfolding
        (Stone 1974; Geisser 1974), refitting with this fit's settings.
        `omission` is the omission distance D (default 7, or the next number
        that does not divide the number of complete rows). `scale`: the
        predictions are rescaled with the SD of the values kept in each round
        (``"observed"``, the published definition, as semPLS) or of the
        mean-replaced column (``"mean_replaced"``, csikit's former rule).
        Needs the rows: the fit's data or `data`. GIL released.

        >>> fit = csikit.pls(csikit.simulate_survey(300, seed=1), csikit.ecsi_model())
        >>> b = fit.q2()
        >>> b.omission_distance, list(b.constructs.columns)
        (7, ['construct', 'sso', 'sse', 'q2'])
        """
        columns = self._data_columns(data)
        return Blindfolding(self._fit.blindfolding(columns, _na_list(self._na), omission,
                                                   str(scale)))

    def predict(
        self,
        data: Any = None,
        *,
        folds: int = 10,
        seed: SeedLike = 1,
        repetitions: int = 1,
        approach: str = "earliest",
        targets: Optional[Sequence[str]] = None,
    ) -> "PredictResult":
        """PLSpredict (Shmueli et al. 2016, 2019): k-fold out-of-sample
        predictions of the endogenous constructs' indicators, with the linear
        model benchmark. ``approach="earliest"`` (antecedents: the exogenous
        constructs' indicators) or ``"direct"`` (Danks 2021). The fold
        assignment is seeded (same seed, same result). GIL released.

        >>> fit = csikit.pls(csikit.simulate_survey(300, seed=1), csikit.ecsi_model())
        >>> p = fit.predict(folds=5, seed=3)
        >>> (p.folds, p.seed), "q2_predict" in p.indicators.columns
        ((5, 3), True)
        """
        frame = self._frame(data)
        metrics, predictions = self._fit.predict(
            _columns(frame, self._needed()), _na_list(self._na), int(folds), int(repetitions),
            _seed(seed), approach, None if targets is None else [str(t) for t in targets],
        )
        return PredictResult(metrics, predictions.get(), frame.index)

    # --- resampling: bootstrap, multi-group analysis
    def bootstrap(
        self,
        n: int = 5000,
        *,
        seed: SeedLike = 1,
        confidence: float = 0.95,
        sign_change: str = "none",
        on_failure: str = "skip",
        max_failed_share: float = 0.5,
        keep_inadmissible: bool = False,
        bca: bool = True,
        threads: Optional[int] = None,
        progress: Optional[Callable[[int, int], Any]] = None,
        data: Any = None,
        specific_indirect: bool = False,
    ) -> "BootstrapResult":
        """The nonparametric bootstrap of this model with this fit's settings
        (Efron & Tibshirani 1993): `n` resamples of the rows, each re-estimated.
        Returns standard errors, percentile intervals (``ci_lower``,
        ``ci_upper``) and BCa intervals (``bca_lower``, ``bca_upper``; Efron
        1987) of the paths, loadings, weights, total and indirect effects, R²
        and HTMT. Seeded: same seed, same result, whatever the number of
        `threads` (default: all cores). `sign_change` is ``"none"``,
        ``"individual"`` or ``"construct_reversal"``; degenerate resamples are
        skipped and counted (`on_failure` ``"skip"``), redrawn (``"replace"``)
        or an error (``"error"``); more than `max_failed_share` failing is an
        error. ``bca=False`` saves one leave-one-out fit per row. Needs the
        rows: the fit's data or `data`. GIL released; Ctrl-C
        (KeyboardInterrupt) stops it within a moment; ``progress(done,
        total)`` is called now and then (about 200 times; an exception it
        raises stops the run and is raised here). ``specific_indirect=True``
        also bootstraps every specific indirect effect
        (:attr:`BootstrapResult.specific_indirect_effects`).

        >>> fit = csikit.pls(csikit.simulate_survey(300, seed=1), csikit.ecsi_model())
        >>> b = fit.bootstrap(200, seed=7)
        >>> (b.resamples, b.failed), list(b.paths.columns[:5])
        ((200, 0), ['from', 'to', 'estimate', 'mean', 'std_error'])
        >>> row = b.paths.iloc[0]
        >>> bool(row["ci_lower"] < row["estimate"] < row["ci_upper"])
        True
        """
        columns = self._data_columns(data)
        return BootstrapResult(self._fit.bootstrap(
            columns, _na_list(self._na), int(n), _seed(seed), float(confidence), sign_change,
            on_failure, float(max_failed_share), bool(keep_inadmissible), bool(bca),
            None if threads is None else int(threads), progress, bool(specific_indirect)))

    def mga(
        self,
        group: str,
        *,
        permutations: int = 999,
        seed: SeedLike = 1,
        correction: str = "holm",
        alpha: float = 0.05,
        max_failed_share: float = 0.5,
        keep_inadmissible: bool = False,
        threads: Optional[int] = None,
        progress: Optional[Callable[[int, int], Any]] = None,
        data: Any = None,
    ) -> "MgaResult":
        """Multi-group analysis by the levels of the `group` column with this
        fit's settings; see :func:`mga`. Needs the rows: the fit's data or
        `data`. Ctrl-C stops it; ``progress(done, total)`` as in :meth:`bootstrap`."""
        columns = self._data_columns(data, [group])
        return MgaResult(self._fit.mga(
            columns, str(group), _na_list(self._na), int(permutations), _seed(seed), correction,
            float(alpha), float(max_failed_share), bool(keep_inadmissible),
            None if threads is None else int(threads), progress))

    # --- CSI: index, impacts, IPMA
    def index(
        self,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    ) -> "IndexResult":
        """The 0–100 customer-satisfaction index of every construct (Fornell 1992;
        Fornell et al. 1996) from the unstandardized outer weights and the
        indicator means, with its standard error and interval. `scale` gives the
        theoretical answer bounds of every indicator, `item_scales` those of
        indicators on other scales (``{"CUSCO": (0, 1)}``).

        >>> fit = csikit.pls(csikit.simulate_survey(300, seed=1), csikit.ecsi_model())
        >>> idx = fit.index(scale=(1, 10))
        >>> bool(0 < idx.value("Satisfaction") < 100)
        True
        """
        return IndexResult(self._fit.index(_scale(scale), _item_scales(item_scales)))

    def impacts(
        self,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    ) -> pd.DataFrame:
        """Impacts of every driver on every construct it reaches: driver, target,
        total_effect_std, total_effect (unstandardized: index points per index
        point), impact (index points for +5 points of the driver), ci_*."""
        doc = self._fit.impacts(_scale(scale), _item_scales(item_scales))
        return _frame(doc.table("", intervals=["ci"]),
                      ["driver", "target", "total_effect_std", "total_effect", "impact",
                       *_interval_columns()])

    def ipma(
        self,
        target: str,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
        *,
        construct_split: Optional[tuple[float, float]] = None,
        indicator_split: Optional[tuple[float, float]] = None,
        ranking: str = "potential_gain",
        bootstrap: Optional[int] = None,
        seed: SeedLike = 1,
        confidence: float = 0.95,
        data: Any = None,
    ) -> "IpmaResult":
        """The importance–performance map of `target` (Ringle & Sarstedt 2016):
        importance = unstandardized total effect, performance = 0–100 index, at
        construct and indicator level, quadrants split at the means (or at
        ``(importance, performance)`` given as `construct_split` /
        `indicator_split`), and the short boards (high importance, low
        performance) ranked by potential gain or by importance. With
        ``bootstrap=N`` (seeded by `seed`; needs the rows: the fit's data or
        `data`), the importances get bootstrap percentile intervals
        (``importance_ci_*`` columns) at level `confidence`.

        >>> fit = csikit.pls(csikit.simulate_survey(1000, seed=1), csikit.ecsi_model())
        >>> m = fit.ipma("Satisfaction", scale=(1, 10))
        >>> list(m.constructs.columns[:5])
        ['name', 'importance', 'performance', 'impact', 'quadrant']
        >>> m.short_boards["name"].tolist()
        ['Quality']
        >>> mb = fit.ipma("Satisfaction", scale=(1, 10), bootstrap=100, seed=3)
        >>> q = mb.constructs.set_index("name").loc["Quality"]
        >>> bool(q["importance_ci_lower"] < q["importance"] < q["importance_ci_upper"])
        True
        """
        columns = self._data_columns(data) if bootstrap is not None else None
        return IpmaResult(self._fit.ipma(
            str(target), _scale(scale), _item_scales(item_scales), construct_split,
            indicator_split, ranking, columns, _na_list(self._na),
            None if bootstrap is None else int(bootstrap), _seed(seed), float(confidence)))

    def index_scores(
        self,
        data: Any = None,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    ) -> pd.DataFrame:
        """Per-respondent 0–100 index of every construct (the weighted item mean
        rescaled), indexed like the data; the means over respondents are the index."""
        frame = self._frame(data)
        rows, names, values = self._fit.index_scores(
            _columns(frame, self._needed()), _na_list(self._na), _scale(scale),
            _item_scales(item_scales))
        rows = np.frombuffer(rows, dtype=np.int64)
        values = np.frombuffer(values, dtype=np.float64).reshape(len(rows), len(names))
        return pd.DataFrame(values.copy(), index=frame.index[rows], columns=names)

    def __str__(self) -> str:
        return self.summary()

    @property
    def params(self) -> pd.Series:
        """The path coefficients as a labelled Series (index ``"from -> to"``),
        like statsmodels' ``params``."""
        p = self.paths
        return pd.Series(p["estimate"].to_numpy(), name="estimate",
                         index=[f"{a} -> {b}" for a, b in zip(p["from"], p["to"])])

    def _repr_html_(self) -> str:
        """The fit in a notebook: one line of facts, the paths and the constructs."""
        import html

        head = html.escape(
            f"PLS path model: {len(self.model.constructs)} constructs, n={self.n_observations}"
            + (f" ({self.n_dropped} rows dropped)" if self.n_dropped else "")
            + f", {self.scheme} scheme, "
            + (f"converged in {self.iterations} iterations" if self.converged
               else f"NOT converged after {self.iterations} iterations"))
        cons = self.constructs
        keep = [c for c in ["name", "mode", "r_squared", "rho_c", "ave", "index"] if c in cons.columns]
        return (f"<div><p><b>{head}</b></p>"
                + self.paths.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="")
                + cons[keep].to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="")
                + "</div>")

    def __repr__(self) -> str:
        return (f"<csikit.PlsResult: {len(self.model.constructs)} constructs, "
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
    consistent: bool = False,
    hoc_approach: str = "repeated",
    interaction_approach: str = "product",
    correlation: str = "pearson",
    columns: Optional[Sequence[str]] = None,
    codebook: Any = None,
    weighting: str = "pls",
    composites: Optional[Sequence[str]] = None,
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
        or ``"plspm"`` (R plspm's rule: Σ(|w_old| − |w_new|)² of the
        unnormalized weights of consecutive updates; plspm's iteration counts).
    weighting : ``"pls"`` (default, the PLS-PM iteration) or ``"unit"``
        (unit weights, i.e. sum scores, cSEM's ``"unit"``; no iteration).
    composites : Mode A constructs that are composites: ``consistent=True``
        leaves them uncorrected (seminr's ``composite()``), like Mode B
        constructs, single items and interaction terms.
    consistent : consistent PLS, PLSc (Dijkstra & Henseler 2015): loadings,
        construct correlations and paths of Mode A constructs corrected for
        attenuation with rho_A (as cSEM); see :attr:`PlsResult.consistent`.
    hoc_approach : how higher-order constructs (``SQ =~ TANG + REL``, a
        construct measured by constructs) are estimated: ``"repeated"``
        indicators (default), two-stage ``"embedded"`` or ``"disjoint"``,
        or ``"three_stage"`` (a composite of common factors, van Riel et al.
        2017; no bootstrap); see :meth:`PlsResult.higher_order_assessment`.
    interaction_approach : how interaction terms (``Y ~ X + M + X:M``) are
        estimated: ``"product"`` indicators (default), ``"orthogonal"``
        (residualized products) or ``"two_stage"``; see
        :meth:`PlsResult.simple_slopes`.
    correlation : ``"pearson"`` (default) or ``"polychoric"`` (every indicator
        ordinal; not with interaction terms, the two-stage HOC approaches,
        the bootstrap, PLSpredict or MGA).
    codebook : the codebook (DESIGN.md §6; ``csikit pls --codebook``): a path
        to its CSV or a DataFrame with the columns ``item, label, min, max,
        missing, reverse`` (optional ``label_en``). Before anything else its
        missing codes become missing, answers off a declared scale are an
        error (:class:`DataError`), reverse items are recoded as
        min + max − x; the declared scales serve the index
        (``to_dict(scale=...)``), and every later use of rows (Q², the
        bootstrap, scores, ...) recodes them the same way.

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
    recipe = (data, model, dict(
        scheme=scheme, tol=tol, max_iter=max_iter, missing=missing, na=na, weights=weights,
        scaling=scaling, stop_rule=stop_rule, allow_nonconvergence=allow_nonconvergence,
        consistent=consistent, hoc_approach=hoc_approach,
        interaction_approach=interaction_approach, correlation=correlation, columns=columns,
        codebook=codebook, weighting=weighting,
        composites=None if composites is None else [str(c) for c in composites]))
    result = _pls(data, model, scheme=scheme, tol=tol, max_iter=max_iter, missing=missing,
                  na=na, weights=weights, scaling=scaling, stop_rule=stop_rule,
                  allow_nonconvergence=allow_nonconvergence, consistent=consistent,
                  hoc_approach=hoc_approach, interaction_approach=interaction_approach,
                  correlation=correlation, columns=columns, codebook=codebook,
                  weighting=weighting, composites=composites)
    result._recipe = recipe
    return _checked(result)


def _refit(data: Any, model: Any, settings: dict) -> "PlsResult":
    """Unpickles a fit: the same call on the same (pickled) data or moments.
    The estimation is deterministic, so the result equals the pickled fit."""
    result = _pls(data, model, **settings)
    result._recipe = (data, model, settings)
    return result


def _pls(data: Any, model: Any, *, scheme: str, tol: float, max_iter: int, missing: str,
         na: Any, weights: Optional[str], scaling: str, stop_rule: str,
         allow_nonconvergence: bool, consistent: bool, hoc_approach: str,
         interaction_approach: str, correlation: str, columns: Optional[Sequence[str]],
         codebook: Any, weighting: str = "pls",
         composites: Optional[Sequence[str]] = None) -> "PlsResult":
    if isinstance(data, ReplicateMoments):
        data = data.moments
    settings = _csikit.PlsSettings(
        scheme=scheme, tol=float(tol), max_iter=int(max_iter), missing=missing,
        weights=weights, scaling=scaling, stop_rule=stop_rule,
        allow_nonconvergence=bool(allow_nonconvergence), consistent=bool(consistent),
        hoc_approach=hoc_approach, interaction_approach=interaction_approach,
        correlation=correlation, weighting=weighting,
        composites=[str(c) for c in (composites or [])])
    if isinstance(data, Moments):
        if weights is not None or na is not None:
            raise ValueError("weights= and na= apply when the moments are computed (csikit.moments)")
        if codebook is not None:
            raise ValueError("codebook= applies to rows: recode them before computing the moments")
        return PlsResult(_csikit.pls_fit_moments(data, _model(model), settings))
    cb = _codebook(codebook)
    if isinstance(data, (str, os.PathLike)):
        fit = _csikit.pls_fit_csv(os.fspath(data), _model(model), settings, na=_na_list(na),
                                  codebook=cb)
        return PlsResult(fit, None, na, csv=(os.fspath(data), None), weights=weights)
    m = _model(model)
    frame = _as_frame(data, columns)
    needed = list(m.indicators) + ([weights] if weights is not None else [])
    needed += [c for c in (cb.items if cb is not None else []) if c not in needed]
    fit = _csikit.pls_fit(_columns(frame, needed), m, settings, na=_na_list(na), codebook=cb)
    return PlsResult(fit, frame, na, weights=weights)


class ConvergenceWarning(UserWarning):
    """A fit that did not converge was kept (``allow_nonconvergence=True``):
    its estimates are those of the last iteration."""


def _checked(result: PlsResult) -> PlsResult:
    """Warns (:class:`ConvergenceWarning`) when the fit did not converge, so a
    kept non-converged fit is never silent in a notebook or a log."""
    if not result.converged:
        import warnings

        warnings.warn(
            f"the PLS iteration did not converge in {result.iterations} iterations; "
            "the estimates are those of the last iteration (raise max_iter= or tol=, "
            "or check the model)",
            ConvergenceWarning,
            stacklevel=3,
        )
    return result

def _scale(scale: Any) -> Optional[tuple[float, float]]:
    if scale is None:
        return None
    lo, hi = scale
    return (float(lo), float(hi))


def _item_scales(item_scales: Optional[Mapping[str, Any]]) -> list:
    return [(str(k), _scale(v)) for k, v in (item_scales or {}).items()]


class _Result:
    """A library result held by the compiled core (in the library's serde
    data model): scalars and nested parts with ``_get``, tables as columns
    with ``_table``; :meth:`to_dict` is its JSON document as a new dict."""

    def __init__(self, doc: Any, path: str = ""):
        self._doc = doc
        self._path = path

    def _key(self, key: str) -> str:
        return f"{self._path}/{key}" if self._path else key

    def _get(self, key: str) -> Any:
        return self._doc.get(self._key(key))

    def _table(self, key: str, order: Sequence[str] = (), normalized: bool = False,
               **spread: Any) -> pd.DataFrame:
        """The table at `key` (``*`` iterates a list; see ``Document.table``
        for `spread`), columns `order` first."""
        return _frame(self._doc.table(self._key(key), **spread), order, normalized)

    def to_dict(self) -> dict:
        """The library's result as a dict (its serde JSON)."""
        return self._doc.get(self._path)

    @property
    def report_markdown(self) -> Optional[str]:
        """The analysis's report as Markdown, in the language asked for
        (``lang=``; charts linked as ``NAME.svg``, see :attr:`charts`); None
        when the analysis writes no report."""
        return getattr(self._doc, "markdown", None)

    @property
    def report_html(self) -> Optional[str]:
        """The analysis's report as one self-contained HTML page (charts
        inline), in the language asked for; None without a report."""
        return getattr(self._doc, "html", None)

    @property
    def charts(self) -> dict:
        """The report's charts: name -> SVG text (empty without a report)."""
        return dict(getattr(self._doc, "charts", []))


class Assessment(_Result):
    """The assessment of a fit (:meth:`PlsResult.assess`; the library's ``Assessment``).

    DataFrames: ``reliability`` (index = construct: mode, n_indicators,
    single_item, cronbach_alpha, rho_c, rho_a, ave, sqrt_ave, max_correlation,
    fornell_larcker_met, r_squared), ``fornell_larcker`` (√AVE on the diagonal,
    construct correlations elsewhere), ``cross_loadings``, ``htmt``,
    ``htmt_signed``, ``htmt2`` (a, b, value; HTMT2 NaN where undefined),
    ``vif_outer`` (Mode B indicators), ``vif_inner``, ``f_squared``,
    ``model_fit`` (rows estimated / saturated; columns srmr, d_uls, d_g);
    issue 18: ``vif_indicators`` (every block), ``reliability_composite``
    (Mode B blocks, as cSEM; limited meaning), ``htmt_all`` (every pair,
    with its ``basis``), ``f_squared_reestimated`` (seminr's f²) and
    ``information_criteria`` (AIC, AICc, BIC, HQ per endogenous construct).
    Scalars: ``srmr``, ``d_uls``, ``d_g`` (estimated model), ``gof``, ``consistent``.
    ``str(assessment)`` is the library's readable report.
    """

    def __init__(self, doc: Any, text: str = ""):
        super().__init__(doc)
        self._text = text

    def __str__(self) -> str:
        return self._text

    consistent = property(lambda self: self._get("consistent"), doc="Whether the fit was PLSc.")
    gof = property(lambda self: self._get("gof"), doc="Goodness of fit (Tenenhaus et al. 2004).")
    srmr = property(lambda self: self._get("fit_estimated/srmr"),
                    doc="SRMR of the estimated model (Hu & Bentler 1998; as cSEM).")
    d_uls = property(lambda self: self._get("fit_estimated/d_uls"),
                     doc="d_ULS of the estimated model (Dijkstra & Henseler 2015).")
    d_g = property(lambda self: self._get("fit_estimated/d_g"),
                   doc="d_G of the estimated model (None where undefined).")

    @property
    def reliability(self) -> pd.DataFrame:
        """Reliability and convergent/discriminant validity per construct."""
        return self._table("reliability", [
            "construct", "mode", "n_indicators", "single_item", "cronbach_alpha", "rho_c",
            "rho_a", "ave", "sqrt_ave", "max_correlation", "fornell_larcker_met", "r_squared",
        ]).set_index("construct")

    @property
    def fornell_larcker(self) -> pd.DataFrame:
        """Fornell–Larcker matrix: √AVE on the diagonal (NaN for Mode B)."""
        return _matrix(self._get("fornell_larcker"))

    @property
    def cross_loadings(self) -> pd.DataFrame:
        """Indicators (rows) × constructs: correlations with the composites."""
        return _matrix(self._get("cross_loadings"))

    @property
    def htmt(self) -> pd.DataFrame:
        """HTMT from absolute correlations (Henseler et al. 2015): a, b, value."""
        return self._table("htmt", ["a", "b", "value"])

    @property
    def htmt_signed(self) -> pd.DataFrame:
        """HTMT from signed correlations (cSEM): a, b, value."""
        return self._table("htmt_signed", ["a", "b", "value"])

    @property
    def htmt2(self) -> pd.DataFrame:
        """HTMT2 (Roemer, Schuberth & Henseler 2021): a, b, value (NaN where undefined)."""
        return self._table("htmt2", ["a", "b", "value"]).astype({"value": np.float64})

    @property
    def vif_outer(self) -> pd.DataFrame:
        """Indicator VIF of the Mode B blocks: indicator, construct, value."""
        return self._table("vif_outer", ["indicator", "construct", "value"])

    @property
    def vif_inner(self) -> pd.DataFrame:
        """Inner VIF: from, to, value."""
        return self._table("vif_inner", ["from", "to", "value"])

    @property
    def f_squared(self) -> pd.DataFrame:
        """Cohen's f² per path (cSEM / SmartPLS definition): from, to, value."""
        return self._table("f_squared", ["from", "to", "value"])

    @property
    def model_fit(self) -> pd.DataFrame:
        """SRMR, d_ULS, d_G of the estimated and the saturated model."""
        rows = [dict(self._get("fit_estimated")), dict(self._get("fit_saturated"))]
        return _table(rows, ["srmr", "d_uls", "d_g"]).set_axis(["estimated", "saturated"])

    @property
    def vif_indicators(self) -> pd.DataFrame:
        """Indicator VIF of every block (seminr, ADANCO): indicator, construct, value."""
        return self._table("vif_indicators", ["indicator", "construct", "value"])

    @property
    def reliability_composite(self) -> pd.DataFrame:
        """Alpha, rho_c, rho_A, AVE of the Mode B blocks (as cSEM; a composite
        need not have one common factor, so their meaning is limited); index =
        construct."""
        return self._table("reliability_composite", [
            "construct", "n_indicators", "composite", "cronbach_alpha", "rho_c", "rho_a", "ave",
        ]).astype({"cronbach_alpha": np.float64, "rho_a": np.float64}).set_index("construct")

    @property
    def htmt_all(self) -> pd.DataFrame:
        """HTMT of every pair: a, b, basis (reflective, single_item, composite),
        value, signed, htmt2 (NaN where undefined)."""
        return self._table("htmt_all", ["a", "b", "basis", "value", "signed", "htmt2"]).astype(
            {"value": np.float64, "signed": np.float64, "htmt2": np.float64})

    @property
    def f_squared_reestimated(self) -> pd.DataFrame:
        """f² by re-estimating the model without each path (seminr): from, to, value."""
        return self._table("f_squared_reestimated", ["from", "to", "value"]).astype(
            {"value": np.float64})

    @property
    def information_criteria(self) -> pd.DataFrame:
        """AIC, AICc, BIC, HQ per endogenous construct (SSE = (n − 1)(1 − R²),
        k = predictors + 1); index = construct."""
        return self._table("information_criteria", [
            "construct", "n", "k", "sse", "aic", "aicc", "bic", "hq",
        ]).astype({c: np.float64 for c in ["aic", "aicc", "bic", "hq"]}).set_index("construct")

    def __repr__(self) -> str:
        return f"<csikit.Assessment: SRMR={self.srmr:.4f}, consistent={self.consistent}>"


class Blindfolding(_Result):
    """Q² by blindfolding (:meth:`PlsResult.q2`): ``constructs`` (construct,
    sso, sse, q2), ``omission_distance``, ``n_observations``, ``n_dropped``."""

    omission_distance = property(lambda self: self._get("omission_distance"), doc="D.")
    n_observations = property(lambda self: self._get("n_observations"), doc="Rows used.")
    n_dropped = property(lambda self: self._get("n_dropped"), doc="Rows dropped (missing values).")
    scale = property(lambda self: self._get("scale"),
                     doc="How predictions were rescaled: observed or mean_replaced.")

    @property
    def constructs(self) -> pd.DataFrame:
        """Per endogenous construct: construct, sso, sse, q2 = 1 − SSE/SSO."""
        return self._table("constructs", ["construct", "sso", "sse", "q2"])

    def __repr__(self) -> str:
        return f"<csikit.Blindfolding: D={self.omission_distance}, n={self.n_observations}>"


class PredictResult(_Result):
    """PLSpredict (:meth:`PlsResult.predict`): ``indicators`` (indicator,
    construct, pls_rmse, pls_mae, lm_rmse, lm_mae, q2_predict, lm_q2_predict),
    out-of-sample ``predictions`` and ``lm_predictions`` (rows indexed like
    the data, averaged over repetitions); scalars ``folds``, ``seed``,
    ``repetitions``, ``approach``, ``n_observations``, ``n_dropped``."""

    def __init__(self, doc: Any, predictions: dict, index: Any):
        super().__init__(doc)
        self._pred = predictions
        self._index = index

    folds = property(lambda self: self._get("folds"), doc="k.")
    seed = property(lambda self: self._get("seed"), doc="Seed of the fold assignment.")
    repetitions = property(lambda self: self._get("repetitions"), doc="Repetitions of the split.")
    approach = property(lambda self: self._get("approach"), doc="earliest_antecedents or direct_antecedents.")
    n_observations = property(lambda self: self._get("n_observations"), doc="Complete rows used.")
    n_dropped = property(lambda self: self._get("n_dropped"), doc="Rows left out (missing values).")

    @property
    def indicators(self) -> pd.DataFrame:
        """Prediction metrics per target indicator (PLS and the LM benchmark)."""
        return self._table("indicators", ["indicator", "construct", "pls_rmse", "pls_mae",
                                          "lm_rmse", "lm_mae", "q2_predict", "lm_q2_predict"])

    def _preds(self, key: str) -> pd.DataFrame:
        m = self._pred[key]
        rows = np.asarray(self._pred["rows"], dtype=np.int64)
        values = np.asarray(m["data"], dtype=np.float64).reshape(len(rows), len(m["cols"]))
        return pd.DataFrame(values, index=self._index[rows], columns=list(m["cols"]))

    @property
    def predictions(self) -> pd.DataFrame:
        """Out-of-sample PLS predictions (rows × target indicators, indicator units)."""
        return self._preds("pls")

    @property
    def lm_predictions(self) -> pd.DataFrame:
        """Out-of-sample predictions of the linear-model benchmark."""
        return self._preds("lm")

    def __repr__(self) -> str:
        return (f"<csikit.PredictResult: {self.folds} folds x {self.repetitions}, "
                f"seed {self.seed}, {len(self.indicators)} indicators>")


_BOOT_COLUMNS = ["estimate", "mean", "std_error", "bias", "t", "p", "ci_lower", "ci_upper",
                 "bca_lower", "bca_upper"]


class BootstrapResult(_Result):
    """The bootstrap of a PLS path model (:meth:`PlsResult.bootstrap`; the
    ``bootstrap`` object of the ``pls`` example's JSON). DataFrames with the
    columns estimate, mean, std_error, bias, t, p, ci_lower, ci_upper
    (percentile), bca_lower, bca_upper (BCa; NaN where undefined or not
    computed): ``paths``, ``total_effects``, ``indirect_effects`` (from, to),
    ``loadings``, ``weights`` (indicator, construct), ``r_squared``
    (construct), ``htmt`` (a, b). Scalars ``resamples``, ``seed``,
    ``failed`` (degenerate resamples, dropped), ``failed_by`` (by reason),
    ``confidence``, ``sign_change``, ``n_observations``, ``jackknife_failed``."""

    resamples = property(lambda self: self._get("resamples"), doc="Resamples drawn.")
    seed = property(lambda self: self._get("seed"), doc="The seed.")
    failed = property(lambda self: self._get("failed"), doc="Degenerate resamples (dropped).")
    failed_by = property(lambda self: dict(self._get("failed_by")),
                         doc="Degenerate resamples by reason.")
    confidence = property(lambda self: self._get("confidence"), doc="Interval level.")
    sign_change = property(lambda self: self._get("sign_change"), doc="Sign-change option.")
    n_observations = property(lambda self: self._get("n_observations"), doc="Rows resampled.")
    jackknife_failed = property(lambda self: self._get("jackknife_failed"),
                                doc="Failed leave-one-out fits of the BCa jackknife (None without BCa).")

    def _frame(self, key: str, ids: Sequence[str]) -> pd.DataFrame:
        return self._table(key, [*ids, *_BOOT_COLUMNS])

    paths = property(lambda self: self._frame("paths", ["from", "to"]), doc="Structural paths.")
    total_effects = property(lambda self: self._frame("total_effects", ["from", "to"]),
                             doc="Total effects.")
    indirect_effects = property(lambda self: self._frame("indirect_effects", ["from", "to"]),
                                doc="Indirect effects.")
    loadings = property(lambda self: self._frame("loadings", ["indicator", "construct"]),
                        doc="Loadings.")
    weights = property(lambda self: self._frame("weights", ["indicator", "construct"]),
                       doc="Outer weights.")
    r_squared = property(lambda self: self._frame("r_squared", ["construct"]),
                         doc="R² of the endogenous constructs.")
    htmt = property(lambda self: self._frame("htmt", ["a", "b"]), doc="HTMT of construct pairs.")
    specific_indirect_effects = property(
        lambda self: (self._frame("specific_indirect_effects", ["from", "to", "via", "chain"])
                      if self._get("specific_indirect_effects") is not None
                      else pd.DataFrame(columns=["from", "to", "via", "chain", *_BOOT_COLUMNS])),
        doc="Specific indirect effects (``specific_indirect=True``; empty otherwise).")

    def __repr__(self) -> str:
        return (f"<csikit.BootstrapResult: {self.resamples} resamples (seed {self.seed}), "
                f"{self.failed} failed, {len(self.paths)} paths>")


class MgaResult(_Result):
    """A multi-group analysis (:func:`mga`; the ``groups`` object of the
    ``pls`` example's JSON). DataFrames, one row per parameter and pair of
    groups (group_a, group_b; difference = a − b): ``paths`` (from, to),
    ``loadings``, ``weights`` (indicator, construct), each with estimate_a,
    estimate_b, difference, p_permutation, p_adjusted; ``micom`` (construct,
    group_a, group_b, c, c_quantile, c_p, compositional_invariance,
    mean_difference, mean_lower, mean_upper, mean_p, equal_means,
    log_variance_ratio, variance_lower, variance_upper, variance_p,
    equal_variances, invariance). Scalars ``column``, ``levels``, ``n``
    (rows per level), ``n_missing_label``, ``permutations``, ``seed``,
    ``correction``, ``alpha``, ``failed_permutations``, ``failed_by``."""

    column = property(lambda self: self._get("column"), doc="The group column.")
    levels = property(lambda self: list(self._get("levels")), doc="Group levels (sorted).")
    n = property(lambda self: dict(self._get("n")), doc="Rows per level.")
    n_missing_label = property(lambda self: self._get("n_missing_label"),
                               doc="Rows without a level (in no group).")
    permutations = property(lambda self: self._get("permutations"), doc="Permutations per pair.")
    seed = property(lambda self: self._get("seed"), doc="The seed.")
    correction = property(lambda self: self._get("correction"), doc="Multiple-testing correction.")
    alpha = property(lambda self: self._get("alpha"), doc="Level of the MICOM decisions.")
    failed_permutations = property(lambda self: self._get("failed_permutations"),
                                   doc="Degenerate permutations (dropped).")
    failed_by = property(lambda self: dict(self._get("failed_by")),
                         doc="Degenerate permutations by reason.")

    _DIFF = ["group_a", "group_b", "estimate_a", "estimate_b", "difference", "p_permutation",
             "p_adjusted"]

    paths = property(lambda self: self._table("paths", ["from", "to", *self._DIFF], pairs=True),
                     doc="Path differences with permutation p-values.")
    loadings = property(lambda self: self._table("loadings",
                                                 ["indicator", "construct", *self._DIFF],
                                                 pairs=True),
                        doc="Loading differences.")
    weights = property(lambda self: self._table("weights", ["indicator", "construct", *self._DIFF],
                                                pairs=True),
                       doc="Outer-weight differences.")
    micom = property(lambda self: self._table("micom", ["construct", "group_a", "group_b"],
                                              pairs=True),
                     doc="MICOM (Henseler, Ringle & Sarstedt 2016) per construct and pair.")

    def __repr__(self) -> str:
        return (f"<csikit.MgaResult: column {self.column!r}, levels {self.levels}, "
                f"{self.permutations} permutations>")


def mga(
    data: Any,
    model: Union[str, Model],
    group: str,
    *,
    permutations: int = 999,
    seed: SeedLike = 1,
    correction: str = "holm",
    alpha: float = 0.05,
    max_failed_share: float = 0.5,
    keep_inadmissible: bool = False,
    threads: Optional[int] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    na: Any = None,
    **pls_settings: Any,
) -> MgaResult:
    """Multi-group analysis by the levels of the `group` column: the model is
    fitted per level (levels sorted), each pair's differences of paths,
    loadings and weights are tested with a two-sided permutation test
    (Chin & Dibbern 2010; `permutations` per pair, seeded), p-values adjusted
    over the pairs (`correction` ``"holm"``, ``"bonferroni"`` or ``"none"``),
    and measurement invariance is checked with MICOM (Henseler, Ringle &
    Sarstedt 2016) at level `alpha`. `pls_settings` are :func:`pls`'s.
    GIL released; Ctrl-C stops it; ``progress(done, total)`` is called now
    and then.

    >>> r = csikit.mga(csikit.simulate_survey(600, seed=2), csikit.ecsi_model(), "plan",
    ...                permutations=99, seed=3)
    >>> r.levels, list(r.paths.columns[:4])
    (['bundle', 'postpaid', 'prepaid'], ['from', 'to', 'group_a', 'group_b'])
    >>> len(r.micom) == 3 * 7      # 3 pairs x 7 constructs
    True
    """
    fit = pls(data, model, na=na, **pls_settings)
    return fit.mga(group, permutations=permutations, seed=seed, correction=correction,
                   alpha=alpha, max_failed_share=max_failed_share,
                   keep_inadmissible=keep_inadmissible, threads=threads, progress=progress,
                   data=data if isinstance(data, (str, os.PathLike)) else None)


class IndexResult(_Result):
    """The 0–100 index (:meth:`PlsResult.index`): ``constructs`` (construct,
    index, sd, std_error, ci_lower, ci_upper, ci_level, ci_method,
    score_ci_lower, score_ci_upper, score_ci_level, score_ci_method; ``ci`` is
    the bootstrap interval when one was run, else the score interval),
    ``indicators`` (indicator, construct, scale_min, scale_max, weight,
    unstandardized, normalized, rescaled, mean, performance), ``warnings``, ``n``."""

    def __init__(self, core: Any):
        super().__init__(core.document())
        self._core = core

    n = property(lambda self: self._get("n"), doc="Rows behind the index.")
    warnings = property(lambda self: list(self._get("warnings")),
                        doc="Negative weights or indices outside [0, 100] (dicts with a `kind`).")

    @property
    def constructs(self) -> pd.DataFrame:
        """Index per construct with its SE and interval."""
        return self._table("constructs", ["construct", "index", "sd", "std_error",
                                          *_interval_columns(), *_interval_columns("score_ci")],
                           intervals=["ci", "score_ci"])

    @property
    def indicators(self) -> pd.DataFrame:
        """Per indicator: its scale, weights (raw, unstandardized, normalized,
        rescaled), mean and performance (mean rescaled to 0–100)."""
        return self._table("indicators",
                           ["indicator", "construct", "scale_min", "scale_max", "weight",
                            "unstandardized", "normalized", "rescaled", "mean", "performance"],
                           nested=["scale"])

    def _values(self) -> dict:
        c = self._doc.table("constructs", columns=["construct", "index"])
        return dict(zip(c.get("construct", []), c.get("index", [])))

    def value(self, construct: str) -> Optional[float]:
        """The index of one construct (None if not in the model)."""
        return self._values().get(construct)

    def to_svg(self, title: str = "Index (0-100)") -> str:
        """Bars of the index per construct with intervals (the library's chart), SVG text."""
        return self._core.svg(title)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        vals = ", ".join(f"{c}={v:.1f}" for c, v in self._values().items())
        return f"<csikit.IndexResult: {vals}>"


class IpmaResult(_Result):
    """An importance–performance map (:meth:`PlsResult.ipma`): ``constructs``
    (name, importance, performance, impact, quadrant, importance_ci_*),
    ``indicators`` (indicator, construct, importance, performance, quadrant,
    importance_ci_*; the intervals are NaN without the bootstrap),
    ``short_boards`` and ``indicator_short_boards`` (rank, name, construct,
    importance, performance, potential_gain); ``target``, ``target_index``,
    ``construct_split``, ``indicator_split`` ((importance, performance)), ``ranking``."""

    def __init__(self, core: Any):
        super().__init__(core.document())
        self._core = core

    target = property(lambda self: self._get("target"), doc="Target construct.")
    target_index = property(lambda self: self._get("target_index"), doc="The target's index.")
    construct_split = property(lambda self: tuple(self._get("construct_split")),
                               doc="(importance, performance) quadrant split of the constructs.")
    indicator_split = property(lambda self: tuple(self._get("indicator_split")),
                               doc="(importance, performance) quadrant split of the indicators.")
    ranking = property(lambda self: self._get("ranking"), doc="Ranking rule of the short boards.")

    @property
    def constructs(self) -> pd.DataFrame:
        """Drivers of the target: importance (total effect), performance (index), quadrant."""
        return self._table("constructs", ["name", "importance", "performance", "impact",
                                          "quadrant", *_interval_columns("importance_ci")],
                           intervals=["importance_ci"])

    @property
    def indicators(self) -> pd.DataFrame:
        """The drivers' indicators on the map."""
        return self._table("indicators", ["indicator", "construct", "importance", "performance",
                                          "quadrant", *_interval_columns("importance_ci")],
                           intervals=["importance_ci"])

    @property
    def short_boards(self) -> pd.DataFrame:
        """Constructs in the "concentrate here" quadrant, ranked."""
        return self._table("short_boards", ["rank", "name", "construct", "importance",
                                            "performance", "potential_gain"])

    @property
    def indicator_short_boards(self) -> pd.DataFrame:
        """Indicators in the "concentrate here" quadrant, ranked."""
        return self._table("indicator_short_boards", ["rank", "name", "construct",
                                                      "importance", "performance",
                                                      "potential_gain"])

    def to_svg(self, level: str = "constructs") -> str:
        """The map as SVG text (the library's chart), ``level`` "constructs" or "indicators"."""
        return self._core.svg(level)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        boards = list(self.short_boards["name"])
        return f"<csikit.IpmaResult: target {self.target}, short boards {boards}>"


class CsiGroups(_Result):
    """CSI estimates per segment or period (:func:`csi_segments`,
    :func:`csi_periods`; the library's ``GroupAnalysis``). Long DataFrames with
    a ``label`` column: ``groups`` (label, n, target_r_squared), ``index``,
    ``impacts``, ``paths``, ``ipma``, ``short_boards``; ``skipped`` (groups
    below the minimum size, with the reason), ``index_differences`` and
    ``impact_differences`` (between pairs of segments, or as the period
    comparisons asked). With the bootstrap (``bootstrap=N``) the intervals of
    the index, impacts and importances are bootstrap percentile intervals, and
    the differences' ``std_error``, ``p_value`` and ``ci_*`` come from the
    differences of independent draws (the score-based ones stay in
    ``score_*``); ``bootstrap`` has the runs per group. Scalars ``column``,
    ``kind``, ``target``, ``min_group_size``, ``n_missing_label`` (rows
    without a label)."""

    def __init__(self, core: Any):
        super().__init__(core.document())
        self._core = core

    column = property(lambda self: self._get("column"), doc="The segment or period column.")
    kind = property(lambda self: self._get("kind"), doc='"segment" or "period".')
    target = property(lambda self: self._get("target"), doc="Target of impacts and IPMA.")
    min_group_size = property(lambda self: self._get("min_group_size"), doc="Minimum usable rows.")
    n_missing_label = property(lambda self: self._get("n_missing_label"),
                               doc="Rows without a label (in no group).")

    def _long(self, part: str, columns: Sequence[str], intervals=("ci",)) -> pd.DataFrame:
        """The table `part` of every group, stacked, with a leading ``label``."""
        return self._table(f"groups/*/{part}", ["label", *columns], label="label",
                           intervals=list(intervals))

    @property
    def groups(self) -> pd.DataFrame:
        """One row per estimated group: label, n, target_r_squared."""
        return self._table("groups", ["label", "n", "target_r_squared"],
                           columns=["label", "n", "target_r_squared"])

    @property
    def index(self) -> pd.DataFrame:
        """Index per group and construct (pivot with
        ``.pivot(index="label", columns="construct", values="index")``)."""
        return self._long("index/constructs",
                          ["construct", "index", "sd", "std_error", *_interval_columns(),
                           *_interval_columns("score_ci")], ("ci", "score_ci"))

    @property
    def impacts(self) -> pd.DataFrame:
        """Impacts on the target per group."""
        return self._long("impacts", ["driver", "target", "total_effect_std",
                                      "total_effect", "impact", *_interval_columns()])

    @property
    def paths(self) -> pd.DataFrame:
        """Structural paths per group: label, from, to, estimate, std_error, t, p."""
        return self._long("paths", ["from", "to", "estimate", "std_error", "t", "p"])

    @property
    def ipma(self) -> pd.DataFrame:
        """The target's IPMA per group (constructs)."""
        return self._long("ipma/constructs",
                          ["name", "importance", "performance", "impact", "quadrant",
                           *_interval_columns("importance_ci")], ("importance_ci",))

    @property
    def short_boards(self) -> pd.DataFrame:
        """The target's short boards per group."""
        return self._long("ipma/short_boards",
                          ["rank", "name", "construct", "importance", "performance",
                           "potential_gain"], ())

    @property
    def bootstrap(self) -> pd.DataFrame:
        """The bootstrap per group (empty without it): label, resamples, seed,
        failed, confidence, n_observations."""
        cols = ["resamples", "seed", "failed", "confidence", "n_observations"]
        return self._table("groups/*/bootstrap", ["label", *cols], label="label", columns=cols)

    @property
    def skipped(self) -> pd.DataFrame:
        """Groups left out (too small, or failed), with the reason: label, n, reason."""
        return self._table("skipped", ["label", "n", "reason"])

    @property
    def index_differences(self) -> pd.DataFrame:
        """Index differences (to − from) with SE, p-value and interval
        (bootstrap with ``bootstrap=N``, else normal; ``score_*``: normal)."""
        return self._table("index_differences",
                           ["construct", "from", "to", "comparison", "difference", "std_error",
                            "p_value", *_interval_columns(), "score_std_error", "score_p_value",
                            *_interval_columns("score_ci")], intervals=["ci", "score_ci"])

    @property
    def impact_differences(self) -> pd.DataFrame:
        """Impact differences (to − from); SE, p-value and interval need the
        bootstrap (``bootstrap=N``; NaN without it)."""
        return self._table("impact_differences",
                           ["driver", "from", "to", "comparison", "difference", "std_error",
                            "p_value", *_interval_columns()], intervals=["ci"])

    def to_svg(self, construct: Optional[str] = None) -> str:
        """One construct's index per segment (bars) or over periods (trend), as
        SVG text (the library's chart); default: the target."""
        return self._core.svg(construct or self.target)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        return (f"<csikit.CsiGroups: {self.kind} column {self.column!r}, "
                f"{len(self.groups)} groups, {len(self.skipped)} skipped>")


def _settings(scheme: str = "path", tol: float = 1e-7, max_iter: int = 300,
              missing: str = "listwise", weights: Optional[str] = None,
              scaling: str = "standardized", stop_rule: str = "max_abs_change",
              allow_nonconvergence: bool = False, consistent: bool = False,
              hoc_approach: str = "repeated", interaction_approach: str = "product",
              correlation: str = "pearson", weighting: str = "pls",
              composites: Optional[Sequence[str]] = None) -> Any:
    """The PLS settings of :func:`pls` (the library's ``PlsSettings``, checked
    by the compiled core; an error names the keyword)."""
    return _csikit.PlsSettings(
        scheme=scheme, tol=float(tol), max_iter=int(max_iter), missing=missing,
        weights=weights, scaling=scaling, stop_rule=stop_rule,
        allow_nonconvergence=bool(allow_nonconvergence), consistent=bool(consistent),
        hoc_approach=hoc_approach, interaction_approach=interaction_approach,
        correlation=correlation, weighting=weighting,
        composites=[str(c) for c in (composites or [])])


def _group_columns(data: Any, model: Model, extra: Sequence[Optional[str]]) -> list:
    frame = _as_frame(data)
    needed = list(model.indicators)
    needed += [c for c in extra if c is not None and c not in needed]
    return _columns(frame, needed)


def csi_segments(
    data: Any,
    model: Union[str, Model],
    segment: str,
    *,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    target: Optional[str] = None,
    min_group_size: int = 30,
    small_groups: str = "skip",
    level: float = 0.95,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    na: Any = None,
    **pls_settings: Any,
) -> CsiGroups:
    """The CSI model fitted per level of the `segment` column (levels sorted,
    numerically when all are numbers): index, impacts, paths and the target's
    IPMA per group, and the index differences of every pair of groups with a
    normal interval. With ``bootstrap=N`` every group is bootstrapped on its
    own rows (seeded by `seed` and the group's label): percentile intervals of
    the index, impacts and importances, and bootstrap SE, p-value and
    interval of the index and impact differences, at level `level` (off by
    default: it costs N fits per group). Groups with fewer than `min_group_size` usable rows are
    skipped (listed in ``skipped``) or, with ``small_groups="error"``, raise
    :class:`DataError`. `target` defaults to Satisfaction (or the last
    construct in causal order). `pls_settings` are :func:`pls`'s (scheme,
    tol, max_iter, missing, weights, scaling, stop_rule, consistent, …).
    GIL released.

    >>> df = csikit.simulate_survey(1200, seed=5)
    >>> by = csikit.csi_segments(df, csikit.ecsi_model(), "region", scale=(1, 10))
    >>> by.groups["label"].tolist()
    ['east', 'north', 'south', 'west']
    >>> len(by.index_differences) == 6 * 7      # 6 pairs x 7 constructs
    True
    >>> tiers = csikit.csi_segments(csikit.simulate_survey(3000, seed=17), csikit.ecsi_model(),
    ...                             "arpu_tier", scale=(1, 10), bootstrap=200, seed=9)
    >>> d = tiers.impact_differences.set_index(["driver", "from", "to"]).loc[("Value", "high", "low")]
    >>> bool(d["difference"] > 0 and d["ci_lower"] > 0 and d["p_value"] < 0.05)
    True
    """
    m = _model(model)
    core = _csikit.csi_groups(
        _group_columns(data, m, [segment, pls_settings.get("weights")]), m, segment,
        _settings(**pls_settings), kind="segment", scale=_scale(scale),
        item_scales=_item_scales(item_scales), target=target,
        min_group_size=int(min_group_size), small_groups=small_groups, level=float(level),
        na=_na_list(na), bootstrap=None if bootstrap is None else int(bootstrap),
        seed=_seed(seed))
    return CsiGroups(core)


def csi_periods(
    data: Any,
    model: Union[str, Model],
    period: str,
    *,
    previous: bool = True,
    lag: Optional[int] = None,
    base: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    target: Optional[str] = None,
    min_group_size: int = 30,
    small_groups: str = "skip",
    level: float = 0.95,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    na: Any = None,
    **pls_settings: Any,
) -> CsiGroups:
    """The CSI model fitted per period of the `period` column (in time order:
    numerically when all labels are numbers, else as text, which orders
    ``YYYY-MM``), compared with the previous period (`previous`), with the
    period `lag` steps earlier (e.g. 12: year over year for monthly data) and
    with a fixed `base` period. Otherwise as :func:`csi_segments`.

    >>> df = csikit.simulate_survey(900, seed=5, months=3)
    >>> by = csikit.csi_periods(df, csikit.ecsi_model(), "month", scale=(1, 10))
    >>> by.groups["label"].tolist(), sorted(set(by.index_differences["comparison"]))
    (['1', '2', '3'], ['previous'])
    """
    m = _model(model)
    core = _csikit.csi_groups(
        _group_columns(data, m, [period, pls_settings.get("weights")]), m, period,
        _settings(**pls_settings), kind="period", scale=_scale(scale),
        item_scales=_item_scales(item_scales), target=target,
        min_group_size=int(min_group_size), small_groups=small_groups, level=float(level),
        previous=bool(previous), lag=lag, base=None if base is None else str(base),
        na=_na_list(na), bootstrap=None if bootstrap is None else int(bootstrap),
        seed=_seed(seed))
    return CsiGroups(core)


def acsi_report(
    data: Any,
    model: Union[str, Model],
    out: Union[str, os.PathLike],
    *,
    segments: Sequence[str] = (),
    period: Optional[str] = None,
    previous: bool = True,
    lag: Optional[int] = 12,
    base: Optional[str] = None,
    target: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[Mapping[str, tuple[float, float]]] = None,
    min_group_size: int = 30,
    title: Optional[str] = None,
    description: Optional[str] = None,
    notes: Sequence[str] = (),
    model_name: Optional[str] = None,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    level: float = 0.95,
    na: Any = None,
    codebook: Any = None,
    lang: str = "en",
    bins: Union[Mapping[str, Any], Sequence[str]] = (),
    key_drivers: bool = True,
    dissatisfied_at: float = 50.0,
    **pls_settings: Any,
) -> list:
    """Writes the analyst's CSI report (as the ``acsi`` example) into the folder
    `out`: ``report.md``, a self-contained ``report.html``, ``charts/*.svg``
    and ``tables/*.csv`` — index, impacts, IPMA with the short boards, each
    segment column of `segments`, and the trend over `period`. Returns the
    paths written. `model_name` names the template in the report (default:
    "ECSI" for :func:`ecsi_model`, else "custom"). ``bootstrap=N`` (seed
    `seed`, level `level`) bootstraps every fit as :func:`csi_segments` does,
    and the report shows the intervals (``acsi --bootstrap N --seed S``).
    ``codebook=`` (a path or a DataFrame, see :func:`pls`; ``acsi
    --codebook``) recodes the rows first and declares the items' scales and
    labels. ``lang="zh"`` writes the report in Chinese (``acsi --lang zh``;
    default ``"en"``), items shown by the codebook's wording.

    Segments may be crossed (``"region*arpu_tier"``, ``acsi --segment
    A*B``). ``bins=`` cuts numeric columns before the segment analyses
    (``acsi --bin``): ``{"arpu": [50, 100]}`` (cut points) or ``{"arpu":
    "q4"}`` (quartiles), or the command's strings ``["arpu=50,100"]``; name
    the column in `segments` to analyse per bin. ``key_drivers=False`` leaves
    out the "why" section (relative importance of the target's drivers on
    the construct scores beside the PLS importance, and the profile of the
    respondents whose target index is at most `dissatisfied_at`, default 50;
    ``acsi --no-key-drivers``, ``--dissatisfied-at``).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> paths = csikit.acsi_report(csikit.simulate_survey(600, seed=1), csikit.ecsi_model(),
    ...                            out, segments=["region"], scale=(1, 10))
    >>> sorted(p.name for p in paths if p.suffix in (".md", ".html"))
    ['report.html', 'report.md']
    """
    m = _model(model)
    cb = _codebook(codebook)
    bin_specs = _bin_specs(bins)
    parts = [part for s in segments for part in str(s).split("*")]
    extra = [*parts, *(b.split("=", 1)[0] for b in bin_specs), period,
             pls_settings.get("weights"), *(cb.items if cb is not None else [])]
    paths = _csikit.acsi_report(
        _group_columns(data, m, extra), m, os.fspath(out), _settings(**pls_settings),
        segments=[str(s) for s in segments], period=period, previous=bool(previous), lag=lag,
        base=None if base is None else str(base), target=target, scale=_scale(scale),
        item_scales=_item_scales(item_scales), min_group_size=int(min_group_size),
        title=title, description=description, notes=[str(n) for n in notes],
        na=_na_list(na), model_name=model_name,
        bootstrap=None if bootstrap is None else int(bootstrap), seed=_seed(seed),
        level=float(level), codebook=cb, lang=str(lang), bins=bin_specs,
        key_drivers=bool(key_drivers), dissatisfied_at=float(dissatisfied_at))
    import pathlib

    return [pathlib.Path(p) for p in paths]


def _bin_specs(bins: Union[Mapping[str, Any], Sequence[str]]) -> list[str]:
    """``{"arpu": [50, 100]}`` / ``{"arpu": "q4"}`` / ``["arpu=50,100"]`` as
    the command's ``--bin`` strings."""
    if isinstance(bins, str):
        raise TypeError('bins= takes a mapping such as {"arpu": [50, 100]} or a list of '
                        '"column=cuts" strings, not one string')
    if isinstance(bins, Mapping):
        out = []
        for column, cuts in bins.items():
            if isinstance(cuts, str):
                out.append(f"{column}={cuts}")
            else:
                out.append(f"{column}=" + ",".join(repr(float(c)) for c in cuts))
        return out
    return [str(b) for b in bins]


def csi_template(name: str) -> dict:
    """The structure of a CSI template — ``"acsi"`` (Fornell et al. 1996),
    ``"ecsi"`` (ECSI Technical Committee 1998), ``"ccsi"`` (GB/T 19038-2009):
    ``{"name", "constructs", "paths": [[from, to], ...]}``.

    >>> len(csikit.csi_template("acsi")["paths"])
    9
    """
    return _csikit.csi_template(name)


def csi_model(
    template: str,
    blocks: Mapping[str, Sequence[str]],
    *,
    composite: Sequence[str] = (),
    add_paths: Sequence[tuple[str, str]] = (),
    remove_paths: Sequence[tuple[str, str]] = (),
    remove_constructs: Sequence[str] = (),
) -> Model:
    """A CSI template mapped to survey columns: `blocks` maps each construct
    (``Image``, ``Expectation``, ``Quality``, ``Value``, ``Satisfaction``,
    ``Complaints``, ``Loyalty``, ``BrandImage``, ``ExpectedQuality``, or a
    custom name) to its indicators; constructs in `composite` are Mode B. Paths
    and constructs of the template can be removed or added first. Every
    template construct needs indicators (:class:`ModelError` ``UnmappedConstruct``).

    >>> m = csikit.csi_model("acsi", {"Expectation": ["e1", "e2"], "Quality": ["q1", "q2"],
    ...     "Value": ["v1", "v2"], "Satisfaction": ["s1", "s2"], "Complaints": ["c1"],
    ...     "Loyalty": ["l1", "l2"]})
    >>> len(m.paths)
    9
    """
    comp = set(composite)
    bl = [(str(c), "B" if c in comp else "A", [str(i) for i in inds]) for c, inds in blocks.items()]
    return _csikit.csi_model(template, bl, [tuple(map(str, p)) for p in add_paths],
                             [tuple(map(str, p)) for p in remove_paths],
                             [str(c) for c in remove_constructs])


def aggregate_index(units: Any, *, name: str = "total", by: Optional[str] = None) -> pd.DataFrame:
    """Weighted mean of unit indices, Σ w·index / Σ w (ACSI aggregation:
    companies by revenue into industries, industries into sectors, …). `units`:
    a DataFrame (or dict) with columns ``name``, ``index``, ``weight`` (and the
    group column `by`). Returns name, index, weight (the summed weight) — one
    row, or one per group in order of first appearance.

    >>> units = pd.DataFrame({"name": ["A", "B"], "index": [70.0, 80.0], "weight": [300, 100]})
    >>> csikit.aggregate_index(units, name="telecom")["index"].tolist()
    [72.5]
    """
    frame = _as_frame(units)
    rows = [(str(n), float(i), float(w))
            for n, i, w in zip(frame["name"], frame["index"], frame["weight"])]
    groups = None if by is None else [str(g) for g in frame[by]]
    return _frame(_csikit.aggregate_index(rows, name, groups), ["name", "index", "weight"])


def simulate_truth(
    filters: Optional[Mapping[str, Any]] = None, months: int = 12, monthly_drift: float = 0.02,
) -> dict:
    """The exact population values behind :func:`simulate_survey` among the
    respondents matching `filters` (e.g. ``{"region": "south"}``): ``share``
    of the population, ``item_means`` (Series: expected answer per indicator),
    ``paths`` (DataFrame from, to, value: population-average path coefficients).

    >>> t = csikit.simulate_truth({"region": "south"})
    >>> t["share"]
    0.25
    """
    f = [(str(k), str(v)) for k, v in (filters or {}).items()]
    d = _csikit.simulate_truth(f, int(months), float(monthly_drift))
    return {
        "share": d["share"],
        "item_means": pd.Series(d["item_means"], dtype=np.float64),
        "paths": pd.DataFrame(d["paths"], columns=["from", "to", "value"]),
    }



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


def _row_keys(frame: pd.DataFrame, key: Any) -> Any:
    """The rows' keys as the library takes them: the bytes of uint64 values
    (integer keys, or float keys that are whole numbers: the same key gives
    the same weights whichever dtype a partition read it as), or a list of
    str (hashed with FNV-1a 64 by the library)."""
    if key is None:
        raise ValueError(
            "key= is required: the column (or array) of unique row ids that seeds each "
            "row's Poisson weights, so that any partitioning gives the same replicates"
        )
    if isinstance(key, str):
        if key not in frame.columns:
            raise ValueError(f"key column `{key}` is not in the data")
        values = frame[key]
    else:
        values = key
    arr = np.asarray(values)
    if arr.ndim != 1 or len(arr) != len(frame):
        raise ValueError(f"key= has {arr.size} values for {len(frame)} rows")
    kind = arr.dtype.kind
    if kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError("a numeric key must hold whole numbers without missing values")
        arr = arr.astype(np.int64)
        kind = "i"
    if kind in "iu":
        return np.ascontiguousarray(arr.astype(np.int64 if kind == "i" else np.uint64)
                                    .view(np.uint64)).tobytes()
    out = []
    for v in arr.tolist():
        if v is None or (isinstance(v, float) and v != v):
            raise ValueError("the key has missing values: every row needs its id")
        out.append(str(v))
    return out


def replicate_moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    key: Any = None,
    replicates: int = 200,
    seed: SeedLike = 1,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    columns: Optional[Sequence[str]] = None,
) -> ReplicateMoments:
    """The moments of the model's indicators (or of `names`) in `data` and of
    `replicates` **Poisson-bootstrap** replicates: each row gets an independent
    Poisson(1) weight per replicate, a function of (seed, the row's `key`,
    the replicate), so replicate moments computed per partition merge
    exactly (``a + b``, ``sum(parts)``) into those of all rows, whatever the
    partitioning and the row order. Intervals then come from the merged
    replicate moments (:func:`replicate_intervals`) without moving rows.

    `key` is a column name (or an array) of unique row ids: whole numbers, or
    text (hashed with FNV-1a 64). Two rows with one key get the same weights
    (an error within a partition; keys must be unique across partitions).

    Unlike the multinomial bootstrap (:meth:`PlsResult.bootstrap`), whose
    resamples have exactly n rows, a Poisson replicate's total weight is
    random (mean n); for smooth statistics such as PLS estimates both give the
    same standard errors to first order (Hanley & MacGibbon 2006; Chamandy et
    al. 2012, "Estimating uncertainty for massive data streams"), but the draws
    differ, so the intervals differ by Monte Carlo noise. Missing data:
    listwise deletion (``missing="listwise"`` or ``"error"``).

    >>> df = csikit.simulate_survey(300, seed=2).reset_index().rename(columns={"index": "id"})
    >>> m = csikit.ecsi_model()
    >>> a = csikit.replicate_moments(df.iloc[:100], m, key="id", replicates=50)
    >>> b = csikit.replicate_moments(df.iloc[100:], m, key="id", replicates=50)
    >>> (a + b).n, (a + b).replicates
    (300, 50)
    """
    if (model is None) == (names is None):
        raise ValueError("give either model= or names=")
    cols = list(_model(model).indicators) if model is not None else [str(n) for n in names]
    frame = _as_frame(data, columns)
    needed = cols + ([weights] if weights is not None else [])
    keys = _row_keys(frame, key)
    return ReplicateMoments.from_columns(_columns(frame, needed), cols, keys, int(replicates),
                                         _seed(seed), weights, missing, _na_list(na))


def group_moments(
    data: Any,
    model: Union[str, Model, None] = None,
    *,
    by: Union[str, Sequence[str]],
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    key: Optional[str] = None,
    replicates: Optional[int] = None,
    seed: SeedLike = 1,
) -> dict:
    """Moments per group of the `by` columns (e.g. ``["region", "month"]``,
    segment × period): ``{(value, ...): Moments}`` (a missing group value is
    ``None``), or replicate moments with `key` and `replicates`. The
    scale-out recipes (:mod:`csikit.dask`, :mod:`csikit.spark`,
    :mod:`csikit.duckdb`, :mod:`csikit.polars`) return the same dicts from
    partitions; :func:`group_indices` and :func:`group_intervals` fit them.

    >>> df = csikit.simulate_survey(600, seed=3)
    >>> g = csikit.group_moments(df, csikit.ecsi_model(), by="region")
    >>> sum(m.n for m in g.values())
    600
    """
    from . import _groups

    cols = _groups.names_of_model(model, names)
    group = [by] if isinstance(by, str) else [str(b) for b in by]
    frame = _as_frame(data)
    return _groups.batch(frame, cols, by=group, weights=weights, missing=missing, na=na,
                         key=key, replicates=None if replicates is None else int(replicates),
                         seed=_seed(seed))


def group_indices(groups: Mapping[tuple, Any], model: Union[str, Model],
                  by: Union[str, Sequence[str]], *, scale: Any = None,
                  item_scales: Optional[Mapping[str, Any]] = None,
                  **settings: Any) -> pd.DataFrame:
    """The 0–100 index of every construct per group of :func:`group_moments`
    (or of a recipe): columns `by`, ``construct``, ``index``, ``n``; each group
    fitted from its own moments (= ``csikit.pls`` of the group's rows). Groups
    whose fit fails are listed in ``attrs["skipped"]`` with the reason."""
    from . import _groups

    return _groups.indices(dict(groups), model, [by] if isinstance(by, str) else list(by),
                           scale=scale, item_scales=item_scales, **settings)


def group_intervals(groups: Mapping[tuple, Any], model: Union[str, Model],
                    by: Union[str, Sequence[str]], **options: Any) -> pd.DataFrame:
    """:func:`replicate_intervals` per group of replicate moments: columns
    `by`, ``statistic``, ``estimate, mean, std_error, ci_lower, ci_upper``;
    `options` are those of :func:`replicate_intervals`."""
    from . import _groups

    return _groups.intervals(dict(groups), model, [by] if isinstance(by, str) else list(by),
                             **options)


class ReplicateIntervals:
    """Percentile intervals and standard errors over Poisson-bootstrap
    replicates (:func:`replicate_intervals`). ``estimates`` is a DataFrame
    indexed by statistic name (``path:A->B``, ``total:A->B``, ``weight:x``,
    ``loading:x``, ``r2:C``; with a scale also ``index:C``, ``impact:D->T``,
    ``importance:X``) with columns ``estimate, mean, std_error, ci_lower,
    ci_upper``; scalars ``replicates``, ``seed``, ``failed`` (replicates whose
    fit failed, dropped), ``confidence``, ``n_observations``."""

    def __init__(self, doc: dict):
        self.replicates = int(doc["replicates"])
        self.seed = int(doc["seed"])
        self.failed = int(doc["failed"])
        self.confidence = float(doc["confidence"])
        self.n_observations = int(doc["n_observations"])
        est = doc["estimates"]
        self.estimates = pd.DataFrame(
            {k: est[k] for k in ("estimate", "mean", "std_error", "ci_lower", "ci_upper")},
            index=pd.Index(est["name"], name="statistic"),
        )

    def __repr__(self) -> str:
        return (f"ReplicateIntervals(statistics={len(self.estimates)}, replicates={self.replicates}, "
                f"failed={self.failed}, confidence={self.confidence})")

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.estimates.to_html()


def replicate_intervals(
    replicates: ReplicateMoments,
    model: Union[str, Model],
    *,
    scale: Any = None,
    item_scales: Optional[Mapping[str, Any]] = None,
    target: Optional[str] = None,
    confidence: float = 0.95,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    scaling: str = "standardized",
    stop_rule: str = "max_abs_change",
) -> ReplicateIntervals:
    """Fits `model` to the full moments (the point estimates, equal to the fit
    of the rows) and to every replicate's moments, and returns the percentile
    intervals and SEs of the paths, total effects, outer weights, loadings and
    R²; with `scale` (the answer scale, e.g. ``(1, 10)``) also the 0–100
    index of every construct, the impacts on `target` (default
    ``"Satisfaction"``) and the IPMA importances of its drivers and their
    indicators. No row is needed: `replicates` may be merged from partitions.

    >>> df = csikit.simulate_survey(300, seed=2).reset_index().rename(columns={"index": "id"})
    >>> rm = csikit.replicate_moments(df, csikit.ecsi_model(), key="id", replicates=50)
    >>> ci = csikit.replicate_intervals(rm, csikit.ecsi_model(), scale=(1, 10))
    >>> bool(ci.estimates.loc["index:Satisfaction", "std_error"] > 0)
    True
    """
    if not isinstance(replicates, ReplicateMoments):
        raise TypeError("replicates= must be csikit.ReplicateMoments (csikit.replicate_moments)")
    settings = _csikit.PlsSettings(scheme=scheme, tol=float(tol), max_iter=int(max_iter),
                                   missing=replicates.missing, scaling=scaling,
                                   stop_rule=stop_rule)
    doc = replicates.intervals(_model(model), settings, _scale(scale), _item_scales(item_scales),
                               target, float(confidence))
    return ReplicateIntervals(doc)


# ----- SERVQUAL and KANO ----------------------------------------------------------


class ServqualResult(_Result):
    """A SERVQUAL analysis: DataFrames ``dimensions``, ``items``, scalars
    ``unweighted``, ``weighted``, ``servperf``, ``n``; :meth:`to_dict` is the
    ``servqual`` example's JSON. With ``by=`` (:func:`servqual`), the result is
    the whole sample's, and ``segments`` maps each segment label to its own
    ``ServqualResult`` (``segment_column``; ``unlabelled`` rows count in the
    whole sample only); :meth:`segment_table` stacks a table over segments."""

    segment_column = property(lambda self: self._get("segment_column"),
                              doc="The segment column (None without by=).")
    unlabelled = property(lambda self: self._get("unlabelled"),
                          doc="Rows without a segment label (None without by=).")

    @property
    def segments(self) -> dict:
        """Segment label -> ServqualResult (empty without by=), in label order."""
        labels = self._doc.table(self._key("segments"), columns=["label"]).get("label", [])
        return {label: ServqualResult(self._doc, self._key(f"segments/{i}/report"))
                for i, label in enumerate(labels)}

    def segment_table(self, table: str = "dimensions") -> pd.DataFrame:
        """A table (``"dimensions"`` or ``"items"``) of every segment, stacked
        with a leading ``segment`` column."""
        frames = [getattr(r, table).assign(segment=label) for label, r in self.segments.items()]
        if not frames:
            return pd.DataFrame()
        df = pd.concat(frames, ignore_index=True)
        return df[["segment", *[c for c in df.columns if c != "segment"]]]

    n = property(lambda self: self._get("n"), doc="Respondents.")
    unweighted = property(lambda self: self._get("unweighted"), doc="Unweighted SERVQUAL score.")
    weighted = property(lambda self: self._get("weighted"), doc="Weighted SERVQUAL score.")
    servperf = property(lambda self: self._get("servperf"), doc="SERVPERF score.")
    zone = property(lambda self: self._get("zone"), doc="Zone-of-tolerance counts (or None).")

    @property
    def dimensions(self) -> pd.DataFrame:
        """Per dimension: name, expectation, perception, gap, weight, msa, mss, … (nested keys joined by '_')."""
        return self._table("dimensions", normalized=True, normalize=True)

    @property
    def items(self) -> pd.DataFrame:
        """Per item: item, dimension, expectation, perception, gap, …"""
        return self._table("items", normalized=True, normalize=True)

    def __repr__(self) -> str:
        return f"<csikit.ServqualResult: n={self.n}, unweighted={self.unweighted}>"


def _item_list(items: Any) -> list:
    """Item ids: a string such as ``"10-13,18-22"`` (ranges and commas, as
    ``csikit servqual --reverse``) is one entry, a number one id, else each
    element of the sequence."""
    if items is None:
        return []
    if isinstance(items, (str, bytes)):
        return [items.decode() if isinstance(items, bytes) else items]
    if not isinstance(items, Iterable):
        return [str(items)]
    return [str(i) for i in items]


def servqual(
    data: Any,
    *,
    scale: tuple[float, float] = (1, 7),
    reverse: Union[str, int, Sequence[Union[int, str]], None] = None,
    dimensions: Optional[Mapping[str, Sequence[Union[int, str]]]] = None,
    perception: str = "P",
    expectation: Optional[str] = "E",
    adequate: Optional[str] = "A",
    desired: Optional[str] = "D",
    weight: Optional[str] = "W_",
    weight_policy: str = "normalize",
    weight_tolerance: float = 0.5,
    by: Optional[str] = None,
    lang: str = "en",
    codebook: Any = None,
) -> ServqualResult:
    """SERVQUAL gap analysis (Parasuraman, Zeithaml & Berry 1988, 1991, 1994).

    Columns ``P1..P22`` (perceptions) are required; ``E``, ``A``/``D`` and
    ``W_<dimension>`` are used when present. `reverse` lists the negatively
    worded items to reverse-score: item ids or ranges, as a list
    (``[10, 11, 12]``) or a string (``"10-13,18-22"``). `dimensions` maps
    dimension names to item ids for a custom instrument (default: the 22
    standard items). With `by`, the analysis is also made per level of that
    column (``result.segments``). The analysis is the library's
    (``csikit servqual``). The report (``report_markdown``, ``report_html``,
    ``charts``) is in `lang` (``"en"`` or ``"zh"``), items worded by the
    `codebook` (a path, a DataFrame or a :class:`Codebook`); the numbers do
    not depend on either.

    >>> r = csikit.servqual(csikit.simulate_servqual(200))
    >>> list(r.dimensions["name"])[:2]
    ['tangibles', 'reliability']
    >>> sorted(csikit.servqual(csikit.simulate_servqual(200), by="branch").segments)
    ['1', '2', '3']
    """
    frame = _as_frame(data)
    dims = None
    if dimensions is not None:
        dims = [(str(d), [str(i) for i in ids]) for d, ids in dimensions.items()]
    doc = _csikit.servqual(
        _columns(frame), (float(scale[0]), float(scale[1])), _item_list(reverse), dims,
        perception, expectation, adequate, desired, weight, weight_policy,
        float(weight_tolerance), by, str(lang), _codebook(codebook),
    )
    return ServqualResult(doc)


class KanoResult(_Result):
    """A KANO analysis: DataFrame ``features`` (nested keys joined by '_':
    ``counts_A``, ``fong_significant``, …); :meth:`to_dict` is the ``kano``
    example's JSON."""

    @property
    def features(self) -> pd.DataFrame:
        """Per feature: feature, n, counts, category, category_rule, better, worse, …"""
        return self._table("features", normalized=True, normalize=True)

    def __repr__(self) -> str:
        return f"<csikit.KanoResult: {len(self.features)} features>"


def kano(
    data: Any,
    *,
    counts: bool = False,
    threshold: float = 0.06,
    max_questionable: Optional[int] = None,
    weight_by_importance: bool = False,
    by: Optional[str] = None,
    short: bool = False,
    table: Optional[str] = None,
    lang: str = "en",
    codebook: Any = None,
) -> Union[KanoResult, "KanoSegments"]:
    """KANO classification (Kano et al. 1984; Berger et al. 1993).

    Answers: columns ``F_f``/``F_d`` (1 like … 5 dislike) per feature ``F``,
    optional ``F_i``. With ``counts=True`` the data are one row per feature
    with columns ``feature, A, O, M, I[, R, Q]``. ``short=True``: answers on
    the 3-answer short form (1 like, 2 neutral, 3 dislike); `table`: a custom
    evaluation table, five rows of five letters (``csikit kano --table``).
    With `by`, one analysis per level of that column: a :class:`KanoSegments`.
    The analysis is the library's (``csikit kano``). The report
    (``report_markdown``, ``report_html``, ``charts``) is in `lang` (``"en"``
    or ``"zh"``), features worded by the `codebook` (labels of ``F_f`` or ``F``).

    >>> r = csikit.kano(csikit.simulate_kano(300))
    >>> r.features.loc[0, "feature"]
    'secure_login'
    >>> df = csikit.simulate_kano(300).assign(group=lambda d: ["a", "b", "c"] * 100)
    >>> list(csikit.kano(df, by="group").segments)
    ['a', 'b', 'c']
    """
    frame = _as_frame(data)
    doc = _csikit.kano(
        _columns(frame), bool(counts), float(threshold), max_questionable,
        bool(weight_by_importance), by, bool(short), table, str(lang),
        _codebook(codebook),
    )
    if by is not None:
        return KanoSegments(doc, "segments")
    return KanoResult(doc)


class KanoSegments(_Result):
    """KANO analyses per level of a segment column (:func:`kano` with ``by=``):
    ``segments`` (label -> :class:`KanoResult`, in order of first appearance),
    ``respondents`` (label -> count), ``column``, ``missing_segment`` (rows
    without a label, left out); ``features`` stacks the segments' tables with
    a leading ``segment`` column."""

    column = property(lambda self: self._get("column"), doc="The segment column.")
    missing_segment = property(lambda self: self._get("missing_segment"),
                               doc="Rows left out for a missing segment label.")

    def _labels(self) -> dict:
        t = self._doc.table(self._key("segments"), columns=["segment", "respondents"])
        return dict(zip(t.get("segment", []), t.get("respondents", [])))

    @property
    def segments(self) -> dict:
        """Segment label -> KanoResult."""
        return {label: KanoResult(self._doc, self._key(f"segments/{i}/report"))
                for i, label in enumerate(self._labels())}

    @property
    def respondents(self) -> dict:
        """Segment label -> respondents."""
        return self._labels()

    @property
    def features(self) -> pd.DataFrame:
        """Every segment's features table, stacked, with a ``segment`` column."""
        frames = [r.features.assign(segment=label) for label, r in self.segments.items()]
        df = pd.concat(frames, ignore_index=True)
        return df[["segment", *[c for c in df.columns if c != "segment"]]]

    def __repr__(self) -> str:
        return f"<csikit.KanoSegments: by {self.column!r}, {len(self._labels())} segments>"


# ----- monitoring -------------------------------------------------------------------

#: The ``monitor`` example's targets: satisfied share (answer >= 8) >= 90 %
#: (with a survey), complaint rate <= 3 %, response within 1 h >= 90 %,
#: resolution within 24 h >= 80 %.
DEFAULT_KPIS = (
    ("satisfied_share", 8.0, 0.9),
    ("complaint_rate", 0.03),
    ("response_within", 1.0, 0.9),
    ("resolution_within", 24.0, 0.8),
)


class MonitorData(tuple):
    """The simulated operator's tables: ``complaints``, ``customers``, ``survey``."""

    __slots__ = ()

    def __new__(cls, complaints: pd.DataFrame, customers: pd.DataFrame, survey: pd.DataFrame):
        return super().__new__(cls, (complaints, customers, survey))

    complaints = property(lambda self: self[0], doc="One row per complaint.")
    customers = property(lambda self: self[1], doc="Customers per month and region.")
    survey = property(lambda self: self[2], doc="Monthly satisfaction survey.")


def simulate_monitor(customers: int = 30000, months: int = 12, survey_per_month: int = 300,
                     seed: SeedLike = 1) -> MonitorData:
    """A simulated operator (seeded): complaints (customer_id, month, region,
    category, response_hours, resolution_hours), customers per month and
    region, and a monthly survey (customer_id, month, region, quality_index,
    value_index, service_index on 0–100, satisfaction on 1–10). Complaints in
    ``network`` are tied to low quality, ``billing`` to low value.

    >>> sim = csikit.simulate_monitor(3000, months=3)
    >>> sorted(sim.customers.columns)
    ['customers', 'month', 'region']
    """
    c, n, s = _csikit.simulate_monitor(int(customers), int(months), int(survey_per_month), _seed(seed))
    return MonitorData(_frame_from(c), _frame_from(n), _frame_from(s))


_METRIC_COLUMNS = ["period", "segment", "category", "volume", "customers", "rate_per_10k",
                   "mom_change", "mom_pct", "yoy_change", "yoy_pct", "base_index"]


class Monitor:
    """Service-quality monitoring (the library's ``monitor`` module): complaint
    volumes and rates per 10 000 customers with month-over-month, year-over-year
    and fixed-base changes (``metrics``), hotspots, KPI status and the link of
    complaint categories to the CSI drivers. Build it with :func:`monitor`."""

    def __init__(self, core: Any):
        self._core = core

    @property
    def metrics(self) -> pd.DataFrame:
        """period, segment (None = all customers), category ("(all)" = every
        category), volume, customers, rate_per_10k, mom_change, mom_pct,
        yoy_change, yoy_pct, base_index."""
        return _frame(self._core.metrics(), _METRIC_COLUMNS)

    @property
    def periods(self) -> list:
        """Months covered by the customer counts (YYYY-MM)."""
        return self._core.periods()

    @property
    def categories(self) -> list:
        """Complaint categories, alphabetical."""
        return self._core.categories()

    def hotspots(self, period: Optional[str] = None, n: int = 10, min_volume: int = 5,
                 segment: Optional[str] = None) -> dict:
        """Top-`n` categories of a month (default the last): ``by_volume``,
        ``by_increase`` (month over month), ``by_rate`` (among categories with at
        least `min_volume` complaints) as DataFrames, plus ``period``."""
        doc = self._core.hotspots(period, int(n), int(min_volume), segment)
        out = {"period": doc.get("period"), "min_volume_for_rate": doc.get("min_volume_for_rate")}
        for k in ("by_volume", "by_increase", "by_rate"):
            out[k] = _frame(doc.table(k), _METRIC_COLUMNS)
        return out

    def kpis(self, targets: Sequence[tuple] = DEFAULT_KPIS, survey: Any = None,
             survey_period: str = "month", satisfaction: str = "satisfaction") -> pd.DataFrame:
        """KPI status per month (and segment): kpi, period, segment, value,
        target, direction, met, n, change, trend. `targets` are tuples
        ``(kind, a[, b])`` (see :data:`DEFAULT_KPIS`); ``satisfied_share`` needs
        the `survey` (and is left out without one)."""
        kp = [(str(t[0]), float(t[1]), None if len(t) < 3 else float(t[2])) for t in targets]
        if survey is None:
            kp = [k for k in kp if k[0] != "satisfied_share"]
        cols = None if survey is None else _columns(_as_frame(survey))
        return _frame(self._core.kpis(kp, cols, survey_period, satisfaction),
                      ["kpi", "period", "segment", "value", "target", "direction", "met",
                       "n", "change", "trend"])

    def link_by_respondent(self, survey: Any, drivers: Sequence[str],
                           id_column: str = "customer_id", level: float = 0.95,
                           bonferroni: bool = True) -> pd.DataFrame:
        """Per category × driver: the driver's mean among respondents who
        complained in the category vs the others, difference with a Welch
        interval (Bonferroni-adjusted by default), ``linked`` when it excludes 0."""
        cols = self._core.link_by_respondent(
            _columns(_as_frame(survey)), [str(d) for d in drivers], id_column, float(level),
            bool(bonferroni))
        return _frame(cols, ["category", "driver", "n_complained", "n_other", "mean_complained",
                             "mean_other", "difference", "ci_lower", "ci_upper", "p", "linked"])

    def link_by_segment(self, survey: Any, drivers: Sequence[str],
                        level: float = 0.95) -> pd.DataFrame:
        """Per category × driver: correlation across segments of the complaint
        rate with the driver's mean performance."""
        cols = self._core.link_by_segment(
            _columns(_as_frame(survey)), [str(d) for d in drivers], float(level))
        return _frame(cols, ["category", "driver", "segments", "correlation", "ci_lower",
                             "ci_upper", "linked"])

    def trend_svg(self, categories: Sequence[str]) -> str:
        """Complaint rate per 10 000 over the months for some categories (SVG text)."""
        return self._core.trend_svg([str(c) for c in categories])

    def __repr__(self) -> str:
        p = self.periods
        return f"<csikit.Monitor: {len(self.categories)} categories, {p[0] if p else ''}..{p[-1] if p else ''}>"


def monitor(
    complaints: Any,
    customers: Any,
    *,
    period: str = "month",
    category: str = "category",
    segments: Sequence[str] = (),
    response_hours: Optional[str] = None,
    resolution_hours: Optional[str] = None,
    customer_id: Optional[str] = None,
    customers_period: Optional[str] = None,
    customers_column: str = "customers",
    base_period: Optional[str] = None,
) -> Monitor:
    """Reads a complaints table (one row per complaint: `period` as YYYY-MM or
    a date, `category`, optional `segments`, `response_hours`,
    `resolution_hours`, `customer_id`) and a customer-count table (period,
    segments, `customers_column`) and computes the complaint metrics. With
    `segments`, the counts must be per segment too. `base_period` adds the
    fixed-base index.

    >>> sim = csikit.simulate_monitor(3000, months=3)
    >>> mon = csikit.monitor(sim.complaints, sim.customers, segments=["region"])
    >>> mon.periods
    ['2025-01', '2025-02', '2025-03']
    """
    core = _csikit.Monitor(
        _columns(_as_frame(complaints)), _columns(_as_frame(customers)), period, category,
        [str(s) for s in segments], response_hours, resolution_hours, customer_id,
        customers_period, customers_column, base_period)
    return Monitor(core)


class MonitorReport(dict):
    """The monitoring document of ``csikit monitor`` (its ``--json``) as a
    dict (``==`` the command's JSON), with the report page in the language
    asked for: :attr:`report_markdown`, :attr:`report_html`, :attr:`charts`,
    and the user-defined KPIs as DataFrames (:attr:`kpi_values`,
    :attr:`kpi_attainment`, :attr:`kpi_skipped`; empty without KPIs)."""

    def __init__(self, doc: Any):
        super().__init__(doc.get())
        self._doc = doc

    def to_dict(self) -> dict:
        """The JSON document as a plain dict."""
        return self._doc.get()

    @property
    def report_markdown(self) -> Optional[str]:
        """The report as Markdown (charts linked as ``NAME.svg``)."""
        return self._doc.markdown

    @property
    def report_html(self) -> Optional[str]:
        """The report as one self-contained HTML page."""
        return self._doc.html

    @property
    def charts(self) -> dict:
        """The report's charts: name -> SVG text."""
        return dict(self._doc.charts)

    def _kpi_table(self, key: str) -> pd.DataFrame:
        rows = (self.get("custom_kpis") or {}).get(key, [])
        return pd.DataFrame(rows)

    @property
    def kpi_values(self) -> pd.DataFrame:
        """Per KPI, unit (None = total) and period: value, n, target, better,
        met (达标), mom_change / mom_pct (环比), yoy_change / yoy_pct (同比), trend."""
        return self._kpi_table("values")

    @property
    def kpi_attainment(self) -> pd.DataFrame:
        """Per KPI with units and period: units with a target, met, rate (达标率)."""
        return self._kpi_table("attainment")

    @property
    def kpi_skipped(self) -> pd.DataFrame:
        """Per KPI: rows, used, and rows left out by reason (missing_period,
        missing_unit, missing_value, invalid_value)."""
        return self._kpi_table("skipped")


def _table_arg(table: Any) -> Any:
    """A small table argument (KPI definitions, targets): a path (CSV or
    ``.xlsx``, read as the ``csikit`` command reads it), a DataFrame or a
    dict of columns; None stays None."""
    if table is None:
        return None
    if isinstance(table, (str, os.PathLike)):
        table = read_csv(table, delimiter=None)
    return _columns(_as_frame(table))


def monitor_report(
    complaints: Any,
    customers: Any,
    survey: Any = None,
    *,
    period: Optional[str] = None,
    top: int = 10,
    min_volume: int = 5,
    kpis: Any = None,
    targets: Any = None,
    kpi_data: Any = None,
    lang: str = "en",
    touchpoints: Any = None,
    score: Optional[str] = None,
    by: Union[str, Sequence[str], None] = None,
    touchpoint_period: Optional[str] = None,
    scale: Optional[tuple] = None,
    min_n: int = 30,
    na: Any = None,
) -> MonitorReport:
    """The monitoring document of ``csikit monitor`` (its ``--json``) as a
    dict: hotspots of a month (`period`, default the last; `top` per list;
    `min_volume` for the rate list), the status of the default KPI targets
    (:data:`DEFAULT_KPIS`; the satisfied share with a `survey` holding
    ``satisfaction``) and the link of complaint categories to the drivers
    ``quality_index``, ``value_index``, ``service_index`` of the survey. The
    tables use the command's column names: complaints ``month``,
    ``category`` (optional ``region``, ``response_hours``,
    ``resolution_hours``, ``customer_id``), customers ``month``,
    ``customers`` (optional ``region``); for other names use :func:`monitor`.

    User-defined KPIs (``csikit monitor --kpis --targets --kpi-data``):
    `kpis` is a definitions table (path, DataFrame or dict of columns
    ``kpi, kind, column, denominator, scale, threshold, percentile, period,
    unit, label, label_en, table``; kind ``ratio``, ``share_below``,
    ``share_above`` or ``percentile``), `targets` a targets table (``kpi,
    unit, target, direction``; unit ``*`` = every unit; direction
    ``higher`` / ``lower``; Chinese headers 指标, 单元, 目标值, 方向
    accepted), `kpi_data` the table the KPIs read by default. The result is
    a :class:`MonitorReport`: the dict plus the report in `lang` (``"en"``
    or ``"zh"``) and the KPI DataFrames.

    Touchpoint scorecard section (``csikit monitor --touchpoints FILE --score
    COL``): `touchpoints` is an instant-survey table, `score` its score
    column, `by` the group columns, `touchpoint_period` its period column,
    `scale` the answer scale (0–10 for NPS), `min_n` the smallest group
    scored and `na` the codes meaning missing; the dict gains ``scorecard``,
    equal to :func:`scorecard` 's document on the same table.

    >>> sim = csikit.simulate_monitor(3000, months=3)
    >>> d = csikit.monitor_report(*sim)
    >>> d["period"], sorted(d["hotspots"])[:2]
    ('2025-03', ['by_increase', 'by_rate'])
    """
    survey_columns = None if survey is None else _columns(_as_frame(survey))
    doc = _csikit.monitor_report(
        _columns(_as_frame(complaints)), _columns(_as_frame(customers)), survey_columns,
        period, int(top), int(min_volume), _table_arg(kpis), _table_arg(targets),
        None if kpi_data is None else _columns(_as_frame(kpi_data)), str(lang),
        touchpoints=None if touchpoints is None else _columns(_as_frame(touchpoints)),
        score=None if score is None else str(score),
        by=[by] if isinstance(by, str) else [str(b) for b in (by or [])],
        touchpoint_period=touchpoint_period,
        scale=None if scale is None else (float(scale[0]), float(scale[1])),
        min_n=int(min_n), na=_na_list(na))
    return MonitorReport(doc)


# ----- touchpoint scorecards (issue 17) ---------------------------------------------


def scorecard(
    data: Any,
    *,
    score: str,
    by: Union[str, Sequence[str], None] = None,
    period: Optional[str] = None,
    scale: Optional[tuple] = None,
    min_n: int = 30,
    confidence: float = 0.95,
    na: Any = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Touchpoint scorecard (即评) of column `score` per group (`by`, one or
    more columns) and `period` (``csikit scorecard``, DESIGN.md §4): one row
    per scored group with the `by` columns, ``period``, ``n``, ``mean``,
    ``top_box`` / ``bottom_box`` (satisfied / dissatisfied shares) with
    Wilson (1927) intervals, on a 0–10 `scale` ``nps`` with ``nps_se`` and
    the interval of the NPS variance formula, and the changes against the
    previous period (``previous_*``) and a year earlier (``year_earlier_*``).
    Periods are parsed (``2025年3月`` = ``2025-03``) and ordered in time.
    Groups with fewer than `min_n` answers are not scored: they are in
    ``df.attrs["skipped"]``; the whole document is ``df.attrs["document"]``.
    `na`: values meaning missing (e.g. ``[98, 99]``); an answer outside
    `scale` is an error.

    >>> df = pd.DataFrame({"channel": ["app"] * 4 + ["hall"],
    ...                    "score": [10, 9, 3, 7, 8]})
    >>> t = csikit.scorecard(df, score="score", by="channel", scale=(0, 10), min_n=2)
    >>> t.loc[0, "channel"], int(t.loc[0, "n"]), float(t.loc[0, "nps"])
    ('app', 4, 25.0)
    >>> t.attrs["skipped"][0]["by"]
    {'channel': 'hall'}
    """
    frame = _as_frame(data)
    by_list = [by] if isinstance(by, str) else list(by or [])
    sc = None if scale is None else (float(scale[0]), float(scale[1]))
    doc = _csikit.scorecard(
        _columns(frame), str(score), by_list, period, sc, int(min_n), float(confidence),
        _na_list(na), str(lang),
    ).get()
    rows = []
    for g in doc["groups"]:
        row = dict(g["by"])
        for k, v in g.items():
            if k == "by":
                continue
            if isinstance(v, dict):
                for k2, v2 in pd.json_normalize(v, sep="_").iloc[0].items():
                    row[f"{k}_{k2}"] = v2
            else:
                row[k] = v
        rows.append(row)
    out = _table(rows, by_list + ["period", "n", "mean", "top_box", "bottom_box", "nps",
                                  "nps_ci_lower", "nps_ci_upper"])
    out.attrs["skipped"] = doc["skipped"]
    out.attrs["document"] = doc
    return out


class DriversResult(_Result):
    """A relative-importance key-driver analysis (``csikit drivers``):
    DataFrame :attr:`drivers` (name, shapley, shapley_share, johnson,
    johnson_share, dominance_general, intervals, correlation, beta, rank);
    :meth:`to_dict` is the command's JSON (without ``input``, which only a
    file read by the command has); the report in the language asked for."""

    @property
    def drivers(self) -> pd.DataFrame:
        """One row per driver, in the order given."""
        return pd.DataFrame(self._get("drivers"))

    @property
    def r_squared(self) -> float:
        """R² of the target on all drivers (the Shapley values add up to it)."""
        return float(self._get("r_squared"))

    def __repr__(self) -> str:
        return f"<csikit.DriversResult: {len(self.drivers)} drivers, R² = {self.r_squared:.3f}>"


def drivers(
    data: Any,
    *,
    target: str,
    drivers: Sequence[str],
    bootstrap: int = 0,
    seed: int = 1,
    permutations: int = 5000,
    level: float = 0.95,
    lang: str = "en",
    codebook: Any = None,
    na: Any = None,
) -> DriversResult:
    """Relative importance of the `drivers` columns for `target` (``csikit
    drivers``, DESIGN.md §4): Shapley / LMG shares of R² (exact up to 15
    drivers, else `permutations` random orders with a Monte Carlo SE),
    Johnson (2000) relative weights, dominance analysis, and with
    `bootstrap` resamples (`seed`) their `level` intervals. Rows missing an
    answer are dropped and counted. The report (``report_markdown``,
    ``report_html``, ``charts``) is in `lang`, drivers worded by the
    `codebook`; `na` lists values meaning missing.

    >>> df = pd.DataFrame({"y": [1, 2, 3, 4, 6], "a": [1, 2, 3, 5, 5], "b": [2, 1, 2, 1, 3]})
    >>> r = csikit.drivers(df, target="y", drivers=["a", "b"])
    >>> bool(abs(r.drivers["shapley"].sum() - r.r_squared) < 1e-12)
    True
    """
    frame = _as_frame(data)
    doc = _csikit.drivers(
        _columns(frame), str(target), [str(d) for d in drivers], int(bootstrap), int(seed),
        int(permutations), float(level), str(lang), _codebook(codebook), _na_list(na))
    return DriversResult(doc)


class ProfileResult(_Result):
    """The profile of the dissatisfied (``csikit profile``): DataFrames
    :attr:`segments` (per segment level: counts, dissatisfied rate, lift,
    Wilson interval, adjusted p-values) and :attr:`drivers` (the drivers
    that separate the dissatisfied); :meth:`to_dict` is the command's JSON."""

    @property
    def segments(self) -> pd.DataFrame:
        """One row per segment level."""
        return pd.json_normalize(self._get("segments"), sep="_")

    @property
    def drivers(self) -> pd.DataFrame:
        """One row per driver."""
        return pd.json_normalize(self._get("drivers"), sep="_")

    def __repr__(self) -> str:
        d = self.to_dict()
        return f"<csikit.ProfileResult: {d['dissatisfied']} of {d['n']} dissatisfied>"


def profile(
    data: Any,
    *,
    target: str,
    threshold: float = 6.0,
    segments: Sequence[str] = (),
    drivers: Sequence[str] = (),
    level: float = 0.95,
    lang: str = "en",
    codebook: Any = None,
    na: Any = None,
) -> ProfileResult:
    """Who the dissatisfied are (``csikit profile``): answers of `target` at
    or below `threshold` are dissatisfied; per level of each `segments`
    column their share against the rest (lift, Wilson intervals,
    two-proportion tests with Benjamini–Hochberg and Holm adjustment), and
    the `drivers` that separate them (Cohen's d, Welch). The report
    (``report_markdown``) is in `lang`."""
    frame = _as_frame(data)
    doc = _csikit.profile(
        _columns(frame), str(target), float(threshold), [str(c) for c in segments],
        [str(c) for c in drivers], float(level), str(lang), _codebook(codebook), _na_list(na))
    return ProfileResult(doc)


class LinkResult(_Result):
    """Survey indices linked to operational metrics (``csikit link``):
    DataFrame :attr:`pairs` (index, metric, n, r with its Fisher-z
    interval, slope, small_n); :meth:`to_dict` is the command's JSON."""

    @property
    def pairs(self) -> pd.DataFrame:
        """One row per index × metric."""
        return pd.DataFrame(self._get("pairs"))

    def __repr__(self) -> str:
        return f"<csikit.LinkResult: {len(self.pairs)} pairs>"


def link(
    survey: Any,
    operational: Any,
    *,
    unit: str,
    period: str,
    indices: Sequence[str],
    metrics: Sequence[str],
    lag: int = 0,
    level: float = 0.95,
    lang: str = "en",
    codebook: Any = None,
    na: Any = None,
) -> LinkResult:
    """Links survey indices to operational data (``csikit link``): the
    `indices` columns of `survey` averaged per `unit` and `period`, matched
    to the `metrics` columns of `operational` (the metric leading by `lag`
    periods), with Pearson r, its Fisher-z `level` interval and a slope; a
    small number of cells is flagged. The report (``report_markdown``) is in
    `lang`."""
    doc = _csikit.link(
        _columns(_as_frame(survey)), _columns(_as_frame(operational)), str(unit), str(period),
        [str(c) for c in indices], [str(c) for c in metrics], int(lag), float(level),
        str(lang), _codebook(codebook), _na_list(na))
    return LinkResult(doc)
