"""core.ratelimit: fixed windows in the cache."""

from unittest import mock

from django.core.cache import cache

from core.ratelimit import window_hit


def test_counts_up_to_the_limit_within_a_window():
    with mock.patch("core.ratelimit.time.time", return_value=1000.0):
        assert [window_hit("t:a", 3, 60) for _ in range(5)] == [True, True, True, False, False]
        assert window_hit("t:b", 3, 60)  # another counter is counted on its own


def test_a_new_window_starts_from_zero():
    with mock.patch("core.ratelimit.time.time", return_value=1019.0):  # window 16 of 60 s: 960..1019
        assert window_hit("t:a", 1, 60)
        assert not window_hit("t:a", 1, 60)
    with mock.patch("core.ratelimit.time.time", return_value=1020.0):
        assert window_hit("t:a", 1, 60)


def test_a_counter_evicted_between_add_and_incr_counts_one():
    # time.time is patched for the cache too, so the counter is read inside the same "now"
    with mock.patch("core.ratelimit.time.time", return_value=1000.0):
        with mock.patch.object(cache, "incr", side_effect=ValueError):
            assert window_hit("t:evicted", 1, 60)
        assert cache.get("t:evicted:16") == 1
        assert not window_hit("t:evicted", 1, 60)  # and it goes on counting from there
