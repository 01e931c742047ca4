"""Building documents and configs for rendering tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lemmata.config import SiteConfig
from lemmata.content import Document, parse_document
from lemmata.markup import Rendered, render_document

ROOT = Path("/nonexistent-site")


def config(**changes: Any) -> SiteConfig:
    return SiteConfig(title="Test", root=ROOT, **changes)


def document(text: str, path: str = "content/posts/note.md", **changes: Any) -> Document:
    return parse_document(changes.pop("site", None) or config(), path, text.encode())


def render(
    text: str, path: str = "content/posts/note.md", site: SiteConfig | None = None
) -> Rendered:
    site = site or config()
    return render_document(parse_document(site, path, text.encode()), site)
