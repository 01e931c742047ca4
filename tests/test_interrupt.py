"""Builds killed at random moments never leave a partial output folder."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import posts, write_lemmata

TRIALS = 24


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(site: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lemmata", "build", str(site), "-q", "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _retitle(site: Path, title: str) -> None:
    config = site / "lemmata.toml"
    text = config.read_text("utf-8")
    config.write_text(text.replace(text.split("\n")[0], f'title = "{title}"'), "utf-8")


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_a_complete_output(tmp_path: Path) -> None:
    site = write_lemmata(tmp_path / "site", posts(40, seed=7))
    # Two versions that differ on every page; each builds to a known, complete tree.
    trees = {}
    for title in ("Bench A", "Bench B"):
        _retitle(site, title)
        started = time.monotonic()
        assert _build(site).wait() == 0
        duration = time.monotonic() - started
        trees[title] = _tree(site / "public")
    assert trees["Bench A"] != trees["Bench B"]

    rng = random.Random(2026)
    completed = 0
    for trial in range(TRIALS):
        _retitle(site, "Bench A" if trial % 2 == 0 else "Bench B")
        process = _build(site)
        time.sleep(rng.uniform(0.05, duration * 1.3))
        process.send_signal(signal.SIGKILL)
        finished = process.wait() == 0
        completed += finished
        tree = _tree(site / "public")
        assert tree in trees.values(), f"partial output after SIGKILL in trial {trial}"

    assert completed < TRIALS  # most kills landed mid-build
    _retitle(site, "Bench B")
    assert _build(site).wait() == 0
    assert _tree(site / "public") == trees["Bench B"]
    leftovers = {p.name for p in site.iterdir() if p.name.startswith(".public.")}
    assert leftovers <= {".public.spare"}
