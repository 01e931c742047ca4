"""A deterministic corpus of math-heavy notes, for benchmarks.

    python bench/corpus.py OUT_DIR --posts 5000

writes a lemmata site (``lemmata.toml``, ``content/posts/*.md``). Every post
mixes Chinese and English prose from a small built-in vocabulary, with 5–10
inline and 1–3 display formulas, 1–3 code blocks, sometimes a table, and
front matter over six categories and a pool of tags. The same seed gives the
same bytes.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

CATEGORIES = [
    "NLP",
    "Computer Vision",
    "Algorithm",
    "Deep Learning",
    "Large Model",
    "Generative Model",
]
TAGS = [
    "attention", "optimization", "probability", "transformer", "diffusion", "sorting",
    "graph", "convex", "sampling", "regularization", "LoRA", "quantization", "梯度", "矩阵",
]  # fmt: skip
ENGLISH = [
    "the",
    "model",
    "gradient",
    "loss",
    "attention",
    "layer",
    "weight",
    "update",
    "step",
    "batch",
    "token",
    "sequence",
    "distribution",
    "sample",
    "estimate",
    "variance",
    "bias",
    "matrix",
    "vector",
    "norm",
    "kernel",
    "feature",
    "training",
    "inference",
    "memory",
    "cost",
    "parameter",
    "learning",
    "rate",
    "schedule",
    "converges",
    "bound",
    "proof",
    "lemma",
    "therefore",
    "because",
    "however",
    "since",
    "each",
    "every",
    "given",
    "where",
    "which",
    "this",
    "that",
    "with",
    "from",
    "into",
]
CHINESE = [
    "模型",
    "梯度",
    "损失",
    "注意力",
    "权重",
    "更新",
    "步长",
    "批量",
    "序列",
    "分布",
    "采样",
    "估计",
    "方差",
    "偏差",
    "矩阵",
    "向量",
    "范数",
    "特征",
    "训练",
    "推理",
    "内存",
    "开销",
    "参数",
    "学习率",
    "收敛",
    "证明",
    "引理",
    "因此",
    "因为",
    "但是",
    "由于",
    "每个",
    "给定",
    "其中",
]
INLINE = [
    r"\alpha_t", r"x_i^\top W", r"\nabla_\theta \mathcal{L}", r"O(n^2 d)", r"\sqrt{d_k}",
    r"\mathbb{E}[X]", r"p(x \mid z)", r"\beta_1 = 0.9", r"\lVert w \rVert_2", r"\sum_{i=1}^n x_i",
    r"\operatorname{softmax}(z)_i", r"\hat{\theta}", r"\lambda > 0", r"a_i * b_j", r"e^{-\lambda}",
]  # fmt: skip
DISPLAY = [
    r"\operatorname{Attention}(Q,K,V) = \operatorname{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \end{aligned}",
    r"P(X = k) = \binom{n}{k} p^k (1-p)^{n-k}",
    r"P(X = k) = \frac{\lambda^k e^{-\lambda}}{k!}",
    r"\nabla_x \, x^\top A x = (A + A^\top) x",
    r"f(x) = \begin{cases} x & x > 0 \\ 0.01 x & \text{otherwise} \end{cases}",
    r"D_{\mathrm{KL}}(q \,\|\, p) = \sum_x q(x) \log \frac{q(x)}{p(x)}",
    r"W = W_0 + BA, \quad B \in \mathbb{R}^{d \times r}, A \in \mathbb{R}^{r \times k}",
]
CODE = [
    (
        "python",
        "def maximum_gap(nums):\n    lo, hi = min(nums), max(nums)\n    size = max(1, (hi - lo) // (len(nums) - 1))\n    return size\n",
    ),
    ("cpp", "int lowbit(int x) {\n    return x & -x;\n}\n"),
    ("javascript", "const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;\n"),
    ("bash", "python train.py --lr 3e-4 --batch-size 64\n"),
    (
        "rust",
        "fn dot(a: &[f32], b: &[f32]) -> f32 {\n    a.iter().zip(b).map(|(x, y)| x * y).sum()\n}\n",
    ),
]


@dataclass(frozen=True)
class Post:
    """One generated post, independent of any generator's file layout."""

    slug: str
    title: str
    date: str
    category: str
    tags: tuple[str, ...]
    body: str


_FIRST_DAY = date(2000, 1, 1)


def posts(count: int, seed: int = 42) -> list[Post]:
    rng = random.Random(seed)
    return [_post(rng, index) for index in range(count)]


def _sentence(rng: random.Random, inline: list[str]) -> str:
    chinese = rng.random() < 0.5
    words = [rng.choice(CHINESE if chinese else ENGLISH) for _ in range(rng.randint(8, 16))]
    if inline:
        words.insert(rng.randint(1, len(words) - 1), f"${inline.pop()}$")
    text = ("" if chinese else " ").join(words)
    return text + ("。" if chinese else ".")


def _post(rng: random.Random, index: int) -> Post:
    inline = [rng.choice(INLINE) for _ in range(rng.randint(5, 10))]
    displays = [rng.choice(DISPLAY) for _ in range(rng.randint(1, 3))]
    codes = [rng.choice(CODE) for _ in range(rng.randint(1, 3))]
    blocks: list[str] = []
    for section in range(4):
        blocks.append(f"## Section {section + 1} 第{section + 1}节")
        for _ in range(2):
            blocks.append(" ".join(_sentence(rng, inline) for _ in range(rng.randint(3, 6))))
        if displays:
            blocks.append(f"$$\n{displays.pop()}\n$$")
        if codes:
            lang, code = codes.pop()
            blocks.append(f"```{lang}\n{code}```")
    if index % 4 == 0:
        blocks.append(
            "| method | memory | 复杂度 |\n|---|---|---|\n| softmax | $O(n^2)$ | 高 |\n| linear | $O(n)$ | 低 |"
        )
    while inline:
        blocks.append(_sentence(rng, inline))
    day = _FIRST_DAY + timedelta(days=index)  # all in the past, or a build holds them back
    return Post(
        slug=f"note-{index:05d}",
        title=f"Note {index}: {rng.choice(ENGLISH)} {rng.choice(CHINESE)}",
        date=day.isoformat(),
        category=CATEGORIES[index % len(CATEGORIES)],
        tags=tuple(sorted(set(rng.sample(TAGS, 3)))),
        body="\n\n".join(blocks) + "\n",
    )


def write_lemmata(out: Path, items: list[Post], *, search: bool = False) -> Path:
    """A lemmata site holding the posts (search off, as no peer indexes, unless asked)."""
    (out / "content" / "posts").mkdir(parents=True, exist_ok=True)
    write_lemmata_config(out, search=search)
    for post in items:
        tags = ", ".join(f'"{t}"' for t in post.tags)
        front = (
            f'---\ntitle: "{post.title}"\ndate: {post.date}\n'
            f'category: "{post.category}"\ntags: [{tags}]\n---\n\n'
        )
        (out / "content" / "posts" / f"{post.slug}.md").write_text(front + post.body, "utf-8")
    return out


def write_lemmata_config(out: Path, *, search: bool) -> None:
    """The site's ``lemmata.toml``."""
    (out / "lemmata.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example/"\n'
        f"[search]\nenabled = {str(search).lower()}\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write_lemmata(args.out, posts(args.posts, args.seed))
    print(f"wrote {args.posts} posts to {args.out}")


if __name__ == "__main__":
    main()
