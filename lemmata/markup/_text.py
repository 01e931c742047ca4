"""Plain text of tokens (math as its TeX source) and length in reading units.

A reading unit is a Latin-script word or one CJK character: Chinese has no
spaces, so counting words would make a Chinese note look a few words long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markdown_it.token import Token

_CJK = (
    r"\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_UNIT = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_MATH = {"math_inline", "math_inline_double", "math_block", "math_block_label", "amsmath"}
_BLOCK_TEXT = {"fence", "code_block", *_MATH}
_INLINE_TEXT = {"text", "code_inline", *_MATH}


def unit_counts(text: str) -> tuple[int, int]:
    """CJK characters and Latin words in the text."""
    # One substitution, in C: each run of CJK characters becomes one space, so the
    # characters are the length lost plus one per run. Collecting every match as a
    # string costs three times as much.
    spaced, runs = _CJK_RUN.subn(" ", text)
    return len(text) - len(spaced) + runs, len(spaced.split())


def reading_units(text: str) -> int:
    """CJK characters plus Latin words."""
    return sum(unit_counts(text))


def is_mostly_cjk(text: str) -> bool:
    """Whether CJK characters outnumber Latin words (decides how excerpts are counted)."""
    characters, words = unit_counts(text)
    return characters >= words


def inline_text(children: Iterable[Token]) -> str:
    """Text of inline tokens; math as its TeX source."""
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in _INLINE_TEXT:
            parts.append(child.content + child.meta.get("trail", ""))
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "image":
            parts.append(child.content)
    return "".join(parts)


def plain_text(tokens: Sequence[Token]) -> str:
    """Every block's text on its own line."""
    lines: list[str] = []
    for token in tokens:
        if token.type == "inline":
            lines.append(inline_text(token.children or ()))
        elif token.type in _BLOCK_TEXT:
            lines.append(token.content.strip())
    return "\n".join(line.strip() for line in lines if line.strip())


def cut_text(text: str, budget: int) -> tuple[str, int]:
    """The longest prefix of ``text`` within ``budget`` units, cut between units.

    Returns the prefix and the units it uses.
    """
    used = 0
    for match in _UNIT.finditer(text):
        if used + 1 > budget:
            return text[: match.start()].rstrip(), used
        used += 1
    return text, used
