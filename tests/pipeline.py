"""Running the stages before the theme on a site folder, for tests of site and output."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lemmata.config import SiteConfig, load_config
from lemmata.content import load_documents
from lemmata.errors import Diagnostic
from lemmata.markup import render_documents
from lemmata.site import Site, assemble

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def assembled(
    root: Path, *, drafts: bool = False, future: bool = False
) -> tuple[SiteConfig, Site, list[Diagnostic]]:
    config = load_config(root)
    documents, found = load_documents(config)
    rendered = render_documents(documents, config, jobs=1, use_cache=False)
    site = assemble(config, documents, rendered, drafts=drafts, future=future, now=NOW)
    problems = [*found, *(d for r in rendered.values() for d in r.diagnostics), *site.diagnostics]
    return config, site, problems
