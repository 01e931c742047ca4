"""``lemmata import hexo|jekyll|hugo``: a whole site of another engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lemmata.config import load_config
from lemmata.errors import Diagnostic, UsageError
from lemmata.importers._engine import Engine, PostFile, import_posts
from lemmata.importers._hexo import hexo_site
from lemmata.importers._hugo import hugo_site
from lemmata.importers._jekyll import jekyll_site
from lemmata.importers._model import ImportReport

Finder = Callable[[Path, list[Diagnostic]], "tuple[list[PostFile], Engine] | None"]


def import_hexo(source: Path, site: Path, *, force: bool = False) -> ImportReport:
    """Every post of the Hexo site in ``source`` into the lemmata site in ``site``."""
    return _import(hexo_site, source, site, force)


def import_jekyll(source: Path, site: Path, *, force: bool = False) -> ImportReport:
    """Every post of the Jekyll site in ``source`` into the lemmata site in ``site``."""
    return _import(jekyll_site, source, site, force)


def import_hugo(source: Path, site: Path, *, force: bool = False) -> ImportReport:
    """Every post of the Hugo site in ``source`` into the lemmata site in ``site``."""
    return _import(hugo_site, source, site, force)


def _import(finder: Finder, source: Path, site: Path, force: bool) -> ImportReport:
    config = load_config(site)
    if not source.is_dir():
        raise UsageError(f"{source}: no such folder")
    report = ImportReport()
    found = finder(source, report.diagnostics)
    if found is not None:
        files, engine = found
        import_posts(files, engine, config, report, force=force)
    return report
