"""Wagtail's database search backend (SQLite FTS5, PostgreSQL full text), accent-insensitive in
every script: a search for "καλοκαιρι" finds "καλοκαίρι" and the other way round, "nyari" finds
"nyári" (and "nyári" still does). SQLite's unicode61 tokenizer folds Latin diacritics but not
Greek ones, and PostgreSQL folds none without the unaccent extension; so the indexed text and
the query are both folded the same way here: decomposed (NFD), combining marks dropped, and
the Greek final sigma written as a medial one.

settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}. After changing
the backend of an existing site, rebuild the index once: `manage.py update_index`.
"""

import functools
import unicodedata

from django.db import connection


def fold(text):
    """Text without its accents, for matching only (never shown)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).replace("ς", "σ")


class _FoldingIndexer:
    def prepare_value(self, value):
        return fold(super().prepare_value(value))


class _FoldingQueries:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = fold(query)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


@functools.cache
def _backend_class(vendor):
    """The folding backend for one database. Only that database's module is imported: the SQLite
    one reads its FTS model at import, which exists only when the database is SQLite."""
    if vendor == "postgresql":
        from modelsearch.backends.database.postgres import postgres as module

        base = module.PostgresSearchBackend
    else:
        from modelsearch.backends.database.sqlite import sqlite as module

        base = module.SQLiteSearchBackend
    # The index builds each object's text with its module's ObjectIndexer: fold it there (the one
    # place every indexed value passes through; nothing else in the project uses those modules).
    if not issubclass(module.ObjectIndexer, _FoldingIndexer):
        module.ObjectIndexer = type("FoldingObjectIndexer", (_FoldingIndexer, module.ObjectIndexer), {})
    return type(f"Folding{base.__name__}", (_FoldingQueries, base), {})


def SearchBackend(params):
    if connection.vendor in ("postgresql", "sqlite"):
        return _backend_class(connection.vendor)(params)
    from wagtail.search.backends.database import SearchBackend as default

    return default(params)
