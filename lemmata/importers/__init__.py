"""``lemmata import``: other engines' sites, notebooks, web articles and feeds → posts.

Each function writes ordinary lemmata posts under ``SITE/content/posts/`` and
returns an :class:`ImportReport`; none of them prints. Importing the same
source again never adds a second post, and leaves a post edited since its
import alone unless ``force`` is given.
"""

from lemmata.importers._article import import_url
from lemmata.importers._feed import import_feed
from lemmata.importers._model import ImportReport, Outcome, Result
from lemmata.importers._notebook import import_notebooks
from lemmata.importers._sites import import_hexo, import_hugo, import_jekyll

__all__ = [
    "ImportReport",
    "Outcome",
    "Result",
    "import_feed",
    "import_hexo",
    "import_hugo",
    "import_jekyll",
    "import_notebooks",
    "import_url",
]
