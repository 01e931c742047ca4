"""The example site in real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lemmata.build import BuildOptions, build
from tests.browser import ARTIFACTS, launch_chromium, serve_folder

EXAMPLE = Path(__file__).parent.parent / "example"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "public"
    build(BuildOptions(site_dir=EXAMPLE, output_dir=out, jobs=1))
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium() as chromium:
        yield chromium


def test_home_page(site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/")
    assert page.locator(".hero-line").inner_text().strip() == "INCOMING TRANSMISSION"
    assert page.locator("#stream-heading").inner_text().strip() == "LATEST UPDATES"
    cards = page.locator("article.card")
    assert cards.count() >= 10
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.locator(".badge").inner_text().strip()
        assert len(card.locator("time").inner_text().strip()) == 10
        assert card.locator(".card-excerpt").inner_text().strip()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))
    page.locator(".pagination a", has_text="2").first.click()
    page.wait_for_url("**/page/2/")
    assert page.locator("article.card").count() >= 1
    page.close()


def test_post_shows_mathml_with_size(site_url: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site_url + "/posts/adamw-vs-adam/")
    display = page.locator(".math-display math").first
    box = display.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10
    inline = page.locator(".math-inline math").first.bounding_box()
    assert inline is not None and inline["width"] > 0
    page.close()


def test_dark_mode_toggle_remembers(site_url: str, browser: Any) -> None:
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(site_url + "/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator(".theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-dark.png"))
    context.close()


def test_readable_at_360px(site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for path in ("/", "/posts/adamw-vs-adam/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, path
    page.close()


def test_reading_needs_no_javascript(site_url: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/posts/adamw-vs-adam/")
    assert page.locator("h1").inner_text()
    assert page.locator(".math-display math").first.bounding_box() is not None
    context.close()
