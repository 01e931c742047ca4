"""The terminal reporter: progress bars only for slow work, on a terminal."""

from __future__ import annotations

import io

from lemmata.reporter import Reporter


def _shown(*, terminal: bool, waited: float) -> str:
    stream = io.StringIO()
    reporter = Reporter(stream, color=True if terminal else None)
    with reporter.progress("rendering", 3) as tick:
        tick._start -= waited  # as if the work had been going on for that long
        tick()
        tick()
    return stream.getvalue()


def test_a_bar_appears_once_work_takes_over_a_second() -> None:
    assert "rendering" in _shown(terminal=True, waited=2.0)


def test_no_bar_for_quick_work_or_off_a_terminal() -> None:
    assert _shown(terminal=True, waited=0.0) == ""
    assert _shown(terminal=False, waited=2.0) == ""
