"""Code blocks highlighted by Pygments at build time, with CSS classes.

The fence info string names the language and optional attributes::

    ```python {linenos=true hl_lines="2-3" linenostart=10}

Line numbers are separate spans marked ``aria-hidden`` and unselectable, so
copying the code never copies them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token, _TokenType
from pygments.util import ClassNotFound

from lemmata.markup._fragments import remembered
from lemmata.markup._lexing import lex

_ATTRS = re.compile(r"""(\w+)\s*=\s*("[^"]*"|'[^']*'|\[[^\]]*\]|[^\s}]+)""")


@dataclass(frozen=True, slots=True)
class HighlightResult:
    html: str
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """What the fence's info string asks for."""

    language: str
    linenos: bool = False
    linenostart: int = 1
    hl_lines: frozenset[int] = frozenset()


def parse_info(info: str) -> FenceInfo:
    """``python {linenos=true hl_lines="2-3"}`` → its parts; unknown attributes ignored."""
    language, _, rest = info.strip().partition(" ")
    if language.startswith("{"):
        language, rest = "", info
    language = language.strip("{}").lower()
    attrs = {k.lower(): v.strip("\"'") for k, v in _ATTRS.findall(rest)}
    linenos = attrs.get("linenos", "false").lower() in ("true", "table", "inline", "1", "yes")
    try:
        start = max(1, int(attrs.get("linenostart", "1")))
    except ValueError:
        start = 1
    return FenceInfo(language, linenos, start, _line_set(attrs.get("hl_lines", "")))


def _line_set(spec: str) -> frozenset[int]:
    lines: set[int] = set()
    for part in re.split(r"[\s,\[\]]+", spec):
        low, _, high = part.partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            lines.update(range(int(low), int(high or low) + 1))
    return frozenset(lines)


@cache
def _lexer(name: str) -> Lexer | None:
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _highlight(code: str, info: str) -> HighlightResult:
    """A ``<div class="highlight">`` block for the code."""
    fence = parse_info(info)
    warning = None
    lexer = _lexer(fence.language) if fence.language else None
    if fence.language and lexer is None:
        warning = f"unknown code language {fence.language!r}; shown as plain text"
    lang = (lexer.aliases[0] if lexer is not None and lexer.aliases else fence.language) or "text"
    lines = _highlighted_lines(code.removesuffix("\n"), lexer)
    body = []
    for number, line in enumerate(lines, start=1):
        shown = number + fence.linenostart - 1
        classes = "line hl" if number in fence.hl_lines else "line"
        gutter = f'<span class="ln" aria-hidden="true">{shown}</span>' if fence.linenos else ""
        body.append(f'<span class="{classes}">{gutter}{line}\n</span>')
    numbered = " linenos" if fence.linenos else ""
    return HighlightResult(
        f'<div class="highlight{numbered}" data-lang="{html.escape(lang)}">'
        f'<pre><code class="language-{html.escape(lang)}">{"".join(body)}</code></pre></div>',
        warning,
    )


highlight = remembered("code", _highlight, keep=lambda _result: True)
"""A ``<div class="highlight">`` block for the code (kept across builds: see ``_fragments``)."""


def _highlighted_lines(code: str, lexer: Lexer | None) -> list[str]:
    """HTML per source line; spans never cross a line break."""
    if lexer is None:
        return [html.escape(line) for line in code.split("\n")]
    lines: list[list[str]] = [[]]
    line = lines[-1]
    spans = _spans
    for kind, value in lex(code, lexer):
        span = spans.get(kind)
        if span is None:
            span = spans[kind] = _span(kind)
        opening, closing = span
        if "\n" not in value:  # most tokens: one piece, on the current line
            if value:
                line.append(f"{opening}{_escaped(value)}{closing}")
            continue
        for index, piece in enumerate(value.split("\n")):
            if index:
                line = []
                lines.append(line)
            if piece:
                line.append(f"{opening}{_escaped(piece)}{closing}")
    if len(lines) > 1 and not lines[-1] and code.endswith("\n"):
        lines.pop()
    return ["".join(parts) for parts in lines]


def _escaped(text: str) -> str:
    """``html.escape(text, quote=False)``, without its call where there is nothing to escape."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


_spans: dict[_TokenType, tuple[str, str]] = {}
"""Each token type's opening and closing tags (empty for plain text)."""


def _span(kind: _TokenType) -> tuple[str, str]:
    css = _css_class(kind)
    return (f'<span class="{css}">', "</span>") if css else ("", "")


def _css_class(kind: _TokenType) -> str:
    while kind not in STANDARD_TYPES and kind.parent is not None:
        kind = kind.parent
    if kind is Token.Text or kind is Token.Text.Whitespace:
        return ""
    return str(STANDARD_TYPES.get(kind, ""))


def highlight_css(light_style: str, dark_style: str) -> str:
    """CSS for both styles: light by default, dark by system preference or the toggle.

    An unknown style raises ``ValueError`` (the configuration's check reports it first).
    """
    light = _style_rules(light_style, ".highlight")
    dark_toggle = _style_rules(dark_style, ':root[data-theme="dark"] .highlight')
    dark_system = _style_rules(dark_style, ':root:not([data-theme="light"]) .highlight')
    return f"{light}\n{dark_toggle}\n@media (prefers-color-scheme: dark) {{\n{dark_system}\n}}\n"


def _style_rules(name: str, scope: str) -> str:
    style = get_style_by_name(name)
    rules = [
        f"{scope} {{ background: {style.background_color}; }}",
        f"{scope} .hl {{ background: {style.highlight_color}; }}",
    ]
    for kind, spec in style:
        css = STANDARD_TYPES.get(kind)
        if not css:
            continue
        decl = []
        if spec["color"]:
            decl.append(f"color: #{spec['color']}")
        if spec["bold"]:
            decl.append("font-weight: bold")
        if spec["italic"]:
            decl.append("font-style: italic")
        if decl:
            rules.append(f"{scope} .{css} {{ {'; '.join(decl)}; }}")
    base = style.style_for_token(Token.Text)["color"]
    if base:
        rules.append(f"{scope} pre {{ color: #{base}; }}")
    return "\n".join(rules)
