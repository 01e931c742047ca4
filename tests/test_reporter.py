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


def test_a_quiet_build_with_nothing_to_report_makes_no_console() -> None:
    # Loading rich costs a quiet rebuild ~30 ms; only output needs it.
    stream = io.StringIO()
    reporter = Reporter(stream, quiet=True)
    reporter.info("built")
    with reporter.progress("rendering", 3) as tick:
        tick(3)
    assert reporter._console is None and stream.getvalue() == ""
    reporter.error("no such folder")
    assert "error: no such folder" in stream.getvalue()
