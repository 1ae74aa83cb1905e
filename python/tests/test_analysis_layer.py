"""Python over the library's analysis layer (issue 13, item 8) and the Python
findings of issue 14: keyword arguments become the library's settings and
requests, tables cross as columns, the codebook, SERVQUAL item lists, text
columns holding numbers, and Ctrl-C during resampling."""

import os
import signal
import time

import numpy as np
import pandas as pd
import pytest

import csikit
from conftest import DATA
from test_api import example_json, in_memory

# ----- tables cross as columns -------------------------------------------------------


def test_tables_are_columns_equal_to_the_document(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    # The compiled core gives a table as {column: list}, not JSON text.
    cols = fit._fit.report().table("paths")
    assert isinstance(cols, dict) and list(cols)[:3] == ["from", "to", "estimate"]
    assert all(isinstance(v, list) and len(v) == 10 for v in cols.values())
    d = fit.to_dict()
    for frame, key, fields in [
        (fit.paths, "paths", ["from", "to", "estimate", "std_error", "t", "p"]),
        (fit.outer, "outer", ["indicator", "construct", "weight", "loading", "communality"]),
        (fit.effects, "effects", ["from", "to", "direct", "indirect", "total"]),
        (fit.htmt, "htmt", ["a", "b", "value"]),
        (fit.constructs, "constructs", ["name", "mode", "indicators", "rho_c", "ave"]),
    ]:
        for f in fields:
            assert frame[f].tolist() == [r[f] for r in d[key]], (key, f)
    # Nullable numbers: NaN where the document has null (exogenous R²).
    assert [np.isnan(x) for x in fit.constructs["r_squared"]] == [
        c["r_squared"] is None for c in d["constructs"]]
    assert fit.constructs["block_communality"].dtype == np.float64


def test_resampling_and_csi_tables_equal_their_documents(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    b = fit.bootstrap(40, seed=2)
    rows = b.to_dict()["paths"]
    assert b.paths["ci_upper"].tolist() == [r["ci_upper"] for r in rows]
    assert b.paths["bca_lower"].tolist() == [r["bca_lower"] for r in rows]
    g = fit.mga("gender", permutations=19, seed=3)
    rows = g.to_dict()["paths"]
    assert g.paths["group_a"].tolist() == [r["groups"][0] for r in rows]
    assert g.paths["estimate_b"].tolist() == [r["estimates"][r["groups"][1]] for r in rows]
    assert g.paths["p_permutation"].tolist() == [r["p_permutation"] for r in rows]
    idx = fit.index(scale=(0, 10))
    rows = idx.to_dict()["constructs"]
    assert idx.constructs["index"].tolist() == [r["index"] for r in rows]
    assert idx.constructs["ci_lower"].tolist() == [r["ci"]["lower"] for r in rows]
    assert idx.indicators["scale_max"].tolist() == [10.0] * 27
    m = fit.ipma("SAT", scale=(0, 10))
    rows = m.to_dict()["constructs"]
    assert m.constructs["importance"].tolist() == [r["importance"] for r in rows]
    # Without the bootstrap the interval columns exist, empty.
    assert m.constructs["importance_ci_lower"].isna().all()


def test_servqual_and_kano_tables_equal_their_documents():
    sq = csikit.servqual(csikit.simulate_servqual(150, seed=4), by="branch")
    d = sq.to_dict()
    assert sq.items["gap"].tolist() == [r["gap"] for r in d["items"]]
    dims = sq.dimensions
    assert dims["name"].tolist() == [r["name"] for r in d["dimensions"]]
    seg = sq.segments["2"]
    assert seg.n == next(s["report"]["n"] for s in d["segments"] if s["label"] == "2")
    assert seg.dimensions["gap"].tolist() == [
        r["gap"] for r in next(s for s in d["segments"] if s["label"] == "2")["report"]["dimensions"]]
    k = csikit.kano(csikit.simulate_kano(200, seed=5))
    d = k.to_dict()
    assert k.features["feature"].tolist() == [f["feature"] for f in d["features"]]
    assert k.features["counts_A"].tolist() == [f["counts"]["A"] for f in d["features"]]
    assert k.features["better"].tolist() == [f["better"] for f in d["features"]]


# ----- settings name the Python keyword ------------------------------------------------


def test_settings_errors_name_the_keyword(satisfaction, syntax):
    with pytest.raises(csikit.CsikitError, match="`tol`") as e:
        csikit.pls(satisfaction, syntax, tol=0)
    assert e.value.kind == "InvalidSetting"
    with pytest.raises(csikit.CsikitError, match="`max_iter`"):
        csikit.csi_segments(satisfaction, syntax, "gender", scale=(0, 10), max_iter=0)
    with pytest.raises(csikit.CsikitError, match="`by`"):
        csikit.kano(pd.DataFrame({"feature": ["a"], "A": [1], "O": [2], "M": [3], "I": [4]}),
                    counts=True, by="feature")
    with pytest.raises(TypeError):
        csikit.csi_segments(satisfaction, syntax, "gender", scale=(0, 10), tolerance=1e-6)


# ----- the codebook ----------------------------------------------------------------------

BLOCK_ITEMS = ["imag1", "imag2", "imag3", "imag4", "imag5", "expe1", "expe2", "expe3", "expe4",
               "expe5", "qual1", "qual2", "qual3", "qual4", "qual5", "val1", "val2", "val3",
               "val4", "sat1", "sat2", "sat3", "sat4", "loy1", "loy2", "loy3", "loy4"]


def codebook_frame():
    """The satisfaction items on their 0-10 scale; 98/99 missing codes; loy4 reversed."""
    return pd.DataFrame({
        "item": BLOCK_ITEMS,
        "label": [f"question {i}" for i in BLOCK_ITEMS],
        "min": 0,
        "max": 10,
        "missing": "98;99",
        "reverse": ["yes" if i == "loy4" else "" for i in BLOCK_ITEMS],
    })


def test_codebook_recodes_like_the_command(tmp_path, satisfaction, syntax):
    raw = satisfaction.copy()
    raw.loc[[4, 17], "qual2"] = 99
    raw.loc[30, "sat3"] = 98
    data_file = tmp_path / "raw.csv"
    raw.to_csv(data_file, index=False)
    cb = codebook_frame()
    cb_file = tmp_path / "codebook.csv"
    cb.to_csv(cb_file, index=False)
    fit = csikit.pls(raw, syntax, codebook=cb)
    # Codes 98/99 are missing (listwise: three rows dropped), loy4 is 10 - x.
    by_hand = satisfaction.drop(index=[4, 17, 30]).assign(loy4=lambda d: 10 - d["loy4"])
    expected_fit = csikit.pls(by_hand, syntax)
    assert (fit.n_observations, fit.n_dropped) == (247, 3)
    np.testing.assert_allclose(fit.paths["estimate"], expected_fit.paths["estimate"], atol=1e-12)
    # The document is the command's (`pls --codebook`): recoding, declared scales, the index.
    expected = example_json(tmp_path, data_file, syntax, "--codebook", str(cb_file))
    got = fit.to_dict()
    assert got == in_memory(expected)
    assert got["data"]["recoding"]["missing_cells"] == 3
    assert got["data"]["recoding"]["reversed"] == ["loy4"]
    assert all("index" in c for c in got["constructs"])
    # A path to the codebook file is the same codebook; so is the codebook given to to_dict.
    assert csikit.pls(raw, syntax, codebook=cb_file).to_dict() == got
    assert csikit.pls(raw, syntax).to_dict(codebook=cb_file) == got
    # Later uses of the rows are recoded the same way.
    assert len(fit.scores()) == 247
    assert fit.bootstrap(20, seed=1).n_observations == 247


def test_codebook_errors(satisfaction, syntax):
    raw = satisfaction.assign(sat1=satisfaction["sat1"].where(satisfaction.index != 7, 12))
    with pytest.raises(csikit.DataError) as e:
        csikit.pls(raw, syntax, codebook=codebook_frame())
    assert e.value.kind == "CodebookOutOfScale" and "sat1" in str(e.value)
    bad = codebook_frame().assign(min=["x"] + [0] * 26)
    with pytest.raises(csikit.DataError) as e:
        csikit.pls(satisfaction, syntax, codebook=bad)
    assert e.value.kind == "Codebook" and "imag1" in str(e.value)


def test_acsi_report_with_a_codebook(tmp_path):
    df = csikit.simulate_survey(600, seed=3)
    items = list(csikit.ecsi_model().indicators)
    cb = pd.DataFrame({"item": items, "label": [f"Q {i}" for i in items], "min": 1, "max": 10,
                       "missing": "", "reverse": ""})
    paths = csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "with", codebook=cb)
    report = (tmp_path / "with" / "report.md").read_text()
    # Declared scales: nothing is scored on an observed range.
    assert "observed range" not in report
    paths = csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "without")
    assert "observed range" in (tmp_path / "without" / "report.md").read_text()
    assert any(p.name == "report.html" for p in paths)


def test_acsi_report_bins_crossed_segments_and_the_why_section(tmp_path):
    df = csikit.simulate_survey(1200, seed=4)
    df["arpu"] = (np.arange(len(df)) * 37) % 200 + 0.5
    csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "q", segments=["arpu"],
                       bins={"arpu": "q4"})
    quartiles = (tmp_path / "q" / "report.md").read_text()
    csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "s", segments=["arpu"],
                       bins=["arpu=q4"])
    # The mapping and the command's string give the same report.
    assert (tmp_path / "s" / "report.md").read_text() == quartiles
    csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "c", segments=["region*arpu"],
                       bins={"arpu": [100]})
    crossed = (tmp_path / "c" / "report.md").read_text()
    assert "Why: relative importance" in crossed
    # Cut at 100: two bins crossed with the regions; every region appears with both.
    for region in df["region"].unique():
        assert f"{region} × 1: <100" in crossed and f"{region} × 2: ≥100" in crossed, region
    assert "arpu: 100; 0 rows without a value are in no bin." in crossed
    csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "n", key_drivers=False)
    assert "Why: relative importance" not in (tmp_path / "n" / "report.md").read_text()
    strict = tmp_path / "d"
    csikit.acsi_report(df, csikit.ecsi_model(), strict, dissatisfied_at=40.0)
    loose = tmp_path / "e"
    csikit.acsi_report(df, csikit.ecsi_model(), loose, dissatisfied_at=60.0)
    assert (strict / "report.md").read_text() != (loose / "report.md").read_text()
    with pytest.raises(TypeError):
        csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "x", bins="arpu=q4")
    with pytest.raises(csikit.CsikitError):
        csikit.acsi_report(df, csikit.ecsi_model(), tmp_path / "y", bins=["arpu=qx"])


# ----- SERVQUAL item lists (issue 14) --------------------------------------------------------


def test_servqual_reverse_takes_a_string_of_ranges():
    df = csikit.simulate_servqual(120, seed=6, missing_rate=0.0)
    plain = csikit.servqual(df).items.set_index("id")
    # "12" is item 12, not items 1 and 2 (the string was iterated as characters).
    one = csikit.servqual(df, reverse="12").items.set_index("id")
    assert one["reversed"].tolist() == [i == "12" for i in one.index]
    assert one.loc["12", "perception"] == pytest.approx(8 - plain.loc["12", "perception"])
    for item in ("1", "2"):
        assert one.loc[item, "perception"] == plain.loc[item, "perception"]
    assert csikit.servqual(df, reverse=12).to_dict() == csikit.servqual(df, reverse="12").to_dict()
    ranges = csikit.servqual(df, reverse="10-13,18-22").to_dict()
    listed = csikit.servqual(df, reverse=[10, 11, 12, 13, 18, 19, 20, 21, 22]).to_dict()
    assert ranges == listed
    with pytest.raises(csikit.CsikitError, match="`reverse`.*backwards"):
        csikit.servqual(df, reverse="13-10")


# ----- text columns holding numbers (issue 14) ------------------------------------------------


def test_text_columns_of_numbers_are_numeric(satisfaction, syntax):
    base = csikit.pls(satisfaction, syntax).to_dict()
    # object columns as a text export gives them, "." for missing.
    text = satisfaction.astype({c: str for c in BLOCK_ITEMS}).astype({c: object for c in BLOCK_ITEMS})
    text.loc[5, "imag2"] = "."
    fit = csikit.pls(text, syntax, na=".")
    assert (fit.n_observations, fit.n_dropped) == (249, 1)
    assert fit.to_dict()["paths"] == csikit.pls(satisfaction.drop(index=5), syntax).to_dict()["paths"]
    # pandas' string dtype.
    strings = satisfaction.astype({c: "string" for c in BLOCK_ITEMS})
    assert csikit.pls(strings, syntax).to_dict() == base
    # SPSS answers read as categories of their codes (pandas.read_spss).
    cats = satisfaction.astype({c: "category" for c in BLOCK_ITEMS})
    assert csikit.pls(cats, syntax).to_dict() == base
    floats = satisfaction.astype({c: float for c in BLOCK_ITEMS}).astype({c: "category" for c in BLOCK_ITEMS})
    assert csikit.pls(floats, syntax).to_dict() == base
    # Categories of words stay text: an error naming the column, row and cell.
    words = satisfaction.assign(imag1=pd.Categorical(np.where(satisfaction["imag1"] > 5, "high", "low")))
    with pytest.raises(csikit.DataError, match="imag1") as e:
        csikit.pls(words, syntax)
    assert e.value.kind == "NonNumeric" and ("high" in str(e.value) or "low" in str(e.value))


def test_segment_labels_of_text_numbers(satisfaction, syntax):
    # A segment column of text numbers keeps its groups.
    df = satisfaction.assign(wave=np.where(np.arange(250) < 125, "1", "2"))
    g = csikit.pls(df, syntax).mga("wave", permutations=9)
    assert g.levels == ["1", "2"] and g.n == {"1": 125, "2": 125}


# ----- Ctrl-C and progress (issue 14) -----------------------------------------------------------


def test_ctrl_c_stops_the_bootstrap(satisfaction, syntax):
    # Python's own Ctrl-C handler, as in an interactive session or notebook: a
    # process started in the background by a non-interactive shell (`cmd &`, as
    # CI jobs may be) inherits SIGINT ignored, and Python then installs no
    # handler — Ctrl-C could not reach the run, and this test would fail for
    # the environment's sake (it did, in CI and in chroot runs).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        fit = csikit.pls(satisfaction, syntax)
        seen = []

        def progress(done, total):
            seen.append((done, total))
            if len(seen) == 1:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, from a worker thread
                # The calling thread looks for signals every 50 ms; on a loaded
                # machine its wake-up can come late while the workers race on.
                time.sleep(0.2)

        with pytest.raises(KeyboardInterrupt):
            fit.bootstrap(100_000, seed=1, bca=False, progress=progress)
    finally:
        signal.signal(signal.SIGINT, previous)
    # Stopped within a few batches of 1 000 resamples, far from the end.
    assert seen and seen[0][1] == 100_000
    assert max(d for d, _ in seen) < 50_000
    # The fit is still usable.
    assert fit.bootstrap(30, seed=1).resamples == 30


def test_progress_and_its_exceptions(satisfaction, syntax):
    fit = csikit.pls(satisfaction, syntax)
    seen = []
    b = fit.bootstrap(400, seed=2, bca=False, progress=lambda d, t: seen.append((d, t)))
    assert b.resamples == 400 and (400, 400) in seen
    assert all(t == 400 and 0 < d <= 400 for d, t in seen)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop(f"{done} of {total}")

    with pytest.raises(Stop):
        fit.mga("gender", permutations=100_000, progress=stop)


# ----- the monitoring document ------------------------------------------------------------


def test_monitor_report_is_the_commands_document():
    sim = csikit.simulate_monitor(6000, months=4, seed=2)
    d = csikit.monitor_report(*sim)
    assert d["period"] == "2025-04"
    mon = csikit.monitor(sim.complaints, sim.customers, segments=["region"],
                         response_hours="response_hours", resolution_hours="resolution_hours",
                         customer_id="customer_id")
    h = mon.hotspots()
    assert [r["category"] for r in d["hotspots"]["by_volume"]] == h["by_volume"]["category"].tolist()
    assert [r["volume"] for r in d["hotspots"]["by_volume"]] == h["by_volume"]["volume"].tolist()
    k = mon.kpis(survey=sim.survey)
    k = k[k["period"] == "2025-04"]
    assert {(r["kpi"], r["segment"]) for r in d["kpis"] if r["period"] == "2025-04"} == set(
        zip(k["kpi"], [s if isinstance(s, str) else None for s in k["segment"]]))
    assert {(r["category"], r["driver"]) for r in d["links"] if r["linked"]} == {
        ("network", "quality_index"), ("billing", "value_index")}
    assert csikit.monitor_report(*sim, period="2025-02", top=2)["hotspots"]["period"] == "2025-02"


def test_kano_short_form():
    # 3-answer short form: 1 like, 2 neutral, 3 dislike; like/dislike is one-dimensional.
    df = pd.DataFrame({"wifi_f": [1, 1, 1, 2], "wifi_d": [3, 3, 2, 3]})
    row = csikit.kano(df, short=True).features.iloc[0]
    assert row["counts_O"] == 2 and row["n"] == 4
