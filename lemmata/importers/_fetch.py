"""Getting pages, feeds and images: over HTTP(S) with httpx (timeouts, size limits) or from disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from lemmata import __version__

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_BYTES = 25 * 1024 * 1024
"""Larger responses are refused: no article, feed or figure needs more."""


class FetchError(Exception):
    """The resource could not be had; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    url: str
    """The final URL, after redirects."""
    content_type: str
    """Media type without parameters, lowercase (``text/html``); empty if unknown."""
    charset: str | None = None


class Fetcher:
    """One HTTP client for a whole import (connections are reused)."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=True,
            headers={"User-Agent": f"lemmata/{__version__} (import)"},
        )

    def get(self, url: str) -> Fetched:
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url}")
        try:
            with self._client.stream("GET", url) as response:
                response.raise_for_status()
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise FetchError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
                    chunks.append(chunk)
                media, _, _ = response.headers.get("content-type", "").partition(";")
                return Fetched(
                    b"".join(chunks),
                    str(response.url),
                    media.strip().lower(),
                    response.charset_encoding,
                )
        except httpx.HTTPStatusError as exc:
            raise FetchError(
                f"HTTP {exc.response.status_code} {exc.response.reason_phrase}"
            ) from None
        except httpx.TimeoutException:
            raise FetchError("timed out") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot reach {urlsplit(url).netloc}: {exc}") from None

    def close(self) -> None:
        self._client.close()


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FetchError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"cannot read: {exc.strerror}") from None
