"""Decoding a user's file as UTF-8, with a located error for a bad byte.

A byte-order mark is accepted and dropped, CRLF line ends become LF. Invalid
bytes are replaced (U+FFFD) so that the rest of the file can still be read,
and the first one is reported::

    content/posts/x.md:3:7: error: invalid UTF-8 (byte 0xff at offset 41)

The line and column count characters of the decoded text; the offset counts
bytes of the file, as a hex editor shows them.
"""

from __future__ import annotations

import codecs

from lemmata.errors import Diagnostic, SourceText


def decode(path: str, data: bytes) -> tuple[str, Diagnostic | None]:
    """The text of a file (``path`` is site-relative) and the problem with its bytes, if any."""
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    payload = data[skipped:]
    try:
        return _lines(payload.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    before = payload[:bad].decode("utf-8")
    text = _lines(payload.decode("utf-8", errors="replace"))
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    message = f"invalid UTF-8 (byte 0x{payload[bad]:02x} at offset {skipped + bad})"
    return text, SourceText(path, text).error(message, line=line, column=column)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n")
