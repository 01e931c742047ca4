"""What an importer produces (posts) and what an import run did (its report)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from lemmata.errors import Diagnostic


class PostFormat(StrEnum):
    MARKDOWN = "markdown"
    NOTEBOOK = "notebook"


@dataclass(frozen=True, slots=True)
class Asset:
    """A file that goes beside the post in its bundle folder."""

    name: str
    """Path inside the bundle, with forward slashes (``fig.png``, ``img/a.png``)."""
    source: Path | None = None
    """File to copy from, or ``None`` when ``data`` holds the bytes."""
    data: bytes | None = None
    """The bytes (downloaded images)."""


@dataclass(frozen=True, slots=True)
class Post:
    """One post ready to be written under ``content/posts/``."""

    source: str
    """Where it came from (an absolute path or a URL); re-imports are matched on this."""
    slug: str
    """Wanted file name (made unique among existing posts when written)."""
    front: Mapping[str, Any]
    """lemmata front matter, in the order it is written."""
    body: str
    """Markdown after the front matter; for a notebook, the notebook JSON."""
    format: PostFormat = PostFormat.MARKDOWN
    assets: tuple[Asset, ...] = ()


class Outcome(StrEnum):
    """What happened to one source."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Result:
    """One source's outcome."""

    source: str
    """The source as shown to the user."""
    outcome: Outcome
    path: str | None = None
    """Site-relative path of the post written (or kept)."""


@dataclass
class ImportReport:
    """Everything an import run did, for the summary and the exit code."""

    results: list[Result] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.is_error)

    @property
    def failed(self) -> bool:
        """Whether anything went wrong (an error, or a source that could not be imported)."""
        return any(d.is_error for d in self.diagnostics) or self.count(Outcome.FAILED) > 0
