"""The theme's assets: one stylesheet, two scripts and the math fonts, fingerprinted.

Fingerprinted names (``assets/style.3f2a9c1e.css``) let any host cache them
forever. The stylesheet bundles the Pygments CSS of both code styles, the
math CSS with its fonts, and the theme's own CSS, in that order of priority.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path

from lemmata._vendor import asset_path
from lemmata.markup import highlight_css
from lemmata.site import OutputFile

ASSETS = Path(str(files("lemmata.theme"))) / "assets"

SCRIPTS = ("theme.js", "search.js")

MATH_FONTS = ("temml/Temml.woff2", "fonts/stix-two-math-latin-400-normal.woff2")
"""Fonts the math CSS points at (fetched at install time, never committed)."""

DIGEST_LENGTH = 8

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def theme_assets(light_style: str, dark_style: str) -> dict[str, OutputFile]:
    """Asset name (``style.css``) → its fingerprinted file."""
    fonts = {name: fingerprinted(name, data) for name, data in _font_files().items()}
    font_urls = {name: posixpath.basename(item.path) for name, item in fonts.items()}
    # Pygments rules sit in a cascade layer so that the theme's unlayered rules
    # (highlighted lines, spacing) win whatever the specificity of a style's selectors.
    css = "\n".join(
        [
            "@layer code {\n" + highlight_css(light_style, dark_style) + "\n}",
            rewrite_urls(_math_css(), font_urls),
            _read(ASSETS / "style.css"),
        ]
    )
    bundled = {"style.css": fingerprinted("style.css", css.encode())}
    for name in SCRIPTS:
        bundled[name] = fingerprinted(name, (ASSETS / name).read_bytes())
    return {**bundled, **fonts}


def fingerprinted(name: str, data: bytes) -> OutputFile:
    """``name`` under ``assets/`` with the first hex digits of its SHA-256 before the suffix."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    return OutputFile(f"assets/{stem}.{digest}{dot}{suffix}", data=data)


def rewrite_urls(css: str, names: Mapping[str, str]) -> str:
    """Point every ``url(...)`` whose file name is in ``names`` at its new name."""

    def replace(match: re.Match[str]) -> str:
        name = posixpath.basename(match.group(1))
        return f'url("{names[name]}")' if name in names else match.group(0)

    return _CSS_URL.sub(replace, css)


@cache
def _font_files() -> dict[str, bytes]:
    return {posixpath.basename(name): asset_path(name).read_bytes() for name in MATH_FONTS}


def _math_css() -> str:
    """Temml's own rules (from the pinned release), then ours."""
    return _read(asset_path("temml/Temml-Local.css")) + "\n" + _read(ASSETS / "math.css")


def _read(path: Path) -> str:
    return path.read_text("utf-8")
