"""Checks of string settings, named in the schema's field metadata.

Each takes the value and returns it normalised, or raises ``ValueError`` with
what was expected; the validator adds the key, its line and the bad value.
"""

from __future__ import annotations

import difflib
import re
import string
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_POST_PLACEHOLDERS = ("slug", "year", "month", "day", "category")
_PAGE_PLACEHOLDERS = ("slug",)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def not_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("expected a non-empty string")
    return value


def time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the zone database, such as "Asia", names no zone.
        raise ValueError(
            "unknown time zone (expected an IANA name such as Asia/Shanghai)"
        ) from None
    return value


def language_tag(value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        raise ValueError("expected a language tag such as en or zh-CN")
    return value


def base_url(value: str) -> str:
    """An ``http(s)`` URL with a host, or a path from the root; ends with ``/``."""
    if not _is_base_url(value):
        raise ValueError("expected a URL (https://host/path/) or a path (/notes/)")
    return value if value.endswith("/") else value + "/"


def _is_base_url(value: str) -> bool:
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError:
        return False
    if parts.query or parts.fragment:
        return False
    if parts.scheme in ("http", "https"):
        return bool(parts.hostname)
    # "//host/" is a URL without a scheme, not a path.
    return not parts.scheme and not parts.netloc and value.startswith("/")


def post_permalink(value: str) -> str:
    return _permalink(value, _POST_PLACEHOLDERS)


def page_permalink(value: str) -> str:
    return _permalink(value, _PAGE_PLACEHOLDERS)


def code_style(value: str) -> str:
    """A Pygments style: built in, or added by an installed plugin."""
    # Imported here: a build whose configuration sets no style never needs Pygments to start.
    from pygments.styles import STYLE_MAP, get_all_styles

    if value in STYLE_MAP:
        return value
    known = sorted(get_all_styles())  # reads every installed package's metadata: ~60 ms
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"did you mean {close[0]}?" if close else "expected a name such as default or monokai"
    raise ValueError(f"unknown Pygments style ({hint})")


def _permalink(value: str, allowed: tuple[str, ...]) -> str:
    try:
        fields = [part for part in string.Formatter().parse(value) if part[1] is not None]
    except ValueError:
        raise ValueError("expected a pattern whose { and } are balanced") from None
    known = ", ".join(f"{{{name}}}" for name in allowed)
    for _, name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            shown = "{" + str(name) + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise ValueError(f"unknown placeholder {shown} (expected {known})")
    if not (value.startswith("/") and value.endswith("/")):
        raise ValueError("expected a pattern that starts and ends with /")
    if any(segment in (".", "..") for segment in value.split("/")):
        raise ValueError("expected a pattern without . or .. segments")
    if "slug" not in {name for _, name, _, _ in fields}:
        raise ValueError("expected a pattern that contains {slug}")
    return value
