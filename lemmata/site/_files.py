"""Files published as they are: everything under ``static/``, and the files of a bundle."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Collection, Iterator
from pathlib import Path

from lemmata.site._model import OutputFile

STATIC_DIR = "static"

KEPT_HIDDEN = frozenset({".well-known", ".nojekyll", ".htaccess"})
"""Hidden names that hosts read (ACME challenges, GitHub Pages, Apache); other
hidden files (``.keep``, ``.DS_Store``, ``.git``) are never published."""

_JUNK = frozenset({"Thumbs.db", "desktop.ini"})
_DOCUMENT_SUFFIXES = frozenset({".md", ".ipynb"})


def static_files(root: Path) -> list[OutputFile]:
    """Every file under ``static/``, at the same place under the output root."""
    folder = root / STATIC_DIR
    return [
        OutputFile(relative, source=str(folder / relative))
        for relative in _walk(folder, keep_hidden=KEPT_HIDDEN)
    ]


def bundle_files(
    root: Path, bundle_dir: str, page_folder: str, nested: Collection[str]
) -> list[OutputFile]:
    """The files of a bundle (``NAME/index.md`` and what is beside it), copied beside its page.

    Sources (``.md``, ``.ipynb``), hidden and ``_`` files stay private, and a
    nested bundle's folder belongs to that bundle. ``page_folder`` is the output
    folder of the page, e.g. ``posts/fig/``.
    """
    inside = [inner + "/" for inner in nested if inner.startswith(bundle_dir + "/")]
    found = []
    for relative in _walk(root / bundle_dir, keep_hidden=()):
        name = posixpath.basename(relative)
        if name.startswith("_") or posixpath.splitext(name)[1].lower() in _DOCUMENT_SUFFIXES:
            continue
        site_path = f"{bundle_dir}/{relative}"
        if site_path.startswith(tuple(inside)):
            continue
        found.append(OutputFile(page_folder + relative, source=str(root / site_path)))
    return found


def is_published_static(relative: str) -> bool:
    """Whether a path under ``static/`` is copied (so links to it can point at its URL)."""
    parts = relative.split("/")
    return not any(_skipped(part, KEPT_HIDDEN) for part in parts)


def _walk(folder: Path, *, keep_hidden: Collection[str]) -> Iterator[str]:
    """Relative paths of the files under ``folder``, sorted, skipping hidden and junk names."""
    if not folder.is_dir():
        return
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skipped(d, keep_hidden))
        base = Path(here).relative_to(folder).as_posix()
        for name in sorted(names):
            if not _skipped(name, keep_hidden):
                yield name if base == "." else f"{base}/{name}"


def _skipped(name: str, keep_hidden: Collection[str]) -> bool:
    if name.startswith(".") and name not in keep_hidden:
        return True
    return name in _JUNK or name.endswith("~")
