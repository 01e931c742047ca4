"""``lemmata import notebook``: Jupyter notebooks copied in as posts, outputs kept.

Front matter goes into ``metadata.lemmata``: whatever is there already, a
title from the first heading and a date from the file's modification time
when it has none. Images that Markdown cells take from beside the notebook
are copied with it (the post becomes a bundle).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

from lemmata.config import load_config
from lemmata.content import slugify
from lemmata.errors import Diagnostic, SourceText, UsageError
from lemmata.importers._assets import Folders, gather_assets
from lemmata.importers._model import Asset, ImportReport, Outcome, Post, PostFormat, Result
from lemmata.importers._paths import shown
from lemmata.importers._writer import Destination

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def import_notebooks(target: Path, site: Path, *, force: bool = False) -> ImportReport:
    """One notebook, or every notebook under a folder, into the site in ``site``."""
    config = load_config(site)
    if target.is_dir():
        files = sorted(p for p in target.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    elif target.is_file():
        files = [target]
    else:
        raise UsageError(f"{target}: no such file or folder")
    report = ImportReport()
    destination = Destination(config, force=force)
    for path in files:
        diagnostics: list[Diagnostic] = []
        post = _post(path, diagnostics, config.slug_style)
        report.diagnostics.extend(diagnostics)
        if post is None:
            report.results.append(Result(shown(path), Outcome.FAILED))
            continue
        destination.write(post, shown(path), report)
    return report


def _post(path: Path, diagnostics: list[Diagnostic], slug_style: Any) -> Post | None:
    name = shown(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(SourceText(name, "").error(f"cannot read notebook: {exc}"))
        return None
    source = SourceText(name, text)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostics.append(
            source.error(
                f"not a complete notebook (invalid JSON: {exc.msg})",
                line=exc.lineno,
                column=exc.colno,
            )
        )
        return None
    try:
        notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises many kinds for a malformed notebook
        message = str(exc).strip().split("\n", 1)[0]
        diagnostics.append(source.error(f"not a valid Jupyter notebook: {message}"))
        return None
    data: dict[str, Any] = json.loads(nbformat.writes(notebook))  # type: ignore[no-untyped-call]
    metadata = data.setdefault("metadata", {})
    front = dict(metadata.pop("lemmata", None) or {})
    if "title" not in front:
        title = _first_heading(data)
        if title:
            front = {"title": title, **front}
    if "date" not in front:
        modified = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        front["date"] = modified.replace(microsecond=0)
    assets = _cell_images(data, path, source, diagnostics)
    slug = slugify(str(front.get("slug") or path.stem), slug_style)
    body = json.dumps(data, ensure_ascii=False)
    return Post(str(path.resolve()), slug, front, body, format=PostFormat.NOTEBOOK, assets=assets)


def _first_heading(notebook: dict[str, Any]) -> str | None:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        found = _HEADING.search(_text(cell.get("source", "")))
        if found is not None:
            return found.group(1)
    return None


def _cell_images(
    notebook: dict[str, Any], path: Path, source: SourceText, diagnostics: list[Diagnostic]
) -> tuple[Asset, ...]:
    """Copy local images of Markdown cells; each cell's references are rewritten in place."""
    folders = Folders(site=path.parent, post_dir=path.parent)
    found: dict[str, Asset] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text, _ = gather_assets(_text(cell.get("source", "")), folders, source, diagnostics, found)
        cell["source"] = text
    return tuple(found.values())


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
