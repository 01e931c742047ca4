"""Writing XML by hand, safely: escaping, characters XML cannot hold, URIs."""

from __future__ import annotations

import re
from urllib.parse import quote

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry even escaped: one stray control character in
a post would make the whole file unreadable, so they are dropped."""

_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def text(value: str) -> str:
    """Element content."""
    return _escape(_NOT_XML.sub("", value))


def attr(value: str) -> str:
    """An attribute value, quotes included: double quotes unless the value holds only those."""
    value = _escape(_NOT_XML.sub("", value))
    # A parser would turn a raw line break or tab in an attribute into a space.
    value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def _escape(value: str) -> str:
    # Not ``xml.sax.saxutils``: it imports ``urllib.request`` (and ``ssl``), 17 ms per build.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def uri(url: str) -> str:
    """A URL as feeds and sitemaps expect it: non-ASCII and spaces percent-encoded."""
    return quote(url, safe=_URI_SAFE)
