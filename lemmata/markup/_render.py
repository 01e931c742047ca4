"""``render_document``: one document to a :class:`Rendered`, every problem located."""

from __future__ import annotations

import html as htmllib
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from lemmata.config import SiteConfig
from lemmata.content import Document, Format
from lemmata.errors import Diagnostic, Severity, SourceText
from lemmata.markup import _excerpt, _links
from lemmata.markup._headings import IdAllocator, slug_id, split_attributes, toc_html
from lemmata.markup._locate import Locator, Span
from lemmata.markup._math import render_ahead, render_formula, rendered_already
from lemmata.markup._model import Asset, Heading, Html, Link, Rendered
from lemmata.markup._parser import parser
from lemmata.markup._rules import MATH_TYPES, formula, install_rules
from lemmata.markup._text import inline_text, is_mostly_cjk, plain_text, unit_counts

_MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
_SAMPLE_TOKENS = 200
"""Whether a document is mostly CJK is judged on its first tokens (its opening)."""


@dataclass
class RenderContext:
    """What the render rules need, passed through markdown-it's ``env``."""

    document: Document
    config: SiteConfig
    locator: Locator
    macros: Mapping[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    deadline: float = float("inf")
    """``time.monotonic()`` after which formulas are no longer rendered."""
    over_budget: bool = False
    quiet: bool = False
    """Set while rendering a second view of the same tokens (excerpt, heading text)."""
    has_math: bool = False
    has_code: bool = False
    transient: bool = False
    """Something failed for reasons of the moment (time, memory): do not cache the result."""

    def report(self, severity: Severity, message: str, offset: int) -> None:
        if not self.quiet:
            self.diagnostics.append(self.locator.diagnostic(severity, message, offset))

    def render_math(self, tex: str, *, display: bool) -> tuple[str | None, str | None, int | None]:
        self.has_math = True
        if self.over_budget or time.monotonic() > self.deadline:
            self.transient = True
            ready = rendered_already(tex, display=display, macros=self.macros)
            if ready is not None:  # rendered ahead (or before) while there was time
                return ready.html, ready.error, ready.position
            if self.over_budget:
                return None, None, None
            self.over_budget = True
            budget = self.config.markdown.time_budget_s
            return (
                None,
                f"document took longer than {budget} s to render; later formulas skipped",
                0,
            )
        result = render_formula(
            tex, display=display, macros=self.macros, timeout_ms=self.config.math.timeout_ms
        )
        self.transient = self.transient or result.transient
        return result.html, result.error, result.position


def render_document(document: Document, config: SiteConfig) -> Rendered:
    """Render one document. Pure: writes nothing, and never raises on any input."""
    source = SourceText(document.path, document.text)
    try:
        return _render(document, config, source)
    except RecursionError:
        problem = "document is nested too deeply to render"
    except Exception as exc:  # a renderer bug must not take the whole build down
        problem = f"internal error while rendering: {type(exc).__name__}: {exc}"
    return _failed(source.error(problem, line=document.body_line))


def _render(document: Document, config: SiteConfig, source: SourceText) -> Rendered:
    md = parser(config.markdown.unsafe_html)
    install_rules(md)
    ctx = RenderContext(
        document=document,
        config=config,
        locator=Locator(source),
        macros=_macros(document, config, source),
        deadline=time.monotonic() + config.markdown.time_budget_s,
    )
    env: dict[str, Any] = {"lemmata": ctx}
    if document.format is Format.NOTEBOOK:
        from lemmata.markup._notebook import notebook_tokens

        tokens = notebook_tokens(document, md, ctx, env)
    else:
        tokens = md.parse(document.body, env)
        _set_base(tokens, document.body_line - 1)
    render_ahead(
        _formulas(tokens),
        macros=ctx.macros,
        timeout_ms=config.math.timeout_ms,
        deadline=ctx.deadline,
    )
    headings = _prepare(tokens, md, ctx, env)
    body_html = md.renderer.render(tokens, md.options, env)

    ctx.quiet = True
    text = plain_text(tokens)
    characters, words = unit_counts(text)
    excerpt_tokens = _excerpt_tokens(document, config, md, tokens, env, characters >= words)
    excerpt_html = md.renderer.render(excerpt_tokens, md.options, env)
    title = next((h.text for h in headings if h.level == 1), None)
    return Rendered(
        body=Html.of(body_html),
        toc_html=toc_html(headings, config.markdown.toc_depth),
        excerpt_html=excerpt_html,
        excerpt_text=plain_text(excerpt_tokens),
        title=title,
        links=tuple(ctx.links),
        assets=tuple(ctx.assets),
        diagnostics=tuple(ctx.diagnostics),
        reading_units=characters + words,
        has_math=ctx.has_math,
        has_code=ctx.has_code,
        cacheable=not ctx.transient,
    )


def _formulas(tokens: Sequence[Token]) -> Iterator[tuple[str, bool]]:
    """Every formula of the tokens, in order."""
    for token in tokens:
        if token.type in MATH_TYPES:
            yield formula(token)
        elif token.children:
            yield from (formula(child) for child in token.children if child.type in MATH_TYPES)


def _set_base(tokens: Sequence[Token], base: int) -> None:
    """Record on each token the 0-based file line of its source's line 0."""
    for token in tokens:
        token.meta["base"] = base


def _prepare(
    tokens: list[Token], md: MarkdownIt, ctx: RenderContext, env: dict[str, Any]
) -> list[Heading]:
    """One pass before rendering: heading ids, positions of inline pieces, link targets."""
    ids = IdAllocator()
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in MATH_TYPES:
            span = _span(token, ctx)
            if span is not None:
                token.meta["offset"] = ctx.locator.find(span, token.content)
                token.meta["fallback"] = span.start
        elif kind in ("fence", "code_block"):
            span = _span(token, ctx)
            token.meta["fallback"] = span.start if span else 0
        if kind != "inline" or not token.children:
            continue
        _glue_punctuation(token.children)
        span = None
        located = False  # the block's span, found for the first piece that needs it
        for child in token.children:
            is_math = child.type in MATH_TYPES
            if not is_math and child.type not in ("link_open", "image"):
                continue
            if not located:
                span, located = _span(token, ctx), True
            if not is_math:
                _links.rewrite(child, ctx, span)
            elif span is not None:
                child.meta["offset"] = ctx.locator.find(span, child.content)
                child.meta["fallback"] = span.start
        if index > 0 and tokens[index - 1].type == "heading_open":
            headings.append(_heading(tokens[index - 1], token, ids, md, ctx, env))
    return headings


_CLOSING_PUNCTUATION = set("，。、；：！？）》」』】,.;:!?)")


def _glue_punctuation(children: list[Token]) -> None:
    """Keep punctuation right after an inline formula on the formula's line.

    Browsers may otherwise wrap between ``O(n)`` and the ``，`` that follows it,
    starting a line with a comma. The character moves into the formula's token
    (``meta["trail"]``) and is rendered inside a no-wrap span with it.
    """
    for index, child in enumerate(children[:-1]):
        following = children[index + 1]
        if (
            child.type == "math_inline"
            and following.type == "text"
            and following.content[:1] in _CLOSING_PUNCTUATION
        ):
            child.meta["trail"] = following.content[0]
            following.content = following.content[1:]


def _span(token: Token, ctx: RenderContext) -> Span | None:
    if token.map is None:
        return None
    base = int(token.meta.get("base", 0))
    first = base + token.map[0] + 1
    last = base + max(token.map[1], token.map[0] + 1)
    return ctx.locator.block(first, last)


def _heading(
    opener: Token,
    inline: Token,
    ids: IdAllocator,
    md: MarkdownIt,
    ctx: RenderContext,
    env: dict[str, Any],
) -> Heading:
    children = inline.children or []
    custom: str | None = None
    if children and children[-1].type == "text":
        stripped, custom, classes = split_attributes(children[-1].content)
        if custom is not None or classes:
            children[-1].content = stripped.rstrip()
            if classes:
                opener.attrSet("class", " ".join(classes))
    text = inline_text(children).strip()
    ident = ids.claim(custom or slug_id(text))
    opener.attrSet("id", ident)
    was_quiet, ctx.quiet = ctx.quiet, True
    inner = md.renderer.renderInline(children, md.options, env)  # type: ignore[attr-defined]
    ctx.quiet = was_quiet
    return Heading(level=int(opener.tag[1]), id=ident, html=inner, text=text)


def _excerpt_tokens(
    document: Document,
    config: SiteConfig,
    md: MarkdownIt,
    tokens: Sequence[Token],
    env: dict[str, Any],
    mostly_cjk: bool,
) -> list[Token]:
    """The excerpt: the summary, what precedes ``<!--more-->``, or the opening's budget.

    ``mostly_cjk``: whether the whole text is, which decides the budget unless
    the document is long enough for its opening to decide.
    """
    if document.meta.summary:
        summary = md.parse(document.meta.summary, env)
        line = document.text.find("summary")
        _set_base(summary, document.text.count("\n", 0, max(line, 0)))
        return list(summary)
    if document.format is Format.MARKDOWN:
        marker = _MORE.search(document.body) if "<!--" in document.body else None
        if marker is not None:
            return _excerpt.before_marker(tokens, document.body.count("\n", 0, marker.start()))
    if len(tokens) > _SAMPLE_TOKENS:
        mostly_cjk = is_mostly_cjk(plain_text(tokens[:_SAMPLE_TOKENS]))
    budget = config.excerpt.chars if mostly_cjk else config.excerpt.words
    return _excerpt.automatic(tokens, budget)


def _macros(document: Document, config: SiteConfig, source: SourceText) -> dict[str, str]:
    macros = dict(config.math.macros)
    own = document.meta.extra.get("macros")
    if isinstance(own, Mapping):
        macros.update({str(k): str(v) for k, v in own.items()})
    return macros


def _failed(diagnostic: Diagnostic) -> Rendered:
    """What a document that could not be rendered shows; tried again next build."""
    message = htmllib.escape(diagnostic.message)
    return Rendered(
        body=Html.of(f'<p class="render-error">{message}</p>'),
        toc_html="",
        excerpt_html="",
        excerpt_text="",
        title=None,
        links=(),
        assets=(),
        diagnostics=(diagnostic,),
        reading_units=0,
        has_math=False,
        has_code=False,
        cacheable=False,
    )
