"""Discovering and parsing source files into :class:`Document` objects."""

from lemmata.content._discover import CONTENT_DIR, discover, format_of
from lemmata.content._load import DocumentStream, load_documents, parse_document
from lemmata.content._model import Document, Format, FrontMatter, Kind
from lemmata.content._slug import slugify

__all__ = [
    "CONTENT_DIR",
    "Document",
    "DocumentStream",
    "Format",
    "FrontMatter",
    "Kind",
    "discover",
    "format_of",
    "load_documents",
    "parse_document",
    "slugify",
]
