"""Finding template tags in a post, outside its code and its math.

Hexo and Jekyll write ``{% name args %}`` and ``{{ expression }}``; Hugo
writes shortcodes ``{{< name args >}}`` and ``{{% name args %}}``. The scanner
walks the text once, left to right, stepping over fenced code, code spans and
formulas (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``, ``\\begin…\\end``) so
that nothing inside a formula is ever touched. A tag whose body is literal
(``raw``, ``codeblock``, ``highlight``…) is found together with its closing tag
and its body is not scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Syntax(StrEnum):
    LIQUID = "liquid"
    """Hexo (Nunjucks) and Jekyll (Liquid): ``{% tag %}`` and ``{{ output }}``."""
    HUGO = "hugo"
    """Hugo shortcodes: ``{{< name >}}`` and ``{{% name %}}``."""


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag (or a literal pair with its body) found outside code and math."""

    start: int
    end: int
    """End of the tag; for a literal pair, end of its closing tag."""
    name: str
    """Tag name (``asset_img``); for Liquid output, the expression; for a closing tag, without ``end``/``/``."""
    args: str
    """Everything after the name, stripped."""
    closing: bool = False
    output: bool = False
    """A Liquid ``{{ expression }}``."""
    body: str | None = None
    """For a literal pair: the text between the tags."""
    body_start: int = 0
    unclosed: bool = False
    """A literal pair whose closing tag is missing."""
    escaped: bool = False
    """Hugo's ``{{</* name */>}}``, which shows the shortcode itself."""


@dataclass(frozen=True, slots=True)
class Code:
    """Fenced code or a code span: left alone, except by an engine's code hook."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Math:
    """A formula with its delimiters: never touched."""

    start: int
    end: int


_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.DOTALL)
_LIQUID_OUTPUT = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_HUGO_TAG = re.compile(r"\{\{([<%])\s*(/)?\s*([\w./-]+)(.*?)\s*/?\s*([>%])\}\}", re.DOTALL)
_HUGO_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_START = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})|(?P<ticks>`+)|\$\$|\$|\\[\\()\[\]$`{}]|\\begin\{|\{%|\{\{",
    re.MULTILINE,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def scan(text: str, syntax: Syntax, literal: frozenset[str]) -> Iterator[Tag | Code | Math]:
    """Tags and code regions of ``text`` in order; ``literal`` names pairs whose body is kept as-is."""
    pos = 0
    length = len(text)
    while pos < length:
        found = _START.search(text, pos)
        if found is None:
            return
        start = found.start()
        token = found.group()
        if found.group("fence"):
            fence = found.group("fence")
            end = _fence_end(text, found.end(), fence)
            yield Code(start + len(token) - len(token.lstrip()), end)
            pos = end
        elif found.group("ticks"):
            ticks = found.group("ticks")
            close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, found.end())
            if close is None or _BLANK_LINE.search(text, found.end(), close.start()):
                pos = found.end()
            else:
                yield Code(start, close.end())
                pos = close.end()
        elif token in ("$$", "$"):
            closed = _math_end(text, start, token)
            if closed is not None:
                yield Math(start, closed)
            pos = closed or found.end()
        elif token.startswith("\\"):
            pos = _escape_end(text, start, token)
            if pos - start > 2:
                yield Math(start, pos)
        elif token in ("{%", "{{"):
            tag = _tag(text, start, syntax, literal)
            if tag is None:
                pos = found.end()
            else:
                yield tag
                pos = tag.end
        else:
            pos = found.end()


def _fence_end(text: str, after: int, fence: str) -> int:
    line_end = text.find("\n", after)
    if line_end == -1:
        return len(text)
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
    found = closing.search(text, line_end + 1)
    return found.end() if found else len(text)


def _math_end(text: str, start: int, mark: str) -> int | None:
    """End of the formula opened at ``start``, or ``None`` if this ``$`` opens none."""
    limit = _BLANK_LINE.search(text, start)
    stop = limit.start() if limit else len(text)
    inner = start + len(mark)
    if mark == "$$":
        close = text.find("$$", inner)
        return close + 2 if close != -1 and close < stop else None
    if inner >= stop or text[inner].isspace():
        return None
    position = inner
    while True:
        close = text.find("$", position)
        if close == -1 or close >= stop:
            return None
        before = text[close - 1]
        after = text[close + 1 : close + 2]
        if close > inner and not before.isspace() and before != "\\" and not after.isdigit():
            return close + 1
        position = close + 1


def _escape_end(text: str, start: int, token: str) -> int:
    if token == "\\(":
        close = text.find("\\)", start + 2)
        return close + 2 if close != -1 else start + 2
    if token == "\\[":
        close = text.find("\\]", start + 2)
        return close + 2 if close != -1 else start + 2
    if token == "\\begin{":
        name = re.match(r"\\begin\{([\w*]+)\}", text[start:])
        if name is not None:
            close = text.find(f"\\end{{{name.group(1)}}}", start)
            if close != -1:
                return close + len(name.group(1)) + 6
    return start + 2


def _tag(text: str, start: int, syntax: Syntax, literal: frozenset[str]) -> Tag | None:
    if syntax is Syntax.HUGO:
        return _hugo(text, start, literal)
    found = _LIQUID_TAG.match(text, start)
    if found is not None:
        name, args = found.group(1), found.group(2).strip()
        if name.startswith("end") and name != "end":
            return Tag(start, found.end(), name[3:], args, closing=True)
        if name in literal:
            return _literal_pair(
                text,
                start,
                found.end(),
                name,
                args,
                re.compile(rf"\{{%-?\s*end{re.escape(name)}\s*-?%\}}"),
            )
        return Tag(start, found.end(), name, args)
    found = _LIQUID_OUTPUT.match(text, start)
    if found is not None and "\n\n" not in found.group(1):
        expression = found.group(1).strip()
        return Tag(start, found.end(), expression, "", output=True)
    return None


def _hugo(text: str, start: int, literal: frozenset[str]) -> Tag | None:
    escaped = _HUGO_ESCAPED.match(text, start)
    if escaped is not None:
        return Tag(start, escaped.end(), "", escaped.group(2).strip(), escaped=True)
    found = _HUGO_TAG.match(text, start)
    if found is None:
        return None
    name, args = found.group(3), found.group(4).strip()
    if found.group(2):
        return Tag(start, found.end(), name, args, closing=True)
    if name in literal and not found.group(0).rstrip("}>%").rstrip().endswith("/"):
        closing = re.compile(rf"\{{\{{[<%]\s*/\s*{re.escape(name)}\s*[>%]\}}\}}")
        return _literal_pair(text, start, found.end(), name, args, closing)
    return Tag(start, found.end(), name, args)


def _literal_pair(
    text: str, start: int, end: int, name: str, args: str, closing: re.Pattern[str]
) -> Tag:
    close = closing.search(text, end)
    if close is None:
        return Tag(start, end, name, args, unclosed=True)
    return Tag(start, close.end(), name, args, body=text[end : close.start()], body_start=end)
