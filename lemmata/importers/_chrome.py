"""Page chrome removed before extraction: what blog engines and Q&A sites put around an article.

The extractor already leaves most of it out; these are the pieces it tends to
keep because they sit inside the article's container: post meta lines, vote
counts, signatures, share buttons, tag lists, previous/next links. An element
holding the article body itself is never removed. Figure captions, which
extraction would drop, are turned into paragraphs first.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html  # type: ignore[import-untyped]

_TAGS = {"nav", "aside", "footer", "form", "button", "input", "select", "textarea", "noscript"}
_NAMES = re.compile(
    r"^(?:nav|navbar|navigation|menu|sidebar|side-?bar|left-sidebar|widget|widget-area|"
    r"breadcrumbs?|pagination|paginav|post-nav|post-navigation|nav-links|share|share-buttons|"
    r"sharing|social|social-share|related|related-posts|comments?|comment-list|votecell|"
    r"js-vote-count|post-signature|post-menu|post-meta|entry-meta|post-info|byline|"
    r"author-bio|newsletter|subscribe|advert|advertisement|ads?|cookie-banner|site-header|"
    r"site-footer|post-taglist|tagcloud|s-topbar|hot-network-questions|copyright|"
    r"reward|donate|license|post-copyright)$"
)
_CONTENT = re.compile(
    r"post-body|post-content|entry-content|article-body|articlebody|s-prose|markdown-body|"
    r"post-single|e-content",
    re.IGNORECASE,
)


def strip_chrome(root: lxml_html.HtmlElement) -> None:
    """Remove navigation, meta lines, votes and the like from the page, in place."""
    doomed = [
        element
        for element in root.iter()
        if isinstance(element.tag, str) and _is_chrome(element) and not _holds_content(element)
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail
        previous = element.getprevious()
        if tail and previous is not None:
            previous.tail = (previous.tail or "") + tail
        elif tail:
            parent.text = (parent.text or "") + tail
        parent.remove(element)


def keep_captions(root: lxml_html.HtmlElement) -> None:
    """Figure captions as emphasised paragraphs, which extraction keeps (it drops ``figcaption``)."""
    for caption in list(root.iter("figcaption")):
        emphasis = lxml_html.Element("em")
        emphasis.text = caption.text
        for child in list(caption):
            emphasis.append(child)
        caption.text = None
        caption.append(emphasis)
        caption.tag = "p"


def _is_chrome(element: lxml_html.HtmlElement) -> bool:
    if element.tag in _TAGS:
        return True
    names = (element.get("class") or "").lower().split()
    names.append((element.get("id") or "").lower())
    return any(_NAMES.match(name) for name in names if name)


def _holds_content(element: lxml_html.HtmlElement) -> bool:
    if element.tag == "article" or element.get("itemprop") == "articleBody":
        return True
    return bool(
        element.xpath(
            ".//article | .//*[@itemprop='articleBody'] | .//*[@class]"
            "[re:test(@class, $pattern, 'i')]",
            namespaces={"re": "http://exslt.org/regular-expressions"},
            pattern=_CONTENT.pattern,
        )
    )
