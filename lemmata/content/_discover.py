"""Finding the source files under ``content/``."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from lemmata.content._model import Format

CONTENT_DIR = "content"
DOCUMENT_SUFFIXES = {".md": Format.MARKDOWN, ".ipynb": Format.NOTEBOOK}


def discover(root: Path, listed: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(absolute path, site-relative path) of every document under ``root/content``.

    Sorted by site-relative path. Hidden files and folders (``.name``) and
    ``_``-prefixed ones (partials, drafts kept aside) are skipped. Plain
    strings, not ``Path`` objects: a site may hold thousands of files.
    ``listed``, the site-relative paths of every file under ``content/`` when
    the caller has just listed them, spares walking the folders again.
    """
    if listed is not None:
        # A part set aside starts with "." or "_": it follows a "/" of ``/<path>``.
        start = len(CONTENT_DIR)
        return sorted(
            (f"{root}/{relative}", relative)
            for relative in listed
            if relative.startswith(CONTENT_DIR + "/")
            and "/." not in relative[start:]
            and "/_" not in relative[start:]
            and format_of(relative) is not None
        )
    found: list[tuple[str, str]] = []
    top = f"{root}/{CONTENT_DIR}"
    for folder, dirs, files in os.walk(top):
        dirs[:] = [name for name in dirs if not _aside(name)]
        inside = CONTENT_DIR + folder[len(top) :]
        for name in files:
            if _aside(name) or format_of(name) is None:
                continue
            found.append((f"{folder}/{name}", f"{inside}/{name}"))
    return sorted(found, key=lambda item: item[1])


def _aside(name: str) -> bool:
    """Whether a file or folder is left out of the site: hidden, or ``_``-prefixed."""
    return name.startswith((".", "_"))


def format_of(path: str) -> Format | None:
    """The format of a source file by its suffix (``.md``, ``.ipynb``), else ``None``."""
    return DOCUMENT_SUFFIXES.get(posixpath.splitext(path)[1].lower())
