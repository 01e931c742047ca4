"""Slugs: ``注意力机制 LoRA`` → ``zhu-yi-li-ji-zhi-lora`` (or kept, in ``unicode`` style)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


@lru_cache(maxsize=4096)
def slugify(text: str, style: Literal["pinyin", "unicode"] = "pinyin") -> str:
    """A lowercase, hyphenated slug; ``untitled`` if nothing is left."""
    text = unicodedata.normalize("NFKC", text).strip()
    # Keep programming-language names apart: C++ → cpp, C# → csharp, F# → fsharp.
    text = re.sub(r"(?<=\w)\+\+", "pp", text)
    text = re.sub(r"(?<=\b[a-zA-Z])#", "sharp", text)
    if style == "pinyin" and _HAN.search(text):
        text = " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    if style == "pinyin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text.lower()).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug or "untitled"


def split_date_prefix(stem: str) -> tuple[str, str | None]:
    """``2026-01-11-adamw`` → (``adamw``, ``2026-01-11``); other names unchanged."""
    match = _DATE_PREFIX.match(stem)
    if match is None:
        return stem, None
    return match.group(4), f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
