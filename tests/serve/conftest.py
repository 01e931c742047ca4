"""A real ``lemmata serve`` in a subprocess, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import write_site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    site: Path
    url: str
    port: int
    process: subprocess.Popen[str]

    def wait_for(self, predicate: object, path: str = "/", timeout: float = 20) -> httpx.Response:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = httpx.get(self.url + path.lstrip("/"), timeout=5)
                if callable(predicate) and predicate(last):
                    return last
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(
            f"condition not met for {path}: last response {last and last.status_code}"
        )

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=15)
        return self.process.returncode, err


def start(site: Path, *extra: str) -> Served:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lemmata", "serve", str(site), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    served = Served(site, f"http://127.0.0.1:{port}/", port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            httpx.get(served.url, timeout=2)
            return served
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


SITE = {
    "lemmata.toml": 'title = "Served"\n',
    "content/posts/a.md": "---\ntitle: First\ndate: 2026-01-01\ncategory: NLP\n---\nHello $x^2$.\n",
    "static/data.json": '{"ok": true}',
    "static/pic.png": "not really a png",
    "static/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    site = write_site(tmp_path / "site", SITE)
    (tmp_path / "secret.txt").write_text("outside the site")
    server = start(site)
    try:
        yield server
    finally:
        server.stop()
