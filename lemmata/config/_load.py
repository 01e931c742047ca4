"""Reading and validating ``lemmata.toml`` against the dataclass schema.

Validation walks the dataclasses in ``_model.py``: every key must be a field,
every value must have the field's type. All problems are collected, each
named by its section and key and located at its line::

    lemmata.toml:4:1: error: [home] per_page: expected a positive integer, got "ten"
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lemmata.config import _model
from lemmata.config._model import SiteConfig
from lemmata.errors import ConfigError, Diagnostic, Severity, SourceText

CONFIG_FILE = "lemmata.toml"
_POSITIVE = {"per_page", "toc_depth", "timeout_ms", "chars", "words", "limit", "time_budget_s"}
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_PERMALINK_KEYS = {"slug", "year", "month", "day", "category"}
_NOT_FROM_FILE = {"root"}


def load_config(site_dir: Path, overrides: Mapping[str, Any] | None = None) -> SiteConfig:
    """Read ``site_dir/lemmata.toml``; raise :class:`ConfigError` with every problem."""
    root = site_dir.resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(
            [
                Diagnostic(
                    Severity.ERROR,
                    f"no {CONFIG_FILE} in {root} (create a site with `lemmata init`)",
                )
            ]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [Diagnostic(Severity.ERROR, f"{CONFIG_FILE}: invalid UTF-8 at byte {exc.start}")]
        ) from None
    source = SourceText(CONFIG_FILE, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_syntax_error(source, exc)]) from None
    data.update(overrides or {})
    checker = _Checker(source)
    values = checker.section(SiteConfig, data, ())
    if "title" not in data:
        checker.problem((), "missing required key title")
    if checker.problems:
        raise ConfigError(checker.problems)
    values["root"] = root
    config = SiteConfig(**values)
    return config


def config_fingerprint(config: SiteConfig) -> str:
    """A digest of every setting (the site folder excluded), for caches."""
    data = dataclasses.asdict(config)
    data.pop("root", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _syntax_error(source: SourceText, exc: tomllib.TOMLDecodeError) -> Diagnostic:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    message = re.sub(r"\s*\(at end of document\)", "", message)
    return source.error(f"invalid TOML: {message}", line=line, column=column)


class _Checker:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []

    def problem(self, where: tuple[str, ...], message: str) -> None:
        line = _line_of(self.source.text, where)
        label = _label(where)
        self.problems.append(self.source.error(f"{label}{message}", line=line))

    def section(
        self, cls: type[Any], data: Mapping[str, Any], where: tuple[str, ...]
    ) -> dict[str, Any]:
        hints = typing.get_type_hints(cls, vars(_model))
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in _NOT_FROM_FILE}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem((*where, key), f"unknown key{hint}")
                continue
            checked = self.value(hints[key], value, (*where, key))
            if checked is not _INVALID:
                values[key] = checked
        return values

    def value(self, hint: Any, value: Any, where: tuple[str, ...]) -> Any:
        name = where[-1]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                return self.fail(where, "expected a table", value)
            return hint(**self.section(hint, value, where))
        origin = get_origin(hint)
        if origin is Literal:
            allowed = get_args(hint)
            if value not in allowed:
                choices = " or ".join(f'"{a}"' for a in allowed)
                return self.fail(where, f"expected {choices}", value)
            return value
        if origin in (Mapping, dict) or hint is Mapping:
            if not isinstance(value, dict):
                return self.fail(where, "expected a table", value)
            if name == "extra":
                return value
            bad = [k for k, v in value.items() if not isinstance(v, str)]
            if bad:
                return self.fail((*where, bad[0]), "expected a string", value[bad[0]])
            return dict(value)
        if hint is bool:
            return (
                value
                if isinstance(value, bool)
                else self.fail(where, "expected true or false", value)
            )
        if hint is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
            if name in _POSITIVE and not (ok and value > 0):
                return self.fail(where, "expected a positive integer", value)
            return value if ok else self.fail(where, "expected an integer", value)
        if hint is str:
            if not isinstance(value, str):
                return self.fail(where, "expected a string", value)
            return self.string(where, value)
        return value

    def string(self, where: tuple[str, ...], value: str) -> Any:
        name = where[-1]
        if name == "timezone":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                return self.fail(where, "unknown time zone", value)
        elif name == "base_url":
            if not re.match(r"^(https?://[^/\s]+)?/?[^\s]*$", value) or not (
                value.startswith(("/", "http://", "https://"))
            ):
                return self.fail(
                    where, "expected a URL (https://host/path/) or a path (/notes/)", value
                )
            return value if value.endswith("/") else value + "/"
        elif name in ("permalink", "page_permalink"):
            unknown = [p for p in _PLACEHOLDER.findall(value) if p not in _PERMALINK_KEYS]
            if unknown:
                return self.fail(where, f"unknown placeholder {{{unknown[0]}}}", value)
            if not (value.startswith("/") and value.endswith("/")):
                return self.fail(where, "expected a pattern that starts and ends with /", value)
            if "{slug}" not in value:
                return self.fail(where, "the pattern must contain {slug}", value)
        elif name == "title" and not value.strip():
            return self.fail(where, "must not be empty", value)
        return value

    def fail(self, where: tuple[str, ...], expected: str, got: Any) -> Any:
        self.problem(where, f"{expected}, got {_shown(got)}")
        return _INVALID


_INVALID = object()


def _label(where: tuple[str, ...]) -> str:
    if not where:
        return ""
    if len(where) == 1:
        return f"{where[0]}: "
    return f"[{'.'.join(where[:-1])}] {where[-1]}: "


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _line_of(text: str, where: tuple[str, ...]) -> int:
    """Best-effort line of a key: inside its ``[section]`` if it has one."""
    lines = text.splitlines()
    section = ".".join(where[:-1])
    key = where[-1] if where else ""
    in_section = not section
    start = 0
    if section:
        header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(#.*)?$")
        for index, line in enumerate(lines):
            if header.match(line):
                in_section, start = True, index
                break
    if key:
        pattern = re.compile(rf'^\s*("?){re.escape(key)}\1\s*=')
        for index in range(start, len(lines)):
            line = lines[index]
            if index > start and re.match(r"^\s*\[", line) and (in_section or section):
                if not section:
                    break
                if index != start:
                    break
            if pattern.match(line):
                return index + 1
        dotted = re.compile(rf"^\s*{re.escape('.'.join(where))}\s*=")
        for index, line in enumerate(lines):
            if dotted.match(line):
                return index + 1
        for index, line in enumerate(lines):
            if re.search(rf"\b{re.escape(key)}\s*=", line):
                return index + 1
    return start + 1 if section else 1
