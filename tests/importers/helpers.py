"""A lemmata site to import into, and reading back what an import wrote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from lemmata.config import load_config
from lemmata.content import Document, parse_document
from lemmata.markup import Rendered, render_document
from tests.conftest import write_site

FIXTURES = Path(__file__).parent / "fixtures"


def new_site(tmp_path: Path) -> Path:
    """An empty lemmata site."""
    return write_site(tmp_path / "site", {})


@dataclass
class Written:
    """One post as the import wrote it, parsed and rendered by lemmata itself."""

    path: str
    text: str
    front: dict[str, object]
    document: Document
    rendered: Rendered

    @property
    def body(self) -> str:
        return self.document.body

    @property
    def errors(self) -> list[str]:
        found = [*self.document.diagnostics, *self.rendered.diagnostics]
        return [d.format() for d in found if d.is_error]

    @property
    def formulas(self) -> int:
        return self.rendered.html.count("<math")


def written(site: Path, relative: str) -> Written:
    config = load_config(site)
    path = site / relative
    data = path.read_bytes()
    document = parse_document(config, relative, data)
    text = data.decode("utf-8")
    if relative.endswith(".ipynb"):
        import json

        front = dict(json.loads(text)["metadata"]["lemmata"])
    else:
        front = yaml.safe_load(text.split("---\n", 2)[1])
    return Written(relative, text, front, document, render_document(document, config))


def posts(site: Path) -> list[str]:
    """Site-relative paths of every post file, sorted."""
    folder = site / "content" / "posts"
    return sorted(
        p.relative_to(site).as_posix() for p in folder.rglob("*") if p.suffix in (".md", ".ipynb")
    )
