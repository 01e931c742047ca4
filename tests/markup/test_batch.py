"""render_documents: the render cache keeps what a document renders to, not a bad moment."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from lemmata.build import BuildOptions, build
from lemmata.config import load_config
from lemmata.content import load_documents
from lemmata.markup import _batch, _math, _render, render_documents, start_math_early
from lemmata.markup._math import MathEngine


def _site(root: Path, formula: str = "x^2") -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "lemmata.toml").write_text('title = "T"\nbase_url = "https://x.example/"\n')
    (root / "content" / "posts" / "a.md").write_text(
        f"---\ntitle: A\ndate: 2024-01-01\n---\n\nText with ${formula}$.\n", "utf-8"
    )
    return root


def _errors(root: Path) -> list[str]:
    config = load_config(root)
    documents, _ = load_documents(config)
    rendered = render_documents(documents, config, jobs=1)
    return [d.message for r in rendered.values() for d in r.diagnostics if d.is_error]


def test_an_internal_error_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path)

    def broken(*_args: object) -> str:
        raise RuntimeError("asset missing")

    with monkeypatch.context() as patch:
        patch.setattr(_render, "toc_html", broken)
        assert any("internal error" in m for m in _errors(root))
    assert _errors(root) == []  # rendered again, not served from the cache


def test_a_formula_timeout_is_neither_cached_nor_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path, r"\zeta_{\mathrm{never\,rendered\,before}}")  # not memoised yet
    original = MathEngine._render

    def timing_out(self: MathEngine, tex: str, display: bool, macros: str) -> _math.MathResult:
        return _math.MathResult(None, "formula took longer than 1 ms to render", transient=True)

    with monkeypatch.context() as patch:
        patch.setattr(MathEngine, "_render", timing_out)
        assert any("took longer" in m for m in _errors(root))
    assert MathEngine._render is original
    assert _errors(root) == []


_WORKERS_SCRIPT = """
import os, threading, sys
from pathlib import Path
from lemmata.build import BuildOptions, build
from lemmata.config import load_config
from lemmata.content import load_documents
from lemmata.markup import _batch, _math, render_documents

_batch._MIN_PER_WORKER = 1
methods = []
pool = _batch._pool
def recorded(*args):
    made = pool(*args)
    methods.append(made._mp_context.get_start_method())
    return made
_batch._pool = recorded
config = load_config(Path(sys.argv[1]))
documents, _ = load_documents(config)

def render(jobs):
    found = render_documents(documents, config, jobs=jobs, use_cache=False)
    return found

forked = render(2)
engine_untouched = threading.active_count() == 1  # no V8 thread: rendered elsewhere
stop = threading.Event()
threading.Thread(target=stop.wait).start()  # a second thread, as in the dev server
from_thread = render(2)
stop.set()
_math.engine()  # V8 running here: never fork again
after_engine = render(2)
alone = render(1)
assert forked == from_thread == after_engine == alone, "results differ"
print(methods, engine_untouched, flush=True)
os._exit(0)  # as the command line leaves: tearing down V8 at exit can hang
"""


def _run_script(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a Python process of its own, as a user's script would run."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_workers_are_forked_only_when_that_is_safe(tmp_path: Path) -> None:
    root = _site(tmp_path)
    for i in range(4):
        (root / "content" / "posts" / f"p{i}.md").write_text(
            f"---\ntitle: P{i}\ndate: 2024-01-0{i + 2}\n---\n\n$x_{i}$ and `code`.\n", "utf-8"
        )
    done = _run_script(_WORKERS_SCRIPT, str(root))
    assert done.returncode == 0, done.stderr
    # Fork from a lone thread with no engine of its own; spawn beside a thread or V8.
    assert done.stdout.split("\n")[0] == "['fork', 'spawn', 'spawn'] True"


_STREAM_SCRIPT = """
import os, sys, time
from pathlib import Path
from lemmata.build import BuildOptions, build
from lemmata.config import load_config
from lemmata.content import load_documents
from lemmata.markup import _batch, _render, render_documents

_batch._MIN_PER_WORKER = 1
_batch._CHUNK = 1
_batch._LOOKUP = 1
marker = Path(sys.argv[2])
original = _render.render_document

def render_document(doc, config):  # forked workers inherit this
    marker.write_text(doc.path)
    return original(doc, config)

_render.render_document = render_document
config = load_config(Path(sys.argv[1]))
documents, _ = load_documents(config)

def arriving():
    yield from documents[:2]
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    print("rendered before the rest arrived:", marker.exists(), flush=True)
    yield from documents[2:]

found = render_documents(arriving(), config, jobs=2, use_cache=False)
assert list(found) == [d.path for d in documents], "not in input order"
alone = render_documents(documents, config, jobs=1, use_cache=False)
assert found == alone, "results differ"
os._exit(0)
"""


def test_documents_are_rendered_while_the_rest_are_still_arriving(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    for i in range(4):
        (root / "content" / "posts" / f"p{i}.md").write_text(
            f"---\ntitle: P{i}\n---\n\n$y_{i}$ and text.\n", "utf-8"
        )
    done = _run_script(_STREAM_SCRIPT, str(root), str(tmp_path / "marker"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rendered before the rest arrived: True"


def _engines_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads that make math engines from now on (none made before counts)."""
    made: list[str] = []
    original = MathEngine.__init__

    def noted(self: MathEngine, *args: Any, **kwargs: Any) -> None:
        made.append(threading.current_thread().name)
        original(self, *args, **kwargs)

    monkeypatch.setattr(MathEngine, "__init__", noted)
    monkeypatch.setattr(_math, "_local", threading.local())
    return made


def test_a_small_rebuild_with_math_starts_the_engine_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    (root / "content" / "posts" / "b.md").write_text("---\ntitle: B\n---\n\nNo formula.\n")
    config = load_config(root)
    made = _engines_made(monkeypatch)
    for changed in (None, [], ["content/posts/b.md"], [f"content/posts/{i}.md" for i in range(32)]):
        start_math_early(config, changed)
    assert made == [] and getattr(_math._local, "starting", None) is None
    start_math_early(config, ["content/posts/b.md", "content/posts/a.md"])
    started = _math.engine(config.math.timeout_ms)
    assert made == ["lemmata-math-start"]
    assert started.render("y^2", display=False).ok
    assert _math.engine(config.math.timeout_ms) is started  # taken over, not made again
    start_math_early(config, ["content/posts/a.md"])  # this thread has one already
    assert made == ["lemmata-math-start"]


def test_an_edit_starts_the_engine_early_unless_it_left_the_formulas_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    options = BuildOptions(site_dir=root, jobs=1)
    build(options)
    post = root / "content" / "posts" / "a.md"

    def edited(addition: str) -> list[str]:
        made = _engines_made(monkeypatch)  # and this thread's engine forgotten
        post.write_text(post.read_text("utf-8") + addition, "utf-8")
        build(options)
        return made

    # The first edit since the full build: its formulas were typeset by no small rebuild.
    assert edited("\nMore words.\n") == ["lemmata-math-start"]
    assert edited("\nAnd more words, costing $5.\n") == []  # the same formula-like pieces
    assert edited("\nAnd $z_{new}$.\n") == ["lemmata-math-start"]
    assert edited("\nThe end.\n") == []
    page = (root / "public" / "posts" / "a" / "index.html").read_text("utf-8")
    assert page.count("<math") == 2 and "The end." in page


_EDIT_AND_BUILD_SCRIPT = """
import os, sys
from pathlib import Path
from lemmata.build import BuildOptions, build
from lemmata.markup import _math

post = Path(sys.argv[1]) / "content" / "posts" / "a.md"
post.write_text(post.read_text("utf-8") + "\\nAnd $z_{new}$.\\n", "utf-8")
build(BuildOptions(site_dir=Path(sys.argv[1]), jobs=1))
started = _math._local.engine
print(started is not None and started.render("a", display=False).ok, flush=True)
del started
_math._local.engine = None  # dropped here, not in the thread that made it
print(_math.engine().render("b", display=False).ok, flush=True)  # and another made
os._exit(0)  # as the command line leaves: tearing down V8 at exit can hang
"""


def test_an_engine_started_early_is_dropped_and_made_again_without_a_crash(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path)
    build(BuildOptions(site_dir=root, jobs=1))
    done = _run_script(_EDIT_AND_BUILD_SCRIPT, str(root))
    assert (done.returncode, done.stdout.split()) == (0, ["True", "True"]), done.stderr


_TYPESET_AND_EXIT_SCRIPT = """
from lemmata.markup import _math

print(_math.engine(2000).render("x^2", display=False).ok, flush=True)
"""  # then the interpreter exits as a user's script does, with the engine still there


def test_scripts_that_typeset_math_in_process_exit_side_by_side() -> None:
    # V8's teardown hung in most such exits when two ran at once (the command line
    # leaves by os._exit and never met it).
    for _ in range(3):
        running = [
            subprocess.Popen(
                [sys.executable, "-c", _TYPESET_AND_EXIT_SCRIPT],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        try:
            ended = [process.communicate(timeout=60) for process in running]
        finally:
            for process in running:
                process.kill()
        assert [process.returncode for process in running] == [0, 0], ended
        assert [out.strip() for out, _ in ended] == ["True", "True"]


def test_lookups_start_with_one_chunk_and_double_up_to_the_most() -> None:
    # A first build's workers start once one chunk is read, not a full batch.
    sizes = [len(batch) for batch in _batch._batches(iter(range(1000)), 32, 256)]  # type: ignore[arg-type]
    assert sizes == [32, 64, 128, 256, 256, 256, 8]
    assert [len(b) for b in _batch._batches(iter(range(20)), 32, 256)] == [20]  # type: ignore[arg-type]
