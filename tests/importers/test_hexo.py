"""Hexo: front matter, asset folders, tags, byte-exact math, bad posts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lemmata.importers import ImportReport, Outcome, import_hexo
from tests.importers.helpers import FIXTURES, Written, new_site, posts, written

HEXO = FIXTURES / "hexo"
SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, ImportReport]:
    site = new_site(tmp_path)
    return site, import_hexo(HEXO, site)


def test_every_post_is_imported_and_the_broken_one_reported(
    imported: tuple[Path, ImportReport],
) -> None:
    site, report = imported
    assert posts(site) == [
        "content/posts/adamw-decoupled.md",
        "content/posts/attention/index.md",
        "content/posts/idea.md",
    ]
    assert [(r.source.rsplit("/", 1)[-1], r.outcome) for r in report.results] == [
        ("2021-03-04-adamw.md", Outcome.IMPORTED),
        ("attention.md", Outcome.IMPORTED),
        ("broken.md", Outcome.FAILED),
        ("idea.md", Outcome.IMPORTED),
    ]
    (error,) = [d for d in report.diagnostics if d.is_error]
    assert error.headline().endswith(
        "source/_posts/broken.md:4:5: error: invalid YAML front matter: did not find expected ',' or ']'"
    )
    assert error.source_line == "date: 2020-01-01"
    assert report.failed


def test_front_matter_is_mapped_with_the_site_time_zone(
    imported: tuple[Path, ImportReport],
) -> None:
    site, _ = imported
    post = written(site, "content/posts/attention/index.md")
    assert post.front["title"] == "注意力机制"
    assert post.front["date"] == datetime(2023, 5, 2, 21, 30, tzinfo=SHANGHAI)
    assert post.front["updated"] == datetime(2023, 5, 4, 8, 0, tzinfo=SHANGHAI)
    assert post.front["category"] == ["Deep Learning", "NLP"]
    assert post.front["tags"] == ["attention", "transformer"]
    assert post.front["abbrlink"] == "4a17b156"
    assert "mathjax" not in post.front
    assert post.document.meta.date == datetime(2023, 5, 2, 21, 30, tzinfo=SHANGHAI)
    assert post.document.meta.categories == ("Deep Learning", "NLP")


def test_short_front_matter_permalink_and_offset(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    post = written(site, "content/posts/adamw-decoupled.md")
    assert post.front["date"] == datetime(2021, 3, 4, 10, 0, tzinfo=SHANGHAI)
    assert post.front["slug"] == "adamw-decoupled"
    assert post.document.meta.categories == ("Optimization",)
    assert post.document.meta.tags == ("optimizer",)


def test_drafts_are_imported_as_drafts(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    post = written(site, "content/posts/idea.md")
    assert post.document.meta.draft is True
    assert post.document.meta.date is not None


def test_asset_folder_and_static_images_are_copied(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    bundle = site / "content/posts/attention"
    assert sorted(p.name for p in bundle.iterdir()) == [
        "heads.png",
        "index.md",
        "logo.png",
        "scores.png",
    ]
    assert (bundle / "heads.png").read_bytes() == (
        HEXO / "source/_posts/attention/heads.png"
    ).read_bytes()
    body = written(site, "content/posts/attention/index.md").body
    assert "![Multi-head attention](heads.png)" in body
    assert "![scores](scores.png)" in body
    assert "![logo](logo.png)" in body


def test_tags_become_markdown(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    body = written(site, "content/posts/attention/index.md").body
    assert (
        "*attention.py*\n\n```python\ndef attention(q, k, v):\n"
        "    scores = q @ k.T / k.shape[-1] ** 0.5  # {% not a tag %}\n"
        "    return softmax(scores) @ v\n```"
    ) in body
    assert (
        "::: info\nThe scores for query $i$ are shown below.\n\n![scores](scores.png)\n:::" in body
    )
    assert "<!-- more -->" in body
    adamw = written(site, "content/posts/adamw-decoupled.md").body
    assert "\nTemplates such as {{ page.title }} appear literally.\n" in adamw
    assert "{% raw %}" not in adamw
    assert (
        "> L2 regularization and weight decay are **not** identical for Adam.\n>\n> — Ilya Loshchilov, Decoupled Weight Decay"
        in adamw
    )


def test_unknown_tag_is_reported_and_left_visible(imported: tuple[Path, ImportReport]) -> None:
    site, report = imported
    assert "{% youtube dQw4w9WgXcQ %}" in written(site, "content/posts/attention/index.md").body
    (warning,) = [d for d in report.diagnostics if not d.is_error]
    assert warning.headline().endswith(
        "source/_posts/attention.md:38:1: warning: cannot convert Hexo tag {% youtube %}; left as it is"
    )
    assert warning.source_line == "{% youtube dQw4w9WgXcQ %}"


def test_math_is_kept_byte_exact_and_renders(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    source = (HEXO / "source/_posts/attention.md").read_text("utf-8")
    formula = source[source.index("$$\n\\begin{aligned}") : source.index("\\end{aligned}\n$$") + 15]
    assert "\\\\\\\\\n" in formula
    attention = written(site, "content/posts/attention/index.md")
    assert formula in attention.body
    adamw = written(site, "content/posts/adamw-decoupled.md")
    assert "$x\\_i * y\\_j$" in adamw.body
    # Only the doubled delimiters written for marked change; the formula stays as written.
    assert "\\(a_1 + a_2\\)" in adamw.body
    counts = {}
    for path in posts(site):
        post: Written = written(site, path)
        assert post.errors == []
        counts[path] = post.formulas
    assert counts == {
        "content/posts/adamw-decoupled.md": 3,
        "content/posts/attention/index.md": 5,
        "content/posts/idea.md": 1,
    }


def test_a_folder_that_is_not_a_hexo_site(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_hexo(FIXTURES / "jekyll", site)
    assert [d.headline() for d in report.diagnostics] == [
        f"error: {FIXTURES / 'jekyll'}: not a Hexo site (no source/_posts/ folder)"
    ]
    assert report.failed
    assert posts(site) == []
