"""YAML front matter: the safe loader only, with the position of each key.

The C loader is used when PyYAML has it. Timestamps are left as strings, so
that an impossible date is reported by the field check, at its key, rather
than failing the whole block. Nesting is bounded before the document is
composed: the C composer recurses on the native stack and would crash on a
few hundred thousand nested brackets.
"""

from __future__ import annotations

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
