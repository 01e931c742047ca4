"""Mapping a request path to a file of the built site, and nothing else.

Every spelling of ``..`` (plain, percent-encoded, with backslashes), NUL
bytes, and symlinks that lead outside the site resolve to ``None``: the
server answers 404 and never reads a file from elsewhere.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

_TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xml": "application/xml",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".webmanifest": "application/manifest+json",
}
_BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".pf_meta": "application/octet-stream",
}


@dataclass(frozen=True, slots=True)
class Found:
    path: Path | None
    """The file to send, or ``None`` for 404."""
    redirect: str | None = None
    """Where to send the client instead (a folder asked for without its slash)."""


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TEXT_TYPES:
        return f"{_TEXT_TYPES[suffix]}; charset=utf-8"
    if suffix in _BINARY_TYPES:
        return _BINARY_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def find(root: Path, base_path: str, raw_path: str) -> Found:
    """The file for a request path under ``base_path`` (``/`` or ``/notes/``)."""
    decoded = raw_path
    # Decode repeatedly so that double-encoded dots cannot slip through.
    for _ in range(3):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    if "\x00" in decoded or "\\" in decoded:
        return Found(None)
    if not decoded.startswith(base_path) and decoded + "/" != base_path:
        return Found(None)
    relative = decoded[len(base_path) :] if decoded.startswith(base_path) else ""
    parts = [p for p in relative.split("/") if p]
    if any(p in (".", "..") or p.startswith("~") for p in parts):
        return Found(None)
    top = root.resolve()
    candidate = top.joinpath(*parts) if parts else top
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return Found(None)
    if resolved != top and top not in resolved.parents:
        return Found(None)
    if resolved.is_dir():
        if not raw_path.endswith("/"):
            return Found(None, redirect=raw_path + "/")
        try:
            index = (resolved / "index.html").resolve(strict=True)
        except (OSError, RuntimeError):
            return Found(None)
        return Found(index if top in index.parents and index.is_file() else None)
    return Found(resolved if resolved.is_file() else None)
