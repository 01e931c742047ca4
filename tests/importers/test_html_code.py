"""Code blocks of blog engines and Q&A sites: text as shown, language from any class."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers._html_code import hold_code
from lemmata.importers._placeholders import Held, Kind, Placeholders


def code_of(html: str) -> list[Held]:
    root = lxml_html.document_fromstring(f"<html><body>{html}</body></html>")
    table = Placeholders()
    hold_code(root, table)
    page = lxml_html.tostring(root, encoding="unicode")
    return [h for m in table.pattern.finditer(page) if (h := table.get(m)) is not None]


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<pre><code class="language-python">x</code></pre>', "python"),
        ('<pre class="lang-py s-code-block"><code class="hljs">x</code></pre>', "py"),
        (
            '<div class="highlight-python notranslate"><div class="highlight"><pre>x</pre></div></div>',
            "python",
        ),
        (
            '<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x</code></pre></div></div>',
            "ruby",
        ),
        (
            '<pre class="sourceCode haskell"><code class="sourceCode haskell">x</code></pre>',
            "haskell",
        ),
        ('<pre><code class="hljs cpp">x</code></pre>', "cpp"),
        ('<pre><code data-lang="go">x</code></pre>', "go"),
        ('<div class="highlight highlight-source-js"><pre>x</pre></div>', "js"),
        ("<pre>x</pre>", ""),
        ('<pre><code class="language-notalanguage">x</code></pre>', ""),
    ],
)
def test_language(html: str, language: str) -> None:
    assert code_of(html) == [Held(Kind.CODE_BLOCK, "x", language)]


def test_hexo_table_with_line_numbers() -> None:
    html = (
        '<figure class="highlight python"><table><tr><td class="gutter"><pre><span class="line">1</span>'
        '<br><span class="line">2</span><br></pre></td><td class="code"><pre><span class="line">a = 1</span>'
        '<br><span class="line">b = 2</span><br></pre></td></tr></table></figure>'
    )
    assert code_of(html) == [Held(Kind.CODE_BLOCK, "a = 1\nb = 2", "python")]


def test_copy_buttons_and_prism_line_numbers_are_left_out() -> None:
    html = (
        '<div class="code-toolbar"><pre class="language-bash line-numbers"><code>ls -la'
        '<span class="line-numbers-rows"><span></span></span></code></pre><button>Copy</button></div>'
    )
    assert code_of(html) == [Held(Kind.CODE_BLOCK, "ls -la", "bash")]


def test_inline_code_and_ordered_lists() -> None:
    held = code_of('<p>run <code>make all</code></p><ol start="4"><li>x</li></ol>')
    assert held == [Held(Kind.CODE, "make all"), Held(Kind.ORDERED, "4")]
