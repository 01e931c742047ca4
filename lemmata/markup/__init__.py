"""Markdown and notebooks to HTML: math, code, headings, excerpts."""

from lemmata.markup._model import ASSET_PREFIX, REF_PREFIX, Asset, Heading, Link, Rendered

__all__ = ["ASSET_PREFIX", "REF_PREFIX", "Asset", "Heading", "Link", "Rendered"]
