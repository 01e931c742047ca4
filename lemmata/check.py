"""``lemmata check``: build in memory, write nothing, report what a reader would trip on.

Beyond what every build reports (broken links and images, invalid math,
duplicate URLs), it checks links to ``#anchors`` against the target's
headings, empty titles, future-dated posts, and — with ``external`` — links
to other sites, with bounded concurrency and timeouts.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import unquote

import httpx

from lemmata.build import BuildOptions, Prepared, load, prepare
from lemmata.errors import Diagnostic, Severity, SourceText
from lemmata.reporter import Reporter

_ID = re.compile(r'\sid="([^"]+)"')
_EXTERNAL = re.compile(r'<a\s[^>]*href="(https?://[^"]+)"')
_BLANK_TITLE = re.compile(r"""^title\s*[:=]\s*(?:""|''|"\s+"|'\s+')?\s*$""", re.MULTILINE)
CONCURRENCY = 8
TIMEOUT_S = 10.0


def check_site(
    options: BuildOptions, reporter: Reporter, *, external: bool = False
) -> list[Diagnostic]:
    """Every problem found; raises only for configuration errors."""
    config = load(options)
    now = options.now or datetime.now(UTC)
    prepared = prepare(config, options, reporter, now=now)
    found = list(prepared.diagnostics)
    found += _anchors(prepared)
    found += _titles_and_dates(prepared, now, future_allowed=options.future)
    if external:
        found += asyncio.run(_external(prepared))
    if options.strict:
        found = [d.as_error() for d in found]
    return found


def _anchors(prepared: Prepared) -> Iterable[Diagnostic]:
    ids: dict[str, set[str]] = {}
    for path, rendered in prepared.rendered.items():
        # Every id in the body: headings' (written there as attributes) and any other.
        ids[path] = {html.unescape(found) for found in _ID.findall(rendered.html)}
    for path, rendered in prepared.rendered.items():
        for link in rendered.links:
            if not link.fragment or link.target not in ids:
                continue
            fragment = unquote(link.fragment)  # as written: links are percent-encoded
            if fragment not in ids[link.target]:
                where = "this page" if link.target == path else link.target
                yield Diagnostic(
                    Severity.ERROR,
                    f"broken anchor: #{fragment} is not a heading of {where}",
                    link.location,
                    link.source_line,
                )


def _titles_and_dates(
    prepared: Prepared, now: datetime, *, future_allowed: bool
) -> Iterable[Diagnostic]:
    for doc in prepared.documents:
        source = SourceText(doc.path, doc.text)
        if _BLANK_TITLE.search(doc.text[: doc.text.find("\n", 0) + 2000]):
            yield source.error("empty title", line=_line_of(doc.text, "title"))
        if doc.meta.date is not None and doc.meta.date > now and not doc.meta.draft:
            shown = doc.meta.date.date().isoformat()
            note = "" if future_allowed else "; it is left out until then (or build with --future)"
            yield source.warning(
                f"dated in the future ({shown}){note}", line=_line_of(doc.text, "date")
            )


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^{key}\s*[:=]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


async def _external(prepared: Prepared) -> list[Diagnostic]:
    """HEAD (then GET) each distinct external URL once; report where each is used."""
    uses: dict[str, list[tuple[str, str]]] = {}
    texts = {d.path: d.text for d in prepared.documents}
    for path, rendered in prepared.rendered.items():
        for url in dict.fromkeys(_EXTERNAL.findall(rendered.html)):
            uses.setdefault(url.replace("&amp;", "&"), []).append((path, texts[path]))
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(follow_redirects=True, timeout=TIMEOUT_S) as client:
        results = await asyncio.gather(*(_probe(client, limit, url) for url in uses))
    found: list[Diagnostic] = []
    for url, problem in zip(uses, results, strict=True):
        if problem is None:
            continue
        message, network = problem
        # An unreachable host may be a passing network fault: reported, not failed (--strict fails).
        severity = Severity.WARNING if network else Severity.ERROR
        for path, text in uses[url]:
            source = SourceText(path, text)
            offset = max(0, text.find(url))
            found.append(
                source.diagnostic(severity, f"external link {url}: {message}", offset=offset)
            )
    return found


async def _probe(
    client: httpx.AsyncClient, limit: asyncio.Semaphore, url: str
) -> tuple[str, bool] | None:
    """``None`` if the link works, else (message, is_network_error)."""
    async with limit:
        try:
            response = await client.head(url)
            if response.status_code in (405, 501) or response.status_code >= 400:
                response = await client.get(url)
        except httpx.HTTPError as exc:
            return f"unreachable ({type(exc).__name__})", True
    if response.status_code >= 400:
        return f"HTTP {response.status_code}", False
    return None
