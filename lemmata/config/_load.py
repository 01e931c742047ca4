"""Reading ``lemmata.toml`` and the configuration's fingerprint."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lemmata._utf8 import decode
from lemmata.config._keylines import key_positions
from lemmata.config._model import SiteConfig
from lemmata.config._validate import Checker
from lemmata.errors import ConfigError, Diagnostic, Severity, SourceText

CONFIG_FILE = "lemmata.toml"

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def load_config(site_dir: Path, overrides: Mapping[str, Any] | None = None) -> SiteConfig:
    """Read and validate ``site_dir/lemmata.toml``.

    ``overrides`` (from the command line, e.g. ``{"base_url": …}``) replace
    the file's values before validation; a table merges into its section.
    Raises :class:`ConfigError` carrying every problem found.
    """
    root = site_dir.resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        message = f"no {CONFIG_FILE} in {root} (run `lemmata init`)"
        raise ConfigError((Diagnostic(Severity.ERROR, message),))
    try:
        data_bytes = path.read_bytes()
    except OSError as exc:
        message = f"cannot read {CONFIG_FILE}: {exc.strerror}"
        raise ConfigError((Diagnostic(Severity.ERROR, message),)) from None
    text, bad_bytes = decode(CONFIG_FILE, data_bytes)
    if bad_bytes is not None:
        raise ConfigError((bad_bytes,))
    source = SourceText(CONFIG_FILE, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError((_syntax_error(source, exc),)) from None
    overridden = _merge(data, overrides or {}, ())
    checker = Checker(source, key_positions(text), overridden)
    values = checker.table(SiteConfig, data, ())
    if checker.problems:
        raise ConfigError(tuple(checker.problems))
    return SiteConfig(root=root, **values)


def config_fingerprint(config: SiteConfig) -> str:
    """A stable digest of every setting (the site folder excluded), for caches."""
    settings = dataclasses.asdict(config)
    del settings["root"]
    encoded = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _syntax_error(source: SourceText, exc: tomllib.TOMLDecodeError) -> Diagnostic:
    message = str(exc)
    found = _TOML_POSITION.search(message)
    if found is not None and found.group(1):
        line, column = int(found.group(1)), int(found.group(2))
    else:
        line = max(1, source.text.count("\n") + (0 if source.text.endswith("\n") else 1))
        column = len(source.line_text(line)) + 1
    return source.error(
        f"invalid TOML: {_TOML_POSITION.sub('', message)}", line=line, column=column
    )


def _merge(
    data: dict[str, Any], overrides: Mapping[str, Any], where: tuple[str, ...]
) -> set[tuple[str, ...]]:
    """Apply ``overrides`` to ``data`` in place; the key paths they set."""
    paths: set[tuple[str, ...]] = set()
    for key, value in overrides.items():
        current = data.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            paths |= _merge(current, value, (*where, key))
        else:
            data[key] = dict(value) if isinstance(value, Mapping) else value
            paths.add((*where, key))
    return paths
