"""The ``lemmata`` command, run as a real subprocess."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeSite

INVALID = Path(__file__).parent / "invalid_sites"
LEMMATA = [sys.executable, "-m", "lemmata"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [*LEMMATA, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.iterdir() if p.is_dir()))
def test_invalid_site_reports_exact_error_and_keeps_output(name: str, tmp_path: Path) -> None:
    site = INVALID / name
    out = tmp_path / "public"
    out.mkdir()
    (out / "keep.html").write_text("previous build")
    result = run("build", site, "-o", out)
    expected = (site / "expected.txt").read_text("utf-8").splitlines()
    errors = [
        line
        for line in result.stderr.splitlines()
        if ": error: " in line and not line.startswith("error:")
    ]
    assert errors == expected
    assert result.returncode == int((site / "exit_code").read_text())
    assert _tree(out) == {"keep.html": hashlib.sha256(b"previous build").hexdigest()}


def test_error_shows_source_line_and_caret() -> None:
    result = run("build", INVALID / "broken_formula", "-o", "/tmp/lemmata-never-written")
    lines = result.stderr.splitlines()
    index = lines.index("content/posts/formula.md:6:19: error: Unsupported function name: \\foo")
    assert lines[index + 1] == " 6 | The score is $a = \\foo x$ here."
    assert lines[index + 2] == "   |                   ^"
    assert not Path("/tmp/lemmata-never-written").exists()


def test_init_then_build_then_new_post(tmp_path: Path) -> None:
    site = tmp_path / "notes"
    assert run("init", site).returncode == 0
    built = run("build", site)
    assert built.returncode == 0, built.stderr
    assert "built " in built.stderr and "pages" in built.stderr
    assert (site / "public" / "posts" / "hello-lemmata" / "index.html").is_file()
    created = run("new", "post", "注意力机制 LoRA", "--category", "NLP", "--site", site)
    assert created.returncode == 0, created.stderr
    path = site / "content" / "posts" / "zhu-yi-li-ji-zhi-lora.md"
    text = path.read_text("utf-8")
    assert text.startswith("---\ntitle: 注意力机制 LoRA\n") and "category: NLP" in text
    assert run("new", "post", "注意力机制 LoRA", "--site", site).returncode == 2
    assert run("build", site).returncode == 0
    assert run("init", site).returncode == 2  # not empty


def test_builds_are_reproducible(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\ncategory: NLP\ntags: [x]\n---\n$x^2$ text\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-02\ncategory: NLP\n---\n# B\n",
        }
    )
    assert run("build", site, "-o", tmp_path / "one").returncode == 0
    assert run("build", site, "-o", tmp_path / "two", "--jobs", "2").returncode == 0
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert len(one) > 20 and one.keys() - two.keys() <= {p for p in one if p.endswith(".pf_meta")}
    # Pagefind orders its filter names by an unseeded hash map: only its entry file and
    # metadata file may differ between runs; every other byte must be identical.
    unstable = {
        p for p in one.keys() | two.keys() if p.endswith((".pf_meta", "pagefind-entry.json"))
    }
    assert len(unstable) <= 3
    assert {k: v for k, v in one.items() if k not in unstable} == {
        k: v for k, v in two.items() if k not in unstable
    }


def test_the_summary_says_how_many_files_were_written(make_site: MakeSite) -> None:
    def files_and_written() -> tuple[int, int]:
        found = re.search(r"\((\d+) files, (\d+) written\)", run("build", site).stderr)
        assert found is not None
        return int(found[1]), int(found[2])

    post = "---\ntitle: A\ndate: 2026-01-01\n---\n{}\n"
    site = make_site({"content/posts/a.md": post.format("First.")})
    files, first = files_and_written()
    (site / "content/posts/a.md").write_text(post.format("Second."), "utf-8")
    # The post's page, the feeds and the search index's files for it; not the rest.
    files_again, again = files_and_written()
    assert files_again == files and 0 < again < first <= files


def test_refuses_dangerous_output(make_site: MakeSite) -> None:
    site = make_site({"content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n"})
    result = run("build", site, "-o", site / "content")
    assert result.returncode == 1
    assert "refusing" in result.stderr
    assert (site / "content" / "posts" / "a.md").is_file()


def test_version_and_help_on_every_command() -> None:
    assert run("--version").stdout.startswith("lemmata ")
    for command in (["build"], ["init"], ["new"], ["new", "post"], ["new", "page"], ["serve"]):
        result = run(*command, "--help")
        assert result.returncode == 0, command
        assert "Usage" in result.stdout


def test_usage_error_exits_2() -> None:
    assert run("build", "--jobs", "0").returncode == 2
    assert run("no-such-command").returncode == 2


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = run("build", tmp_path)
    assert result.returncode == 2
    assert "no lemmata.toml" in result.stderr


def test_strict_turns_warnings_into_errors(make_site: MakeSite) -> None:
    site = make_site({"content/posts/a.md": "---\ndate: 2026-01-01\n---\n# Heading title\n"})
    assert run("build", site).returncode == 0
    strict = run("build", site, "--strict")
    assert strict.returncode == 1
    assert (
        "content/posts/a.md:1:1: error: no title; using the first heading 'Heading title'"
        in strict.stderr
    )
