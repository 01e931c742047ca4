"""The model-built site fixture of the site tests, for feeds and the sitemap."""

from tests.site.conftest import site

__all__ = ["site"]
