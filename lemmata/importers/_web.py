"""From web HTML to a post body: formulas and code held, sanitised, images fetched, Markdown.

Shared by ``import url`` (a whole page, whose article is extracted first) and
``import feed`` (each entry's content, already just the article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.errors import Diagnostic, Severity, SourceText, UsageError
from lemmata.importers._fetch import Fetcher, read_file
from lemmata.importers._html_code import hold_code
from lemmata.importers._html_math import hold_math
from lemmata.importers._images import gather_images
from lemmata.importers._markdown import Converter
from lemmata.importers._model import Asset
from lemmata.importers._paths import shown
from lemmata.importers._placeholders import Placeholders
from lemmata.importers._sanitize import sanitize

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where some HTML came from."""

    name: str
    """The URL or file, as shown in messages."""
    base_url: str
    """What relative links resolve against (a ``file:`` URL for a file)."""
    folder: Path | None = None
    """For a file: its folder, the only place local images are copied from."""
    site_url: str | None = None
    """For a file: the page's canonical URL, which ``/``-rooted paths resolve against."""


class Messages:
    """Warnings about one page, at its lines when known."""

    def __init__(self, origin: Origin, text: str, diagnostics: list[Diagnostic]) -> None:
        self._source = SourceText(origin.name, text)
        self._diagnostics = diagnostics
        self._name = origin.name

    def at_line(self, message: str, line: int | None) -> None:
        if line:
            self._diagnostics.append(self._source.warning(message, line=line))
        else:
            self._diagnostics.append(Diagnostic(Severity.WARNING, f"{self._name}: {message}"))

    def at_text(self, message: str, needle: str) -> None:
        """At the first line of the page containing ``needle`` (an image URL, say)."""
        found = self._source.text.find(needle)
        tail = needle.rsplit("/", 1)[-1]
        if found == -1 and tail:
            found = self._source.text.find(tail)
        self.at_line(message, self._source.location(found).line if found != -1 else None)

    def error(self, message: str) -> None:
        self._diagnostics.append(Diagnostic(Severity.ERROR, f"{self._name}: {message}"))


def decode(data: bytes, charset: str | None = None) -> str:
    """Page bytes as text: the HTTP charset, else the page's ``<meta charset>``, else UTF-8."""
    declared = _CHARSET.search(data[:4096])
    for candidate in (charset, declared.group(1).decode("ascii") if declared else None, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate).replace("\r\n", "\n")
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("utf-8", errors="replace")


def hold(
    root: lxml_html.HtmlElement, messages: Messages, *, dollars: bool | None = None
) -> Placeholders:
    """Hold the formulas and code of ``root`` (changed in place) until the Markdown is written."""
    held = Placeholders()
    hold_math(root, held, messages.at_line, dollars=dollars)
    hold_code(root, held)
    return held


def to_markdown(
    html: str,
    held: Placeholders,
    origin: Origin,
    fetcher: Fetcher | None,
    messages: Messages,
) -> tuple[str, tuple[Asset, ...]]:
    """Sanitised Markdown for article HTML, and the images to write beside it."""
    clean = sanitize(html)

    def warn(message: str, url: str) -> None:
        messages.at_text(f"{message}: {url}", url)

    images, assets = gather_images(
        clean, origin.base_url, fetcher, origin.folder, warn, origin.site_url
    )
    body = Converter(held, origin.base_url, images, origin.site_url).convert(clean)
    return body, assets


def without_title(body: str, title: str | None) -> str:
    """The body without a first heading that only repeats the title."""
    first, _, rest = body.lstrip().partition("\n")
    heading = re.match(r"^#{1,2} (.*)$", first)
    shown = re.sub(r"\\(.)", r"\1", heading.group(1)) if heading else ""
    if title and heading and " ".join(shown.split()) == " ".join(title.split()):
        return rest.lstrip("\n")
    return body


def load(target: str, fetcher: Fetcher) -> tuple[bytes, str | None, Origin, str]:
    """The bytes at ``target``, their charset, where they came from, and the source to record."""
    path = Path(target)
    if path.is_file():
        data = read_file(path)
        resolved = path.resolve()
        origin = Origin(shown(path), resolved.as_uri(), resolved.parent)
        return data, None, origin, str(resolved)
    if urlsplit(target).scheme.lower() in ("http", "https"):
        fetched = fetcher.get(target)
        return fetched.data, fetched.charset, Origin(target, fetched.url), target
    raise UsageError(f"{target}: expected an http(s) URL or an existing file")
