"""Resolving the URLs of an imported page."""

from __future__ import annotations

from urllib.parse import urljoin


def resolve(value: str, base: str, site: str | None = None) -> str:
    """``value`` made absolute against ``base``; a ``/``-rooted path against ``site`` when given.

    A saved page is read from a ``file:`` URL, where ``/images/a.png`` means
    the root of the disk; the page's own canonical URL knows better.
    """
    value = value.strip()
    if site and value.startswith("/") and not value.startswith("//"):
        return urljoin(site, value)
    return urljoin(base, value)
