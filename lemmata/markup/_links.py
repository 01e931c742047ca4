"""Relative links and images: pointed at source files, checked to stay in the site."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown_it.token import Token

from lemmata.errors import Severity
from lemmata.markup._locate import Span
from lemmata.markup._model import REF_PREFIX, Link

if TYPE_CHECKING:
    from lemmata.markup._render import RenderContext

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def rewrite(token: Token, ctx: RenderContext, span: Span | None) -> None:
    """Turn a relative ``href``/``src`` into a ``lemmata-ref:`` and record the link."""
    is_image = token.type == "image"
    attr = "src" if is_image else "href"
    value = str(token.attrGet(attr) or "")
    offset = _find(ctx, span, value)
    where = offset if offset is not None else (span.start if span is not None else 0)
    if is_image:
        token.attrSet("loading", "lazy")
        if not token.content.strip() and not token.attrGet("alt"):
            ctx.report(Severity.WARNING, f"image {value!r} has no alt text", where)
    if value.startswith("#") and len(value) > 1 and not is_image:
        _record(ctx, ctx.document.path, value[1:], is_image, where)
        return
    if not value or value.startswith(("#", "/", "//")) or _SCHEME.match(value):
        return
    path, _, fragment = value.partition("#")
    path = path.partition("?")[0]
    if not path:
        return
    base = posixpath.dirname(ctx.document.path)
    target = posixpath.normpath(posixpath.join(base, unquote(path)))
    if target.startswith("../") or target == ".." or posixpath.isabs(target):
        ctx.report(Severity.ERROR, f"link {value!r} points outside the site folder", where)
        token.attrSet(attr, "")
        return
    token.attrSet(attr, f"{REF_PREFIX}{target}" + (f"#{fragment}" if fragment else ""))
    _record(ctx, target, fragment, is_image, where)


def _find(ctx: RenderContext, span: Span | None, value: str) -> int | None:
    """Where the link's target is written: as it is, or before percent-encoding
    (markdown-it encodes what is not ASCII: ``#梯度`` becomes ``#%E6%A2%AF%E5%BA%A6``)."""
    if span is None or not value:
        return None
    found = ctx.locator.find(span, value)
    written = unquote(value)
    if found is None and written != value:
        found = ctx.locator.find(span, written)
    return found


def _record(ctx: RenderContext, target: str, fragment: str, is_image: bool, where: int) -> None:
    if ctx.quiet:
        return
    location = ctx.locator.source.location(where)
    ctx.links.append(
        Link(
            target=target,
            fragment=fragment,
            is_image=is_image,
            location=location,
            source_line=ctx.locator.source.line_text(location.line),
        )
    )
