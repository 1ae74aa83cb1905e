"""Every error path raises the documented exception with the library's message."""

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
