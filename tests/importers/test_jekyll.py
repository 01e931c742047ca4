"""Jekyll: dated file names, category folders, Liquid, includes, kramdown math."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lemmata.importers import ImportReport, Outcome, import_jekyll
from lemmata.importers._jekyll import kramdown_inline_math
from tests.importers.helpers import FIXTURES, new_site, posts, written

JEKYLL = FIXTURES / "jekyll"


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, ImportReport]:
    site = new_site(tmp_path)
    return site, import_jekyll(JEKYLL, site)


def test_posts_drafts_and_skipped_files(imported: tuple[Path, ImportReport]) -> None:
    site, report = imported
    assert posts(site) == [
        "content/posts/kl-divergence.md",
        "content/posts/maximum-gap/index.md",
        "content/posts/poisson-distribution/index.md",
    ]
    assert report.count(Outcome.IMPORTED) == 3
    assert report.count(Outcome.SKIPPED) == 1
    assert not report.failed
    assert (
        f"warning: {_shown(JEKYLL / '_posts/readme.md')}: not named YYYY-MM-DD-title, "
        "so Jekyll does not publish it; skipped"
    ) in [d.headline() for d in report.diagnostics]
    assert written(site, "content/posts/kl-divergence.md").document.meta.draft


def test_front_matter_dates_and_space_separated_lists(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    poisson = written(site, "content/posts/poisson-distribution/index.md")
    assert poisson.front["date"] == datetime(
        2022, 7, 14, 9, 15, tzinfo=timezone(timedelta(hours=2))
    )
    assert poisson.document.meta.categories == ("probability", "statistics")
    assert poisson.document.meta.tags == ("distributions", "counting")
    assert "layout" not in poisson.front and "usemathjax" not in poisson.front
    gap = written(site, "content/posts/maximum-gap/index.md")
    assert gap.front["date"] == date(2023, 1, 2)
    assert gap.document.meta.categories == ("algorithms",)
    assert gap.document.meta.tags == ("algorithms", "sorting")


def test_liquid_is_converted(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    body = written(site, "content/posts/poisson-distribution/index.md").body
    assert "```python\nfrom math import exp, factorial\n" in body
    assert '<div class="note"><strong>Note:</strong> The mean equals the variance.</div>' in body
    assert "![Buckets](buckets.png)" in body
    assert "This post is called The Poisson distribution." in body
    assert "```liquid\n{{ page.title }}\n```" in body
    gap = written(site, "content/posts/maximum-gap/index.md").body
    assert "![Buckets](buckets.png)" in gap
    assert (site / "content/posts/maximum-gap/buckets.png").read_bytes() == (
        JEKYLL / "assets/img/buckets.png"
    ).read_bytes()


def test_what_cannot_be_converted_is_reported_and_kept(imported: tuple[Path, ImportReport]) -> None:
    site, report = imported
    body = written(site, "content/posts/poisson-distribution/index.md").body
    assert "{% include missing.html %}" in body
    assert "{% if page.comments %}Comments are on.{% endif %}" in body
    located = sorted(
        (d.location.line, d.message) for d in report.diagnostics if d.location is not None
    )
    assert located == [
        (
            31,
            f"included file missing.html not found in {_shown(JEKYLL / '_includes')}; left as it is",
        ),
        (37, "cannot convert Jekyll tag {% if %}; left as it is"),
    ]


def test_kramdown_inline_double_dollars(imported: tuple[Path, ImportReport]) -> None:
    site, _ = imported
    poisson = written(site, "content/posts/poisson-distribution/index.md")
    assert "is $P(X = k) = \\frac{\\lambda^k e^{-\\lambda}}{k!}$ for" in poisson.body
    assert "$$\n\\mathbb{E}[X] = \\operatorname{Var}(X) = \\lambda\n$$" in poisson.body
    for path in posts(site):
        assert written(site, path).errors == []
    assert poisson.formulas == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a $$x$$ b", "a $x$ b"),
        ("a $$ x $$ b", "a \\( x \\) b"),
        ("$$x$$", "$$x$$"),
        ("- $$x$$", "- $$x$$"),
        ("see `$$x$$` here", "see `$$x$$` here"),
        ("a $$x$$2", "a \\(x\\)2"),
    ],
)
def test_kramdown_inline_math_rules(text: str, expected: str) -> None:
    assert kramdown_inline_math(text) == expected


def _shown(path: Path) -> str:
    from lemmata.importers._paths import shown

    return shown(path)
