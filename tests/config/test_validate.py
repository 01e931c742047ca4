"""Validation against the schema: exact messages, each at its key's line and column."""

from __future__ import annotations

import pytest

from tests.config.conftest import Errors


def test_documented_example(errors: Errors) -> None:
    assert errors('title = "N"\n\n[home]\nper_page = "ten"\n') == [
        'lemmata.toml:4:1: error: [home] per_page: expected a positive integer, got "ten"'
    ]


def test_unknown_key_suggests_the_close_one(errors: Errors) -> None:
    text = 'title = "N"\n\n[home]\nhero = "H"\n\n# per page\nper_pag = 10\n'
    assert errors(text) == [
        "lemmata.toml:7:1: error: unknown key [home] per_pag (did you mean per_page?)"
    ]


def test_every_problem_is_collected_in_file_order(errors: Errors) -> None:
    text = (
        'title = "N"\nlanguag = "en"\ntimezone = "Mars/Olympus"\n\n'
        '[home]\nper_page = 0\nhero = 3\n\n[code]\ndark_style = "x"\n[search]\nenabled = "yes"\n'
        'permalink = "/p/"\n[serch]\nenabled = true\n'
    )
    assert errors(text) == [
        "lemmata.toml:2:1: error: unknown key languag (did you mean language?)",
        "lemmata.toml:3:1: error: timezone: unknown time zone (expected an IANA name such as"
        ' Asia/Shanghai), got "Mars/Olympus"',
        "lemmata.toml:6:1: error: [home] per_page: expected a positive integer, got 0",
        "lemmata.toml:7:1: error: [home] hero: expected a string, got 3",
        "lemmata.toml:10:1: error: [code] dark_style: unknown Pygments style"
        ' (expected a name such as default or monokai), got "x"',
        'lemmata.toml:12:1: error: [search] enabled: expected true or false, got "yes"',
        "lemmata.toml:13:1: error: unknown key [search] permalink",
        "lemmata.toml:14:1: error: unknown section [serch] (did you mean [search]?)",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('slug_style = "ascii"', 'slug_style: expected "pinyin" or "unicode", got "ascii"'),
        (
            'language = "english!"',
            'language: expected a language tag such as en or zh-CN, got "english!"',
        ),
        (
            'timezone = "Asia"',
            'timezone: unknown time zone (expected an IANA name such as Asia/Shanghai), got "Asia"',
        ),
        ("home = 3", "home: expected a table, got 3"),
        (
            'code.light_style = "monokia"',
            '[code] light_style: unknown Pygments style (did you mean monokai?), got "monokia"',
        ),
        ("extra = [1]", "extra: expected a table, got a list"),
        ("home.per_page = 2.5", "[home] per_page: expected a positive integer, got 2.5"),
        ("home.per_page = true", "[home] per_page: expected a positive integer, got true"),
        ("markdown.toc_depth = 7", "[markdown] toc_depth: expected an integer from 2 to 6, got 7"),
        ("markdown.unsafe_html = 1", "[markdown] unsafe_html: expected true or false, got 1"),
        ("feeds.limit = -1", "[feeds] limit: expected a positive integer, got -1"),
        (
            "math.timeout_ms = 1979-05-27",
            "[math] timeout_ms: expected a positive integer, got 1979-05-27",
        ),
    ],
)
def test_value_types(errors: Errors, line: str, message: str) -> None:
    assert errors(f'title = "N"\n{line}\n') == [f"lemmata.toml:2:1: error: {message}"]


def test_title_is_a_non_empty_string(errors: Errors) -> None:
    assert errors("title = 5\n") == ["lemmata.toml:1:1: error: title: expected a string, got 5"]
    assert errors('title = "  "\n') == [
        'lemmata.toml:1:1: error: title: expected a non-empty string, got "  "'
    ]


def test_missing_title(errors: Errors) -> None:
    assert errors("") == ["lemmata.toml:1:1: error: missing required key title"]
    assert errors("[home]\nper_page = 2\n") == [
        "lemmata.toml:1:1: error: missing required key title"
    ]


def test_root_cannot_be_set_from_the_file(errors: Errors) -> None:
    assert errors('title = "N"\nroot = "/etc"\n') == ["lemmata.toml:2:1: error: unknown key root"]


def test_macros_must_be_strings_and_are_named(errors: Errors) -> None:
    text = 'title = "N"\n[math.macros]\n"\\\\R" = "\\\\mathbb{R}"\n"\\\\N" = 3\n'
    assert errors(text) == [
        'lemmata.toml:4:1: error: [math.macros] "\\\\N": expected a string, got 3'
    ]


def test_extra_accepts_anything(errors: Errors) -> None:
    text = 'title = 1\n[extra]\nnested = { a = [1, 2.5, true] }\n"odd key" = 2026-01-11T09:30:00\n'
    assert errors(text) == ["lemmata.toml:1:1: error: title: expected a string, got 1"]


def test_keys_in_inline_and_dotted_tables_are_located(errors: Errors) -> None:
    text = (
        'title = "N"\n'
        "home = { hero = 1, per_page = 0 }\n"
        "markdown.toc_depth = 1\n"
        "  feeds . limit = 0 # indented\n"
    )
    assert errors(text) == [
        "lemmata.toml:2:10: error: [home] hero: expected a string, got 1",
        "lemmata.toml:2:20: error: [home] per_page: expected a positive integer, got 0",
        "lemmata.toml:3:1: error: [markdown] toc_depth: expected an integer from 2 to 6, got 1",
        "lemmata.toml:4:3: error: [feeds] limit: expected a positive integer, got 0",
    ]


def test_keys_after_multiline_strings_and_arrays_are_located(errors: Errors) -> None:
    text = (
        'title = "N"\n'
        'description = """\n'
        "hero = 1\n"
        '"""\n'
        "[extra]\n"
        "list = [\n"
        "  { per_page = 1 },  # not a setting\n"
        "]\n"
        "[home]\n"
        "per_page = 0\n"
    )
    assert errors(text) == [
        "lemmata.toml:10:1: error: [home] per_page: expected a positive integer, got 0"
    ]


def test_unknown_nested_section_is_placed_at_its_header(errors: Errors) -> None:
    assert errors('title = "N"\n\n  [home.cards]\n  size = 2\n') == [
        "lemmata.toml:3:3: error: unknown section [home.cards]"
    ]
