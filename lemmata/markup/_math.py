"""LaTeX → MathML Core with Temml, running in an embedded V8 (mini-racer).

One :class:`MathEngine` per process: V8 contexts are not shared between
threads or processes, and loading Temml costs ~20 ms, so workers each make
their own on first use (:func:`engine`). Results are memoised per
(formula, display, macros) — notes repeat the same symbols constantly.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lemmata._vendor import asset_path
from lemmata.markup._fragments import remembered

_GLUE = r"""
function lemmataRender(tex, display, macrosJson) {
  try {
    var macros = JSON.parse(macrosJson);
    var html = temml.renderToString(tex, {
      displayMode: display, throwOnError: true, macros: macros,
      annotate: false, trust: false, strict: false, xml: false
    });
    return [true, html, -1];
  } catch (e) {
    if (e && e.name === "ParseError") {
      return [false, String(e.rawMessage || e.message), (e.position === undefined ? -1 : e.position)];
    }
    return [false, "engine: " + String(e), -1];
  }
}
function lemmataRenderMany(items, macrosJson, budgetMs) {
  var done = [], start = Date.now();
  for (var i = 0; i < items.length && (i === 0 || Date.now() - start < budgetMs); i++) {
    done.push(lemmataRender(items[i][0], items[i][1], macrosJson));
  }
  return JSON.stringify(done);
}
"""


@dataclass(frozen=True, slots=True)
class MathResult:
    """Either MathML, or an error message with a 0-based offset into the formula."""

    html: str | None
    error: str | None = None
    position: int | None = None
    """0-based character offset into the TeX source where Temml stopped, if known."""
    transient: bool = False
    """The failure says more about this moment than about the formula (a timeout,
    the engine out of memory): never remembered, tried again next time."""

    @property
    def ok(self) -> bool:
        return self.html is not None


class MathEngine:
    """Renders formulas with Temml; not thread-safe, one per process."""

    def __init__(self, timeout_ms: int = 2000) -> None:
        from py_mini_racer import MiniRacer  # only once a formula is not found kept: 36 ms

        self._ctx = MiniRacer()
        self._ctx.eval(asset_path("temml/temml.min.js").read_text("utf-8"))
        self._ctx.eval(_GLUE)
        self._timeout = timeout_ms
        self._timed_out = False
        self._cache: dict[tuple[str, bool, str], MathResult] = {}

    def render(self, tex: str, *, display: bool, macros: Mapping[str, str] = {}) -> MathResult:
        """Render one formula (without its delimiters)."""
        return self.render_json(tex, display, _json(macros))

    def render_json(self, tex: str, display: bool, macros_json: str) -> MathResult:
        """:meth:`render`, with the macros already as JSON."""
        key = (tex, display, macros_json)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._render(tex, display, macros_json)
        self._remember(key, result)
        return result

    def _remember(self, key: tuple[str, bool, str], result: MathResult) -> None:
        if len(self._cache) > 50_000:
            self._cache.clear()
        if not result.transient:
            self._cache[key] = result

    def render_many(
        self, formulas: Iterable[tuple[str, bool]], macros_json: str, deadline: float
    ) -> None:
        """Render ``(tex, display)`` formulas ahead, many per call into V8, into the memo.

        A call into V8 goes through mini-racer's event-loop thread and back: 1–2 ms
        on a busy 2-core machine, more than Temml takes for a typical formula, so
        one call for many makes fresh formulas several times faster. Formulas
        are started while less than half the time budget of one has passed, so a
        call of fast formulas never runs out of time. If a call does (one formula
        is slow) or fails, or ``deadline`` (``time.monotonic()``) passes, the
        formulas left are rendered one at a time by :meth:`render_json`, with the
        budget and report of their own.
        """
        todo = [f for f in dict.fromkeys(formulas) if (*f, macros_json) not in self._cache]
        while todo:
            left_ms = (deadline - time.monotonic()) * 1000
            if left_ms <= 0:
                return
            part = todo[:_MANY]
            script = (
                f"lemmataRenderMany({json.dumps(part)}, {json.dumps(macros_json)},"
                f" {min(self._timeout / 2, left_ms):.0f})"
            )
            try:
                answers = json.loads(str(self._ctx.eval(script, timeout=self._timeout)))
            except Exception as exc:  # mini-racer: timeout, out of memory, V8 error
                self._timed_out = self._timed_out or "Timeout" in type(exc).__name__
                return
            if not answers:
                return
            for (tex, display), (ok, text, position) in zip(part, answers, strict=False):
                self._remember((tex, display, macros_json), _result(tex, ok, text, position))
            todo = todo[len(answers) :]

    def memoised(self, tex: str, display: bool, macros_json: str) -> MathResult | None:
        """The formula's result if this engine has it already, else ``None``."""
        return self._cache.get((tex, display, macros_json))

    def close(self) -> None:
        """Free the V8 isolate now rather than at garbage collection."""
        if self._timed_out:
            # V8 reports a stopped call later, on mini-racer's event loop: one more
            # call lets that report arrive before the loop closes (else it is lost
            # with "Exception ignored … Event loop is closed" on the terminal).
            with contextlib.suppress(Exception):
                self._ctx.eval("0")
        self._ctx.close()

    def _render(self, tex: str, display: bool, macros_json: str) -> MathResult:
        try:
            ok, text, pos = self._ctx.call(
                "lemmataRender", tex, display, macros_json, timeout=self._timeout
            )
        except Exception as exc:  # mini-racer: timeout, out of memory, V8 error
            name = type(exc).__name__
            if "Timeout" in name:
                self._timed_out = True
                message = f"formula took longer than {self._timeout} ms to render"
                return MathResult(None, message, transient=True)
            return MathResult(None, f"math engine failed: {name}: {exc}", transient=True)
        return _result(tex, ok, text, pos)


def _result(tex: str, ok: Any, text: Any, position: Any) -> MathResult:
    """What ``lemmataRender`` answered for ``tex``."""
    if ok:
        return MathResult(str(text))
    message = str(text)
    if message.startswith("engine: "):
        return _engine_failure(tex, message.removeprefix("engine: "))
    return MathResult(None, _clean_message(message), int(position) if int(position) >= 0 else None)


def _engine_failure(tex: str, detail: str) -> MathResult:
    """Temml crashed instead of reporting a parse error; say what most likely caused it."""
    dangling = _DANGLING.search(tex)
    if dangling is not None:
        mark = dangling.group(1)
        return MathResult(None, f"expected something after '{mark}'", dangling.start())
    return MathResult(None, f"Temml could not render this formula ({detail})")


_DANGLING = re.compile(r"(?<!\\)([_^])\s*(?=$|[_^}&]|\\\\)")
"""A sub- or superscript with nothing after it: Temml crashes on these."""


def _clean_message(message: str) -> str:
    """Temml's message without its own position suffix and excerpt (we show a caret)."""
    message = message.strip()
    for marker in (" at position ", " at end of input"):
        cut = message.find(marker)
        if cut != -1:
            message = message[:cut]
    return message.removeprefix("ParseError: ").strip().rstrip(":")


def _json(macros: Mapping[str, str]) -> str:
    return json.dumps(dict(macros), sort_keys=True) if macros else "{}"


def render_ahead(
    formulas: Iterable[tuple[str, bool]],
    *,
    macros: Mapping[str, str],
    timeout_ms: int,
    deadline: float,
) -> None:
    """Render a document's ``(tex, display)`` formulas together, before the document.

    Each is then found memoised by :func:`render_formula` (see
    :meth:`MathEngine.render_many`). Formulas kept from earlier builds are
    left out, and the engine is not started for a lone formula.
    """
    macros_json = _json(macros)
    fresh = [f for f in formulas if not _formula.is_kept(*f, macros_json, timeout_ms)]
    if len(fresh) > 1:
        engine(timeout_ms).render_many(fresh, macros_json, deadline)


def rendered_already(tex: str, *, display: bool, macros: Mapping[str, str]) -> MathResult | None:
    """The formula as this thread's engine rendered it already (alone or ahead), if it did."""
    existing: MathEngine | None = getattr(_local, "engine", None)
    return existing.memoised(tex, display, _json(macros)) if existing is not None else None


def render_formula(
    tex: str, *, display: bool, macros: Mapping[str, str], timeout_ms: int
) -> MathResult:
    """One formula: as kept from an earlier build if it can be, else by this thread's engine."""
    return _formula(tex, display, _json(macros), timeout_ms)


def _by_engine(tex: str, display: bool, macros_json: str, timeout_ms: int) -> MathResult:
    return engine(timeout_ms).render_json(tex, display, macros_json)


_MANY = 500
"""Formulas sent to V8 in one call at most."""

_formula = remembered("math", _by_engine, keep=lambda result: not result.transient)

_local = threading.local()


def engine(timeout_ms: int = 2000) -> MathEngine:
    """This thread's engine, created on first use (or taken over from :func:`start_engine`)."""
    existing: MathEngine | None = getattr(_local, "engine", None)
    if existing is None or existing._timeout != timeout_ms:
        starting: _Starting | None = getattr(_local, "starting", None)
        if starting is not None:
            _local.starting = None
            existing = starting.result()
        if existing is None or existing._timeout != timeout_ms:
            existing = MathEngine(timeout_ms)
            _freed_before_exit(existing)
        _local.engine = existing
    return existing


def _freed_before_exit(made: MathEngine) -> None:
    """Free an engine made in the main thread as the interpreter begins to exit.

    Left to the interpreter's teardown, freeing it hung there: 7 of 10 runs of a
    script that typesets one formula, two such scripts side by side (mini-racer
    0.14; the command line leaves by ``os._exit`` and never met it). Other threads
    free theirs as they end: freeing an engine elsewhere crashed (see :class:`_Starting`).
    """
    freeing = weakref.finalize(made, made._ctx.close)
    freeing.atexit = threading.current_thread() is threading.main_thread()


def start_engine(timeout_ms: int) -> None:
    """Start this thread's engine in the background; :func:`engine` waits for it.

    V8 and Temml take ~0.17 s to start, most of it outside Python, so a build
    that knows early that it will render a formula overlaps that with reading
    its cached documents. Without an engine to take over (it failed to
    start), :func:`engine` starts one itself and reports what goes wrong.
    """
    if getattr(_local, "engine", None) is None and getattr(_local, "starting", None) is None:
        _local.starting = _Starting(timeout_ms)


class _Starting:
    """An engine being started by a thread of its own, which also frees it.

    Freeing an engine in a thread other than the one that made it crashed the
    interpreter (mini-racer 0.14, once Temml has run). So the thread stays,
    holding the engine's V8 context, until the engine is dropped, and frees the
    context itself while the thread that dropped it waits.
    """

    def __init__(self, timeout_ms: int) -> None:
        self._engine: MathEngine | None = None
        self._done = threading.Event()
        threading.Thread(
            target=self._start, args=(timeout_ms,), name="lemmata-math-start", daemon=True
        ).start()

    def _start(self, timeout_ms: int) -> None:
        try:
            started = MathEngine(timeout_ms)
            started.render("x", display=False)  # compiles Temml's hot paths
        except Exception:  # started again where it is needed, and reported there
            self._done.set()
            return
        context, unused, freed = started._ctx, threading.Event(), threading.Event()

        def dropped() -> None:  # where the engine was dropped: wait until it is freed
            unused.set()
            freed.wait(5)  # a new engine made meanwhile crashed the interpreter too

        weakref.finalize(started, dropped)
        self._engine = started
        del started
        self._done.set()
        unused.wait()
        context.close()
        freed.set()

    def result(self) -> MathEngine | None:
        """The engine, handed over: from now on only its taker holds it."""
        self._done.wait()
        engine, self._engine = self._engine, None
        return engine
