"""Type stubs of the csikit package (pandas layer over the compiled core)."""

import os
import pathlib
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ._csikit import (
    ConvergenceError as ConvergenceError,
    CsikitError as CsikitError,
    DataError as DataError,
    EstimationError as EstimationError,
    Model as Model,
    ModelError as ModelError,
    Moments as Moments,
    ReplicateMoments as ReplicateMoments,
)

__version__: str

DataLike = Union[pd.DataFrame, Mapping[str, Any], Any]
ItemScales = Mapping[str, tuple[float, float]]
# A codebook: a path to its CSV, or a DataFrame (or dict of columns) with the
# columns item, label, min, max, missing, reverse (optional label_en).
CodebookLike = Union[str, os.PathLike[str], pd.DataFrame, Mapping[str, Any]]
Progress = Callable[[int, int], Any]
SeedLike = Union[int, np.integer[Any], np.random.Generator, None]

class ConvergenceWarning(UserWarning): ...

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
    def specific_indirect(self) -> pd.DataFrame: ...
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
    @property
    def params(self) -> pd.Series: ...
    def _repr_html_(self) -> str: ...
    def to_dict(
        self,
        *,
        q2: bool = False,
        omission: Optional[int] = None,
        predict: Optional[int] = None,
        seed: SeedLike = 1,
        repetitions: int = 1,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[ItemScales] = None,
        ipma: Optional[str] = None,
        bootstrap: Optional[int] = None,
        confidence: float = 0.95,
        sign_change: str = "none",
        keep_inadmissible: bool = False,
        groups: Optional[str] = None,
        permutations: int = 999,
        correction: str = "holm",
        slopes: Optional[tuple[str, str, str]] = None,
        codebook: Optional[CodebookLike] = None,
        data: Optional[DataLike] = None,
        specific_indirect: bool = False,
        q2_scale: str = "observed",
    ) -> dict[str, Any]: ...
    def to_json(self, **kwargs: Any) -> str: ...
    @property
    def correlation(self) -> str: ...
    @property
    def extension(self) -> Optional[dict[str, Any]]: ...
    @property
    def specified_model(self) -> Model: ...
    def higher_order_assessment(self) -> dict[str, pd.DataFrame]: ...
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
        data: Optional[DataLike] = None,
    ) -> pd.DataFrame: ...
    def scores(self, data: Optional[DataLike] = None, *, na: Any = None) -> pd.DataFrame: ...
    def summary(self) -> str: ...
    @property
    def consistent(self) -> Optional[dict[str, Any]]: ...
    def assess(self) -> Assessment: ...
    def implied_correlation(self, saturated: bool = False) -> pd.DataFrame: ...
    def q2(
        self,
        data: Optional[DataLike] = None,
        omission: Optional[int] = None,
        scale: str = "observed",
    ) -> Blindfolding: ...
    def predict(
        self,
        data: Optional[DataLike] = None,
        *,
        folds: int = 10,
        seed: SeedLike = 1,
        repetitions: int = 1,
        approach: str = "earliest",
        targets: Optional[Sequence[str]] = None,
    ) -> PredictResult: ...
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
        progress: Optional[Progress] = None,
        data: Optional[DataLike] = None,
        specific_indirect: bool = False,
    ) -> BootstrapResult: ...
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
        progress: Optional[Progress] = None,
        data: Optional[DataLike] = None,
    ) -> MgaResult: ...
    def index(
        self, scale: Optional[tuple[float, float]] = None, item_scales: Optional[ItemScales] = None
    ) -> IndexResult: ...
    def impacts(
        self, scale: Optional[tuple[float, float]] = None, item_scales: Optional[ItemScales] = None
    ) -> pd.DataFrame: ...
    def ipma(
        self,
        target: str,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[ItemScales] = None,
        *,
        construct_split: Optional[tuple[float, float]] = None,
        indicator_split: Optional[tuple[float, float]] = None,
        ranking: str = "potential_gain",
        bootstrap: Optional[int] = None,
        seed: SeedLike = 1,
        confidence: float = 0.95,
        data: Optional[DataLike] = None,
    ) -> IpmaResult: ...
    def index_scores(
        self,
        data: Optional[DataLike] = None,
        scale: Optional[tuple[float, float]] = None,
        item_scales: Optional[ItemScales] = None,
    ) -> pd.DataFrame: ...

class Assessment:
    consistent: bool
    gof: float
    srmr: float
    d_uls: float
    d_g: Optional[float]
    @property
    def reliability(self) -> pd.DataFrame: ...
    @property
    def fornell_larcker(self) -> pd.DataFrame: ...
    @property
    def cross_loadings(self) -> pd.DataFrame: ...
    @property
    def htmt(self) -> pd.DataFrame: ...
    @property
    def htmt_signed(self) -> pd.DataFrame: ...
    @property
    def htmt2(self) -> pd.DataFrame: ...
    @property
    def vif_outer(self) -> pd.DataFrame: ...
    @property
    def vif_inner(self) -> pd.DataFrame: ...
    @property
    def f_squared(self) -> pd.DataFrame: ...
    @property
    def model_fit(self) -> pd.DataFrame: ...
    @property
    def vif_indicators(self) -> pd.DataFrame: ...
    @property
    def reliability_composite(self) -> pd.DataFrame: ...
    @property
    def htmt_all(self) -> pd.DataFrame: ...
    @property
    def f_squared_reestimated(self) -> pd.DataFrame: ...
    @property
    def information_criteria(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

class Blindfolding:
    omission_distance: int
    n_observations: int
    n_dropped: int
    scale: str
    @property
    def constructs(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

class PredictResult:
    folds: int
    seed: int
    repetitions: int
    approach: str
    n_observations: int
    n_dropped: int
    @property
    def indicators(self) -> pd.DataFrame: ...
    @property
    def predictions(self) -> pd.DataFrame: ...
    @property
    def lm_predictions(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

class IndexResult:
    n: int
    warnings: list[dict[str, Any]]
    @property
    def constructs(self) -> pd.DataFrame: ...
    @property
    def indicators(self) -> pd.DataFrame: ...
    def value(self, construct: str) -> Optional[float]: ...
    def to_svg(self, title: str = "Index (0-100)") -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

class BootstrapResult:
    resamples: int
    seed: int
    failed: int
    failed_by: dict[str, int]
    confidence: float
    sign_change: str
    n_observations: int
    jackknife_failed: Optional[int]
    @property
    def paths(self) -> pd.DataFrame: ...
    @property
    def total_effects(self) -> pd.DataFrame: ...
    @property
    def indirect_effects(self) -> pd.DataFrame: ...
    @property
    def loadings(self) -> pd.DataFrame: ...
    @property
    def weights(self) -> pd.DataFrame: ...
    @property
    def r_squared(self) -> pd.DataFrame: ...
    @property
    def htmt(self) -> pd.DataFrame: ...
    @property
    def specific_indirect_effects(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

class MgaResult:
    column: str
    levels: list[str]
    n: dict[str, int]
    n_missing_label: int
    permutations: int
    seed: int
    correction: str
    alpha: float
    failed_permutations: int
    failed_by: dict[str, int]
    @property
    def paths(self) -> pd.DataFrame: ...
    @property
    def loadings(self) -> pd.DataFrame: ...
    @property
    def weights(self) -> pd.DataFrame: ...
    @property
    def micom(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...

def mga(
    data: DataLike,
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
    progress: Optional[Progress] = None,
    na: Any = None,
    **pls_settings: Any,
) -> MgaResult: ...

class IpmaResult:
    target: str
    target_index: float
    construct_split: tuple[float, float]
    indicator_split: tuple[float, float]
    ranking: str
    @property
    def constructs(self) -> pd.DataFrame: ...
    @property
    def indicators(self) -> pd.DataFrame: ...
    @property
    def short_boards(self) -> pd.DataFrame: ...
    @property
    def indicator_short_boards(self) -> pd.DataFrame: ...
    def to_svg(self, level: str = "constructs") -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

class CsiGroups:
    column: str
    kind: str
    target: str
    min_group_size: int
    n_missing_label: int
    @property
    def groups(self) -> pd.DataFrame: ...
    @property
    def index(self) -> pd.DataFrame: ...
    @property
    def impacts(self) -> pd.DataFrame: ...
    @property
    def paths(self) -> pd.DataFrame: ...
    @property
    def ipma(self) -> pd.DataFrame: ...
    @property
    def short_boards(self) -> pd.DataFrame: ...
    @property
    def bootstrap(self) -> pd.DataFrame: ...
    @property
    def skipped(self) -> pd.DataFrame: ...
    @property
    def index_differences(self) -> pd.DataFrame: ...
    @property
    def impact_differences(self) -> pd.DataFrame: ...
    def to_svg(self, construct: Optional[str] = None) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def csi_segments(
    data: DataLike,
    model: Union[str, Model],
    segment: str,
    *,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[ItemScales] = None,
    target: Optional[str] = None,
    min_group_size: int = 30,
    small_groups: str = "skip",
    level: float = 0.95,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    na: Any = None,
    **pls_settings: Any,
) -> CsiGroups: ...
def csi_periods(
    data: DataLike,
    model: Union[str, Model],
    period: str,
    *,
    previous: bool = True,
    lag: Optional[int] = None,
    base: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[ItemScales] = None,
    target: Optional[str] = None,
    min_group_size: int = 30,
    small_groups: str = "skip",
    level: float = 0.95,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    na: Any = None,
    **pls_settings: Any,
) -> CsiGroups: ...
def acsi_report(
    data: DataLike,
    model: Union[str, Model],
    out: Union[str, os.PathLike[str]],
    *,
    segments: Sequence[str] = (),
    period: Optional[str] = None,
    previous: bool = True,
    lag: Optional[int] = 12,
    base: Optional[str] = None,
    target: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[ItemScales] = None,
    min_group_size: int = 30,
    title: Optional[str] = None,
    description: Optional[str] = None,
    notes: Sequence[str] = (),
    model_name: Optional[str] = None,
    bootstrap: Optional[int] = None,
    seed: SeedLike = 1,
    level: float = 0.95,
    na: Any = None,
    codebook: Optional[CodebookLike] = None,
    lang: str = "en",
    bins: Union[Mapping[str, Any], Sequence[str]] = (),
    key_drivers: bool = True,
    dissatisfied_at: float = 50.0,
    **pls_settings: Any,
) -> list[pathlib.Path]: ...
def csi_template(name: str) -> dict[str, Any]: ...
def csi_model(
    template: str,
    blocks: Mapping[str, Sequence[str]],
    *,
    composite: Sequence[str] = (),
    add_paths: Sequence[tuple[str, str]] = (),
    remove_paths: Sequence[tuple[str, str]] = (),
    remove_constructs: Sequence[str] = (),
) -> Model: ...
def aggregate_index(units: DataLike, *, name: str = "total", by: Optional[str] = None) -> pd.DataFrame: ...
def simulate_truth(
    filters: Optional[Mapping[str, Any]] = None, months: int = 12, monthly_drift: float = 0.02
) -> dict[str, Any]: ...

DEFAULT_KPIS: tuple[tuple[Any, ...], ...]

class MonitorData(tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]):
    @property
    def complaints(self) -> pd.DataFrame: ...
    @property
    def customers(self) -> pd.DataFrame: ...
    @property
    def survey(self) -> pd.DataFrame: ...

def simulate_monitor(
    customers: int = 30000, months: int = 12, survey_per_month: int = 300, seed: SeedLike = 1
) -> MonitorData: ...

class Monitor:
    @property
    def metrics(self) -> pd.DataFrame: ...
    @property
    def periods(self) -> list[str]: ...
    @property
    def categories(self) -> list[str]: ...
    def hotspots(
        self, period: Optional[str] = None, n: int = 10, min_volume: int = 5,
        segment: Optional[str] = None,
    ) -> dict[str, Any]: ...
    def kpis(
        self, targets: Sequence[tuple[Any, ...]] = ..., survey: Optional[DataLike] = None,
        survey_period: str = "month", satisfaction: str = "satisfaction",
    ) -> pd.DataFrame: ...
    def link_by_respondent(
        self, survey: DataLike, drivers: Sequence[str], id_column: str = "customer_id",
        level: float = 0.95, bonferroni: bool = True,
    ) -> pd.DataFrame: ...
    def link_by_segment(
        self, survey: DataLike, drivers: Sequence[str], level: float = 0.95
    ) -> pd.DataFrame: ...
    def trend_svg(self, categories: Sequence[str]) -> str: ...

def monitor(
    complaints: DataLike,
    customers: DataLike,
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
) -> Monitor: ...
class MonitorReport(dict[str, Any]):
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def report_markdown(self) -> Optional[str]: ...
    @property
    def report_html(self) -> Optional[str]: ...
    @property
    def charts(self) -> dict[str, str]: ...
    @property
    def kpi_values(self) -> pd.DataFrame: ...
    @property
    def kpi_attainment(self) -> pd.DataFrame: ...
    @property
    def kpi_skipped(self) -> pd.DataFrame: ...

def monitor_report(
    complaints: DataLike,
    customers: DataLike,
    survey: Optional[DataLike] = None,
    *,
    period: Optional[str] = None,
    top: int = 10,
    min_volume: int = 5,
    kpis: Union[str, os.PathLike[str], DataLike, None] = None,
    targets: Union[str, os.PathLike[str], DataLike, None] = None,
    kpi_data: Optional[DataLike] = None,
    lang: str = "en",
    touchpoints: Optional[DataLike] = None,
    score: Optional[str] = None,
    by: Union[str, Sequence[str], None] = None,
    touchpoint_period: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    min_n: int = 30,
    na: Any = None,
) -> MonitorReport: ...

def pls(
    data: Union[DataLike, str, os.PathLike[str], Moments, ReplicateMoments],
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
    codebook: Optional[CodebookLike] = None,
    weighting: str = "pls",
    composites: Optional[Sequence[str]] = None,
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
def replicate_moments(
    data: DataLike,
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
) -> ReplicateMoments: ...

def group_moments(
    data: DataLike,
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
) -> dict[tuple[Any, ...], Any]: ...
def group_indices(
    groups: Mapping[tuple[Any, ...], Any],
    model: Union[str, Model],
    by: Union[str, Sequence[str]],
    *,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[ItemScales] = None,
    **settings: Any,
) -> pd.DataFrame: ...
def group_intervals(
    groups: Mapping[tuple[Any, ...], Any],
    model: Union[str, Model],
    by: Union[str, Sequence[str]],
    **options: Any,
) -> pd.DataFrame: ...

class ReplicateIntervals:
    replicates: int
    seed: int
    failed: int
    confidence: float
    n_observations: int
    estimates: pd.DataFrame
    def __init__(self, doc: dict[str, Any]) -> None: ...
    def _repr_html_(self) -> str: ...

def replicate_intervals(
    replicates: ReplicateMoments,
    model: Union[str, Model],
    *,
    scale: Optional[tuple[float, float]] = None,
    item_scales: Optional[ItemScales] = None,
    target: Optional[str] = None,
    confidence: float = 0.95,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    scaling: str = "standardized",
    stop_rule: str = "max_abs_change",
) -> ReplicateIntervals: ...
def ecsi_model() -> Model: ...
def read_csv(
    path: Union[str, os.PathLike[str]], na: Any = None, delimiter: Optional[str] = ","
) -> pd.DataFrame: ...
def simulate_survey(
    n: int = 250, seed: SeedLike = 1, months: int = 12, monthly_drift: float = 0.02,
    missing_rate: float = 0.0,
) -> pd.DataFrame: ...
def simulate_servqual(
    n: int = 200, seed: SeedLike = 1, missing_rate: float = 0.02, segments: int = 3,
    off_sum_rate: float = 0.03,
) -> pd.DataFrame: ...
def simulate_kano(respondents: int = 300, seed: SeedLike = 1) -> pd.DataFrame: ...

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
    segment_column: Optional[str]
    unlabelled: Optional[int]
    @property
    def segments(self) -> dict[str, ServqualResult]: ...
    @property
    def report_markdown(self) -> Optional[str]: ...
    @property
    def report_html(self) -> Optional[str]: ...
    @property
    def charts(self) -> dict[str, str]: ...
    def segment_table(self, table: str = "dimensions") -> pd.DataFrame: ...

def servqual(
    data: DataLike,
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
    codebook: Optional[CodebookLike] = None,
) -> ServqualResult: ...

class KanoResult:
    @property
    def features(self) -> pd.DataFrame: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def report_markdown(self) -> Optional[str]: ...
    @property
    def report_html(self) -> Optional[str]: ...
    @property
    def charts(self) -> dict[str, str]: ...

def kano(
    data: DataLike,
    *,
    counts: bool = False,
    threshold: float = 0.06,
    max_questionable: Optional[int] = None,
    weight_by_importance: bool = False,
    by: Optional[str] = None,
    short: bool = False,
    table: Optional[str] = None,
    lang: str = "en",
    codebook: Optional[CodebookLike] = None,
) -> Union[KanoResult, KanoSegments]: ...

class KanoSegments:
    column: str
    missing_segment: int
    @property
    def segments(self) -> dict[str, KanoResult]: ...
    @property
    def respondents(self) -> dict[str, int]: ...
    @property
    def features(self) -> pd.DataFrame: ...
    @property
    def report_markdown(self) -> Optional[str]: ...
    @property
    def report_html(self) -> Optional[str]: ...
    @property
    def charts(self) -> dict[str, str]: ...
    def to_dict(self) -> dict[str, Any]: ...

def scorecard(
    data: DataLike,
    *,
    score: str,
    by: Union[str, Sequence[str], None] = None,
    period: Optional[str] = None,
    scale: Optional[tuple[float, float]] = None,
    min_n: int = 30,
    confidence: float = 0.95,
    na: Any = None,
    lang: str = "en",
) -> pd.DataFrame: ...

class _Report:
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def report_markdown(self) -> Optional[str]: ...
    @property
    def report_html(self) -> Optional[str]: ...
    @property
    def charts(self) -> dict[str, str]: ...

class DriversResult(_Report):
    @property
    def drivers(self) -> pd.DataFrame: ...
    @property
    def r_squared(self) -> float: ...

def drivers(
    data: DataLike,
    *,
    target: str,
    drivers: Sequence[str],
    bootstrap: int = 0,
    seed: int = 1,
    permutations: int = 5000,
    level: float = 0.95,
    lang: str = "en",
    codebook: Optional[CodebookLike] = None,
    na: Any = None,
) -> DriversResult: ...

class ProfileResult(_Report):
    @property
    def segments(self) -> pd.DataFrame: ...
    @property
    def drivers(self) -> pd.DataFrame: ...

def profile(
    data: DataLike,
    *,
    target: str,
    threshold: float = 6.0,
    segments: Sequence[str] = (),
    drivers: Sequence[str] = (),
    level: float = 0.95,
    lang: str = "en",
    codebook: Optional[CodebookLike] = None,
    na: Any = None,
) -> ProfileResult: ...

class LinkResult(_Report):
    @property
    def pairs(self) -> pd.DataFrame: ...

def link(
    survey: DataLike,
    operational: DataLike,
    *,
    unit: str,
    period: str,
    indices: Sequence[str],
    metrics: Sequence[str],
    lag: int = 0,
    level: float = 0.95,
    lang: str = "en",
    codebook: Optional[CodebookLike] = None,
    na: Any = None,
) -> LinkResult: ...
