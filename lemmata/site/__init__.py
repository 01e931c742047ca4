"""Assembling documents into a site: URLs, collections, pagination, taxonomies."""

from lemmata.site._model import (
    ArchiveMonth,
    Entry,
    EntryLink,
    OutputFile,
    PageLink,
    Pagination,
    Route,
    Site,
    Term,
)

__all__ = [
    "ArchiveMonth",
    "Entry",
    "EntryLink",
    "OutputFile",
    "PageLink",
    "Pagination",
    "Route",
    "Site",
    "Term",
]
