"""Validation of parsed TOML against the dataclass schema of ``_model.py``.

The checker walks the dataclasses: every key must be a field, every value
must have the field's type (``str``, ``int``, ``bool``, a ``Literal``, a
``Mapping[str, …]`` or a nested section) and meet the field's declared
:class:`~lemmata.config._rules.Rule`. It collects every problem, each named
by its section and key and placed at the key's line::

    lemmata.toml:4:1: error: [home] per_page: expected a positive integer, got "ten"
    lemmata.toml:7:1: error: unknown key [home] per_pag (did you mean per_page?)
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import re
import typing
from collections.abc import Mapping
from typing import Any, Literal

from lemmata.config._keylines import KeyPath, Position, position_of
from lemmata.config._rules import Rule, rule_of
from lemmata.errors import Diagnostic, Severity, SourceText

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _Invalid:
    """Marks a value that failed its check (and was reported)."""


_INVALID = _Invalid()


class Checker:
    """Checks sections against their dataclasses and collects the problems."""

    def __init__(
        self, source: SourceText, positions: dict[KeyPath, Position], overridden: set[KeyPath]
    ) -> None:
        self.source = source
        self.positions = positions
        self.overridden = overridden
        """Key paths whose values came from the command line, not the file."""
        self.problems: list[Diagnostic] = []

    def table(self, schema: type[Any], data: Mapping[str, Any], where: KeyPath) -> dict[str, Any]:
        """The valid values of one section, as keyword arguments of ``schema``."""
        fields = {f.name: f for f in dataclasses.fields(schema) if rule_of(f).in_file}
        hints = _hints(schema)
        values: dict[str, Any] = {}
        for key, value in data.items():
            field = fields.get(key)
            if field is None:
                self.unknown(list(fields), (*where, key), value)
                continue
            checked = self.value(hints[key], rule_of(field), value, (*where, key))
            if checked is not _INVALID:
                values[key] = checked
        for name, field in fields.items():
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            if required and name not in data:
                self.report(where, f"{_section(where)}missing required key {name}")
        return values

    def value(self, hint: Any, rule: Rule, value: Any, where: KeyPath) -> Any:
        """``value`` checked against a type and a rule, or ``_INVALID``."""
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                return self.fail(where, "expected a table", value)
            return hint(**self.table(hint, value, where))
        origin = typing.get_origin(hint)
        if origin is Literal:
            choices = typing.get_args(hint)
            if any(value == c and type(value) is type(c) for c in choices):
                return value
            return self.fail(where, "expected " + " or ".join(map(_shown, choices)), value)
        if origin is Mapping:
            return self.mapping(typing.get_args(hint)[1], value, where)
        if hint is bool:
            if isinstance(value, bool):
                return value
            return self.fail(where, "expected true or false", value)
        if hint is int:
            if isinstance(value, int) and not isinstance(value, bool) and rule.accepts(value):
                return value
            return self.fail(where, rule.expected_integer(), value)
        if hint is str:
            if not isinstance(value, str):
                return self.fail(where, "expected a string", value)
            if rule.check is None:
                return value
            try:
                return rule.check(value)
            except ValueError as exc:
                return self.fail(where, str(exc), value)
        raise TypeError(f"the configuration schema uses an unsupported type: {hint!r}")

    def mapping(self, value_type: Any, value: Any, where: KeyPath) -> Any:
        if not isinstance(value, dict):
            return self.fail(where, "expected a table", value)
        if value_type is Any:
            return dict(value)
        checked = {k: self.value(value_type, Rule(), v, (*where, k)) for k, v in value.items()}
        if any(v is _INVALID for v in checked.values()):
            return _INVALID
        return checked

    def unknown(self, names: list[str], where: KeyPath, value: Any) -> None:
        close = difflib.get_close_matches(where[-1], names, n=1)
        if isinstance(value, dict):
            hint = f" (did you mean [{_dotted((*where[:-1], close[0]))}]?)" if close else ""
            self.report(where, f"unknown section [{_dotted(where)}]{hint}")
        else:
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.report(where, f"unknown key {_section(where[:-1])}{_key(where[-1])}{hint}")

    def fail(self, where: KeyPath, expected: str, got: Any) -> _Invalid:
        self.report(
            where, f"{_section(where[:-1])}{_key(where[-1])}: {expected}, got {_shown(got)}"
        )
        return _INVALID

    def report(self, where: KeyPath, message: str) -> None:
        if any(where[:end] in self.overridden for end in range(1, len(where) + 1)):
            # Not in the file: there is no line to point at.
            self.problems.append(Diagnostic(Severity.ERROR, f"{message} (set on the command line)"))
            return
        line, column = position_of(self.positions, where)
        self.problems.append(self.source.error(message, line=line, column=column))


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(schema: type[Any]) -> dict[str, Any]:
    if schema not in _HINTS:
        _HINTS[schema] = typing.get_type_hints(schema)
    return _HINTS[schema]


def _section(where: KeyPath) -> str:
    return f"[{_dotted(where)}] " if where else ""


def _dotted(where: KeyPath) -> str:
    return ".".join(map(_key, where))


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def _shown(value: Any) -> str:
    """A value as it would be written in TOML (tables and lists only named)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
