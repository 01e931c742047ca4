"""Pages rendered over forked workers: in order, byte-identical, errors located."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lemmata import _fork
from lemmata.build import BuildOptions, build
from lemmata.errors import ContentError, SourceText
from lemmata.markup import _batch as batch
from lemmata.site import Route
from lemmata.theme import _parallel
from lemmata.theme._pagecache import Digests
from lemmata.theme._parallel import render_all
from tests.conftest import MakeSite, read_tree

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork for even a handful of pages, whatever threads the test runner has."""
    monkeypatch.setattr(_parallel, "_MIN_PER_WORKER", 1)
    monkeypatch.setattr(_parallel, "_CHUNK", 3)
    monkeypatch.setattr(_fork, "is_safe", lambda: True)


def _routes(count: int) -> list[Route]:
    return [Route(f"p{i}/index.html", f"/p{i}/", "post.html") for i in range(count)]


def test_pages_come_back_in_order_from_other_processes(eager: None) -> None:
    def render(route: Route) -> tuple[bytes, frozenset[str]]:
        return f"{route.url} {os.getpid()}".encode(), frozenset({route.url})

    pages = list(render_all(render, _routes(40), jobs=2))
    assert [p.split()[0] for p, _ in pages] == [f"/p{i}/".encode() for i in range(40)]
    assert [used for _, used in pages] == [frozenset({f"/p{i}/"}) for i in range(40)]
    assert str(os.getpid()).encode() not in {p.split()[1] for p, _ in pages}


def test_one_job_renders_here(eager: None) -> None:
    def render(route: Route) -> tuple[bytes, frozenset[str]]:
        return str(os.getpid()).encode(), frozenset()

    assert {p for p, _ in render_all(render, _routes(10), jobs=1)} == {str(os.getpid()).encode()}


def test_an_error_in_a_worker_keeps_its_diagnostics(eager: None) -> None:
    def render(route: Route) -> tuple[bytes, frozenset[str]]:
        if route.url == "/p7/":
            raise ContentError((SourceText("templates/post.html", "a\nb\n").error("bad", line=2),))
        return b"", frozenset()

    with pytest.raises(ContentError) as caught:
        list(render_all(render, _routes(20), jobs=2))
    (problem,) = caught.value.diagnostics
    assert problem.message == "bad"
    assert problem.location is not None and problem.location.line == 2


def test_a_site_built_with_two_jobs_is_byte_identical(
    make_site: MakeSite, tmp_path: Path, eager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_MIN_PER_WORKER", 1)  # documents over spawned workers too
    posts = {
        f"content/posts/p{i}.md": f"---\ntitle: P{i}\ndate: 2026-01-{i + 1:02d}\n"
        f"tags: [t{i % 3}]\ncategory: C{i % 2}\n---\n\nText $x_{i}$ and [next](p{(i + 1) % 12}.md).\n"
        for i in range(12)
    }
    site = make_site({**posts, "lemmata.toml": 'title = "T"\n[search]\nenabled = false\n'})
    build(BuildOptions(site_dir=site, output_dir=tmp_path / "one", jobs=1, now=NOW))
    shutil.rmtree(site / ".lemmata")  # nothing cached: every document rendered again
    build(BuildOptions(site_dir=site, output_dir=tmp_path / "two", jobs=2, now=NOW))
    one, two = read_tree(tmp_path / "one"), read_tree(tmp_path / "two")
    assert len(one) > 30
    assert one == two


def test_pages_keyed_by_workers_are_reused_by_a_build_keying_them_here(
    make_site: MakeSite, eager: None, rendered: list[str]
) -> None:
    posts = {
        f"content/posts/p{i}.md": f"---\ntitle: P{i}\ndate: 2026-01-{i + 1:02d}\n"
        f"tags: [t{i % 3}]\n---\n\nOpening {i}.\n"
        for i in range(12)
    }
    config = {"lemmata.toml": 'title = "T"\n[search]\nenabled = false\n'}

    def rendered_again(first_jobs: int) -> list[str]:
        """The pages a one-job rebuild renders after an edit, the first build's pages
        having been rendered and keyed by ``first_jobs``."""
        site = make_site({**posts, **config})
        build(BuildOptions(site_dir=site, jobs=first_jobs, now=NOW))
        edited = site / "content/posts/p0.md"
        edited.write_text(edited.read_text("utf-8") + "\nClosing.\n", "utf-8")
        rendered.clear()
        build(BuildOptions(site_dir=site, jobs=1, now=NOW))
        return rendered.copy()

    here = rendered_again(first_jobs=1)
    assert "/posts/p0/" in here and "/posts/p5/" not in here
    assert rendered_again(first_jobs=2) == here


def test_entries_digested_by_workers_are_kept_for_the_next_build(
    make_site: MakeSite, eager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = {
        f"content/posts/p{i}.md": f"---\ntitle: P{i}\ndate: 2026-01-{i + 1:02d}\n---\n\nText {i}.\n"
        for i in range(12)
    }
    site = make_site({**posts, "lemmata.toml": 'title = "T"\n[search]\nenabled = false\n'})
    build(BuildOptions(site_dir=site, jobs=2, now=NOW))  # entries digested in the workers
    digested: list[str] = []
    real = Digests._digest_both

    def counted(self: Digests, entry: Any) -> Any:
        digested.append(entry.url)
        return real(self, entry)

    monkeypatch.setattr(Digests, "_digest_both", counted)
    edited = site / "content/posts/p3.md"
    edited.write_text(edited.read_text("utf-8") + "\nMore.\n", "utf-8")
    build(BuildOptions(site_dir=site, jobs=1, now=NOW))
    assert digested == ["/posts/p3/"]
