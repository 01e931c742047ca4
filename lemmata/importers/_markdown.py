"""Sanitised article HTML → Markdown, with the held formulas and code put back.

Covers what articles are made of: headings, paragraphs, lists (nested,
ordered with their start), links, images, code, tables, block quotes,
emphasis, rules and figures. Everything else contributes its text. Text is
escaped, so nothing in it can become HTML, a link, math or a list marker
when lemmata reads the Markdown back; only http, https and mailto links
survive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers._mathtext import display_math, inline_math
from lemmata.importers._placeholders import Held, Kind, Placeholders
from lemmata.importers._sanitize import URL_SCHEMES
from lemmata.importers._urls import resolve

_BREAK = "\x00"
"""Stands for a hard line break until the paragraph is finished."""
_ESCAPED = re.compile(r"([\\`*_{}\[\]<>$~|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^([ \t]*)([#+=:-])")
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CONTAINERS = {
    "div", "section", "article", "main", "header", "details", "summary", "body", "html",
    "figure", "footer", "aside", "nav", "center", "dl",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "ul", "ol", "blockquote", "pre", "table", "hr", "figcaption", "dt", "dd", *_HEADINGS,
    *_CONTAINERS,
}  # fmt: skip


@dataclass
class Converter:
    """Turns one article's HTML into Markdown."""

    held: Placeholders
    base_url: str = ""
    """Where relative links and images point from."""
    images: Mapping[str, str | None] = field(default_factory=dict)
    """Absolute image URL → the name of its local copy (``None``: leave the image out)."""
    site_url: str | None = None
    """What ``/``-rooted paths resolve against, when not ``base_url``."""

    def convert(self, html: str) -> str:
        if not html.strip():
            return ""
        root = lxml_html.fragment_fromstring(html, create_parent="div")
        return "\n\n".join(self._blocks(root)).strip() + "\n"

    # Blocks -------------------------------------------------------------

    def _blocks(self, element: lxml_html.HtmlElement) -> list[str]:
        blocks: list[str] = []
        run: list[str] = [_text(element.text)]
        for child in element:
            if not isinstance(child.tag, str):
                run.append(_text(child.tail))
                continue
            if child.tag in _BLOCK_TAGS:
                blocks += self._paragraphs("".join(run))
                run = []
                blocks += self._block(child)
            else:
                run.append(self._inline(child))
            run.append(_text(child.tail))
        blocks += self._paragraphs("".join(run))
        return [b for b in blocks if b.strip()]

    def _block(self, element: lxml_html.HtmlElement) -> list[str]:
        tag = element.tag
        if tag in _HEADINGS:
            text = self._finish_inline(self._inline_children(element)).replace(_BREAK, " ")
            return [f"{'#' * _HEADINGS[tag]} {text.strip()}"] if text.strip() else []
        if tag in ("ul", "ol"):
            return [self._list(element)]
        if tag == "blockquote":
            inner = "\n\n".join(self._blocks(element))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "pre":
            code = element.text_content().rstrip("\n")
            return [display_code(code, "")]
        if tag == "table":
            return [self._table(element)]
        if tag == "hr":
            return ["---"]
        if tag in ("figcaption", "dt"):
            text = self._finish_inline(self._inline_children(element)).strip()
            return [f"*{text}*" if tag == "figcaption" else f"**{text}**"] if text else []
        return self._blocks(element)

    def _paragraphs(self, inline: str) -> list[str]:
        """A run of inline Markdown as paragraphs; held code blocks on their own, and
        display formulas too unless they sit inside a sentence (then ``$$…$$`` inline)."""
        blocks: list[str] = []
        pos = 0
        for match in self.held.pattern.finditer(inline):
            held = self.held.get(match)
            if held is None or held.kind not in (Kind.DISPLAY_MATH, Kind.CODE_BLOCK):
                continue
            before = inline[pos : match.start()].rsplit(_BREAK, 1)[-1]
            after = inline[match.end() :].split(_BREAK, 1)[0]
            if held.kind is Kind.DISPLAY_MATH and before.strip() and after.strip():
                continue
            blocks.append(self._finish_inline(inline[pos : match.start()]))
            blocks.append(_held_block(held))
            pos = match.end()
        blocks.append(self._finish_inline(inline[pos:]))
        return [b for b in (_finish_paragraph(b) for b in blocks) if b]

    def _list(self, element: lxml_html.HtmlElement) -> str:
        items = [child for child in element if child.tag == "li"]
        ordered, start = element.tag == "ol", int(element.get("start", "1") or 1)
        if items:
            first = (items[0].text or "").lstrip()
            marker = self.held.pattern.match(first)
            held = self.held.get(marker) if marker else None
            if marker is not None and held is not None and held.kind is Kind.ORDERED:
                ordered, start = True, int(held.value)
                items[0].text = first[marker.end() :].lstrip()
        lines: list[str] = []
        for number, item in enumerate(items, start=start):
            bullet = f"{number}. " if ordered else "- "
            body = "\n\n".join(self._blocks(item)) or ""
            indent = " " * len(bullet)
            rows = body.split("\n")
            lines.append(bullet + rows[0])
            lines += [indent + row if row else "" for row in rows[1:]]
        return "\n".join(lines)

    def _table(self, table: lxml_html.HtmlElement) -> str:
        rows: list[list[str]] = []
        for row in table.iter("tr"):
            cells = [
                self._cell(cell)
                for cell in row
                if isinstance(cell.tag, str) and cell.tag in ("td", "th")
            ]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = [
            "| " + " | ".join(rows[0]) + " |",
            "|" + "|".join(" --- " for _ in range(width)) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def _cell(self, cell: lxml_html.HtmlElement) -> str:
        text = self._finish_inline(self._inline_children(cell), in_table=True)
        return re.sub(r"\s+", " ", text.replace(_BREAK, " ")).strip()

    # Inline -------------------------------------------------------------

    def _inline_children(self, element: lxml_html.HtmlElement) -> str:
        parts = [_text(element.text)]
        for child in element:
            if isinstance(child.tag, str):
                parts.append(self._inline(child))
            parts.append(_text(child.tail))
        return "".join(parts)

    def _inline(self, element: lxml_html.HtmlElement) -> str:
        tag = element.tag
        if tag == "br":
            return _BREAK
        if tag == "img":
            return self._image(element)
        inner = self._inline_children(element)
        if tag == "a":
            return self._link(element, inner)
        if tag in ("em", "i", "cite", "dfn"):
            return _wrap(inner, "*")
        if tag in ("strong", "b"):
            return _wrap(inner, "**")
        if tag in ("del", "s", "strike"):
            return _wrap(inner, "~~")
        if tag == "code":
            return _code_span(element.text_content())
        if tag == "q":
            return f"“{inner}”"
        if tag in _BLOCK_TAGS:
            return f" {inner} "
        return inner

    def _link(self, element: lxml_html.HtmlElement, inner: str) -> str:
        url = self._url(element.get("href"))
        if url is None or url.startswith("file:"):
            return inner
        text = inner.strip() or _escape(url)
        title = element.get("title")
        return f"[{text}]({_destination(url)}{_title(title)})"

    def _image(self, element: lxml_html.HtmlElement) -> str:
        url = self._url(element.get("src"))
        if url is None:
            return ""
        local = self.images.get(url, url)
        if local is None:
            return ""
        alt = _escape(re.sub(r"\s+", " ", element.get("alt") or "").strip())
        return f"![{alt}]({_destination(local)}{_title(element.get('title'))})"

    def _url(self, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        if value.strip().startswith("#"):
            return value.strip()
        absolute = resolve(value, self.base_url, self.site_url)
        scheme = urlsplit(absolute).scheme.lower()
        return absolute if scheme in URL_SCHEMES or scheme == "file" else None

    def _finish_inline(self, inline: str, *, in_table: bool = False) -> str:
        """Put held formulas and code spans back into a run of inline Markdown."""

        def replace(match: re.Match[str]) -> str:
            held = self.held.get(match)
            if held is None:
                return match.group(0)
            following = inline[match.end() : match.end() + 1]
            if held.kind is Kind.MATH:
                tex = _table_safe(held.value) if in_table else held.value
                return inline_math(" ".join(tex.split()), following)
            if held.kind is Kind.DISPLAY_MATH:
                tex = _table_safe(held.value) if in_table else held.value
                return f"$${' '.join(tex.split())}$$"
            if held.kind in (Kind.CODE, Kind.CODE_BLOCK):
                code = held.value.replace("|", "\\|") if in_table else held.value
                return _code_span(code)
            return ""

        return self.held.pattern.sub(replace, inline)


def display_code(code: str, language: str) -> str:
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def _held_block(held: Held) -> str:
    if held.kind is Kind.CODE_BLOCK:
        return display_code(held.value, held.language)
    return display_math(held.value)


def _finish_paragraph(text: str) -> str:
    if text.startswith(("```", "$$")):
        return text
    lines = [line.strip() for line in text.replace(_BREAK, "\\" + _BREAK).split(_BREAK)]
    while lines and not lines[-1].strip("\\ "):
        lines.pop()
    if lines:
        lines[-1] = lines[-1].rstrip("\\").rstrip()
    return "\n".join(
        _NUMBERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", line))
        for line in lines
        if line.strip("\\ ")
    )


def _text(text: str | None) -> str:
    if not text:
        return ""
    return _escape(re.sub(r"\s+", " ", text))


def _escape(text: str) -> str:
    return _ENTITY.sub("&amp;", _ESCAPED.sub(r"\\\1", text))


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _code_span(code: str) -> str:
    code = " ".join(code.split("\n"))
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{padding}{code}{padding}{ticks}" if code.strip() else ""


def _destination(url: str) -> str:
    url = url.replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    return f"<{url}>" if re.search(r"[\s()]", url) else url


def _title(title: str | None) -> str:
    if not title or not title.strip():
        return ""
    quoted = title.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f' "{quoted}"'


def _table_safe(tex: str) -> str:
    """A table cell ends at any ``|``, even inside a formula: use the named bars."""
    return tex.replace("\\|", "\\Vert ").replace("|", "\\vert ")
