"""Site search's kinds of result: a registry every app adds its own to, and the hit they return.

A kind is one registration, in the app that owns what it finds (from its AppConfig.ready()):

    search_type_register(SearchType(
        code="photo",                      # the ?type= value of the filter; unique
        label=gettext_lazy("Photo posts"),  # the filter's link
        kind=gettext_lazy("Photo post"),    # said above each hit of this kind
        search=photo_post_hits,             # (terms, request, limit) -> [SearchHit] the visitor may see
        order=60,                           # where its filter link goes (lower first)
    ))

`terms` is already reduced to plain words (content.selectors.search_terms). Several kinds may share
one `search` function that returns hits of each of them (pages: blog posts, lookbooks, pages): the
search runs once, and each hit's `type` says which kind it is. The /search/ page asks every
registered kind, or only the one a visitor filters by.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    type: str  # a registered SearchType's code
    title: str
    url: str
    summary: str = ""

    @property
    def kind(self):
        """What the hit is, in words ("Blog post"): its kind's `kind`."""
        registered = _TYPES.get(self.type)
        return registered.kind if registered else ""


@dataclass(frozen=True)
class SearchType:
    code: str
    label: str
    kind: str
    search: Callable
    order: int = 100


_TYPES = {}


def search_type_register(search_type):
    if search_type.code in _TYPES and _TYPES[search_type.code] != search_type:
        raise ValueError(f"search type {search_type.code!r} is already registered")
    _TYPES[search_type.code] = search_type
    return search_type


def search_types():
    """Every registered kind, in filter order."""
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.code))


def search_type(code):
    return _TYPES.get(code)


def search_run(terms, request, limit, code=None):
    """The hits of every kind (or only of kind `code`), each shared search function run once."""
    wanted = [t for t in search_types() if code is None or t.code == code]
    codes = {t.code for t in wanted}
    hits, done = [], set()
    for each in wanted:
        if each.search in done:
            continue
        done.add(each.search)
        hits += [hit for hit in each.search(terms, request, limit) if hit.type in codes]
    return hits
