"""Finding where a token's text sits in the file, for located diagnostics.

markdown-it gives block tokens a line range but inline tokens none, and a
list or a block quote strips prefixes from its lines. So an inline piece
(a formula, a link) is found by searching its text within its block's lines,
moving a cursor forward so repeated pieces map to successive occurrences.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemmata.errors import Diagnostic, Severity, SourceText


@dataclass(slots=True)
class Span:
    """Where a block's lines sit in the file, with a search cursor."""

    start: int
    """Character offset of the block's first line."""
    end: int
    """Character offset just past the block's last line."""
    cursor: int
    """Where the next search starts."""


class Locator:
    """Maps token positions to file locations and builds diagnostics."""

    def __init__(self, source: SourceText) -> None:
        self.source = source

    def block(self, first_line: int, last_line: int) -> Span:
        """The span of 1-based file lines ``first_line..last_line`` (inclusive)."""
        text = self.source.text
        start = self.source.offset(first_line)
        end = self.source.offset(last_line + 1) if last_line >= first_line else start
        if last_line + 1 > first_line and end <= start:
            end = len(text)
        return Span(start, max(end, start), start)

    def find(self, span: Span, needle: str) -> int | None:
        """Offset of ``needle`` in the span at or after its cursor; advances the cursor."""
        if not needle:
            return None
        text = self.source.text
        found = text.find(needle, span.cursor, span.end)
        if found == -1:
            # The piece may span lines whose prefixes (`> `, indentation) were stripped:
            # fall back to its first line.
            first = needle.split("\n", 1)[0]
            if first and first != needle:
                found = text.find(first, span.cursor, span.end)
        if found == -1:
            return None
        span.cursor = found + len(needle.split("\n", 1)[0])
        return found

    def inside(self, start: int | None, piece: str, position: int, fallback: int) -> int:
        """The file offset of ``position`` within ``piece`` found at ``start``."""
        if start is None:
            return fallback
        text = self.source.text
        if text.startswith(piece, start):
            return start + position
        # Prefixes were stripped: walk the piece's lines, finding each in the file.
        before = piece[:position]
        line_index = before.count("\n")
        column = position - (before.rfind("\n") + 1)
        offset = start
        lines = piece.split("\n")
        for k in range(1, line_index + 1):
            next_line = text.find("\n", offset)
            if next_line == -1:
                return start
            wanted = lines[k]
            located = text.find(wanted, next_line + 1) if wanted else next_line + 1
            offset = located if located != -1 else next_line + 1
        return offset + column

    def diagnostic(self, severity: Severity, message: str, offset: int) -> Diagnostic:
        return self.source.diagnostic(severity, message, offset=offset)
