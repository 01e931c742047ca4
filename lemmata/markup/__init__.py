"""Markdown and notebooks to HTML: math, code, headings, excerpts.

``render_document`` renders one document (pure); ``render_documents`` renders
many, through the persistent cache and worker processes.
"""

from lemmata.markup._batch import render_documents, start_math_early
from lemmata.markup._highlight import highlight_css
from lemmata.markup._model import ASSET_PREFIX, REF_PREFIX, Asset, Heading, Html, Link, Rendered
from lemmata.markup._render import render_document

__all__ = [
    "ASSET_PREFIX",
    "REF_PREFIX",
    "Asset",
    "Heading",
    "Html",
    "Link",
    "Rendered",
    "highlight_css",
    "render_document",
    "render_documents",
    "start_math_early",
]
