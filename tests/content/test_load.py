"""Discovery, front matter, dates, slugs and notebooks — with exact, located messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lemmata.config import SiteConfig
from lemmata.content import Format, Kind, load_documents, parse_document, slugify

ROOT = Path("/site")


def _config(**changes: object) -> SiteConfig:
    return SiteConfig(title="T", root=ROOT, **changes)  # type: ignore[arg-type]


def parse(text: str | bytes, path: str = "content/posts/note.md", **config: object):  # type: ignore[no-untyped-def]
    data = text if isinstance(text, bytes) else text.encode()
    return parse_document(_config(**config), path, data, ROOT / path)


def headlines(text: str | bytes, path: str = "content/posts/note.md") -> list[str]:
    return [d.headline() for d in parse(text, path).diagnostics]


def test_yaml_front_matter_fields() -> None:
    doc = parse(
        "---\ntitle: 注意力机制\ndate: 2026-01-11 20:30\nupdated: 2026-01-12T08:00:00+08:00\n"
        "category: [NLP, Extra]\ntags: a, b\nsummary: Short.\nslug: /custom/\ndraft: true\n"
        "mathjax: true\n---\n# Body\n"
    )
    meta = doc.meta
    assert meta.title == "注意力机制"
    assert meta.date == datetime(2026, 1, 11, 20, 30, tzinfo=UTC)
    assert meta.updated == datetime(2026, 1, 12, 8, tzinfo=timezone(timedelta(hours=8)))
    assert meta.categories == ("NLP", "Extra") and meta.category == "NLP"
    assert meta.tags == ("a", "b")
    assert (meta.summary, meta.draft, doc.slug) == ("Short.", True, "custom")
    assert meta.extra == {"mathjax": True}
    assert doc.body == "# Body\n" and doc.body_line == 12
    assert doc.diagnostics == ()


def test_site_timezone_fills_naive_dates() -> None:
    doc = parse("---\ndate: 2026-01-11\n---\n", timezone="Asia/Shanghai")
    assert doc.meta.date is not None and doc.meta.date.utcoffset() == timedelta(hours=8)


def test_toml_front_matter() -> None:
    doc = parse('+++\ntitle = "T"\ndate = 2026-01-01T10:00:00+08:00\ntags = ["x"]\n+++\nbody\n')
    assert doc.meta.title == "T" and doc.meta.tags == ("x",) and doc.body == "body\n"
    assert doc.meta.date is not None and doc.meta.date.hour == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: T\ndate: 2026-02-30\n---\n",
            "content/posts/note.md:3:1: error: date: invalid date '2026-02-30': day is out of range for month",
        ),
        (
            "---\ntitle: T\ndate: soon\n---\n",
            "content/posts/note.md:3:1: error: date: invalid date 'soon': expected a date like 2026-01-11 or 2026-01-11 20:30",
        ),
        (
            "---\ntags: 5\n---\n",
            "content/posts/note.md:2:1: error: tags: expected text or a list of text, got the number 5",
        ),
        (
            "---\ndraft: maybe\n---\n",
            "content/posts/note.md:2:1: error: draft: expected true or false, got 'maybe'",
        ),
        (
            "---\ntitle: a: b: c\n---\n",
            "content/posts/note.md:2:9: error: invalid YAML front matter: mapping values are not allowed in this context",
        ),
        (
            "---\ntitle: T\n",
            "content/posts/note.md:1:1: error: YAML front matter opened with --- is never closed",
        ),
        (
            "---\n- a\n- b\n---\n",
            "content/posts/note.md:2:1: error: front matter must be a mapping of keys to values",
        ),
        (
            "+++\ntitle = \n+++\n",
            "content/posts/note.md:2:9: error: invalid TOML front matter: Invalid value",
        ),
    ],
)
def test_front_matter_errors_are_located(text: str, expected: str) -> None:
    assert headlines(text) == [expected]


def test_invalid_utf8_names_the_byte() -> None:
    assert headlines(b"---\ntitle: T\n---\nab\xffcd\n") == [
        "content/posts/note.md:4:3: error: invalid UTF-8 (byte 0xff at offset 19)"
    ]


def test_bom_and_crlf_are_accepted() -> None:
    doc = parse("\ufeff---\r\ntitle: T\r\n---\r\nbody\r\n".encode())
    assert doc.meta.title == "T" and doc.body == "body\n" and doc.diagnostics == ()


def test_slugs() -> None:
    assert slugify("注意力机制 LoRA") == "zhu-yi-li-ji-zhi-lora"
    assert slugify("注意力机制", "unicode") == "注意力机制"
    assert slugify("Scaled Dot-Product: Attention!") == "scaled-dot-product-attention"
    assert slugify("C++") == "cpp"
    assert slugify("!!!") == "untitled"
    assert parse("x", "content/posts/2026-01-11-adamw.md").slug == "adamw"
    assert parse("x", "content/posts/2026-01-11-adamw.md").meta.date is not None
    assert parse("x", "content/posts/最大间距.md").slug == "zui-da-jian-ju"


def test_discovery_kinds_bundles_and_hidden_files(tmp_path: Path) -> None:
    files = {
        "content/posts/a.md": "---\ntitle: A\n---\n",
        "content/posts/fig/index.md": "---\ntitle: F\n---\n",
        "content/posts/fig/d.svg": "<svg/>",
        "content/posts/nb.ipynb": json.dumps(
            {
                "cells": [],
                "metadata": {"lemmata": {"title": "N"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
        "content/pages/about.md": "---\ntitle: About\n---\n",
        "content/posts/.hidden.md": "x",
        "content/posts/_draft.md": "x",
        "content/_partials/x.md": "x",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    docs, problems = load_documents(SiteConfig(title="T", root=tmp_path))
    assert problems == ()
    assert [(d.path, d.kind, d.format, d.slug, d.bundle_dir) for d in docs] == [
        ("content/pages/about.md", Kind.PAGE, Format.MARKDOWN, "about", None),
        ("content/posts/a.md", Kind.POST, Format.MARKDOWN, "a", None),
        ("content/posts/fig/index.md", Kind.POST, Format.MARKDOWN, "fig", "content/posts/fig"),
        ("content/posts/nb.ipynb", Kind.POST, Format.NOTEBOOK, "nb", None),
    ]
    assert docs[3].meta.title == "N"


def test_notebook_front_matter_from_raw_cell_and_broken_json() -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "raw",
                "metadata": {},
                "source": ["---\n", "title: From raw\n", "date: 2026-01-02\n", "---"],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    doc = parse(json.dumps(notebook, indent=1), "content/posts/n.ipynb")
    assert doc.meta.title == "From raw" and doc.meta.date is not None
    assert headlines('{"cells": [', "content/posts/n.ipynb") == [
        "content/posts/n.ipynb:1:12: error: invalid notebook JSON: Expecting value"
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8", "replace"))
)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for path in ("content/posts/x.md", "content/posts/x.ipynb"):
        doc = parse_document(_config(), path, data, ROOT / path)
        lines = doc.text.count("\n") + 1
        for diagnostic in doc.diagnostics:
            assert diagnostic.location is not None
            assert 1 <= diagnostic.location.line <= lines + 1
