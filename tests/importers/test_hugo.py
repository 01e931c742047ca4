"""Hugo: sections, bundles, TOML front matter, shortcodes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lemmata.importers import ImportReport, Outcome, import_hugo
from tests.importers.helpers import FIXTURES, new_site, posts, written

HUGO = FIXTURES / "hugo"
TOKYO = timezone(timedelta(hours=9))


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, ImportReport]:
    site = new_site(tmp_path)
    return site, import_hugo(HUGO, site)


def test_section_posts_are_imported_and_pages_skipped(imported: tuple[Path, ImportReport]) -> None:
    site, report = imported
    assert posts(site) == [
        "content/posts/linear-attention/index.md",
        "content/posts/lr-schedule/index.md",
    ]
    assert report.count(Outcome.IMPORTED) == 2
    assert report.count(Outcome.SKIPPED) == 1
    assert any(
        d.message.endswith("about.md: a page outside any section, not a post; skipped")
        for d in report.diagnostics
    )


def test_toml_front_matter(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    post = written(site, "content/posts/linear-attention/index.md")
    assert post.front["date"] == datetime(2024, 2, 1, 8, 0, tzinfo=TOKYO)
    assert post.front["updated"] == datetime(2024, 2, 3, 10, 0, tzinfo=TOKYO)
    assert post.document.meta.categories == ("Large Model",)
    assert post.document.slug == "linear-attention"
    assert "math" not in post.front
    schedule = written(site, "content/posts/lr-schedule/index.md")
    assert schedule.front["date"] == date(2024, 3, 10)
    assert "katex" not in schedule.front


def test_shortcodes_become_markdown(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    body = written(site, "content/posts/linear-attention/index.md").body
    assert "![Attention heads](heads.png)\n\n*Heads of layer 3*" in body
    assert "$$\n\\mathrm{Attn}(Q, K, V) = \\phi(Q)\\left(\\phi(K)^\\top V\\right)\n$$" in body
    assert (
        "```python\ndef linear_attention(q, k, v):\n    return phi(q) @ (phi(k).T @ v)\n```" in body
    )
    assert "::: warning\nThe feature map $\\phi$ must be **positive**.\n:::" in body
    assert 'write `{{< figure src="x.png" >}}`.' in body
    assert (site / "content/posts/linear-attention/heads.png").is_file()
    schedule = written(site, "content/posts/lr-schedule/index.md").body
    assert "{{< katex >}}" not in schedule
    assert "![Schedule](lr-schedule.png)" in schedule
    assert (site / "content/posts/lr-schedule/lr-schedule.png").is_file()


def test_unknown_shortcode_is_reported_and_kept(imported: tuple[Path, ImportReport]) -> None:
    site, report = imported
    body = written(site, "content/posts/linear-attention/index.md").body
    assert 'See {{< ref "posts/2024/lr-schedule.md" >}} for the schedule.' in body
    (warning,) = [d for d in report.diagnostics if d.location is not None]
    assert warning.message == "cannot convert Hugo tag {{< ref >}}; left as it is"
    assert warning.location is not None
    assert (warning.location.line, warning.location.column) == (30, 5)


def test_formulas_render(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    counts = {path: written(site, path).formulas for path in posts(site)}
    assert all(written(site, path).errors == [] for path in posts(site))
    assert counts == {
        "content/posts/linear-attention/index.md": 4,
        "content/posts/lr-schedule/index.md": 2,
    }
