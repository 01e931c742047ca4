"""Everything imported at once builds into a site."""

from __future__ import annotations

from pathlib import Path

from lemmata.build import BuildOptions, build
from lemmata.importers import (
    import_feed,
    import_hexo,
    import_hugo,
    import_jekyll,
    import_notebooks,
    import_url,
)
from tests.importers.helpers import FIXTURES, new_site, posts


def test_imported_site_builds(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_hexo(FIXTURES / "hexo", site)
    import_jekyll(FIXTURES / "jekyll", site)
    import_hugo(FIXTURES / "hugo", site)
    import_notebooks(FIXTURES / "notebooks/monte-carlo.ipynb", site)
    import_feed(str(FIXTURES / "feeds/atom.xml"), site)
    import_feed(str(FIXTURES / "feeds/rss.xml"), site)
    for page in ("katex", "mathjax2", "mathjax3", "qa", "images"):
        import_url(str(FIXTURES / f"web/{page}.html"), site)
    assert len(posts(site)) == 18
    report = build(BuildOptions(site_dir=site, jobs=1, drafts=True))
    assert [d.format() for d in report.diagnostics if d.is_error] == []
    page = (site / "public/posts/softmax-and-cross-entropy/index.html").read_text("utf-8")
    assert page.count("<math") == 5
    bundle = site / "public/posts/linear-attention"
    assert (bundle / "heads.png").is_file()
