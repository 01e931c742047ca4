"""Importing the posts of a static-site engine (Hexo, Jekyll, Hugo): the shared steps.

For each post file: read its front matter, map it to lemmata's keys, convert
the engine's tags, gather the images it uses, and hand the post to the
:class:`Destination`. A post that cannot be read is reported and skipped; the
others still import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lemmata.config import SiteConfig
from lemmata.content import slugify
from lemmata.errors import Diagnostic, Severity, SourceText, has_errors
from lemmata.importers._assets import Folders, gather_assets
from lemmata.importers._convert import Context, Dialect, convert
from lemmata.importers._frontmatter import read_source
from lemmata.importers._mapping import Rules, map_front_matter
from lemmata.importers._model import ImportReport, Outcome, Post, Result
from lemmata.importers._paths import shown
from lemmata.importers._writer import Destination


@dataclass(frozen=True, slots=True)
class PostFile:
    """One post file of the engine's site and what its place says about it."""

    path: Path
    slug: str
    """From the file (or bundle folder) name."""
    folders: Folders
    draft: bool = False
    """In a drafts folder."""
    date: date | None = None
    """From a ``YYYY-MM-DD-`` file name prefix."""
    categories: tuple[str, ...] = ()
    """Implied by the folder (Jekyll's ``category/_posts/``)."""
    skipped: str | None = None
    """Why this file is not a post to import (reported, not imported)."""


@dataclass(frozen=True, slots=True)
class Engine:
    """What differs between engines, besides where their posts are."""

    dialect: Dialect
    rules: Rules
    short_front_matter: bool = False
    """Hexo's front matter may omit its opening ``---``."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """Handed to tag handlers (the site folder, its includes)."""
    finish: Callable[[str], str] | None = None
    """A last rewrite of the converted body (Jekyll's inline ``$$``)."""


def import_posts(
    files: Iterable[PostFile],
    engine: Engine,
    config: SiteConfig,
    report: ImportReport,
    *,
    force: bool = False,
) -> None:
    """Import every file into the site of ``config``, recording each outcome in ``report``."""
    destination = Destination(config, force=force)
    for file in files:
        if file.skipped is not None:
            message = f"{shown(file.path)}: {file.skipped}; skipped"
            report.diagnostics.append(Diagnostic(Severity.WARNING, message))
            report.results.append(Result(shown(file.path), Outcome.SKIPPED))
            continue
        diagnostics: list[Diagnostic] = []
        post = _post(file, engine, config, diagnostics)
        report.diagnostics.extend(diagnostics)
        if post is None or has_errors(diagnostics):
            report.results.append(Result(shown(file.path), Outcome.FAILED))
            continue
        destination.write(post, shown(file.path), report)


def _post(
    file: PostFile, engine: Engine, config: SiteConfig, diagnostics: list[Diagnostic]
) -> Post | None:
    name = shown(file.path)
    try:
        text = file.path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        diagnostics.append(SourceText(name, "").error(f"not UTF-8 text ({exc.reason})"))
        return None
    except OSError as exc:
        diagnostics.append(SourceText(name, "").error(f"cannot read file: {exc.strerror}"))
        return None
    source = SourceText(name, text)
    split = read_source(source, diagnostics, short_form=engine.short_front_matter)
    if not split.ok:
        return None
    mapped = map_front_matter(split.data, engine.rules, source, diagnostics)
    front = mapped.front
    if "date" not in front:
        front = {"date": file.date or _modified(file.path, engine), **front}
        if "title" in front:
            front = {"title": front.pop("title"), **front}
    if file.categories and "category" not in front:
        categories = list(file.categories)
        front["category"] = categories[0] if len(categories) == 1 else categories
    if file.draft:
        front["draft"] = True
    context = Context(source, split.body_offset, diagnostics, front=split.data)
    context.data.update(engine.data)
    context.data["post"] = file
    body = convert(split.body, engine.dialect, context)
    if engine.finish is not None:
        body = engine.finish(body)
    body, assets = gather_assets(body, file.folders, source, diagnostics)
    slug = slugify(mapped.slug or file.slug, config.slug_style)
    return Post(str(file.path.resolve()), slug, front, body, assets=assets)


def _modified(path: Path, engine: Engine) -> datetime:
    """The file's modification time, in the engine's zone (else the machine's)."""
    moment = datetime.fromtimestamp(path.stat().st_mtime, tz=engine.rules.zone)
    moment = moment.replace(microsecond=0)
    return moment if moment.tzinfo else moment.astimezone()
