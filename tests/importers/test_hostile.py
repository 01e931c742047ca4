"""Hostile HTML through import url and import feed: nothing executable reaches the rendered page."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers import import_feed, import_url
from tests.importers.helpers import FIXTURES, new_site, posts, written

_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "form", "style", "base", "meta"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset"}


def _executable(html: str) -> list[str]:
    """Everything in ``html`` that a browser could run."""
    found: list[str] = []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in _FORBIDDEN_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name}=")
            compact = "".join(value.split()).lower()
            if name.lower() in _URL_ATTRIBUTES and compact.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                found.append(f"{name}={value}")
    return found


def test_the_check_finds_what_it_looks_for() -> None:
    assert _executable(
        '<p onclick="x()"><a href="javascript:x()">a</a><script>x()</script></p>'
    ) == [
        "onclick=",
        "href=javascript:x()",
        "<script>",
    ]


def test_hostile_page(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_url(server + "web/hostile.html", site)
    assert not report.failed
    (path,) = posts(site)
    post = written(site, path)
    # No raw HTML at all: every "<" of the page's text is escaped.
    assert re.findall(r"(?<!\\)<", post.body) == []
    assert re.findall(r"\]\((?:javascript|data|vbscript):", post.body, re.IGNORECASE) == []
    assert _executable(post.rendered.html) == []
    assert "[A safe link](https://example.org/safe)" in post.body
    assert '\\<script\\>alert("text")\\</script\\>' in post.body
    assert "&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;" in post.rendered.html


def test_hostile_feed_entry(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_feed(str(FIXTURES / "feeds/rss.xml"), site)
    post = written(site, "content/posts/hostile-entry.md")
    assert _executable(post.rendered.html) == []
    assert re.findall(r"(?<!\\)<", post.body) == []
    assert "alert(4)" not in post.body and "alert(5)" not in post.body
    assert "\\<script\\>alert(7)\\</script\\>" in post.body
    assert "Text with a bad link and" in post.body
