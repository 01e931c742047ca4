"""The tag scanner steps over code and formulas, and pairs literal tags."""

from __future__ import annotations

import pytest

from lemmata.importers._scan import Code, Math, Syntax, Tag, scan


def _tags(
    text: str, syntax: Syntax = Syntax.LIQUID, literal: frozenset[str] = frozenset()
) -> list[str]:
    return [text[t.start : t.end] for t in scan(text, syntax, literal) if isinstance(t, Tag)]


@pytest.mark.parametrize(
    "text",
    [
        "$a {% x %} b$",
        "$$\n{% x %}\n$$",
        "\\(a {{ x }}\\)",
        "\\[ {% x %} \\]",
        "\\begin{align} {% x %} \\end{align}",
        "`{% x %}`",
        "```\n{% x %}\n```",
        "~~~~\n{% x %}\n```\n~~~~",
    ],
)
def test_nothing_inside_code_or_math_is_a_tag(text: str) -> None:
    assert _tags(text) == []


def test_tags_outside_are_found_in_order() -> None:
    text = "a {% asset_img x.png %} $y$ {{ site.baseurl }} `{% no %}` {%- endnote -%}"
    found = [t for t in scan(text, Syntax.LIQUID, frozenset()) if isinstance(t, Tag)]
    assert [(t.name, t.args, t.closing, t.output) for t in found] == [
        ("asset_img", "x.png", False, False),
        ("site.baseurl", "", False, True),
        ("note", "", True, False),
    ]


def test_dollar_rules_follow_lemmata() -> None:
    # "$5 and $10" is not a formula, so the tag between is found.
    assert _tags("costs $5 and {% x %} $10") == ["{% x %}"]
    # An escaped dollar opens nothing.
    assert _tags("\\$ {% x %} $") == ["{% x %}"]
    kinds = [type(i).__name__ for i in scan("$a$ and `b`", Syntax.LIQUID, frozenset())]
    assert kinds == ["Math", "Code"]


def test_literal_pair_body_is_not_scanned() -> None:
    text = "{% raw %}{% a %}{{ b }}{% endraw %} {% c %}"
    (pair, single) = [
        t for t in scan(text, Syntax.LIQUID, frozenset({"raw"})) if isinstance(t, Tag)
    ]
    assert pair.body == "{% a %}{{ b }}"
    assert text[pair.start : pair.end] == "{% raw %}{% a %}{{ b }}{% endraw %}"
    assert single.name == "c"


def test_unclosed_literal_pair() -> None:
    (tag,) = [
        t for t in scan("{% raw %} x", Syntax.LIQUID, frozenset({"raw"})) if isinstance(t, Tag)
    ]
    assert tag.unclosed and tag.body is None


def test_hugo_shortcodes() -> None:
    text = (
        '{{< figure src="a.png" >}} {{% notice info %}}x{{% /notice %}} '
        "{{</* escaped */>}} {{< highlight go >}}{{< x >}}{{< /highlight >}}"
    )
    found = [t for t in scan(text, Syntax.HUGO, frozenset({"highlight"})) if isinstance(t, Tag)]
    assert [(t.name, t.closing, t.escaped, t.body) for t in found] == [
        ("figure", False, False, None),
        ("notice", False, False, None),
        ("notice", True, False, None),
        ("", False, True, None),
        ("highlight", False, False, "{{< x >}}"),
    ]


def test_regions_cover_their_text() -> None:
    text = "x $a$ y ```\ncode\n``` z"
    regions = [(type(i), text[i.start : i.end]) for i in scan(text, Syntax.LIQUID, frozenset())]
    assert regions == [(Math, "$a$"), (Code, "```\ncode\n```")]
