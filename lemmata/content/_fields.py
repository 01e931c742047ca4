"""Typed front matter: each known key checked, the rest kept as ``extra``.

A bad value is reported at its key and left out (the document is still
read), e.g. ``content/posts/x.md:3:1: error: draft: expected true or false, got 'maybe'``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, tzinfo
from typing import Any

from lemmata.content._dates import EXPECTED, aware_datetime
from lemmata.content._model import FrontMatter
from lemmata.content._problem import Problem
from lemmata.content._yaml import Keys
from lemmata.errors import Severity

KNOWN_KEYS = (
    "title",
    "date",
    "updated",
    "category",
    "categories",
    "tags",
    "summary",
    "slug",
    "draft",
)
_SHOWN_TEXT = 60
"""Longest piece of a bad value quoted in a message."""


def typed_front_matter(
    data: Mapping[str, Any], keys: Keys, fallback_line: int, zone: tzinfo
) -> tuple[FrontMatter, list[Problem]]:
    """The front matter of ``data``; problems are placed at their key (0-based)."""
    problems: list[Problem] = []

    def report(key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        line, column = keys.get(key, (fallback_line, 0))
        problems.append(Problem(f"{key}: {message}", line, column, severity))

    check = _Check(data, report)
    categories = _unique(check.names("category") + check.names("categories"))
    meta = FrontMatter(
        title=check.text("title"),
        date=check.when("date", zone),
        updated=check.when("updated", zone),
        categories=categories,
        tags=_unique(check.names("tags", split_commas=True)),
        summary=check.text("summary"),
        slug=check.text("slug"),
        draft=check.flag("draft"),
        extra={key: value for key, value in data.items() if key not in KNOWN_KEYS},
    )
    for key in meta.extra:
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.8)
        if close:
            line, column = keys.get(key, (fallback_line, 0))
            message = f"unknown key {key} (did you mean {close[0]}?); it is passed on in extra"
            problems.append(Problem(message, line, column, Severity.WARNING))
    return meta, problems


class _Check:
    def __init__(self, data: Mapping[str, Any], report: Callable[[str, str], None]) -> None:
        self.data = data
        self.report = report

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if _is_scalar_text(value):
            return str(value).strip() or None
        self.report(key, f"expected text, got {shown(value)}")
        return None

    def when(self, key: str, zone: tzinfo) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, time) or not isinstance(value, date | str):
            self.report(key, f"{EXPECTED}, got {shown(value)}")
            return None
        try:
            return aware_datetime(value, zone)
        except ValueError as exc:
            self.report(key, f"invalid date {shown(value)}: {exc}")
            return None

    def names(self, key: str, *, split_commas: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if split_commas else [value]
        elif isinstance(value, list) and all(_is_scalar_text(item) for item in value):
            parts = [str(item) for item in value]
        else:
            bad = value if not isinstance(value, list) else _first_bad(value)
            what = shown(value) if bad is value else f"a list with {shown(bad)} in it"
            self.report(key, f"expected text or a list of text, got {what}")
            return ()
        return tuple(part.strip() for part in parts if part.strip())

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if isinstance(value, bool):
            return value
        self.report(key, f"expected true or false, got {shown(value)}")
        return False


def shown(value: Any) -> str:
    """A value as a message names it, never longer than a line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        cut = value if len(value) <= _SHOWN_TEXT else value[: _SHOWN_TEXT - 1] + "…"
        return repr(cut)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return type(value).__name__


def _is_scalar_text(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _first_bad(items: list[Any]) -> Any:
    return next(item for item in items if not _is_scalar_text(item))


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
