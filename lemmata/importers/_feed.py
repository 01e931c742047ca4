"""``lemmata import feed``: one post per entry of an RSS or Atom feed.

feedparser reads the feed (never fetching anything itself: it gets bytes);
its own sanitiser is off so that MathJax's ``<script type="math/tex">`` is
still there when formulas are recovered. Each entry's content then takes the
same path as an article: held formulas and code, nh3, Markdown.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from lemmata.config import SiteConfig, load_config
from lemmata.content import slugify
from lemmata.errors import Diagnostic, Severity, SourceText, has_errors
from lemmata.importers._fetch import Fetcher, FetchError
from lemmata.importers._mapping import read_when
from lemmata.importers._model import ImportReport, Outcome, Post, Result
from lemmata.importers._paths import shown
from lemmata.importers._web import Messages, Origin, decode, hold, load, to_markdown
from lemmata.importers._writer import Destination


def import_feed(
    target: str, site: Path, *, force: bool = False, fetcher: Fetcher | None = None
) -> ImportReport:
    """Every entry of the feed at ``target`` (a URL or a file) into the site in ``site``."""
    config = load_config(site)
    report = ImportReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    name = shown(Path(target)) if Path(target).is_file() else target
    try:
        try:
            data, _, origin, _ = load(target, fetcher)
        except FetchError as exc:
            report.diagnostics.append(Diagnostic(Severity.ERROR, f"{name}: cannot fetch ({exc})"))
            report.results.append(Result(name, Outcome.FAILED))
            return report
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        if not parsed.entries:
            report.diagnostics.append(_unreadable(name, data, parsed))
            report.results.append(Result(name, Outcome.FAILED))
            return report
        destination = Destination(config, force=force)
        local = origin.folder is not None
        for index, entry in enumerate(parsed.entries, start=1):
            diagnostics: list[Diagnostic] = []
            label = f"{name} entry {index}"
            post = _post(
                entry, parsed.feed, origin, None if local else fetcher, config, diagnostics
            )
            report.diagnostics.extend(diagnostics)
            if post is None or has_errors(diagnostics):
                report.results.append(Result(label, Outcome.FAILED))
            else:
                destination.write(post, label, report)
    finally:
        if own:
            fetcher.close()
    return report


def _unreadable(name: str, data: bytes, parsed: Any) -> Diagnostic:
    problem = parsed.get("bozo_exception")
    line = getattr(problem, "getLineNumber", lambda: None)()
    why = str(problem).split("\n", 1)[0] if problem else "no entries"
    if line:
        return SourceText(name, decode(data)).error(f"not an RSS or Atom feed ({why})", line=line)
    return Diagnostic(Severity.ERROR, f"{name}: not an RSS or Atom feed ({why})")


def _post(
    entry: Any,
    feed: Any,
    origin: Origin,
    fetcher: Fetcher | None,
    config: SiteConfig,
    diagnostics: list[Diagnostic],
) -> Post | None:
    link = entry.get("link") or entry.get("id")
    source = str(link or f"{origin.name}#{entry.get('title', '')}")
    html, is_html = _content(entry)
    base = str(link or feed.get("link") or origin.base_url)
    entry_origin = Origin(origin.name, base, origin.folder)
    messages = Messages(entry_origin, "", diagnostics)
    if not is_html:
        html = "".join(f"<p>{_escape(p)}</p>" for p in html.split("\n\n"))
    try:
        root = lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        messages.error(f"entry {entry.get('title', '')!r} has unreadable content ({exc})")
        return None
    held = hold(root, messages)
    body, assets = to_markdown(
        lxml_html.tostring(root, encoding="unicode"), held, entry_origin, fetcher, messages
    )
    front: dict[str, Any] = {}
    title = " ".join(str(entry.get("title") or "").split())
    if title:
        front["title"] = title
    published = _when(entry, "published") or _when(entry, "updated")
    front["date"] = published or datetime.now(UTC).replace(microsecond=0)
    updated = _when(entry, "updated")
    if updated and updated != published:
        front["updated"] = updated
    terms = [str(t.get("term")).strip() for t in entry.get("tags", []) if t.get("term")]
    if terms:
        front["category"] = terms[0] if len(terms) == 1 else terms
    if entry.get("author"):
        front["author"] = str(entry["author"])
    if link:
        front["source_url"] = str(link)
    slug = slugify(title or str(link or "entry").rstrip("/").rsplit("/", 1)[-1], config.slug_style)
    return Post(source, slug, front, body, assets=assets)


def _content(entry: Any) -> tuple[str, bool]:
    """The entry's fullest text, and whether it is HTML."""
    for content in entry.get("content", []):
        if content.get("value"):
            return str(content["value"]), "html" in str(content.get("type", "text/html"))
    detail = entry.get("summary_detail") or {}
    summary = str(entry.get("summary") or "")
    return summary, "html" in str(detail.get("type", "text/html"))


def _when(entry: Any, key: str) -> datetime | date | None:
    """The date as the feed wrote it (keeping its offset), else feedparser's UTC reading."""
    # dict.get: feedparser's own get() answers "updated" with "published", and warns.
    written = dict.get(entry, key)
    if written:
        try:
            return email.utils.parsedate_to_datetime(str(written))
        except (TypeError, ValueError):
            pass
        try:
            return read_when(str(written), None)
        except ValueError:
            pass
    parsed = dict.get(entry, f"{key}_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
