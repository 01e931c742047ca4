"""The default theme ``transmission``: Jinja2 templates, CSS and a little JavaScript.

A site's ``templates/`` folder overrides the theme's templates of the same name.
"""

from lemmata.theme._render import TEMPLATES, render_site

__all__ = ["TEMPLATES", "render_site"]
