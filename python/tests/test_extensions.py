"""Model extensions (issue 8): higher-order constructs, interaction terms and
polychoric correlations through csikit.pls, checked against the `pls`
example's JSON (the Rust API) and the library's error classes."""

import numpy as np
import pandas as pd
import pytest

import csikit
from conftest import DATA
from test_api import example_json, in_memory

SQ = """
TANG =~ a01 + a02 + a03 + a04
REL  =~ a05 + a06 + a07 + a08 + a09
RESP =~ a10 + a11 + a12 + a13
ASSU =~ a14 + a15 + a16 + a17
EMP  =~ a18 + a19 + a20 + a21 + a22
SAT  =~ sat
SQ   =~ TANG + REL + RESP + ASSU + EMP
SAT  ~ SQ
"""
DIMS = ["TANG", "REL", "RESP", "ASSU", "EMP"]

MODERATION = """
IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT  =~ sat1 + sat2 + sat3 + sat4
SAT ~ IMAG + QUAL + IMAG:QUAL
"""


@pytest.fixture(scope="module")
def sq():
    return pd.read_csv(DATA / "sq.csv")


def path_of(d, frm, to):
    return next(p["estimate"] for p in d["paths"] if p["from"] == frm and p["to"] == to)


@pytest.mark.parametrize("approach, name", [
    ("repeated", "repeated_indicators"),
    ("embedded", "two_stage_embedded"),
    ("disjoint", "two_stage_disjoint"),
])
def test_higher_order_model_equals_the_rust_example(tmp_path, sq, approach, name):
    expected = example_json(tmp_path, DATA / "sq.csv", SQ, "--hoc", approach)
    fit = csikit.pls(sq, SQ, hoc_approach=approach)
    assert fit.to_dict() == in_memory(expected)
    assert csikit.pls(DATA / "sq.csv", SQ, hoc_approach=approach).to_dict() == expected
    # The path SQ -> SAT is the example's, and the extension is reported.
    got = fit.paths.set_index(["from", "to"])["estimate"]
    assert got[("SQ", "SAT")] == path_of(expected, "SQ", "SAT")
    assert 0.3 < got[("SQ", "SAT")] < 1
    # Repeated indicators are one plain estimation (no derived columns, no extension).
    if approach == "repeated":
        assert fit.extension is None
    else:
        assert fit.extension["hoc_approach"] == name
        assert fit.extension["derived_columns"] == DIMS
        assert fit.extension["stage1"]["paths"]
    # The specified model keeps the higher-order construct; scores use the raw items.
    assert "TANG" not in fit.specified_model.indicators
    scores = fit.scores()
    assert len(scores) == fit.n_observations and "SQ" in scores.columns
    # Higher-order assessment: LOCs as indicators.
    hoa = fit.higher_order_assessment()
    assert list(hoa["constructs"]["construct"]) == ["SQ"]
    assert list(hoa["loadings"]["component"]) == DIMS
    assert list(hoa["vif"]["component"]) == DIMS
    assert hoa["loadings"]["loading"].between(0.5, 1).all()
    row = hoa["constructs"].iloc[0]
    assert row["approach"] == name and 0 < row["ave"] < row["rho_c"] < 1
    assert (hoa["vif"]["vif"] > 1).all()
    assert [h["construct"] for h in expected["higher_order"]] == ["SQ"]


def test_no_higher_order_constructs_give_empty_frames(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    hoa = fit.higher_order_assessment()
    assert all(len(f) == 0 for f in hoa.values())
    assert list(hoa["loadings"].columns) == ["construct", "component", "loading"]
    assert fit.extension is None and fit.correlation == "pearson"


@pytest.mark.parametrize("approach", ["product", "orthogonal", "two_stage"])
def test_interaction_model_and_simple_slopes(tmp_path, satisfaction, approach):
    expected = example_json(tmp_path, DATA / "satisfaction.csv", MODERATION,
                            "--interaction", approach, "--slopes", "QUAL:IMAG:SAT")
    fit = csikit.pls(satisfaction, MODERATION, interaction_approach=approach)
    assert fit.to_dict(slopes=("QUAL", "IMAG", "SAT")) == in_memory(expected)
    assert "simple_slopes" not in fit.to_dict()
    ss = fit.simple_slopes("QUAL", "IMAG", "SAT")
    assert list(ss.columns) == ["moderator_sd", "slope", "ci_lower", "ci_upper"]
    assert ss["moderator_sd"].tolist() == [-1.0, 0.0, 1.0]
    assert ss["slope"].tolist() == [r["slope"] for r in expected["simple_slopes"]["rows"]]
    assert ss["ci_lower"].isna().all()
    paths = fit.paths.set_index(["from", "to"])["estimate"]
    term = ss.attrs["term"]
    assert term == "IMAG:QUAL" or term == "QUAL:IMAG"
    np.testing.assert_allclose(
        ss["slope"], paths[("QUAL", "SAT")] + paths[(term, "SAT")] * ss["moderator_sd"],
        atol=1e-15)
    assert ss.attrs["interaction_effect"] == paths[(term, "SAT")]
    # Scores on the raw data derive the interaction term.
    assert term in fit.scores().columns


def test_simple_slopes_with_bootstrap_intervals(tmp_path, satisfaction):
    expected = example_json(tmp_path, DATA / "satisfaction.csv", MODERATION,
                            "--bootstrap", "40", "--seed", "3", "--slopes", "QUAL:IMAG:SAT")
    fit = csikit.pls(satisfaction, MODERATION)
    assert fit.to_dict(bootstrap=40, seed=3, slopes=("QUAL", "IMAG", "SAT")) == in_memory(expected)
    ss = fit.simple_slopes("QUAL", "IMAG", "SAT", bootstrap=40, seed=3)
    rows = expected["simple_slopes"]["rows"]
    assert ss["ci_lower"].tolist() == [r["ci"][0] for r in rows]
    assert ss["ci_upper"].tolist() == [r["ci"][1] for r in rows]
    assert (ss["ci_lower"] < ss["slope"]).all() and (ss["slope"] < ss["ci_upper"]).all()


def test_polychoric_on_satisfaction(tmp_path, satisfaction, syntax):
    expected = example_json(tmp_path, DATA / "satisfaction.csv", syntax, "--ordinal")
    poly = csikit.pls(satisfaction, syntax, correlation="polychoric")
    assert poly.to_dict() == in_memory(expected)
    assert poly.correlation == "polychoric" == expected["correlation"]
    pearson = csikit.pls(satisfaction, syntax)
    # Disattenuated item correlations: higher mean loading than Pearson's.
    assert poly.outer["loading"].mean() > pearson.outer["loading"].mean()
    # Moment-based procedures refuse it.
    with pytest.raises(csikit.EstimationError):
        poly.bootstrap(10)


def test_bad_inputs_raise_the_error_classes(satisfaction, syntax):
    with pytest.raises(csikit.ModelError, match="IMAG:IMAG"):
        csikit.pls(satisfaction, MODERATION.replace("IMAG:QUAL", "IMAG:IMAG"))
    with pytest.raises(csikit.ModelError):
        csikit.Model("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X + X:X")
    rng = np.random.default_rng(1)
    continuous = satisfaction.assign(imag1=satisfaction["imag1"] + rng.normal(0, 0.3, 250))
    with pytest.raises(csikit.DataError, match="imag1"):
        csikit.pls(continuous, syntax, correlation="polychoric")
    # Unknown approach names are setting errors with the accepted values.
    for kw, options in [("hoc_approach", "repeated, embedded, disjoint"),
                        ("interaction_approach", "product, orthogonal, two_stage"),
                        ("correlation", "pearson, polychoric")]:
        with pytest.raises(ValueError, match=options):
            csikit.pls(satisfaction, syntax, **{kw: "nope"})
