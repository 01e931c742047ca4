"""Checks of string settings: base URL, permalinks, time zone, language."""

from __future__ import annotations

import pytest

from lemmata.config._checks import (
    base_url,
    language_tag,
    page_permalink,
    post_permalink,
    time_zone,
)
from tests.config.conftest import Errors


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("/", "/"),
        ("/notes", "/notes/"),
        ("https://a.github.io", "https://a.github.io/"),
        ("http://localhost:8000/x/", "http://localhost:8000/x/"),
        ("https://例子.中国/笔记", "https://例子.中国/笔记/"),
    ],
)
def test_base_url_is_normalised(value: str, normalised: str) -> None:
    assert base_url(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "",
        "notes/",
        "//cdn.example/x/",
        "ftp://x/",
        "https://",
        "http:///x",
        "/a b/",
        "https://x.org/?q=1",
        "/notes/#top",
        "https://x.org:port/",
        "https://[::1/",
        "mailto:a@b",
    ],
)
def test_base_url_rejects(value: str) -> None:
    with pytest.raises(ValueError, match=r"^expected a URL \(https://host/path/\) or a path"):
        base_url(value)


@pytest.mark.parametrize(
    "value",
    ["/posts/{slug}/", "/{year}/{month}/{day}/{slug}/", "/{category}/{slug}.html/", "/{slug}/"],
)
def test_post_permalinks_accepted(value: str) -> None:
    assert post_permalink(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "/posts/{id}/",
            "unknown placeholder {id} (expected {slug}, {year}, {month}, {day}, {category})",
        ),
        (
            "/posts/{}/",
            "unknown placeholder {} (expected {slug}, {year}, {month}, {day}, {category})",
        ),
        (
            "/posts/{slug:>9}/",
            "unknown placeholder {slug:>9} (expected {slug}, {year}, {month}, {day}, {category})",
        ),
        (
            "/posts/{slug!r}/",
            "unknown placeholder {slug!r} (expected {slug}, {year}, {month}, {day}, {category})",
        ),
        ("/posts/{slug/", "expected a pattern whose { and } are balanced"),
        ("/posts}/{slug}/", "expected a pattern whose { and } are balanced"),
        ("posts/{slug}/", "expected a pattern that starts and ends with /"),
        ("/posts/{slug}", "expected a pattern that starts and ends with /"),
        ("/../{slug}/", "expected a pattern without . or .. segments"),
        ("/{year}/{month}/", "expected a pattern that contains {slug}"),
    ],
)
def test_post_permalinks_rejected(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        post_permalink(value)
    assert str(caught.value) == message


def test_page_permalinks_have_only_the_slug() -> None:
    assert page_permalink("/p/{slug}/") == "/p/{slug}/"
    with pytest.raises(ValueError, match=r"^unknown placeholder \{year\} \(expected \{slug\}\)$"):
        page_permalink("/{year}/{slug}/")


def test_time_zone_and_language() -> None:
    assert time_zone("Asia/Shanghai") == "Asia/Shanghai"
    for bad in ("", "Asia", "../etc", "/etc/passwd", "utc "):
        with pytest.raises(ValueError, match="unknown time zone"):
            time_zone(bad)
    assert language_tag("zh-Hans-CN") == "zh-Hans-CN"
    with pytest.raises(ValueError, match="language tag"):
        language_tag("zh_CN")


def test_checks_apply_to_the_file(errors: Errors) -> None:
    assert errors('title = "N"\npage_permalink = "/{day}/{slug}/"\n') == [
        "lemmata.toml:2:1: error: page_permalink: unknown placeholder {day} (expected {slug}),"
        ' got "/{day}/{slug}/"'
    ]
