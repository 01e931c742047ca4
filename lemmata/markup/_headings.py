"""Heading ids and the table of contents."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from lemmata.markup._model import Heading

_ATTRS = re.compile(r"\s*\{((?:\s*[#.][^\s{}]+)+)\s*\}\s*$")
_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_SPACES = re.compile(r"[\s_-]+", re.UNICODE)


def split_attributes(text: str) -> tuple[str, str | None, list[str]]:
    """``Title {#id .class}`` → (``Title``, ``id``, ``[class]``); text unchanged if none."""
    match = _ATTRS.search(text)
    if match is None:
        return text, None, []
    ident: str | None = None
    classes: list[str] = []
    for part in match.group(1).split():
        if part.startswith("#"):
            ident = part[1:]
        else:
            classes.append(part[1:])
    return text[: match.start()], ident, classes


def slug_id(text: str) -> str:
    """A readable anchor id: ``Scaled Dot-Product`` → ``scaled-dot-product``; Chinese kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DROP.sub("", text)
    text = _SPACES.sub("-", text).strip("-")
    return text or "section"


class IdAllocator:
    """Hands out unique ids: the second ``intro`` becomes ``intro-1``, then ``intro-2``."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def claim(self, wanted: str) -> str:
        if wanted not in self._used:
            self._used[wanted] = 0
            return wanted
        while True:
            self._used[wanted] += 1
            candidate = f"{wanted}-{self._used[wanted]}"
            if candidate not in self._used:
                self._used[candidate] = 0
                return candidate


def toc_html(headings: Sequence[Heading], depth: int) -> str:
    """Nested ``<ul>`` of headings from level 2 down to ``depth``; empty if under two."""
    shown = [h for h in headings if 2 <= h.level <= depth]
    if len(shown) < 2:
        return ""
    top = min(h.level for h in shown)
    parts: list[str] = []
    level = top - 1
    for heading in shown:
        target = max(heading.level, top)
        if target > level:
            parts.extend("<ul><li>" for _ in range(target - level))
        else:
            parts.append("</li>")
            parts.extend("</ul></li>" for _ in range(level - target))
            parts.append("<li>")
        level = target
        parts.append(f'<a href="#{html.escape(heading.id)}">{heading.html}</a>')
    parts.extend("</li></ul>" for _ in range(level - top + 1))
    return f'<nav class="toc" aria-label="Contents">{"".join(parts)}</nav>'
