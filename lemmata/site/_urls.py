"""URLs: permalinks, the base path, and output paths."""

from __future__ import annotations

import posixpath
from datetime import datetime
from urllib.parse import urlsplit

from lemmata.config import SiteConfig
from lemmata.content import slugify


class Urls:
    """Builds every URL of the site from the configuration."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        parts = urlsplit(config.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        path = parts.path or "/"
        self.base_path = path if path.endswith("/") else path + "/"

    def url(self, path: str) -> str:
        """Site-absolute URL of a site path: ``/posts/x/`` → ``/notes/posts/x/``."""
        return self.base_path + path.lstrip("/")

    def absolute(self, url: str) -> str:
        """Full URL of a site-absolute one (unchanged when base_url has no host)."""
        return self.origin + url

    def post(self, slug: str, date: datetime | None, category: str | None) -> str:
        pattern = self.config.permalink
        values = {
            "slug": slug,
            "year": f"{date.year:04d}" if date else "0000",
            "month": f"{date.month:02d}" if date else "00",
            "day": f"{date.day:02d}" if date else "00",
            "category": slugify(category, self.config.slug_style) if category else "uncategorized",
        }
        return self.url(pattern.format(**values))

    def page(self, slug: str) -> str:
        return self.url(self.config.page_permalink.format(slug=slug))

    def output_path(self, url: str) -> str:
        """Where a URL's page is written: ``/notes/posts/x/`` → ``posts/x/index.html``."""
        relative = url[len(self.base_path) :] if url.startswith(self.base_path) else url.lstrip("/")
        if not relative or relative.endswith("/"):
            return relative + "index.html"
        return relative

    def output_folder(self, url: str) -> str:
        """The output folder of a page, for files beside it: ``/posts/x/`` → ``posts/x/``."""
        folder = posixpath.dirname(self.output_path(url))
        return f"{folder}/" if folder else ""
