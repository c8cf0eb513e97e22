"""core.cache.FileCache: the embedded default's cache, shared by processes with an exact counter."""

import multiprocessing
import time

import pytest

from core.cache import FileCache

HITS = 150


def _count(folder):
    cache = FileCache(folder, {})
    for _ in range(HITS):
        cache.add("hits", 0, 60)
        cache.incr("hits")


def test_processes_counting_at_once_lose_no_hit(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(str(tmp_path),)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert FileCache(str(tmp_path), {}).get("hits") == 4 * HITS


def test_incr_keeps_the_expiry_and_refuses_a_missing_key(tmp_path):
    cache = FileCache(str(tmp_path), {})
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("window", 1, 1)
    assert cache.incr("window", 2) == 3
    time.sleep(1.1)
    assert cache.get("window") is None  # a hit never lengthens the window
    with pytest.raises(ValueError):
        cache.incr("window")
    cache.set("version", 5, None)
    assert cache.incr("version") == 6
    assert not cache.add("version", 1, None)
    cache.clear()
    assert cache.get("version") is None
