"""Golden files: each fixture's Markdown beside the HTML it must render to.

Regenerate with ``make goldens`` (``pytest tests/markup --update-goldens``)
and review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.markup.helpers import render

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))


def _golden_text(name: str) -> str:
    source = (FIXTURES / f"{name}.md").read_text("utf-8")
    rendered = render(source, path=f"content/posts/{name}.md")
    sections = [
        ("html", rendered.html.rstrip()),
        ("toc", rendered.toc_html),
        ("excerpt", rendered.excerpt_html.rstrip()),
        ("excerpt text", rendered.excerpt_text),
        ("diagnostics", "\n".join(d.headline() for d in rendered.diagnostics)),
    ]
    return "".join(f"<!-- {title} -->\n{body}\n" for title, body in sections if body)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, request: pytest.FixtureRequest) -> None:
    actual = _golden_text(name)
    golden = FIXTURES / f"{name}.html"
    if request.config.getoption("--update-goldens"):
        golden.write_text(actual, "utf-8")
    assert golden.exists(), f"no golden for {name}; run `make goldens`"
    assert actual == golden.read_text("utf-8")
