"""Writing the site: feeds, sitemap, robots.txt, the search index, and the atomic publish."""

from lemmata.output._feeds import feed_urls, feeds
from lemmata.output._publish import (
    PublishReport,
    check_output_dir,
    publish,
    record_spare_meanwhile,
)
from lemmata.output._reuse import Reuse
from lemmata.output._search import with_live_search_index, with_search_index
from lemmata.output._sitemap import robots_txt, sitemap

__all__ = [
    "PublishReport",
    "Reuse",
    "check_output_dir",
    "feed_urls",
    "feeds",
    "publish",
    "record_spare_meanwhile",
    "robots_txt",
    "sitemap",
    "with_live_search_index",
    "with_search_index",
]
