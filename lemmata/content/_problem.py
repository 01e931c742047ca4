"""Problems found in a piece of a file, placed in the file afterwards.

Front matter is parsed on its own (the YAML between the fences, the source
of a notebook's raw cell), so its parsers report 0-based positions within
that piece; a :data:`Place` function maps them to the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lemmata.errors import Diagnostic, Severity, SourceText

Place = Callable[[int, int], tuple[int, int]]
"""0-based line and column in a piece → 1-based line and column in the file."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, at a position within a piece of text."""

    message: str
    """What is wrong, in one line."""
    line: int
    """0-based line within the piece."""
    column: int = 0
    """0-based column, in characters."""
    severity: Severity = Severity.ERROR
    """Error or warning."""


def same_lines(line: int, column: int) -> tuple[int, int]:
    """The placement of a piece that starts at the top of its file."""
    return line + 1, column + 1


def placed(source: SourceText, problems: Iterable[Problem], place: Place) -> list[Diagnostic]:
    """The diagnostics of ``problems``, located in ``source``'s file."""
    found = []
    for problem in problems:
        line, column = place(problem.line, problem.column)
        found.append(source.diagnostic(problem.severity, problem.message, line=line, column=column))
    return found
