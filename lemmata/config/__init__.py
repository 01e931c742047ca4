"""``lemmata.toml``: schema, defaults and validation."""

from lemmata.config._model import (
    CodeConfig,
    ExcerptConfig,
    FeedConfig,
    HomeConfig,
    MarkdownConfig,
    MathConfig,
    SearchConfig,
    SiteConfig,
)

__all__ = [
    "CodeConfig",
    "ExcerptConfig",
    "FeedConfig",
    "HomeConfig",
    "MarkdownConfig",
    "MathConfig",
    "SearchConfig",
    "SiteConfig",
]
