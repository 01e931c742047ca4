"""Running an import again: no second post, edits kept unless forced."""

from __future__ import annotations

from pathlib import Path

from lemmata.importers import Outcome, import_hexo, import_notebooks
from tests.importers.helpers import FIXTURES, new_site, posts, written


def _outcomes(report: object) -> list[Outcome]:
    return [r.outcome for r in report.results]  # type: ignore[attr-defined]


def test_second_import_changes_nothing(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_hexo(FIXTURES / "hexo", site)
    before = {p: (site / p).read_bytes() for p in posts(site)}
    again = import_hexo(FIXTURES / "hexo", site)
    assert _outcomes(again).count(Outcome.UNCHANGED) == 3
    assert {p: (site / p).read_bytes() for p in posts(site)} == before


def test_imported_from_and_hash_are_recorded(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_hexo(FIXTURES / "hexo", site)
    post = written(site, "content/posts/idea.md")
    assert post.front["imported_from"] == str((FIXTURES / "hexo/source/_drafts/idea.md").resolve())
    assert isinstance(post.front["import_hash"], str) and len(post.front["import_hash"]) == 16


def test_edited_post_is_not_overwritten_without_force(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_hexo(FIXTURES / "hexo", site)
    target = site / "content/posts/idea.md"
    edited = target.read_text("utf-8") + "\nMy own addition.\n"
    target.write_text(edited, "utf-8")
    again = import_hexo(FIXTURES / "hexo", site)
    skipped = [r for r in again.results if r.outcome is Outcome.SKIPPED]
    assert [r.path for r in skipped] == ["content/posts/idea.md"]
    assert target.read_text("utf-8") == edited
    assert any(
        d.message.startswith("content/posts/idea.md was edited since it was imported")
        and d.message.endswith("(use --force to overwrite)")
        for d in again.diagnostics
    )
    assert again.count(Outcome.FAILED) == 1  # broken.md, as on the first run
    forced = import_hexo(FIXTURES / "hexo", site, force=True)
    assert "My own addition." not in target.read_text("utf-8")
    assert [r.outcome for r in forced.results if r.path == "content/posts/idea.md"] == [
        Outcome.UPDATED
    ]
    assert len(posts(site)) == 3


def test_changed_source_updates_the_same_post(tmp_path: Path) -> None:
    source = tmp_path / "notebooks"
    source.mkdir()
    notebook = (FIXTURES / "notebooks/monte-carlo.ipynb").read_text("utf-8")
    (source / "mc.ipynb").write_text(notebook, "utf-8")
    site = new_site(tmp_path)
    import_notebooks(source / "mc.ipynb", site)
    (source / "mc.ipynb").write_text(notebook.replace("3.14172", "3.14159"), "utf-8")
    again = import_notebooks(source / "mc.ipynb", site)
    assert _outcomes(again) == [Outcome.UPDATED]
    assert posts(site) == ["content/posts/mc.ipynb"]
    assert "3.14159" in (site / "content/posts/mc.ipynb").read_text("utf-8")


def test_slug_taken_by_another_post_gets_a_number(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    (site / "content/posts").mkdir(parents=True)
    (site / "content/posts/idea.md").write_text("---\ntitle: Mine\n---\nMine.\n", "utf-8")
    import_hexo(FIXTURES / "hexo", site)
    assert "content/posts/idea-2.md" in posts(site)
    assert (site / "content/posts/idea.md").read_text("utf-8") == "---\ntitle: Mine\n---\nMine.\n"
