"""Every error path raises the documented exception with the library's message."""

import re

import numpy as np
import pandas as pd
import pytest

import csikit
from conftest import DATA


def raises(exc, kind, match, fn, *args, **kwargs):
    with pytest.raises(exc, match=match) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, csikit.CsikitError)
    assert info.value.kind == kind
    # The stable code: the variant name in snake_case (docs/ERRORS.md lists them).
    assert info.value.code == re.sub(r"(?<!^)([A-Z])", r"_\1", kind).lower()
    return info.value


def test_hierarchy():
    assert issubclass(csikit.CsikitError, ValueError)
    for sub in (csikit.DataError, csikit.ModelError, csikit.EstimationError):
        assert issubclass(sub, csikit.CsikitError)
    assert issubclass(csikit.ConvergenceError, csikit.EstimationError)


def test_data_errors(satisfaction, syntax):
    bad = syntax.replace("imag1", "imag6")
    e = raises(csikit.DataError, "UnknownColumn", "imag6", csikit.pls, satisfaction, bad)
    assert "did you mean" in str(e)
    raises(csikit.DataError, "NonNumeric", "gender", csikit.pls, satisfaction,
           syntax.replace("imag5", "gender"))
    const = satisfaction.assign(imag1=3.0)
    raises(csikit.DataError, "ConstantColumn", "imag1", csikit.pls, const, syntax)
    na = satisfaction.copy()
    na.loc[5, "sat2"] = np.nan
    raises(csikit.DataError, "MissingValues", "sat2", csikit.pls, na, syntax, missing="error")
    allna = satisfaction.assign(sat2=np.nan)
    raises(csikit.DataError, "AllMissing", "sat2", csikit.pls, allna, syntax)
    inf = satisfaction.assign(loy1=np.inf)
    raises(csikit.DataError, "NonFinite", "loy1", csikit.pls, inf, syntax)
    raises(csikit.DataError, "InvalidWeights", "w", csikit.pls,
           satisfaction.assign(w=-1.0), syntax, weights="w")
    raises(csikit.DataError, "UnknownColumn", "wt", csikit.pls, satisfaction, syntax, weights="wt")
    raises(csikit.DataError, "TooFewObservations", "observations", csikit.pls,
           satisfaction.head(2), syntax)
    dup = pd.concat([satisfaction, satisfaction[["imag1"]]], axis=1)
    raises(csikit.DataError, "DuplicateColumn", "imag1", csikit.pls, dup, syntax)
    raises(csikit.DataError, "Io", "no_such.csv", csikit.pls, "no_such.csv", syntax)


def test_model_errors(satisfaction):
    raises(csikit.ModelError, "Syntax", "line 1", csikit.Model, "X =~ ")
    raises(csikit.ModelError, "Cycle", "cycle", csikit.Model,
           "X =~ imag1\nY =~ imag2\nX ~ Y\nY ~ X")
    raises(csikit.ModelError, "UnknownConstruct", "Z", csikit.pls, satisfaction,
           "X =~ imag1 + imag2\nY =~ sat1\nY ~ Z")
    raises(csikit.ModelError, "IndicatorInTwoBlocks", "imag1", csikit.Model,
           "X =~ imag1\nY =~ imag1\nY ~ X")


def test_setting_errors(satisfaction, syntax):
    raises(csikit.CsikitError, "InvalidSetting", "scheme", csikit.pls, satisfaction, syntax,
           scheme="pathway")
    raises(csikit.CsikitError, "InvalidSetting", "missing", csikit.pls, satisfaction, syntax,
           missing="drop")
    raises(csikit.CsikitError, "InvalidSetting", "tolerance", csikit.pls, satisfaction, syntax,
           tol=-1)
    raises(csikit.CsikitError, "InvalidSetting", "max_iter", csikit.pls, satisfaction, syntax,
           max_iter=0)
    raises(csikit.CsikitError, "InvalidSetting", "max_iter", csikit.pls, satisfaction, syntax,
           max_iter=-5)
    raises(csikit.CsikitError, "InvalidSetting", "scaling", csikit.pls, satisfaction, syntax,
           scaling="minmax")
    raises(csikit.CsikitError, "InvalidSetting", "stop_rule", csikit.pls, satisfaction, syntax,
           stop_rule="never")


def test_estimation_errors(satisfaction, syntax):
    e = raises(csikit.ConvergenceError, "NotConverged", "did not converge", csikit.pls,
               satisfaction, syntax, max_iter=2)
    assert "max_iter" in str(e)
    # The unconverged result on request.
    fit = csikit.pls(satisfaction, syntax, max_iter=2, allow_nonconvergence=True)
    assert not fit.converged and fit.iterations == 2
    # Two identical indicators in a Mode B block: singular.
    twin = satisfaction.assign(twin=satisfaction["imag1"])
    raises(csikit.EstimationError, "SingularBlock", None, csikit.pls, twin,
           "X <~ imag1 + twin\nY =~ sat1 + sat2\nY ~ X")


def test_python_side_type_errors(satisfaction, syntax):
    with pytest.raises(TypeError):
        csikit.pls([1, 2, 3], syntax)
    with pytest.raises(TypeError):
        csikit.pls(satisfaction, 42)
    with pytest.raises(ValueError, match="columns"):
        csikit.pls(np.zeros((5, 3)), syntax)
    with pytest.raises(ValueError, match="2-D"):
        csikit.pls(np.zeros(5), syntax, columns=["a"])
    with pytest.raises(ValueError, match="pass the data"):
        csikit.pls(DATA / "satisfaction.csv", syntax).scores()


def test_servqual_and_kano_errors():
    sq = csikit.simulate_servqual(50)
    raises(csikit.DataError, "OutOfScale", "P3", csikit.servqual, sq.assign(P3=9))
    raises(csikit.ModelError, "UnknownItem", "23", csikit.servqual, sq, reverse=[23])
    raises(csikit.DataError, "UnknownColumn", "P1", csikit.servqual, sq.drop(columns="P1"))
    raises(csikit.DataError, "KanoInvalidAnswer", "a_f", csikit.kano,
           pd.DataFrame({"a_f": [1, 7], "a_d": [5, 5]}))
    raises(csikit.CsikitError, "InvalidSetting", "threshold", csikit.kano,
           pd.DataFrame({"a_f": [1, 2], "a_d": [5, 5]}), threshold=2)


# ----- the variants added with assessment, PLSc, PLSpredict, CSI and monitoring -----

from conftest import REPO  # noqa: E402


def documented_codes():
    """The codes table of docs/ERRORS.md (generated from `Error::code` and
    `Error::kind` and checked by tests/catalog.rs): {variant: (code, kind)}."""
    doc = (REPO / "docs" / "ERRORS.md").read_text()
    table = doc[doc.index("<!-- codes:begin -->"): doc.index("<!-- codes:end -->")]
    rows = {}
    for line in table.splitlines()[3:]:
        variant, code, kind = (c.strip().strip("`") for c in line.strip("|").split("|"))
        rows[variant] = (code, kind)
    return rows


def test_every_variant_has_a_class():
    """Every variant of the library's Error enum has a documented code and kind,
    and its kind raises a subclass (only InvalidSetting stays with the base
    class). The binding chooses the class by an exhaustive match on the kind, so
    a new variant or kind cannot compile without one; this pins the mapping."""
    text = (REPO / "src" / "error.rs").read_text()
    body = text[text.index("pub enum Error"):]
    body = body[: body.index("\n}\n")]
    variants = re.findall(r"^    ([A-Z][A-Za-z0-9]*)\b", body, flags=re.M)
    assert {"Io", "PlscReliability", "GroupTooSmall", "ZeroCustomers"} <= set(variants)
    codes = documented_codes()
    assert list(codes) == variants
    cls = {v: csikit._csikit._error_class(kind) for v, (_, kind) in codes.items()}
    base = [v for v in variants if cls[v] == "CsikitError"]
    # Settings out of range: InvalidSetting, TooManyResamples (a resample
    # count beyond what memory allows) and TooManyDrivers (beyond the exact
    # and sampled Shapley limits); a KPI definitions or targets table that
    # cannot be used (InvalidKpiDefinition, UnknownKpi, UnknownUnit, InvalidTarget).
    assert base == ["InvalidSetting", "InvalidKpiDefinition", "UnknownKpi", "UnknownUnit",
                    "InvalidTarget", "TooManyResamples", "TooManyDrivers"]
    assert cls["PlscReliability"] == "EstimationError"
    assert cls["NoDrivers"] == "ModelError"
    assert cls["InvalidFolds"] == "DataError"
    assert cls["Io"] == "DataError"
    assert cls["NotConverged"] == "ConvergenceError"
    assert set(cls.values()) == {"DataError", "ModelError", "EstimationError",
                                 "ConvergenceError", "CsikitError"}
    # Every class named exists and sits in the hierarchy.
    for name in set(cls.values()):
        assert issubclass(getattr(csikit, name), csikit.CsikitError)
    # The exception's `kind` is the code in CamelCase: that gives back the variant.
    for variant, (code, _) in codes.items():
        assert "".join(w.capitalize() for w in code.split("_")) == variant
    assert len({code for code, _ in codes.values()}) == len(codes)
    with pytest.raises(ValueError, match="not an error kind"):
        csikit._csikit._error_class("UnknownColumn")


def test_new_data_errors(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    raises(csikit.DataError, "InvalidFolds", "1 folds", fit.predict, folds=1)
    raises(csikit.DataError, "OmissionDistance", "omission distance 5", fit.q2, omission=5)
    raises(csikit.DataError, "InvalidScale", "10..1", fit.index, scale=(10, 1))
    raises(csikit.DataError, "InvalidScale", "sat1", fit.index, scale=(0, 10),
           item_scales={"sat1": (1, float("nan"))})
    df = csikit.simulate_survey(300, seed=1)
    raises(csikit.DataError, "GroupTooSmall", "minimum 100", csikit.csi_segments, df,
           csikit.ecsi_model(), "region", scale=(1, 10), min_group_size=100,
           small_groups="error")
    raises(csikit.DataError, "InvalidAggregationWeight", "-1", csikit.aggregate_index,
           {"name": ["A", "B"], "index": [70.0, 80.0], "weight": [-1.0, 2.0]})
    complaints = pd.DataFrame({"month": ["2025-01", "2025-02"], "category": ["a", "b"],
                               "hours": [1.0, 2.0]})
    customers = pd.DataFrame({"month": ["2025-01", "2025-02"], "customers": [100.0, 100.0]})
    raises(csikit.DataError, "InvalidPeriod", "Jan", csikit.monitor,
           complaints.assign(month=["Jan", "2025-02"]), customers)
    raises(csikit.DataError, "ZeroCustomers", "positive", csikit.monitor, complaints,
           customers.assign(customers=[0.0, 100.0]))
    raises(csikit.DataError, "NegativeDuration", "-2", csikit.monitor,
           complaints.assign(hours=[1.0, -2.0]), customers, response_hours="hours")
    raises(csikit.DataError, "UnknownPeriod", "2030-01", csikit.monitor, complaints, customers,
           base_period="2030-01")
    raises(csikit.DataError, "UnknownPeriod", "2025-03", csikit.monitor,
           complaints.assign(month=["2025-01", "2025-03"]), customers)


def test_new_model_errors(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    raises(csikit.ModelError, "NoPredictionTargets", "IMAG", fit.predict, targets=["IMAG"])
    e = raises(csikit.ModelError, "UnknownTarget", "SATT", fit.ipma, "SATT", scale=(0, 10))
    assert "SAT" in str(e)
    raises(csikit.ModelError, "NoDrivers", "IMAG", fit.ipma, "IMAG", scale=(0, 10))
    raises(csikit.ModelError, "UnmappedConstruct", "Loyalty", csikit.csi_model, "acsi",
           {"Expectation": ["e1"], "Quality": ["q1"], "Value": ["v1"], "Satisfaction": ["s1"],
            "Complaints": ["c1"]})
    raises(csikit.ModelError, "UnknownTarget", "Delight", csikit.csi_segments,
           csikit.simulate_survey(300), csikit.ecsi_model(), "region", scale=(1, 10),
           target="Delight")


def test_new_estimation_errors():
    # Two indicators of X correlate negatively: rho_A < 0, PLSc cannot disattenuate.
    rng = np.random.default_rng(7)
    cov = np.array([[1.0, -0.3, 0.2, 0.2], [-0.3, 1.0, 0.2, 0.2],
                    [0.2, 0.2, 1.0, 0.5], [0.2, 0.2, 0.5, 1.0]])
    x = rng.multivariate_normal(np.zeros(4), cov, size=400)
    df = pd.DataFrame(x, columns=["x1", "x2", "y1", "y2"])
    model = "X =~ x1 + x2\nY =~ y1 + y2\nY ~ X"
    raises(csikit.EstimationError, "PlscReliability", "rho_A", csikit.pls, df, model,
           consistent=True)
    assert csikit.pls(df, model).converged  # plain PLS is fine
    # A Mode B block whose weights times the scale ranges sum to < 0: no index.
    x1, x2 = rng.normal(size=300), rng.normal(size=300)
    lat = 0.2 * x1 - 0.9 * x2 + 0.4 * rng.normal(size=300)
    df = pd.DataFrame({"x1": x1 + 5, "x2": x2 + 5, "y1": lat + 0.5 * rng.normal(size=300),
                       "y2": lat + 0.5 * rng.normal(size=300)})
    fit = csikit.pls(df, "X <~ x1 + x2\nY =~ y1 + y2\nY ~ X")
    raises(csikit.EstimationError, "IndexUndefined", "`X`", fit.index, scale=(0, 10),
           item_scales={"x1": (0, 100)})


def test_new_setting_errors(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    raises(csikit.CsikitError, "InvalidSetting", "scale", fit.index)
    raises(csikit.CsikitError, "InvalidSetting", "approach", fit.predict, approach="latest")
    raises(csikit.CsikitError, "InvalidSetting", "ranking", fit.ipma, "SAT", scale=(0, 10),
           ranking="random")
    raises(csikit.CsikitError, "InvalidSetting", "ipma", fit.to_dict, ipma="SAT")
    raises(csikit.CsikitError, "InvalidSetting", "case_weights", csikit.pls(
        satisfaction.assign(w=1.0), syntax, weights="w").predict)
    raises(csikit.CsikitError, "InvalidSetting", "template", csikit.csi_template, "nsci")
    raises(csikit.CsikitError, "InvalidSetting", "by", csikit.kano,
           pd.DataFrame({"feature": ["a"], "A": [1], "O": [2], "M": [3], "I": [4]}),
           counts=True, by="feature")
