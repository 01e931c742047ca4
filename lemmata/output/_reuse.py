"""Files of the output made from the site's structure and a few digests alone.

The sitemap shows nothing of what posts say, and a feed shows only its own
posts' renderings and titles; both are otherwise made from what
``Site.structure`` names (routes, dates, configuration). Keyed by these, such
a file is the live one while its key and its record hold (see
``PageCache.file`` in the theme).
"""

from __future__ import annotations

from collections.abc import Callable

from lemmata._hashing import sha1
from lemmata.site import OutputFile, Site

Reuse = Callable[[str, str | None, Callable[[], OutputFile]], OutputFile]
"""``reuse(path, key, make)``: the live file at ``path`` while ``key`` is the one it
was made with, else ``make()`` (``key`` ``None``: not known, always made)."""


def always_made(_path: str, _key: str | None, make: Callable[[], OutputFile]) -> OutputFile:
    """A :data:`Reuse` that reuses nothing."""
    return make()


def structure_key(site: Site, *digests: bytes) -> str | None:
    """The key of a file made from the site's structure and these digests alone
    (``None`` when the structure is not known)."""
    if not site.structure:
        return None
    return sha1(b"\0".join([site.structure.encode(), *digests])).hex()
