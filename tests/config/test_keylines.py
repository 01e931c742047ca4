"""Positions of keys in TOML text."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from lemmata.config._keylines import key_positions, position_of


def test_tables_keys_dotted_and_inline() -> None:
    text = (
        "title = 'N'\n"
        "[home]  # front page\n"
        "  per_page = 3\n"
        '[ "math" . macros ]\n'
        '"\\\\R" = "x"\n'
        "[feeds]\n"
        "a.b . c = 1\n"
        "t = { x = 1, y = { z = [1, 2] } }\n"
    )
    found = key_positions(text)
    assert found[("title",)] == (1, 1)
    assert found[("home",)] == (2, 1)
    assert found[("home", "per_page")] == (3, 3)
    assert found[("math", "macros")] == (4, 1)
    assert found[("math", "macros", "\\R")] == (5, 1)
    assert found[("feeds", "a")] == found[("feeds", "a", "b", "c")] == (7, 1)
    assert found[("feeds", "t", "x")] == (8, 7)
    assert found[("feeds", "t", "y", "z")] == (8, 20)


def test_strings_and_arrays_hide_their_contents() -> None:
    text = (
        'a = """\nb = 1\n"""""\n'
        "c = '''\nd = 2'''\n"
        'e = "f = 3 \\" g = 4"\n'
        "h = [\n  'i = 5',\n  { j = 6 },\n  [ { k = 7 } ],\n]\n"
        "l = 8\n"
    )
    assert tomllib.loads(text)["a"] == 'b = 1\n""'
    found = key_positions(text)
    assert set(found) == {("a",), ("c",), ("e",), ("h",), ("l",)}
    assert found[("l",)] == (12, 1)


def test_arrays_of_tables_place_keys_at_the_header() -> None:
    text = "[[item]]\nname = 1\n[[item]]\nname = 2\n"
    found = key_positions(text)
    assert found[("item",)] == (1, 1)
    assert position_of(found, ("item", "name")) == (2, 1)
    assert position_of(found, ("nowhere", "x")) == (1, 1)


def test_crlf_and_comments() -> None:
    found = key_positions("# c\r\n\r\na = 1 # x\r\n[s] # y\r\nb = 2\r\n")
    assert found == {("a",): (3, 1), ("s",): (4, 1), ("s", "b"): (5, 1)}


_KEYS = st.from_regex(r"[a-z][a-z_-]{0,5}", fullmatch=True)
_SCALARS = st.one_of(st.integers(), st.booleans(), st.text(max_size=8), st.floats(allow_nan=False))


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode().replace('"', '\\"') + '"'
    return str(value)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, st.dictionaries(_KEYS, _SCALARS, max_size=4), max_size=4))
def test_every_key_of_generated_tables_is_found_on_its_line(
    tables: dict[str, dict[str, object]],
) -> None:
    lines: list[str] = []
    expected: dict[tuple[str, ...], tuple[int, int]] = {}
    for name, values in tables.items():
        lines.append(f"[{name}]")
        expected[(name,)] = (len(lines), 1)
        for key, value in values.items():
            lines.append(f"{key} = {_toml(value)}")
            expected[(name, key)] = (len(lines), 1)
    text = "\n".join(lines) + "\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a generated string the TOML grammar does not allow
    assert key_positions(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]{}\"'=.,\n #ab1-_\\tr", max_size=40))
def test_any_valid_toml_is_scanned_without_error(text: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    lines = text.split("\n")
    for line, column in key_positions(text).values():
        assert 1 <= line <= len(lines)
        assert 1 <= column <= len(lines[line - 1])
