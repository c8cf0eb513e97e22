"""Run one function in many threads released at the same moment, for the race tests on
PostgreSQL. Each thread closes its database connections when it is done."""

import threading

from django.db import connections


def race(count, fn, timeout=120):
    """Call fn(i) for i in range(count) in `count` threads at once; return their results in order.
    Any exception in a thread fails the calling test."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # reported by the main thread
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == [], errors
    return results
