"""The analyst notebook executes headless (nbclient + ipykernel) and its
results make sense."""

import json
import pathlib

import pytest

NOTEBOOK = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "telecom_csi.ipynb"


def test_notebook_executes_clean():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # paths, loadings, IPMA, segments
    (checks,) = [c for c in nb.cells if "checks" in c.metadata.get("tags", [])]
    text = "".join(o.get("text", "") for o in checks.outputs if o.get("name") == "stdout")
    s = json.loads(text)
    assert s["n"] == 3000 and s["converged"]
    assert 0.3 < s["r2_satisfaction"] < 0.9
    assert s["min_loading"] > 0.5 and s["max_htmt"] < 0.95 and s["max_vif"] < 5
    assert s["quality_to_satisfaction"] > 0.1
    assert set(s["segments"]) and sum(s["segments"].values()) == 3000
    assert s["top_driver"] in {"Quality", "Value", "Expectation", "Image"}
    # The CSI part (cell tagged extend-csi and the segments): index, IPMA, regions.
    assert 50 < s["satisfaction_index"] < 90
    assert all(0 < v < 100 for v in s["index"].values()) and len(s["index"]) == 7
    # The simulator's population has perceived quality low (its short board)
    # and quality better in the north than in the south (shifts +0.15 / -0.20 SD).
    assert s["short_boards"][0] == "Quality"
    q = s["quality_index_by_region"]
    assert set(q) == {"east", "north", "south", "west"} and q["north"] > q["south"] + 2
    assert s["skipped_regions"] == 0
    # Bootstrap intervals of the importances contain the importances, and the
    # north-south difference of the Quality index is negative and significant.
    for name, (lo, imp, hi) in s["importance_ci"].items():
        assert lo < imp < hi, name
    diff, lo, hi, p = s["quality_index_north_south"]
    assert diff < 0 and hi < 0 and p < 0.05
    (csi,) = [c for c in nb.cells if "extend-csi" in c.metadata.get("tags", [])]
    assert any("image/png" in o.get("data", {}) for o in csi.outputs)
