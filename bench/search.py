"""Search index size, indexing time, and time to the first result in Chromium.

    python bench/search.py [--posts 1000]

For the example site and a generated site: the Pagefind index's size on disk,
the time the build spends in Pagefind (inside the ``pages`` stage) next to the whole
build as the baseline, and — in headless Chromium — the median time from
opening ``/search/?q=…`` to the first result on screen.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent.parent))

from bench.corpus import posts, write_lemmata
from lemmata.build import BuildOptions, build
from lemmata.output import _pagefind
from tests.browser import launch_chromium, serve_folder

EXAMPLE = Path(__file__).parent.parent / "example"


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def _indexing_seconds() -> Iterator[list[float]]:
    """Time every run of Pagefind in the block (it runs inside the ``pages`` stage)."""
    spent: list[float] = []
    original = _pagefind.index

    def timed(*args: Any) -> None:
        started = time.perf_counter()
        try:
            original(*args)
        finally:
            spent.append(time.perf_counter() - started)

    _pagefind.index = timed
    try:
        yield spent
    finally:
        _pagefind.index = original


def measure(name: str, site: Path, queries: list[str]) -> None:
    out = site / "public"
    with _indexing_seconds() as indexing:
        report = build(BuildOptions(site_dir=site, output_dir=out))
    index = out / "pagefind"
    first_result = []
    with serve_folder(out) as url, launch_chromium() as browser:
        page = browser.new_page()
        for query in queries * 3:
            started = time.perf_counter()
            page.goto(f"{url}/search/?q={quote(query)}")
            page.wait_for_selector(".search-result", timeout=20_000)
            first_result.append(time.perf_counter() - started)
    print(
        f"{name:>16}: index {_size(index) / 1024:.0f} KiB in {len(list(index.rglob('*')))} files; "
        f"indexing {sum(indexing):.2f} s of a {report.seconds:.2f} s build; "
        f"first result in the browser: median {statistics.median(first_result) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="search benchmark")
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lemmata-search-bench-"))
    example = work / "example"
    shutil.copytree(
        EXAMPLE, example, ignore=shutil.ignore_patterns("public", ".lemmata", ".public*")
    )
    big = work / "big"
    write_lemmata(big, posts(args.posts), search=True)
    measure("example site", example, ["梯度", "bucket sort", "LoRA 微调"])
    measure(f"{args.posts}-post site", big, ["梯度", "attention", "矩阵 kernel"])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
