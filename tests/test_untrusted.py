"""Content is data: it never runs as template code or YAML objects, and never leaves the site."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lemmata.build import BuildOptions, build
from lemmata.config import MarkdownConfig
from lemmata.errors import ContentError
from tests.conftest import MakeSite
from tests.markup.helpers import config, render


def test_template_syntax_in_content_stays_text(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/posts/a.md": '---\ntitle: "{{ config.title }}"\ndate: 2026-01-01\n---\n'
            "Jinja {{ config.root }} and {% for x in site.posts %}loop{% endfor %}\n"
        }
    )
    build(BuildOptions(site_dir=site, jobs=1))
    page = (site / "public" / "posts" / "a" / "index.html").read_text("utf-8")
    assert "{{ config.root }}" in page
    assert "{% for x in site.posts %}loop{% endfor %}" in page
    assert str(site) not in page.split("<main", 1)[1]


def test_yaml_python_tags_are_rejected(make_site: MakeSite, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    site = make_site(
        {
            "content/posts/a.md": "---\ntitle: !!python/object/apply:os.system "
            f"['touch {marker}']\n---\nx\n"
        }
    )
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(site_dir=site, jobs=1))
    assert not marker.exists()
    (diag,) = [d for d in caught.value.diagnostics if d.is_error]
    assert diag.headline().startswith("content/posts/a.md:2:8: error: invalid YAML front matter")


def test_unsafe_html_false_escapes_script() -> None:
    site = dataclasses.replace(config(), markdown=MarkdownConfig(unsafe_html=False))
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">', site=site).html
    assert "<script" not in html and "<img" not in html


def test_image_path_outside_the_site_is_an_error_and_nothing_is_copied(make_site: MakeSite) -> None:
    site = make_site(
        {"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n![x](../../../etc/passwd)\n"}
    )
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(site_dir=site, jobs=1))
    assert [d.headline() for d in caught.value.diagnostics] == [
        "content/posts/a.md:5:6: error: link '../../../etc/passwd' points outside the site folder"
    ]
    assert not (site / "public").exists()


def test_ten_megabyte_post_and_million_character_line() -> None:
    big = ("A paragraph with $x_i$ and words.\n\n" * 300_000)[:10_000_000]
    assert render(big).html.count("<math>") > 250_000
    line = "word " * 200_000 + "$y$"
    rendered = render(line)
    assert rendered.html.count("<math>") == 1


def test_time_budget_per_document() -> None:
    site = dataclasses.replace(config(), markdown=MarkdownConfig(time_budget_s=1))
    # Heavy enough that even rendered together (~0.05 ms for a short one) they take minutes.
    heavy = " + ".join([r"\frac{\sqrt{a_{k}}}{b^{2}}"] * 40)
    text = "\n\n".join(f"$x_{{{i}}} + {heavy}$" for i in range(5_000))
    rendered = render(text, site=site)
    errors = [d.message for d in rendered.diagnostics]
    assert errors == ["document took longer than 1 s to render; later formulas skipped"]
