"""Formulas and code blocks kept across builds: a small rebuild reuses those unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from lemmata.config import load_config
from lemmata.content import load_documents
from lemmata.markup import _batch, _highlight, _math, render_documents

_POST = """---
title: A
---

Text with $e^{i\\pi}$ and

```python
print("kept")
```
"""


def _render(root: Path) -> str:
    config = load_config(root)
    documents, _ = load_documents(config)
    rendered = render_documents(documents, config, jobs=1)
    [only] = rendered.values()
    assert not [d for d in only.diagnostics if d.is_error]
    return only.body.text


def _site(root: Path) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "lemmata.toml").write_text('title = "T"\nbase_url = "https://x.example/"\n')
    (root / "content" / "posts" / "a.md").write_text(_POST, "utf-8")
    return root


def _rendered_once(tmp_path: Path) -> tuple[Path, Path]:
    """A site rendered once, and its post."""
    root = _site(tmp_path)
    _render(root)
    return root, root / "content" / "posts" / "a.md"


def _watch(patch: pytest.MonkeyPatch) -> list[str]:
    """Formulas given to the math engine (alone or together) and languages lexers were
    made for, from now on."""
    used: list[str] = []
    render_json = _math.MathEngine.render_json
    render_many = _math.MathEngine.render_many
    lexer = _highlight._lexer

    def engine(self: _math.MathEngine, tex: str, *rest: object) -> _math.MathResult:
        used.append(tex)
        return render_json(self, tex, *rest)  # type: ignore[arg-type]

    def together(self: _math.MathEngine, formulas: list[tuple[str, bool]], *rest: Any) -> None:
        used.extend(f"{tex} (together)" for tex, _ in formulas)
        render_many(self, formulas, *rest)

    def make_lexer(name: str) -> object:
        used.append(name)
        return lexer(name)

    patch.setattr(_math.MathEngine, "render_json", engine)
    patch.setattr(_math.MathEngine, "render_many", together)
    patch.setattr(_highlight, "_lexer", make_lexer)
    return used


def test_an_edited_post_reuses_its_unchanged_formulas_and_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    first = _render(root)
    (root / "content" / "posts" / "a.md").write_text(_POST + "\nA new paragraph.\n", "utf-8")
    used = _watch(monkeypatch)
    second = _render(root)
    assert used == []
    assert second.startswith(first.removesuffix("\n")) and "A new paragraph." in second


def test_a_changed_formula_or_code_block_is_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, post = _rendered_once(tmp_path)
    used = _watch(monkeypatch)
    post.write_text(_POST.replace("e^{i\\pi}", "e^{i\\tau}"), "utf-8")
    assert "<mi>τ</mi>" in _render(root)
    assert set(used) == {"e^{i\\tau}"}
    post.write_text(_POST.replace('"kept"', '"changed"'), "utf-8")
    assert "changed" in _render(root)
    assert set(used) == {"e^{i\\tau}", "python"}


def test_only_new_formulas_are_rendered_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, post = _rendered_once(tmp_path)
    post.write_text(_POST + "\nNew $p_1$ and $q_2$, kept $e^{i\\pi}$.\n", "utf-8")
    used = _watch(monkeypatch)
    assert _render(root).count("<math") == 4  # the one before, and three in the new paragraph
    assert set(used) == {"p_1 (together)", "q_2 (together)", "p_1", "q_2"}


def test_without_a_cache_nothing_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path)
    config = load_config(root)
    documents, _ = load_documents(config, use_cache=False)
    render_documents(documents, config, jobs=1, use_cache=False)
    assert not (root / ".lemmata").exists()
    used = _watch(monkeypatch)
    render_documents(documents, config, jobs=1, use_cache=False)
    assert set(used) == {"e^{i\\pi}", "python"}


def test_a_kept_formula_error_is_still_reported_where_it_is(tmp_path: Path) -> None:
    root = _site(tmp_path)
    post = root / "content" / "posts" / "a.md"
    post.write_text(_POST.replace("e^{i\\pi}", "\\frac{1}{"), "utf-8")
    config = load_config(root)

    def errors() -> list[str]:
        documents, _ = load_documents(config)
        [rendered] = render_documents(documents, config, jobs=1).values()
        return [d.headline() for d in rendered.diagnostics if d.is_error]

    first = errors()
    assert first and first[0].startswith("content/posts/a.md:5:")
    post.write_text(post.read_text("utf-8").replace("---\n\n", "---\n\nNew.\n\n"), "utf-8")
    assert [line.replace(":7:", ":5:", 1) for line in errors()] == first  # two lines lower


def _kept_count(root: Path) -> int:
    with sqlite3.connect(root / ".lemmata" / "cache.sqlite3") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        return (
            db.execute("SELECT COUNT(*) FROM fragments").fetchone()[0]
            if "fragments" in tables
            else 0
        )


def test_only_a_small_rebuild_keeps_fragments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    (root / "content" / "posts" / "b.md").write_text(_POST.replace("kept", "b"), "utf-8")
    monkeypatch.setattr(_batch, "_SMALL", 2)
    config = load_config(root)
    documents, _ = load_documents(config)
    render_documents(documents, config, jobs=1)  # two documents: not a small rebuild
    assert _kept_count(root) == 0
    (root / "content" / "posts" / "b.md").write_text(_POST.replace("kept", "c"), "utf-8")
    documents, _ = load_documents(config)
    render_documents(documents, config, jobs=1)  # one document rendered again
    assert _kept_count(root) == 2  # its formula and its code block
