"""The images of an imported article, downloaded or copied into the post's bundle.

An image that cannot be had is reported; a remote one then stays a link to
the original, a local one is left out. Only images are kept (by their media
type or, for local files, their name), and an SVG holding script, event
handlers or foreign content is refused: served from the site, it could run.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers._fetch import Fetcher, FetchError, read_file
from lemmata.importers._model import Asset
from lemmata.importers._urls import resolve

MAX_IMAGES = 200
_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "image/svg+xml": ".svg",
    "image/bmp": ".bmp",
}
_SUFFIXES = {*_TYPES.values(), ".jpeg"}
_ACTIVE_SVG = re.compile(
    rb"<script|\son\w+\s*=|javascript:|<foreignObject|<iframe|<embed|<object", re.I
)

Warn = Callable[[str, str], None]
"""Reports a problem with one image (its URL)."""


def gather_images(
    html: str,
    base_url: str,
    fetcher: Fetcher | None,
    folder: Path | None,
    warn: Warn,
    site_url: str | None = None,
) -> tuple[dict[str, str | None], tuple[Asset, ...]]:
    """Image URL → local name (``None``: leave it out), and the files to write.

    ``folder`` is the page's own folder for a page read from disk: local
    images are copied from it and never from outside it. Without a
    ``fetcher``, remote images stay links.
    """
    if not html.strip():
        return {}, ()
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    names: dict[str, str | None] = {}
    assets: dict[str, Asset] = {}
    for image in root.iter("img"):
        src = (image.get("src") or "").strip()
        if not src:
            continue
        url = resolve(src, base_url, site_url)
        if url in names:
            continue
        if len(assets) >= MAX_IMAGES:
            warn(f"more than {MAX_IMAGES} images; the rest stay links", url)
            break
        names[url] = _one(url, fetcher, folder, warn, assets)
    return names, tuple(assets.values())


def _one(
    url: str, fetcher: Fetcher | None, folder: Path | None, warn: Warn, assets: dict[str, Asset]
) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(url2pathname(unquote(parts.path)))
        return _local(path, url, folder, warn, assets)
    if parts.scheme not in ("http", "https"):
        return None
    if fetcher is None:
        return url
    try:
        fetched = fetcher.get(url)
    except FetchError as exc:
        warn(f"image not downloaded ({exc}); it stays a link to the original", url)
        return url
    suffix = _TYPES.get(fetched.content_type) or _guess(parts.path)
    if suffix is None:
        warn(f"not an image ({fetched.content_type or 'unknown type'}); it stays a link", url)
        return url
    if suffix == ".svg" and _ACTIVE_SVG.search(fetched.data):
        warn("SVG image with scripts or event handlers refused; it stays a link", url)
        return url
    name = _free_name(posixpath.basename(parts.path) or "image", suffix, assets)
    assets[name] = Asset(name, data=fetched.data)
    return name


def _local(
    path: Path, url: str, folder: Path | None, warn: Warn, assets: dict[str, Asset]
) -> str | None:
    resolved = path.resolve()
    if folder is None or not resolved.is_relative_to(folder.resolve()):
        warn("image outside the page's folder; left out", url)
        return None
    suffix = _guess(resolved.name)
    if suffix is None or not resolved.is_file():
        warn("image not found or not an image; left out", url)
        return None
    try:
        data = read_file(resolved)
    except FetchError as exc:
        warn(f"image not copied ({exc}); left out", url)
        return None
    if suffix == ".svg" and _ACTIVE_SVG.search(data):
        warn("SVG image with scripts or event handlers refused; left out", url)
        return None
    name = _free_name(resolved.name, suffix, assets)
    assets[name] = Asset(name, data=data)
    return name


def _guess(path: str) -> str | None:
    suffix = posixpath.splitext(path.lower())[1]
    if suffix in _SUFFIXES:
        return ".jpg" if suffix == ".jpeg" else suffix
    guessed = mimetypes.guess_type(path)[0]
    return _TYPES.get(guessed or "")


def _free_name(name: str, suffix: str, taken: dict[str, Asset]) -> str:
    stem = posixpath.splitext(unquote(name))[0]
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-")[:60] or "image"
    candidate, number = f"{stem}{suffix}", 2
    while candidate in taken:
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    return candidate
