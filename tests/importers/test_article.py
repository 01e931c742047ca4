"""import url: the article alone, its formulas from every renderer, code with its language, images."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lemmata.errors import UsageError
from lemmata.importers import Outcome, import_url
from tests.importers.helpers import FIXTURES, new_site, posts, written

WEB = FIXTURES / "web"


@pytest.mark.parametrize(
    ("page", "formulas", "languages", "chrome"),
    [
        (
            "katex.html",
            5,
            ["python"],
            ["Recent posts", "Powered by Hexo", "Great post!", "Archives"],
        ),
        ("mathjax2.html", 6, ["python"], ["Related posts", "Subscribe", "Tweet", "Categories"]),
        ("mathjax3.html", 5, ["cpp"], ["首页", "PaperMod", "二项分布 »", "3 分钟"]),
        ("qa.html", 9, ["python"], ["Hot Network Questions", "Log in", "Up vote", "Nice answer"]),
        ("images.html", 4, [], ["Proudly powered", "Archives", "thoughts on"]),
    ],
)
def test_article_over_http(
    server: str, tmp_path: Path, page: str, formulas: int, languages: list[str], chrome: list[str]
) -> None:
    site = new_site(tmp_path)
    report = import_url(server + f"web/{page}", site)
    assert not report.failed
    (path,) = posts(site)
    post = written(site, path)
    assert post.errors == []
    assert post.formulas == formulas
    fences = [line[3:] for line in post.body.splitlines() if line.startswith("```") and line[3:]]
    assert fences == languages
    for text in chrome:
        assert text not in post.body


def test_formulas_come_back_as_tex(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/mathjax2.html", site)
    body = written(site, posts(site)[0]).body
    assert "For a matrix $A \\in \\mathbb{R}^{n \\times n}$ and a vector $x$," in body
    assert "$$\nf(x) = x^\\top A x = \\sum_{i,j} a_{ij} x_i x_j\n$$" in body
    assert "which reduces to $2Ax$ when $A$ is symmetric." in body
    assert "such as \\$5 and \\$10 stay" in body


def test_mathml_without_tex_is_converted(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/mathjax3.html", site)
    body = written(site, posts(site)[0]).body
    assert "$$\nP(X=k)=\\frac{\\lambda^ke^{-\\lambda}}{k!}\n$$" in body
    assert "当 $n \\to \\infty$ 且 $np = \\lambda$ 不变时" in body


def test_formula_images(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/images.html", site)
    body = written(site, "content/posts/beam-search-explained/index.md").body
    assert "keeps the $k$ best" in body
    assert "$$\n\\text{score}(y_{1:t}) = \\sum_{i=1}^t \\log p(y_i \\mid y_{<i}, x)\n$$" in body
    assert "divided by $t^\\alpha$ with $\\alpha \\approx 0.7$." in body


def test_images_are_downloaded_into_a_bundle(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/images.html", site)
    bundle = site / "content/posts/beam-search-explained"
    assert sorted(p.name for p in bundle.iterdir()) == ["beam.png", "index.md"]
    assert (bundle / "beam.png").read_bytes() == (WEB / "beam.png").read_bytes()
    body = written(site, "content/posts/beam-search-explained/index.md").body
    assert "![A beam of width 3](beam.png)\n\n*A beam of width 3 over four steps.*" in body


def test_missing_image_is_reported_at_its_line_and_stays_a_link(
    server: str, tmp_path: Path
) -> None:
    site = new_site(tmp_path)
    report = import_url(server + "web/katex.html", site)
    url = server + "images/softmax-curve.png"
    (warning,) = report.diagnostics
    assert warning.headline() == (
        f"{server}web/katex.html:37:1: warning: image not downloaded (HTTP 404 File not found); "
        f"it stays a link to the original: {url}"
    )
    assert f"![The softmax curve]({url})" in written(site, posts(site)[0]).body


def test_front_matter_from_the_page(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/katex.html", site)
    post = written(site, "content/posts/softmax-and-cross-entropy.md")
    assert post.front["title"] == "Softmax and Cross-Entropy"
    assert post.front["date"] == datetime(2024, 3, 5, 10, tzinfo=timezone(timedelta(hours=8)))
    assert post.front["author"] == "Lin Wei"
    assert post.front["tags"] == ["Deep Learning", "Loss"]
    assert post.front["source_url"] == "https://notes.example.org/2024/03/softmax/"
    assert post.front["imported_from"] == server + "web/katex.html"
    assert not post.body.startswith("# ")


def test_json_ld_and_dates_found_in_the_text(server: str, tmp_path: Path) -> None:
    first = new_site(tmp_path / "a")
    import_url(server + "web/mathjax2.html", first)
    post = written(first, posts(first)[0])
    assert post.front["date"] == datetime(2021, 11, 20, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    assert post.front["author"] == "Ana Costa"
    second = new_site(tmp_path / "b")
    import_url(server + "web/qa.html", second)
    assert written(second, posts(second)[0]).front["date"] == date(2019, 3, 3)


def test_saved_page_from_disk(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_url(str(WEB / "images.html"), site)
    assert not report.failed
    post = written(site, "content/posts/beam-search-explained/index.md")
    assert post.front["imported_from"] == str((WEB / "images.html").resolve())
    assert "source_url" not in post.front
    assert (site / "content/posts/beam-search-explained/beam.png").is_file()


def test_second_import_of_a_url_is_unchanged(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_url(server + "web/qa.html", site)
    again = import_url(server + "web/qa.html", site)
    assert [r.outcome for r in again.results] == [Outcome.UNCHANGED]
    assert len(posts(site)) == 1


@pytest.mark.parametrize(
    ("path", "why"),
    [("web/missing.html", "cannot fetch (HTTP 404 File not found)")],
)
def test_http_errors(server: str, tmp_path: Path, path: str, why: str) -> None:
    report = import_url(server + path, new_site(tmp_path))
    assert [d.headline() for d in report.diagnostics] == [f"error: {server}{path}: {why}"]
    assert [r.outcome for r in report.results] == [Outcome.FAILED]


def test_unreachable_url(tmp_path: Path) -> None:
    report = import_url("http://127.0.0.1:9/post.html", new_site(tmp_path))
    (error,) = report.diagnostics
    assert error.headline().startswith(
        "error: http://127.0.0.1:9/post.html: cannot fetch (cannot reach 127.0.0.1:9"
    )
    assert report.failed


def test_not_a_url_nor_a_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="expected an http\\(s\\) URL or an existing file"):
        import_url("ftp://example.org/x.html", new_site(tmp_path))
