"""A local web server for the pages, feeds and images of ``fixtures/`` (no network in tests)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.importers.helpers import FIXTURES


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Tests read the server's effects, not its log."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/``) serving the fixtures folder."""
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
