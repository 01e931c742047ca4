"""Finding the source files under ``content/``."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from lemmata.content._model import Format

CONTENT_DIR = "content"
DOCUMENT_SUFFIXES = {".md": Format.MARKDOWN, ".ipynb": Format.NOTEBOOK}


def discover(root: Path) -> list[tuple[Path, str]]:
    """(absolute path, site-relative path) of every document under ``root/content``.

    Sorted by site-relative path. Hidden files and folders (``.name``) and
    ``_``-prefixed ones (partials, drafts kept aside) are skipped.
    """
    found: list[tuple[Path, str]] = []
    for folder, dirs, files in os.walk(root / CONTENT_DIR):
        dirs[:] = [name for name in dirs if not name.startswith((".", "_"))]
        for name in files:
            if name.startswith((".", "_")) or format_of(name) is None:
                continue
            path = Path(folder) / name
            found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def format_of(path: str) -> Format | None:
    """The format of a source file by its suffix (``.md``, ``.ipynb``), else ``None``."""
    return DOCUMENT_SUFFIXES.get(posixpath.splitext(path)[1].lower())
