"""``lemmata check``: anchors, titles, future posts, external links (local server only)."""

from __future__ import annotations

from pathlib import Path

from lemmata.build import BuildOptions
from lemmata.check import check_site
from lemmata.reporter import Reporter
from tests.browser import serve_folder
from tests.conftest import MakeSite


def _headlines(root: Path, **options: bool) -> list[str]:
    external = options.pop("external", False)
    found = check_site(
        BuildOptions(site_dir=root, jobs=1, **options), Reporter(quiet=True), external=external
    )
    return sorted(d.headline() for d in found)


def test_anchors_titles_and_future_posts(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n## Real\n\n"
            "[self](#nope) [ok](#real) [b](b.md#missing) [fine](b.md#here)\n",
            "content/posts/b.md": '---\ntitle: " "\ndate: 2026-01-02\n---\n## Here\n',
            "content/posts/c.md": "---\ntitle: C\ndate: 2999-01-01\n---\n",
        }
    )
    assert _headlines(root) == [
        "content/posts/a.md:7:31: error: broken anchor: #missing is not a heading of content/posts/b.md",
        "content/posts/a.md:7:8: error: broken anchor: #nope is not a heading of this page",
        "content/posts/b.md:1:1: warning: no title; using the file name 'b'",
        "content/posts/b.md:2:1: error: empty title",
        "content/posts/c.md:3:1: warning: dated in the future (2999-01-01); it is left out until then (or build with --future)",
    ]
    assert not (root / "public").exists()  # check writes nothing


def test_anchors_are_compared_as_written_not_as_escaped_or_encoded(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n"
            "## Q & A {#q&a}\n\n## 梯度下降\n\n"
            "[qa](#q&a) [gd](#梯度下降) [b](b.md#随机) [no](#梯度)\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-02\n---\n## 随机\n",
        }
    )
    assert _headlines(root) == [
        "content/posts/a.md:9:42: error: broken anchor: #梯度 is not a heading of this page"
    ]


def test_external_links_against_a_local_server(make_site: MakeSite, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("fine")
    with serve_folder(served) as base:
        root = make_site(
            {
                "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n"
                f"[good]({base}/ok.html) [gone]({base}/missing.html) [down](http://127.0.0.1:9/x)\n"
            }
        )
        found = _headlines(root, external=True)
        strict = _headlines(root, external=True, strict=True)
    assert [h.split(": ", 1)[1] for h in found] == [
        f"error: external link {base}/missing.html: HTTP 404",
        "warning: external link http://127.0.0.1:9/x: unreachable (ConnectError)",
    ]
    assert all(": error: " in h for h in strict)
