"""Code blocks, code spans and ordered lists of a page, held before extraction.

Blog engines wrap highlighted code in their own markup (Hexo's line-number
tables, Rouge's ``div.highlight``, Prism's toolbars); the code is read from
it once, with its language from whichever class names it (``language-x``,
``lang-x``, ``highlight-x``, ``highlight-source-x``, ``sourceCode x``,
``data-lang``), and the whole wrapper is replaced by a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import html as lxml_html  # type: ignore[import-untyped]
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

from lemmata.importers._placeholders import Kind, Placeholders

_PATTERNS = (
    re.compile(r"^(?:language|lang|highlight-source|highlight|brush:)-?(.+)$"),
    re.compile(r"^sourceCode-(.+)$"),
)
_GENERIC = {
    "highlight",
    "hljs",
    "sourcecode",
    "notranslate",
    "code",
    "line-numbers",
    "prettyprint",
    "linenums",
    "chroma",
    "codehilite",
    "highlighter-rouge",
    "s-code-block",
    "js-code",
    "default",
    "text",
    "plain",
    "plaintext",
    "none",
    "nohighlight",
    "no-highlight",
    "shell-session",
}
_WRAPPERS = {"div", "figure", "section"}
_NOISE = ".//button | .//span[contains(@class,'line-numbers-rows')]"


def hold_code(root: lxml_html.HtmlElement, held: Placeholders) -> None:
    """Replace each code block by a placeholder paragraph, each code span by a word."""
    for figure in list(root.xpath("//figure[contains(concat(' ',@class,' '),' highlight ')]")):
        cell = figure.xpath(".//td[contains(@class,'code')]//pre")
        if cell:
            _replace_block(figure, _text(cell[0]), _language(figure, cell[0]), held)
    for pre in list(root.iter("pre")):
        if pre.getparent() is None or _inside(pre, "pre"):
            continue
        code = next(iter(pre.iter("code")), pre)
        target = _wrapper(pre)
        _replace_block(target, _text(code), _language(code, pre, *pre.iterancestors()), held)
    for code in list(root.iter("code", "kbd", "samp", "tt")):
        if code.getparent() is None:
            continue
        word = held.add(Kind.CODE, _text(code))
        _replace_inline(code, word)
    for ordered in root.iter("ol"):
        items = [child for child in ordered if child.tag == "li"]
        if items:
            start = ordered.get("start", "1")
            number = start if start.isdigit() else "1"
            items[0].text = f"{held.add(Kind.ORDERED, number)} {items[0].text or ''}"


def _replace_block(
    element: lxml_html.HtmlElement, code: str, language: str, held: Placeholders
) -> None:
    word = held.add(Kind.CODE_BLOCK, code.rstrip("\n"), language)
    paragraph = lxml_html.Element("p")
    paragraph.text = word
    paragraph.tail = element.tail
    parent = element.getparent()
    if parent is not None:
        parent.replace(element, paragraph)


def _replace_inline(element: lxml_html.HtmlElement, word: str) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + word + tail
    else:
        parent.text = (parent.text or "") + word + tail
    parent.remove(element)


def _wrapper(pre: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The outermost wrapper that holds nothing but this block (and its copy button)."""
    target = pre
    for parent in pre.iterancestors():
        if parent.tag not in _WRAPPERS or (parent.text or "").strip():
            break
        others = [c for c in parent if c is not target and c.tag not in ("button",) and _visible(c)]
        if others or any((c.tail or "").strip() for c in parent):
            break
        target = parent
    return target


def _visible(element: lxml_html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    return bool(element.text_content().strip()) and "copy" not in (element.get("class") or "")


def _inside(element: lxml_html.HtmlElement, tag: str) -> bool:
    return any(parent.tag == tag for parent in element.iterancestors())


def _text(element: lxml_html.HtmlElement) -> str:
    """The code as shown: ``<br>`` as line breaks, line-number gutters and buttons left out."""
    for noise in element.xpath(_NOISE):
        _replace_inline(noise, "")
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def _language(*elements: lxml_html.HtmlElement | None) -> str:
    """The first language named by these elements' classes (or ``data-lang``)."""
    for element in elements[:5]:
        if element is None:
            continue
        for attribute in ("data-lang", "data-language"):
            value = str(element.get(attribute) or "").lower()
            if _known(value):
                return value
        classes = (element.get("class") or "").lower().split()
        found = _from_classes(classes)
        if found:
            return found
    return ""


def _from_classes(classes: Iterable[str]) -> str:
    names = list(classes)
    for name in names:
        for pattern in _PATTERNS:
            match = pattern.match(name)
            if match and _known(match.group(1)):
                return match.group(1)
    if any(n in ("highlight", "hljs", "sourcecode", "prettyprint", "chroma") for n in names):
        rest = [n for n in names if n not in _GENERIC and _known(n)]
        if len(rest) == 1:
            return rest[0]
    return ""


def _known(name: str) -> bool:
    if not name or name in _GENERIC:
        return False
    try:
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return False
    return True
