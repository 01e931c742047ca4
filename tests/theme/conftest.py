"""Fixtures of the theme's tests: which pages a build renders, and which it keys."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from lemmata.config import SiteConfig
from lemmata.site import Route
from lemmata.theme import _render as theme_render


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every page rendered from now on."""
    urls: list[str] = []
    real = theme_render._render

    def noted(env: Environment, route: Route, config: SiteConfig) -> str:
        urls.append(route.url)
        return real(env, route, config)

    monkeypatch.setattr(theme_render, "_render", noted)
    return urls


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every page whose key is computed from now on."""
    urls: list[str] = []
    real = theme_render._Keys.key

    def noted(self: object, route: Route, used: object) -> str:
        urls.append(route.url)
        return real(self, route, used)  # type: ignore[arg-type]

    monkeypatch.setattr(theme_render._Keys, "key", noted)
    return urls
