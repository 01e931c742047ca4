"""Typed front matter: accepted shapes, exact messages at each key, warnings for likely typos."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lemmata.content._fields import shown, typed_front_matter
from lemmata.errors import Severity
from tests.content.helpers import headlines, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: T\ndate: 2026-02-30\n---\n",
            "content/posts/note.md:3:1: error: date: invalid date '2026-02-30': day is out of range for month",
        ),
        (
            "---\nupdated: 2026-01-11 25:00\n---\n",
            "content/posts/note.md:2:1: error: updated: invalid date '2026-01-11 25:00': hour must be in 0..23",
        ),
        (
            "---\ndate: soon\n---\n",
            "content/posts/note.md:2:1: error: date: invalid date 'soon': expected a date like 2026-01-11 or 2026-01-11 20:30",
        ),
        (
            "---\ndate: 2026\n---\n",
            "content/posts/note.md:2:1: error: date: expected a date like 2026-01-11 or 2026-01-11 20:30, got the number 2026",
        ),
        (
            "---\ntags: 5\n---\n",
            "content/posts/note.md:2:1: error: tags: expected text or a list of text, got the number 5",
        ),
        (
            "---\ntags: [a, {b: c}]\n---\n",
            "content/posts/note.md:2:1: error: tags: expected text or a list of text, got a list with a mapping in it",
        ),
        (
            "---\ncategory: {a: 1}\n---\n",
            "content/posts/note.md:2:1: error: category: expected text or a list of text, got a mapping",
        ),
        (
            "---\ndraft: maybe\n---\n",
            "content/posts/note.md:2:1: error: draft: expected true or false, got 'maybe'",
        ),
        (
            '---\ndraft: "true"\n---\n',
            "content/posts/note.md:2:1: error: draft: expected true or false, got 'true'",
        ),
        (
            "---\ntitle: [a]\n---\n",
            "content/posts/note.md:2:1: error: title: expected text, got a list",
        ),
        (
            "---\nsummary:\n  a: b\n---\n",
            "content/posts/note.md:2:1: error: summary: expected text, got a mapping",
        ),
        (
            "+++\ndate = 10:30:00\n+++\n",
            "content/posts/note.md:2:1: error: date: expected a date like 2026-01-11 or 2026-01-11 20:30, got 10:30:00",
        ),
    ],
)
def test_wrong_values_are_errors_at_their_key(text: str, expected: str) -> None:
    assert headlines(text) == [expected]


def test_a_bad_value_does_not_lose_the_others() -> None:
    doc = parse("---\ntitle: Kept\ndraft: maybe\ntags: [a]\n---\n")
    assert (doc.meta.title, doc.meta.draft, doc.meta.tags) == ("Kept", False, ("a",))


def test_accepted_shapes() -> None:
    meta = parse(
        "---\ntitle: 42\ncategories: [A, B]\ncategory: C\ntags: [x, 2026, x, ' y ']\n"
        "date: 2026-01-11T09:30:00Z\nslug: ''\n---\n"
    ).meta
    assert meta.title == "42"
    assert meta.categories == ("C", "A", "B") and meta.category == "C"
    assert meta.tags == ("x", "2026", "y")
    assert meta.date == datetime(2026, 1, 11, 9, 30, tzinfo=UTC)
    assert meta.slug is None


def test_comma_separated_tags_and_a_whole_category() -> None:
    meta = parse("---\ntags: 注意力, LoRA ,,\ncategory: Large Model, Survey\n---\n").meta
    assert meta.tags == ("注意力", "LoRA")
    assert meta.categories == ("Large Model, Survey",)


def test_likely_typos_warn_and_stay_in_extra() -> None:
    doc = parse("---\ntittle: T\ntag: [a]\nauthor: Me\n---\n")
    assert doc.meta.extra == {"tittle": "T", "tag": ["a"], "author": "Me"}
    assert [(d.severity, d.headline()) for d in doc.diagnostics] == [
        (
            Severity.WARNING,
            "content/posts/note.md:2:1: warning: unknown key tittle (did you mean title?); it is passed on in extra",
        ),
        (
            Severity.WARNING,
            "content/posts/note.md:3:1: warning: unknown key tag (did you mean tags?); it is passed on in extra",
        ),
    ]


def test_problems_without_a_known_key_position_fall_back_to_the_data_line() -> None:
    meta, (problem,) = typed_front_matter({"draft": 1}, {}, 7, UTC)
    assert meta.draft is False
    assert (problem.message, problem.line, problem.column) == (
        "draft: expected true or false, got the number 1",
        7,
        0,
    )


def test_shown_values_are_short() -> None:
    assert shown("x" * 100) == repr("x" * 59 + "…")
    assert shown(None) == "nothing"
    assert shown(date(2026, 1, 2)) == "2026-01-02"
    assert shown(b"x") == "bytes"
