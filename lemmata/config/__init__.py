"""``lemmata.toml``: schema, defaults and validation."""

from lemmata.config._load import CONFIG_FILE, config_fingerprint, load_config
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
    "CONFIG_FILE",
    "CodeConfig",
    "ExcerptConfig",
    "FeedConfig",
    "HomeConfig",
    "MarkdownConfig",
    "MathConfig",
    "SearchConfig",
    "SiteConfig",
    "config_fingerprint",
    "load_config",
]
