"""Rendering every route of the site with Jinja2.

One environment renders every page: autoescaping on, undefined names are
errors, and a site's ``templates/`` folder is searched before the theme's.
Content HTML reaches templates as data and is inserted with ``|safe``; it is
never evaluated as template code.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping
from contextlib import suppress
from dataclasses import fields as dataclass_fields
from datetime import date
from functools import lru_cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from lemmata._hashing import file_digest
from lemmata.cache import code_version
from lemmata.config import SiteConfig
from lemmata.errors import ContentError, Diagnostic, SourceText
from lemmata.output import feed_urls
from lemmata.site import DERIVED, DETAILS, Entry, OutputFile, Route, Site, Urls
from lemmata.theme._assets import theme_assets
from lemmata.theme._pagecache import (
    DETAILS_READ,
    Digests,
    KeptDigests,
    PageCache,
    ShownEntries,
    SiteView,
    templates_digest,
)
from lemmata.theme._parallel import render_all

TEMPLATES = Path(str(files("lemmata.theme"))) / "templates"

# Applied before first paint, so a stored dark choice never flashes light; the
# ``js`` class lets the stylesheet hide controls that only work with scripts.
THEME_BOOT = (
    "document.documentElement.classList.add('js');"
    "try{var t=localStorage.getItem('lemmata-theme');"
    "if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}"
)

SECTIONS = {
    "home": "/",
    "archive": "/archive/",
    "categories": "/categories/",
    "tags": "/tags/",
    "search": "/search/",
}
"""The site's own sections, reachable in templates as ``links.<name>``."""

NAV_PAGE_SLUGS = ("about",)
"""Pages linked from the header, when the site has them."""


def render_site(site: Site, config: SiteConfig, *, extra_head: str = "") -> list[OutputFile]:
    """Every page of the site, plus the theme's fingerprinted assets."""
    return list(render_pages(site, config, extra_head=extra_head))


def render_pages(
    site: Site,
    config: SiteConfig,
    *,
    extra_head: str = "",
    cache: PageCache | None = None,
    jobs: int | None = 1,
) -> Iterator[OutputFile]:
    """Every page of the site, one at a time, then the theme's fingerprinted assets.

    With a ``cache``, a page whose inputs are those of a page in the live output
    is not rendered: it comes as that file, to be linked rather than copied.
    The others are rendered over up to ``jobs`` processes (``None``: one per core).
    """
    urls = Urls(config)
    assets = theme_assets(config.code.light_style, config.code.dark_style)
    asset_urls = {name: urls.url("/" + item.path) for name, item in assets.items()}
    overrides = config.root / "templates"
    env = environment(overrides, cache.cache_dir if cache is not None else None)
    view = SiteView(site)
    data = {
        "config": config,
        "feeds": feed_urls(config),
        "lang": config.language,
        "links": {name: urls.url(path) for name, path in SECTIONS.items()},
        "nav_pages": _nav_pages(site.pages, urls),
        "favicon": _favicon(config, urls),
        "theme_boot": THEME_BOOT,
        "extra_head": extra_head,
    }
    env.globals.update(data, site=view, url=urls.url, absolute=urls.absolute)
    env.globals["asset"] = asset_urls.__getitem__
    env.globals["card"] = _Cards(env, view)
    shared: list[object] = [templates_digest([overrides, TEMPLATES]), data, asset_urls]
    keys = _Keys(site, shared, cache)

    env.noting = view.note_details

    def render(
        route: Route,
    ) -> tuple[bytes, frozenset[str], str, bytes, list[tuple[tuple[str, str], KeptDigests]]]:
        """The page, the ``site`` attributes it read, its key, its bytes' digest and the
        digests of entries made for the key: made where it is rendered, in a worker
        process for a large build, sparing the build process (which writes every
        page) a third of its work there. The entries' digests come back to be kept
        for the next build, which needs them to key only the pages that changed."""
        view.used = set()
        html = _render(env, route, config).encode("utf-8")
        used = frozenset(view.used)
        key = keys.key(route, used) if cache is not None else ""
        return html, used, key, file_digest(html), keys.made()

    plan: list[OutputFile | Route] = []
    for route in site.routes:
        live = cache.reusable(route.path, partial(keys.holds, route)) if cache else None
        plan.append(live or route)
    todo = [item for item in plan if isinstance(item, Route)]
    rendered = render_all(render, todo, jobs)
    for item in plan:
        if isinstance(item, OutputFile):
            yield item
            continue
        html, used, key, data_digest, made = next(rendered)
        if cache is not None:
            cache.rendered(item.path, key, used)
            keys.keep(made)
        yield OutputFile(item.path, data=html, data_digest=data_digest)
    yield from assets.values()


class _Cards:
    """``card(entry)``: the entry's ``partials/card.html``, rendered once per build.

    An entry is listed on several pages (home, its category, its tags), and a
    card reads only its entry and the globals, so each is rendered once and
    reused. The ``site`` attributes a card read are noted again on every page
    that shows it, so page keys stay complete.
    """

    def __init__(self, env: Environment, view: SiteView) -> None:
        self._env = env
        self._view = view
        self._made: dict[int, tuple[Entry, Markup, set[str]]] = {}

    def __call__(self, entry: Entry) -> Markup:
        made = self._made.get(id(entry))
        if made is None or made[0] is not entry:
            outer = self._view.used
            self._view.used = set()
            try:
                html = Markup(self._env.get_template("partials/card.html").render(entry=entry))
                made = self._made[id(entry)] = (entry, html, self._view.used)
            finally:
                self._view.used = outer | self._view.used
        else:
            self._view.used |= made[2]
        return made[1]


_NAMING = frozenset(f.name for f in dataclass_fields(Site) if f.metadata.get(DERIVED))
"""Attributes of ``site`` that name others."""


class _Keys:
    """Page keys: what every page reads, its route, and the parts of ``site`` it reads;
    entries count without their details on a page that read none."""

    def __init__(self, site: Site, shared: list[object], cache: PageCache | None) -> None:
        self._site = site
        kept, retitled = cache.entry_digests(site) if cache else ({}, frozenset[str]())
        # Made before this build's digests update the kept ones.
        shown = ShownEntries(site, kept, retitled)
        whole, without_details = Digests.pair(kept)
        self._kept = kept
        self._digests = {True: whole, False: without_details}
        self._shared = whole.of(shared)
        self._parts: dict[tuple[str, bool], bytes] = {}
        holding = cache is not None and cache.keys_hold(site, self._shared)
        self._shown = shown if holding else None
        """Set when the records' keys hold for pages that show no changed entry."""
        self._shown_by: dict[str, bool] = {}

    def made(self) -> list[tuple[tuple[str, str], KeptDigests]]:
        """The entries' digests made since the last call, in this process."""
        made = self._digests[True].made
        taken = made[:]
        made.clear()
        return taken

    def keep(self, made: Iterable[tuple[tuple[str, str], KeptDigests]]) -> None:
        """Note digests of entries made by :meth:`made`, maybe in a worker process."""
        self._kept.update(made)

    def holds(self, route: Route, used: Collection[str], recorded: str) -> bool:
        """Whether ``recorded``, the key of the page's record, is still its key."""
        if self._shown is not None and not self._shows_changed(route, used):
            return True
        return self.key(route, used) == recorded

    def _shows_changed(self, route: Route, used: Collection[str]) -> bool:
        assert self._shown is not None
        if self._shown.any_of(route.context.values()):  # a route's own dictionary: not remembered
            return True
        for name in used:
            shown = self._shown_by.get(name)
            if shown is None:
                value = None if name == DETAILS_READ else getattr(self._site, name, None)
                # ``site.structure`` and ``site.titles`` change along with what they name.
                shown = name in _NAMING or self._shown.within(value)
                self._shown_by[name] = shown
            if shown:
                return True
        return False

    def key(self, route: Route, used: Collection[str]) -> str:
        details = DETAILS_READ in used
        digests = self._digests[details]
        digest = hashlib.blake2b(self._shared, digest_size=20)
        digest.update(digests.of(route))
        for name in sorted(used):
            part = self._parts.get((name, details))
            if part is None:
                value = None if name == DETAILS_READ else getattr(self._site, name, None)
                part = self._parts[name, details] = digests.of(value)
            digest.update(name.encode() + b"\0" + part)
        return digest.hexdigest()


def environment(overrides: Path, cache_dir: Path | None = None) -> _Environment:
    """The Jinja2 environment: the site's own templates first, then the theme's.

    With a ``cache_dir``, compiled templates are kept in it for the next build
    (each checked against its template's source before use).
    """
    loaders = [FileSystemLoader(str(overrides))] if overrides.is_dir() else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = _Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment serves one build: templates cannot change under it, so
        # their files need not be stat'ed again for every page.
        auto_reload=False,
        bytecode_cache=_CompiledTemplates(str(cache_dir / "templates")) if cache_dir else None,
    )
    env.filters["iso"] = iso_format
    env.filters["date"] = date_format
    return env


# Filters rather than methods: a method call from a template goes through Jinja's
# call machinery, and the same dates are shown on many pages. Remembered by value
# and zone: times in two zones can be equal (one instant) yet read differently.
def iso_format(value: date) -> str:
    """``value|iso``: the date or time in ISO 8601."""
    return _iso(value, getattr(value, "tzinfo", None))


def date_format(value: date, fmt: str = "%Y-%m-%d") -> str:
    """``value|date('%d %b %Y')``: the date or time formatted by ``strftime``."""
    return _strftime(value, getattr(value, "tzinfo", None), fmt)


@lru_cache(maxsize=1 << 16)
def _iso(value: date, _zone: object) -> str:
    return value.isoformat()


@lru_cache(maxsize=1 << 16)
def _strftime(value: date, _zone: object, fmt: str) -> str:
    return value.strftime(fmt)


_DETAILS = frozenset({*DETAILS, "html"})
"""An entry's details as templates reach them (``html`` is its body as text)."""


class _Compiler(CodeGenerator):
    """Compiles ``a.body`` (and ``a.`` any other detail) to ``environment.detail``.

    Every other ``a.b`` keeps Jinja's ``environment.getattr``: a check there would
    cost every attribute read of every page (0.34 µs each, measured; 7,500 pages
    read 785,000 attributes: 0.27 s).
    """

    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        if node.attr not in _DETAILS or self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("environment.detail(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r})")


class _Environment(Environment):
    """Templates see the globals as they are when first loaded, in a plain dict.

    Jinja chains a template's globals to the environment's (a ``ChainMap``) so
    that later changes show through, and copies them into every new context:
    from a ``ChainMap`` that copy runs in Python, ~10 µs a time, and a build
    makes one for every page, block, include and card. A build sets all its
    globals before it loads any template, so a snapshot sees the same values.
    """

    code_generator_class = _Compiler
    noting: Callable[[], object] | None = None
    """While set, called whenever a template reads any entry's details (page keys
    count details only for pages that read them)."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def detail(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` where ``attribute`` names a detail (see :class:`_Compiler`)."""
        if type(obj) is Entry and self.noting is not None:
            self.noting()
        return self.getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        # ``a["b"]``, and the ``attribute=`` of filters (``map``, ``sort``…), at run time.
        if type(obj) is Entry and type(argument) is str and argument in _DETAILS and self.noting:
            self.noting()
        return super().getitem(obj, argument)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates in the cache folder: 4 ms to load instead of 80 ms to compile.

    Jinja checks each against its template's source and its own version, and
    each is kept by lemmata's version too, whose environment decides how a
    template compiles (:class:`_Compiler`); a missing or unwritable folder only
    costs the compiling.
    """

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{code_version()}\0{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError, ValueError, EOFError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


def _render(env: Environment, route: Route, config: SiteConfig) -> str:
    context: dict[str, Any] = dict(route.context)
    context["current_url"] = route.url
    term = context.get("term")
    if route.template == "list.html" and context.get("kind") == "category" and term:
        context.setdefault("term_feeds", feed_urls(config, f"categories/{term.slug}/"))
    else:
        context.setdefault("term_feeds", {})
    try:
        return env.get_template(route.template).render(context)
    except Exception as exc:
        problem = _template_problem(exc, route, config.root)
        if problem is None:
            raise
        raise ContentError((problem,)) from None


def _template_problem(exc: Exception, route: Route, root: Path) -> Diagnostic | None:
    """``exc`` as a diagnostic at the template line that raised it, if a template did."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where: tuple[str, int] | None = (exc.filename, exc.lineno)
        message = exc.message or str(exc)
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        where = next(
            ((f.filename, f.lineno or 1) for f in reversed(frames) if f.filename.endswith(".html")),
            None,
        )
        message = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    if where is None:
        return None
    path = Path(where[0])
    try:
        text = path.read_text("utf-8")
    except OSError:
        text = ""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return SourceText(shown, text).error(
        f"template error while rendering {route.url}: {message}", line=where[1]
    )


def _nav_pages(pages: tuple[Entry, ...], urls: Urls) -> list[Entry]:
    wanted = {urls.page(slug): index for index, slug in enumerate(NAV_PAGE_SLUGS)}
    found = [page for page in pages if page.url in wanted]
    return sorted(found, key=lambda page: wanted[page.url])


def _favicon(config: SiteConfig, urls: Urls) -> str | None:
    for name in ("favicon.svg", "favicon.ico", "favicon.png"):
        if (config.root / "static" / name).is_file():
            return urls.url("/" + name)
    return None
