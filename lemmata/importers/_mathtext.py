"""Writing a formula into Markdown with delimiters lemmata reads back as that formula."""

from __future__ import annotations

import re

from lemmata.importers._scan import Syntax, Tag, scan


def inline_math(tex: str, following: str = "") -> str:
    """``$tex$`` where lemmata's dollar rule accepts it, else ``\\(tex\\)``.

    The dollar rule wants no space just inside the dollars, no ``$`` inside and
    no digit right after the closing one (so that ``$5 and $10`` stays text).
    """
    if (
        tex
        and tex == tex.strip()
        and "$" not in tex
        and not tex.endswith("\\")
        and not following[:1].isdigit()
    ):
        return f"${tex}$"
    return f"\\({tex}\\)"


def display_math(tex: str, indent: str = "") -> str:
    """A ``$$`` block on lines of its own (``indent`` prefixes every line after the first)."""
    lines = [line for line in tex.strip("\n").split("\n") if line.strip()]
    inner = "\n".join(indent + line for line in lines)
    return f"$$\n{inner}\n{indent}$$"


_DOUBLED = re.compile(r"\\\\([(\[])")


def undouble_delimiters(body: str) -> str:
    r"""``\\(x\\)`` → ``\(x\)`` and ``\\[x\\]`` → ``$$x$$``: only the delimiters change.

    Posts written for marked or Blackfriday doubled the backslash of MathJax's
    delimiters so that the Markdown engine would leave one; lemmata reads math
    before Markdown escapes, so the single form is what the writer meant. The
    formula between them is kept exactly as written.
    """
    protected = [
        (i.start, i.end) for i in scan(body, Syntax.LIQUID, frozenset()) if not isinstance(i, Tag)
    ]
    out: list[str] = []
    pos = 0
    for found in _DOUBLED.finditer(body):
        start = found.start()
        if start < pos or any(a <= start < b for a, b in protected):
            continue
        closing = "\\\\)" if found.group(1) == "(" else "\\\\]"
        end = body.find(closing, found.end())
        blank = _BLANK.search(body, found.end())
        if end == -1 or (blank is not None and blank.start() < end):
            continue
        formula = body[found.end() : end]
        opening, close = ("\\(", "\\)") if found.group(1) == "(" else ("$$", "$$")
        out.append(body[pos:start] + opening + formula + close)
        pos = end + 3
    out.append(body[pos:])
    return "".join(out)


_BLANK = re.compile(r"\n[ \t]*\n")
