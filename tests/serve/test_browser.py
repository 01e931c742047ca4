"""A page open in Chromium updates by itself after its post changes on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import launch_chromium
from tests.conftest import write_site
from tests.serve.conftest import SITE, start

pytestmark = pytest.mark.browser


def test_page_reloads_itself_after_an_edit(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SITE)
    server = start(site)
    try:
        with launch_chromium() as browser:
            page = browser.new_page()
            page.goto(server.url + "posts/a/")
            assert "Hello" in page.locator(".prose").inner_text()
            post = site / "content" / "posts" / "a.md"
            post.write_text(post.read_text().replace("Hello", "Changed on disk"))
            # While the page reloads, its new document may not hold the article yet.
            page.wait_for_function(
                "document.querySelector('.prose')?.innerText.includes('Changed on disk')",
                timeout=15_000,
            )
            post.write_text(post.read_text().replace("$x^2$", "$\\broken$"))
            page.wait_for_function("document.title.startsWith('Build failed')", timeout=15_000)
            post.write_text(post.read_text().replace("$\\broken$", "$x^2$"))
            page.wait_for_function("document.title.startsWith('First')", timeout=15_000)
    finally:
        server.stop()
