"""``lemmata init`` and ``lemmata new``: files written from small templates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from lemmata.config import load_config
from lemmata.content import slugify
from lemmata.errors import UsageError

_CONFIG = """\
# lemmata site configuration. Every option is described in the README.
title = {title}
base_url = "/"
description = "Notes on machine learning and algorithms."
language = "en"
timezone = "UTC"

[home]
hero = "INCOMING TRANSMISSION"
heading = "LATEST UPDATES"
per_page = 10

[math.macros]
"\\\\R" = "\\\\mathbb{{R}}"
"""

_FIRST_POST = """\
---
title: Hello, lemmata
date: {date}
category: Notes
tags: [lemmata]
---

This site was made with lemmata. Formulas such as $e^{{i\\pi}} + 1 = 0$ are
rendered when the site is built, so they need no JavaScript to read.

<!-- more -->

## Display math

$$
\\nabla_x \\, x^\\top A x = (A + A^\\top) x
$$

## Code

```python
def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)
```
"""

_ABOUT = """\
---
title: About
---

Write something about yourself and these notes here.
"""


def init_site(directory: Path, *, title: str) -> None:
    """Create a starter site in an empty or missing folder."""
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} is not empty; choose a new folder")
    today = datetime.now().date().isoformat()
    files = {
        "lemmata.toml": _CONFIG.format(title=_toml_string(title)),
        "content/posts/hello-lemmata.md": _FIRST_POST.format(date=today),
        "content/pages/about.md": _ABOUT,
        "static/.keep": "",
        ".gitignore": "public/\n.lemmata/\n",
    }
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def new_document(site: Path, kind: str, title: str, *, category: str | None = None) -> Path:
    """Write ``content/posts/<slug>.md`` (or ``pages``) with its front matter filled."""
    config = load_config(site)
    slug = slugify(title, config.slug_style)
    folder = config.root / "content" / ("posts" if kind == "post" else "pages")
    path = folder / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path} already exists")
    meta: dict[str, object] = {"title": title}
    if kind == "post":
        now = datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0, tzinfo=None)
        meta["date"] = now.strftime("%Y-%m-%d %H:%M")
        meta["category"] = category or ""
        meta["tags"] = []
        meta["draft"] = False
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n", encoding="utf-8")
    return path


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
