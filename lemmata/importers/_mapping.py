"""Another engine's front matter → lemmata's keys.

The engines agree on most keys and differ in the details a :class:`Rules`
names: which key holds the date, whether ``tags: a b`` is one tag or two.
Dates keep their offset; a date written without one gets the engine's own
time zone when its configuration names one. Math switches (``mathjax: true``)
and theme layouts mean nothing to lemmata and are dropped; every other key is
kept for templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from lemmata.errors import Diagnostic, SourceText

DROPPED = frozenset(
    {"layout", "mathjax", "mathjax3", "katex", "math", "usemathjax", "use_math", "markup"}
)
"""Keys that only switched features of the old engine or theme."""


@dataclass(frozen=True, slots=True)
class Rules:
    """How one engine spells its front matter."""

    date_keys: tuple[str, ...] = ("date",)
    updated_keys: tuple[str, ...] = ("updated", "lastmod", "last_modified_at")
    split_on_spaces: bool = False
    """Jekyll reads ``tags: a b`` as two tags; Hexo and Hugo as one."""
    zone: tzinfo | None = None
    """The engine's configured time zone, for dates written without an offset."""


@dataclass(frozen=True, slots=True)
class Mapped:
    front: dict[str, Any]
    """lemmata front matter in writing order (``title``, ``date``, … then the rest)."""
    slug: str | None
    """From ``slug``, ``permalink`` or ``url``; ``None`` when the file name decides."""


def map_front_matter(
    data: Mapping[str, Any], rules: Rules, source: SourceText, diagnostics: list[Diagnostic]
) -> Mapped:
    """lemmata's front matter for ``data``; a value it cannot read is a warning at its key."""

    def warn(key: str, message: str) -> None:
        diagnostics.append(source.warning(f"{key}: {message}", line=key_line(source, key)))

    front: dict[str, Any] = {}
    used: set[str] = set()
    if data.get("title") is not None:
        front["title"] = str(data["title"])
    used.add("title")
    for target, keys in (("date", rules.date_keys), ("updated", rules.updated_keys)):
        for key in keys:
            used.add(key)
            if data.get(key) is None or target in front:
                continue
            try:
                front[target] = read_when(data[key], rules.zone)
            except ValueError as exc:
                warn(key, f"cannot read the date {str(data[key])!r} ({exc}); left out")
    categories = _names(data.get("categories"), rules) or _names(data.get("category"), rules)
    tags = _names(data.get("tags"), rules) or _names(data.get("tag"), rules)
    used.update({"categories", "category", "tags", "tag"})
    if categories:
        front["category"] = categories[0] if len(categories) == 1 else categories
    if tags:
        front["tags"] = tags
    for key in ("summary", "excerpt", "description"):
        used.add(key)
        if isinstance(data.get(key), str) and data[key].strip() and "summary" not in front:
            front["summary"] = data[key].strip()
    slug = _slug(data)
    used.update({"slug", "permalink", "url"})
    if slug:
        front["slug"] = slug
    draft = data.get("draft") is True or data.get("published") is False
    used.update({"draft", "published"})
    if draft:
        front["draft"] = True
    for key, value in data.items():
        if key not in used and key.lower() not in DROPPED:
            front[key] = value
    return Mapped(front, slug)


def read_when(value: Any, zone: tzinfo | None) -> datetime | date:
    """A front-matter date as written by Hexo (moment), Jekyll (Ruby) or Hugo (TOML)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.match(text):
            return date.fromisoformat(_normalise(text))
        moment = _parse(text)
    else:
        raise ValueError("expected a date like 2026-01-11 10:30")
    if moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
    if moment.tzinfo is not None:
        # Keep the writer's offset but drop the zone object: YAML writes offsets only.
        offset = moment.utcoffset()
        moment = moment.replace(tzinfo=None) if offset is None else _fixed(moment)
    return moment


_DATE_ONLY = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}$")
_PARTS = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$"
)


def _normalise(text: str) -> str:
    year, month, day = re.split(r"[-/]", text)
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _parse(text: str) -> datetime:
    match = _PARTS.match(text)
    if match is None:
        raise ValueError("expected a date like 2026-01-11 10:30")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    iso = f"{year}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}"
    iso += f":{second or '00'}{fraction or ''}"
    if offset:
        sign = "-" if offset.startswith("-") else "+"
        digits = offset.lstrip("+-Z").replace(":", "").ljust(4, "0")
        iso += f"{sign}{digits[:2]}:{digits[2:]}"
    return datetime.fromisoformat(iso)


def _fixed(moment: datetime) -> datetime:
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=timezone(offset))


def _names(value: Any, rules: Rules) -> list[str]:
    """Categories or tags: a string, a list, or Hexo's nested lists (a category path)."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        parts = text.split() if rules.split_on_spaces else [text]
        return [p for p in parts if p]
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            for name in _names(item, Rules()):
                if name not in found:
                    found.append(name)
    return found


def _slug(data: Mapping[str, Any]) -> str | None:
    for key in ("slug", "permalink", "url"):
        value = data.get(key)
        if isinstance(value, (str, int)) and str(value).strip("/ "):
            last = str(value).strip().rstrip("/").rsplit("/", 1)[-1]
            last = re.sub(r"\.html?$", "", last)
            if last and ":" not in last:
                return last
    return None


def key_line(source: SourceText, key: str) -> int:
    """The line where ``key`` is written in the front matter (1 when not found)."""
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[:=]""")
    for number, line in enumerate(source.text.split("\n")[:400], start=1):
        if pattern.match(line):
            return number
    return 1
