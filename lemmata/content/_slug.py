"""Slugs: ``注意力机制 LoRA`` → ``zhu-yi-li-ji-zhi-lora`` (or kept, in ``unicode`` style)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Literal

_HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_SLUG = re.compile(r"[\W_]+")
_DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")


@lru_cache(maxsize=4096)
def slugify(text: str, style: Literal["pinyin", "unicode"] = "pinyin") -> str:
    """A lowercase, hyphenated slug; ``untitled`` if nothing is left.

    In ``pinyin`` style, Chinese characters become toneless pinyin syllables
    and the result is ASCII (accents dropped, other scripts left out); in
    ``unicode`` style, letters of every script are kept.
    """
    text = unicodedata.normalize("NFKC", text)
    # Keep programming-language names apart: C++ → cpp, C# → csharp, F# → fsharp.
    text = re.sub(r"(?<=\w)\+\+", "pp", text)
    text = re.sub(r"(?<=\b[a-zA-Z])#", "sharp", text)
    if style == "pinyin":
        if _HAN.search(text):
            # Imported on first use: loading pypinyin's dictionaries takes ~0.3 s.
            from pypinyin import Style, lazy_pinyin

            text = " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug or "untitled"


def needs_dictionary(text: str, style: Literal["pinyin", "unicode"] = "pinyin") -> bool:
    """Whether slugifying ``text`` reads the pinyin dictionaries (~0.3 s to load)."""
    return style == "pinyin" and _HAN.search(unicodedata.normalize("NFKC", text)) is not None


def split_date_prefix(stem: str) -> tuple[str, date | None]:
    """``2026-01-11-adamw`` → (``adamw``, 2026-01-11); other names are returned unchanged."""
    match = _DATE_PREFIX.fullmatch(stem)
    if match is None:
        return stem, None
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return stem, None  # "2026-02-30-x" is a name, not a dated one
    return match.group(2), day
