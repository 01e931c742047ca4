"""The search index: article bodies only, no MathML, Chinese segmented, switchable."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
from pathlib import Path

import pytest

from lemmata.build import BuildOptions, build
from lemmata.config import load_config
from lemmata.errors import BuildInterruptedError
from lemmata.output import _kept, _search
from lemmata.output._pagefind import index
from lemmata.output._search import part_count, with_search_index
from lemmata.site import OutputFile
from tests.conftest import MakeSite, read_tree

SITE = {
    "lemmata.toml": 'title = "Searchable"\nlanguage = "zh-CN"\n',
    "content/posts/a.md": "---\ntitle: 注意力机制\ndate: 2026-01-02\ncategory: NLP\ntags: [attention]\n---\n"
    "缩放点积注意力的公式是 $\\operatorname{softmax}(QK^\\top)V$。\n",
    "content/posts/d.md": "---\ntitle: Draft\ndate: 2026-01-03\ndraft: true\n---\nsecretdraftword\n",
}


def _fragments(out: Path) -> list[dict[str, object]]:
    """Every page's fragment in the index, in all its parts."""
    return [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        for path in sorted((out / "pagefind").glob("**/fragment/*"))
    ]


def test_index_holds_bodies_without_navigation_or_mathml(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(SITE)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    build(BuildOptions(site_dir=site, jobs=1, drafts=True))
    assert list(elsewhere.iterdir()) == []  # nothing is written outside the output folder
    fragments = _fragments(site / "public")
    assert [f["url"] for f in fragments] == ["/posts/a/"]  # the draft is never indexed
    (fragment,) = fragments
    content = str(fragment["content"])
    assert "缩放" in content
    for chrome in ("Archive", "Categories", "Skip to content", "Built with lemmata", "Related"):
        assert chrome not in content
    for noise in ("<mi>", "<math", "mrow", "softmax"):
        assert noise not in content
    assert fragment["meta"] == {"title": "注意力机制", "date": "2026-01-02", "category": "NLP"}
    assert fragment["filters"] == {"category": ["NLP"], "tag": ["attention"]}


def _bundle(out: Path) -> dict[str, int]:
    files = (p for p in (out / "pagefind").rglob("*") if p.is_file())
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in files}


def test_an_index_kept_as_it_is_is_brought_up_to_date_by_a_full_build(
    make_site: MakeSite,
) -> None:
    site = make_site(SITE)
    out = site / "public"
    first = build(BuildOptions(site_dir=site, jobs=1, keep_search_index=True))
    assert first.search_stale and not (out / "pagefind").exists()  # nothing to keep yet
    assert not build(BuildOptions(site_dir=site, jobs=1)).search_stale
    before = _bundle(out)
    post = site / "content" / "posts" / "a.md"
    post.write_text(post.read_text("utf-8") + "\nnewlyaddedword\n", "utf-8")
    kept = build(BuildOptions(site_dir=site, jobs=1, keep_search_index=True))
    assert kept.search_stale
    assert "newlyaddedword" in (out / "posts" / "a" / "index.html").read_text("utf-8")
    assert _bundle(out) == before  # the very files of the previous index, linked
    assert "newlyaddedword" not in str(_fragments(out))
    full = build(BuildOptions(site_dir=site, jobs=1))
    assert not full.search_stale
    assert "newlyaddedword" in str(_fragments(out))


def test_bundle_leaves_out_pagefinds_prebuilt_interfaces(make_site: MakeSite) -> None:
    site = make_site(SITE)
    build(BuildOptions(site_dir=site, jobs=1))
    names = {path.name for path in (site / "public" / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= names
    assert any(name.startswith("wasm.") for name in names)
    assert not [name for name in names if "ui." in name or "highlight" in name]


def test_search_can_be_turned_off(make_site: MakeSite) -> None:
    site = make_site({**SITE, "lemmata.toml": 'title = "S"\n[search]\nenabled = false\n'})
    build(BuildOptions(site_dir=site, jobs=1))
    assert not (site / "public" / "pagefind").exists()
    assert not (site / "public" / "search").exists()
    assert 'role="search"' not in (site / "public" / "index.html").read_text("utf-8")


def test_missing_pagefind_is_a_clear_error(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    from lemmata.errors import OutputError

    real_import = builtins.__import__

    def no_pagefind(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pagefind"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pagefind)
    site = make_site(SITE)
    with pytest.raises(OutputError, match="Pagefind is not installed"):
        build(BuildOptions(site_dir=site, jobs=1))
    assert not (site / "public").exists()


def test_a_failing_pagefind_is_a_clear_error_and_the_output_stays(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lemmata.errors import OutputError

    site = make_site(SITE)
    build(BuildOptions(site_dir=site, jobs=1))
    before = read_tree(site / "public")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    post = site / "content" / "posts" / "a.md"
    post.write_text(post.read_text("utf-8") + "\nnewlyaddedword\n", "utf-8")
    with pytest.raises(OutputError, match=r"exited with 3.*the index could not be written"):
        build(BuildOptions(site_dir=site, jobs=1))
    assert read_tree(site / "public") == before


def test_part_counts_are_powers_of_two_that_hold_the_pages() -> None:
    assert [part_count(pages, 1000) for pages in (0, 1, 1000, 1001, 2000, 5000)] == [
        1,
        1,
        1,
        2,
        2,
        8,
    ]
    assert part_count(20, 2) == 16


PARTED = {
    **SITE,
    "lemmata.toml": 'title = "Searchable"\nlanguage = "zh-CN"\n[search]\npart_size = 1\n',
    "content/posts/b.md": "---\ntitle: 梯度下降\ndate: 2026-01-03\n---\n学习率与步长。\n",
    "content/posts/c.md": "---\ntitle: Beam search\ndate: 2026-01-04\n---\nKeep the best k.\n",
}


def test_an_index_in_parts_is_made_again_only_where_pages_changed(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pagefind.service import get_executable

    runs = tmp_path / "runs"
    counting = tmp_path / "pagefind"  # Pagefind itself, each run noted
    counting.write_text(f'#!/bin/sh\necho run >> "{runs}"\nexec "{get_executable()}" "$@"\n')
    counting.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(counting))
    site = make_site(PARTED)
    out = site / "public"
    build(BuildOptions(site_dir=site, jobs=1))
    assert runs.read_text().count("run") >= 2  # a run for each part that has pages
    parts = json.loads((out / "pagefind" / "parts.json").read_text("utf-8"))
    assert parts
    assert all((out / "pagefind" / part / "pagefind-entry.json").is_file() for part in parts)
    assert sorted(f["url"] for f in _fragments(out)) == ["/posts/a/", "/posts/b/", "/posts/c/"]
    before = read_tree(out / "pagefind")
    runs.unlink()

    post = site / "content" / "posts" / "a.md"
    post.write_text(post.read_text("utf-8") + "\nnewlyaddedword\n", "utf-8")
    build(BuildOptions(site_dir=site, jobs=1))
    assert runs.read_text() == "run\n"  # only the part of the edited post is made again
    after = read_tree(out / "pagefind")
    changed = {
        path.split("/")[0] if path.startswith("part-") else "part-0"
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    }
    assert len(changed) == 1  # the other parts are the very same files
    assert "newlyaddedword" in str(_fragments(out))


def test_a_page_linked_as_it_was_is_not_read_again_for_the_index(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = "---\ntitle: Newest\ndate: 2026-01-05\n---\nThe newest.\n"
    site = make_site({**PARTED, "content/posts/e.md": newest})
    post = site / "content" / "posts" / "e.md"
    read: list[str] = []  # what was read of each page to index

    def indexed(page: bytes) -> bytes | None:
        text = real(page)
        if text is not None:
            read.append(text.decode())
        return text

    real = _search._indexed
    monkeypatch.setattr(_search, "_indexed", indexed)
    for word in ("firstedit", "secondedit", "thirdedit"):
        read.clear()
        post.write_text(post.read_text("utf-8") + f"\n{word}\n", "utf-8")
        build(BuildOptions(site_dir=site, jobs=1))
    # The third build: b's page is the file the second one linked, it is no neighbour
    # of e, and its part (in four, b is alone in part 2) holds no changed page.
    assert not [page for page in read if '"title">梯度下降</h1>' in page]
    assert [page for page in read if "thirdedit" in page]
    fragments = {f["url"]: str(f["content"]) for f in _fragments(site / "public")}
    assert "thirdedit" in fragments["/posts/e/"]
    assert "/posts/b/" in fragments


def test_parts_no_build_uses_are_removed_once_they_outnumber_the_others(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(PARTED)  # two parts have pages
    post = site / "content" / "posts" / "a.md"
    kept = site / ".lemmata" / "search"
    for number in range(5):
        post.write_text(post.read_text("utf-8") + f"\nedit{number}\n", "utf-8")
        build(BuildOptions(site_dir=site, jobs=1))
    assert len(list(kept.iterdir())) == 6  # outnumbered, but used within ten minutes: kept
    monkeypatch.setattr(_kept, "RECENT_S", 0)
    post.write_text(post.read_text("utf-8") + "\nlast\n", "utf-8")
    build(BuildOptions(site_dir=site, jobs=1))
    assert len(list(kept.iterdir())) == 2  # the two parts of this build
    assert "last" in str(_fragments(site / "public"))


def test_a_kept_part_changed_through_its_link_in_the_output_is_made_again(
    make_site: MakeSite,
) -> None:
    site = make_site(PARTED)
    build(BuildOptions(site_dir=site, jobs=1))
    fragment = next((site / "public" / "pagefind").glob("part-*/fragment/*"))
    original = fragment.read_bytes()
    with fragment.open("ab") as edited:  # in place: the kept part's file too
        edited.write(b"damage")
    build(BuildOptions(site_dir=site, jobs=1))
    assert fragment.read_bytes() == original
    build(BuildOptions(site_dir=site, jobs=1, output_dir=site / "elsewhere"))
    assert (site / "elsewhere" / fragment.relative_to(site / "public")).read_bytes() == original


def test_the_first_part_with_pages_is_the_one_the_others_merge_into(
    make_site: MakeSite,
) -> None:
    # In four parts, these paths fall in parts 1, 3 and 3: part 0 has no page.
    post = "---\ntitle: {0}\ndate: 2026-01-02\n---\nword{0}\n"
    site = make_site(
        {
            "lemmata.toml": 'title = "S"\n[search]\npart_size = 1\n',
            **{f"content/posts/{name}.md": post.format(name) for name in "fgi"},
        }
    )
    build(BuildOptions(site_dir=site, jobs=1))
    bundle = site / "public" / "pagefind"
    assert json.loads((bundle / "parts.json").read_text("utf-8")) == ["part-3/"]
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert [language["page_count"] for language in entry["languages"].values()] == [1]
    assert sorted(f["url"] for f in _fragments(site / "public")) == [
        "/posts/f/",
        "/posts/g/",
        "/posts/i/",
    ]


def test_result_urls_carry_the_base_path(make_site: MakeSite) -> None:
    site = make_site(
        {**SITE, "lemmata.toml": 'title = "S"\nbase_url = "https://a.github.io/notes/"\n'}
    )
    build(BuildOptions(site_dir=site, jobs=1))
    assert [f["url"] for f in _fragments(site / "public")] == ["/notes/posts/a/"]
    search_page = (site / "public" / "search" / "index.html").read_text("utf-8")
    assert 'data-bundle="/notes/pagefind/"' in search_page


def test_an_interrupted_build_leaves_the_previous_output_as_it_was(make_site: MakeSite) -> None:
    site = make_site(SITE)
    out = site / "public"
    build(BuildOptions(site_dir=site, jobs=1))
    before = read_tree(out)
    post = site / "content" / "posts" / "a.md"
    post.write_text(post.read_text("utf-8") + "\nnewlyaddedword\n", "utf-8")
    interrupt = threading.Event()
    interrupt.set()
    with pytest.raises(BuildInterruptedError, match="before its config stage"):
        build(BuildOptions(site_dir=site, jobs=1, interrupt=interrupt))
    assert read_tree(out) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no staging left
    build(BuildOptions(site_dir=site, jobs=1))  # not interrupted: the edit is indexed
    assert "newlyaddedword" in str(_fragments(out))


def test_an_interrupt_stops_passing_pages_on(tmp_path: Path) -> None:
    (tmp_path / "lemmata.toml").write_text('title = "S"\n', "utf-8")
    page = b"<html><body data-pagefind-body><p>word</p></body></html>"
    pages = [OutputFile(f"p{number}/index.html", data=page) for number in range(3)]
    interrupt = threading.Event()
    passed = with_search_index(pages, load_config(tmp_path), interrupt)
    assert next(passed) is pages[0]
    interrupt.set()
    with pytest.raises(BuildInterruptedError):
        next(passed)


def _pagefind_children() -> list[str]:
    commands = []
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            with contextlib.suppress(OSError):
                commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().decode())
    return [command for command in commands if "pagefind" in command]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_an_interrupt_stops_pagefind_while_it_runs(tmp_path: Path) -> None:
    pages = tmp_path / "site"
    for number in range(50):
        page = pages / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body data-pagefind-body><p>word{number}</p></body></html>")
    (tmp_path / "lemmata.toml").write_text('title = "S"\n', "utf-8")
    config = load_config(tmp_path)
    interrupt = threading.Event()
    interrupt.set()  # seen right after Pagefind has started, before it could finish
    with pytest.raises(BuildInterruptedError):
        index(pages, tmp_path / "bundle", config, interrupt)
    assert _pagefind_children() == []  # stopped and waited for, not left running
    assert "Finished" not in (tmp_path / "pagefind.log").read_text("utf-8")  # not let finish
