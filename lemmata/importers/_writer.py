"""Writing imported posts under ``content/posts/``, safely when run again.

Each post records where it came from (``imported_from``) and a hash of the
text written (``import_hash``). A second import of the same source finds that
post instead of adding another one; it rewrites it only if the post is still
as imported (its current hash equals ``import_hash``), or with ``force``.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lemmata.config import SiteConfig
from lemmata.content import Format, discover, parse_document
from lemmata.errors import Diagnostic, Severity
from lemmata.importers._model import Asset, ImportReport, Outcome, Post, PostFormat, Result

POSTS_DIR = "content/posts"
IMPORTED_FROM = "imported_from"
IMPORT_HASH = "import_hash"


def text_hash(format: PostFormat | Format, body: str) -> str:
    """The hash recorded as ``import_hash``: of the Markdown body, or of a notebook's cells."""
    if format in (PostFormat.NOTEBOOK, Format.NOTEBOOK):
        try:
            cells = json.loads(body).get("cells", [])
        except (ValueError, AttributeError):
            cells = body
        canonical = json.dumps(cells, sort_keys=True, ensure_ascii=False)
    else:
        canonical = body.strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _Existing:
    path: str
    """Site-relative path of the post file."""
    recorded: str
    """``import_hash`` as written at import."""
    current: str
    """Hash of the text as it is now."""


class Destination:
    """The site's posts folder: which sources are already there, which slugs are taken."""

    def __init__(self, config: SiteConfig, *, force: bool = False) -> None:
        self.root = config.root
        self.force = force
        self._by_source: dict[str, _Existing] = {}
        self._taken: set[str] = set()
        for path, relative in discover(self.root):
            if not relative.startswith(POSTS_DIR + "/"):
                continue
            self._taken.add(_stem(relative))
            document = parse_document(config, relative, Path(path).read_bytes())
            self._taken.add(document.slug)
            source = document.meta.extra.get(IMPORTED_FROM)
            if isinstance(source, str):
                recorded = str(document.meta.extra.get(IMPORT_HASH, ""))
                current = text_hash(document.format, document.body)
                self._by_source[source] = _Existing(relative, recorded, current)
        posts = self.root / POSTS_DIR
        if posts.is_dir():
            self._taken.update(p.stem if p.is_file() else p.name for p in posts.iterdir())

    def write(self, post: Post, shown: str, report: ImportReport) -> None:
        """Write one post (or leave it alone) and record what happened in ``report``."""
        digest = text_hash(post.format, post.body)
        existing = self._by_source.get(post.source)
        if existing is not None and existing.current != existing.recorded and not self.force:
            report.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    f"{existing.path} was edited since it was imported from {shown}; "
                    "left as it is (use --force to overwrite)",
                )
            )
            report.results.append(Result(shown, Outcome.SKIPPED, existing.path))
            return
        if existing is not None and existing.recorded == digest and not self.force:
            report.results.append(Result(shown, Outcome.UNCHANGED, existing.path))
            return
        relative = self._place(post, existing)
        self._write_files(post, relative, digest)
        if existing is not None and existing.path != relative:
            (self.root / existing.path).unlink(missing_ok=True)
        self._by_source[post.source] = _Existing(relative, digest, digest)
        outcome = Outcome.IMPORTED if existing is None else Outcome.UPDATED
        report.results.append(Result(shown, outcome, relative))

    def _place(self, post: Post, existing: _Existing | None) -> str:
        suffix = ".ipynb" if post.format is PostFormat.NOTEBOOK else ".md"
        if existing is not None:
            stem = _stem(existing.path)
        else:
            stem = self._unique(post.slug)
            self._taken.add(stem)
        if post.assets:
            return f"{POSTS_DIR}/{stem}/index{suffix}"
        if existing is not None and existing.path.endswith(f"/{stem}/index{suffix}"):
            return existing.path
        return f"{POSTS_DIR}/{stem}{suffix}"

    def _unique(self, slug: str) -> str:
        candidate, number = slug, 2
        while candidate in self._taken:
            candidate = f"{slug}-{number}"
            number += 1
        return candidate

    def _write_files(self, post: Post, relative: str, digest: str) -> None:
        front = {**post.front, IMPORTED_FROM: post.source, IMPORT_HASH: digest}
        if post.format is PostFormat.NOTEBOOK:
            notebook = json.loads(post.body)
            notebook.setdefault("metadata", {})["lemmata"] = _plain(front)
            data = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        else:
            data = f"---\n{dump_yaml(front)}---\n\n{post.body.strip()}\n"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for asset in post.assets:
            _atomic_write(target.parent / asset.name, _asset_bytes(asset))
        _atomic_write(target, data.encode("utf-8"))


class _Dumper(yaml.SafeDumper):
    """Block mappings, but ``tags: [a, b]`` on one line."""


def _sequence(dumper: yaml.SafeDumper, data: Any) -> yaml.Node:
    flat = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(list, _sequence)
_Dumper.add_representer(tuple, _sequence)


def dump_yaml(data: dict[str, Any]) -> str:
    """Front matter as block YAML; dates as YAML timestamps."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Front matter for notebook metadata: JSON has no dates, so they become ISO strings."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in data.items()
    }


def _asset_bytes(asset: Asset) -> bytes:
    if asset.data is not None:
        return asset.data
    assert asset.source is not None
    return asset.source.read_bytes()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return
    temporary = path.with_name(f".{path.name}.importing")
    temporary.write_bytes(data)
    temporary.replace(path)


def _stem(relative: str) -> str:
    """``content/posts/a.md`` → ``a``; ``content/posts/a/index.md`` → ``a``."""
    name = posixpath.splitext(posixpath.basename(relative))[0]
    if name == "index" and relative.count("/") >= 3:
        return posixpath.basename(posixpath.dirname(relative))
    return name
