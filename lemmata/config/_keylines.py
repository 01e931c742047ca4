"""Where each key of a TOML document is written, for located error messages.

``tomllib`` returns values without positions, so the text is scanned again:
``[section]`` headers, ``key = value`` lines, dotted keys (``home.per_page =``)
and inline tables (``home = { per_page = 5 }``). The scan runs only on text
that ``tomllib`` has accepted, so it can trust the syntax; whatever it does
not follow (keys inside arrays of tables) falls back to the enclosing key.
"""

from __future__ import annotations

import contextlib
import re
import tomllib

KeyPath = tuple[str, ...]
Position = tuple[int, int]
"""1-based line and column."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"


def key_positions(text: str) -> dict[KeyPath, Position]:
    """The position of every key path the scan can follow (first occurrence wins)."""
    scanner = _Scanner(text)
    # Keep what was found before the text stopped making sense to the scan.
    with contextlib.suppress(_LostError):
        scanner.document()
    return scanner.found


def position_of(positions: dict[KeyPath, Position], path: KeyPath) -> Position:
    """The position of ``path``, else of its nearest enclosing key, else ``(1, 1)``."""
    for end in range(len(path), 0, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return (1, 1)


class _LostError(Exception):
    """The scan met text it does not follow."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.found: dict[KeyPath, Position] = {}
        self.in_array = 0
        """Depth of arrays around the scan: keys inside arrays have no key path."""

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek() == "[":
                # A header is located at its bracket; keys of an array of tables at its header.
                where = self.here()
                close = "]]" if self.text.startswith("[[", self.pos) else "]"
                self.pos += len(close)
                table = self.key_path((), where)
                self.expect(close)
            else:
                self.key_value(table)

    def key_value(self, table: KeyPath) -> None:
        self.skip_blank(newlines=False)
        path = self.key_path(table, self.here())
        self.expect("=")
        self.skip_blank(newlines=False)
        self.value(path)

    def key_path(self, table: KeyPath, where: Position) -> KeyPath:
        """A dotted key; records ``where`` as the position of each of its prefixes."""
        self.skip_blank(newlines=False)
        path = table
        while True:
            path = (*path, self.key())
            if not self.in_array:
                self.found.setdefault(path, where)
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return path
            self.pos += 1
            self.skip_blank(newlines=False)

    def key(self) -> str:
        char = self.peek()
        if char in "\"'":
            start = self.pos
            self.string()
            raw = self.text[start : self.pos]
            # Let tomllib decode the escapes of a quoted key.
            return next(iter(tomllib.loads(f"{raw} = 0")))
        match = _BARE_KEY.match(self.text, self.pos)
        if match is None:
            raise _LostError
        self.pos = match.end()
        return match.group()

    def value(self, path: KeyPath) -> None:
        char = self.peek()
        if char == "{":
            self.inline_table(path)
        elif char == "[":
            self.array()
        elif char in "\"'":
            self.string()
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        self.skip_blank(newlines=False)
        while self.peek() != "}":
            self.key_value(path)
            self.skip_blank(newlines=False)
            if self.peek() == ",":
                self.pos += 1
                self.skip_blank(newlines=False)
        self.pos += 1

    def array(self) -> None:
        self.pos += 1
        self.in_array += 1
        self.skip_blank(newlines=True)
        while self.peek() != "]":
            self.value(())
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1
                self.skip_blank(newlines=True)
        self.pos += 1
        self.in_array -= 1

    def string(self) -> None:
        quote = self.peek()
        triple = quote * 3
        if self.text.startswith(triple, self.pos):
            end = self.text.find(triple, self.pos + 3)
            while quote == '"' and end != -1 and _escaped(self.text, end):
                end = self.text.find(triple, end + 1)
            if end == -1:
                raise _LostError
            end += 3
            # Up to two more quotes belong to the string, before its closing delimiter.
            for _ in range(2):
                if self.text.startswith(quote, end):
                    end += 1
            self.advance_to(end)
            return
        end = self.pos + 1
        while end < len(self.text) and self.text[end] != quote:
            end += 2 if quote == '"' and self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise _LostError
        self.advance_to(end + 1)

    def skip_blank(self, *, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _SPACE or char == "\r":
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end == -1 else end
            elif char == "\n" and newlines:
                self.pos += 1
                self.line += 1
                self.line_start = self.pos
            else:
                return

    def expect(self, token: str) -> None:
        self.skip_blank(newlines=False)
        if not self.text.startswith(token, self.pos):
            raise _LostError
        self.pos += len(token)

    def peek(self) -> str:
        if self.pos >= len(self.text):
            raise _LostError
        return self.text[self.pos]

    def here(self) -> Position:
        return (self.line, self.pos - self.line_start + 1)

    def advance_to(self, end: int) -> None:
        newlines = self.text.count("\n", self.pos, end)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.pos, end) + 1
        self.pos = end


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1
