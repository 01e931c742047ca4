"""Jupyter notebooks as documents: cells become tokens of the same pipeline.

Markdown cells are parsed like any Markdown (math, headings, links); a code
cell becomes a ``fence`` token (highlighted like any code block) followed by
an ``html_block`` of its stored outputs. Nothing is executed. Images in the
outputs become :class:`Asset` s written beside the page.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from typing import TYPE_CHECKING, Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from lemmata.content import Document
from lemmata.errors import Severity
from lemmata.markup._model import ASSET_PREFIX, Asset

if TYPE_CHECKING:
    from lemmata.markup._render import RenderContext

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


def notebook_tokens(
    document: Document, md: MarkdownIt, ctx: RenderContext, env: dict[str, Any]
) -> list[Token]:
    """The notebook's cells as one token stream."""
    try:
        notebook = json.loads(document.body)
        cells = notebook["cells"]
        assert isinstance(cells, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        return []  # the content stage has already reported the broken notebook
    language = _language(notebook.get("metadata") or {})
    lines = _cell_lines(document.text)
    tokens: list[Token] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        source = _text(cell.get("source", ""))
        base = lines[index] if index < len(lines) else 0
        if kind == "raw" and index == 0 and source.startswith(("---", "+++")):
            continue  # front matter, read by the content stage
        if kind == "markdown":
            cell_tokens = md.parse(source, env)
            # nbformat writes each source line as its own JSON string on its own line.
            first = base + 1 if isinstance(cell.get("source"), list) else base
            for token in cell_tokens:
                token.meta["base"] = first
            tokens.extend(cell_tokens)
        elif kind == "code" and source.strip():
            fence = Token("fence", "code", 0)
            fence.info = language
            fence.content = source if source.endswith("\n") else source + "\n"
            fence.map = [0, 1]
            fence.meta["base"] = base
            tokens.append(fence)
            outputs = _outputs(cell.get("outputs") or [], index, ctx, base)
            if outputs:
                block = Token("html_block", "", 0)
                block.content = f'<div class="nb-output">\n{outputs}</div>\n'
                tokens.append(block)
    return tokens


def _language(metadata: dict[str, Any]) -> str:
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    name = info.get("name") or kernel.get("language") or "python"
    return str(name).lower()


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value or "")


def _cell_lines(text: str) -> list[int]:
    """0-based line of each cell's ``"source"`` key in the JSON file (cells in order)."""
    lines = []
    position = text.find('"cells"')
    while position != -1:
        position = text.find('"source"', position + 1)
        if position == -1:
            break
        lines.append(text.count("\n", 0, position))
    return lines


def _outputs(outputs: list[Any], cell: int, ctx: RenderContext, base: int) -> str:
    parts: list[str] = []
    for number, output in enumerate(outputs, start=1):
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            name = "stderr" if output.get("name") == "stderr" else "stdout"
            text = html.escape(_ANSI.sub("", _text(output.get("text"))))
            parts.append(f'<pre class="nb-stream nb-{name}">{text}</pre>\n')
        elif kind in ("execute_result", "display_data"):
            parts.append(_rich(output.get("data") or {}, f"output-{cell + 1}-{number}", ctx, base))
        elif kind == "error":
            trace = _ANSI.sub("", "\n".join(_text(t) for t in output.get("traceback") or []))
            head = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
            shown = html.escape(trace or head)
            parts.append(f'<pre class="nb-error">{shown}</pre>\n')
    return "".join(parts)


def _rich(data: dict[str, Any], name: str, ctx: RenderContext, base: int) -> str:
    """The richest stored form we can show safely."""
    for mime, suffix in _IMAGES.items():
        if mime in data:
            try:
                payload = base64.b64decode(_text(data[mime]), validate=False)
            except (binascii.Error, ValueError):
                ctx.report(
                    Severity.WARNING, f"{mime} output is not valid base64", _offset(ctx, base)
                )
                continue
            filename = f"{name}.{suffix}"
            ctx.assets.append(Asset(name=filename, data=payload))
            alt = html.escape(_text(data.get("text/plain", "")).strip()[:200] or "output")
            return f'<img src="{ASSET_PREFIX}{filename}" alt="{alt}" loading="lazy" />\n'
    if "image/svg+xml" in data:
        svg = nh3.clean(_text(data["image/svg+xml"]), tags=_SVG_TAGS, attributes=_SVG_ATTRS)
        return f'<div class="nb-svg">{svg}</div>\n'
    if "text/html" in data:
        return f'<div class="nb-html">{nh3.clean(_text(data["text/html"]))}</div>\n'
    if "text/latex" in data:
        tex = _text(data["text/latex"]).strip().strip("$").strip()
        rendered, error, _ = ctx.render_math(tex, display=True)
        if rendered is not None:
            return f'<div class="math math-display">{rendered}</div>\n'
        ctx.report(Severity.WARNING, f"text/latex output not rendered: {error}", _offset(ctx, base))
    if "text/plain" in data:
        return f'<pre class="nb-result">{html.escape(_ANSI.sub("", _text(data["text/plain"])))}</pre>\n'
    return ""


def _offset(ctx: RenderContext, base: int) -> int:
    return ctx.locator.source.offset(base + 1)


_SVG_TAGS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "defs", "clipPath", "use", "title", "desc", "style",
}  # fmt: skip
_SVG_ATTRS = {
    "*": {
        "id", "class", "d", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry",
        "width", "height", "viewBox", "fill", "stroke", "stroke-width", "transform", "points",
        "font-size", "font-family", "text-anchor", "opacity", "xmlns", "version", "clip-path",
        "fill-opacity", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    }
}  # fmt: skip
