"""Assembling documents into a site: URLs, collections, pagination, taxonomies."""

from lemmata.site._assemble import assemble
from lemmata.site._collections import paginate
from lemmata.site._kept import assemble_kept
from lemmata.site._links import Body
from lemmata.site._model import (
    DERIVED,
    DETAILS,
    ArchiveMonth,
    Entry,
    EntryLink,
    OutputFile,
    PageLink,
    Pagination,
    Route,
    Site,
    Term,
    paged,
)
from lemmata.site._urls import Urls

__all__ = [
    "DERIVED",
    "DETAILS",
    "ArchiveMonth",
    "Body",
    "Entry",
    "EntryLink",
    "OutputFile",
    "PageLink",
    "Pagination",
    "Route",
    "Site",
    "Term",
    "Urls",
    "assemble",
    "assemble_kept",
    "paged",
    "paginate",
]
