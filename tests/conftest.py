import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import MemberFactory


def pytest_collection_modifyitems(items):
    """Every transactional test rolls back by serialization. pytest-django runs them after the
    others; one without it ends by emptying the tables and re-creating the content types under new
    ids (post_migrate), and one with it ends by emptying them without re-creating anything. Mixed,
    the next test met content types it could not restore ("UNIQUE constraint failed") or none at all
    (a foreign key to a content type failing at commit), depending on the order tests ran in."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                            append=False)

def pytest_configure(config):
    """The compiled catalogues are not committed: build any that are missing or older than their
    .po (make test does it too; this covers running pytest directly). Once, in the main process."""
    if not hasattr(config, "workerinput"):
        from core.catalogues import build_all

        build_all()


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason):
    """Outside CI a missing system tool skips the test with its reason; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must have it: .ci/run installs it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to /el/... leaves Greek active in the
    thread (LocaleMiddleware activates, nothing deactivates), and the next test's reverse() would
    then give /el/ paths."""
    from django.utils import translation

    translation.activate(settings_language())
    yield
    translation.activate(settings_language())


def settings_language():
    from django.conf import settings

    return settings.LANGUAGE_CODE


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    client.member = member
    return client


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (as .ci/run does)")


class QueryCounter:
    """Count the queries a block runs: `with count_queries() as q: ...; q.count`."""

    def __init__(self):
        from django.test.utils import CaptureQueriesContext

        self._ctx = CaptureQueriesContext(connection)

    def __enter__(self):
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)

    @property
    def count(self):
        return len(self._ctx.captured_queries)

    @property
    def sql(self):
        return "\n".join(q["sql"] for q in self._ctx.captured_queries)


@pytest.fixture
def count_queries():
    return QueryCounter


@pytest.fixture
def assert_queries(count_queries):
    """Pin a view's query count and check it does not grow with the rows shown.

    assert_queries(expected, fetch, grow=None, keep_cache=False): calls fetch() and asserts
    exactly `expected` queries; if grow is given, calls grow() (which adds rows) and asserts
    fetch() still takes exactly `expected` queries. The cache is cleared first unless keep_cache
    (to pin the warm-cache count a returning visitor sees).
    """

    def check(expected, fetch, grow=None, keep_cache=False):
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        rounds = [None, grow] if grow else [None]
        for step in rounds:
            if step:
                step()
            if not keep_cache:
                cache.clear()
            # Content types as a running process holds them (Django keeps each once read): whether an
            # earlier test in this process read one must not change the count.
            ContentType.objects.get_for_models(*apps.get_models())
            with count_queries() as q:
                response = fetch()
            assert q.count == expected, f"expected {expected} queries, ran {q.count}:\n{q.sql}"
        return response

    return check


def which(program):
    return shutil.which(program)
