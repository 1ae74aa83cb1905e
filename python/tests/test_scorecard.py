"""csikit.scorecard: the touchpoint scorecard of the library (issue 17)."""

import math

import pandas as pd
import pytest

import csikit


def _survey():
    # app: 2025年10月 10, 9, 3, 99 (missing code); 2025年9月 9, 6, 6; hall: one answer.
    return pd.DataFrame({
        "channel": ["app"] * 7 + ["hall"],
        "month": ["2025年10月"] * 4 + ["2025年9月"] * 3 + ["2025年9月"],
        "score": [10, 9, 3, 99, 9, 6, 6, 8],
    })


def test_scorecard_rows_periods_and_nps():
    t = csikit.scorecard(_survey(), score="score", by="channel", period="month",
                         scale=(0, 10), min_n=3, na=[99])
    assert list(t["period"]) == ["2025-09", "2025-10"]
    assert list(t["channel"]) == ["app", "app"]
    assert list(t["n"]) == [3, 3]
    assert t.loc[1, "nps"] == pytest.approx(100 / 3)
    # NPS variance formula: p+ = 2/3, p- = 1/3: Var = (1 - 1/9)/3.
    assert t.loc[1, "nps_se"] == pytest.approx(100 * math.sqrt((1 - 1 / 9) / 3))
    assert t.loc[1, "previous_nps_change"] == pytest.approx(200 / 3)
    assert t.attrs["skipped"] == [{"by": {"channel": "hall"}, "period": "2025-09", "n": 1}]


def test_scorecard_errors_are_value_errors():
    with pytest.raises(ValueError, match="99"):
        csikit.scorecard(_survey(), score="score", by="channel", scale=(0, 10), min_n=1)
    with pytest.raises(ValueError, match="lang"):
        csikit.scorecard(_survey(), score="score", lang="fr", na=[99])
