"""Front matter: YAML between ``---`` lines or TOML between ``+++`` lines.

YAML is read with the safe loader only (the C one when available), and with
timestamps left as strings so that an impossible date is reported by us, at
its line, instead of failing the whole block.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

import yaml

from lemmata.content._model import FrontMatter
from lemmata.errors import Diagnostic, SourceText

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, minus implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_KNOWN = {"title", "date", "updated", "category", "categories", "tags", "summary", "slug", "draft"}


@dataclass
class Split:
    """A file cut into its front matter and its body."""

    data: Mapping[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    """1-based line of the file where the body starts."""
    first_line: int = 1
    """1-based line of the file where the front matter's content starts."""


def split_front_matter(
    source: SourceText, text: str, diagnostics: list[Diagnostic], first_line: int = 1
) -> Split:
    """Cut ``text`` (which starts at ``first_line`` of the file) into data and body."""
    fence = "---" if text.startswith("---") else "+++" if text.startswith("+++") else None
    if fence is None or text[3:4] not in ("\n", "\r", ""):
        return Split(body=text, body_line=first_line)
    closing = re.compile(rf"^{re.escape(fence)}[ \t]*\r?$", re.MULTILINE)
    end = closing.search(text, 3)
    if end is None:
        kind = "YAML" if fence == "---" else "TOML"
        diagnostics.append(
            source.error(
                f"{kind} front matter opened with {fence} is never closed", line=first_line
            )
        )
        return Split(body="", body_line=first_line)
    raw = text[text.index("\n") + 1 if "\n" in text[:5] else 3 : end.start()]
    after = text.find("\n", end.end())
    body = text[after + 1 :] if after != -1 else ""
    body_line = first_line + text.count("\n", 0, after + 1) if after != -1 else first_line
    data_line = first_line + 1
    data = (
        _yaml(source, raw, data_line, diagnostics)
        if fence == "---"
        else _toml(source, raw, data_line, diagnostics)
    )
    return Split(data=data, body=body, body_line=body_line, first_line=data_line)


def _yaml(
    source: SourceText, raw: str, first_line: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any]:
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.append(
            source.error(f"invalid YAML front matter: {problem}", line=line, column=column)
        )
        return {}
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        diagnostics.append(source.error(f"invalid YAML front matter: {exc}", line=first_line))
        return {}
    return _mapping(source, data, first_line, diagnostics)


def _toml(
    source: SourceText, raw: str, first_line: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        diagnostics.append(
            source.error(
                f"invalid TOML front matter: {message}", line=first_line + line - 1, column=column
            )
        )
        return {}
    return data


def _mapping(
    source: SourceText, data: Any, first_line: int, diagnostics: list[Diagnostic]
) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        diagnostics.append(
            source.error("front matter must be a mapping of keys to values", line=first_line)
        )
        return {}
    return {str(k): v for k, v in data.items()}


def front_matter(
    source: SourceText,
    split: Split,
    zone: tzinfo,
    diagnostics: list[Diagnostic],
) -> FrontMatter:
    """Typed front matter; a bad value is reported at its key's line and ignored."""
    data = split.data

    def error(key: str, message: str) -> None:
        line = _key_line(source, key, split.first_line, split.body_line)
        diagnostics.append(source.error(f"{key}: {message}", line=line))

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        error(key, f"expected text, got {_kind(value)}")
        return None

    def when(key: str) -> datetime | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return _datetime(value, zone)
        except ValueError as exc:
            error(key, f"invalid date {str(value)!r}: {exc}")
            return None

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if key == "tags" else [value]
            return tuple(p.strip() for p in parts if p.strip())
        if isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            return tuple(str(v).strip() for v in value if str(v).strip())
        error(key, f"expected text or a list of text, got {_kind(value)}")
        return ()

    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        error("draft", f"expected true or false, got {_kind(draft)}")
        draft = False
    categories = names("category") or names("categories")
    return FrontMatter(
        title=text("title"),
        date=when("date"),
        updated=when("updated"),
        categories=categories,
        tags=names("tags"),
        summary=text("summary"),
        slug=text("slug"),
        draft=draft,
        extra={k: v for k, v in data.items() if k not in _KNOWN},
    )


def _datetime(value: Any, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse(value.strip())
    else:
        raise ValueError(f"expected a date like 2026-01-11, got {_kind(value)}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _parse(text: str) -> datetime:
    # fromisoformat reads "2026-01-11", "2026-01-11 20:30", "2026-01-11T20:30:00+08:00", "Z".
    candidate = re.sub(r"\s+([+-]\d{2}:?\d{2}|Z)$", r"\1", text)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError as exc:
        if re.match(r"^\d{4}-\d{2}-\d{2}", candidate):
            raise ValueError(str(exc)) from None
        raise ValueError("expected a date like 2026-01-11 or 2026-01-11 20:30") from None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, Mapping)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return repr(value)


def _key_line(source: SourceText, key: str, first: int, last: int) -> int:
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[:=]""")
    for line in range(first, max(first, last)):
        if pattern.match(source.line_text(line)):
            return line
    return first
