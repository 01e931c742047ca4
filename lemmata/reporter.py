"""The one place that writes to the terminal.

Stages never print: they return diagnostics. The CLI hands a :class:`Reporter`
to the build, which reports diagnostics, progress and the summary through it,
so tests can capture everything a user would see.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from lemmata.errors import Diagnostic

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


class Reporter:
    """Prints diagnostics, progress and summaries; silent where asked."""

    def __init__(
        self, stream: TextIO | None = None, *, quiet: bool = False, color: bool | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self._color = color
        self._console: Console | None = None
        self.lines: list[str] = []

    @property
    def console(self) -> Console:
        """Made on first use: a quiet build with nothing to report never loads rich (30 ms)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.stream,
                highlight=False,
                soft_wrap=True,
                force_terminal=self._color,
                no_color=self._color is False,
            )
        return self._console

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Every diagnostic, errors first within each file, files in path order."""
        for diag in sorted(diagnostics, key=_order):
            text = diag.format()
            self.lines.append(text)
            style = "bold red" if diag.is_error else "yellow"
            head, _, rest = text.partition("\n")
            self.console.print(head, style=style, markup=False)
            if rest:
                self.console.print(rest, markup=False)

    def info(self, message: str) -> None:
        self.lines.append(message)
        if not self.quiet:
            self.console.print(message, markup=False)

    def error(self, message: str) -> None:
        self.lines.append(f"error: {message}")
        self.console.print(f"error: {message}", style="bold red", markup=False)

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[_Tick]:
        """A progress bar that appears only once the work has taken over a second."""
        tick = _Tick(self, label, total)
        try:
            yield tick
        finally:
            tick.close()


class _Tick:
    def __init__(self, reporter: Reporter, label: str, total: int) -> None:
        self._reporter = reporter
        self._label = label
        self._total = total
        self._done = 0
        # Asked once: the answer takes rich 6 µs, and a build ticks once per document.
        self._shown = not reporter.quiet and reporter.console.is_terminal
        self._start = time.monotonic()
        self._bar: Progress | None = None
        self._task: object = None

    def __call__(self, advance: int = 1) -> None:
        self._done += advance
        if self._bar is None:
            if not self._shown or time.monotonic() - self._start < 1.0:
                return
            # Imported only when a bar is shown: it costs 12 ms, more than most rebuilds' bars.
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._reporter.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self._label, total=self._total)
        self._bar.update(self._task, completed=self._done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _order(diag: Diagnostic) -> tuple[str, int, int, int]:
    loc = diag.location
    if loc is None:
        return ("", 0, 0, 0 if diag.is_error else 1)
    return (loc.path, loc.line, loc.column, 0 if diag.is_error else 1)
