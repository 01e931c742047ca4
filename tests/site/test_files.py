"""Static files and bundle files: what is published, and where."""

from __future__ import annotations

from tests.site.conftest import Fixture, headlines


def test_static_keeps_host_files_and_skips_hidden_and_junk(site: Fixture) -> None:
    for path in (
        "static/favicon.svg",
        "static/.nojekyll",
        "static/.well-known/security.txt",
        "static/.keep",
        "static/.DS_Store",
        "static/.git/config",
        "static/css/a.css~",
        "static/Thumbs.db",
    ):
        site.file(path)
    built = site.assemble()
    assert [f.path for f in built.files] == [".nojekyll", ".well-known/security.txt", "favicon.svg"]
    assert built.files[2].source == str(site.root / "static/favicon.svg")


def test_bundle_files_are_copied_beside_the_page(site: Fixture) -> None:
    site.add("content/posts/fig/index.md", html='<img src="raw.png">')
    site.file("content/posts/fig/raw.png")
    site.file("content/posts/fig/data/table.csv")
    site.file("content/posts/fig/_private.png")
    site.file("content/posts/fig/notes.md")
    site.file("content/posts/fig/.hidden")
    built = site.assemble(base_url="/notes/")
    assert [f.path for f in built.files] == ["posts/fig/data/table.csv", "posts/fig/raw.png"]


def test_nested_bundle_files_belong_to_the_inner_bundle(site: Fixture) -> None:
    site.add("content/posts/outer/index.md")
    site.add("content/posts/outer/inner/index.md", date="2026-01-02")
    site.file("content/posts/outer/inner/x.png")
    built = site.assemble()
    assert [f.path for f in built.files] == ["posts/inner/x.png"]


def test_static_file_replaced_by_a_generated_page_is_a_warning(site: Fixture) -> None:
    site.file("static/index.html")
    built = site.assemble()
    assert headlines(built.diagnostics) == [
        "static/index.html:1:1: warning: static/index.html is replaced in the output by the home page (/)"
    ]
