"""Searching the example site in Chromium: Chinese, English, mixed, and words beside formulas."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from lemmata.build import BuildOptions, build
from tests.browser import launch_chromium, serve_folder

EXAMPLE = Path(__file__).parent.parent / "example"
pytestmark = pytest.mark.browser

# query → a words of the title of the post that must be among the top three results
TABLE = [
    ("梯度", "AdamW"),
    ("桶排序", "最大间距"),
    ("注意力", "线性注意力"),
    ("鸽巢", "最大间距"),
    ("泊松", "泊松分布"),
    ("低秩分解", "LoRA"),
    ("二项分布", "泊松分布"),
    ("LoRA 微调", "LoRA"),
    ("KL 散度", "KL 散度"),
    ("gradient", "Directional Derivatives"),
    ("bucket sort", "最大间距"),
    ("beam", "Beam Search"),
    ("loss scaling", "Mixed Precision"),
    ("nearest neighbour", "k-d Tree"),
    ("roundoff", "Mixed Precision"),  # the only use is right before a formula
    ("predictor", "Latent Diffusion"),  # likewise
]


# The whole index, and the index in parts of about two pages each (some left empty),
# which the search page merges: a large site's index comes that way.
@pytest.fixture(scope="module", params=["whole", "in parts"])
def site_url(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search")
    site = EXAMPLE
    if request.param == "in parts":
        site = folder / "site"
        shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("public", ".*"))
        config = site / "lemmata.toml"
        config.write_text(config.read_text("utf-8") + "\n[search]\npart_size = 2\n", "utf-8")
    out = folder / "public"
    build(BuildOptions(site_dir=site, output_dir=out, jobs=1))
    if request.param == "in parts":
        assert len(json.loads((out / "pagefind" / "parts.json").read_text("utf-8"))) >= 4
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def page(site_url: str) -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser.new_page()


# Results appear in well under a second; the long waits only absorb a loaded CI machine.
@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_query_finds_its_post_in_the_top_three(
    site_url: str, page: Any, query: str, expected: str, request: pytest.FixtureRequest
) -> None:
    page.goto(f"{site_url}/search/?q={quote(query)}")
    page.wait_for_selector(".search-result, .search-results p", timeout=30_000)
    titles = page.locator(".search-result .card-title").all_inner_texts()
    # Each part ranks by its own word statistics, which parts of two pages skew: there
    # the post must be found, in whichever part it is. (A real part holds ~1,000 pages.)
    top = 3 if request.node.callspec.params["site_url"] == "whole" else None
    assert any(expected in title for title in titles[:top]), titles


def test_slash_focuses_the_header_search_box(site_url: str, page: Any) -> None:
    page.goto(site_url + "/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("gradient")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=gradient")
    page.wait_for_selector(".search-result", timeout=30_000)
    assert page.locator(".search-result mark").count() >= 1


def test_arrow_keys_walk_the_results(site_url: str, page: Any) -> None:
    page.goto(f"{site_url}/search/?q={quote('注意力')}")
    page.wait_for_selector(".search-result", timeout=30_000)
    page.focus("#search-page-q")
    page.keyboard.press("ArrowDown")
    first = page.locator(".search-result .card-title a").first.evaluate("a => a.href")
    assert page.evaluate("document.activeElement.href") == first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-page-q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(first)
    assert page.locator("article[data-pagefind-body]").count() == 1
