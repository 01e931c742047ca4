"""Discovery: documents under content/, sorted, hidden and _-prefixed ones skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lemmata import fingerprint
from lemmata.config import SiteConfig
from lemmata.content import Format, Kind, _discover, discover, load_documents
from lemmata.content._discover import format_of

FILES = {
    "content/posts/b.md": "---\ntitle: B\n---\n",
    "content/posts/a.md": "---\ntitle: A\n---\n",
    "content/posts/fig/index.md": "---\ntitle: F\n---\n",
    "content/posts/fig/d.svg": "<svg/>",
    "content/posts/nb.ipynb": json.dumps({"cells": [], "metadata": {"lemmata": {"title": "N"}}}),
    "content/pages/about.md": "---\ntitle: About\n---\n",
    "content/notes/Upper.MD": "x",
    "content/posts/.hidden.md": "x",
    "content/posts/_partial.md": "x",
    "content/_partials/x.md": "x",
    "content/.git/x.md": "x",
    "content/posts/notes.txt": "x",
    "static/x.md": "x",
}


def write(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_discover_lists_documents_sorted(tmp_path: Path) -> None:
    write(tmp_path)
    found = discover(tmp_path)
    assert [relative for _, relative in found] == [
        "content/notes/Upper.MD",
        "content/pages/about.md",
        "content/posts/a.md",
        "content/posts/b.md",
        "content/posts/fig/index.md",
        "content/posts/nb.ipynb",
    ]
    assert all(path == str(tmp_path / relative) for path, relative in found)


def test_load_documents_kinds_formats_bundles(tmp_path: Path) -> None:
    write(tmp_path)
    docs, problems = load_documents(SiteConfig(title="T", root=tmp_path))
    assert problems == ()
    assert [(d.path, d.kind, d.format, d.slug, d.bundle_dir, d.meta.title) for d in docs] == [
        ("content/notes/Upper.MD", Kind.PAGE, Format.MARKDOWN, "upper", None, None),
        ("content/pages/about.md", Kind.PAGE, Format.MARKDOWN, "about", None, "About"),
        ("content/posts/a.md", Kind.POST, Format.MARKDOWN, "a", None, "A"),
        ("content/posts/b.md", Kind.POST, Format.MARKDOWN, "b", None, "B"),
        ("content/posts/fig/index.md", Kind.POST, Format.MARKDOWN, "fig", "content/posts/fig", "F"),
        ("content/posts/nb.ipynb", Kind.POST, Format.NOTEBOOK, "nb", None, "N"),
    ]


def test_format_of() -> None:
    assert format_of("a/b.md") is Format.MARKDOWN
    assert format_of("a/b.IPYNB") is Format.NOTEBOOK
    assert format_of("a/b.markdown") is None and format_of("a.md/b") is None


def test_documents_among_listed_files_are_those_found_by_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path)
    listed = fingerprint.inputs(tmp_path, "").stamps
    assert "content/posts/.hidden.md" in listed and "content/.git/x.md" in listed
    walked = discover(tmp_path)

    def no_walk(top: str) -> None:
        raise AssertionError(f"walked {top}")

    monkeypatch.setattr(_discover.os, "walk", no_walk)
    assert discover(tmp_path, listed) == walked
