"""Reusing pages of the previous build whose inputs have not changed.

A page's key is a digest of everything its rendering reads: the templates
(the site's overrides and the theme's), lemmata's own code, the globals
(configuration, asset URLs, extra head HTML…), the route and its context,
and those parts of ``site`` the template looked at last time. Templates reach
``site`` through a view that notes each attribute read, so a page that never
touches ``site.posts`` is not re-rendered because some post changed; the
archive page, which does, is. Reads of entries' details (body, neighbours,
related posts: :data:`~lemmata.site.DETAILS`) are noted too: a page that read
none (a list, the archive) counts each entry by its other fields and its
excerpts, so an edit below a post's excerpt renders only the post's own page,
and a new title only the pages that show that title.

A reused page is not read back: the publisher hard-links the file of the
live output into the new one. A record is trusted only while that file is
exactly the one lemmata wrote (same size, modification time and inode), so
an output folder edited or replaced by hand is simply rendered again.
Records live in ``.lemmata/`` (one file per output folder); deleting them
only costs time.

With them are the site's ``structure``, the digest of what every page reads
(templates, configuration…) and the digests of the site's entries. When the
next build reuses the kept site (the same ``structure``), an entry with the
same rendered part keeps its digests, unless a new title was given to it or
to a post it links to (``Site.titles``); when every page reads the same too,
a page that shows no entry whose rendering or title changed keeps its key
without it being computed (:class:`ShownEntries`). After an edit to one
post's text, one entry is digested and a few pages keyed, instead of 5,000
and 7,500; after a new title, a few entries.
Files made from the structure and a few digests alone (the sitemap, feeds)
are reused the same way (:meth:`PageCache.file`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from lemmata._hashing import sha1
from lemmata._pickling import attributes
from lemmata.cache import code_version, for_output, load_pickled, save_pickled
from lemmata.site import DERIVED, Entry, EntryLink, OutputFile, Route, Site

_FORMAT = 6
"""Bumped whenever the records' layout changes."""


_Record = tuple[str, tuple[str, ...], tuple[int, int, int]]
"""A page of the previous build: its key, the attributes of ``site`` its template
read, and the size, modification time (ns) and inode of the file written. A plain
tuple: 7,500 are loaded and saved every build, and ``pickle`` handles plain tuples
in C but calls into Python for each named tuple (a tenth of a second at 5,000 posts)."""


class Digests:
    """Digests of template data; each dataclass instance is digested once per build.

    A value is turned into plain tuples of strings, bytes, numbers and ``None``
    (a nested dataclass becomes its own digest; a date, a mapping or any other
    object a tuple tagged by a string that starts with NUL, so that it cannot
    pass for a text or a list), which
    :mod:`marshal` serializes and SHA-1 hashes. Format 2 of ``marshal`` writes
    equal values alike, whichever objects hold them (later formats share repeated
    objects). A value with a ``content_digest`` (an entry's body) is represented
    by it; a field marked :data:`~lemmata.site.DERIVED` is left out.

    Without ``details`` an entry counts by its table of contents and excerpts
    instead of its body, and neither by its neighbours nor its related posts:
    for the pages that never read these (lists, the archive), an edit to a
    post's body below its excerpt, or to the title of a post it links to,
    changes nothing.
    """

    def __init__(
        self,
        *,
        details: bool = True,
        entries: dict[int, _EntryDigests] | None = None,
        kept: dict[tuple[str, str], KeptDigests] | None = None,
        made: list[tuple[tuple[str, str], KeptDigests]] | None = None,
    ) -> None:
        self._details = details
        """Whether entries count by their details too, or only by what lists show of them."""
        self._entries = {} if entries is None else entries
        """Both digests of each entry, shared by the two kinds of :class:`Digests`."""
        self._kept = {} if kept is None else kept
        """Entries' digests by source and URL, with what their renderings gave them
        (:func:`_rendered_part`): of this build, and of the previous one when its
        site had the same :attr:`~lemmata.site.Site.structure` (see :meth:`pair`)."""
        self.made = [] if made is None else made
        """The digests of entries made here and noted in ``kept``, for a process that
        does not share it (see :func:`~lemmata.theme.render_pages`)."""
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, Callable[[object], Any]] = {}
        self._dates: dict[int, tuple[date, tuple[str, str]]] = {}

    @classmethod
    def pair(
        cls, kept: dict[tuple[str, str], KeptDigests] | None = None
    ) -> tuple[Digests, Digests]:
        """Digests with and without details, digesting each entry once for both.

        ``kept``: the digests of entries of a site with the same ``structure``,
        noted by an earlier pair; digests made now are noted in it too. Such an
        entry differs from the one digested then at most in what its rendering
        gave it, which is compared: when that is the same, so are the digests.
        """
        entries: dict[int, _EntryDigests] = {}
        kept = {} if kept is None else kept
        made: list[tuple[tuple[str, str], KeptDigests]] = []
        return (
            cls(details=True, entries=entries, kept=kept, made=made),
            cls(details=False, entries=entries, kept=kept, made=made),
        )

    def of(self, value: object) -> bytes:
        return sha1(marshal.dumps(self._plain(value), _MARSHAL))  # type: ignore[arg-type]

    def _plain(self, value: object) -> object:
        kind = type(value)
        if value is None or kind in _EXACT:
            return value
        if kind in _DATES:
            return self._date(value)  # type: ignore[arg-type]
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if kind is Entry:
            return self._entry(value)  # type: ignore[arg-type]
        if kind is EntryLink:
            return self._link(value)  # type: ignore[arg-type]
        if kind is Route:
            return self._route(value)  # type: ignore[arg-type]
        fields = self._fields.get(kind)
        if fields is not None:
            return self._dataclass(value, fields)
        if kind is tuple or kind is list:
            return self._items(value)  # type: ignore[arg-type]
        if kind is dict:
            return self._mapping(value)  # type: ignore[arg-type]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._dataclass(value, self._general(kind))
        own = getattr(value, "content_digest", None)
        if isinstance(own, bytes):  # a value that digests itself (a body not yet decoded)
            return own
        if isinstance(value, Mapping):
            return self._mapping(value)
        # anything else (``Markup``, an enum, a path…): its type and repr
        # (a stray object's address only costs a re-render)
        return ("\0object", type(value).__qualname__, repr(value))

    def _items(self, items: Iterable[object]) -> tuple[object, ...]:
        return tuple(self._flat(items))

    def _flat(self, items: Iterable[object]) -> list[object]:
        """Each item's plain form: the loop every tuple, list and dataclass goes through."""
        memo, plain_of = self._memo, self._plain
        plain: list[object] = []
        for item in items:
            kind = type(item)
            if item is None or kind in _EXACT:
                plain.append(item)
            elif kind is tuple:  # never remembered: no lookup
                plain.append(self._items(item))  # type: ignore[arg-type]
            elif kind is dict:
                plain.append(self._mapping(item))  # type: ignore[arg-type]
            else:
                known = memo.get(id(item))
                plain.append(known[1] if known is not None and known[0] is item else plain_of(item))
        return plain

    def _mapping(self, value: Mapping[Any, object]) -> tuple[object, ...]:
        if not value:
            return ("\0mapping",)
        if len(value) == 1:  # a route's context, an entry's ``extra``: nothing to sort
            ((key, item),) = value.items()
            return ("\0mapping", (repr(key), self._plain(item)))
        items: Iterable[tuple[Any, object]] = value.items()
        if all(type(key) is str for key in value):
            items = sorted(items)  # text keys sort as they are, without ``repr``
        else:
            items = sorted(items, key=lambda pair: repr(pair[0]))
        return ("\0mapping", *((repr(k), self._plain(v)) for k, v in items))

    def _entry(self, entry: Entry) -> bytes:
        """:meth:`_dataclass` for the value digested most (5,000 posts: 5,000 entries), by hand.

        It makes the very list :meth:`_dataclass` would (a test compares them), in
        half the time; a field of an unexpected type takes the general way. Without
        ``details``, the body's digest gives way to its ``preview_digest`` (the
        table of contents and excerpts) and the links to other posts are left
        out: what a page that reads no details shows.
        """
        both = self._entries.get(id(entry))
        if both is None or both.entry is not entry:
            both = self._entries[id(entry)] = self._both(entry)
        result = both.full if self._details else both.preview
        self._memo[id(entry)] = (entry, result)
        return result

    def _both(self, entry: Entry) -> _EntryDigests:
        rendered = _rendered_part(entry)
        kept = self._kept.get((entry.source, entry.url))
        if kept is not None and kept[0] == rendered:
            return _EntryDigests(entry, kept[1], kept[2])
        both = self._digest_both(entry)
        made = (rendered, both.full, both.preview)
        self._kept[entry.source, entry.url] = made
        self.made.append(((entry.source, entry.url), made))
        return both

    def _digest_both(self, entry: Entry) -> _EntryDigests:
        known = self._known
        plain = [
            "Entry",
            entry.kind,
            entry.title,
            entry.url,
            entry.permalink,
            entry.source,
            None if entry.date is None else self._date(entry.date),
            None if entry.updated is None else self._date(entry.updated),
            known(entry.category),
            tuple([known(tag) for tag in entry.tags]),
            entry.body.content_digest,  # covers the table of contents and excerpts
            entry.reading_minutes,
            entry.has_math,
            entry.has_code,
            entry.draft,
            self._plain(entry.extra),
            known(entry.previous),
            known(entry.next),
            tuple([known(link) for link in entry.related]),
        ]
        try:
            full = sha1(marshal.dumps(plain, _MARSHAL))
            plain[10] = entry.body.preview_digest  # the table of contents and excerpts alone
            del plain[16:]  # previous, next, related
            return _EntryDigests(entry, full, sha1(marshal.dumps(plain, _MARSHAL)))
        except ValueError:  # a subclass of str, say: not what marshal writes
            general = self._dataclass(entry, self._general(Entry))
            return _EntryDigests(entry, general, general)  # details count: never too little

    def _link(self, link: EntryLink) -> bytes:
        """:meth:`_dataclass` for a link to a post (5,000 posts: 5,000 links), by hand."""
        if type(link.title) is not str or type(link.url) is not str:
            return self._dataclass(link, self._general(EntryLink))
        date = None if link.date is None else self._date(link.date)
        plain = ["EntryLink", link.title, link.url, date]
        result = sha1(marshal.dumps(plain, _MARSHAL))
        self._memo[id(link)] = (link, result)
        return result

    def _route(self, route: Route) -> bytes:
        """:meth:`_dataclass` for a route (one per page), by hand."""
        context = route.context
        texts = (route.path, route.url, route.template)
        if type(context) is not dict or any(type(text) is not str for text in texts):
            return self._dataclass(route, self._general(Route))
        result = sha1(marshal.dumps(["Route", *texts, self._mapping(context)], _MARSHAL))
        self._memo[id(route)] = (route, result)
        return result

    def _date(self, value: date) -> tuple[str, str]:
        """A date or time as text (its ``repr``, which names a time's zone), remembered:
        a post's date is also its links' date."""
        known = self._dates.get(id(value))
        if known is None or known[0] is not value:
            known = self._dates[id(value)] = (value, ("\0date", repr(value)))
        return known[1]

    def _general(self, kind: type) -> Callable[[object], Any]:
        fields = self._fields.get(kind)
        if fields is None:
            fields = self._fields[kind] = attributes(_digested_fields(kind))
        return fields

    def _known(self, value: object) -> object:
        if value is None:
            return None
        known = self._memo.get(id(value))
        return known[1] if known is not None and known[0] is value else self._plain(value)

    def _dataclass(self, value: object, fields: Callable[[object], Any]) -> bytes:
        """The instance's digest, remembered: a shared instance is digested once."""
        plain = [type(value).__qualname__, *self._flat(fields(value))]
        result = sha1(marshal.dumps(plain, _MARSHAL))
        self._memo[id(value)] = (value, result)
        return result


def _digested_fields(kind: type) -> list[str]:
    return [f.name for f in dataclasses.fields(kind) if not f.metadata.get(DERIVED)]


_MARSHAL = 2
"""The newest ``marshal`` format that never shares objects: its bytes depend on values alone."""
_EXACT = frozenset({str, bytes, int, bool, float})
"""Types ``marshal`` writes as they are (subclasses such as ``Markup`` go by their repr)."""
_DATES = frozenset({date, datetime})


def _rendered_part(entry: Entry) -> tuple[bytes, bytes, int, bool, bool]:
    """What an entry's digests cover of what it takes from its rendering."""
    body = entry.body
    return (
        body.content_digest,
        body.preview_digest,
        entry.reading_minutes,
        entry.has_math,
        entry.has_code,
    )


KeptDigests = tuple[tuple[bytes, bytes, int, bool, bool], bytes, bytes]
"""An entry's digests (with and without details), after what its rendering gave it."""


class _EntryDigests(NamedTuple):
    entry: Entry
    full: bytes
    """Counting every field."""
    preview: bytes
    """Counting, instead of its details, its table of contents and excerpts."""


class ShownEntries:
    """Whether a value shows an entry whose rendering changed since the previous build.

    When the previous build's site had the same ``structure`` and its pages the
    same shared inputs (templates, configuration…), the values pages read
    differ from those then only in what entries took from their renderings,
    and in titles (``Site.titles``). A page whose route and ``site`` attributes
    show none of the entries whose rendered part changed (by
    :data:`KeptDigests`, from which the caller left out the retitled entries
    and those linking to them), and no link to a ``retitled`` URL, has the key
    it had: a text edit computes the keys of the few pages showing that post,
    not of 7,500.
    An entry of neither ``site.posts`` nor ``site.pages``, or a value of a kind
    not met in routes, counts as changed: the key is then computed.
    """

    def __init__(
        self,
        site: Site,
        kept: Mapping[tuple[str, str], KeptDigests],
        retitled: Collection[str] = (),
    ) -> None:
        self._unchanged = {
            id(entry)
            for entry in (*site.posts, *site.pages)
            if (known := kept.get((entry.source, entry.url))) is not None
            and known[0] == _rendered_part(entry)
        }
        """The entries (by ``id``) known to show what they showed then."""
        self._retitled = retitled
        """URLs of posts whose titles changed: a link to one shows a change."""
        self._memo: dict[int, tuple[object, bool]] = {}
        self._fields: dict[type, Callable[[object], Any]] = {}

    def within(self, value: object) -> bool:
        return self.any_of((value,))

    def any_of(self, values: Iterable[object]) -> bool:
        """Whether any of ``values`` shows a changed entry: the loop every value goes through
        (7,500 routes: tens of thousands of values), with entries and texts handled inline."""
        unchanged = self._unchanged
        for value in values:
            kind = type(value)
            if kind is Entry:
                if id(value) not in unchanged:
                    return True
            elif value is not None and kind not in _EXACT and kind not in _DATES:
                known = self._memo.get(id(value))
                if known is None or known[0] is not value:
                    known = (value, self._made_of_changed(value))
                    self._memo[id(value)] = known
                if known[1]:
                    return True
        return False

    def _made_of_changed(self, value: object) -> bool:
        kind = type(value)
        if kind is EntryLink:
            return value.url in self._retitled  # type: ignore[attr-defined]
        if kind is tuple or kind is list:
            return self.any_of(value)  # type: ignore[arg-type]
        if isinstance(value, Mapping):
            return self.any_of(value.values())
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = self._fields.get(kind)
            if fields is None:
                fields = self._fields[kind] = attributes(_digested_fields(kind))
            return self.any_of(fields(value))
        return True  # digested by its repr or a digest of its own: never guessed


def showing(site: Site, urls: Collection[str]) -> set[tuple[str, str]]:
    """The entries (by source and URL) at one of these ``urls``, or linking to one
    (previous, next, related): those whose digests a new title there changes."""
    if not urls:
        return set()
    found = set()
    for entry in (*site.posts, *site.pages):
        links = (entry.previous, entry.next, *entry.related)
        if entry.url in urls or any(link is not None and link.url in urls for link in links):
            found.add((entry.source, entry.url))
    return found


DETAILS_READ = "(details)"
"""Noted in a page's reads when its template read some entry's details (not a name of ``site``)."""


class SiteView:
    """``site`` as templates see it: every attribute read is noted in ``used``,
    and so is any read of an entry's details (as :data:`DETAILS_READ`)."""

    __slots__ = ("_site", "used")

    def __init__(self, site: Site) -> None:
        self._site = site
        self.used: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.used.add(name)
        return getattr(self._site, name)

    def note_details(self) -> None:
        self.used.add(DETAILS_READ)


class PageCache:
    """The previous build's page records for one output folder."""

    def __init__(self, cache_dir: Path | None, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.cache_dir = cache_dir
        self._file = for_output(cache_dir, "pages", out_dir) if cache_dir is not None else None
        self._old, self._structure, self._titles, self._shared, self._entries = self._load()
        self._reused: dict[str, _Record] = {}
        """Pages of this build reused from the previous one, and their records."""
        self._rendered: dict[str, tuple[str, tuple[str, ...]]] = {}
        """Pages of this build rendered afresh: their keys and reads."""

    def entry_digests(
        self, site: Site
    ) -> tuple[dict[tuple[str, str], KeptDigests], frozenset[str]]:
        """Digests of entries to share with this build's :meth:`Digests.pair`, and the
        URLs of the entries whose titles are not those of the previous build (new
        titles given to the kept site: :attr:`~lemmata.site.Site.titles`).

        The digests are those kept by the previous build when its site had the same
        ``structure`` (none if it is empty: unknown), but of the entries at those URLs
        or linking to one (:func:`showing`). Those made now are kept in turn by
        :meth:`commit`. Asked before :meth:`keys_hold`, which notes this build's titles.
        """
        if not site.structure or site.structure != self._structure:
            self._entries = {}
            return self._entries, frozenset()
        before, now = dict(self._titles), dict(site.titles)
        retitled = frozenset(
            url for url in before.keys() | now.keys() if before.get(url) != now.get(url)
        )
        for key in showing(site, retitled):
            self._entries.pop(key, None)
        return self._entries, retitled

    def keys_hold(self, site: Site, shared: bytes) -> bool:
        """Whether the records' keys were made for a site of this ``structure`` with
        these ``shared`` inputs (see :class:`ShownEntries`); both are kept in turn
        by :meth:`commit`, with the site's titles."""
        structure = site.structure
        holding = bool(structure) and (structure, shared) == (self._structure, self._shared)
        self._structure, self._titles, self._shared = structure, site.titles, shared
        return holding

    def reusable(
        self, path: str, holds: Callable[[tuple[str, ...], str], bool]
    ) -> OutputFile | None:
        """The live file to reuse for ``path``, if its record still holds.

        ``holds(used, key)`` tells whether ``key`` is still the page's key, given the
        ``site`` attributes it reads.
        """
        record = self._old.get(path)
        if record is None:
            return None
        key, used, stamp = record
        live = f"{self.out_dir}/{path}"
        try:
            found = os.lstat(live)
        except OSError:
            return None
        if _stamp_of(found) != stamp or not holds(used, key):
            return None
        # Published as a hard link to this very file: its record still holds.
        # (Were it copied instead, the stamp would no longer match: a render next time.)
        self._reused[path] = record
        return OutputFile(path, source=live, reuse=True, source_stat=found)

    def file(self, path: str, key: str | None, make: Callable[[], OutputFile]) -> OutputFile:
        """A file of the output made from what ``key`` names alone: the live one while
        its record holds, else ``make()`` (``key`` ``None``: not known, always made)."""
        if key is not None:
            live = self.reusable(path, lambda _used, recorded: recorded == key)
            if live is not None:
                return live
        made = make()
        if key is not None:
            self.rendered(path, key, ())
        return made

    def rendered(self, path: str, key: str, used: Iterable[str]) -> None:
        """Note a page rendered this build; saved by :meth:`commit`."""
        self._rendered[path] = (key, tuple(sorted(used)))

    def commit(self) -> None:
        """Save records for this build's pages, once they are in the live output."""
        if self._file is None:
            return
        records = dict(self._reused)
        for path, (key, used) in self._rendered.items():
            stamp = _stamp(f"{self.out_dir}/{path}")
            if stamp is not None:
                records[path] = (key, used, stamp)
        with suppress(OSError):  # then saving fails too: an unwritable cache only costs speed
            self._file.parent.mkdir(exist_ok=True)
        entries = self._entries if self._structure else {}
        state = (records, self._structure, self._titles, self._shared, entries)
        save_pickled(self._file, (_FORMAT, state))

    def _load(
        self,
    ) -> tuple[
        dict[str, _Record],
        str,
        tuple[tuple[str, str], ...],
        bytes,
        dict[tuple[str, str], KeptDigests],
    ]:
        kept = load_pickled(self._file, _FORMAT) if self._file is not None else None
        if isinstance(kept, tuple) and len(kept) == 5:
            return kept
        return {}, "", (), b"", {}


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        return _stamp_of(os.lstat(path))
    except OSError:
        return None


def _stamp_of(found: os.stat_result) -> tuple[int, int, int]:
    """What a record holds of the file written: size, modification time (ns), inode."""
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def templates_digest(folders: Iterable[Path]) -> bytes:
    """Every template file (name and bytes) and lemmata's own code."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_version().encode())
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.digest()
