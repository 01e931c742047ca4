"""The Markdown parser: CommonMark, GFM extras, and math taken out before emphasis.

Math rules run before markdown-it's ``escape`` and emphasis rules, so nothing
inside a formula is ever read as Markdown: ``$a_i*b_j$`` keeps its ``*``.

Token types produced for math (all carry the TeX in ``content``):

* ``math_inline`` — ``$…$`` and ``\\(…\\)``
* ``math_inline_double`` — ``$$…$$`` inside a paragraph (shown as display)
* ``math_block`` / ``math_block_label`` — ``$$…$$`` and ``\\[…\\]`` on their own lines
* ``amsmath`` — a bare ``\\begin{align}…\\end{align}`` (and equation, gather, …)
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

ADMONITIONS = ("note", "tip", "info", "warning", "danger", "important", "caution")
"""Names accepted after ``:::`` to open an admonition."""

ADMONITION = "admonition"
"""The container holding any admonition: tokens ``container_admonition_open``/``_close``,
whose ``info`` starts with the kind."""

MAX_NESTING = 100
"""Deeper nesting of lists or quotes is flattened (and reported) instead of recursing."""


@cache
def parser(unsafe_html: bool) -> MarkdownIt:
    """The process-wide parser for one ``unsafe_html`` setting."""
    md = MarkdownIt(
        "commonmark",
        {"html": unsafe_html, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "strikethrough", "linkify"])
    md.core.ruler.at("normalize", _normalize)
    _cheap_linkify_pretest(md)
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("escape", "math_inline_paren", _inline_paren_math)
    md.block.ruler.before("fence", "math_block_bracket", _block_bracket_math)
    amsmath_plugin(md)
    footnote_plugin(md)
    deflist_plugin(md)
    tasklists_plugin(md, enabled=False)
    attrs_plugin(md, after=("image", "code_inline", "link_close"))
    # One rule for every kind: each block rule is tried on every line.
    container_plugin(md, ADMONITION, validate=_is_admonition)
    return md


def _normalize(state: StateCore) -> None:
    """markdown-it's own: each line ending as a line feed, NUL as U+FFFD. Looked for
    first, since a note rarely holds either: replacing through its regular
    expressions took a fiftieth of the time to render a note."""
    text = state.src
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text


def _is_admonition(params: str, *_markup: str) -> bool:
    return params.strip().split(" ", 2)[0] in ADMONITIONS


def _cheap_linkify_pretest(md: MarkdownIt) -> None:
    """Skip linkify's regular expressions on text that cannot hold a bare URL.

    They dominate rendering time on long paragraphs (Chinese text especially);
    a URL or e-mail address always contains one of these markers.
    """
    linkify = md.linkify
    if linkify is None:
        return
    original = linkify.pretest

    def pretest(text: str) -> bool:
        return ("://" in text or "www." in text or "@" in text) and bool(original(text))

    linkify.pretest = pretest


def _inline_paren_math(state: StateInline, silent: bool) -> bool:
    r"""``\(…\)`` inside a paragraph."""
    src, pos = state.src, state.pos
    if not src.startswith("\\(", pos):
        return False
    end = src.find("\\)", pos + 2)
    if end == -1 or end == pos + 2:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = "\\("
    state.pos = end + 2
    return True


def _block_bracket_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    r"""``\[ … \]`` starting a line (possibly spanning several)."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("\\[", begin):
        return False
    line = start
    close = state.src.find("\\]", begin + 2)
    if close == -1:
        return False
    # The closing bracket must end its line, and the block must not cross a blank line.
    while line < end and state.eMarks[line] < close:
        if state.isEmpty(line):
            return False
        line += 1
    if line >= end or state.src[close + 2 : state.eMarks[line]].strip():
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = state.src[begin + 2 : close]
    token.markup = "\\["
    token.map = [start, line + 1]
    state.line = line + 1
    return True
