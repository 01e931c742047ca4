"""Markdown and notebooks to HTML: math, code, headings, excerpts."""

from lemmata.markup._model import REF_PREFIX, Asset, Heading, Link, Rendered

__all__ = ["REF_PREFIX", "Asset", "Heading", "Link", "Rendered"]
