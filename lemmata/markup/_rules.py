"""Render rules: math through Temml, code through Pygments, headings, admonitions.

Rules find the per-document :class:`RenderContext` in ``env["lemmata"]``, so
one parser serves every document.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from lemmata.errors import Severity
from lemmata.markup._highlight import highlight
from lemmata.markup._parser import ADMONITION

if TYPE_CHECKING:
    from lemmata.markup._render import RenderContext

_INSTALLED = "_lemmata_rules"

MATH_TYPES = frozenset(
    {"math_inline", "math_inline_double", "math_block", "math_block_label", "amsmath"}
)
"""Tokens holding a formula (see ``_parser``)."""


def install_rules(md: MarkdownIt) -> None:
    """Add lemmata's render rules to a parser (once)."""
    if getattr(md, _INSTALLED, False):
        return
    for name in MATH_TYPES:
        md.add_render_rule(name, _math)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _fence)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule(f"container_{ADMONITION}_open", _admonition_open)
    md.add_render_rule(f"container_{ADMONITION}_close", _admonition_close)
    setattr(md, _INSTALLED, True)


def _ctx(env: Any) -> RenderContext:
    ctx: RenderContext = env["lemmata"]
    return ctx


def formula(token: Token) -> tuple[str, bool]:
    """A math token's TeX, and whether it is shown as display math."""
    return token.content, token.type != "math_inline"


def _math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx = _ctx(env)
    tex, display = formula(token)
    rendered, error, position = ctx.render_math(tex, display=display)
    if rendered is None:
        if error is not None:
            start = token.meta.get("offset")
            fallback = int(token.meta.get("fallback", 0))
            offset = ctx.locator.inside(start, tex, position or 0, fallback)
            ctx.report(Severity.ERROR, error, offset)
        rendered = f'<code class="math-error">{html.escape(tex)}</code>'
    if token.type == "math_inline_double":
        # Display math written inside a paragraph: a block-looking span keeps the HTML valid.
        return f'<span class="math math-display">{rendered}</span>'
    if display:
        return f'<div class="math math-display">{rendered}</div>\n'
    trail = token.meta.get("trail")
    if trail:
        return (
            f'<span class="math-nowrap"><span class="math math-inline">{rendered}</span>'
            f"{html.escape(trail)}</span>"
        )
    return f'<span class="math math-inline">{rendered}</span>'


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx = _ctx(env)
    ctx.has_code = True
    info = token.info.strip() if token.type == "fence" else ""
    result = highlight(token.content, info)
    if result.warning:
        ctx.report(Severity.WARNING, result.warning, int(token.meta.get("fallback", 0)))
    return result.html + "\n"


def _heading_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return f"<{token.tag}{self.renderAttrs(token)}>"


def _heading_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    opener = tokens[idx - 2] if idx >= 2 else None
    ident = opener.attrGet("id") if opener is not None else None
    anchor = ""
    if ident:
        target = html.escape(str(ident))
        anchor = f'<a class="heading-anchor" href="#{target}" aria-hidden="true">#</a>'
    return f"{anchor}</{token.tag}>\n"


def _admonition_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    kind, _, title = token.info.strip().partition(" ")
    kind = kind.lower()
    shown = html.escape(title.strip() or kind.capitalize())
    return (
        f'<aside class="admonition {kind}" role="note">\n<p class="admonition-title">{shown}</p>\n'
    )


def _admonition_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</aside>\n"
