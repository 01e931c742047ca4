"""Writing XML by hand, safely: escaping, characters XML cannot hold, URIs."""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry even escaped: one stray control character in
a post would make the whole file unreadable, so they are dropped."""

_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def text(value: str) -> str:
    """Element content."""
    return escape(_NOT_XML.sub("", value))


def attr(value: str) -> str:
    """An attribute value, quotes included."""
    return quoteattr(_NOT_XML.sub("", value))


def uri(url: str) -> str:
    """A URL as feeds and sitemaps expect it: non-ASCII and spaces percent-encoded."""
    return quote(url, safe=_URI_SAFE)
