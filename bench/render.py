"""Rendering speed of one post, on one core.

    python bench/render.py [--rounds 60]

A deterministic ~1,500-word post (English and Chinese) with 10 formulas (7
inline, 3 display) and 2 code blocks goes through ``render_document``. Printed:
median ms per post with fresh formulas (every round's formulas differ, so
Temml really runs), median ms per post with the formula memo warm, ms per
formula, and — the baseline measured in the same run — plain markdown-it-py
(CommonMark, no plugins, no math, no highlighting) on the same text. Then
lexing the corpus's code blocks, µs per block, with Pygments' own engine (the
baseline) and with lemmata's joined lexer states, both warm as in a long build.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

import pygments
from markdown_it import MarkdownIt
from pygments.lexers import get_lexer_by_name

from bench.corpus import CHINESE, CODE, ENGLISH
from lemmata.config import SiteConfig
from lemmata.content import parse_document
from lemmata.markup import render_document
from lemmata.markup._lexing import join_all, lex
from lemmata.markup._math import engine

INLINE = [r"\alpha_{N}", r"x_i^\top W_{N}", r"\nabla_\theta \mathcal{L}_{N}", r"O(n^2 d) + N",
          r"\sqrt{d_{N}}", r"\mathbb{E}[X_{N}]", r"p(x \mid z_{N})"]  # fmt: skip
DISPLAY = [
    r"\operatorname{softmax}\left(\frac{QK^\top}{\sqrt{d_{N}}}\right)V",
    r"\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_{N} \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \end{aligned}",
    r"P(X = k) = \binom{n}{k} p^k (1-p)^{n-N}",
]


def post(seed: int) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    paragraphs: list[str] = []
    inline = [f"${f.replace('N', str(seed))}$" for f in INLINE]
    while sum(len(p.split()) for p in paragraphs) < 1500:
        chinese = rng.random() < 0.4
        words = [rng.choice(CHINESE if chinese else ENGLISH) for _ in range(60)]
        if inline:
            words.insert(30, inline.pop())
        paragraphs.append(("" if chinese else " ").join(words) + ".")
    blocks = ["## Notes 笔记", *paragraphs[:6]]
    for formula in DISPLAY:
        blocks.append(f"$$\n{formula.replace('N', str(seed))}\n$$")
    blocks.append("```python\ndef f(x):\n    return [v * 2 for v in x if v > 0]\n```")
    blocks += paragraphs[6:]
    blocks.append("```cpp\nint gap(vector<int>& a) { return a.empty() ? 0 : a[0]; }\n```")
    return "---\ntitle: Bench\n---\n" + "\n\n".join(blocks) + "\n"


def lexing(rounds: int) -> None:
    """µs per code block of each corpus language: Pygments' engine, then lemmata's."""
    print("code blocks, µs to lex (median):   Pygments   lemmata")
    for language, code in CODE:
        lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
        join_all(lexer)  # as a build does once a state is busy
        times: dict[str, list[float]] = {"pygments": [], "lemmata": []}
        for _ in range(rounds):  # interleaved, so that both see the same machine
            for name, run in (("pygments", pygments.lex), ("lemmata", lex)):
                start = time.perf_counter()
                for _ in range(20):
                    list(run(code, lexer))
                times[name].append((time.perf_counter() - start) * 1e6 / 20)
        ours, theirs = statistics.median(times["lemmata"]), statistics.median(times["pygments"])
        print(f"  {language:<12}{theirs:>20.0f}{ours:>10.0f}   ({theirs / ours:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description="render benchmark")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    config = SiteConfig(title="Bench", root=Path("/nonexistent"))
    texts = [post(seed) for seed in range(args.rounds)]
    docs = [parse_document(config, "content/posts/b.md", t.encode()) for t in texts]
    engine()
    render_document(docs[0], config)  # warm the parser, lexers and V8

    cold = []
    for doc in docs[1:]:
        start = time.perf_counter()
        render_document(doc, config)
        cold.append((time.perf_counter() - start) * 1000)
    warm = []
    for doc in docs[1:]:
        start = time.perf_counter()
        render_document(doc, config)
        warm.append((time.perf_counter() - start) * 1000)

    fresh = [f"x_{{{i}}} + \\frac{{{i}}}{{\\sqrt{{d_k}}}}" for i in range(300)]
    start = time.perf_counter()
    for tex in fresh:
        engine().render(tex, display=False)
    per_formula = (time.perf_counter() - start) * 1000 / len(fresh)

    plain = MarkdownIt("commonmark")
    base = []
    for text in texts[1:]:
        start = time.perf_counter()
        plain.render(text)
        base.append((time.perf_counter() - start) * 1000)

    words = len(texts[1].split())
    print(
        f"post: ~{words} words, 10 formulas (7 inline, 3 display), 2 code blocks; {len(cold)} rounds"
    )
    print(f"lemmata, fresh formulas:   {statistics.median(cold):6.2f} ms/post")
    print(f"lemmata, formulas memoised:{statistics.median(warm):6.2f} ms/post")
    print(f"one new formula (Temml):   {per_formula:6.2f} ms")
    print(f"baseline markdown-it-py:   {statistics.median(base):6.2f} ms/post "
          f"(lemmata is {statistics.median(cold) / statistics.median(base):.1f}x the baseline)")  # fmt: skip
    lexing(args.rounds)


if __name__ == "__main__":
    main()
