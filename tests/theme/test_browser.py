"""The theme in headless Chromium, on a tiny site rendered by the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lemmata.theme import render_site
from tests.browser import launch_chromium, serve_folder
from tests.conftest import write_site
from tests.pipeline import assembled

pytestmark = pytest.mark.browser

POST = """\
---
title: Wide things
date: 2026-01-11
category: Algorithm
---
A long inline formula $\\mathbb{E}_{w \\sim \\mathcal{N}(0, I)}\\left[\\exp(w^\\top q - \\|q\\|^2/2)\\exp(w^\\top k - \\|k\\|^2/2)\\right] = \\exp(q^\\top k)$ stays inside the page.

$$
\\sum_{i=1}^{n} a_i b_i + \\sum_{i=1}^{n} c_i d_i + \\sum_{i=1}^{n} e_i f_i + \\sum_{i=1}^{n} g_i h_i + \\sum_{i=1}^{n} p_i q_i
$$

| method | time | space | notes |
|---|---|---|---|
| sort then scan | $O(n \\log n)$ | $O(1)$ | simplest, and fast in practice |
| buckets | $O(n)$ | $O(n)$ | keeps only each bucket's minimum and maximum |

```python {hl_lines="2"}
lo, hi = min(nums), max(nums)
size = max(1, (hi - lo) // (len(nums) - 1))
```
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_site(tmp_path_factory.mktemp("theme") / "site", {"content/posts/wide.md": POST})
    config, site, problems = assembled(root)
    assert problems == []
    out = root / "public"
    for item in [*render_site(site, config), *site.files]:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.data is not None:
            target.write_bytes(item.data)
        elif item.source is not None:
            target.write_bytes(Path(item.source).read_bytes())
    with serve_folder(out) as url:
        yield url + site.posts[0].url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium() as chromium:
        yield chromium


def test_wide_content_scrolls_inside_the_page_at_360px(site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(site_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for selector in (".math-display", ".prose table", ".math-inline > math"):
        overflow = page.evaluate(
            f"[...document.querySelectorAll('{selector}')].some(e => e.scrollWidth > e.clientWidth)"
        )
        assert overflow, f"{selector} should scroll on its own"
    page.close()


def test_copy_button_copies_the_code_without_line_numbers(site_url: str, browser: Any) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url)
    button = page.locator(".highlight .copy-button").first
    button.click()
    assert button.inner_text() == "copied"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("lo, hi = min(nums), max(nums)\nsize = max(1,")
    context.close()


def test_toggle_switches_away_from_the_system_scheme_and_is_remembered(
    site_url: str, browser: Any
) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url)
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator(".theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == light
    context.close()


def test_without_javascript_the_post_reads_and_dead_controls_hide(
    site_url: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Wide things"
    assert page.locator(".math-display math").first.bounding_box() is not None
    assert not page.locator(".theme-toggle").is_visible()
    assert page.locator(".copy-button").count() == 0
    context.close()
