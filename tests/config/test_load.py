"""lemmata.toml: defaults, validation, and errors that name the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lemmata.config import SiteConfig, config_fingerprint, load_config
from lemmata.errors import ConfigError


def _load(tmp_path: Path, text: str) -> SiteConfig:
    (tmp_path / "lemmata.toml").write_text(text, "utf-8")
    return load_config(tmp_path)


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    return [d.headline() for d in caught.value.diagnostics]


def test_only_title_is_needed_and_defaults_apply(tmp_path: Path) -> None:
    config = _load(tmp_path, 'title = "Notes"\n')
    assert config.title == "Notes"
    assert config.root == tmp_path.resolve()
    assert config.base_url == "/"
    assert config.home.per_page == 10
    assert config.home.hero == "INCOMING TRANSMISSION"
    assert config.slug_style == "pinyin"


def test_sections_macros_and_base_url_normalised(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        'title = "N"\nbase_url = "https://a.github.io/notes"\n[home]\nper_page = 5\n'
        '[math.macros]\n"\\\\R" = "\\\\mathbb{R}"\n[extra]\nanything = [1, 2]\n',
    )
    assert config.base_url == "https://a.github.io/notes/"
    assert config.home.per_page == 5
    assert dict(config.math.macros) == {"\\R": "\\mathbb{R}"}
    assert config.extra == {"anything": [1, 2]}


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        'title = "N"\nlanguag = "en"\ntimezone = "Mars/Olympus"\n\n'
        '[home]\nper_page = "ten"\nhero = 3\n\n[code]\ndark_style = "x"\n[search]\nenabled = "yes"\n'
        'permalink = "/p/"\n'
    )
    assert _errors(tmp_path, text) == [
        "lemmata.toml:2:1: error: languag: unknown key (did you mean language?)",
        'lemmata.toml:3:1: error: timezone: unknown time zone, got "Mars/Olympus"',
        'lemmata.toml:6:1: error: [home] per_page: expected a positive integer, got "ten"',
        "lemmata.toml:7:1: error: [home] hero: expected a string, got 3",
        'lemmata.toml:12:1: error: [search] enabled: expected true or false, got "yes"',
        "lemmata.toml:13:1: error: [search] permalink: unknown key",
    ]


def test_error_format_matches_the_documented_example(tmp_path: Path) -> None:
    (problem,) = _errors(tmp_path, 'title = "N"\n\n[home]\nper_page = "ten"\n')
    assert (
        problem
        == 'lemmata.toml:4:1: error: [home] per_page: expected a positive integer, got "ten"'
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('permalink = "/posts/{id}/"', 'permalink: unknown placeholder {id}, got "/posts/{id}/"'),
        (
            'permalink = "posts/{slug}"',
            'permalink: expected a pattern that starts and ends with /, got "posts/{slug}"',
        ),
        ('slug_style = "ascii"', 'slug_style: expected "pinyin" or "unicode", got "ascii"'),
        (
            'base_url = "ftp://x"',
            'base_url: expected a URL (https://host/path/) or a path (/notes/), got "ftp://x"',
        ),
    ],
)
def test_value_checks(tmp_path: Path, line: str, message: str) -> None:
    assert _errors(tmp_path, f'title = "N"\n{line}\n') == [f"lemmata.toml:2:1: error: {message}"]


def test_missing_title_and_syntax_errors(tmp_path: Path) -> None:
    assert _errors(tmp_path, "") == ["lemmata.toml:1:1: error: missing required key title"]
    (syntax,) = _errors(tmp_path, 'title = "N"\n[home\n')
    assert syntax.startswith("lemmata.toml:2:") and "invalid TOML" in syntax


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no lemmata\.toml"):
        load_config(tmp_path)


def test_fingerprint_follows_settings_not_folder(tmp_path: Path) -> None:
    a = _load(tmp_path, 'title = "N"\n')
    other = tmp_path / "other"
    other.mkdir()
    (other / "lemmata.toml").write_text('title = "N"\n')
    assert config_fingerprint(a) == config_fingerprint(load_config(other))
    assert config_fingerprint(a) != config_fingerprint(_load(tmp_path, 'title = "M"\n'))
