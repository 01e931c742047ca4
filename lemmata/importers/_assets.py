"""Images and files a post refers to, found on disk and moved into its bundle.

After tags are converted, a post refers to its images as Markdown images and
links or ``<img src>``. Relative paths are looked up beside the post, paths
starting with ``/`` under the engine's static folders. Found files are copied
beside the post and the reference is rewritten to the copy's name; a folder
that belongs to the post (Hexo's post asset folder, a Hugo page bundle) is
copied whole.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lemmata.errors import Diagnostic, SourceText
from lemmata.importers._model import Asset
from lemmata.importers._scan import Code, Syntax, scan

_REFERENCE = re.compile(
    r"(?P<lead>!?\[(?:[^\]\\\n]|\\.)*\]\(\s*)(?P<url><[^>\n]*>|[^)\s]+)"
    r"|(?P<html><img\b[^>]*?\bsrc\s*=\s*[\"'])(?P<src>[^\"']+)",
    re.IGNORECASE,
)
_SKIPPED = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
_DOCUMENTS = (".md", ".markdown", ".html", ".htm", ".ipynb")


@dataclass
class Folders:
    """Where a post's references point to."""

    site: Path
    """The engine's site folder: nothing outside it is ever copied."""
    post_dir: Path
    """The post file's folder, for relative paths."""
    static: tuple[Path, ...] = ()
    """Folders that ``/path`` references are served from."""
    bundle: Path | None = None
    """A folder whose every file (but documents) belongs to the post."""


def gather_assets(
    body: str,
    folders: Folders,
    source: SourceText,
    diagnostics: list[Diagnostic],
    assets: dict[str, Asset] | None = None,
) -> tuple[str, tuple[Asset, ...]]:
    """``body`` with references to local files rewritten, and the files to copy.

    ``assets`` (name → asset) is shared by calls that fill the same bundle.
    """
    assets = {} if assets is None else assets
    by_file = {a.source.resolve(): name for name, a in assets.items() if a.source is not None}
    if folders.bundle is not None:
        for path in sorted(folders.bundle.rglob("*")):
            if _bundled(path, folders.bundle):
                name = path.relative_to(folders.bundle).as_posix()
                assets[name] = Asset(name, source=path)
                by_file[path.resolve()] = name
    code = [(c.start, c.end) for c in scan(body, Syntax.LIQUID, frozenset()) if isinstance(c, Code)]

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in code):
            return match.group(0)
        lead = match.group("lead") or match.group("html")
        written = match.group("url") or match.group("src")
        url = written[1:-1] if written.startswith("<") else written
        is_image = lead.startswith(("!", "<"))
        path = url.split("#", 1)[0].split("?", 1)[0]
        if not path or _SKIPPED.match(url) or path.lower().endswith(_DOCUMENTS):
            return match.group(0)
        found = _find(unquote(path), folders)
        if found is None:
            if is_image:
                diagnostics.append(
                    source.warning(
                        f"image {url} not found; the reference is left as it is",
                        offset=max(0, source.text.find(url)),
                    )
                )
            return match.group(0)
        name = by_file.get(found)
        if name is None:
            name = _free_name(found.name, assets)
            assets[name] = Asset(name, source=found)
            by_file[found] = name
        shown = f"<{name}>" if written.startswith("<") or " " in name else name
        return lead + shown

    return _REFERENCE.sub(replace, body), tuple(assets.values())


def _find(path: str, folders: Folders) -> Path | None:
    if path.startswith("/"):
        candidates = [root / path.lstrip("/") for root in folders.static]
    else:
        candidates = [folders.post_dir / path]
        if folders.bundle is not None:
            candidates.append(folders.bundle / path)
    site = folders.site.resolve()
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(site):
            return resolved
    return None


def _free_name(name: str, taken: dict[str, Asset]) -> str:
    stem, suffix = posixpath.splitext(re.sub(r"[^\w.-]+", "-", name) or "file")
    candidate, number = f"{stem}{suffix}", 2
    while candidate in taken:
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _bundled(path: Path, root: Path) -> bool:
    """A file of a bundle to copy: not hidden, and not a document (which would become a post)."""
    hidden = any(part.startswith((".", "_")) for part in path.relative_to(root).parts)
    return path.is_file() and not hidden and not path.name.lower().endswith(_DOCUMENTS)
