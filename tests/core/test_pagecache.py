"""core.pagecache: scopes and one render per miss."""

import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.pagecache import is_fresh, page_depends, page_scope_versions, scopes_changed, single_flight


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()


def test_a_page_is_fresh_until_one_of_its_scopes_moves():
    request = RequestFactory().get("/")
    page_depends(request, "t:1", "t:2")
    versions = page_scope_versions(request)
    assert is_fresh(versions)
    scopes_changed("t:3", on_commit=False)
    assert is_fresh(versions)
    scopes_changed("t:2", on_commit=False)
    assert not is_fresh(versions)


def test_versions_are_read_when_declared_not_later():
    request = RequestFactory().get("/")
    page_depends(request, "t:1")
    scopes_changed("t:1", on_commit=False)  # a write during the render
    page_depends(request, "t:1")  # named again: the first reading stands
    assert not is_fresh(page_scope_versions(request))


def test_a_hit_a_miss_and_a_stale_entry_while_another_renders():
    fresh = {"ok": True}
    renders = []

    def render():
        renders.append(1)
        cache.set("k", "page")
        return "page"

    assert single_flight("k", lambda e: fresh["ok"], render) == ("page", "miss")
    assert single_flight("k", lambda e: fresh["ok"], render) == ("page", "hit")
    fresh["ok"] = False
    cache.add("k:rendering", 1)  # another request is rendering
    assert single_flight("k", lambda e: fresh["ok"], render) == ("page", "stale")
    cache.delete("k:rendering")
    assert single_flight("k", lambda e: fresh["ok"], render) == ("page", "miss")
    assert len(renders) == 2


def test_without_an_entry_a_request_waits_for_the_render_going_on():
    cache.add("k:rendering", 1)

    def finish():
        cache.set("k", "page")
        cache.delete("k:rendering")

    timer = threading.Timer(0.1, finish)
    timer.start()
    try:
        entry, state = single_flight("k", lambda e: True, lambda: pytest.fail("rendered twice"), wait=2)
    finally:
        timer.join()
    assert (entry, state) == ("page", "waited")


def test_a_render_that_keeps_nothing_ends_the_wait_at_once():
    cache.add("k:rendering", 1)
    threading.Timer(0.05, lambda: cache.delete("k:rendering")).start()
    assert single_flight("k", lambda e: True, lambda: "mine", wait=5) == ("mine", "miss")
