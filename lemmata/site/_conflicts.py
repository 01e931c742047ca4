"""Two things wanting the same URL: documents, generated pages, static files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lemmata.content import Document
from lemmata.errors import Diagnostic, Severity, SourceLocation, SourceText
from lemmata.site._files import STATIC_DIR
from lemmata.site._model import OutputFile, Route


def duplicate_urls(docs: Sequence[Document], page_urls: Mapping[str, str]) -> list[Diagnostic]:
    """An error on each document that shares its URL with another, naming the other."""
    owners: dict[str, list[Document]] = {}
    for doc in docs:
        owners.setdefault(page_urls[doc.path], []).append(doc)
    problems = []
    for url, same in sorted(owners.items()):
        if len(same) < 2:
            continue
        for index, doc in enumerate(same):
            other = same[1] if index == 0 else same[0]
            problems.append(_at_top(doc, f"{doc.path} has the same URL {url} as {other.path}"))
    return problems


def taken_by_generated_pages(
    docs: Sequence[Document], page_urls: Mapping[str, str], routes: Sequence[Route]
) -> list[Diagnostic]:
    """An error on each document whose URL is that of a page lemmata generates (``/archive/``…)."""
    generated = {r.url: r for r in routes if r.template not in ("post.html", "page.html")}
    problems = []
    for doc in docs:
        route = generated.get(page_urls[doc.path])
        if route is not None:
            problems.append(
                _at_top(doc, f"{doc.path} has the same URL {route.url} as {_describe(route)}")
            )
    return problems


def hidden_static_files(files: Sequence[OutputFile], routes: Sequence[Route]) -> list[Diagnostic]:
    """A warning for each ``static/`` file that a generated page replaces in the output."""
    pages = {r.path: r for r in routes}
    problems = []
    for item in files:
        route = pages.get(item.path)
        if route is not None and item.source is not None:
            path = f"{STATIC_DIR}/{item.path}"
            problems.append(
                Diagnostic(
                    Severity.WARNING,
                    f"{path} is replaced in the output by {_describe(route)} ({route.url})",
                    SourceLocation(path, 1),
                )
            )
    return problems


def _describe(route: Route) -> str:
    context = route.context
    if route.template == "home.html":
        number = getattr(context.get("pagination"), "number", 1)
        return "the home page" if number == 1 else f"page {number} of the home page"
    if route.template == "terms.html":
        return f"the list of all {'categories' if context.get('kind') == 'category' else 'tags'}"
    if route.template == "list.html":
        term = getattr(context.get("term"), "name", "")
        return f"the list of the {context.get('kind', 'term')} {term!r}"
    if route.template in ("post.html", "page.html"):
        return f"the page of {getattr(context.get('entry'), 'source', 'a document')}"
    return f"the {route.template.removesuffix('.html')} page"


def _at_top(doc: Document, message: str) -> Diagnostic:
    return SourceText(doc.path, doc.text).error(message, line=1)
