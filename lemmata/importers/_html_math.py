"""Formulas of a web page, recovered as TeX and held before extraction.

Each formula becomes a placeholder word (see :mod:`._placeholders`), wherever
the page keeps its TeX:

* MathJax 2: ``<script type="math/tex">`` (``; mode=display`` for display),
  with the preview and rendered copies beside it removed;
* MathJax 3: ``<mjx-container>``, from ``data-tex`` or its assistive MathML;
* KaTeX: the ``application/x-tex`` annotation of each ``.katex`` (the whole
  ``.katex-display`` for display formulas);
* MathML: ``alttext``, an ``x-tex`` annotation, else the MathML converted;
* formula images: TeX in a ``tex=``/``latex=``/``chl=`` query parameter, in a
  CodeCogs URL, or in the ``alt`` of an image marked as a formula;
* TeX left in the text for MathJax or KaTeX to typeset in the browser:
  ``$$…$$``, ``\\[…\\]``, ``\\(…\\)`` and, on pages that load a math
  renderer, ``$…$``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from lemmata.importers._mathml import MathMLError, mathml_to_tex
from lemmata.importers._placeholders import Kind, Placeholders

Warn = Callable[[str, int | None], None]
"""Reports a problem at a line of the page (or nowhere)."""

_RENDERED = {
    "mathjax_preview",
    "mathjax",
    "mathjax_display",
    "mathjax_svg",
    "mathjax_svg_display",
    "mathjax_chtml",
    "mathjax_mathml",
    "mathjax_phtml",
    "mjx-chtml",
    "mjxc-display",
    "mathjax_chtml_display",
}
_SKIPPED_TEXT = {
    "pre",
    "code",
    "script",
    "style",
    "textarea",
    "kbd",
    "samp",
    "math",
    "svg",
    "title",
}
_FORMULA_CLASS = re.compile(r"\b(?:tex|latex|math|equation|formula|ee_img|wp-latex|mwe-math)", re.I)
_CODECOGS_PREFIX = re.compile(
    r"^(?:\s*\\(?:dpi\{\d+\}|bg_\w+|bg\{\w+\}|fn_\w+|inline|large|small|huge|LARGE|Large|tiny|normalsize))+\s*"
)
_CONTAINERS = {"div", "section", "article", "main", "body", "blockquote", "li", "td", "figure"}
_BLOCKS = {"p", "div", "figure", "center", "li", "dd", "td", "section", "blockquote"}
_MATH_LOADER = re.compile(r"mathjax|katex|tex2jax|inlineMath|renderMathInElement", re.I)
_DELIMITED = re.compile(
    r"\$\$(?P<dd>[^$]+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\\((?P<paren>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)",
    re.DOTALL,
)


def hold_math(
    root: lxml_html.HtmlElement, held: Placeholders, warn: Warn, *, dollars: bool | None = None
) -> None:
    """Replace every formula of ``root`` by a placeholder.

    ``dollars`` says whether ``$…$`` in text is a formula; ``None`` decides from
    the page (it loads MathJax or KaTeX, or uses other TeX delimiters).
    """
    for container in list(root.iter("mjx-container")):
        _mathjax3(container, held, warn)
    for span in list(root.xpath("//*[contains(concat(' ',@class,' '),' katex-display ')]")):
        _katex(span, True, held, warn)
    for span in list(root.xpath("//*[contains(concat(' ',@class,' '),' katex ')]")):
        if span.getparent() is not None:
            _katex(span, False, held, warn)
    for script in list(root.iter("script")):
        kind = (script.get("type") or "").lower()
        if kind.startswith("math/"):
            _mathjax2(script, kind, held, warn)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and _classes(element) & _RENDERED:
            _remove(element)
    for math in list(root.iter("math", "{http://www.w3.org/1998/Math/MathML}math")):
        if math.getparent() is not None:
            display = math.get("display") == "block"
            _replace(math, _tex_of_mathml(math, warn), display, held)
    for image in list(root.iter("img")):
        _formula_image(image, held)
    if dollars is None:
        dollars = _loads_math(root)
    _text_math(root, held, dollars)


def _mathjax3(container: etree._Element, held: Placeholders, warn: Warn) -> None:
    display = container.get("display") in ("true", "block")
    tex = container.get("data-tex") or (container.getparent().get("data-tex") or "")
    if not tex:
        mathml = container.xpath(".//*[local-name()='math']")
        if mathml:
            tex = _tex_of_mathml(mathml[0], warn)
        else:
            warn("MathJax 3 formula without its TeX or MathML; left out", container.sourceline)
    _replace(container, tex, display, held)


def _katex(span: etree._Element, display: bool, held: Placeholders, warn: Warn) -> None:
    annotation = span.xpath(".//*[local-name()='annotation'][@encoding='application/x-tex']")
    if annotation:
        tex = annotation[0].text or ""
    else:
        mathml = span.xpath(".//*[local-name()='math']")
        tex = _tex_of_mathml(mathml[0], warn) if mathml else ""
        if not mathml:
            warn("KaTeX formula without its TeX or MathML; left out", span.sourceline)
    _replace(span, tex, display, held)


def _mathjax2(script: etree._Element, kind: str, held: Placeholders, warn: Warn) -> None:
    display = "mode=display" in kind.replace(" ", "")
    text = script.text or ""
    if kind.startswith("math/tex"):
        tex = text
    elif kind.startswith("math/mml"):
        try:
            tex = _tex_of_mathml(etree.fromstring(text.encode("utf-8")), warn)
        except etree.XMLSyntaxError:
            warn("MathJax MathML script is not well-formed; left out", script.sourceline)
            tex = ""
    else:
        warn(f"formula in {kind} cannot be converted to TeX; kept as text", script.sourceline)
        _replace_text(script, text)
        return
    previous = script.getprevious()
    while previous is not None and _classes(previous) & _RENDERED:
        earlier = previous.getprevious()
        _remove(previous)
        previous = earlier
    _replace(script, tex, display, held)


def _tex_of_mathml(math: etree._Element, warn: Warn) -> str:
    alt = math.get("alttext")
    if alt:
        return str(alt)
    annotation = math.xpath(".//*[local-name()='annotation'][@encoding='application/x-tex']")
    if annotation:
        return str(annotation[0].text or "")
    try:
        return mathml_to_tex(math)
    except MathMLError as exc:
        warn(f"MathML formula could not be converted to TeX ({exc}); kept as text", math.sourceline)
        return str(math.xpath("string()")).strip()


def _formula_image(image: etree._Element, held: Placeholders) -> None:
    tex = _image_tex(image)
    if tex is None:
        return
    parent = image.getparent()
    alone = (
        parent is not None
        and parent.tag in _BLOCKS
        and not (parent.text or "").strip()
        and not (image.tail or "").strip()
        and len([c for c in parent if isinstance(c.tag, str)]) == 1
    )
    display = alone or "display" in (image.get("class") or "") or "\\displaystyle" in tex
    _replace(image, tex, display, held)


def _image_tex(image: etree._Element) -> str | None:
    src = image.get("src") or image.get("data-src") or ""
    parts = urlsplit(src)
    query = parse_qs(parts.query)
    for key in ("tex", "latex", "chl"):
        if query.get(key):
            return query[key][0].strip()
    if "codecogs" in parts.netloc and parts.query:
        return _CODECOGS_PREFIX.sub("", unquote(parts.query)).strip()
    marked = image.get("eeimg") is not None or _FORMULA_CLASS.search(image.get("class") or "")
    alt = (image.get("alt") or "").strip()
    if marked and alt:
        return alt.strip("$").strip()
    return None


def _text_math(root: etree._Element, held: Placeholders, dollars: bool) -> None:
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or _inside_skipped(element):
            continue
        if element.text:
            element.text = _hold_in_text(element.text, held, dollars)
        parent = element.getparent()
        if element.tail and not (parent is not None and _inside_skipped(parent)):
            element.tail = _hold_in_text(element.tail, held, dollars)


def _hold_in_text(text: str, held: Placeholders, dollars: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("dollar") is not None and not dollars:
            return match.group(0)
        if match.group("dd") is not None:
            return held.add(Kind.DISPLAY_MATH, match.group("dd").strip())
        if match.group("bracket") is not None:
            return held.add(Kind.DISPLAY_MATH, match.group("bracket").strip())
        if match.group("paren") is not None:
            return held.add(Kind.MATH, match.group("paren").strip())
        return held.add(Kind.MATH, match.group("dollar"))

    return _DELIMITED.sub(replace, text)


def _loads_math(root: etree._Element) -> bool:
    for script in root.iter("script"):
        if _MATH_LOADER.search(script.get("src") or "") or _MATH_LOADER.search(script.text or ""):
            return True
    for link in root.iter("link"):
        if _MATH_LOADER.search(link.get("href") or ""):
            return True
    text = str(root.xpath("string()"))
    return "$$" in text or "\\(" in text or "\\[" in text


def _inside_skipped(element: etree._Element) -> bool:
    if _tag(element) in _SKIPPED_TEXT:
        return True
    return any(_tag(parent) in _SKIPPED_TEXT for parent in element.iterancestors())


def _tag(element: etree._Element) -> str:
    return etree.QName(element.tag).localname if isinstance(element.tag, str) else ""


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _replace(element: etree._Element, tex: str, display: bool, held: Placeholders) -> None:
    tex = tex.strip()
    if not tex:
        _remove(element)
        return
    word = held.add(Kind.DISPLAY_MATH if display else Kind.MATH, tex)
    parent = element.getparent()
    if display and parent is not None and _tag(parent) in _CONTAINERS:
        # Loose text between paragraphs makes extractors merge them: give it a paragraph.
        paragraph = etree.Element("p")
        paragraph.text = word
        paragraph.tail = element.tail
        parent.replace(element, paragraph)
        return
    _replace_text(element, f" {word} " if display else word)


def _replace_text(element: etree._Element, text: str) -> None:
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)


def _remove(element: etree._Element) -> None:
    if element.getparent() is not None:
        _replace_text(element, "")
