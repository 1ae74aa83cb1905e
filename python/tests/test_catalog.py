"""The error catalog (docs/errors.json, generated and checked by the Rust tests)
through Python: the rows reachable with a DataFrame and model syntax raise a
ValueError subclass whose message is the catalog's, word for word — never a
crash of the interpreter."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import csikit

CATALOG = {
    row["id"]: row
    for row in json.loads((Path(__file__).resolve().parents[2] / "docs" / "errors.json").read_text())
}

XY = "X =~ x1 + x2\nY =~ y1 + y2\nY ~ X"


def xy():
    # The ten rows of tests/catalog.rs's `xy_data`.
    return pd.DataFrame({
        "x1": [1., 2., 2., 3., 4., 5., 3., 4., 2., 5.],
        "x2": [2., 3., 5., 6., 7., 10., 6., 8., 3., 9.],
        "y1": [1., 3., 4., 5., 6., 9., 5., 7., 2., 10.],
        "y2": [2., 2., 5., 4., 7., 8., 6., 6., 3., 9.],
    })


def frame(text):
    rows = [line.split(",") for line in text.strip().split("\n")]
    header, body = rows[0], rows[1:]
    cols = {}
    for j, name in enumerate(header):
        cells = [r[j] for r in body]
        try:
            cols[name] = [float(c) if c != "" else np.nan for c in cells]
        except ValueError:
            cols[name] = [c if c != "" else None for c in cells]
    return pd.DataFrame(cols)


CASES = {
    "D02": lambda: csikit.pls(frame("x1,x2,y1,y2\n1,2,3,4"), XY),
    "D03": lambda: csikit.pls(xy().assign(x2=5.0), XY),
    "D04": lambda: csikit.pls(xy().assign(y1=np.nan), XY),
    "D06": lambda: csikit.pls(frame("x1,x2,y1,y2\n1,2,3,4\n2,high,4,5\n3,4,5,5"), XY),
    "D07": lambda: csikit.pls(frame("x1,x2,y1,y2\n1,2,3,4\n2,3,4,5\n3,4,5,inf\n4,4,6,7"), XY),
    "D10": lambda: csikit.pls(xy(), "X =~ x1 + x_2\nY =~ y1 + y2\nY ~ X"),
    "D11": lambda: csikit.pls(xy().assign(x1=[1., np.nan, 2., 3., 4., 5., 3., 4., 2., 5.]), XY,
                              missing="error"),
    "D12": lambda: csikit.pls(frame("x1,x2,y1,y2\n1,,3,4\n,3,4,5\n3,4,,5"), XY),
    "D13": lambda: csikit.pls(xy().assign(w=[1., 1., 1., -1., 1., 1., 1., 1., 1., 1.]), XY,
                              weights="w"),
    "D14": lambda: csikit.pls(xy().assign(w=0.0), XY, weights="w"),
    "M01": lambda: csikit.pls(xy(), "X =~ x1 + x2\nY =~ y1 y2\nY ~ X"),
    "M02": lambda: csikit.pls(xy(), "A =~ a\nB =~ b\nC =~ c\nB ~ A\nC ~ B\nA ~ C"),
    "M03": lambda: csikit.pls(xy(), "X =~ x1\nY =~ y1\nY ~ X + Y"),
    "M04": lambda: csikit.pls(xy(), "X =~ x1 + x2\nY =~ y1 + x2\nY ~ X"),
    "M05": lambda: csikit.pls(xy(), "Image =~ x1\nSat =~ y1\nSat ~ Imgae"),
}


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_catalog_message_through_python(case_id):
    row = CATALOG[case_id]
    with pytest.raises(ValueError) as info:
        CASES[case_id]()
    assert isinstance(info.value, csikit.CsikitError)
    assert info.value.kind == row["variant"]
    assert info.value.code == row["code"]
    assert type(info.value).__name__ == csikit._csikit._error_class(row["kind"])
    assert str(info.value) == row["message"]


def test_every_catalog_variant_has_a_python_class():
    # Every variant the catalog lists maps to a documented subclass (or the
    # base class for the setting errors InvalidSetting, TooManyResamples, TooManyDrivers and the
    # KPI definitions and targets errors), which tests/test_errors.py checks by name.
    variants = {row["variant"] for row in CATALOG.values()}
    assert len(CATALOG) >= 80 and len(variants) >= 50
    # One code per variant and one variant per code; every kind has a class.
    codes = {(row["variant"], row["code"]) for row in CATALOG.values()}
    assert len(codes) == len(variants) == len({code for _, code in codes})
    classes = {row["variant"]: csikit._csikit._error_class(row["kind"])
               for row in CATALOG.values()}
    assert sorted(v for v, c in classes.items() if c == "CsikitError") == [
        "InvalidKpiDefinition", "InvalidSetting", "InvalidTarget", "TooManyDrivers",
        "TooManyResamples", "UnknownKpi", "UnknownUnit"]
    assert classes["Cycle"] == "ModelError" and classes["NotConverged"] == "ConvergenceError"
