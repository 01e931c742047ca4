"""The typed, frozen form of ``lemmata.toml``.

Each field's docstring is the reference for that option; the README's
configuration table is written from these. Defaults here are the defaults,
and constraints beyond the type (bounds, checks) are declared in each field's
metadata with :func:`~lemmata.config._rules.rule`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lemmata.config import _checks
from lemmata.config._rules import rule

SlugStyle = Literal["pinyin", "unicode"]


@dataclass(frozen=True, slots=True)
class HomeConfig:
    """``[home]``: the front page."""

    hero: str = "INCOMING TRANSMISSION"
    """Banner line at the top of the home page."""
    heading: str = "LATEST UPDATES"
    """Heading above the stream of post cards."""
    per_page: int = field(default=10, metadata=rule(minimum=1))
    """Posts per page on the home page and on every list (categories, tags)."""


@dataclass(frozen=True, slots=True)
class MarkdownConfig:
    """``[markdown]``: how Markdown is read."""

    unsafe_html: bool = True
    """Pass raw HTML in Markdown through; ``false`` escapes it."""
    toc_depth: int = field(default=3, metadata=rule(minimum=2, maximum=6))
    """Deepest heading level listed in the table of contents (2–6)."""
    time_budget_s: int = field(default=60, metadata=rule(minimum=1))
    """Time budget for rendering one document; formulas past it are reported, not rendered."""


@dataclass(frozen=True, slots=True)
class MathConfig:
    """``[math]``: LaTeX rendering."""

    macros: Mapping[str, str] = field(default_factory=dict)
    """Site-wide macros, e.g. ``"\\\\R" = "\\\\mathbb{R}"``."""
    timeout_ms: int = field(default=2000, metadata=rule(minimum=1))
    """Time budget for one formula; a formula that takes longer is an error."""


@dataclass(frozen=True, slots=True)
class ExcerptConfig:
    """``[excerpt]``: automatic excerpts (when no summary or ``<!-- more -->``)."""

    chars: int = field(default=140, metadata=rule(minimum=1))
    """Length in characters for Chinese (CJK) text."""
    words: int = field(default=60, metadata=rule(minimum=1))
    """Length in words for Latin-script text."""


@dataclass(frozen=True, slots=True)
class CodeConfig:
    """``[code]``: syntax highlighting."""

    light_style: str = field(default="default", metadata=rule(check=_checks.code_style))
    """Pygments style for the light theme."""
    dark_style: str = field(default="github-dark", metadata=rule(check=_checks.code_style))
    """Pygments style for the dark theme."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """``[feeds]``: Atom and RSS."""

    enabled: bool = True
    """Write ``atom.xml`` and ``rss.xml``, site-wide and per category."""
    limit: int = field(default=20, metadata=rule(minimum=1))
    """Newest posts in each feed."""


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """``[search]``: the Pagefind index."""

    enabled: bool = True
    """Build a search index and show the search box."""
    part_size: int = field(default=1000, metadata=rule(minimum=1))
    """Indexed pages per part of the index, about: a build indexes again only the
    parts whose pages changed, and the search page merges the parts."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The whole site configuration."""

    title: str = field(metadata=rule(check=_checks.not_empty))
    """Site title (required)."""
    root: Path = field(metadata=rule(in_file=False))
    """The site folder (where ``lemmata.toml`` is); not read from the file."""
    base_url: str = field(default="/", metadata=rule(check=_checks.base_url))
    """Public URL of the site, e.g. ``https://name.github.io/notes/``; needed for absolute links in feeds and the sitemap."""
    description: str = ""
    """One line about the site, used in ``<meta>`` and feeds."""
    author: str = ""
    """Default author of every post."""
    language: str = field(default="en", metadata=rule(check=_checks.language_tag))
    """BCP 47 language tag of the site (``en``, ``zh-CN``…)."""
    timezone: str = field(default="UTC", metadata=rule(check=_checks.time_zone))
    """IANA time zone for dates written without an offset."""
    permalink: str = field(default="/posts/{slug}/", metadata=rule(check=_checks.post_permalink))
    """URL pattern of posts: ``{slug}``, ``{year}``, ``{month}``, ``{day}``, ``{category}``."""
    page_permalink: str = field(default="/{slug}/", metadata=rule(check=_checks.page_permalink))
    """URL pattern of pages: ``{slug}`` only (pages have no date or category)."""
    slug_style: SlugStyle = "pinyin"
    """How non-ASCII titles become slugs: ``pinyin`` (``zhu-yi-li``) or ``unicode`` (kept)."""
    output_dir: str = "public"
    """Output folder, relative to the site folder."""
    home: HomeConfig = field(default_factory=HomeConfig)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    math: MathConfig = field(default_factory=MathConfig)
    excerpt: ExcerptConfig = field(default_factory=ExcerptConfig)
    code: CodeConfig = field(default_factory=CodeConfig)
    feeds: FeedConfig = field(default_factory=FeedConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Anything under ``[extra]``, passed to templates as ``config.extra``."""
