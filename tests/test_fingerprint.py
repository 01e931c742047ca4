"""A rebuild with nothing changed does nothing; any change to inputs or output is noticed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lemmata import fingerprint
from lemmata.build import BuildOptions, BuildReport, build
from tests.conftest import MakeSite

NOW = datetime(2026, 6, 1, tzinfo=UTC)
POST = "---\ntitle: {title}\ndate: {date}\n---\n\nSome $x^2$ math.\n"


def _build(site: Path, now: datetime = NOW) -> BuildReport:
    return build(BuildOptions(site_dir=site, jobs=1, now=now))


def _site(make_site: MakeSite) -> Path:
    return make_site(
        {
            "content/posts/a.md": POST.format(title="A", date="2026-01-01"),
            "content/posts/b.md": POST.format(title="B", date="2026-01-02"),
        }
    )


def test_nothing_changed_is_skipped(make_site: MakeSite) -> None:
    site = _site(make_site)
    first = _build(site)
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    second = _build(site)
    assert not first.skipped
    assert second.skipped
    assert second.pages == first.pages
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before


_BUILD_AND_LIST_IMPORTS = """
import os, sys
from lemmata.cli import app
try:
    app(["build", sys.argv[1], "--quiet"])
except SystemExit:
    pass
heavy = ("lemmata.content", "lemmata.markup", "lemmata.site", "lemmata.theme",
         "lemmata.output", "markdown_it", "jinja2", "pygments", "pypinyin", "yaml")
print(" ".join(name for name in heavy if name in sys.modules), flush=True)
os._exit(0)  # as the command line leaves: tearing down V8 at exit can hang
"""


def test_a_build_with_nothing_to_do_imports_no_stage(make_site: MakeSite) -> None:
    # Such a build is mostly Python's imports: the stages' would double it.
    site = _site(make_site)

    def imported() -> list[str]:
        ran = subprocess.run(
            [sys.executable, "-c", _BUILD_AND_LIST_IMPORTS, str(site)],
            capture_output=True,
            text=True,
            check=True,
        )
        return ran.stdout.split()

    assert "lemmata.markup" in imported()  # the first build needs them all
    assert imported() == []


def test_a_touched_file_is_rebuilt_from_the_cache_without_rendering(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site)
    _build(site)
    for path in (site / "content" / "posts").iterdir():
        os.utime(path, ns=(1, 1))

    def no_rendering(*_args: object) -> None:
        raise AssertionError("rendered although the source was unchanged")

    monkeypatch.setattr("lemmata.markup._render.render_document", no_rendering)
    assert not _build(site).skipped


@pytest.mark.parametrize("change", ["edit", "delete-output-file", "add-static-file", "config"])
def test_a_change_is_noticed(make_site: MakeSite, change: str) -> None:
    site = _site(make_site)
    _build(site)
    if change == "edit":
        (site / "content/posts/a.md").write_text(POST.format(title="A2", date="2026-01-01"))
    elif change == "delete-output-file":
        (site / "public" / "posts" / "a" / "index.html").unlink()
    elif change == "add-static-file":
        (site / "static").mkdir()
        (site / "static" / "x.txt").write_text("x")
    else:
        (site / "lemmata.toml").write_text('title = "Other"\nbase_url = "https://example.org/"\n')
    report = _build(site)
    assert not report.skipped
    page = (site / "public" / "posts" / "a" / "index.html").read_text("utf-8")
    assert ("A2" in page) == (change == "edit")
    assert ("Other" in page) == (change == "config")
    assert (site / "public" / "x.txt").exists() == (change == "add-static-file")


def test_a_post_whose_date_arrives_is_published(make_site: MakeSite) -> None:
    site = _site(make_site)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    (site / "content/posts/later.md").write_text(POST.format(title="Later", date=due.isoformat()))
    options = BuildOptions(site_dir=site, jobs=1)  # the real clock: nothing else changes
    build(options)
    assert not (site / "public" / "posts" / "later").exists()
    assert build(options).skipped
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.5)
    report = build(options)
    assert not report.skipped
    assert (site / "public" / "posts" / "later" / "index.html").exists()


def test_the_cache_folder_is_safe_to_delete(make_site: MakeSite) -> None:
    site = _site(make_site)
    _build(site)
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    shutil.rmtree(site / ".lemmata")
    assert not _build(site).skipped
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before


def test_a_moved_link_target_updates_the_unchanged_page_linking_to_it(
    make_site: MakeSite,
) -> None:
    # a.md is not edited: its render comes from the cache and its page record is
    # checked, while the URL its body links to has changed. b is neither a's
    # neighbour nor among its related posts (those share a tag with a), and the
    # link is after the excerpt.
    tagged = "---\ntitle: {title}\ndate: {date}\ntags: [t]\n---\n\n{body}\n"
    files = {
        f"content/posts/c{n}.md": tagged.format(title=f"C{n}", date=f"2026-01-0{n}", body="C.")
        for n in range(1, 7)
    }
    files["content/posts/a.md"] = tagged.format(
        title="A", date="2026-01-10", body="Intro.\n\n<!--more-->\n\nSee [B](b.md)."
    )
    files["content/posts/b.md"] = POST.format(title="B", date="2025-01-01")
    site = make_site(files)
    _build(site)
    page = site / "public" / "posts" / "a" / "index.html"
    assert 'href="/posts/b/"' in page.read_text()
    b = site / "content" / "posts" / "b.md"
    b.write_text(b.read_text().replace("title: B", "title: B\nslug: moved"))
    _build(site)
    assert 'href="/posts/moved/"' in page.read_text()


def _changed(site: Path) -> list[str] | None:
    options = repr("the same options")
    previous = fingerprint.load_state(site / ".lemmata")
    return fingerprint.changed_sources(previous, fingerprint.inputs(site, options))


def _record(site: Path) -> None:
    read = fingerprint.inputs(site, repr("the same options"))
    fingerprint.record(site / ".lemmata", read, site / "public", None, [], (0, 0))


def test_the_sources_changed_since_the_last_build_are_known(make_site: MakeSite) -> None:
    site = _site(make_site)
    assert _changed(site) is None  # no build yet: anything may have changed
    _record(site)
    assert _changed(site) == []
    (site / "content/posts/a.md").write_text(POST.format(title="A2", date="2026-01-01"))
    (site / "content/posts/c.md").write_text(POST.format(title="C", date="2026-01-03"))
    assert sorted(_changed(site) or []) == ["content/posts/a.md", "content/posts/c.md"]
    _record(site)
    (site / "content/posts/b.md").unlink()
    assert _changed(site) == []  # nothing to render for a deleted file
    (site / "lemmata.toml").write_text('title = "Other"\nbase_url = "https://example.org/"\n')
    assert _changed(site) is None  # the configuration may change every document
    _record(site)
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text("x")
    assert _changed(site) is None


def test_the_output_summary_counts_files_and_bytes_below_every_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "posts" / "a").mkdir(parents=True)
    (out / "index.html").write_bytes(b"12345")
    (out / "posts" / "a" / "index.html").write_bytes(b"123")
    (out / "posts" / "empty").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "big.bin").write_bytes(b"x" * 1000)
    (out / "linked").symlink_to(elsewhere)  # a link to a folder is not followed
    assert fingerprint.output_summary(out) == (2, 8)
    assert fingerprint.output_summary(tmp_path / "missing") == (0, 0)
