"""The digest that tells changed inputs from unchanged ones in caches and page keys."""

from __future__ import annotations

import hashlib


def sha1(data: bytes) -> bytes:
    """SHA-1 of ``data``: it runs in hardware here, twice as fast as BLAKE2 on
    page-sized data, and these digests only tell changed inputs from unchanged ones."""
    return hashlib.sha1(data, usedforsecurity=False).digest()
