"""The error page: every diagnostic, its place, the lines around it, all escaped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lemmata.errors import Diagnostic, Severity, SourceLocation
from lemmata.serve._state import RELOAD_PATH, ServeState


def _state(tmp_path: Path) -> ServeState:
    post = tmp_path / "content" / "posts" / "x.md"
    post.parent.mkdir(parents=True)
    post.write_text("".join(f"line {n} <b>&</b>\n" for n in range(1, 11)))
    return ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")


def _error(line: int, message: str = "bad <script>") -> Diagnostic:
    where = SourceLocation("content/posts/x.md", line, 3)
    return Diagnostic(Severity.ERROR, message, where, f"line {line}")


def test_error_page_shows_place_message_and_surrounding_lines(tmp_path: Path) -> None:
    state = _state(tmp_path)
    state.finished("build failed", (_error(5),))
    page = state.error_page()
    assert "content/posts/x.md:5:3: error: bad &lt;script&gt;" in page
    assert "<mark>line 5 &lt;b&gt;&amp;&lt;/b&gt;</mark>" in page
    for shown in (2, 8):
        assert f"line {shown} &lt;b&gt;" in page
    for hidden in (1, 9):
        assert f"line {hidden} &lt;b&gt;" not in page
    assert "bad <script>" not in page and "<b>&</b>" not in page
    assert RELOAD_PATH in page


def test_error_page_lists_every_diagnostic_errors_first(tmp_path: Path) -> None:
    state = _state(tmp_path)
    warning = Diagnostic(
        Severity.WARNING, "just a warning", SourceLocation("content/posts/x.md", 1)
    )
    state.finished("build failed", (warning, _error(9, "second"), _error(2, "first")))
    page = state.error_page()
    assert page.index("first") < page.index("second") < page.index("just a warning")


def test_error_page_without_diagnostics_shows_the_failure(tmp_path: Path) -> None:
    state = _state(tmp_path)
    state.finished("cannot write <output>", ())
    assert "cannot write &lt;output&gt;" in state.error_page()


def test_a_vanished_file_still_gives_the_headline(tmp_path: Path) -> None:
    state = _state(tmp_path)
    missing = Diagnostic(Severity.ERROR, "gone", SourceLocation("content/none.md", 3))
    state.finished("build failed", (missing,))
    assert "content/none.md:3:1: error: gone" in state.error_page()


def test_finishing_a_build_notifies_every_listener(tmp_path: Path) -> None:
    state = _state(tmp_path)
    queues: list[asyncio.Queue[int]] = [asyncio.Queue() for _ in range(3)]
    state.listeners.update(queues)
    state.finished(None, ())
    state.finished(None, ())
    assert [q.qsize() for q in queues] == [2, 2, 2]
    assert state.generation == 2 and state.failure is None
