"""core.versions: cache versions that move now and again on commit."""

import pytest
from django.core.cache import cache

from core.versions import version_bump, version_get, versions_get


def test_a_version_starts_and_a_bump_moves_it(db):
    first = version_get("t:ver")
    assert version_get("t:ver") == first
    version_bump("t:ver", on_commit=False)
    assert version_get("t:ver") == first + 1


def test_an_evicted_version_starts_where_no_earlier_generation_was(db):
    """After a flush or an eviction a version must not come back to a number it had: what was kept
    under that number would be taken for current."""
    version_get("t:fresh")
    for _ in range(5):
        version_bump("t:fresh", on_commit=False)
    before = version_get("t:fresh")
    cache.delete("t:fresh")
    assert version_get("t:fresh") > before
    cache.delete("t:fresh")
    version_bump("t:fresh", on_commit=False)
    assert version_get("t:fresh") > before


@pytest.mark.django_db
def test_a_bump_moves_again_on_commit(django_capture_on_commit_callbacks):
    first = version_get("t:ver")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version_bump("t:ver")
    assert version_get("t:ver") == first + 1 and len(callbacks) == 1
    callbacks[0]()
    assert version_get("t:ver") == first + 2


@pytest.mark.django_db
def test_without_on_commit_it_moves_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version_bump("t:once", on_commit=False)
    assert callbacks == []


def test_several_versions_in_one_read():
    cache.set("t:a", 5, None)
    found = versions_get(["t:a", "t:b"])
    assert found["t:a"] == 5 and found["t:b"] > 5 and cache.get("t:b") == found["t:b"]
