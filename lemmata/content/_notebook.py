"""Front matter of a Jupyter notebook.

It is read from the notebook's ``metadata.lemmata`` mapping, or else from a
leading raw cell whose source is a front matter block (``---`` YAML ``---``).
Positions in the JSON file are approximate: a problem in a raw cell is placed
on the line of the JSON string that holds its source line (nbformat writes
one per line), at column 1.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lemmata.content._frontmatter import Block, read_front_matter
from lemmata.content._problem import Place, Problem, same_lines


@dataclass(frozen=True, slots=True)
class NotebookFrontMatter:
    """The front matter found in a notebook, and how to place its problems in the file."""

    block: Block
    """The front matter (its ``body`` is unused: a notebook's body is its JSON)."""
    place: Place
    """Maps the block's positions to the JSON file."""


def notebook_front_matter(text: str) -> NotebookFrontMatter:
    """The front matter of the notebook whose JSON is ``text``."""
    try:
        notebook: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(f"invalid notebook JSON: {exc.msg}", exc.lineno - 1, exc.colno - 1)
        return NotebookFrontMatter(Block(problems=(problem,)), same_lines)
    except (ValueError, RecursionError) as exc:
        # ValueError: an integer too long to convert; RecursionError: nesting too deep.
        problem = Problem(f"invalid notebook JSON: {exc}", 0)
        return NotebookFrontMatter(Block(problems=(problem,)), same_lines)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        problem = Problem("not a Jupyter notebook: no list of cells", 0)
        return NotebookFrontMatter(Block(problems=(problem,)), same_lines)
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict) and "lemmata" in metadata:
        return NotebookFrontMatter(_from_metadata(text, metadata["lemmata"]), same_lines)
    cells = notebook["cells"]
    first = cells[0] if cells else None
    if isinstance(first, dict) and first.get("cell_type") == "raw":
        source = first.get("source", "")
        pieces = source if isinstance(source, list) else [source]
        if all(isinstance(piece, str) for piece in pieces):
            raw = "".join(pieces)
            if raw.startswith(("---", "+++")):
                block = read_front_matter(raw)
                return NotebookFrontMatter(block, _raw_cell_place(text, pieces))
    return NotebookFrontMatter(Block(), same_lines)


def _from_metadata(text: str, value: Any) -> Block:
    # The notebook's own metadata follows its cells: the last "lemmata" key is the one.
    anchors = [match.start() for match in _key_pattern("lemmata").finditer(text)]
    anchor = anchors[-1] if anchors else 0
    line = text.count("\n", 0, anchor)
    column = anchor - (text.rfind("\n", 0, anchor) + 1)
    if not isinstance(value, dict):
        message = "notebook metadata.lemmata must be a mapping of keys to values"
        return Block(data_line=line, problems=(Problem(message, line, column),))
    keys: dict[str, tuple[int, int]] = {}
    for key in value:
        match = _key_pattern(key).search(text, anchor + 1)
        if match is not None:
            found = match.start()
            start = text.rfind("\n", 0, found) + 1
            keys[key] = (text.count("\n", 0, found), found - start)
    return Block(data={str(k): v for k, v in value.items()}, keys=keys, data_line=line)


def _key_pattern(key: str) -> re.Pattern[str]:
    """``"key":`` as JSON writes it."""
    return re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:")


def _raw_cell_place(text: str, pieces: list[str]) -> Place:
    """Placement of the raw cell's lines: each on the JSON line of its string."""
    cells = text.find('"cells"')
    position = text.find('"source"', max(cells, 0))
    lines: list[int] = []
    line_starts: list[int] = []
    raw_line = 0
    for piece in pieces:
        found = _find_string(text, piece, position)
        if found != -1:
            position = found
        line_starts.append(raw_line)
        lines.append(text.count("\n", 0, max(position, 0)))
        raw_line += piece.count("\n")

    def place(line: int, column: int) -> tuple[int, int]:
        index = 0
        for candidate, start in enumerate(line_starts):
            if start <= line:
                index = candidate
        return (lines[index] + 1 if lines else 1), 1

    return place


def _find_string(text: str, piece: str, start: int) -> int:
    """Where the JSON string ``piece`` is written, however its characters are escaped."""
    for ascii_only in (False, True):
        found = text.find(json.dumps(piece, ensure_ascii=ascii_only), start)
        if found != -1:
            return found
    return -1
