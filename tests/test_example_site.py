"""The bundled example site, built for real and read back."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from lemmata.build import BuildOptions, BuildReport, build
from tests.htmlcheck import check_html

EXAMPLE = Path(__file__).parent.parent / "example"
RAW_LATEX = re.compile(
    r"\\(?:frac|sum|int|mathbb|begin|end|alpha|beta|theta|lambda|sqrt|left|right|operatorname|nabla|partial)\b"
)
DOLLAR_MATH = re.compile(r"\$[^$\s][^$\n]*[\\_^][^$\n]*\$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("example") / "public"
    report = build(BuildOptions(site_dir=EXAMPLE, output_dir=out, jobs=1))
    return out, report


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_builds_without_errors_or_warnings(built: tuple[Path, BuildReport]) -> None:
    _, report = built
    assert [d.headline() for d in report.diagnostics] == []


def test_home_page_has_hero_heading_cards_and_pagination(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    home = (out / "index.html").read_text("utf-8")
    assert "INCOMING TRANSMISSION" in home
    assert "LATEST UPDATES" in home
    assert home.count('<article class="card">') == 10
    assert home.count('class="badge"') >= 10
    assert len(re.findall(r"<time datetime=\"\d{4}-\d{2}-\d{2}", home)) >= 10
    assert '<a href="/page/2/">2</a>' in home
    assert 'aria-current="page">1</a>' in home
    assert (out / "page" / "2" / "index.html").is_file()
    assert "<math" in home  # excerpts keep their rendered math


def test_six_categories_with_pages(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    names = {
        "nlp",
        "computer-vision",
        "algorithm",
        "deep-learning",
        "large-model",
        "generative-model",
    }
    assert {p.name for p in (out / "categories").iterdir() if p.is_dir()} == names
    assert list((out / "tags").glob("*/index.html"))


def test_every_page_parses_and_shows_no_raw_latex(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    pages = _pages(out)
    assert len(pages) > 40
    for page in pages:
        problems, text = check_html(page.read_text("utf-8"))
        assert problems == [], page
        assert not RAW_LATEX.search(text), (page, RAW_LATEX.search(text))
        assert not DOLLAR_MATH.search(text), (page, DOLLAR_MATH.search(text))
        assert "[Math]" not in text and "[公式]" not in text


def test_feeds_parse(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo
        assert len(feed.entries) >= 16
        assert all(e.title and e.link and e.published_parsed for e in feed.entries)
    home = (out / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in home and 'type="application/rss+xml"' in home


def test_sitemap_lists_every_page(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = {e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {p.relative_to(out).as_posix() for p in _pages(out)} - {"404.html"}
    expected = {"/" + p.removesuffix("index.html") for p in pages}
    assert locs == expected  # base_url is "/": site-absolute locations


def test_draft_is_not_published(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    drafts = [
        p
        for p in (EXAMPLE / "content").rglob("*.md")
        if re.search(r"^draft: true", p.read_text("utf-8"), re.M)
    ]
    assert drafts
    for draft in drafts:
        assert not (out / "posts" / draft.stem).exists()


def test_notebook_post_with_outputs(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    notebooks = list((EXAMPLE / "content" / "posts").glob("*.ipynb"))
    assert notebooks
    folder = out / "posts"
    pages = [p for p in folder.glob("*/index.html") if 'class="nb-output"' in p.read_text("utf-8")]
    assert pages
    assert list(pages[0].parent.glob("output-*.png"))


def test_no_third_party_requests(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    for path in [*_pages(out), *out.glob("assets/*.css")]:
        text = path.read_text("utf-8")
        assert not re.search(r'<(?:link|script|img)[^>]+(?:src|href)="https?://', text), path
        assert not re.search(r"url\(\s*['\"]?https?://", text), path
