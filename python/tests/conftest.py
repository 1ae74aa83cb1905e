"""Shared fixtures: the repository's test data and the R reference outputs."""

import json
import pathlib

import pandas as pd
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
REFERENCE = DATA / "reference"

BLOCKS = {
    "IMAG": ["imag1", "imag2", "imag3", "imag4", "imag5"],
    "EXPE": ["expe1", "expe2", "expe3", "expe4", "expe5"],
    "QUAL": ["qual1", "qual2", "qual3", "qual4", "qual5"],
    "VAL": ["val1", "val2", "val3", "val4"],
    "SAT": ["sat1", "sat2", "sat3", "sat4"],
    "LOY": ["loy1", "loy2", "loy3", "loy4"],
}
PATHS = "EXPE ~ IMAG\nQUAL ~ EXPE\nVAL ~ EXPE + QUAL\nSAT ~ IMAG + EXPE + QUAL + VAL\nLOY ~ IMAG + SAT\n"


def satisfaction_syntax(mode: str = "A") -> str:
    op = "=~" if mode == "A" else "<~"
    return "".join(f"{c} {op} {' + '.join(ind)}\n" for c, ind in BLOCKS.items()) + PATHS


def reference(name: str) -> dict:
    return json.loads((REFERENCE / f"{name}.json").read_text())


def mat(m: dict, row: str, col: str) -> float:
    """A value of a reference matrix {rows, cols, data} (data row-major, nested or flat)."""
    r, c = m["rows"].index(row), m["cols"].index(col)
    data = m["data"]
    return data[r][c] if isinstance(data[0], list) else data[r * len(m["cols"]) + c]


def df_col(frame: dict, col: str) -> list:
    return frame["columns"][col]


@pytest.fixture(scope="session")
def satisfaction() -> pd.DataFrame:
    return pd.read_csv(DATA / "satisfaction.csv")


@pytest.fixture(scope="session")
def syntax() -> str:
    return satisfaction_syntax("A")
