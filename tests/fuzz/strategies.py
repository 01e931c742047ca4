"""Hypothesis strategies for documents: Markdown structure, front matter, LaTeX."""

from __future__ import annotations

from hypothesis import strategies as st

LATEX_ATOMS = [
    "x", "y_i", "^2", "\\frac{", "}{", "}", "{", "\\sqrt", "\\left(", "\\right)", "\\alpha",
    "\\begin{aligned}", "\\end{aligned}", "&", "\\\\", "\\text{中文}", "\\mathbb{R}", "\\foo",
    "\\begin{cases}", "\\end{cases}", "\\sum_{i=1}^n", "\\tag{1}", "\\boldsymbol{", "%", "#", "$",
]  # fmt: skip
INLINE_ATOMS = [
    "word", " ", "注意力", "*", "_", "**", "`", "[", "]", "(", ")", "![", "<", ">", "&", "\\",
    "\\$", "$5", "http://e.org", "[^1]", "{#id}", "<!-- more -->", "<b>", "</b>",
]  # fmt: skip

latex = st.lists(st.sampled_from(LATEX_ATOMS), max_size=12).map("".join)


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(INLINE_ATOMS), latex.map(lambda t: f"${t}$")), max_size=12
        )
    )
    return "".join(parts)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "p",
                "h",
                "list",
                "quote",
                "display",
                "bracket",
                "ams",
                "code",
                "table",
                "admonition",
                "footnote",
            ]
        )
    )
    text = draw(inline())
    if kind == "h":
        return "#" * draw(st.integers(1, 6)) + " " + text
    if kind == "list":
        return "\n".join(
            f"{'  ' * draw(st.integers(0, 3))}- {draw(inline())}"
            for _ in range(draw(st.integers(1, 4)))
        )
    if kind == "quote":
        return ">" * draw(st.integers(1, 5)) + " " + text
    if kind == "display":
        return f"$$\n{draw(latex)}\n$$"
    if kind == "bracket":
        return f"\\[\n{draw(latex)}\n\\]"
    if kind == "ams":
        env = draw(st.sampled_from(["align", "equation*", "gather"]))
        return f"\\begin{{{env}}}\n{draw(latex)}\n\\end{{{env}}}"
    if kind == "code":
        lang = draw(
            st.sampled_from(["", "python", "nosuch", 'python {linenos=true hl_lines="1-2"}'])
        )
        return f"```{lang}\n{text}\n```"
    if kind == "table":
        return f"| a | b |\n|---|---|\n| {text} | {draw(inline())} |"
    if kind == "admonition":
        return f"::: {draw(st.sampled_from(['note', 'tip', 'warning']))}\n{text}\n:::"
    return f"[^1]: {text}"


front_values = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.sampled_from(
        ["2026-01-11", "2026-02-30", "2026-01-11 20:30", "not a date", "[a, b", "{x: 1}"]
    ),
    st.lists(st.text(max_size=8), max_size=3),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(
            st.sampled_from(
                [
                    "title",
                    "date",
                    "updated",
                    "category",
                    "tags",
                    "summary",
                    "slug",
                    "draft",
                    "macros",
                    "other",
                ]
            ),
            max_size=6,
            unique=True,
        )
    )
    lines = []
    for key in keys:
        value = draw(front_values)
        lines.append(f"{key}: {value!r}" if not isinstance(value, str) else f"{key}: {value}")
    fence = draw(st.sampled_from(["---", "---", "+++"]))
    closed = draw(st.booleans()) or True
    return f"{fence}\n" + "\n".join(lines) + (f"\n{fence}\n" if closed else "\n")


@st.composite
def document(draw: st.DrawFn) -> str:
    head = draw(st.one_of(st.just(""), front_matter()))
    blocks = draw(st.lists(block(), max_size=8))
    return head + "\n\n".join(blocks) + "\n"
