"""Placeholder words that carry formulas and code through article extraction.

Extraction (and sanitising) keeps text but loses what makes a formula or a
code block: the ``<script type="math/tex">``, the KaTeX markup, the language
class of ``<pre>``. Each one is replaced by a word such as ``LMq3f9c2d1M0007Z``
before, and put back when the Markdown is written. The random part makes a
clash with the page's own text practically impossible.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MATH = "M"
    DISPLAY_MATH = "D"
    CODE = "C"
    CODE_BLOCK = "B"
    ORDERED = "O"
    """Marks an ``<ol>`` (extraction turns every list into ``<ul>``); ``value`` is its start."""


@dataclass(frozen=True, slots=True)
class Held:
    kind: Kind
    value: str
    """The TeX, the code, or the list's start number."""
    language: str = ""
    """Language of a code block."""


class Placeholders:
    """The table of placeholder words of one import."""

    def __init__(self) -> None:
        self.nonce = "LM" + secrets.token_hex(4)
        self._held: list[Held] = []
        self.pattern = re.compile(rf"{self.nonce}([MDCBO])(\d+)Z")

    def add(self, kind: Kind, value: str, language: str = "") -> str:
        """Hold ``value``; the word to put in its place."""
        self._held.append(Held(kind, value, language))
        return f"{self.nonce}{kind.value}{len(self._held) - 1:04d}Z"

    def get(self, match: re.Match[str]) -> Held | None:
        index = int(match.group(2))
        return self._held[index] if index < len(self._held) else None

    def only(self, text: str) -> Held | None:
        """What ``text`` holds if it is nothing but one placeholder word."""
        match = self.pattern.fullmatch(text.strip())
        return self.get(match) if match else None

    def __len__(self) -> int:
        return len(self._held)

    def count(self, *kinds: Kind) -> int:
        return sum(1 for h in self._held if h.kind in kinds)
