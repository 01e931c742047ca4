"""Helpers: write a ``lemmata.toml`` and load it, or collect its error headlines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lemmata.config import SiteConfig, load_config
from lemmata.errors import ConfigError

Load = Callable[[str], SiteConfig]
Errors = Callable[[str], list[str]]


@pytest.fixture
def load(tmp_path: Path) -> Load:
    """``load(text)``: the configuration read from ``text``."""

    def read(text: str) -> SiteConfig:
        (tmp_path / "lemmata.toml").write_text(text, "utf-8")
        return load_config(tmp_path)

    return read


@pytest.fixture
def errors(load: Load) -> Errors:
    """``errors(text)``: the headlines of the problems ``text`` has."""

    def collect(text: str) -> list[str]:
        with pytest.raises(ConfigError) as caught:
            load(text)
        return [d.headline() for d in caught.value.diagnostics]

    return collect
