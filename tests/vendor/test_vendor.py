"""Third-party assets: pinned, verified, present after install, clear when missing."""

from __future__ import annotations

import base64
import hashlib

import pytest

from lemmata import _vendor


def test_every_pinned_file_is_present_and_temml_matches_its_pin() -> None:
    assert _vendor.is_complete()
    for pin in _vendor.pins().values():
        assert str(pin["integrity"]).startswith("sha512-")


def test_verify_accepts_the_right_bytes_and_refuses_others() -> None:
    data = b"temml"
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    _vendor.verify("x@1", data, good)
    with pytest.raises(_vendor.VendorError, match="integrity check failed"):
        _vendor.verify("x@1", data + b"!", good)
    with pytest.raises(_vendor.VendorError, match="unsupported integrity algorithm 'md5'"):
        _vendor.verify("x@1", data, "md5-abc")


def test_missing_asset_says_how_to_fetch_it() -> None:
    with pytest.raises(_vendor.VendorError, match=r"python -m lemmata\._vendor"):
        _vendor.asset_path("temml/not-there.js")


def test_fetch_without_npm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_vendor.shutil, "which", lambda _name: None)
    with pytest.raises(_vendor.VendorError, match="`npm` is not on PATH"):
        _vendor.fetch_all(tmp_path)
