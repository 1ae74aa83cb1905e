"""The pandas API: shapes, names, dtypes, input forms, and to_dict() equal to
the `pls` example's JSON (the Rust API's own output)."""

import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import csikit
from conftest import DATA, REPO, satisfaction_syntax

CORP_REP = """
QUAL =~ qual_1 + qual_2 + qual_3 + qual_4 + qual_5 + qual_6 + qual_7 + qual_8
PERF =~ perf_1 + perf_2 + perf_3 + perf_4 + perf_5
CSOR =~ csor_1 + csor_2 + csor_3 + csor_4 + csor_5
ATTR =~ attr_1 + attr_2 + attr_3
COMP =~ comp_1 + comp_2 + comp_3
LIKE =~ like_1 + like_2 + like_3
CUSA =~ cusa
CUSL =~ cusl_1 + cusl_2 + cusl_3
COMP ~ QUAL + PERF + CSOR + ATTR
LIKE ~ QUAL + PERF + CSOR + ATTR
CUSA ~ COMP + LIKE
CUSL ~ COMP + LIKE + CUSA
"""


def example_json(tmp_path, data, model, *args):
    """The `pls` example's --json output (the Rust API), via cargo."""
    binary = os.environ.get("CSIKIT_PLS_EXAMPLE")
    model_file = tmp_path / "model.txt"
    model_file.write_text(model)
    cli = ["--data", str(data), "--model", str(model_file), "--json", *args]
    if binary:
        cmd = [binary, *cli]
    elif shutil.which("cargo"):
        cmd = ["cargo", "run", "--quiet", "--example", "pls", "--", *cli]
    else:
        pytest.skip("needs cargo (or CSIKIT_PLS_EXAMPLE) to run the pls example")
    out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def in_memory(expected):
    """The example's JSON as a fit of rows in memory gives it: without
    `input`, which says how the example read its file (a DataFrame was read
    by no one). A fit of the file (``csikit.pls(path)``) has it."""
    assert "input" in expected
    return {k: v for k, v in expected.items() if k != "input"}


def test_to_dict_equals_the_pls_example(tmp_path, satisfaction, syntax):
    expected = example_json(tmp_path, DATA / "satisfaction.csv", syntax)
    assert csikit.pls(satisfaction, syntax).to_dict() == in_memory(expected)
    from_file = csikit.pls(DATA / "satisfaction.csv", syntax).to_dict()
    assert from_file == expected
    assert from_file["input"]["rows"] == 250 and from_file["input"]["delimiter"] == ","


def test_to_dict_equals_the_example_with_options(tmp_path):
    expected = example_json(tmp_path, DATA / "corp_rep.csv", CORP_REP, "--na", "-99",
                            "--missing", "mean", "--scheme", "factorial", "--tol", "1e-9")
    df = pd.read_csv(DATA / "corp_rep.csv")
    got = csikit.pls(df, CORP_REP, na=-99, missing="mean", scheme="factorial", tol=1e-9)
    assert got.to_dict() == in_memory(expected)
    assert expected["n_imputed"] > 0 and got.n_imputed == expected["n_imputed"]


@pytest.mark.parametrize("cli, fit_options, dict_options", [
    (["--consistent"], {"consistent": True}, {}),
    (["--predict", "5", "--seed", "3"], {}, {"predict": 5, "seed": 3}),
    (["--predict", "4", "--seed", "2", "--repetitions", "2"], {},
     {"predict": 4, "seed": 2, "repetitions": 2}),
    (["--q2"], {}, {"q2": True}),
    (["--omission", "9"], {}, {"omission": 9}),
    (["--scale", "0:10", "--ipma", "SAT"], {}, {"scale": (0, 10), "ipma": "SAT"}),
    (["--consistent", "--q2", "--predict", "5", "--scale", "0:10", "--ipma", "LOY"],
     {"consistent": True}, {"q2": True, "predict": 5, "scale": (0, 10), "ipma": "LOY"}),
    (["--bootstrap", "60", "--seed", "3"], {}, {"bootstrap": 60, "seed": 3}),
    (["--bootstrap", "40", "--seed", "2", "--confidence", "0.9", "--sign-change",
      "construct_reversal", "--consistent"], {"consistent": True},
     {"bootstrap": 40, "seed": 2, "confidence": 0.9, "sign_change": "construct_reversal"}),
    (["--bootstrap", "50", "--seed", "4", "--scale", "0:10", "--ipma", "SAT"], {},
     {"bootstrap": 50, "seed": 4, "scale": (0, 10), "ipma": "SAT"}),
    (["--groups", "gender", "--permutations", "49", "--seed", "5"], {},
     {"groups": "gender", "permutations": 49, "seed": 5}),
    (["--groups", "gender", "--permutations", "29", "--seed", "1", "--correction", "none",
      "--bootstrap", "30"], {},
     {"groups": "gender", "permutations": 29, "correction": "none", "bootstrap": 30}),
    (["--ordinal"], {"correlation": "polychoric"}, {}),
    # The satisfaction data answer on 0-10 (imag1 row 111 holds 0): a declared
    # scale of 1:10 is now refused instead of giving a silently wrong index.
    (["--ordinal", "--scale", "0:10", "--ipma", "SAT"], {"correlation": "polychoric"},
     {"scale": (0, 10), "ipma": "SAT"}),
])
def test_to_dict_equals_the_example_with_analysis_options(tmp_path, satisfaction, syntax, cli,
                                                          fit_options, dict_options):
    expected = example_json(tmp_path, DATA / "satisfaction.csv", syntax, *cli)
    fit = csikit.pls(satisfaction, syntax, **fit_options)
    got = fit.to_dict(**dict_options)
    assert got == in_memory(expected)
    # The same from the CSV path (the rows are read back for Q² and PLSpredict).
    assert csikit.pls(DATA / "satisfaction.csv", syntax, **fit_options).to_dict(**dict_options) == expected
    for key, option in [("blindfolding", "q2"), ("predict", "predict"), ("ipma", "ipma"),
                        ("bootstrap", "bootstrap"), ("groups", "groups")]:
        present = option in dict_options or (key == "blindfolding" and "omission" in dict_options)
        assert (key in got) == present, key
    if "ipma" in dict_options:
        # Importance intervals exactly when bootstrapped (extra keys only).
        c0 = got["ipma"]["constructs"][0]
        assert ("importance_ci_lower" in c0) == ("bootstrap" in dict_options)
        if "bootstrap" in dict_options:
            assert c0["importance_ci_lower"] < c0["importance"] < c0["importance_ci_upper"]
    if "bootstrap" in dict_options:
        b = fit.bootstrap(dict_options["bootstrap"], seed=dict_options.get("seed", 1),
                          confidence=dict_options.get("confidence", 0.95),
                          sign_change=dict_options.get("sign_change", "none"))
        assert b.to_dict() == expected["bootstrap"]
    if "groups" in dict_options:
        g = fit.mga(dict_options["groups"], permutations=dict_options["permutations"],
                    seed=dict_options.get("seed", 1),
                    correction=dict_options.get("correction", "holm"))
        assert g.to_dict() == expected["groups"]
    if "predict" in dict_options:
        p = fit.predict(folds=dict_options["predict"], seed=dict_options.get("seed", 1),
                        repetitions=dict_options.get("repetitions", 1))
        assert p.to_dict() == expected["predict"]


SQ_HOC = """
TANG =~ a01 + a02 + a03 + a04
REL  =~ a05 + a06 + a07 + a08 + a09
RESP =~ a10 + a11 + a12 + a13
ASSU =~ a14 + a15 + a16 + a17
EMP  =~ a18 + a19 + a20 + a21 + a22
SAT  =~ sat
SQ   =~ TANG + REL + RESP + ASSU + EMP
SAT  ~ SQ
"""

MODERATION = """
IMAG =~ imag1 + imag2 + imag3 + imag4 + imag5
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT  =~ sat1 + sat2 + sat3 + sat4
SAT ~ IMAG + QUAL + IMAG:QUAL
"""


@pytest.mark.parametrize("data, model, cli, fit_options, dict_options", [
    ("sq.csv", SQ_HOC, ["--hoc", "repeated"], {"hoc_approach": "repeated"}, {}),
    ("sq.csv", SQ_HOC, ["--hoc", "embedded", "--scale", "0:100"],
     {"hoc_approach": "embedded"}, {"scale": (0, 100)}),
    ("sq.csv", SQ_HOC, ["--hoc", "disjoint", "--bootstrap", "30"],
     {"hoc_approach": "disjoint"}, {"bootstrap": 30}),
    ("sq.csv", SQ_HOC, ["--hoc", "three-stage"], {"hoc_approach": "three_stage"}, {}),
    ("sq.csv", SQ_HOC, ["--ordinal"], {"correlation": "polychoric"}, {}),
    ("satisfaction.csv", MODERATION, ["--interaction", "product"], {}, {}),
    ("satisfaction.csv", MODERATION, ["--interaction", "orthogonal", "--slopes", "IMAG:QUAL:SAT"],
     {"interaction_approach": "orthogonal"}, {"slopes": ("IMAG", "QUAL", "SAT")}),
    ("satisfaction.csv", MODERATION, ["--interaction", "two_stage", "--slopes", "QUAL:IMAG:SAT",
                                      "--bootstrap", "30", "--seed", "2"],
     {"interaction_approach": "two_stage"},
     {"slopes": ("QUAL", "IMAG", "SAT"), "bootstrap": 30, "seed": 2}),
])
def test_to_dict_equals_the_example_with_extensions(tmp_path, data, model, cli, fit_options,
                                                     dict_options):
    expected = example_json(tmp_path, DATA / data, model, *cli)
    got = csikit.pls(pd.read_csv(DATA / data), model, **fit_options).to_dict(**dict_options)
    assert got == in_memory(expected)
    assert csikit.pls(DATA / data, model, **fit_options).to_dict(**dict_options) == expected
    assert ("simple_slopes" in got) == ("slopes" in dict_options)


def test_contract_keys_and_table_schemas(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    d = fit.to_dict()
    for key in ["n_observations", "n_dropped", "scheme", "converged", "iterations", "constructs",
                "outer", "paths", "effects", "htmt", "vif_inner", "f_squared", "gof"]:
        assert key in d
    assert (d["n_observations"], d["n_dropped"], d["scheme"]) == (250, 0, "path")

    assert fit.paths.shape == (10, 6)
    assert list(fit.paths.columns) == ["from", "to", "estimate", "std_error", "t", "p"]
    assert fit.outer.shape == (27, 6)
    assert list(fit.outer.columns) == ["indicator", "construct", "weight", "loading",
                                       "communality", "redundancy"]
    assert fit.constructs.shape[0] == 6
    assert list(fit.constructs.columns[:9]) == ["name", "mode", "indicators", "r_squared",
                                                "r_squared_adj", "cronbach_alpha", "rho_c",
                                                "rho_a", "ave"]
    assert list(fit.effects.columns) == ["from", "to", "direct", "indirect", "total"]
    assert fit.htmt.shape == (15, 3) and fit.htmt_signed.shape == (15, 3)
    assert fit.vif_inner.shape == (10, 3) and fit.f_squared.shape == (10, 3)
    assert fit.cross_loadings.shape == (27, 6)
    assert fit.construct_correlations.shape == (6, 6)
    assert fit.indicator_matrix.shape == (27, 27)
    assert list(fit.reliability.index) == ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"]
    for frame, cols in [(fit.paths, ["estimate", "std_error", "t", "p"]),
                        (fit.outer, ["weight", "loading", "communality", "redundancy"]),
                        (fit.constructs, ["r_squared", "cronbach_alpha", "rho_c", "rho_a", "ave"]),
                        (fit.effects, ["direct", "indirect", "total"]),
                        (fit.htmt, ["value"]), (fit.f_squared, ["value"])]:
        for c in cols:
            assert frame[c].dtype == np.float64, c
    for frame, cols in [(fit.paths, ["from", "to"]), (fit.outer, ["indicator", "construct"]),
                        (fit.constructs, ["name", "mode"])]:
        for c in cols:
            assert pd.api.types.is_string_dtype(frame[c]), c
    # Exogenous: R² is null in the JSON, NaN in the frame.
    assert d["constructs"][0]["r_squared"] is None
    assert np.isnan(fit.constructs.loc[0, "r_squared"])
    # The frames hold the JSON's numbers.
    assert fit.paths["estimate"].tolist() == [p["estimate"] for p in d["paths"]]
    # The path matrix and the paths agree.
    pm = fit.path_matrix
    for frm, to, est in fit.paths[["from", "to", "estimate"]].itertuples(index=False):
        assert pm.loc[to, frm] == est


def test_numpy_dict_and_csv_inputs_agree(satisfaction, syntax):
    base = csikit.pls(satisfaction, syntax).to_dict()
    arr = satisfaction.drop(columns="gender").to_numpy(dtype=float)
    names = list(satisfaction.columns[:-1])
    assert csikit.pls(arr, syntax, columns=names).to_dict() == base
    assert csikit.pls(satisfaction.to_dict("list"), syntax).to_dict() == base
    # The fit of the file also says how it was read (`input`).
    assert in_memory(csikit.pls(str(DATA / "satisfaction.csv"), syntax).to_dict()) == base
    # Integer and nullable-integer columns are numbers too.
    ints = satisfaction.astype({c: "Int64" for c in names})
    assert csikit.pls(ints, syntax).to_dict() == base


def test_row_order_invariance(satisfaction, syntax):
    a = csikit.pls(satisfaction, syntax)
    b = csikit.pls(satisfaction.sample(frac=1.0, random_state=3), syntax)
    np.testing.assert_allclose(a.paths["estimate"], b.paths["estimate"], atol=1e-12)
    # Scores follow the rows (indexed like the data).
    sa, sb = a.scores(), b.scores().sort_index()
    np.testing.assert_allclose(sa.to_numpy(), sb.to_numpy(), atol=1e-10)
    assert list(sa.columns) == ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"]
    assert sa.dtypes.eq(np.float64).all()
    np.testing.assert_allclose(sa.mean(), 0, atol=1e-12)
    np.testing.assert_allclose(sa.std(), 1, atol=1e-12)


def test_missing_markers_and_listwise(satisfaction, syntax):
    df = satisfaction.copy()
    df.loc[[3, 10, 11], "imag2"] = -99
    df.loc[[10, 40], "loy4"] = np.nan
    fit = csikit.pls(df, syntax, na=-99)
    assert (fit.n_observations, fit.n_dropped) == (246, 4)
    dropped = satisfaction.drop(index=[3, 10, 11, 40])
    assert fit.to_dict()["paths"] == csikit.pls(dropped, syntax).to_dict()["paths"]
    assert fit.missing["missing_by_column"] == [["imag2", 3], ["loy4", 2]]
    scores = fit.scores()
    assert len(scores) == 246 and 3 not in scores.index
    with pytest.raises(csikit.DataError, match="imag2"):
        csikit.pls(df, syntax, na=-99, missing="error")


def test_case_weights_equal_repeated_rows(satisfaction, syntax):
    w = np.where(np.arange(250) % 3 == 0, 2.0, 1.0)
    weighted = csikit.pls(satisfaction.assign(w=w), syntax, weights="w")
    repeated = pd.concat([satisfaction, satisfaction[w == 2.0]])
    expected = csikit.pls(repeated, syntax)
    np.testing.assert_allclose(weighted.paths["estimate"], expected.paths["estimate"], atol=1e-12)
    np.testing.assert_allclose(weighted.outer["weight"], expected.outer["weight"], atol=1e-12)


def test_text_columns_are_ignored_and_models_roundtrip(satisfaction, syntax):
    m = csikit.Model(syntax)
    assert m.indicators[:2] == ["imag1", "imag2"]
    assert m.constructs[0] == ("IMAG", "A", ["imag1", "imag2", "imag3", "imag4", "imag5"])
    assert ("IMAG", "EXPE") in m.paths
    assert csikit.Model(m.to_syntax()).to_syntax() == m.to_syntax()
    # gender is text: ignored, since the model does not use it.
    assert csikit.pls(satisfaction, m).n_observations == 250


def test_summary_and_repr(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    assert "SAT" in fit.summary() and str(fit) == fit.summary()
    assert "converged=True" in repr(fit)


def test_simulated_survey():
    df = csikit.simulate_survey(300, seed=5)
    assert df.shape == (300, 29)
    assert isinstance(df["region"].dtype, pd.CategoricalDtype)
    assert df["CUSA1"].dtype == np.float64
    again = csikit.simulate_survey(300, seed=5)
    pd.testing.assert_frame_equal(df, again)
    fit = csikit.pls(df, csikit.ecsi_model())
    assert fit.converged and len(fit.constructs) == 7


def test_read_csv_matches_pandas():
    ours = csikit.read_csv(DATA / "corp_rep.csv", na=-99)
    theirs = pd.read_csv(DATA / "corp_rep.csv", na_values=[-99]).astype(float)
    pd.testing.assert_frame_equal(ours, theirs)


def test_servqual_and_kano_match_their_reports():
    sq = csikit.servqual(csikit.simulate_servqual(200, seed=2, missing_rate=0.0))
    d = sq.to_dict()
    assert sq.dimensions.shape[0] == 5 and sq.items.shape[0] == 22
    assert list(sq.dimensions["gap"]) == [x["gap"] for x in d["dimensions"]]
    # Gap = perception - expectation, per dimension, and the unweighted score is negative.
    np.testing.assert_allclose(
        sq.dimensions["perception"] - sq.dimensions["expectation"], sq.dimensions["gap"],
        atol=1e-12)
    assert sq.unweighted < 0 and sq.n == 200
    # A hand-computed case (one dimension, two items, two respondents).
    tiny = pd.DataFrame({"E1": [7, 5], "E2": [6, 6], "P1": [5, 5], "P2": [6, 7]})
    r = csikit.servqual(tiny, dimensions={"service": [1, 2]})
    assert r.dimensions.loc[0, "gap"] == pytest.approx((-2 + 0 + 0 + 1) / 4)

    kano = csikit.kano(pd.DataFrame({"seat_f": [1, 1, 1, 2], "seat_d": [5, 5, 3, 5]}))
    row = kano.features.iloc[0]
    assert (row["counts_O"], row["counts_A"], row["counts_M"]) == (2, 1, 1)
    assert row["category"] == "O" and row["better"] == 0.75
    counts = pd.DataFrame({"feature": ["seat"], "M": [95], "O": [123], "A": [45], "I": [33]})
    c = csikit.kano(counts, counts=True).features.iloc[0]
    assert c["n"] == 296 and c["category"] == "O"
    assert c["fong_significant"]
