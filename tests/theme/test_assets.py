"""Bundling and fingerprinting the theme's assets."""

from __future__ import annotations

import hashlib
import re

from lemmata.theme._assets import fingerprinted, rewrite_urls, theme_assets


def test_fingerprint_is_eight_hex_digits_of_the_content() -> None:
    item = fingerprinted("style.css", b"body{}")
    assert item.path == f"assets/style.{hashlib.sha256(b'body{}').hexdigest()[:8]}.css"
    assert item.data == b"body{}"
    assert fingerprinted("style.css", b"body{ }").path != item.path


def test_rewrite_urls_touches_only_known_files() -> None:
    css = (
        "@font-face{src:url('fonts/Math.woff2') format('woff2')}"
        ' a{background:url("data:image/svg+xml,<svg/>")} b{src:url(Other.woff2)}'
    )
    rewritten = rewrite_urls(css, {"Math.woff2": "Math.1234abcd.woff2"})
    assert "url(\"Math.1234abcd.woff2\") format('woff2')" in rewritten
    assert 'url("data:image/svg+xml,<svg/>")' in rewritten
    assert "url(Other.woff2)" in rewritten


def test_bundle_has_code_styles_in_a_layer_then_math_then_theme() -> None:
    assets = theme_assets("default", "monokai")
    data = assets["style.css"].data
    assert data is not None
    css = data.decode()
    layer = css.index("@layer code {")
    math = css.index('font-family: "STIX Two Math"')
    theme = css.index("transmission — the default lemmata theme")
    assert layer < math < theme
    assert ':root[data-theme="dark"] .highlight' in css[layer:math]
    # monokai's background, so the dark code style chosen in the config is the one bundled
    assert "#272822" in css[layer:math]


def test_fonts_are_shipped_under_the_names_the_css_uses() -> None:
    assets = theme_assets("default", "github-dark")
    css = assets["style.css"].data
    assert css is not None
    referenced = set(re.findall(r'url\("([^"]+\.woff2)"\)', css.decode()))
    shipped = {
        item.path.removeprefix("assets/")
        for name, item in assets.items()
        if name.endswith(".woff2")
    }
    assert referenced == shipped
    assert any(name.startswith("stix-two-math") for name in shipped)


def test_scripts_are_bundled_unchanged() -> None:
    assets = theme_assets("default", "github-dark")
    assert set(assets) >= {"style.css", "theme.js", "search.js"}
    script = assets["theme.js"].data
    assert script is not None and b"localStorage" in script
