"""Discovering and parsing source files into :class:`Document` objects."""

from lemmata.content._model import Document, Format, FrontMatter, Kind

__all__ = ["Document", "Format", "FrontMatter", "Kind"]
