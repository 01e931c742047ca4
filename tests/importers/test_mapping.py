"""Front matter of other engines: reading it, and mapping it to lemmata's keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from lemmata.errors import Diagnostic, SourceText
from lemmata.importers._frontmatter import read_source
from lemmata.importers._mapping import Rules, map_front_matter, read_when

UTC8 = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04 10:00:00 +0800", datetime(2021, 3, 4, 10, tzinfo=UTC8)),
        ("2021-03-04T10:00:00+08:00", datetime(2021, 3, 4, 10, tzinfo=UTC8)),
        ("2021-3-4 9:05", datetime(2021, 3, 4, 9, 5, tzinfo=UTC8)),
        ("2021/03/04 10:00:00", datetime(2021, 3, 4, 10, tzinfo=UTC8)),
        ("2021-03-04T02:00:00Z", datetime(2021, 3, 4, 2, tzinfo=UTC)),
        ("2021-03-04", date(2021, 3, 4)),
        (datetime(2021, 3, 4, 10), datetime(2021, 3, 4, 10, tzinfo=UTC8)),
    ],
)
def test_dates_keep_or_get_an_offset(value: object, expected: object) -> None:
    assert read_when(value, ZoneInfo("Asia/Shanghai")) == expected


def test_date_without_zone_stays_naive() -> None:
    assert read_when("2021-03-04 10:00", None) == datetime(2021, 3, 4, 10)


def test_bad_date_is_a_warning_at_its_key() -> None:
    text = "---\ntitle: T\ndate: someday\n---\n"
    source = SourceText("p.md", text)
    found: list[Diagnostic] = []
    mapped = map_front_matter({"title": "T", "date": "someday"}, Rules(), source, found)
    assert "date" not in mapped.front
    assert [d.format() for d in found] == [
        "p.md:3:1: warning: date: cannot read the date 'someday' "
        "(expected a date like 2026-01-11 10:30); left out\n 3 | date: someday\n   | ^"
    ]


def test_mapping() -> None:
    data = {
        "title": "T",
        "categories": [["Deep Learning", "NLP"], "Extra"],
        "tags": "one tag",
        "permalink": "/2020/01/my-post.html",
        "published": False,
        "excerpt": "Short.",
        "mathjax": True,
        "layout": "post",
        "toc": True,
    }
    mapped = map_front_matter(data, Rules(), SourceText("p.md", ""), [])
    assert mapped.front == {
        "title": "T",
        "category": ["Deep Learning", "NLP", "Extra"],
        "tags": ["one tag"],
        "summary": "Short.",
        "slug": "my-post",
        "draft": True,
        "toc": True,
    }
    jekyll = map_front_matter({"tags": "a b"}, Rules(split_on_spaces=True), SourceText("p", ""), [])
    assert jekyll.front["tags"] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "data", "body"),
    [
        ("---\ntitle: A\n---\nBody\n", {"title": "A"}, "Body\n"),
        ('+++\ntitle = "A"\n+++\nBody\n', {"title": "A"}, "Body\n"),
        ('{"title": "A"}\nBody\n', {"title": "A"}, "Body\n"),
        ("title: A\ntags:\n- x\n---\nBody\n", {"title": "A", "tags": ["x"]}, "Body\n"),
        ("Note: this is text\n\n---\n\nMore\n", {}, "Note: this is text\n\n---\n\nMore\n"),
    ],
)
def test_front_matter_forms(text: str, data: dict[str, object], body: str) -> None:
    split = read_source(SourceText("p.md", text), [], short_form=True)
    assert (dict(split.data), split.body) == (data, body)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        (
            "---\ntitle: [a\n---\n",
            "p.md:3:1: error: invalid YAML front matter: did not find expected ',' or ']'",
        ),
        ("+++\ntitle = \n+++\n", "p.md:2:9: error: invalid TOML front matter: Invalid value"),
        ('{"title": }\n', "p.md:1:11: error: invalid JSON front matter: Expecting value"),
        ("---\ntitle: a\n", "p.md:1:1: error: front matter opened with --- is never closed"),
        ("---\n- a\n---\n", "p.md:2:1: error: front matter must be a mapping of keys to values"),
    ],
)
def test_broken_front_matter_is_located(text: str, headline: str) -> None:
    found: list[Diagnostic] = []
    split = read_source(SourceText("p.md", text), found)
    assert not split.ok
    assert [d.headline() for d in found] == [headline]
