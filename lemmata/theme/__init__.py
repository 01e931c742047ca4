"""The default theme ``transmission``: Jinja2 templates, CSS and a little JavaScript.

A site's ``templates/`` folder overrides the theme's templates of the same name.
"""

from lemmata.theme._pagecache import PageCache
from lemmata.theme._render import TEMPLATES, render_pages, render_site

__all__ = ["TEMPLATES", "PageCache", "render_pages", "render_site"]
