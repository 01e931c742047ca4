"""lemmata.toml: reading, defaults, overrides, syntax errors and the fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from lemmata.config import SiteConfig, config_fingerprint, load_config
from lemmata.errors import ConfigError
from tests.config.conftest import Errors, Load


def test_only_title_is_needed_and_defaults_apply(load: Load, tmp_path: Path) -> None:
    config = load('title = "Notes"\n')
    assert config == SiteConfig(title="Notes", root=tmp_path.resolve())
    assert (config.base_url, config.timezone, config.slug_style) == ("/", "UTC", "pinyin")
    assert (config.home.per_page, config.home.hero) == (10, "INCOMING TRANSMISSION")


def test_every_section_is_read(load: Load) -> None:
    config = load(
        'title = "笔记"\nbase_url = "https://a.github.io/notes"\nlanguage = "zh-CN"\n'
        'timezone = "Asia/Shanghai"\npermalink = "/{year}/{month}/{slug}/"\nslug_style = "unicode"\n'
        '[home]\nper_page = 5\nhero = "HELLO"\n[markdown]\nunsafe_html = false\ntoc_depth = 4\n'
        '[math.macros]\n"\\\\R" = "\\\\mathbb{R}"\n[excerpt]\nchars = 80\n[code]\nlight_style = "friendly"\n'
        "[feeds]\nenabled = false\nlimit = 3\n[search]\nenabled = false\n"
        "[extra]\nanything = [1, { two = 2 }]\nwhen = 2026-01-11\n"
    )
    assert config.title == "笔记"
    assert config.base_url == "https://a.github.io/notes/"
    assert (config.language, config.timezone, config.slug_style) == (
        "zh-CN",
        "Asia/Shanghai",
        "unicode",
    )
    assert config.permalink == "/{year}/{month}/{slug}/"
    assert (config.home.per_page, config.home.hero) == (5, "HELLO")
    assert (config.markdown.unsafe_html, config.markdown.toc_depth) == (False, 4)
    assert dict(config.math.macros) == {"\\R": "\\mathbb{R}"}
    assert (config.excerpt.chars, config.excerpt.words) == (80, 60)
    assert config.code.light_style == "friendly"
    assert (config.feeds.enabled, config.feeds.limit, config.search.enabled) == (False, 3, False)
    assert config.extra["anything"] == [1, {"two": 2}]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "lemmata.toml").write_bytes(
        b'\xef\xbb\xbftitle = "N"\r\n[home]\r\nper_page = 2\r\n'
    )
    config = load_config(tmp_path)
    assert (config.title, config.home.per_page) == ("N", 2)


def test_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.diagnostics
    assert problem.headline() == (
        f"error: no lemmata.toml in {tmp_path.resolve()} (run `lemmata init`)"
    )
    assert caught.value.exit_code == 2


def test_syntax_error_is_located(errors: Errors) -> None:
    assert errors('title = "N"\nhero = \n') == [
        "lemmata.toml:2:8: error: invalid TOML: Invalid value"
    ]
    assert errors('title = "N"\n[home\n') == [
        "lemmata.toml:2:6: error: invalid TOML: Expected ']' at the end of a table declaration"
    ]


def test_syntax_error_quotes_its_line(tmp_path: Path) -> None:
    (tmp_path / "lemmata.toml").write_text('title = "N"\nhero = \n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.diagnostics[0].source_line == "hero = "


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    (tmp_path / "lemmata.toml").write_bytes(b'title = "N"\nhero = "\xff"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [d.headline() for d in caught.value.diagnostics] == [
        "lemmata.toml:2:9: error: invalid UTF-8 (byte 0xff at offset 20)"
    ]


def test_overrides_replace_file_values(tmp_path: Path, load: Load) -> None:
    load('title = "N"\nbase_url = "/old/"\n[home]\nper_page = 4\nhero = "H"\n')
    config = load_config(tmp_path, {"base_url": "https://x.org/new", "home": {"per_page": 2}})
    assert config.base_url == "https://x.org/new/"
    assert (config.home.per_page, config.home.hero) == (2, "H")


def test_a_bad_override_is_reported_without_a_line(tmp_path: Path, load: Load) -> None:
    load('title = "N"\nbase_url = "/fine/"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, {"base_url": "ftp://x"})
    (problem,) = caught.value.diagnostics
    assert problem.location is None
    assert problem.headline() == (
        'error: base_url: expected a URL (https://host/path/) or a path (/notes/), got "ftp://x"'
        " (set on the command line)"
    )


def test_fingerprint_follows_settings_not_folder(tmp_path: Path, load: Load) -> None:
    first = load('title = "N"\n[extra]\nwhen = 2026-01-11\n')
    other = tmp_path / "other"
    other.mkdir()
    (other / "lemmata.toml").write_text('title = "N"\n[extra]\nwhen = 2026-01-11\n')
    assert config_fingerprint(first) == config_fingerprint(load_config(other))
    assert config_fingerprint(first) != config_fingerprint(load('title = "M"\n'))
    assert config_fingerprint(first) != config_fingerprint(
        load('title = "N"\n[extra]\nwhen = 2026-01-12\n')
    )
    assert len(config_fingerprint(first)) == 64


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lemmata.toml").write_text('title = "N"\n')

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [d.headline() for d in caught.value.diagnostics] == [
        "error: cannot read lemmata.toml: Permission denied"
    ]
