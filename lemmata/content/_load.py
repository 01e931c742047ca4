"""Discovering source files and parsing each into a :class:`Document`."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lemmata.config import SiteConfig
from lemmata.content._frontmatter import Split, front_matter, split_front_matter
from lemmata.content._model import Document, Format, Kind
from lemmata.content._slug import slugify, split_date_prefix
from lemmata.errors import Diagnostic, SourceText

CONTENT_DIR = "content"
POSTS_DIR = "content/posts"
DOCUMENT_SUFFIXES = {".md": Format.MARKDOWN, ".ipynb": Format.NOTEBOOK}


def load_documents(config: SiteConfig) -> tuple[tuple[Document, ...], tuple[Diagnostic, ...]]:
    """Every document under ``content/``, sorted by path, and the problems found reading them."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for path, relative in discover(config.root):
        try:
            data = path.read_bytes()
        except OSError as exc:
            diagnostics.append(SourceText(relative, "").error(f"cannot read file: {exc.strerror}"))
            continue
        document = parse_document(config, relative, data, path)
        documents.append(document)
        diagnostics.extend(document.diagnostics)
    return tuple(documents), tuple(diagnostics)


def discover(root: Path) -> list[tuple[Path, str]]:
    """(absolute path, site-relative path) of every document, sorted; hidden and ``_`` files skipped."""
    found: list[tuple[Path, str]] = []
    content = root / CONTENT_DIR
    for folder, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in files:
            if name.startswith((".", "_")):
                continue
            if posixpath.splitext(name)[1].lower() in DOCUMENT_SUFFIXES:
                path = Path(folder) / name
                found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def parse_document(config: SiteConfig, relative: str, data: bytes, source_path: Path) -> Document:
    """Parse one file's bytes. Never raises on user input: problems become diagnostics."""
    diagnostics: list[Diagnostic] = []
    text = _decode(relative, data, diagnostics)
    source = SourceText(relative, text)
    suffix = posixpath.splitext(relative)[1].lower()
    form = DOCUMENT_SUFFIXES.get(suffix, Format.MARKDOWN)
    zone = ZoneInfo(config.timezone)
    if form is Format.NOTEBOOK:
        split = _notebook_front_matter(source, text, diagnostics)
        body, body_line = text, 1
    else:
        split = split_front_matter(source, text, diagnostics)
        body, body_line = split.body, split.body_line
    meta = front_matter(source, split, zone, diagnostics)

    stem = posixpath.splitext(posixpath.basename(relative))[0]
    bundle_dir = None
    if stem == "index" and relative.count("/") >= 2:
        bundle_dir = posixpath.dirname(relative)
        stem = posixpath.basename(bundle_dir)
    name, prefix_date = split_date_prefix(stem)
    if meta.date is None and prefix_date is not None:
        split.data = {**split.data, "date": prefix_date}
        meta = front_matter(source, split, zone, [])
    slug_source = meta.slug.strip("/") if meta.slug else name
    kind = Kind.POST if relative.startswith(POSTS_DIR + "/") else Kind.PAGE
    return Document(
        path=relative,
        source_path=source_path,
        kind=kind,
        format=form,
        text=text,
        body=body,
        body_line=body_line,
        meta=meta,
        slug=slugify(slug_source, config.slug_style),
        bundle_dir=bundle_dir,
        content_hash=hashlib.sha256(data).hexdigest(),
        diagnostics=tuple(diagnostics),
    )


def _decode(relative: str, data: bytes, diagnostics: list[Diagnostic]) -> str:
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        source = SourceText(relative, text)
        diagnostics.append(
            source.error(
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                line=line,
                column=len(good) - (good.rfind("\n") + 1) + 1 if column else 1,
            )
        )
        return text


def _notebook_front_matter(source: SourceText, text: str, diagnostics: list[Diagnostic]) -> Split:
    """Front matter of a notebook: ``metadata.lemmata``, or a leading raw cell of YAML."""
    try:
        notebook: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostics.append(
            source.error(f"invalid notebook JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
        )
        return Split()
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        diagnostics.append(source.error("not a Jupyter notebook: no list of cells", line=1))
        return Split()
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("lemmata"), dict):
        return Split(data=metadata["lemmata"])
    cells = notebook["cells"]
    if cells and isinstance(cells[0], dict) and cells[0].get("cell_type") == "raw":
        raw = cells[0].get("source", "")
        raw = "".join(raw) if isinstance(raw, list) else str(raw)
        if raw.startswith(("---", "+++")):
            line = _line_of_cell_source(text, 0)
            diagnostics_for_cell: list[Diagnostic] = []
            split = split_front_matter(source, raw, diagnostics_for_cell, first_line=line)
            # Positions inside a JSON string are approximate: keep the line, drop the column.
            diagnostics.extend(
                source.error(d.message, line=d.location.line if d.location else line)
                for d in diagnostics_for_cell
            )
            return split
    return Split()


def _line_of_cell_source(text: str, index: int) -> int:
    """Line of the JSON file where cell ``index``'s ``"source"`` starts (approximate)."""
    position = -1
    for _ in range(index + 1):
        position = text.find('"source"', position + 1)
        if position == -1:
            return 1
    return text.count("\n", 0, position) + 2
