"""Notebook front matter: metadata.lemmata or a leading raw cell, problems on the JSON lines."""

from __future__ import annotations

import json
from typing import Any

from tests.content.helpers import headlines, parse

PATH = "content/posts/nb.ipynb"


def notebook(cells: list[dict[str, Any]], **metadata: Any) -> dict[str, Any]:
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def raw(source: str | list[str]) -> dict[str, Any]:
    return {"cell_type": "raw", "metadata": {}, "source": source}


def code(source: str) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}


def test_front_matter_from_metadata() -> None:
    text = json.dumps(
        notebook([code("x = 1")], lemmata={"title": "注意力", "date": "2026-01-02"}), indent=1
    )
    doc = parse(text, PATH)
    assert doc.meta.title == "注意力" and doc.meta.date is not None
    assert doc.diagnostics == ()


def test_metadata_problems_are_on_the_key_line() -> None:
    text = json.dumps(notebook([code("x = 1")], lemmata={"title": "T", "draft": "no"}), indent=1)
    line = next(n for n, s in enumerate(text.split("\n"), 1) if '"draft"' in s)
    assert headlines(text, PATH) == [
        f"{PATH}:{line}:4: error: draft: expected true or false, got 'no'"
    ]


def test_metadata_lemmata_must_be_a_mapping() -> None:
    text = json.dumps(notebook([], lemmata=["title"]), indent=1)
    line = next(n for n, s in enumerate(text.split("\n"), 1) if '"lemmata"' in s)
    assert headlines(text, PATH) == [
        f"{PATH}:{line}:3: error: notebook metadata.lemmata must be a mapping of keys to values"
    ]


def test_front_matter_from_a_raw_cell_with_lines_placed() -> None:
    cell = raw(["---\n", "title: From raw\n", "date: 2026-02-30\n", "---"])
    text = json.dumps(notebook([cell, code("x")]), indent=1)
    doc = parse(text, PATH)
    assert doc.meta.title == "From raw"
    date_line = next(n for n, s in enumerate(text.split("\n"), 1) if "date: 2026-02-30" in s)
    assert [d.headline() for d in doc.diagnostics] == [
        f"{PATH}:{date_line}:1: error: date: invalid date '2026-02-30': day is out of range for month"
    ]
    assert doc.diagnostics[0].source_line == '    "date: 2026-02-30\\n",'


def test_raw_cell_as_one_string_and_escaped_characters() -> None:
    cell = raw("---\ntitle: 注意\ntags: 5\n---\n")
    text = json.dumps(notebook([cell]), indent=1, ensure_ascii=True)
    line = next(n for n, s in enumerate(text.split("\n"), 1) if '"source"' in s)
    assert headlines(text, PATH) == [
        f"{PATH}:{line}:1: error: tags: expected text or a list of text, got the number 5"
    ]
    assert parse(text, PATH).meta.title == "注意"


def test_raw_cell_yaml_errors_and_unclosed_fence() -> None:
    text = json.dumps(notebook([raw(["---\n", "title: [x\n", "---\n"])]), indent=1)
    # libyaml notices the missing "]" at the closing fence, as in a Markdown file.
    line = [n for n, s in enumerate(text.split("\n"), 1) if '"---\\n"' in s][-1]
    assert headlines(text, PATH) == [
        f"{PATH}:{line}:1: error: invalid YAML front matter: did not find expected ',' or ']'"
    ]
    text = json.dumps(notebook([raw(["---\n", "title: x\n"])]), indent=1)
    first = next(n for n, s in enumerate(text.split("\n"), 1) if '"---\\n"' in s)
    assert headlines(text, PATH) == [
        f"{PATH}:{first}:1: error: YAML front matter opened with --- is never closed"
    ]


def test_only_a_leading_raw_cell_counts() -> None:
    text = json.dumps(notebook([code("x"), raw("---\ntitle: T\n---\n")]))
    assert parse(text, PATH).meta.title is None


def test_broken_and_truncated_json() -> None:
    assert headlines('{"cells": [', PATH) == [
        f"{PATH}:1:12: error: invalid notebook JSON: Expecting value"
    ]
    whole = json.dumps(notebook([code("x = 1")]), indent=1)
    cut = whole[: whole.index('"outputs"') + 5]
    line = cut.count("\n") + 1
    column = len(cut.split("\n")[-1]) + 1
    assert headlines(cut, PATH) == [
        f"{PATH}:{line}:{column - 5}: error: invalid notebook JSON: Unterminated string starting at"
    ]


def test_json_that_is_not_a_notebook() -> None:
    for text in ("[]", '{"cells": 3}', "7"):
        assert headlines(text, PATH) == [
            f"{PATH}:1:1: error: not a Jupyter notebook: no list of cells"
        ]
    deep = "[" * 100_000 + "]" * 100_000
    (problem,) = headlines(deep, PATH)
    assert problem.startswith(f"{PATH}:1:1: error: invalid notebook JSON: maximum recursion depth")
