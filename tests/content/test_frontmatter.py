"""Front matter blocks: YAML and TOML fences, located syntax errors, where keys are."""

from __future__ import annotations

import pytest

from lemmata.content._frontmatter import read_front_matter
from tests.content.helpers import headlines, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: a: b: c\n---\n",
            "content/posts/note.md:2:9: error: invalid YAML front matter: mapping values are not allowed in this context",
        ),
        (
            "---\ntitle: T\n\ntags: [a, b\n---\n",
            "content/posts/note.md:5:1: error: invalid YAML front matter: did not find expected ',' or ']'",
        ),
        (
            "---\ntitle: 注意力机制 a: b\n---\n",
            "content/posts/note.md:2:15: error: invalid YAML front matter: mapping values are not allowed in this context",
        ),
        (
            "---\ntitle: T\n",
            "content/posts/note.md:1:1: error: YAML front matter opened with --- is never closed",
        ),
        (
            "+++\ntitle = 'T'\n",
            "content/posts/note.md:1:1: error: TOML front matter opened with +++ is never closed",
        ),
        (
            "---\n- a\n- b\n---\n",
            "content/posts/note.md:2:1: error: front matter must be a mapping of keys to values",
        ),
        (
            "---\n\n  just text\n---\n",
            "content/posts/note.md:3:3: error: front matter must be a mapping of keys to values",
        ),
        (
            "+++\ntitle = \n+++\n",
            "content/posts/note.md:2:9: error: invalid TOML front matter: Invalid value",
        ),
        (
            '+++\ntitle = "T"\ntitle = "U"\n+++\n',
            "content/posts/note.md:3:12: error: invalid TOML front matter: Cannot overwrite a value",
        ),
    ],
)
def test_syntax_errors_are_located_in_the_file(text: str, expected: str) -> None:
    assert headlines(text) == [expected]


def test_yaml_block() -> None:
    block = read_front_matter("---  \ntitle: T\n\n  # comment\ndate: x\n---\t\nbody\n---\nmore\n")
    assert dict(block.data) == {"title": "T", "date": "x"}
    assert dict(block.keys) == {"title": (1, 0), "date": (4, 0)}
    assert (block.body, block.body_line, block.problems) == ("body\n---\nmore\n", 6, ())


def test_toml_block() -> None:
    block = read_front_matter(
        '+++\ntitle = "T"\nsummary = """\ndate = 1\n"""\n  "date" = 2026-01-01\n[extra]\ntags = 1\n+++\n'
    )
    assert block.data["title"] == "T" and block.data["extra"] == {"tags": 1}
    assert dict(block.keys) == {"title": (1, 0), "summary": (2, 0), "date": (5, 2)}
    assert (block.body, block.body_line) == ("", 9)


def test_only_a_fence_on_the_first_line_opens_front_matter() -> None:
    for text in ("----\ntitle: T\n----\n", "text\n---\ntitle: T\n---\n", " ---\na: b\n---\n"):
        block = read_front_matter(text)
        assert (block.data, block.body, block.body_line) == ({}, text, 0)


def test_empty_front_matter_and_fence_at_the_end() -> None:
    assert read_front_matter("---\n---\n").data == {}
    block = read_front_matter("---\ntitle: T\n---")
    assert (dict(block.data), block.body, block.problems) == ({"title": "T"}, "", ())


def test_toml_values_keep_their_types() -> None:
    doc = parse(
        '+++\ntitle = "T"\ndate = 2026-01-01T10:00:00+08:00\ntags = ["x", "y"]\ndraft = true\n+++\nbody\n'
    )
    assert (doc.meta.title, doc.meta.tags, doc.meta.draft, doc.body) == (
        "T",
        ("x", "y"),
        True,
        "body\n",
    )
    assert doc.meta.date is not None and doc.meta.date.isoformat() == "2026-01-01T10:00:00+08:00"


def test_toml_field_errors_are_placed_at_their_key() -> None:
    assert headlines('+++\ntitle = "T"\n  tags = 5\n+++\n') == [
        "content/posts/note.md:3:3: error: tags: expected text or a list of text, got the number 5"
    ]
