"""Parsing a document written inline, with a small site configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lemmata.config import SiteConfig
from lemmata.content import Document, parse_document

ROOT = Path("/site")


def site(**changes: Any) -> SiteConfig:
    return SiteConfig(title="T", root=ROOT, **changes)


def parse(text: str | bytes, path: str = "content/posts/note.md", **config: Any) -> Document:
    data = text if isinstance(text, bytes) else text.encode()
    return parse_document(site(**config), path, data)


def headlines(text: str | bytes, path: str = "content/posts/note.md", **config: Any) -> list[str]:
    return [d.headline() for d in parse(text, path, **config).diagnostics]
