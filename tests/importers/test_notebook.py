"""Notebooks: metadata.lemmata filled, outputs kept, local images copied, bad files reported."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from lemmata.importers import Outcome, import_notebooks
from tests.importers.helpers import FIXTURES, new_site, posts, written

NOTEBOOKS = FIXTURES / "notebooks"


def test_folder_import_with_a_truncated_notebook(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_notebooks(NOTEBOOKS, site)
    assert posts(site) == ["content/posts/monte-carlo/index.ipynb"]
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED, Outcome.FAILED]
    (error,) = report.diagnostics
    assert error.headline().endswith(
        "truncated.ipynb:34:5: error: not a complete notebook (invalid JSON: Unterminated string starting at)"
    )
    assert report.failed


def test_front_matter_outputs_and_images(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    copy = tmp_path / "nb"
    copy.mkdir()
    (copy / "mc.ipynb").write_bytes((NOTEBOOKS / "monte-carlo.ipynb").read_bytes())
    (copy / "circle.png").write_bytes((NOTEBOOKS / "circle.png").read_bytes())
    moment = datetime(2025, 4, 5, 6, 7, 8).astimezone()
    os.utime(copy / "mc.ipynb", (moment.timestamp(), moment.timestamp()))
    import_notebooks(copy / "mc.ipynb", site)
    post = written(site, "content/posts/mc/index.ipynb")
    assert post.front["title"] == "Monte Carlo estimation of $\\pi$"
    assert post.front["category"] == "Statistics"
    assert post.front["date"] == moment.isoformat()
    assert post.document.meta.date == moment
    notebook = json.loads(post.text)
    original = json.loads((NOTEBOOKS / "monte-carlo.ipynb").read_text("utf-8"))
    assert [c["outputs"] for c in notebook["cells"][1:]] == [
        c["outputs"] for c in original["cells"][1:]
    ]
    assert (site / "content/posts/mc/circle.png").is_file()
    assert post.errors == []
    assert post.formulas == 3
    assert len(post.rendered.assets) == 1


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    import pytest

    from lemmata.errors import UsageError

    with pytest.raises(UsageError, match="no such file or folder"):
        import_notebooks(tmp_path / "nope.ipynb", new_site(tmp_path))
