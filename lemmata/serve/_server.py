"""``lemmata serve``: build, serve, watch, rebuild, reload.

Builds run in a worker thread, one at a time; changes that arrive during a
build cause exactly one more build after it. Content errors never stop the
server: the browser shows them instead of the site until the file is fixed.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
import webbrowser
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from types import FrameType
from urllib.parse import urlsplit

import uvicorn

from lemmata import fingerprint
from lemmata.build import BuildOptions, BuildReport, build, load
from lemmata.cache import CACHE_DIR, keep_in_memory
from lemmata.errors import (
    BuildInterruptedError,
    ConfigError,
    ContentError,
    Diagnostic,
    LemmataError,
    UsageError,
)
from lemmata.reporter import Reporter
from lemmata.serve._app import make_app
from lemmata.serve._state import RELOAD_SCRIPT, ServeState
from lemmata.serve._watch import input_changes

DEBOUNCE_MS = 150
"""Editors save in bursts (write temp, rename): wait this long for quiet."""

BuildFunction = Callable[[BuildOptions, Reporter], BuildReport]
"""What the server calls to build (``lemmata.build.build`` unless a test swaps it)."""


def serve(
    options: BuildOptions,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    reporter: Reporter,
    build_site: BuildFunction = build,
) -> None:
    """Serve until interrupted. Raises :class:`UsageError` if the port is taken."""
    config = load(options)
    keep_in_memory()  # rebuilds reuse the documents already read
    base_path = urlsplit(config.base_url).path or "/"
    local_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}{base_path}"
    output = config.root / CACHE_DIR / "serve"
    options = replace(
        options,
        output_dir=output,
        base_url=local_url,
        extra_head=RELOAD_SCRIPT,
    )
    listener = _bind(host, port)
    state = ServeState(site_dir=config.root, output=output, base_path=base_path)
    if host not in ("127.0.0.1", "localhost", "::1"):
        reporter.error(f"serving on {host}: anyone on your network can read this site")
    server = _Server(
        state,
        uvicorn.Config(
            make_app(state),
            log_level="warning",
            timeout_graceful_shutdown=1,
            lifespan="off",
        ),
    )
    watcher = _Watcher(options, state, reporter, build_site)

    async def main() -> None:
        watching = await watcher.start()
        reporter.info(f"serving {config.root} at {local_url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(local_url)
        try:
            await server.serve(sockets=[listener])
        finally:
            state.closing = True
            watcher.stop.set()
            watcher.builder.shutdown(wait=False)
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    reporter.info("stopped")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use; choose another with --port") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    """Ends the reload streams as soon as shutdown starts, so Ctrl-C is quick and quiet."""

    def __init__(self, state: ServeState, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.state = state

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.state.closing = True
        super().handle_exit(sig, frame)


class _Watcher:
    def __init__(
        self,
        options: BuildOptions,
        state: ServeState,
        reporter: Reporter,
        build_site: BuildFunction = build,
    ) -> None:
        self.options = options
        self.build_site = build_site
        self.state = state
        self.reporter = reporter
        self.stop = asyncio.Event()
        self.lock = asyncio.Lock()
        self.pending = False
        # Every build on one thread: the math engine belongs to the thread that
        # made it, and a second V8 engine in another thread crashes the process.
        self.builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lemmata-build")
        self.built = False
        """Whether a first build (with a complete search index) has been made."""
        self.interrupt = threading.Event()
        """Set when a change comes in while the search index is brought up to date."""
        self.indexing = False
        """Whether the build running is the one bringing the search index up to date."""
        self.stale = False
        """Whether pages changed since the search index was last brought up to date."""

    async def start(self) -> asyncio.Task[None]:
        """Start watching, then make the first build; the task watching is returned.

        Watching first: a save made while the first build runs (a minute on a large
        site) is built right after it, not only with the next save.
        """
        watching = asyncio.create_task(self.watch())
        await asyncio.sleep(0)  # the watch task runs until it waits for changes
        await self.rebuild()
        return watching

    async def watch(self) -> None:
        # Each batch of changes starts a rebuild without waiting for the one running:
        # that one then builds again when it ends, or stops indexing for search.
        running: set[asyncio.Task[None]] = set()
        try:
            async for _batch in input_changes(self.state.site_dir, self.stop, DEBOUNCE_MS):
                task = asyncio.create_task(self.rebuild())
                running.add(task)
                task.add_done_callback(self._rebuilt)
                task.add_done_callback(running.discard)
        except OSError as exc:  # no more inotify watches, say: the site is still served
            self.reporter.error(f"changes are no longer watched: {exc}")
        finally:
            for task in running:
                task.cancel()

    def _rebuilt(self, task: asyncio.Task[None]) -> None:
        """Reports what a rebuild started by the watcher raised: nobody awaits it."""
        if not task.cancelled() and (exc := task.exception()) is not None:
            self.reporter.error(f"internal error while rebuilding: {type(exc).__name__}: {exc}")

    async def rebuild(self) -> None:
        if self.lock.locked():
            self.pending = True
            if self.indexing:  # that index is outdated already: show the change first
                self.interrupt.set()
            return
        async with self.lock:
            while True:
                self.pending = False
                before = await self._inputs()
                # After the first build, an edit is shown before the search index
                # catches up: indexing takes seconds on a large site.
                failure, diagnostics, stale = await self._in_builder(self.built)
                self.built = True
                self.stale |= stale  # a build skipped as unchanged leaves it as it was
                self.state.finished(failure, diagnostics)
                if self.stale and failure is None and not self.pending:
                    self.interrupt.clear()
                    self.indexing = True
                    try:
                        failure, diagnostics, self.stale = await self._in_builder(
                            False, interruptible=True
                        )
                    finally:
                        self.indexing = False
                    if failure is not None:
                        self.state.finished(failure, diagnostics)
                # The watcher can miss a change made while a build writes thousands of
                # files: the inputs are compared as well.
                if not self.pending and await self._inputs() != before:
                    self.pending = True
                if not self.pending:
                    break

    async def _inputs(self) -> str:
        """A digest of every input file's path, size and modification time."""
        loop = asyncio.get_running_loop()
        root = self.state.site_dir
        return await loop.run_in_executor(self.builder, lambda: fingerprint.inputs(root, "").key)

    async def _in_builder(
        self, keep_search_index: bool, *, interruptible: bool = False
    ) -> tuple[str | None, tuple[Diagnostic, ...], bool]:
        options = replace(
            self.options,
            keep_search_index=keep_search_index,
            interrupt=self.interrupt if interruptible else None,
        )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.builder, self._build_once, options)

    def _build_once(self, options: BuildOptions) -> tuple[str | None, tuple[Diagnostic, ...], bool]:
        """Build (in a worker thread); the outcome goes back to the event loop.

        Returns the failure, if any, the diagnostics, and whether the search index
        is still behind the pages: kept although pages changed, or interrupted.
        """
        keep_search_index = options.keep_search_index
        try:
            report = self.build_site(options, self.reporter)
        except BuildInterruptedError:
            self.reporter.info("search index left for later: a newer change came in")
            return None, (), True
        except (ContentError, ConfigError) as exc:
            self.reporter.diagnostics(exc.diagnostics)
            self.reporter.error("build failed; the browser shows the errors")
            return "build failed", tuple(exc.diagnostics), False
        except LemmataError as exc:
            self.reporter.error(str(exc))
            return str(exc), (), False
        except Exception as exc:  # the server must outlive any build failure
            self.reporter.error(f"internal error while building: {type(exc).__name__}: {exc}")
            return f"internal error: {exc}", (), False
        if self.built and not keep_search_index:  # the follow-up: its diagnostics are known
            if not report.skipped:
                self.reporter.info(f"search index updated in {report.seconds:.2f} s")
        else:
            self.reporter.diagnostics(report.diagnostics)
            if not report.skipped:
                self.reporter.info(
                    f"rebuilt {report.pages} pages ({report.written} files written)"
                    f" in {report.seconds:.2f} s"
                )
        return None, report.diagnostics, report.search_stale and not report.skipped
