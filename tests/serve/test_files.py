"""Request paths map to files of the built folder and to nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from lemmata.serve._files import content_type, find


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    (root / "posts" / "a").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "posts" / "a" / "index.html").write_text("post")
    (root / "empty").mkdir()
    (root / "style.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("outside")
    return root


def test_a_folder_serves_its_index(built: Path) -> None:
    assert find(built, "/", "/").path == built / "index.html"
    assert find(built, "/", "/posts/a/").path == built / "posts" / "a" / "index.html"


def test_a_folder_without_its_slash_redirects(built: Path) -> None:
    assert find(built, "/", "/posts/a").redirect == "/posts/a/"


def test_a_folder_without_an_index_is_not_listed(built: Path) -> None:
    found = find(built, "/", "/empty/")
    assert found.path is None and found.redirect is None


@pytest.mark.parametrize(
    "raw",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//../secret.txt",
        "/%00index.html",
        "/index.html%00",
    ],
)
def test_every_spelling_of_parent_is_refused(built: Path, raw: str) -> None:
    assert find(built, "/", raw).path is None


def test_an_absolute_path_inside_the_request_stays_inside(built: Path) -> None:
    # ``//etc/passwd`` must not be joined as an absolute path.
    assert find(built, "/", "//" + str(built.parent / "secret.txt")).path is None


def test_symlinks_out_of_the_folder_are_refused(built: Path) -> None:
    (built / "link.txt").symlink_to(built.parent / "secret.txt")
    (built / "linked").symlink_to(built.parent, target_is_directory=True)
    assert find(built, "/", "/link.txt").path is None
    assert find(built, "/", "/linked/secret.txt").path is None


def test_symlinks_within_the_folder_are_followed(built: Path) -> None:
    (built / "alias.css").symlink_to(built / "style.css")
    assert find(built, "/", "/alias.css").path == built / "style.css"


def test_paths_outside_the_base_path_are_not_found(built: Path) -> None:
    assert find(built, "/notes/", "/style.css").path is None
    assert find(built, "/notes/", "/notes/style.css").path == built / "style.css"
    assert find(built, "/notes/", "/notes").redirect == "/notes/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.html", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("a.json", "application/json; charset=utf-8"),
        ("a.svg", "image/svg+xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("a.png", "image/png"),
        ("a.JPG", "image/jpeg"),
        ("a.webp", "image/webp"),
        ("a.woff2", "font/woff2"),
        ("no-suffix", "application/octet-stream"),
    ],
)
def test_content_types(name: str, expected: str) -> None:
    assert content_type(Path(name)) == expected
