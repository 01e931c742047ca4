"""The build: every stage, in order, timed. Nothing here belongs to a stage.

config → content → markup → site → theme → output
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from lemmata import config as config_stage
from lemmata import fingerprint
from lemmata.cache import CACHE_DIR, writing_in_background
from lemmata.config import SiteConfig
from lemmata.errors import BuildInterruptedError, ContentError, Diagnostic, has_errors
from lemmata.reporter import Reporter

if TYPE_CHECKING:
    from lemmata.content import Document
    from lemmata.markup import Rendered
    from lemmata.site import Site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the user asked for on the command line."""

    site_dir: Path
    output_dir: Path | None = None
    """Defaults to ``config.output_dir`` inside the site folder."""
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    strict: bool = False
    """Treat warnings as errors."""
    jobs: int | None = None
    """Worker processes for rendering; ``None`` means one per core."""
    extra_head: str = ""
    """Raw HTML added to every page's ``<head>`` (the dev server's reload script)."""
    now: datetime | None = None
    """The moment that decides which posts are in the future; ``None`` means now."""
    keep_search_index: bool = False
    """Publish the live output's search index as it is instead of indexing again
    (the dev server shows an edit at once, then indexes in a second build)."""
    interrupt: Event | None = field(default=None, compare=False, repr=False)
    """Set from another thread to stop the build, before its next stage or while it
    indexes for search (the long step of a large site): it raises
    :class:`BuildInterruptedError` and the previous output stays as it was. The dev
    server sets it when a newer change makes the index being built moot."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a finished build did."""

    output_dir: Path
    pages: int
    """HTML pages written."""
    files: int
    """All files in the output."""
    diagnostics: tuple[Diagnostic, ...]
    timings: tuple[tuple[str, float], ...] = field(default=())
    """Seconds spent in each stage, in order."""
    written: int = 0
    """Files whose bytes changed."""
    skipped: bool = False
    """Nothing had changed since the previous build, so nothing was done."""
    search_stale: bool = False
    """Pages changed but the search index was kept as it was (``keep_search_index``):
    a build without that option brings it up to date."""

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.is_error)

    @property
    def seconds(self) -> float:
        return sum(t for _, t in self.timings)


def build(options: BuildOptions, reporter: Reporter | None = None) -> BuildReport:
    """Build the site; raises ``ConfigError``, ``ContentError`` or ``OutputError``.

    On any error the previous output folder is left exactly as it was.
    """
    reporter = reporter or Reporter(quiet=True)
    timings = _Timings(options.interrupt)
    stage = timings.stage

    with stage("config"):
        config = load(options)
    out_dir = (options.output_dir or (config.root / config.output_dir)).resolve()
    now = options.now or datetime.now(UTC)
    cache_dir = config.root / CACHE_DIR

    with stage("check"):
        read = fingerprint.inputs(config.root, repr((options, str(out_dir))))
        previous = fingerprint.load_state(cache_dir)
        if fingerprint.is_fresh(previous, read.key, out_dir, now):
            assert previous is not None and isinstance(previous.result, BuildReport)
            return replace(previous.result, timings=tuple(timings), skipped=True)
        # The stages are imported only now: a build with nothing to do is mostly
        # Python's imports, and theirs are 0.25 s (the previous build found the
        # output folder safe, and this one writes nothing).
        from lemmata import output, theme
        from lemmata.markup import start_math_early

        output.check_output_dir(out_dir, site_root=config.root, source_dirs=_sources(config))
        output.record_spare_meanwhile(out_dir, cache_dir)  # forks: before the math engine starts
        fingerprint.forget_state(cache_dir)
        start_math_early(config, fingerprint.changed_sources(previous, read))

    # Every build keeps its site for the next one: the rebuild after a first build
    # is as likely to follow a single edit as any other.
    prepared = prepare(config, options, reporter, timings, now, read, keep_site=True)
    assembled, diagnostics = prepared.site, prepared.diagnostics
    dates = [d.meta.date for d in prepared.documents if d.meta.date and not options.future]
    future = [d for d in dates if d > now]
    del prepared  # sources and rendered documents are not needed past here: free them
    _check(diagnostics, options.strict)

    with stage("pages"):  # rendered, indexed and written one at a time
        cache = theme.PageCache(cache_dir, out_dir)
        pages = theme.render_pages(
            assembled, config, extra_head=options.extra_head, cache=cache, jobs=options.jobs
        )
        # The first page starts the page workers; feeds and sitemap are made while they render.
        first = list(islice(pages, 1))
        others = [
            *output.feeds(assembled, config, cache.file),
            output.sitemap(assembled, config, cache.file),
        ]
        made = chain(first, pages, others, [output.robots_txt(config)])
        keep_index = options.keep_search_index and config.search.enabled
        if keep_index:
            files = output.with_live_search_index(made, out_dir)
        else:
            files = output.with_search_index(made, config, options.interrupt, cache_dir)
        published = output.publish(
            out_dir,
            chain(assembled.files, files),
            site_root=config.root,
            source_dirs=_sources(config),
            cache_dir=cache_dir,
        )
        cache.commit()
    report = BuildReport(
        output_dir=out_dir,
        pages=len(assembled.routes),
        files=published.files,
        diagnostics=tuple(diagnostics),
        timings=tuple(timings),
        written=published.written,
        search_stale=keep_index and published.written > 0,
    )
    summary = (published.files, published.bytes)
    fingerprint.record(cache_dir, read, out_dir, report, future, summary)
    return report


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything up to the site, before any page is rendered or written."""

    config: SiteConfig
    documents: tuple[Document, ...]
    rendered: dict[str, Rendered]
    site: Site
    diagnostics: list[Diagnostic]


def load(options: BuildOptions) -> SiteConfig:
    """The configuration, with command-line overrides."""
    overrides = {"base_url": options.base_url} if options.base_url else {}
    return config_stage.load_config(options.site_dir, overrides)


def prepare(
    config: SiteConfig,
    options: BuildOptions,
    reporter: Reporter,
    timings: _Timings | None = None,
    now: datetime | None = None,
    read: fingerprint.Inputs | None = None,
    *,
    keep_site: bool = False,
) -> Prepared:
    """content → markup → site, collecting every diagnostic (raises nothing for content).

    ``read``: the build's inputs, just listed (see :mod:`lemmata.fingerprint`).
    With them, the content stage need not look at each file again, and the site
    of the previous build is reused if only bodies changed since; with
    ``keep_site``, a site assembled afresh is kept for the next build.
    """
    from lemmata import content, site
    from lemmata.markup import render_documents

    stage = (timings or _Timings(options.interrupt)).stage
    diagnostics: list[Diagnostic] = []
    # One stage: documents are rendered while the rest are still being read.
    with stage("content+markup"):
        loading = content.DocumentStream(config, stamps=read.stamps if read else None)
        with reporter.progress("rendering", loading.expected) as tick:
            rendered = render_documents(loading, config, jobs=options.jobs, on_done=tick)
        documents, found = loading.result()
        diagnostics += found
        for r in rendered.values():
            diagnostics += r.diagnostics
    # The snapshots of a first build are written meanwhile, on the core the site leaves idle.
    with stage("site"), writing_in_background():
        settings = repr((config, options.drafts, options.future))
        assembled = site.assemble_kept(
            config,
            documents,
            rendered,
            drafts=options.drafts,
            future=options.future,
            now=now or options.now or datetime.now(UTC),
            cache_dir=config.root / CACHE_DIR,
            key=fingerprint.assembly_key(read, {d.path for d in documents}, settings)
            if read
            else None,
            keep=keep_site,
        )
        diagnostics += assembled.diagnostics
    return Prepared(config, documents, rendered, assembled, diagnostics)


def _sources(config: SiteConfig) -> list[Path]:
    return [config.root / name for name in ("content", "static", "templates")]


def _check(diagnostics: list[Diagnostic], strict: bool) -> None:
    if strict:
        diagnostics[:] = [d.as_error() for d in diagnostics]
    if has_errors(diagnostics):
        raise ContentError(tuple(diagnostics))


class _Timings(list[tuple[str, float]]):
    """Seconds spent in each stage; no stage starts once ``interrupt`` is set."""

    def __init__(self, interrupt: Event | None = None) -> None:
        super().__init__()
        self.interrupt = interrupt

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.interrupt is not None and self.interrupt.is_set():
            raise BuildInterruptedError(f"the build was interrupted before its {name} stage")
        start = time.perf_counter()
        try:
            yield
        finally:
            self.append((name, time.perf_counter() - start))
