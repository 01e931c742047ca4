"""Cutting a text into front matter and body.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines, at
the very top of the text::

    ---
    title: 注意力机制
    date: 2026-01-11
    ---
    The body starts here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lemmata.content._problem import Problem
from lemmata.content._yaml import Keys, parse_yaml

_LANGUAGES = {"---": "YAML", "+++": "TOML"}
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")
_TOML_KEY = re.compile(r"""[ \t]*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*[=.]""")


@dataclass(frozen=True, slots=True)
class Block:
    """A text cut into its front matter (parsed) and its body."""

    data: Mapping[str, Any] = field(default_factory=dict)
    """The front matter's keys and values; empty when there is none or it is broken."""
    keys: Keys = field(default_factory=dict)
    """Where each top-level key is written (0-based line and column of the text)."""
    data_line: int = 0
    """0-based line where the front matter's content starts (for problems with no key)."""
    body: str = ""
    """The text after the front matter."""
    body_line: int = 0
    """0-based line where the body starts."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the front matter."""


def read_front_matter(text: str) -> Block:
    """The front matter at the top of ``text`` and the body after it."""
    first_end = text.find("\n")
    fence = (text if first_end == -1 else text[:first_end]).rstrip(" \t\r")
    language = _LANGUAGES.get(fence)
    if language is None:
        return Block(body=text)
    closing = re.compile(rf"^{re.escape(fence)}[ \t\r]*$", re.MULTILINE)
    end = closing.search(text, first_end + 1) if first_end != -1 else None
    if end is None:
        message = f"{language} front matter opened with {fence} is never closed"
        return Block(data_line=1, problems=(Problem(message, 0),))
    raw = text[first_end + 1 : end.start()]
    body_start = text.find("\n", end.end())
    body_line = text.count("\n", 0, end.start()) + 1
    body = "" if body_start == -1 else text[body_start + 1 :]
    if language == "YAML":
        data, keys, problems = parse_yaml(raw)
    else:
        data, keys, problems = parse_toml(raw)
    return Block(
        data=data,
        keys={key: (line + 1, column) for key, (line, column) in keys.items()},
        data_line=1,
        body=body,
        body_line=body_line,
        problems=tuple(Problem(p.message, p.line + 1, p.column, p.severity) for p in problems),
    )


def parse_toml(raw: str) -> tuple[Mapping[str, Any], Keys, list[Problem]]:
    """The table in ``raw``, where its top-level keys are, and what is wrong with it."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        if found is not None and found.group(1):
            line, column = int(found.group(1)) - 1, int(found.group(2)) - 1
        else:
            line, column = raw.count("\n"), 0
        text = _TOML_POSITION.sub("", message)
        return {}, {}, [Problem(f"invalid TOML front matter: {text}", line, column)]
    return data, _toml_keys(raw), []


def _toml_keys(raw: str) -> dict[str, tuple[int, int]]:
    """Where the top-level keys are: lines before the first ``[table]``."""
    keys: dict[str, tuple[int, int]] = {}
    in_string = False
    for number, line in enumerate(raw.split("\n")):
        if not in_string:
            if line.lstrip().startswith("["):
                break
            match = _TOML_KEY.match(line)
            if match is not None:
                keys.setdefault(match.group(1).strip("\"'"), (number, match.start(1)))
        # A line inside a multi-line string is text, not a key.
        if (line.count('"""') + line.count("'''")) % 2:
            in_string = not in_string
    return keys
