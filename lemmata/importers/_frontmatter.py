"""Reading the front matter of another engine's post: YAML, TOML or JSON.

Besides ``---``/``+++`` fences this reads Hugo's JSON object at the top of a
file and Hexo's short form, where the front matter has no opening ``---``.
Timestamps are left as strings (the engines disagree on their syntax; the
mapping reads them). Problems are error diagnostics at their line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from lemmata.errors import Diagnostic, SourceText
from lemmata.importers._paths import shown

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader without implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

_HEXO_SHORT = re.compile(r"^---[ \t]*$", re.MULTILINE)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)")
_YAML_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)|[ \t]+\S|-[ \t]|#|[ \t]*$)")


@dataclass
class Source:
    """A post file split into front matter and body."""

    data: Mapping[str, Any] = field(default_factory=dict)
    body: str = ""
    body_offset: int = 0
    """Character offset of the body in the file's text."""
    ok: bool = True
    """False when the front matter could not be read (an error was reported)."""


def read_source(
    source: SourceText, diagnostics: list[Diagnostic], *, short_form: bool = False
) -> Source:
    """Split ``source.text``; a front matter that cannot be read is an error at its line.

    ``short_form`` also accepts Hexo's front matter that has only a closing ``---``.
    """
    text = source.text
    first = text.split("\n", 1)[0].rstrip()
    if first in ("---", "+++"):
        closing = re.compile(rf"^{re.escape(first)}[ \t]*$", re.MULTILINE)
        start = len(text.split("\n", 1)[0]) + 1
        end = closing.search(text, start)
        if end is None:
            diagnostics.append(source.error(f"front matter opened with {first} is never closed"))
            return Source(ok=False)
        raw = text[start : end.start()]
        reader = _yaml if first == "---" else _toml
        return _finish(source, reader(source, raw, start, diagnostics), end.end(), diagnostics)
    if text.startswith("{"):
        return _json(source, diagnostics)
    short = _HEXO_SHORT.search(text) if short_form else None
    if short is not None and _looks_like_yaml(text[: short.start()]):
        raw = text[: short.start()]
        data = _yaml(source, raw, 0, diagnostics)
        return _finish(source, data, short.end(), diagnostics)
    return Source(body=text)


def _looks_like_yaml(head: str) -> bool:
    """Hexo's short form: the text before the first ``---`` is all ``key: value`` lines,
    among them a ``title`` or a ``date``."""
    lines = head.split("\n")
    if not re.search(r"^(?:title|date)[ \t]*:", head, re.MULTILINE):
        return False
    return bool(_KEY_LINE.match(lines[0])) and all(_YAML_LINE.match(line) for line in lines)


def _finish(
    source: SourceText, data: Mapping[str, Any] | None, end: int, diagnostics: list[Diagnostic]
) -> Source:
    if data is None:
        return Source(ok=False)
    newline = source.text.find("\n", end)
    offset = newline + 1 if newline != -1 else len(source.text)
    return Source(data=data, body=source.text[offset:], body_offset=offset)


def _yaml(
    source: SourceText, raw: str, offset: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any] | None:
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = source.location(offset).line + (mark.line if mark else 0)
        column = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.append(
            source.error(f"invalid YAML front matter: {problem}", line=line, column=column)
        )
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        diagnostics.append(source.error(f"invalid YAML front matter: {exc}", offset=offset))
        return None
    return _mapping(source, data, offset, diagnostics)


def _toml(
    source: SourceText, raw: str, offset: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any] | None:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        line += source.location(offset).line - 1
        diagnostics.append(
            source.error(f"invalid TOML front matter: {message}", line=line, column=column)
        )
        return None


def _json(source: SourceText, diagnostics: list[Diagnostic]) -> Source:
    decoder = json.JSONDecoder()
    try:
        data, end = decoder.raw_decode(source.text)
    except json.JSONDecodeError as exc:
        diagnostics.append(
            source.error(f"invalid JSON front matter: {exc.msg}", line=exc.lineno, column=exc.colno)
        )
        return Source(ok=False)
    mapping = _mapping(source, data, 0, diagnostics)
    return _finish(source, mapping, end, diagnostics)


def _mapping(
    source: SourceText, data: Any, offset: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any] | None:
    if data is None:
        return {}
    if not isinstance(data, dict):
        diagnostics.append(
            source.error("front matter must be a mapping of keys to values", offset=offset)
        )
        return None
    return {str(key): value for key, value in data.items()}


def read_config(path: Path, diagnostics: list[Diagnostic]) -> Mapping[str, Any] | None:
    """An engine's configuration file (YAML, TOML or JSON), or ``None`` if it is broken."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(SourceText(shown(path), "").error(f"cannot read file: {exc}"))
        return None
    source = SourceText(shown(path), text)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _toml(source, text, 0, diagnostics)
    if suffix == ".json":
        parsed = _json(source, diagnostics)
        return parsed.data if parsed.ok else None
    return _yaml(source, text, 0, diagnostics)


def read_zone(name: Any, path: Path, diagnostics: list[Diagnostic]) -> tzinfo | None:
    """The engine's configured time zone, or ``None`` (with a warning if it is unknown)."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        source = SourceText(shown(path), path.read_text("utf-8", errors="replace"))
        offset = max(0, source.text.find(name))
        diagnostics.append(source.warning(f"unknown time zone {name!r}; ignored", offset=offset))
        return None
