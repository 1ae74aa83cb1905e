"""Python bindings of the key-driver commands (issue 16: ``csikit drivers``,
``profile``, ``link``) and the user-defined KPIs and report language of
``csikit.monitor_report`` (issue 17): ``to_dict()`` equals the command's
JSON, bad input raises the library's typed errors."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import csikit

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
KPI = DATA / "kpi"


def command_json(*args):
    """The ``csikit`` command's --json output."""
    target = os.environ.get("CARGO_TARGET_DIR", str(REPO / "target"))
    binary = os.environ.get("CSIKIT_BIN") or str(Path(target) / "debug" / "csikit")
    if os.path.exists(binary):
        cmd = [binary, *args]
    elif shutil.which("cargo"):
        cmd = ["cargo", "run", "--quiet", "-p", "csikit-cli", "--", *args]
    else:
        pytest.skip("needs cargo (or CSIKIT_BIN) to run the csikit command")
    out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_drivers_equals_the_command(tmp_path):
    path = DATA / "satisfaction.csv"
    expected = command_json("drivers", "--data", str(path), "--target", "sat1",
                            "--drivers", "qual1,qual2,val1,imag1", "--json", "--no-charts",
                            "--out", str(tmp_path))
    r = csikit.drivers(pd.read_csv(path), target="sat1",
                       drivers=["qual1", "qual2", "val1", "imag1"])
    # A DataFrame was read by no one: the command's `input` (how it read its
    # file) is the only difference.
    assert "input" in expected
    assert r.to_dict() == {k: v for k, v in expected.items() if k != "input"}
    # Shapley values add up to R²; shares to 1.
    assert abs(r.drivers["shapley"].sum() - r.r_squared) < 1e-12
    assert abs(r.drivers["shapley_share"].sum() - 1) < 1e-12
    assert list(r.drivers["name"]) == ["qual1", "qual2", "val1", "imag1"]
    zh = csikit.drivers(pd.read_csv(path), target="sat1",
                        drivers=["qual1", "qual2", "val1", "imag1"], lang="zh")
    assert zh.to_dict() == r.to_dict()
    assert zh.report_markdown != r.report_markdown
    assert zh.report_html.startswith("<") and list(zh.charts) == ["drivers_shares"]


def test_profile_equals_the_command():
    path = DATA / "satisfaction.csv"
    expected = command_json("profile", "--data", str(path), "--target", "sat1",
                            "--threshold", "5", "--segments", "gender",
                            "--drivers", "qual1,val1", "--json")
    r = csikit.profile(pd.read_csv(path), target="sat1", threshold=5,
                       segments=["gender"], drivers=["qual1", "val1"])
    assert r.to_dict() == expected
    d = r.to_dict()
    # The dissatisfied are the answers ≤ 5.
    sat = pd.read_csv(path)["sat1"]
    assert d["dissatisfied"] == int((sat <= 5).sum())
    assert len(r.segments) == len(d["segments"]) and len(r.drivers) == 2
    assert r.report_markdown and r.report_html is None


def test_link_equals_the_command(tmp_path):
    survey = tmp_path / "survey.csv"
    ops = tmp_path / "ops.csv"
    survey.write_text("city,month,sat\nA,2026-01,7\nA,2026-01,9\nA,2026-02,6\n"
                      "B,2026-01,5\nB,2026-02,8\nC,2026-01,6\nC,2026-02,7\n")
    ops.write_text("city,month,drop\nA,2026-01,1\nA,2026-02,2\nB,2026-01,3\n"
                   "B,2026-02,0.5\nC,2026-01,2\nC,2026-02,1\n")
    expected = command_json("link", "--data", str(survey), "--operational", str(ops),
                            "--unit", "city", "--period", "month", "--indices", "sat",
                            "--metrics", "drop", "--json")
    r = csikit.link(pd.read_csv(survey), pd.read_csv(ops), unit="city", period="month",
                    indices=["sat"], metrics=["drop"])
    assert r.to_dict() == expected
    # Pearson r of the 6 cell means (A: 8, 6; B: 5, 8; C: 6, 7) with drop.
    means = np.array([8, 6, 5, 8, 6, 7.0])
    drop = np.array([1, 2, 3, 0.5, 2, 1])
    assert abs(r.pairs.loc[0, "r"] - np.corrcoef(means, drop)[0, 1]) < 1e-12


def test_driver_errors_are_typed():
    df = pd.read_csv(DATA / "satisfaction.csv")
    with pytest.raises(csikit.DataError) as e:
        csikit.drivers(df, target="sat1", drivers=["qual1", "qaul2"])
    assert e.value.code == "unknown_column"
    with pytest.raises(csikit.CsikitError):
        csikit.drivers(df, target="sat1", drivers=["qual1"], lang="fr")


def monitor_tables():
    return csikit.simulate_monitor(3000, months=3)


def test_monitor_report_language_and_kpis_equal_the_command(tmp_path):
    complaints, customers, survey = monitor_tables()
    en = csikit.monitor_report(complaints, customers, survey)
    zh = csikit.monitor_report(complaints, customers, survey, lang="zh")
    # Still a dict, the same for both languages; the report is in the language.
    assert isinstance(zh, dict) and zh == en and zh.to_dict() == en.to_dict()
    assert "投诉监控报告" in zh.report_markdown and "预警" in zh.report_markdown
    assert "Complaint monitoring report" in en.report_markdown
    assert 'lang="zh"' in zh.report_html
    assert "ewma_watch" in zh.charts
    assert en.kpi_values.empty and "custom_kpis" not in en

    kpis = pd.DataFrame({
        "kpi": ["fast", "p90"],
        "kind": ["share_below", "percentile"],
        "column": ["response_hours", "resolution_hours"],
        "threshold": [1.0, np.nan],
        "percentile": [np.nan, 90.0],
        "unit": ["region", "region"],
        "table": ["complaints", "complaints"],
    })
    targets = pd.DataFrame({"指标": ["fast", "p90"], "单元": ["*", "*"],
                            "目标值": [0.9, 48], "方向": ["越高越好", "越低越好"]})
    r = csikit.monitor_report(complaints, customers, survey, kpis=kpis, targets=targets,
                              lang="zh")
    # The command on the same tables gives the same document.
    files = {}
    for name, frame in [("complaints", complaints), ("customers", customers),
                        ("survey", survey), ("kpis", kpis), ("targets", targets)]:
        files[name] = tmp_path / f"{name}.csv"
        frame.to_csv(files[name], index=False)
    expected = command_json("monitor", "--complaints", str(files["complaints"]),
                            "--customers", str(files["customers"]), "--survey",
                            str(files["survey"]), "--kpis", str(files["kpis"]),
                            "--targets", str(files["targets"]), "--json",
                            "--out", str(tmp_path / "out"))
    expected.pop("input")
    assert r.to_dict() == expected
    v = r.kpi_values
    total = v[(v["kpi"] == "fast") & v["unit"].isna() & (v["period"] == r["period"])].iloc[0]
    # The share equals the hand count on the complaints of the month.
    month = complaints[complaints["month"].astype(str) == r["period"]]
    hours = month["response_hours"].dropna()
    assert abs(total["value"] - (hours <= 1).mean()) < 1e-12
    assert total["n"] == len(hours)
    assert set(r.kpi_attainment["kpi"]) == {"fast", "p90"}
    assert (r.kpi_skipped["used"] + r.kpi_skipped["missing_value"]
            == r.kpi_skipped["rows"]).all()
    assert "达标率" in r.report_markdown and "kpi_attainment" in r.charts


def test_a_bad_targets_table_raises_a_typed_error():
    complaints, customers, survey = monitor_tables()
    kpis = {"kpi": ["fast"], "kind": ["share_below"], "column": ["response_hours"],
            "threshold": [1.0], "table": ["complaints"]}
    with pytest.raises(csikit.CsikitError) as e:
        csikit.monitor_report(complaints, customers, kpis=kpis,
                              targets={"kpi": ["fats"], "target": [0.9],
                                       "direction": ["higher"]})
    assert e.value.code == "unknown_kpi" and "did you mean `fast`" in str(e.value)
    with pytest.raises(csikit.CsikitError) as e:
        csikit.monitor_report(complaints, customers, kpis=kpis,
                              targets={"kpi": ["fast"], "target": ["high"],
                                       "direction": ["higher"]})
    assert e.value.code == "invalid_target"
    # The definitions and targets files of the tests, read by path.
    r = csikit.monitor_report(complaints, customers, kpis=KPI / "kpis.csv",
                              targets=KPI / "targets.csv",
                              kpi_data=pd.read_csv(KPI / "ops.csv"))
    v = r.kpi_values
    total = v[(v["kpi"] == "rate") & v["unit"].isna() & (v["period"] == "2025-10")].iloc[0]
    assert abs(total["value"] - 7 / 3) < 1e-12


def test_monitor_report_with_touchpoints_holds_the_scorecard(tmp_path):
    complaints, customers, survey = monitor_tables()
    tp = pd.DataFrame({
        "channel": ["app"] * 7 + ["hall"],
        "month": ["2025年10月"] * 4 + ["2025年9月"] * 3 + ["2025年9月"],
        "score": [10, 9, 3, 99, 9, 6, 6, 8],
    })
    plain = csikit.monitor_report(complaints, customers, survey)
    d = csikit.monitor_report(complaints, customers, survey, touchpoints=tp, score="score",
                              by="channel", touchpoint_period="month", scale=(0, 10), min_n=3,
                              na=[99], lang="zh")
    alone = csikit.scorecard(tp, score="score", by="channel", period="month", scale=(0, 10),
                             min_n=3, na=[99], lang="zh").attrs["document"]
    assert d["scorecard"] == alone
    # The rest of the document does not change with the section.
    assert {k: v for k, v in d.items() if k != "scorecard"} == dict(plain)
    app = [g for g in d["scorecard"]["groups"] if g["by"] == {"channel": "app"}]
    # 99 is missing: 2025-10 has n = 3, two of them top-box (9, 10) on 0-10.
    latest = [g for g in app if g["period"] == "2025-10"][0]
    assert latest["n"] == 3
    with pytest.raises(csikit.CsikitError):
        csikit.monitor_report(complaints, customers, survey, touchpoints=tp)
