"""The build: every stage, in order, timed. Nothing here belongs to a stage.

    config → content → markup → site → theme → output
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lemmata import config as config_stage
from lemmata import content, output, site, theme
from lemmata.errors import ContentError, Diagnostic, has_errors
from lemmata.markup import render_documents
from lemmata.reporter import Reporter


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
    timings = _Timings()
    stage = timings.stage
    diagnostics: list[Diagnostic] = []

    with stage("config"):
        overrides = {"base_url": options.base_url} if options.base_url else {}
        config = config_stage.load_config(options.site_dir, overrides)
    out_dir = options.output_dir or (config.root / config.output_dir)

    with stage("content"):
        documents, found = content.load_documents(config)
        diagnostics += found
    with stage("markup"), reporter.progress("rendering", len(documents)) as tick:
        rendered = render_documents(documents, config, jobs=options.jobs, on_done=tick)
        for r in rendered.values():
            diagnostics += r.diagnostics
    with stage("site"):
        now = options.now or datetime.now(UTC)
        assembled = site.assemble(
            config, documents, rendered, drafts=options.drafts, future=options.future, now=now
        )
        diagnostics += assembled.diagnostics
    _check(diagnostics, options.strict)

    with stage("theme"):
        files = theme.render_site(assembled, config, extra_head=options.extra_head)
        files += output.feeds(assembled, config)
        files += [output.sitemap(assembled, config), output.robots_txt(config)]
    with stage("output"):
        published = output.publish(
            out_dir,
            [*assembled.files, *files],
            site_root=config.root,
            source_dirs=[config.root / name for name in ("content", "static", "templates")],
        )
    return BuildReport(
        output_dir=out_dir,
        pages=len(assembled.routes),
        files=published.files,
        diagnostics=tuple(diagnostics),
        timings=tuple(timings),
    )


def _check(diagnostics: list[Diagnostic], strict: bool) -> None:
    if strict:
        diagnostics[:] = [d.as_error() for d in diagnostics]
    if has_errors(diagnostics):
        raise ContentError(tuple(diagnostics))


class _Timings(list[tuple[str, float]]):
    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.append((name, time.perf_counter() - start))
