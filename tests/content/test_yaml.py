"""The YAML reader: safe types only, key positions, bounded nesting."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lemmata.content._yaml import (
    _CLOSERS,
    _OPENERS,
    MAX_DEPTH,
    _depth_bound,
    _Loader,
    _simple,
    parse_yaml,
)
from lemmata.errors import Severity


def test_dates_stay_text_and_unsafe_tags_are_refused() -> None:
    data, keys, problems = parse_yaml("date: 2026-01-11\nn: 3\nflag: yes\n")
    assert dict(data) == {"date": "2026-01-11", "n": 3, "flag": True}
    assert dict(keys) == {"date": (0, 0), "n": (1, 0), "flag": (2, 0)}
    assert problems == []
    _, _, (problem,) = parse_yaml("x: !!python/object/apply:os.system ['true']\n")
    assert problem.message.startswith(
        "invalid YAML front matter: could not determine a constructor"
    )
    assert (problem.line, problem.column) == (0, 3)


def test_duplicate_keys_warn_at_the_one_used() -> None:
    data, keys, problems = parse_yaml("title: A\ntags: x\ntitle: B\n")
    assert data["title"] == "B" and keys["title"] == (2, 0)
    assert [(p.message, p.line, p.severity) for p in problems] == [
        ("duplicate key title (the last one is used)", 2, Severity.WARNING)
    ]


def test_other_keys_are_text() -> None:
    data, _, _ = parse_yaml("1: a\n2.5: b\nnull: c\n")
    assert dict(data) == {"1": "a", "2.5": "b", "None": "c"}


def test_deep_nesting_is_refused_before_composing() -> None:
    for deep in ("a: " + "[" * 100_000, "- " * (MAX_DEPTH + 1) + "x"):
        _, _, (problem,) = parse_yaml(deep)
        assert (
            problem.message
            == f"invalid YAML front matter: nested more than {MAX_DEPTH} levels deep"
        )
    # The top-level mapping is one level.
    data, _, problems = parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    assert problems == [] and "a" in data


def test_positions_count_lines_at_lf_only() -> None:
    data, keys, _ = parse_yaml("a: x\r  y\nb: 题\u2028c: 1\n题: 2\n")
    assert data["a"] == "x y"
    assert keys["题"] == (2, 0) and keys["c"] == (1, 5)
    _, _, (problem,) = parse_yaml("a: 1\r\rb: [\n")
    assert (problem.line, problem.column) == (1, 0)


def test_control_characters_are_located() -> None:
    _, _, (problem,) = parse_yaml("title: T\nx: a\x00b\n")
    assert problem.message == ("invalid YAML front matter: control characters are not allowed")
    assert (problem.line, problem.column) == (1, 4)


def test_aliases_are_never_expanded_in_messages() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    from tests.content.helpers import headlines

    assert headlines(f"---\n{bomb}date: *i\ntags: *i\n---\n") == [
        "content/posts/note.md:11:1: error: date: expected a date like 2026-01-11 or 2026-01-11 20:30, got a list",
        "content/posts/note.md:12:1: error: tags: expected text or a list of text, got a list with a list in it",
    ]


def _scanned_depth(raw: str) -> int:
    """The deepest nesting the YAML scanner reports (the slow, exact measure)."""
    depth = deepest = 0
    for token in yaml.scan(raw, Loader=yaml.SafeLoader):
        depth += isinstance(token, _OPENERS) - isinstance(token, _CLOSERS)
        deepest = max(deepest, depth)
    return deepest


def _nested(draw: st.DrawFn, depth: int, indent: int) -> str:
    """A YAML value nested ``depth`` levels, in styles picked at random."""
    if depth == 0:
        return draw(st.sampled_from(["x", "1", "'q'", "题"]))
    style = draw(st.sampled_from(["block-map", "block-seq", "compact", "flow-seq", "flow-map"]))
    inner = _nested(draw, depth - 1, indent + 2)
    if style == "block-map":
        return f"\n{' ' * (indent + 2)}k{depth}: {inner}"
    if style == "block-seq":
        return f"\n{' ' * (indent + 2)}- {inner}"
    if style == "compact":
        return f"\n{' ' * (indent + 2)}- k: {inner}"
    if style == "flow-seq":
        return f"[{inner.strip() if inner.lstrip()[:1] in '[{' else _flat(draw, depth - 1)}]"
    return f"{{k: {inner.strip() if inner.lstrip()[:1] in '[{' else _flat(draw, depth - 1)}}}"


def _flat(draw: st.DrawFn, depth: int) -> str:
    """Flow style only (block style cannot appear inside flow collections)."""
    if depth == 0:
        return "x"
    inner = _flat(draw, depth - 1)
    return f"[{inner}]" if draw(st.booleans()) else f"{{k: {inner}}}"


@st.composite
def _documents(draw: st.DrawFn) -> str:
    keys = draw(st.integers(1, 3))
    return "".join(f"key{n}: {_nested(draw, draw(st.integers(0, 90)), 0)}\n" for n in range(keys))


@settings(max_examples=200, deadline=None)
@given(_documents())
def test_the_quick_depth_bound_never_underestimates(raw: str) -> None:
    try:
        actual = _scanned_depth(raw)
    except yaml.YAMLError:
        return  # not valid YAML: the full check runs on it anyway
    assert _depth_bound(raw) >= actual
    if actual > MAX_DEPTH:
        assert parse_yaml(raw)[2][0].message.endswith(f"nested more than {MAX_DEPTH} levels deep")


_SCALARS = [
    "x", "Note 0: distribution 分布", "注意力机制", "2026-01-11", "2026-01-11 10:00:00", "yes",
    "No", "ON", "off", "true", "False", "~", "null", "Null", "0", "7", "-3", "+5", "007",
    "0x1F", "1_000", "1:20", "1e3", "1.5", ".inf", ".NaN", "<<", "=", "a: b", "a:b", "a #b",
    "a#b", "#c", "-x", "- x", "?x", ":x", "x:", "[a]", "{a}", "a, b", "a,b", "*a", "&a", "!t",
    "|", ">", "%x", "@x", "`x`", 'say "hi"', "it's", "a  b", "\\n", "é", "🙂", "\u00a0x",
    "x\u0085y", "x\u2028y", "x\ty", "x\x07y", "x\ufeffy",
]  # fmt: skip
_KEYS = ["title", "date", "tags", "draft", "yes", "on", "null", "a-b", "_k", "Title", "x1"]


def _value(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_SCALARS))
    form = draw(st.sampled_from(["plain", "double", "single", "flow", "block", "empty"]))
    if form == "double":
        return f' "{text}"'
    if form == "single":
        return f" '{text}'"
    if form == "flow":
        items = draw(st.lists(st.sampled_from(_SCALARS), max_size=3))
        quote = draw(st.sampled_from(["", '"', "'"]))
        return " [" + ", ".join(f"{quote}{item}{quote}" for item in items) + "]"
    if form == "block":
        items = draw(st.lists(st.sampled_from(_SCALARS), min_size=1, max_size=3))
        indent = draw(st.sampled_from(["", "  "]))
        return "".join(f"\n{indent}- {item}" for item in items)
    return "" if form == "empty" else f" {text}"


@st.composite
def _front_matter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        extra = draw(st.sampled_from(["", "", "", "\n", "\n# comment", "   "]))
        lines.append(f"{draw(st.sampled_from(_KEYS))}:{_value(draw)}{extra}")
    return "\n".join(lines) + "\n"


def test_every_scalar_in_every_form_reads_as_yaml_reads_it() -> None:
    forms = [" {}", ' "{}"', " '{}'", " [{}]", ' ["{}", x]', "\n- {}", "\n  - '{}'"]
    read = 0
    for text in _SCALARS:
        for key in _KEYS:
            for form in forms:
                raw = f"{key}:{form.format(text)}\n"
                _agrees(raw)
                read += _simple(raw) is not None
    assert read > len(_SCALARS) * len(_KEYS) * len(forms) // 4  # not all left to YAML


@settings(max_examples=600, deadline=None)
@given(_front_matter())
def test_the_usual_front_matter_reads_as_yaml_reads_it(raw: str) -> None:
    _agrees(raw)


def _agrees(raw: str) -> None:
    """The simple reading of ``raw``, if any, is YAML's."""
    simple = _simple(raw)
    if simple is None:
        return  # left to the YAML parser
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
        expected = loader.construct_document(node)
        keys = {
            str(key.value): (key.start_mark.line, key.start_mark.column) for key, _ in node.value
        }
    finally:
        loader.dispose()
    data, positions = simple
    assert data == expected and list(data) == list(expected)
    assert positions == keys


def test_the_usual_front_matter_is_read_without_the_yaml_parser() -> None:
    raw = (
        'title: "Note 0: distribution 分布"\ndate: 2000-01-01\ncategory: NLP\n'
        "tags: [\"attention\", transformer, '矩阵']\naliases:\n  - /old/\n  - /older/\n"
        "draft: false\nweight: 3\nsummary:\n# a comment\n"
    )
    assert _simple(raw) == (
        {
            "title": "Note 0: distribution 分布",
            "date": "2000-01-01",
            "category": "NLP",
            "tags": ["attention", "transformer", "矩阵"],
            "aliases": ["/old/", "/older/"],
            "draft": False,
            "weight": 3,
            "summary": None,
        },
        {k: (n, 0) for n, k in enumerate(["title", "date", "category", "tags", "aliases"])}
        | {"draft": (7, 0), "weight": (8, 0), "summary": (9, 0)},
    )
    assert parse_yaml(raw)[0] == _simple(raw)[0]  # type: ignore[index]
