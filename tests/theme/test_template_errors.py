"""A broken template is reported at its line, and the previous output survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from lemmata.build import BuildOptions, build
from lemmata.errors import ContentError
from tests.conftest import MakeSite

POST = "---\ntitle: Hello\ndate: 2024-01-02\n---\n\nBody.\n"


def _build(site: Path) -> None:
    build(BuildOptions(site_dir=site, jobs=1))


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        (
            '{% extends "base.html" %}\n{% block content %}\n{{ entry.nope }}\n{% endblock %}\n',
            3,
            "has no attribute 'nope'",
        ),
        ('{% extends "base.html" %}\n{% block content %}{{ entry.title }\n', 2, "unexpected '}'"),
        ('{% extends "base.html" %}\n{% block content %}{{ 1 // 0 }}{% endblock %}\n', 2, "ZeroDivisionError"),
    ],
)  # fmt: skip
def test_reported_at_the_template_line(
    make_site: MakeSite, template: str, line: int, message: str
) -> None:
    site = make_site({"content/posts/hello.md": POST})
    _build(site)
    before = (site / "public" / "posts" / "hello" / "index.html").read_bytes()
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text(template, "utf-8")
    with pytest.raises(ContentError) as caught:
        _build(site)
    (problem,) = caught.value.diagnostics
    assert problem.location is not None
    assert (problem.location.path, problem.location.line) == ("templates/post.html", line)
    assert message in problem.message
    assert "/posts/hello/" in problem.message
    assert problem.source_line == template.splitlines()[line - 1]
    assert (site / "public" / "posts" / "hello" / "index.html").read_bytes() == before
