"""Shared fixtures: tiny sites written inline, as text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

MakeSite = Callable[[Mapping[str, str | bytes]], Path]

DEFAULT_CONFIG = 'title = "Test Notes"\nbase_url = "https://example.org/"\n'


def write_site(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root``; add a config if none."""
    root.mkdir(parents=True, exist_ok=True)
    if "lemmata.toml" not in files:
        (root / "lemmata.toml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative POSIX path → bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """``make_site({"content/posts/a.md": "..."})`` → the site folder."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_site(tmp_path / "site", files)

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output (review the diff!)",
    )
