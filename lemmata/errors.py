"""Locations, diagnostics and the exception tree.

Every problem found in a user's file is a :class:`Diagnostic` carrying a
:class:`SourceLocation` (the path relative to the site folder, 1-based line and
column) and the offending source line, printed as::

    content/posts/x.md:12:5: error: Unsupported function name: \\foo
       12 | The score $\\foo x$ is
          |     ^

Exceptions::

    LemmataError                 anything lemmata reports instead of crashing
    ├── ConfigError              lemmata.toml is missing or invalid (exit 2)
    ├── UsageError               a bad command-line request (exit 2)
    ├── ContentError             one or more error diagnostics in content (exit 1)
    └── OutputError              the output folder cannot be written safely (exit 1)

``ConfigError`` and ``ContentError`` carry their diagnostics, so a caller can
print every problem rather than the first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from lemmata._pickling import by_name, compact


@by_name
class Severity(StrEnum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@compact
@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a file of the user's site."""

    path: str
    """Path relative to the site folder, with forward slashes."""
    line: int
    """1-based line number."""
    column: int = 1
    """1-based column, counted in characters (not bytes)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@compact
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file, with where it is."""

    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong, in one line."""
    location: SourceLocation | None = None
    """Where it is; ``None`` only for problems that belong to no file."""
    source_line: str | None = None
    """The text of the offending line, without its newline, for the caret display."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        """``path:line:col: severity: message`` (or ``severity: message``)."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity.value}: {self.message}"

    def format(self) -> str:
        """The headline, then the source line and a caret under the column."""
        lines = [self.headline()]
        if self.location is not None and self.source_line is not None:
            number = str(self.location.line)
            gutter = " " * len(number)
            text = self.source_line.expandtabs(1)
            if len(text) > 200:
                start = max(0, self.location.column - 100)
                text = text[start : start + 200]
                column = self.location.column - start
            else:
                column = self.location.column
            lines.append(f" {number} | {text}")
            lines.append(f" {gutter} | {' ' * max(0, column - 1)}^")
        return "\n".join(lines)

    def as_error(self) -> Diagnostic:
        """The same diagnostic raised to an error (``--strict``)."""
        return Diagnostic(Severity.ERROR, self.message, self.location, self.source_line)


class SourceText:
    """A file's text with fast offset → line/column lookup, to build diagnostics."""

    __slots__ = ("_line_starts", "path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self._line_starts: list[int] | None = None

    @property
    def _starts(self) -> list[int]:
        """Where each line starts; found when first needed (most files never are)."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def location(self, offset: int) -> SourceLocation:
        """The location of a character offset into the text."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._starts, offset) - 1
        return SourceLocation(self.path, index + 1, offset - self._starts[index] + 1)

    def offset(self, line: int, column: int = 1) -> int:
        """The character offset of a 1-based line and column."""
        line = max(1, min(line, len(self._starts)))
        return self._starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        if line < 1 or line > len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")

    def diagnostic(
        self,
        severity: Severity,
        message: str,
        *,
        offset: int | None = None,
        line: int | None = None,
        column: int = 1,
    ) -> Diagnostic:
        """A diagnostic at a character offset, or at a line and column."""
        if offset is not None:
            loc = self.location(offset)
        else:
            loc = SourceLocation(self.path, line or 1, column)
        return Diagnostic(severity, message, loc, self.line_text(loc.line))

    def error(self, message: str, **where: int) -> Diagnostic:
        return self.diagnostic(Severity.ERROR, message, **where)

    def warning(self, message: str, **where: int) -> Diagnostic:
        return self.diagnostic(Severity.WARNING, message, **where)


class LemmataError(Exception):
    """Anything lemmata reports to the user instead of crashing."""

    exit_code = 1


@dataclass
class _DiagnosticsError(LemmataError):
    diagnostics: Sequence[Diagnostic] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        super().__init__("\n".join(d.headline() for d in self.diagnostics))


class ConfigError(_DiagnosticsError):
    """``lemmata.toml`` is missing or invalid."""

    exit_code = 2


class ContentError(_DiagnosticsError):
    """The content has at least one error diagnostic."""


class UsageError(LemmataError):
    """A bad request on the command line."""

    exit_code = 2


class OutputError(LemmataError):
    """The output folder cannot be written safely."""


class BuildInterruptedError(LemmataError):
    """The build was asked to stop (see ``BuildOptions.interrupt``); nothing was published."""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.is_error for d in diagnostics)
