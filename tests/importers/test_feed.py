"""import feed: one post per entry, with dates, categories, source links, formulas and code."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from lemmata.importers import Outcome, import_feed
from tests.importers.helpers import FIXTURES, new_site, posts, written

FEEDS = FIXTURES / "feeds"
CST = timezone(timedelta(hours=8))


def test_atom_feed(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_feed(str(FEEDS / "atom.xml"), site)
    assert not report.failed
    assert posts(site) == [
        "content/posts/batch-normalisation-in-one-formula.md",
        "content/posts/kl-divergence-is-not-symmetric.md",
    ]
    kl = written(site, "content/posts/kl-divergence-is-not-symmetric.md")
    assert kl.front["date"] == datetime(2024, 3, 6, 8, tzinfo=CST)
    assert kl.front["updated"] == datetime(2024, 3, 7, 9, 30, tzinfo=CST)
    assert kl.front["category"] == ["Probability", "Information Theory"]
    assert kl.front["source_url"] == "https://notes.example.org/2024/03/kl/"
    assert "$$\nD_{\\mathrm{KL}}(P \\| Q) = \\sum_x P(x) \\log \\frac{P(x)}{Q(x)}\n$$" in kl.body
    assert "```python\nfrom scipy.stats import entropy\n" in kl.body
    assert kl.errors == []
    assert kl.formulas == 5
    summary_only = written(site, "content/posts/batch-normalisation-in-one-formula.md")
    assert summary_only.formulas == 1
    assert summary_only.errors == []


def test_rss_feed_over_http(server: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_feed(server + "feeds/rss.xml", site)
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED, Outcome.IMPORTED]
    post = written(site, "content/posts/zu-he-zong-he-hui-su.md")
    assert post.front["title"] == "组合总和：回溯"
    assert post.front["date"] == datetime(2026, 1, 11, 10, 30, tzinfo=CST)
    assert post.front["author"] == "Zhang San"
    assert post.front["category"] == "Algorithm"
    assert (
        "回溯的复杂度上界为 $$O\\left(n^{T/m + 1}\\right)$$，其中 $m$ 是最小的候选数。" in post.body
    )
    assert post.errors == []
    assert post.formulas == 5
    assert "```python\ndef combination_sum(candidates, target):\n" in post.body


def test_reimporting_a_feed_adds_no_post(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_feed(str(FEEDS / "atom.xml"), site)
    again = import_feed(str(FEEDS / "atom.xml"), site)
    assert [r.outcome for r in again.results] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    assert len(posts(site)) == 2


def test_broken_feed_is_reported_at_its_line(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_feed(str(FEEDS / "broken.xml"), site)
    (error,) = report.diagnostics
    assert error.is_error
    assert error.location is not None and error.location.line == 6
    assert "not an RSS or Atom feed" in error.message
    assert posts(site) == []
    assert report.failed


def test_unreachable_feed(tmp_path: Path) -> None:
    report = import_feed("http://127.0.0.1:9/atom.xml", new_site(tmp_path))
    assert report.failed
    assert (
        report.diagnostics[0]
        .headline()
        .startswith("error: http://127.0.0.1:9/atom.xml: cannot fetch")
    )
