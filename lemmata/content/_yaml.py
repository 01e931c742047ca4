"""YAML front matter: the safe loader only, with the position of each key.

The C loader is used when PyYAML has it. Timestamps are left as strings, so
that an impossible date is reported by the field check, at its key, rather
than failing the whole block. Nesting is bounded before the document is
composed: the C composer recurses on the native stack and would crash on a
few hundred thousand nested brackets. The usual front matter, a key per line
with text, a flag, a number or a list, is read without the parser (``_simple``),
in a third of the time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from lemmata.content._problem import Problem
from lemmata.errors import Severity

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64
"""Deepest nesting of collections accepted in front matter."""

_OPENERS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, minus implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Keys = Mapping[str, tuple[int, int]]
"""Top-level key → 0-based line and column of the key."""


def parse_yaml(raw: str) -> tuple[Mapping[str, Any], Keys, list[Problem]]:
    """The mapping in ``raw``, where its keys are, and what is wrong with it."""
    simple = _simple(raw)
    if simple is not None:
        return simple[0], simple[1], []
    try:
        too_deep = _too_deep(raw)
        if too_deep is not None:
            return {}, {}, [too_deep]
        loader = _Loader(raw)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, {}, []
            if not isinstance(node, yaml.MappingNode):
                message = "front matter must be a mapping of keys to values"
                return {}, {}, [Problem(message, *_position(raw, node.start_mark))]
            keys, problems = _key_positions(raw, node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return {}, {}, [_marked(raw, exc)]
    except yaml.reader.ReaderError as exc:
        message = f"invalid YAML front matter: {exc.reason}"
        return {}, {}, [Problem(message, *_offset_position(raw, exc.position))]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        # ValueError, TypeError: a constructor meeting a value it cannot build.
        return {}, {}, [Problem(f"invalid YAML front matter: {exc}", 0)]
    return {str(key): value for key, value in data.items()}, keys, problems


def _depth_bound(raw: str) -> int:
    """An upper bound of how deeply ``raw`` can nest, from a glance at its characters.

    Each open flow collection has its ``[`` or ``{``. Open block collections
    start at strictly increasing columns, and a block collection starts either
    at a line's indentation or just after an indicator (``-``, ``?``, ``:``).
    """
    indents = {len(line) - len(line.lstrip(" ")) for line in raw.split("\n")}
    marks = sum(raw.count(char) for char in "[{-?:")
    return len(indents) + marks


def _too_deep(raw: str) -> Problem | None:
    if _depth_bound(raw) <= MAX_DEPTH:
        return None  # the usual case: no need to scan every token
    message = f"invalid YAML front matter: nested more than {MAX_DEPTH} levels deep"
    depth = 0
    try:
        for token in yaml.scan(raw, Loader=_BaseLoader):
            if isinstance(token, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(message, *_position(raw, token.start_mark))
            elif isinstance(token, _CLOSERS):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer scanners have a nesting limit of their own, met while reading ahead.
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:
            return Problem(message, *_position(raw, exc.problem_mark))
        raise
    return None


def _key_positions(
    raw: str, node: yaml.MappingNode
) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    keys: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        name, position = str(key_node.value), _position(raw, key_node.start_mark)
        if name in keys:
            message = f"duplicate key {name} (the last one is used)"
            problems.append(Problem(message, *position, Severity.WARNING))
        keys[name] = position
    return keys, problems


def _marked(raw: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    line, column = _position(raw, mark) if mark is not None else (0, 0)
    return Problem(f"invalid YAML front matter: {problem}", line, column)


def _position(raw: str, mark: yaml.Mark) -> tuple[int, int]:
    # YAML also breaks lines at a lone CR, NEL and U+2028; the file's lines break at LF only.
    return _offset_position(raw, mark.index)


def _offset_position(raw: str, offset: int) -> tuple[int, int]:
    """0-based line and column of a character offset, lines ending at LF."""
    offset = max(0, min(offset, len(raw)))
    line_start = raw.rfind("\n", 0, offset) + 1
    return raw.count("\n", 0, offset), offset - line_start


# The usual front matter, read without the YAML machinery (a third of the time
# a first build spends reading 5,000 posts): one line per key, with a quoted or
# plain scalar, a flow list of them, or a block list of them below the key.
# Anything else (escapes, nesting, multi-line or typed scalars other than plain
# booleans, null and decimal integers, anchors, tags, tabs…) goes to the YAML
# parser, as does anything that would be a problem. The tests compare both
# readings on generated front matter.

_FAIL: Any = object()
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'([^']*)'")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SPECIAL = re.compile(r"[\t\r\x85\u2028\u2029\ufeff]")
"""Characters that YAML reads as breaks or layout, which this reader leaves to it."""
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_STR, _BOOL, _NULL, _INT = (f"tag:yaml.org,2002:{name}" for name in ("str", "bool", "null", "int"))


def _simple(raw: str) -> tuple[dict[str, Any], dict[str, tuple[int, int]]] | None:
    """``raw`` read as the usual front matter, or ``None`` if it is anything else."""
    if _SPECIAL.search(raw) or yaml.reader.Reader.NON_PRINTABLE.search(raw):
        return None
    data: dict[str, Any] = {}
    keys: dict[str, tuple[int, int]] = {}
    lines = raw.split("\n")
    index = 0
    while index < len(lines):
        line, number = lines[index].rstrip(" "), index
        index += 1
        if not line or line.startswith("#"):
            continue
        found = _KEY.fullmatch(line)
        if found is None or found.group(1) in data or _tag(found.group(1)) != _STR:
            return None
        key, text = found.group(1), found.group(2)
        if text:
            value = _flow_list(text) if text.startswith("[") else _scalar(text, flow=False)
        else:
            value, index = _block_list(lines, index)
        if value is _FAIL:
            return None
        data[key] = value
        keys[key] = (number, 0)
    return (data, keys) if data else None


def _block_list(lines: list[str], index: int) -> tuple[Any, int]:
    """The ``- item`` lines from ``index`` on (none: the key's value is null)."""
    items: list[Any] = []
    indent: str | None = None
    while index < len(lines):
        line = lines[index].rstrip(" ")
        if not line:
            index += 1
            continue
        found = _ITEM.fullmatch(line)
        if found is None:
            break  # the next key, or a line that is none and ends the simple reading
        if indent is not None and found.group(1) != indent:
            return _FAIL, index
        indent = found.group(1)
        item = _scalar(found.group(2), flow=False)
        if item is _FAIL:
            return _FAIL, index
        items.append(item)
        index += 1
    return (items if items else None), index


def _flow_list(text: str) -> Any:
    if not text.endswith("]") or text.count("[") != 1 or text.count("]") != 1:
        return _FAIL
    inner = text[1:-1].strip(" ")
    if not inner:
        return []
    items = [_scalar(part.strip(" "), flow=True) for part in inner.split(",")]
    return _FAIL if any(item is _FAIL for item in items) else items


def _scalar(text: str, *, flow: bool) -> Any:
    quoted = _DOUBLE.fullmatch(text) or _SINGLE.fullmatch(text)
    if quoted is not None:
        return quoted.group(1)  # in a list, one holding a comma was cut and fails
    if (
        not text
        or text[0] in _PLAIN_START
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or (flow and any(c in text for c in ",[]{}"))
    ):
        return _FAIL
    tag = _tag(text)
    if tag == _STR:
        return text
    if tag == _BOOL:
        return yaml.constructor.SafeConstructor.bool_values[text.lower()]
    if tag == _NULL:
        return None
    if tag == _INT and _DECIMAL.fullmatch(text):
        return int(text)
    return _FAIL


class _Resolver(yaml.resolver.Resolver):
    """The loader's own resolver, alone: how it types a plain scalar."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


_resolve = _Resolver().resolve


def _tag(text: str) -> str:
    """The tag YAML's resolver gives a plain scalar."""
    return str(_resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]
