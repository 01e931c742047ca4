"""Incremental builds give byte-identical output to clean builds.

A small site (posts with math, code, categories, tags, a draft, a bundle with
an image, a page) is built, then edited step by step: post bodies, titles,
dates, categories, tags, drafts, new, deleted and renamed posts, template
overrides, configuration, static files, a bundle's image, a file saved
unchanged, time passing. After every step the same folder is rebuilt
(reusing ``.lemmata/`` and the previous output), and a copy of its sources is
built from scratch at the same moment; the two output folders must hold the
same files with the same bytes, and the builds must report the same problems.

``LEMMATA_INCREMENTAL_EXAMPLES`` sets the number of generated edit sequences.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lemmata.build import BuildOptions, BuildReport, build
from lemmata.content import _load
from lemmata.site import _kept
from lemmata.theme import _render
from lemmata.theme._pagecache import Digests

EXAMPLES = int(os.environ.get("LEMMATA_INCREMENTAL_EXAMPLES", "12"))
FIXED_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 1, 1)
"""Post dates are this day plus up to ~16 months: some land after ``FIXED_NOW``."""
OUTPUT = "public"
CACHE = ".lemmata"
THEME_TEMPLATES = Path(str(files("lemmata.theme"))) / "templates"

CATEGORIES: tuple[tuple[str, ...], ...] = (
    (),
    ("Algorithms",),
    ("Deep Learning",),
    ("自然语言处理",),
    ("Algorithms", "Deep Learning"),
)
TAGS = ("math", "LoRA", "梯度", "probability", "code")
TITLES = ("Gradient notes", "注意力机制", "Proof: a colon title", "Notes #3", "Ünïcode & <tags>")
OVERRIDES = {
    "post.html": ('<div class="prose">', '<div class="prose"><!-- post marker {n} -->'),
    "partials/meta.html": (
        "</div>",
        "<span>meta marker {n}: {{{{ site.tags|map(attribute='name')|join(', ') }}}}</span></div>",
    ),
    "base.html": (
        "</body>",
        "<!-- base marker {n} --><ul>{{% for p in site.posts[:{n} % 4] %}}"
        "<li>{{{{ p.title }}}} {{{{ p.date }}}}</li>{{% endfor %}}</ul></body>",
    ),
    "partials/card.html": (
        "</article>",
        "<p>card marker {n}: {{{{ site.categories|map(attribute='name')|join(', ') }}}}"
        " after {{{{ (entry.previous or entry).title }}}}, {{{{ entry.html|length }}}}</p>"
        "</article>",
    ),
}
"""Template → (text in the theme's copy, its replacement); some read ``site`` itself,
the card an entry's details too (its neighbour, its body)."""
STATIC_FILES = ("static/notes.txt", "static/favicon.svg", "static/img/dot.svg")
"""``notes.txt`` is linked from the about page and is never removed."""
FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle r="{n}"/></svg>\n'
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="{n}" height="1"/></svg>\n'


# ---------------------------------------------------------------- the site model


@dataclass(frozen=True)
class Post:
    title: str
    day: int
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False
    slug: str | None = None
    bundle: bool = False
    """``NAME/index.md`` with ``figure.svg`` beside it."""
    figure: int = 3
    """Width of the bundle's figure: changes its bytes, not the post's."""
    paragraphs: tuple[str, ...] = ()


@dataclass
class Site:
    posts: dict[str, Post]
    """File stem (or bundle folder name) → post."""
    page_title: str = "About"
    page_paragraphs: tuple[str, ...] = ()
    config: dict[str, str | int] = field(default_factory=dict)
    templates: dict[str, int] = field(default_factory=dict)
    """Overridden template → its marker number."""
    static: dict[str, str] = field(default_factory=dict)
    counter: int = 0
    """Makes every new file name unique."""
    now: datetime = FIXED_NOW
    """The moment both builds take as now; it only moves forward."""

    def fresh_name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"


def _initial_site() -> Site:
    return Site(
        posts={
            "quadratic-forms": Post(
                title="Gradients of quadratic forms",
                day=40,
                categories=("Algorithms",),
                tags=("math", "梯度"),
                paragraphs=(
                    "For $f(x) = x^\\top A x$ the gradient is $(A + A^\\top)x$, and $x^2$ is the scalar case.",
                    "$$\n\\nabla_x f = (A + A^\\top) x \\in \\R^n\n$$",
                ),
            ),
            "lora": Post(
                title="LoRA 低秩适配",
                day=120,
                categories=("Deep Learning", "自然语言处理"),
                tags=("LoRA",),
                slug="fixed-slug",
                paragraphs=(
                    "We learn $\\Delta W = BA$ with rank $r \\ll d$.",
                    "```python\ndef lora(W, A, B):\n    return W + B @ A\n```",
                ),
            ),
            "binary-search": Post(
                title="Binary search",
                day=200,
                tags=("code", "probability"),
                paragraphs=(
                    "It takes $O(\\log n)$ steps.",
                    "```nosuchlanguage\nplain text, with a warning\n```",
                ),
            ),
            "unfinished": Post(
                title="Unfinished",
                day=210,
                categories=("Algorithms",),
                draft=True,
                paragraphs=("Not yet: $e^{i\\pi} + 1 = 0$.",),
            ),
            "bucket-sort": Post(
                title="Bucket sort",
                day=300,
                categories=("Algorithms",),
                tags=("code",),
                bundle=True,
                paragraphs=(
                    "![buckets](figure.svg)",
                    "$$\n\\max_i (x_{i+1} - x_i) \\ge \\frac{\\max - \\min}{n - 1}\n$$",
                ),
            ),
        },
        page_title="About",
        page_paragraphs=(
            "Notes with $\\R$ and $\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$.",
            "See [the notes](../../static/notes.txt).",
        ),
        config={
            "title": "Incremental Notes",
            "per_page": 3,
            "hero": "HELLO",
            "macro": "\\mathbb{R}",
            "timezone": "UTC",
            "permalink": "/posts/{slug}/",
            "light_style": "default",
            "feeds_limit": 20,
        },
        static={"static/notes.txt": "notes 0\n"},
    )


def _yaml(value: object) -> str:
    """A YAML value (JSON is YAML), Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False)


def _post_text(post: Post) -> str:
    day = FIRST_DAY + timedelta(days=post.day)
    lines = [f"title: {_yaml(post.title)}", f"date: {day.isoformat()} 10:{post.day % 60:02d}"]
    if len(post.categories) == 1:
        lines.append(f"category: {_yaml(post.categories[0])}")
    elif post.categories:
        lines.append(f"categories: {_yaml(list(post.categories))}")
    if post.tags:
        lines.append(f"tags: {_yaml(list(post.tags))}")
    if post.draft:
        lines.append("draft: true")
    if post.slug:
        lines.append(f"slug: {post.slug}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + "\n\n".join(post.paragraphs) + "\n"


def _config_text(config: dict[str, str | int]) -> str:
    return (
        f"title = {json.dumps(config['title'], ensure_ascii=False)}\n"
        'base_url = "https://example.org/notes/"\n'
        f"timezone = {json.dumps(config['timezone'])}\n"
        f"permalink = {json.dumps(config['permalink'])}\n"
        "\n[home]\n"
        f"per_page = {config['per_page']}\n"
        f"hero = {json.dumps(config['hero'])}\n"
        "\n[math.macros]\n"
        f'"\\\\R" = {json.dumps(config["macro"])}\n'
        "\n[code]\n"
        f"light_style = {json.dumps(config['light_style'])}\n"
        "\n[feeds]\n"
        f"limit = {config['feeds_limit']}\n"
        "\n[search]\nenabled = false\n"
    )


def _template_text(name: str, marker: int) -> str:
    old, new = OVERRIDES[name]
    theme = (THEME_TEMPLATES / name).read_text("utf-8")
    assert old in theme, (name, old)
    return theme.replace(old, new.format(n=marker), 1)


def _post_paths(name: str, post: Post) -> dict[str, str]:
    if post.bundle:
        folder = f"content/posts/{name}"
        return {
            f"{folder}/index.md": _post_text(post),
            f"{folder}/figure.svg": SVG.format(n=post.figure),
        }
    return {f"content/posts/{name}.md": _post_text(post)}


def _files(site: Site) -> dict[str, str]:
    """Every source file of the site: site-relative path → text."""
    files = {"lemmata.toml": _config_text(site.config)}
    for name, post in site.posts.items():
        files.update(_post_paths(name, post))
    files["content/pages/about.md"] = (
        f"---\ntitle: {_yaml(site.page_title)}\n---\n\n" + "\n\n".join(site.page_paragraphs) + "\n"
    )
    for name, marker in site.templates.items():
        files[f"templates/{name}"] = _template_text(name, marker)
    files.update(site.static)
    return files


def _sync(root: Path, old: dict[str, str], new: dict[str, str]) -> None:
    """Make ``root`` hold ``new``, touching only files that changed."""
    for name in sorted(set(old) - set(new)):
        (root / name).unlink()
    for name, text in new.items():
        if old.get(name) != text:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    for top in ("content", "static", "templates"):
        folders = [p for p in (root / top).rglob("*") if p.is_dir()]
        for folder in sorted(folders, reverse=True):  # inner folders first
            if not any(folder.iterdir()):
                folder.rmdir()


# ---------------------------------------------------------------- the edits

Edit = tuple[str, int, int]
"""(kind, which item, a value); items are picked modulo what exists."""


def _pick(site: Site, which: int) -> str | None:
    names = sorted(site.posts)
    return names[which % len(names)] if names else None


def _retouch(site: Site, which: int, change: Callable[[Post], Post]) -> None:
    name = _pick(site, which)
    if name is not None:
        site.posts[name] = change(site.posts[name])


def _paragraph(value: int) -> str:
    return (
        f"Paragraph {value}: inline $x^{{{value % 7 + 2}}} + y_{value % 5}$ and display\n\n"
        f"$$\n\\sum_{{k=1}}^{{{value}}} k^2 = \\frac{{{value}({value}+1)(2 \\cdot {value}+1)}}{{6}}\n$$"
    )


def _edit_body(site: Site, which: int, value: int) -> None:
    if which % (len(site.posts) + 1) == len(site.posts):  # the page
        site.page_paragraphs = (*site.page_paragraphs, _paragraph(value))
        return
    _retouch(site, which, lambda p: replace(p, paragraphs=(*p.paragraphs, _paragraph(value))))


def _edit_title(site: Site, which: int, value: int) -> None:
    title = f"{TITLES[value % len(TITLES)]} {value}"
    if which % (len(site.posts) + 1) == len(site.posts):
        site.page_title = title
        return
    _retouch(site, which, lambda p: replace(p, title=title))


def _edit_date(site: Site, which: int, value: int) -> None:
    _retouch(site, which, lambda p: replace(p, day=value))


def _edit_category(site: Site, which: int, value: int) -> None:
    _retouch(site, which, lambda p: replace(p, categories=CATEGORIES[value % len(CATEGORIES)]))


def _edit_tags(site: Site, which: int, value: int) -> None:
    tags = tuple(tag for bit, tag in enumerate(TAGS) if value >> bit & 1)
    _retouch(site, which, lambda p: replace(p, tags=tags))


def _toggle_draft(site: Site, which: int, value: int) -> None:
    _retouch(site, which, lambda p: replace(p, draft=not p.draft))


def _add_post(site: Site, which: int, value: int) -> None:
    site.posts[site.fresh_name("new-post")] = Post(
        title=f"{TITLES[which % len(TITLES)]} {value}",
        day=value,
        categories=CATEGORIES[which % len(CATEGORIES)],
        tags=TAGS[: value % 3],
        bundle=which % 4 == 3,
        paragraphs=(_paragraph(value),),
    )


def _edit_figure(site: Site, which: int, value: int) -> None:
    bundles = sorted(name for name, post in site.posts.items() if post.bundle)
    if bundles:
        name = bundles[which % len(bundles)]
        site.posts[name] = replace(site.posts[name], figure=value)


def _delete_post(site: Site, which: int, value: int) -> None:
    name = _pick(site, which)
    if name is not None:
        del site.posts[name]


def _wait(site: Site, which: int, value: int) -> None:
    site.now += timedelta(days=value % 30 + 1)  # a post held back may come due


def _config(site: Site, which: int, value: int) -> None:
    choices: list[tuple[str, str | int]] = [
        ("title", f"Notes {value}"),
        ("per_page", value % 4 + 1),
        ("hero", f"HERO {value}"),
        ("macro", ("\\mathbb{R}", "\\mathbf{R}", "\\mathcal{R}")[value % 3]),
        ("timezone", ("UTC", "Asia/Shanghai", "America/New_York")[value % 3]),
        ("permalink", ("/posts/{slug}/", "/{year}/{month}/{slug}/", "/notes/{slug}/")[value % 3]),
        ("light_style", ("default", "friendly")[value % 2]),
        ("feeds_limit", value % 4 + 1),
    ]
    key, setting = choices[which % len(choices)]
    site.config[key] = setting


def _template(site: Site, which: int, value: int) -> None:
    names = sorted(OVERRIDES)
    name = names[which % len(names)]
    if value % 4 == 0:
        site.templates.pop(name, None)  # back to the theme's own
    else:
        site.templates[name] = value


def _static(site: Site, which: int, value: int) -> None:
    path = STATIC_FILES[which % len(STATIC_FILES)]
    if path == "static/notes.txt":
        site.static[path] = f"notes {value}\n"
    elif value % 4 == 0:
        site.static.pop(path, None)
    else:
        site.static[path] = (FAVICON if path.endswith("favicon.svg") else SVG).format(n=value)


EDITS: dict[str, Callable[[Site, int, int], None]] = {
    "body": _edit_body,
    "title": _edit_title,
    "date": _edit_date,
    "category": _edit_category,
    "tags": _edit_tags,
    "draft": _toggle_draft,
    "figure": _edit_figure,
    "add": _add_post,
    "delete": _delete_post,
    "config": _config,
    "template": _template,
    "static": _static,
    "wait": _wait,
}
RENAME = "rename"
"""Moves the file (or bundle folder) on disk, keeping its bytes and modification time."""
TOUCH = "touch"
"""Rewrites a source file with the same bytes: a new modification time, nothing else."""

edits = st.tuples(
    st.sampled_from([*EDITS, RENAME, TOUCH]),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=0, max_value=480),
)


def _apply(site: Site, root: Path, edit: Edit) -> None:
    kind, which, value = edit
    old = _files(site)
    if kind == RENAME:
        name = _pick(site, which)
        if name is None:
            return
        new_name = site.fresh_name("moved")
        post = site.posts.pop(name)
        site.posts[new_name] = post
        source = f"content/posts/{name}" + ("" if post.bundle else ".md")
        target = f"content/posts/{new_name}" + ("" if post.bundle else ".md")
        (root / source).rename(root / target)
        for path, text in _post_paths(name, post).items():
            del old[path]
            old[path.replace(source, target, 1)] = text
    elif kind == TOUCH:
        touched = root / sorted(old)[which % len(old)]
        touched.write_bytes(touched.read_bytes())
    else:
        EDITS[kind](site, which, value)
    _sync(root, old, _files(site))


EVERY_KIND: list[Edit] = [
    ("body", 0, 5),
    ("title", 1, 7),
    ("date", 2, 450),
    ("category", 3, 4),
    ("tags", 4, 21),
    ("draft", 0, 0),
    ("add", 3, 9),
    ("figure", 0, 7),
    (TOUCH, 2, 0),
    (RENAME, 4, 0),
    ("delete", 1, 0),
    ("config", 1, 0),
    ("config", 3, 1),
    ("config", 5, 1),
    ("template", 3, 1),
    ("template", 2, 2),
    ("static", 1, 3),
    ("static", 2, 5),
    ("wait", 0, 29),
]
"""Always run: one edit of every kind, in one long sequence."""


# ---------------------------------------------------------------- building and comparing


def _build(site_dir: Path, now: datetime) -> BuildReport:
    return build(BuildOptions(site_dir=site_dir, jobs=1, now=now))


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Relative path → bytes of every file, ``None`` for every folder."""
    tree: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        tree[name + "/" if path.is_dir() else name] = None if path.is_dir() else path.read_bytes()
    return tree


def _clean_copy(site_dir: Path, target: Path) -> Path:
    def skip(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != site_dir:
            return []
        return [n for n in names if n in (OUTPUT, CACHE) or n.startswith(f".{OUTPUT}.")]

    shutil.copytree(site_dir, target, ignore=skip)
    return target


def _differences(incremental: Path, clean: Path) -> str:
    """Empty when both folders hold the same files with the same bytes, else a report."""
    ours, theirs = _tree(incremental), _tree(clean)
    only_ours = sorted(set(ours) - set(theirs))
    only_theirs = sorted(set(theirs) - set(ours))
    changed = sorted(p for p in set(ours) & set(theirs) if ours[p] != theirs[p])
    if not (only_ours or only_theirs or changed):
        return ""
    lines = [
        f"only in the incremental output: {only_ours}",
        f"only in the clean output: {only_theirs}",
        f"different bytes: {changed}",
    ]
    for path in changed:
        before, after = ours[path], theirs[path]
        assert before is not None and after is not None
        try:
            a, b = before.decode("utf-8"), after.decode("utf-8")
        except UnicodeDecodeError:
            continue
        diff = difflib.unified_diff(
            b.splitlines(), a.splitlines(), f"clean/{path}", f"incremental/{path}", lineterm="", n=1
        )
        lines += ["", *(line[:240] for line in list(diff)[:60])]
        break
    return "\n".join(lines)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(edits, min_size=1, max_size=5))
@example(EVERY_KIND)
def test_incremental_builds_equal_clean_builds(steps: list[Edit]) -> None:
    _check(steps)


def test_edits_to_texts_reuse_the_kept_site(monkeypatch: pytest.MonkeyPatch) -> None:
    assembled: list[str] = []
    real = _kept.assemble

    def counted(*args: Any, **kwargs: Any) -> object:
        assembled.append("assembled")
        return real(*args, **kwargs)

    monkeypatch.setattr(_kept, "assemble", counted)
    steps: list[Edit] = [
        ("body", 0, 5),
        ("body", 1, 3),
        ("body", 0, 8),
        ("title", 1, 7),
        ("body", 2, 1),
    ]
    _check(steps, between=lambda: assembled.append("-"))
    # The first build assembles and keeps its site; edits to texts reuse it, and so
    # does a new title (given to the kept site). Each clean build assembles, after
    # the rebuild.
    assert "".join("a" if a == "assembled" else "|" for a in assembled) == "aa|a|a|a|a|"


def test_edits_to_texts_digest_only_the_edited_entry_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh: list[int] = []  # how many entries each build digested afresh, in turn
    real_keys, real_both = _render._Keys.__init__, Digests._digest_both

    def new_build(self: Any, *args: Any) -> None:
        fresh.append(0)
        real_keys(self, *args)

    def digested(self: Digests, entry: Any) -> Any:
        fresh[-1] += 1
        return real_both(self, entry)

    monkeypatch.setattr(_render._Keys, "__init__", new_build)
    monkeypatch.setattr(Digests, "_digest_both", digested)
    _check([("body", 0, 5), ("body", 1, 3), ("title", 1, 7), ("body", 2, 1)])
    entries = fresh[0]
    assert entries > 3
    # Builds: the first, then each rebuild and its clean build. The first build keeps
    # its site; a rebuild after an edit to a text reuses it and digests again only
    # the edited entry. A new title, given to the kept site, digests again its post
    # and those linking to it (neighbours, related), no other.
    rebuilds, cleans = fresh[1::2], fresh[2::2]
    assert rebuilds[:2] == [1, 1] and rebuilds[3] == 1
    assert 1 < rebuilds[2] < entries
    assert cleans == [entries] * 4


def _check(steps: list[Edit], between: Callable[[], None] = lambda: None) -> None:
    """Apply each edit in turn; after each, the rebuild's output must equal a clean build's."""
    # Files count as settled at once, so that rebuilds know the unchanged ones by
    # their stamps without reading them, as on a writer's machine.
    with (
        mock.patch.object(_load, "_SETTLED_NS", 0),
        tempfile.TemporaryDirectory(prefix="lemmata-incremental-") as temporary,
    ):
        work = Path(temporary) / "site"
        work.mkdir()
        site = _initial_site()
        _sync(work, {}, _files(site))
        _build(work, site.now)
        assert (work / ".lemmata" / "sources.pickle").is_file()
        for number, step in enumerate(steps, 1):
            _apply(site, work, step)
            report = _build(work, site.now)
            clean_dir = _clean_copy(work, Path(temporary) / f"clean-{number}")
            clean = _build(clean_dir, site.now)
            done = f"after step {number}, edits {steps[:number]}"
            problems = _differences(work / OUTPUT, clean_dir / OUTPUT)
            if problems:
                pytest.fail(f"{done}: the incremental output differs\n{problems}", pytrace=False)
            assert [d.headline() for d in report.diagnostics] == [
                d.headline() for d in clean.diagnostics
            ], done
            shutil.rmtree(clean_dir)
            between()
