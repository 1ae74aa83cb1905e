"""Type stubs of the csikit package (pandas layer over the compiled core)."""

import os
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from ._csikit import (
    ConvergenceError as ConvergenceError,
    CsikitError as CsikitError,
    DataError as DataError,
    EstimationError as EstimationError,
    Model as Model,
    ModelError as ModelError,
    Moments as Moments,
)

__version__: str

DataLike = Union[pd.DataFrame, Mapping[str, Any], Any]

class PlsResult:
    n_observations: int
    n_dropped: int
    n_imputed: int
    converged: bool
    iterations: int
    scheme: str
    gof: float
    @property
    def missing(self) -> dict[str, Any]: ...
    @property
    def constructs(self) -> pd.DataFrame: ...
    @property
    def reliability(self) -> pd.DataFrame: ...
    @property
    def outer(self) -> pd.DataFrame: ...
    @property
    def paths(self) -> pd.DataFrame: ...
    @property
    def effects(self) -> pd.DataFrame: ...
    @property
    def htmt(self) -> pd.DataFrame: ...
    @property
    def htmt_signed(self) -> pd.DataFrame: ...
    @property
    def vif_inner(self) -> pd.DataFrame: ...
    @property
    def f_squared(self) -> pd.DataFrame: ...
    @property
    def cross_loadings(self) -> pd.DataFrame: ...
    @property
    def construct_correlations(self) -> pd.DataFrame: ...
    @property
    def path_matrix(self) -> pd.DataFrame: ...
    @property
    def indicator_matrix(self) -> pd.DataFrame: ...
    @property
    def model(self) -> Model: ...
    @property
    def moments(self) -> Moments: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self, **kwargs: Any) -> str: ...
    def scores(self, data: Optional[DataLike] = None) -> pd.DataFrame: ...
    def summary(self) -> str: ...

def pls(
    data: Union[DataLike, str, os.PathLike[str], Moments],
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
) -> PlsResult: ...
def moments(
    data: DataLike,
    model: Union[str, Model, None] = None,
    *,
    names: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    missing: str = "listwise",
    na: Any = None,
    columns: Optional[Sequence[str]] = None,
) -> Moments: ...
def ecsi_model() -> Model: ...
def read_csv(path: Union[str, os.PathLike[str]], na: Any = None, delimiter: str = ",") -> pd.DataFrame: ...
def simulate_survey(
    n: int = 250, seed: int = 1, months: int = 12, monthly_drift: float = 0.02,
    missing_rate: float = 0.0,
) -> pd.DataFrame: ...
def simulate_servqual(
    n: int = 200, seed: int = 1, missing_rate: float = 0.02, segments: int = 3,
    off_sum_rate: float = 0.03,
) -> pd.DataFrame: ...
def simulate_kano(respondents: int = 300, seed: int = 1) -> pd.DataFrame: ...

class ServqualResult:
    n: int
    unweighted: Optional[float]
    weighted: Optional[float]
    servperf: Optional[float]
    zone: Optional[dict[str, int]]
    @property
    def dimensions(self) -> pd.DataFrame: ...
    @property
    def items(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

def servqual(
    data: DataLike,
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
) -> ServqualResult: ...

class KanoResult:
    @property
    def features(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

def kano(
    data: DataLike,
    *,
    counts: bool = False,
    threshold: float = 0.06,
    max_questionable: Optional[int] = None,
    weight_by_importance: bool = False,
) -> KanoResult: ...
