"""Inputs of ``assemble`` built directly from the model, without the earlier stages."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lemmata.config import HomeConfig, SiteConfig
from lemmata.content import Document, Format, FrontMatter, Kind
from lemmata.errors import Diagnostic, SourceLocation
from lemmata.markup import Asset, Html, Link, Rendered
from lemmata.site import Site, assemble

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def day(text: str) -> datetime:
    """``2026-01-11`` at midnight UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def link(source: str, target: str, *, line: int = 5, column: int = 1, image: bool = False) -> Link:
    """A link found in ``source`` pointing at ``target`` (both site-relative)."""
    return Link(target, "", image, SourceLocation(source, line, column), f"line {line} of {source}")


@dataclass
class Fixture:
    """A tiny site: its folder, the documents and their renderings."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    rendered: dict[str, Rendered] = field(default_factory=dict)

    def file(self, path: str, data: str | bytes = "x") -> Path:
        """Write a non-document file (an image, a static file) into the site folder."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, "utf-8")
        return target

    def add(
        self,
        path: str,
        *,
        title: str | None = "Title",
        date: str | None = "2026-01-01",
        updated: str | None = None,
        category: str | None = None,
        tags: tuple[str, ...] = (),
        draft: bool = False,
        slug: str | None = None,
        html: str = "<p>Body.</p>",
        toc_html: str = "",
        excerpt_html: str = "",
        excerpt_text: str = "Excerpt.",
        rendered_title: str | None = None,
        links: tuple[Link, ...] = (),
        assets: tuple[Asset, ...] = (),
        reading_units: int = 100,
    ) -> Document:
        """Add a document under ``content/`` (a post under ``content/posts/``)."""
        kind = Kind.POST if path.startswith("content/posts/") else Kind.PAGE
        stem = posixpath.splitext(posixpath.basename(path))[0]
        bundle = posixpath.dirname(path) if stem == "index" else None
        text = f"---\ntitle: {title}\n---\nBody.\n"
        self.file(path, text)
        doc = Document(
            path=path,
            kind=kind,
            format=Format.MARKDOWN,
            text=text,
            body_start=len(text) - len("Body.\n"),
            body_line=4,
            meta=FrontMatter(
                title=title,
                date=day(date) if date and kind is Kind.POST else None,
                updated=day(updated) if updated else None,
                categories=(category,) if category else (),
                tags=tags,
                draft=draft,
            ),
            slug=slug or posixpath.basename(bundle or path.removesuffix(".md")),
            bundle_dir=bundle,
            content_hash=path,
        )
        self.documents.append(doc)
        self.rendered[path] = Rendered(
            body=Html.of(html),
            toc_html=toc_html,
            excerpt_html=excerpt_html,
            excerpt_text=excerpt_text,
            title=rendered_title,
            links=links,
            assets=assets,
            diagnostics=(),
            reading_units=reading_units,
            has_math=False,
            has_code=False,
        )
        return doc

    def config(self, *, base_url: str = "/", per_page: int = 10, **settings: object) -> SiteConfig:
        return SiteConfig(
            title="Notes",
            root=self.root,
            base_url=base_url,
            home=HomeConfig(per_page=per_page),
            **settings,  # type: ignore[arg-type]
        )

    def assemble(self, *, drafts: bool = False, future: bool = False, **settings: object) -> Site:
        """The site, with ``config(**settings)``."""
        config = self.config(**settings)  # type: ignore[arg-type]
        return assemble(
            config, self.documents, self.rendered, drafts=drafts, future=future, now=NOW
        )


def headlines(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [d.headline() for d in diagnostics]


@pytest.fixture
def site(tmp_path: Path) -> Fixture:
    return Fixture(tmp_path / "site")
