"""Time from saving a post to the reload event, with the real dev server.

    python bench/serve.py [--saves 7]

Measured on the example site and on a generated 1,000-post site, without and
with its search index (Pagefind, rebuilt after the reload event): start
``lemmata serve`` on a free port, hold the reload channel open, then append a
line to a post and time until the ``reload`` event arrives. Prints the median
and the worst of several saves; with search, also the time until the index is
updated, and the time to the reload event for a save made while it is. The
baseline, measured in the same run, is the same server's answer time for a
page that did not change.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent))

from bench.corpus import posts, write_lemmata

EXAMPLE = Path(__file__).parent.parent / "example"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _index_hash(url: str) -> str | None:
    """The hashes of the search index's parts, or ``None`` while the site has none."""
    try:
        parts = httpx.get(url + "/pagefind/parts.json", timeout=5).json()
        hashes = []
        for part in ["", *parts]:
            entry = httpx.get(f"{url}/pagefind/{part}pagefind-entry.json", timeout=5)
            hashes.append(str(next(iter(entry.json()["languages"].values()))["hash"]))
        return " ".join(hashes)
    except (httpx.HTTPError, ValueError, KeyError, StopIteration):
        return None


def measure(
    site: Path, post: Path, saves: int
) -> tuple[list[float], list[float], list[float], float]:
    port = _port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "lemmata", "serve", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                httpx.get(url + "/", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        page = [time.perf_counter()]
        httpx.get(url + "/")
        page.append(time.perf_counter())
        events: list[float] = []
        arrived = threading.Event()

        def listen() -> None:
            with httpx.stream("GET", url + "/__lemmata/events", timeout=None) as stream:
                for line in stream.iter_lines():
                    if line.startswith("event: reload"):
                        events.append(time.perf_counter())
                        arrived.set()

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(1.0)
        original = post.read_text("utf-8")
        timings: list[float] = []
        indexed: list[float] = []
        busy: list[float] = []
        for n in range(saves):
            arrived.clear()
            index = _index_hash(url)
            started = time.perf_counter()
            post.write_text(original + f"\n\nEdited {n}: $x_{{{n}}}$.\n", "utf-8")
            if not arrived.wait(120):
                raise RuntimeError("no reload event")
            timings.append(events[-1] - started)
            # The search index follows the reload: let it finish before the next save.
            deadline = time.monotonic() + 120
            while index is not None and _index_hash(url) == index and time.monotonic() < deadline:
                time.sleep(0.05)
            if index is not None:
                indexed.append(time.perf_counter() - started)
            time.sleep(0.5)
        if indexed:  # a save while the index catches up with the one before
            for n in range(saves):
                arrived.clear()
                post.write_text(original + f"\n\nFirst {n}.\n", "utf-8")
                if not arrived.wait(120):
                    raise RuntimeError("no reload event")
                arrived.clear()
                time.sleep(0.3)  # the index has started
                started = time.perf_counter()
                post.write_text(original + f"\n\nSecond {n}.\n", "utf-8")
                if not arrived.wait(120):
                    raise RuntimeError("no reload event")
                busy.append(events[-1] - started)
        post.write_text(original, "utf-8")
        return timings, indexed, busy, page[1] - page[0]
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="save-to-reload benchmark")
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lemmata-serve-bench-"))
    example = work / "example"
    shutil.copytree(
        EXAMPLE, example, ignore=shutil.ignore_patterns("public", ".lemmata", ".public*")
    )
    big = write_lemmata(work / "big", posts(args.posts))
    searched = write_lemmata(work / "searched", posts(args.posts), search=True)
    cases = [
        ("example site", example, example / "content" / "posts" / "beam-search.md"),
        (f"{args.posts}-post site", big, big / "content" / "posts" / "note-00500.md"),
        (f"{args.posts} + search", searched, searched / "content" / "posts" / "note-00500.md"),
    ]
    for name, site, post in cases:
        timings, indexed, busy, page = measure(site, post, args.saves)
        print(
            f"{name:>16}: save → reload event median {statistics.median(timings) * 1000:.0f} ms, "
            f"worst {max(timings) * 1000:.0f} ms over {len(timings)} saves "
            f"(baseline: serving an unchanged page {page * 1000:.1f} ms)"
        )
        if indexed:
            print(
                f"{'':>16}  save → search index updated median {statistics.median(indexed):.2f} s"
            )
        if busy:
            print(
                f"{'':>16}  save while the index catches up → reload event median "
                f"{statistics.median(busy) * 1000:.0f} ms, worst {max(busy) * 1000:.0f} ms"
            )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
