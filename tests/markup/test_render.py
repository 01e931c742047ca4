"""render_document: located errors, excerpts, links, macros, and hostile input."""

from __future__ import annotations

import pickle
import re
import time
import uuid
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemmata.errors import SourceText
from lemmata.markup import REF_PREFIX, Html, _math
from lemmata.markup._locate import Locator
from lemmata.markup._render import RenderContext
from tests.markup.helpers import config, document, render

FRONT = "---\ntitle: T\n---\n"


def _errors(text: str) -> list[str]:
    return [d.headline() for d in render(text).diagnostics if d.is_error]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x $\\foo y$", "content/posts/note.md:4:4: error: Unsupported function name: \\foo"),
        ("- item $a^{$", "content/posts/note.md:4:12: error: Expected '}', got 'EOF'"),
        (
            "> quote $\\frac{a}$",
            "content/posts/note.md:4:18: error: Unexpected end of input in a macro argument, expected '}'",
        ),
        (
            "| a |\n|---|\n| $\\bad$ |",
            "content/posts/note.md:6:4: error: Unsupported function name: \\bad",
        ),
        (
            "$$\nx +\n\\oops\n$$",
            "content/posts/note.md:6:1: error: Unsupported function name: \\oops",
        ),
        (
            "## Head $\\nope$",
            "content/posts/note.md:4:10: error: Unsupported function name: \\nope",
        ),
        (
            "a[^1]\n\n[^1]: note $\\zz$",
            "content/posts/note.md:6:13: error: Unsupported function name: \\zz",
        ),
    ],
)
def test_formula_errors_are_located_in_the_file(body: str, expected: str) -> None:
    assert _errors(FRONT + body) == [expected]


def test_error_shows_source_line_and_caret() -> None:
    (diag,) = render(FRONT + "x $\\foo y$").diagnostics
    assert diag.format().splitlines()[1:] == [" 4 | x $\\foo y$", "   |    ^"]


def test_math_source_is_never_touched_by_markdown() -> None:
    html = render("$a_i*b_j*c$ and $\\{x\\}$ and $x_1$").html
    assert "<em>" not in html
    assert "∗" in html  # the star became an operator inside MathML
    assert html.count("<math>") == 3


def test_currency_and_escaped_dollars_stay_text() -> None:
    rendered = render("It costs $5 to $10, or \\$3.")
    assert "<math" not in rendered.html
    assert "$5 to $10, or $3." in rendered.html


def test_dollars_in_code_stay_code() -> None:
    html = render("`$x$`\n\n```\n$y$\n```").html
    assert "<math" not in html
    assert "<code>$x$</code>" in html


def test_site_and_document_macros() -> None:
    site = config(
        math=__import__("lemmata.config", fromlist=["MathConfig"]).MathConfig(
            macros={"\\R": "\\mathbb{R}"}
        )
    )
    rendered = render('---\nmacros: {"\\\\Q": "\\\\mathbb{Q}"}\n---\n$\\R \\Q$', site=site)
    assert not rendered.diagnostics
    assert "ℝ" in rendered.html and "ℚ" in rendered.html


def test_relative_links_become_references() -> None:
    rendered = render("[a](../pages/about.md#me) ![f](img/f.svg) [x](https://e.org) [y](/abs)")
    assert f'href="{REF_PREFIX}content/pages/about.md#me"' in rendered.html
    assert f'src="{REF_PREFIX}content/posts/img/f.svg"' in rendered.html
    assert [(link.target, link.fragment, link.is_image) for link in rendered.links] == [
        ("content/pages/about.md", "me", False),
        ("content/posts/img/f.svg", "", True),
    ]
    assert rendered.links[0].location.line == 1


def test_link_escaping_the_site_is_an_error_and_not_emitted() -> None:
    rendered = render("![x](../../../etc/passwd)")
    assert [d.headline() for d in rendered.diagnostics] == [
        "content/posts/note.md:1:6: error: link '../../../etc/passwd' points outside the site folder"
    ]
    assert rendered.links == ()
    assert "passwd" not in rendered.html


def test_unsafe_html_false_escapes_raw_html() -> None:
    site = config(
        markdown=__import__("lemmata.config", fromlist=["MarkdownConfig"]).MarkdownConfig(
            unsafe_html=False
        )
    )
    rendered = render("<script>alert(1)</script>\n\nok <b>b</b>", site=site)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert render("ok <b>b</b>").html.count("<b>") == 1


def test_summary_front_matter_is_the_excerpt() -> None:
    rendered = render("---\nsummary: Short *one* with $x$.\n---\nLong body text.")
    assert "<em>one</em>" in rendered.excerpt_html
    assert "<math>" in rendered.excerpt_html
    assert "Long body" not in rendered.excerpt_html
    assert rendered.excerpt_text == "Short one with x."


def test_automatic_excerpt_never_cuts_a_formula_or_link() -> None:
    words = " ".join(f"w{i}" for i in range(58))
    rendered = render(f"{words} $\\alpha + \\beta$ [a link here](https://e.org) tail words")
    assert rendered.excerpt_html.count("<math") == 1
    assert "</math></span>" in rendered.excerpt_html
    assert "a link here" not in rendered.excerpt_html  # the link did not fit: left out whole
    assert rendered.excerpt_html.rstrip().endswith("…</p>")


def test_chinese_excerpt_counts_characters() -> None:
    text = "注意力" * 100
    rendered = render(
        text,
        site=config(
            excerpt=__import__("lemmata.config", fromlist=["ExcerptConfig"]).ExcerptConfig(chars=30)
        ),
    )
    assert rendered.excerpt_text == "注意力" * 10 + "…"


def test_reading_units_count_chinese_characters_and_words() -> None:
    assert render("深度学习 is fun").reading_units == 6


def test_title_is_the_first_h1() -> None:
    assert render("## Sub\n\n# Main $x$\n").title == "Main x"


def test_toc_lists_levels_two_and_three() -> None:
    rendered = render("## A\n\n### B\n\n#### C\n\n## D")
    assert re.findall(r'href="#([^"]+)"', rendered.toc_html) == ["a", "b", "d"]


def test_huge_document_renders() -> None:
    paragraph = "Some text with $x_i$ and `code` and a [link](https://e.org).\n\n"
    text = paragraph * (5_000_000 // len(paragraph))
    rendered = render(text)
    assert rendered.html.count("<math>") == text.count("$x_i$")
    assert not rendered.diagnostics


@pytest.mark.parametrize(
    "text",
    [
        "- " * 10_000 + "x",
        ">" * 10_000 + " x",
        "$" + "{" * 10_000 + "x" + "}" * 10_000 + "$",
        "[" * 10_000,
    ],
)
def test_deep_nesting_gives_output_or_a_located_error(text: str) -> None:
    rendered = render(text)
    assert rendered.html
    for diag in rendered.diagnostics:
        assert diag.location is not None and diag.location.line >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab $\\{}_^*`:#>-|[]()!\n<>&",
                *["注", "意", "::: note\n", "\\frac", "$$\n", "\\begin{align}", "\\end{align}"],
                *["\\(", "\\)", "\\[", "\\]", "```\n"],
            ]
        ),
        max_size=80,
    ).map("".join)
)
def test_arbitrary_text_never_raises_and_diagnostics_are_located(text: str) -> None:
    rendered = render(text)
    lines = (text.count("\n") + 1) if text else 1
    for diag in rendered.diagnostics:
        assert diag.location is not None
        assert 1 <= diag.location.line <= lines
        assert diag.location.column >= 1


def test_punctuation_after_inline_math_stays_on_its_line() -> None:
    rendered = render("复杂度是 $O(n)$，而且 $x$。")
    assert rendered.html.count('<span class="math-nowrap">') == 2
    assert "</math></span>，</span>" in rendered.html
    assert rendered.excerpt_text == "复杂度是 O(n)，而且 x。"


def test_content_digest_covers_what_pages_show_and_is_cached_as_made() -> None:
    rendered = render("# Title\n\n## A\n\nSome $x$ text.\n\n## B\n\nMore.\n")
    assert rendered.toc_html and rendered.excerpt_html and rendered.excerpt_text
    digests = {rendered.content_digest}
    for name in ("body", "toc_html", "excerpt_html", "excerpt_text"):
        other = Html.of("<p>Other.</p>") if name == "body" else "other"
        digests.add(replace(rendered, **{name: other}, content_digest=b"").content_digest)
    assert len(digests) == 5
    # The preview digest covers all but the body: what lists show.
    previews = {rendered.preview_digest}
    for name in ("toc_html", "excerpt_html", "excerpt_text"):
        previews.add(replace(rendered, **{name: "other"}, content_digest=b"").preview_digest)
    assert len(previews) == 4
    other_body = replace(rendered, body=Html.of("<p>Other.</p>"), content_digest=b"")
    assert other_body.preview_digest == rendered.preview_digest
    # What a build made is what the next one loads: never computed again.
    marked = replace(rendered, content_digest=b"made", preview_digest=b"shown")
    loaded = pickle.loads(pickle.dumps(marked, pickle.HIGHEST_PROTOCOL))
    assert (loaded.content_digest, loaded.preview_digest) == (b"made", b"shown")


def test_a_documents_fresh_formulas_take_one_call_into_the_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = uuid.uuid4().hex[:8]
    text = FRONT + (
        f"# Heading $h_{{{fresh}}}$\n\nInline $a_{{{fresh}}}$, \\(b_{{{fresh}}}\\) and "
        f"$$c_{{{fresh}}}$$ here.\n\n- item $d_{{{fresh}}}$\n\n$$\ne_{{{fresh}}}\n$$\n\n"
        f"\\begin{{align}}\nf_{{{fresh}}} &= 1\n\\end{{align}}\n"
    )
    math = _math.engine(config().math.timeout_ms)
    calls: list[tuple[str, ...]] = []
    for name in ("eval", "call"):
        method = getattr(math._ctx, name)

        def counted(*args: Any, _method: Any = method, **kw: Any) -> Any:
            calls.append(args)
            return _method(*args, **kw)

        monkeypatch.setattr(math._ctx, name, counted)
    rendered = render(text)
    assert not rendered.diagnostics
    assert rendered.body.text.count("<math") == 7
    assert len(calls) == 1
    [(script,)] = calls
    assert all(f"{letter}_{{{fresh}}}" in script for letter in "abcdefh")


def test_formulas_rendered_ahead_are_shown_once_time_is_up() -> None:
    fresh = uuid.uuid4().hex[:8]
    ahead, late = f"a_{{{fresh}}}", f"b_{{{fresh}}}"
    site = config()
    ctx = RenderContext(
        document=document("x"),
        config=site,
        locator=Locator(SourceText("content/posts/note.md", "x")),
        macros={},
        deadline=time.monotonic() + 60,
    )
    _math.render_ahead(
        [(ahead, False), ("c", False)], macros={}, timeout_ms=2000, deadline=ctx.deadline
    )
    ctx.deadline = time.monotonic() - 1
    shown, error, _ = ctx.render_math(ahead, display=False)
    assert shown is not None and "<msub>" in shown and error is None
    assert ctx.render_math(late, display=False)[:2] == (None, _SKIPPED)
    assert ctx.render_math(ahead, display=False)[0] == shown
    assert ctx.transient


_SKIPPED = "document took longer than 60 s to render; later formulas skipped"
