"""Report languages of SERVQUAL and KANO (issue 15): ``lang=`` and
``codebook=`` change the report and charts, never the numbers."""

import pandas as pd

import csikit


def test_servqual_report_in_chinese_with_codebook_wording():
    data = csikit.simulate_servqual(200)
    codebook = pd.DataFrame(
        {"item": ["P8"], "label": ["承诺的服务按时完成"], "label_en": ["Service on time"]}
    )
    en = csikit.servqual(data, codebook=codebook)
    zh = csikit.servqual(data, lang="zh", codebook=codebook)
    # The numbers (and the JSON) do not depend on the language.
    assert zh.to_dict() == en.to_dict()
    assert zh.unweighted == en.unweighted
    assert "服务质量差距" in zh.report_markdown
    assert "可靠性" in zh.report_markdown and "承诺的服务按时完成" in zh.report_markdown
    assert zh.report_html.startswith("<!DOCTYPE html>") and 'lang="zh"' in zh.report_html
    assert "Dimensions" in en.report_markdown and "可靠性" not in en.report_markdown
    assert "Service on time" in en.report_markdown
    assert csikit.servqual(data).report_markdown.count("item 8") >= 1
    assert list(zh.charts) == ["servqual_gaps"]
    assert zh.charts["servqual_gaps"].startswith("<svg") and "平均得分" in zh.charts["servqual_gaps"]
    # The DataFrames are unchanged.
    assert list(zh.dimensions["name"])[:2] == ["tangibles", "reliability"]


def test_kano_report_in_chinese_and_segments():
    data = csikit.simulate_kano(300)
    r = csikit.kano(
        data,
        lang="zh",
        codebook=pd.DataFrame({"item": ["secure_login_f"], "label": ["安全登录"]}),
    )
    assert r.features.loc[0, "feature"] == "secure_login"
    assert "必备质量" in r.report_markdown and "安全登录" in r.report_markdown
    assert set(r.charts) == {"better_worse", "continuous"}
    assert "安全登录" in r.charts["better_worse"]
    seg = csikit.kano(data.assign(group=["a", "b", "c"] * 100), by="group", lang="zh")
    assert "分群" in seg.report_markdown
    assert len(seg.charts) == 8


def test_unknown_language_is_refused():
    import pytest

    with pytest.raises(Exception, match="lang"):
        csikit.servqual(csikit.simulate_servqual(50), lang="fr")
