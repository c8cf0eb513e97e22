"""core.versions: cache versions that move now and again on commit."""

import pytest
from django.core.cache import cache

from core.versions import version_bump, version_get, versions_get


def test_a_version_starts_at_one_and_a_bump_moves_it(db):
    assert version_get("t:ver") == 1
    version_bump("t:ver", on_commit=False)
    assert version_get("t:ver") == 2


def test_a_bump_of_an_unset_or_evicted_version_starts_afresh(db):
    version_bump("t:fresh", on_commit=False)
    assert version_get("t:fresh") == 1


@pytest.mark.django_db
def test_a_bump_moves_again_on_commit(django_capture_on_commit_callbacks):
    version_get("t:ver")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version_bump("t:ver")
    assert version_get("t:ver") == 2 and len(callbacks) == 1
    callbacks[0]()
    assert version_get("t:ver") == 3


@pytest.mark.django_db
def test_without_on_commit_it_moves_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version_bump("t:once", on_commit=False)
    assert callbacks == []


def test_several_versions_in_one_read():
    cache.set("t:a", 5, None)
    assert versions_get(["t:a", "t:b"]) == {"t:a": 5, "t:b": 1}
    assert cache.get("t:b") == 1
