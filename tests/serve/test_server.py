"""The dev server over real HTTP: safety, types, live rebuilds, errors, shutdown."""

from __future__ import annotations

import asyncio
import io
import re
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from lemmata.build import BuildOptions, BuildReport
from lemmata.errors import BuildInterruptedError, ContentError, Diagnostic, Severity, SourceLocation
from lemmata.reporter import Reporter
from lemmata.serve._server import _Watcher
from lemmata.serve._state import RELOAD_PATH, ServeState
from tests.serve.conftest import Served, start

TRAVERSALS = [
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/%252e%252e/secret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "//..//secret.txt",
    "/posts/../../secret.txt",
    "/%00/../secret.txt",
    "/~/secret.txt",
]


def _raw_get(port: int, path: str) -> tuple[int, bytes]:
    """Send the path exactly as written (clients normalise ``..`` away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("latin-1")
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_spellings_get_404(served: Served, path: str) -> None:
    status, body = _raw_get(served.port, path)
    assert status in (400, 404)
    assert b"outside the site" not in body


def test_symlink_leading_outside_is_404(served: Served) -> None:
    link = served.site / ".lemmata" / "serve" / "escape.txt"
    link.symlink_to(served.site.parent / "secret.txt")
    assert _raw_get(served.port, "/escape.txt")[0] == 404


def test_content_types_and_no_listing(served: Served) -> None:
    expected = {
        "": "text/html; charset=utf-8",
        "atom.xml": "application/xml; charset=utf-8",
        "data.json": "application/json; charset=utf-8",
        "pic.png": "image/png",
    }
    for path, kind in expected.items():
        response = httpx.get(served.url + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == kind
        assert response.headers["cache-control"] == "no-store"
    expected_assets = {
        "style.*.css": "text/css; charset=utf-8",
        "theme.*.js": "text/javascript; charset=utf-8",
        "*.woff2": "font/woff2",
    }
    assets = served.site / ".lemmata" / "serve" / "assets"
    for pattern, kind in expected_assets.items():
        name = next(assets.glob(pattern)).name
        assert httpx.get(served.url + "assets/" + name).headers["content-type"] == kind
    svg = httpx.get(served.url + "icon.svg")
    assert svg.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert httpx.get(served.url + "assets/").status_code == 404  # no directory listing
    redirect = httpx.get(served.url + "posts/a", follow_redirects=False)
    assert redirect.status_code == 301 and redirect.headers["location"] == "/posts/a/"


def test_unknown_path_gets_the_sites_404(served: Served) -> None:
    response = httpx.get(served.url + "no/such/page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.text


def test_reload_script_only_when_serving(served: Served) -> None:
    assert RELOAD_PATH in httpx.get(served.url).text
    assert not (served.site / "public").exists()


def test_edit_appears_after_rebuild_and_errors_recover(served: Served) -> None:
    post = served.site / "content" / "posts" / "a.md"
    post.write_text(post.read_text().replace("Hello", "Edited greeting"))
    served.wait_for(lambda r: "Edited greeting" in r.text, "/posts/a/")

    post.write_text(post.read_text().replace("$x^2$", "$\\nosuchmacro$"))
    page = served.wait_for(lambda r: r.status_code == 500, "/posts/a/")
    assert "content/posts/a.md:6:" in page.text and "nosuchmacro" in page.text
    assert RELOAD_PATH in page.text
    assert served.process.poll() is None

    post.write_text(post.read_text().replace("$\\nosuchmacro$", "$y^3$"))
    served.wait_for(lambda r: r.status_code == 200 and "Edited greeting" in r.text, "/posts/a/")


def test_an_edit_is_shown_first_and_indexed_for_search_right_after(served: Served) -> None:
    def index_hash(response: httpx.Response) -> str:
        return str(response.json()["languages"]["en"]["hash"])

    entry = "/pagefind/pagefind-entry.json"
    before = index_hash(served.wait_for(lambda r: r.status_code == 200, entry))
    post = served.site / "content" / "posts" / "a.md"
    post.write_text(post.read_text().replace("Hello", "Hello searchable"))
    served.wait_for(lambda r: "Hello searchable" in r.text, "/posts/a/")
    served.wait_for(lambda r: r.status_code == 200 and index_hash(r) != before, entry)
    _, err = served.stop()
    lines = err.splitlines()
    rebuilt = max(i for i, line in enumerate(lines) if "rebuilt" in line)
    indexed = [i for i, line in enumerate(lines) if "search index updated" in line]
    assert indexed and indexed[-1] > rebuilt, err
    written = re.search(r"rebuilt (\d+) pages \((\d+) files written\)", lines[rebuilt])
    assert written is not None and 0 < int(written[2]) < int(written[1]), lines[rebuilt]


def test_burst_of_atomic_saves_coalesces(served: Served) -> None:
    post = served.site / "content" / "posts" / "a.md"
    for n in range(10):
        temporary = post.with_name(f".a.md.tmp{n}")
        temporary.write_text(
            post.read_text().replace("Hello", f"Burst {n}").replace(f"Burst {n - 1}", f"Burst {n}")
        )
        temporary.replace(post)
        time.sleep(0.01)
    served.wait_for(lambda r: "Burst 9" in r.text, "/posts/a/")
    time.sleep(1.0)
    _, err = served.stop()
    assert err.count("rebuilt") <= 4, err


def test_fifty_clients_with_reload_channels(served: Served) -> None:
    async def client(index: int) -> int:
        events_url = served.url.rstrip("/") + RELOAD_PATH
        async with httpx.AsyncClient(timeout=10) as http, http.stream("GET", events_url) as events:
            assert events.status_code == 200
            pages = [await http.get(served.url + p) for p in ("", "posts/a/", "atom.xml")]
            return sum(1 for page in pages if page.status_code == 200)

    async def everyone() -> list[int]:
        return await asyncio.gather(*(client(i) for i in range(50)))

    assert asyncio.run(everyone()) == [3] * 50


def test_sigint_stops_quickly_without_traceback_and_frees_the_port(served: Served) -> None:
    async def hold() -> None:
        events_url = served.url.rstrip("/") + RELOAD_PATH
        async with httpx.AsyncClient(timeout=10) as http, http.stream("GET", events_url):
            await asyncio.sleep(0.3)
            code, err = served.stop()  # waits for the exit (and fails after 15 s)
            assert code == 0
            assert "Traceback" not in err

    asyncio.run(hold())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", served.port))


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    from tests.conftest import write_site
    from tests.serve.conftest import SITE

    site = write_site(tmp_path / "other", SITE)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "lemmata", "serve", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} is already in use; choose another with --port" in result.stderr


def test_base_path_served_locally(tmp_path: Path) -> None:
    from tests.conftest import write_site
    from tests.serve.conftest import SITE

    site = write_site(
        tmp_path / "sub",
        {**SITE, "lemmata.toml": 'title = "S"\nbase_url = "https://a.github.io/notes/"\n'},
    )
    server = start(site)
    try:
        root = httpx.get(server.url, follow_redirects=False)
        assert root.status_code == 302 and root.headers["location"] == "/notes/"
        page = httpx.get(server.url + "notes/posts/a/")
        assert page.status_code == 200 and 'href="/notes/' in page.text
    finally:
        server.stop()


def test_listening_on_all_interfaces_warns(tmp_path: Path) -> None:
    from tests.conftest import write_site
    from tests.serve.conftest import SITE

    server = start(write_site(tmp_path / "open", SITE), "--host", "0.0.0.0")
    _, err = server.stop()
    assert "serving on 0.0.0.0: anyone on your network can read this site" in err


def _fake_report(options: BuildOptions) -> BuildReport:
    return BuildReport(output_dir=options.site_dir, pages=1, files=1, diagnostics=())


def test_changes_during_a_build_cause_exactly_one_more_build(tmp_path: Path) -> None:
    started = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    def slow_build(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append(threading.get_ident())
        started.set()
        release.wait(10)
        return _fake_report(options)

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), slow_build)

    async def scenario() -> None:
        first = asyncio.create_task(watcher.rebuild())
        await asyncio.to_thread(started.wait, 10)
        # The event loop stays free while the build runs in its thread.
        await asyncio.gather(*(watcher.rebuild() for _ in range(5)))
        release.set()
        await first

    asyncio.run(scenario())
    assert len(calls) == 2
    assert threading.get_ident() not in calls
    assert state.generation == 2 and state.failure is None


def test_builds_run_on_one_thread_and_the_search_index_follows_an_edit(tmp_path: Path) -> None:
    # The math engine belongs to the thread that made it; a second one crashed the server.
    calls: list[tuple[int, bool]] = []

    def build_site(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append((threading.get_ident(), options.keep_search_index))
        report = _fake_report(options)
        return replace(report, search_stale=options.keep_search_index)

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), build_site)

    async def scenario() -> None:
        for _ in range(4):
            # Other work keeps the event loop's own threads busy meanwhile.
            busy = [asyncio.create_task(asyncio.to_thread(time.sleep, 0.05)) for _ in range(2)]
            await watcher.rebuild()
            await asyncio.gather(*busy)

    asyncio.run(scenario())
    # The first build indexes; each later one keeps the index, then a second build indexes.
    assert [keep for _, keep in calls] == [False, True, False, True, False, True, False]
    assert len({thread for thread, _ in calls}) == 1
    assert state.generation == 4


def test_a_change_while_the_search_index_catches_up_is_shown_first(tmp_path: Path) -> None:
    # Indexing a large site takes tens of seconds: a newer change must not wait for it.
    calls: list[tuple[bool, bool]] = []
    interrupted: list[bool] = []
    indexing = threading.Event()

    def build_site(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append((options.keep_search_index, options.interrupt is not None))
        if options.interrupt is not None and len(calls) == 3:  # the first follow-up
            indexing.set()
            interrupted.append(options.interrupt.wait(10))
            if interrupted[-1]:
                raise BuildInterruptedError("interrupted")
        return replace(_fake_report(options), search_stale=options.keep_search_index)

    post = tmp_path / "content" / "a.md"
    post.parent.mkdir()
    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), build_site)

    async def scenario() -> None:
        await watcher.rebuild()  # the first build, with its index
        watching = asyncio.create_task(watcher.watch())
        await asyncio.sleep(0.3)  # the watcher is watching
        post.write_text("an edit")
        await asyncio.to_thread(indexing.wait, 10)
        post.write_text("a change while the edit is indexed")
        while len(calls) < 5:
            await asyncio.sleep(0.05)
        watcher.stop.set()
        await watching

    asyncio.run(scenario())
    # first build; the edit; its index, interrupted; the change; its index, finished.
    assert calls == [(False, False), (True, False), (False, True), (True, False), (False, True)]
    assert interrupted == [True]
    assert state.generation == 3 and state.failure is None


def test_the_search_index_catches_up_when_the_next_build_finds_nothing_changed(
    tmp_path: Path,
) -> None:
    # A change seen while a build runs that has already read it: the build after
    # finds nothing new, yet the index still lags behind the first one.
    calls: list[bool] = []
    reading = threading.Event()
    release = threading.Event()

    def build_site(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append(options.keep_search_index)
        report = replace(_fake_report(options), search_stale=options.keep_search_index)
        if len(calls) == 2:
            reading.set()
            release.wait(10)
        if len(calls) == 3:  # what a build skipped as unchanged returns
            report = replace(report, skipped=True)
        return report

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), build_site)

    async def scenario() -> None:
        await watcher.rebuild()  # the first build, with its index
        edit = asyncio.create_task(watcher.rebuild())
        await asyncio.to_thread(reading.wait, 10)
        await watcher.rebuild()  # the same edit, seen again while it is built
        release.set()
        await edit

    asyncio.run(scenario())
    # first build; the edit; nothing new; the edit's index.
    assert calls == [False, True, True, False]


def test_a_save_during_the_first_build_is_built_after_it(tmp_path: Path) -> None:
    calls: list[int] = []
    post = tmp_path / "content" / "a.md"
    post.parent.mkdir()

    def build_site(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append(len(calls))
        if len(calls) == 1:  # a save after the first build has read the post
            post.write_text("saved during the first build")
            time.sleep(0.5)
        return _fake_report(options)

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), build_site)

    async def scenario() -> None:
        watching = await watcher.start()
        for _ in range(100):
            if len(calls) == 2:
                break
            await asyncio.sleep(0.05)
        watcher.stop.set()
        await watching

    asyncio.run(scenario())
    assert calls == [0, 1]


def test_a_change_the_watcher_missed_during_a_build_is_built_after_it(tmp_path: Path) -> None:
    calls: list[int] = []
    post = tmp_path / "content" / "a.md"
    post.parent.mkdir()
    post.write_text("before")

    def build_site(options: BuildOptions, reporter: Reporter) -> BuildReport:
        calls.append(len(calls))
        if len(calls) == 1:  # saved while the build runs, and nobody is watching
            post.write_text("saved during the build")
        return _fake_report(options)

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(BuildOptions(site_dir=tmp_path), state, Reporter(quiet=True), build_site)
    asyncio.run(watcher.rebuild())
    assert calls == [0, 1]


def test_a_rebuild_that_fails_outside_the_build_is_reported(tmp_path: Path) -> None:
    # Rebuilds the watcher starts are not awaited: what one raises must still be seen.
    post = tmp_path / "content" / "a.md"
    post.parent.mkdir()
    printed = io.StringIO()
    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    watcher = _Watcher(
        BuildOptions(site_dir=tmp_path), state, Reporter(printed), lambda o, r: _fake_report(o)
    )

    async def broken_inputs() -> str:
        raise RuntimeError("the inputs could not be read")

    watcher._inputs = broken_inputs  # type: ignore[method-assign]

    async def scenario() -> None:
        watching = asyncio.create_task(watcher.watch())
        await asyncio.sleep(0.3)  # the watcher is watching
        post.write_text("an edit")
        for _ in range(100):
            if "could not be read" in printed.getvalue():
                break
            await asyncio.sleep(0.05)
        watcher.stop.set()
        await watching

    asyncio.run(scenario())
    assert "internal error while rebuilding: RuntimeError: the inputs could not be read" in (
        printed.getvalue()
    )


def test_a_failing_build_becomes_the_error_page_not_an_exit(tmp_path: Path) -> None:
    where = SourceLocation("content/posts/a.md", 2, 4)
    problem = Diagnostic(Severity.ERROR, "Undefined control sequence", where, "x")

    def failing_build(options: BuildOptions, reporter: Reporter) -> BuildReport:
        raise ContentError([problem])

    def crashing_build(options: BuildOptions, reporter: Reporter) -> BuildReport:
        raise RuntimeError("boom")

    state = ServeState(site_dir=tmp_path, output=tmp_path / "out", base_path="/")
    printed = io.StringIO()
    reporter = Reporter(printed, color=False)
    asyncio.run(_Watcher(BuildOptions(site_dir=tmp_path), state, reporter, failing_build).rebuild())
    assert state.failure is not None and state.diagnostics == (problem,)
    assert "content/posts/a.md:2:4: error: Undefined control sequence" in printed.getvalue()
    assert "content/posts/a.md:2:4" in state.error_page()

    asyncio.run(
        _Watcher(BuildOptions(site_dir=tmp_path), state, reporter, crashing_build).rebuild()
    )
    assert state.failure == "internal error: boom"
    assert "RuntimeError: boom" in printed.getvalue()


def test_lemmata_build_output_has_no_reload_script(tmp_path: Path) -> None:
    from lemmata.build import build
    from tests.conftest import write_site
    from tests.serve.conftest import SITE

    site = write_site(tmp_path / "plain", SITE)
    report = build(BuildOptions(site_dir=site, jobs=1), Reporter(quiet=True))
    pages = list(report.output_dir.rglob("*.html"))
    assert pages
    assert all(RELOAD_PATH not in page.read_text("utf-8") for page in pages)
