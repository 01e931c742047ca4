"""``lemmata import …``: messages, the summary table, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lemmata.cli import app
from tests.importers.helpers import FIXTURES, new_site, posts


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )
    return result.exit_code, result.stderr


def test_hexo_with_a_broken_post_exits_1_after_importing_the_rest(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    code, err = run("import", "hexo", FIXTURES / "hexo", "--into", site)
    assert code == 1
    assert "source/_posts/broken.md:4:5: error: invalid YAML front matter" in err
    assert " 4 | date: 2020-01-01" in err
    assert "source/_posts/attention.md:38:1: warning: cannot convert Hexo tag {% youtube %}" in err
    assert "imported: " in err and "→ content/posts/attention/index.md" in err
    header = next(line for line in err.splitlines() if "imported" in line and "warnings" in line)
    assert [c for c in header.replace("┃", " ").split()] == [
        "imported",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        "warnings",
    ]
    row = next(line for line in err.splitlines() if line.startswith("│"))
    assert row.replace("│", " ").split() == ["3", "0", "0", "0", "1", "1"]
    assert len(posts(site)) == 3


def test_clean_import_exits_0_and_a_second_run_is_unchanged(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    assert run("import", "feed", FIXTURES / "feeds/atom.xml", "--into", site)[0] == 0
    code, err = run("import", "feed", FIXTURES / "feeds/atom.xml", "--into", site, "-q")
    assert code == 0
    assert "unchanged" not in err  # quiet: problems only
    code, err = run("import", "feed", FIXTURES / "feeds/atom.xml", "--into", site)
    row = next(line for line in err.splitlines() if line.startswith("│"))
    assert row.replace("│", " ").split() == ["0", "0", "2", "0", "0", "0"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hugo", "{missing}"), "no such folder"),
        (("notebook", "{missing}"), "no such file or folder"),
        (("url", "ftp://example.org/a"), "expected an http(s) URL or an existing file"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, str], message: str) -> None:
    site = new_site(tmp_path)
    target = args[1].format(missing=tmp_path / "missing")
    code, err = run("import", args[0], target, "--into", site)
    assert code == 2
    assert message in err


def test_into_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    code, err = run("import", "jekyll", FIXTURES / "jekyll", "--into", tmp_path)
    assert code == 2
    assert "lemmata.toml" in err


def test_unreachable_url_exits_1(tmp_path: Path) -> None:
    code, err = run("import", "url", "http://127.0.0.1:9/a.html", "--into", new_site(tmp_path))
    assert code == 1
    assert "error: http://127.0.0.1:9/a.html: cannot fetch" in err


def test_force(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    run("import", "notebook", FIXTURES / "notebooks/monte-carlo.ipynb", "--into", site)
    (post,) = posts(site)
    path = site / post
    path.write_text(path.read_text("utf-8").replace("3.14172", "3.0"), "utf-8")
    code, err = run("import", "notebook", FIXTURES / "notebooks/monte-carlo.ipynb", "--into", site)
    assert code == 0
    assert "was edited since it was imported" in err and "3.0" in path.read_text("utf-8")
    code, _ = run(
        "import", "notebook", FIXTURES / "notebooks/monte-carlo.ipynb", "--into", site, "--force"
    )
    assert code == 0 and "3.14172" in path.read_text("utf-8")
