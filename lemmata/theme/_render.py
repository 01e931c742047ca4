"""Rendering every route of the site with Jinja2, and the theme's assets.

Assets get fingerprinted names (``assets/style.3f2a9c1e.css``) so that any
host may cache them forever. The stylesheet bundles the theme's CSS, the
Pygments CSS of both code styles, and the math CSS with its font.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lemmata._vendor import asset_path
from lemmata.config import SiteConfig
from lemmata.markup import highlight_css
from lemmata.output import feed_urls
from lemmata.site import OutputFile, Site, Urls

THEME = Path(str(files("lemmata.theme")))
TEMPLATES = THEME / "templates"
ASSETS = THEME / "assets"

# Applied before first paint, so a stored dark choice never flashes light.
THEME_BOOT = (
    "try{var t=localStorage.getItem('lemmata-theme');"
    "if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}"
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def render_site(site: Site, config: SiteConfig, *, extra_head: str = "") -> list[OutputFile]:
    """Every page of the site, plus the theme's fingerprinted assets."""
    urls = Urls(config)
    assets = _assets(config)
    by_name = {name: urls.url("/" + item.path) for name, item in assets.items()}
    env = _environment(config.root / "templates")
    env.globals.update(
        site=site,
        config=config,
        url=urls.url,
        absolute=urls.absolute,
        asset=lambda name: by_name[name],
        feeds=feed_urls(config),
        lang=config.language,
        nav_pages=[p for p in site.pages if p.url.rstrip("/").endswith("/about")],
        favicon=_favicon(config, urls),
        theme_boot=THEME_BOOT,
        extra_head=extra_head,
    )
    pages = []
    for route in site.routes:
        context: dict[str, Any] = dict(route.context)
        context["current_url"] = route.url
        term = context.get("term")
        if route.template == "list.html" and context.get("kind") == "category" and term:
            context["term_feeds"] = feed_urls(config, f"categories/{term.slug}/")
        else:
            context.setdefault("term_feeds", {})
        html = env.get_template(route.template).render(context)
        pages.append(OutputFile(route.path, data=html.encode("utf-8")))
    return pages + list(assets.values())


def _environment(overrides: Path) -> Environment:
    loaders = [FileSystemLoader(str(overrides))] if overrides.is_dir() else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _favicon(config: SiteConfig, urls: Urls) -> str | None:
    for name in ("favicon.svg", "favicon.ico", "favicon.png"):
        if (config.root / "static" / name).is_file():
            return urls.url("/" + name)
    return None


def _assets(config: SiteConfig) -> dict[str, OutputFile]:
    """name → fingerprinted file; fonts first, so the CSS can point at their final names."""
    fonts = {name: _fingerprinted(name, data) for name, data in _font_files().items()}
    font_urls = {name: posixpath.basename(item.path) for name, item in fonts.items()}
    css = "\n".join(
        [
            _read(ASSETS / "style.css"),
            _rewrite_urls(_math_css(), font_urls),
            highlight_css(config.code.light_style, config.code.dark_style),
        ]
    ).encode()
    assets = {
        "style.css": _fingerprinted("style.css", css),
        "theme.js": _fingerprinted("theme.js", (ASSETS / "theme.js").read_bytes()),
        "search.js": _fingerprinted("search.js", (ASSETS / "search.js").read_bytes()),
    }
    return {**assets, **fonts}


def _fingerprinted(name: str, data: bytes) -> OutputFile:
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return OutputFile(f"assets/{stem}.{digest}{dot}{suffix}", data=data)


def _rewrite_urls(css: str, names: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = posixpath.basename(match.group(1))
        return f"url({names[name]})" if name in names else match.group(0)

    return _CSS_URL.sub(replace, css)


MATH_FONTS = ("temml/Temml.woff2", "fonts/stix-two-math-latin-400-normal.woff2")
"""Fonts the math CSS points at (fetched at install time, never committed)."""


@cache
def _font_files() -> dict[str, bytes]:
    return {posixpath.basename(name): asset_path(name).read_bytes() for name in MATH_FONTS}


def _math_css() -> str:
    """Temml's own rules (from the pinned release), then ours."""
    return _read(asset_path("temml/Temml-Local.css")) + "\n" + _read(ASSETS / "math.css")


def _read(path: Path) -> str:
    return path.read_text("utf-8")
