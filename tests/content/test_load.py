"""Documents: kinds, bundles, bodies, slugs, hashes; located problems; never an exception."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lemmata import fingerprint
from lemmata.config import SiteConfig
from lemmata.content import (
    Document,
    DocumentStream,
    Format,
    Kind,
    _load,
    load_documents,
    parse_document,
)
from lemmata.content._slug import _HAN
from lemmata.errors import Diagnostic
from tests.content.helpers import headlines, parse, site

CHINESE = """---
title: 注意力机制与 LoRA
date: 2026-01-11 20:30
updated: 2026-01-12T08:00:00+08:00
category: [自然语言处理, Deep Learning]
tags: 注意力, 低秩
summary: 一句话。
draft: true
mathjax: true
---
# 正文
"""


def test_chinese_front_matter() -> None:
    doc = parse(CHINESE, timezone="Asia/Shanghai")
    meta = doc.meta
    assert meta.title == "注意力机制与 LoRA"
    assert meta.date == datetime(2026, 1, 11, 20, 30, tzinfo=timezone(timedelta(hours=8)))
    assert meta.updated == datetime(2026, 1, 12, tzinfo=UTC)
    assert meta.categories == ("自然语言处理", "Deep Learning")
    assert meta.category == "自然语言处理"
    assert meta.tags == ("注意力", "低秩")
    assert (meta.summary, meta.draft, meta.extra) == ("一句话。", True, {"mathjax": True})
    assert (doc.body, doc.body_line) == ("# 正文\n", 11)
    assert (doc.kind, doc.format, doc.slug, doc.bundle_dir) == (
        Kind.POST,
        Format.MARKDOWN,
        "note",
        None,
    )
    assert doc.diagnostics == ()
    assert doc.term_slugs == (
        ("自然语言处理", "zi-ran-yu-yan-chu-li"),
        ("Deep Learning", "deep-learning"),
        ("注意力", "zhu-yi-li"),
        ("低秩", "di-zhi"),
    )
    assert parse(CHINESE, slug_style="unicode").term_slugs[0] == ("自然语言处理", "自然语言处理")


def test_text_body_and_hash() -> None:
    data = "\ufeff---\r\ntitle: T\r\n---\r\nbody\r\n".encode()
    doc = parse(data)
    assert doc.text == "---\ntitle: T\n---\nbody\n"
    assert (doc.body, doc.body_line) == ("body\n", 4)
    assert doc.content_hash == hashlib.sha256(data).hexdigest()


def test_no_front_matter_means_defaults_and_the_whole_body() -> None:
    doc = parse("# Heading\n\ntext\n", "content/pages/about.md")
    assert doc.meta.title is None and doc.meta.date is None
    assert (doc.kind, doc.body, doc.body_line, doc.slug) == (
        Kind.PAGE,
        "# Heading\n\ntext\n",
        1,
        "about",
    )


def test_invalid_utf8_names_line_column_and_byte() -> None:
    data = b"---\ntitle: T\n---\n\xe4\xb8\xad ab\xffcd\n"
    assert headlines(data) == [
        "content/posts/note.md:4:5: error: invalid UTF-8 (byte 0xff at offset 23)"
    ]
    assert parse(data).meta.title == "T"


def test_problems_quote_their_line() -> None:
    (problem,) = parse("---\ntitle: T\ndraft: maybe\n---\n").diagnostics
    assert problem.format() == (
        "content/posts/note.md:3:1: error: draft: expected true or false, got 'maybe'\n"
        " 3 | draft: maybe\n"
        "   | ^"
    )


def test_slug_from_front_matter_file_name_or_date_prefix() -> None:
    assert parse("---\nslug: /Custom Path/\n---\n").slug == "custom-path"
    assert parse("---\nslug: 自定义\n---\n").slug == "zi-ding-yi"
    assert parse("---\nslug: 自定义\n---\n", slug_style="unicode").slug == "自定义"
    assert parse("x", "content/posts/最大间距.md").slug == "zui-da-jian-ju"
    assert parse("x", "content/posts/最大间距.md", slug_style="unicode").slug == "最大间距"
    assert parse("x", "content/posts/My Note.MD").slug == "my-note"


def test_date_prefix_gives_slug_and_missing_date() -> None:
    doc = parse("x", "content/posts/2026-01-11-adamw.md", timezone="Asia/Shanghai")
    assert doc.slug == "adamw"
    assert doc.meta.date == datetime(2026, 1, 11, tzinfo=timezone(timedelta(hours=8)))
    written = parse("---\ndate: 2025-05-05\n---\n", "content/posts/2026-01-11-adamw.md")
    assert written.meta.date == datetime(2025, 5, 5, tzinfo=UTC)
    impossible = parse("x", "content/posts/2026-02-30-x.md")
    assert (impossible.slug, impossible.meta.date) == ("2026-02-30-x", None)


def test_bundles() -> None:
    bundle = parse("x", "content/posts/2026-01-11-max-gap/index.md")
    assert (bundle.slug, bundle.bundle_dir) == ("max-gap", "content/posts/2026-01-11-max-gap")
    assert bundle.meta.date is not None and bundle.kind is Kind.POST
    page = parse("x", "content/about/index.md")
    assert (page.slug, page.bundle_dir, page.kind) == ("about", "content/about", Kind.PAGE)
    for section in ("content/index.md", "content/posts/index.md", "content/pages/index.md"):
        assert (parse("x", section).slug, parse("x", section).bundle_dir) == ("index", None)


def test_notebook_document() -> None:
    notebook = {"cells": [], "metadata": {"lemmata": {"title": "N", "tags": ["a"]}}, "nbformat": 4}
    text = json.dumps(notebook, indent=1)
    doc = parse(text, "content/posts/nb.ipynb")
    assert (doc.format, doc.meta.title, doc.meta.tags) == (Format.NOTEBOOK, "N", ("a",))
    assert (doc.body, doc.body_line, doc.slug) == (text, 1, "nb")


def test_load_documents_collects_every_problem(tmp_path: Path) -> None:
    files = {
        "content/posts/a.md": "---\ndate: 2026-02-30\n---\n",
        "content/posts/b.md": "---\ntitle: [x\n---\n",
        "content/posts/c.md": "---\ntitle: fine\n---\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    docs, problems = load_documents(SiteConfig(title="T", root=tmp_path))
    assert [d.path for d in docs] == sorted(files)
    assert [p.headline() for p in problems] == [
        "content/posts/a.md:2:1: error: date: invalid date '2026-02-30': day is out of range for month",
        "content/posts/b.md:3:1: error: invalid YAML front matter: did not find expected ',' or ']'",
    ]
    assert problems[1].source_line == "---"


def test_unreadable_file_is_a_located_problem(tmp_path: Path) -> None:
    folder = tmp_path / "content/posts/a.md"
    folder.mkdir(parents=True)
    (tmp_path / "content/posts/b.md").write_text("ok")
    (folder / "x.txt").write_text("not a document")
    # A folder named like a document is not a file: os.walk lists it as a folder.
    docs, problems = load_documents(SiteConfig(title="T", root=tmp_path))
    assert [d.path for d in docs] == ["content/posts/b.md"] and problems == ()


def test_a_changed_file_reuses_the_slugs_of_terms_other_files_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = tmp_path / "content/posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntags: [概率, 新词]\n---\nA")
    (posts / "b.md").write_text("---\ntags: [概率]\n---\nB")
    config = SiteConfig(title="T", root=tmp_path)
    load_documents(config)
    (posts / "a.md").write_text("---\ntags: [概率, 新词]\n---\nA, edited")
    made: list[str] = []

    def slugify(text: str, style: str) -> str:
        made.append(text)
        return "made"

    monkeypatch.setattr(_load, "slugify", slugify)
    docs, _ = load_documents(config)
    # b.md came from the cache and knows 概率; only the term no other file has is made.
    assert "新词" in made and "概率" not in made
    assert docs[0].term_slugs == (("概率", "gai-lv"), ("新词", "made"))


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = _load._read

    def counted(path: str) -> bytes:
        read.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(_load, "_read", counted)
    return read


def _posts(root: Path, **texts: str) -> Path:
    posts = root / "content/posts"
    posts.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (posts / f"{name}.md").write_text(text)
    return posts


def test_files_with_the_stamp_they_were_read_with_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_load, "_SETTLED_NS", 0)  # files written by the test count as settled
    posts = _posts(tmp_path, a="---\ntitle: A\n---\nA", b="---\ntitle: B\n---\nB")
    config = SiteConfig(title="T", root=tmp_path)
    read = _counting_reads(monkeypatch)
    first, _ = load_documents(config)
    assert read == ["a.md", "b.md"]
    (posts / "b.md").write_text("---\ntitle: B2\n---\nB")
    again, _ = load_documents(config)
    assert read == ["a.md", "b.md", "b.md"]
    assert [d.meta.title for d in again] == ["A", "B2"] and again[0] == first[0]
    # Other settings make other keys: every file is read again.
    load_documents(SiteConfig(title="T", root=tmp_path, timezone="Asia/Shanghai"))
    assert read[3:] == ["a.md", "b.md"]
    # Without the cache, every file is read, every time.
    load_documents(config, use_cache=False)
    assert read[5:] == ["a.md", "b.md"]


def test_a_file_given_back_its_size_and_modification_time_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_load, "_SETTLED_NS", 0)
    posts = _posts(tmp_path, a="---\ntitle: Old\n---\n")
    before = (posts / "a.md").stat()
    config = SiteConfig(title="T", root=tmp_path)
    load_documents(config)
    (posts / "a.md").write_text("---\ntitle: New\n---\n")
    os.utime(posts / "a.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    after = (posts / "a.md").stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    docs, _ = load_documents(config)
    assert docs[0].meta.title == "New"


@pytest.mark.parametrize(
    ("settled_ns", "stamps_hold"),
    [
        # Within the file system's timestamp resolution, a second change could keep
        # the stamp: a file is trusted by its stamp only once it had settled.
        (_load._SETTLED_NS, True),
        # Where a file's stamp does not show every change (Windows), never.
        (0, False),
    ],
    ids=["changed just before it was read", "stamps that do not show every change"],
)
def test_a_file_whose_stamp_cannot_be_trusted_is_read_by_every_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_ns: int, stamps_hold: bool
) -> None:
    monkeypatch.setattr(_load, "_SETTLED_NS", settled_ns)
    monkeypatch.setattr(_load, "_STAMPS_HOLD", stamps_hold)
    _posts(tmp_path, a="A")
    config = SiteConfig(title="T", root=tmp_path)
    read = _counting_reads(monkeypatch)
    load_documents(config)
    load_documents(config)
    assert read == ["a.md", "a.md"]


def test_a_file_known_by_its_stamp_but_gone_from_the_cache_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_load, "_SETTLED_NS", 0)
    _posts(tmp_path, a="---\ntitle: A\n---\n")
    config = SiteConfig(title="T", root=tmp_path)
    first, _ = load_documents(config)
    for name in ("cache.sqlite3", "documents.pickle"):
        (tmp_path / ".lemmata" / name).unlink(missing_ok=True)
    assert (tmp_path / ".lemmata/sources.pickle").is_file()
    read = _counting_reads(monkeypatch)
    again, _ = load_documents(config)
    assert read == ["a.md"] and again == first


class _CountingOs:
    """The ``os`` module as ``_load`` sees it, counting the files it looks at."""

    def __init__(self) -> None:
        self.looked_at: list[str] = []

    def stat(self, path: str) -> os.stat_result:
        self.looked_at.append(Path(path).name)
        return os.stat(path)  # noqa: PTH116

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)


def _stream_with_stamps(config: SiteConfig) -> tuple[tuple[Document, ...], tuple[Diagnostic, ...]]:
    stream = DocumentStream(config, stamps=fingerprint.inputs(config.root, "").stamps)
    for _document in stream:
        pass
    return stream.result()


def test_stamps_taken_by_the_build_spare_looking_at_each_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_load, "_SETTLED_NS", 0)
    posts = _posts(tmp_path, a="---\ntitle: A\n---\nA", b="---\ntitle: B\n---\nB")
    (posts / "broken.md").symlink_to(tmp_path / "nowhere.md")
    config = SiteConfig(title="T", root=tmp_path)
    _stream_with_stamps(config)
    (posts / "b.md").write_text("---\ntitle: B2\n---\nB")
    counting = _CountingOs()
    monkeypatch.setattr(_load, "os", counting)
    read = _counting_reads(monkeypatch)
    docs, problems = _stream_with_stamps(config)
    # Known by the stamps the fingerprint took: only the changed file is read, and only
    # the file those stamps could not describe is looked at again (and reported).
    assert read == ["b.md"] and counting.looked_at == ["broken.md"]
    assert [d.meta.title for d in docs] == ["A", "B2"]
    assert [p.location.path for p in problems] == ["content/posts/broken.md"]
    assert (docs, problems) == load_documents(config)


def test_missing_content_folder_is_an_empty_site(tmp_path: Path) -> None:
    assert load_documents(SiteConfig(title="T", root=tmp_path)) == ((), ())


_FRONT_MATTER_TEXT = st.text(
    alphabet=st.sampled_from(list("-+:[]{}\"'#,\n\t &*!|>%@`ab1-2 题\r\x00")), max_size=120
)


@settings(max_examples=400, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8", "replace"))
    | _FRONT_MATTER_TEXT.map(lambda t: ("---\n" + t + "\n---\nbody").encode())
    | _FRONT_MATTER_TEXT.map(lambda t: ("+++\n" + t + "\n+++\n").encode())
)
@example(b"---\n:\r.\n---")  # YAML breaks lines at a lone CR, the file does not
def test_arbitrary_bytes_never_raise_and_problems_are_located(data: bytes) -> None:
    for path in ("content/posts/x.md", "content/posts/x.ipynb"):
        doc = parse_document(site(), path, data)
        lines = doc.text.split("\n")
        for diagnostic in doc.diagnostics:
            assert diagnostic.location is not None and diagnostic.location.path == path
            assert 1 <= diagnostic.location.line <= len(lines)
            assert 1 <= diagnostic.location.column <= len(lines[diagnostic.location.line - 1]) + 1
            assert diagnostic.source_line == lines[diagnostic.location.line - 1].rstrip("\r")


_CELL_TEXT = st.text(alphabet=st.sampled_from(list('-:[]{}"#\n ab1题\\')), max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL_TEXT, max_size=4), st.integers(0, 2))
def test_arbitrary_raw_cells_never_raise(pieces: list[str], indent: int) -> None:
    notebook = {"cells": [{"cell_type": "raw", "metadata": {}, "source": ["---\n", *pieces]}]}
    text = json.dumps(notebook, indent=indent or None, ensure_ascii=indent == 1)
    doc = parse(text, "content/posts/x.ipynb")
    lines = text.split("\n")
    for diagnostic in doc.diagnostics:
        assert diagnostic.location is not None
        assert 1 <= diagnostic.location.line <= len(lines)


def test_slugs_needing_the_pinyin_dictionaries_are_made_after_every_document_is_handed_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a first build, rendering starts before the dictionaries (~0.3 s) are loaded.
    _posts(tmp_path, **{"a": "---\ntags: [概率, ML]\n---\nA", "注意力": "B", "c": "C"})
    config = SiteConfig(title="T", root=tmp_path)
    handed: list[str] = []
    at_first_dictionary: list[int] = []
    original = _load.slugify

    def slugify(text: str, style: Literal["pinyin", "unicode"] = "pinyin") -> str:
        if _HAN.search(text) and not at_first_dictionary:
            at_first_dictionary.append(len(handed))
        return original(text, style)

    monkeypatch.setattr(_load, "slugify", slugify)
    stream = DocumentStream(config)
    for document in stream:
        handed.append(document.path)
    assert len(handed) == 3 and at_first_dictionary == [3]
    docs, _ = stream.result()
    assert [(d.slug, d.term_slugs) for d in docs] == [
        ("a", (("概率", "gai-lv"), ("ML", "ml"))),
        ("c", ()),
        ("zhu-yi-li", ()),
    ]
    # Cached as they were made: the next build reads the very same documents.
    assert load_documents(config)[0] == docs
