"""A cache every process on the machine shares, for the embedded default (no REDIS_URL).

Local memory is per process: under gunicorn with several workers each one kept its own pages and
its own rate counters, so a moderator's hide stayed visible on half the requests and a limit of 6
let 12 through. Django's file-based cache is shared through the file system, but its `add` and
`incr` are a read followed by a write, so two processes counting at once lose a hit. `FileCache`
runs both under an exclusive lock on one file in the cache folder, so counters (core.ratelimit)
and version bumps (core.versions) are exact across processes; reads and plain writes stay lock-free
(a write is a rename, which readers never see half done).

tests/bench/cache_backends.py measured it against the database cache (see the README there).
"""

import contextlib
import os
import pickle
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCache(FileBasedCache):
    lock_name = "counters.lock"

    @contextlib.contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, self.lock_name), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        """Add `delta` to the number under `key` atomically across processes; ValueError when the
        key is missing, as every Django cache does."""
        with self._exclusive():
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as f:
                    expiry = self._expiry(f)
                    value = None if expiry is False else self._load(f)
            except FileNotFoundError:
                value = None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            # Keep the entry's expiry: a rate window must not grow longer with each hit.
            self.set(key, new_value, self._remaining(expiry), version)
            return new_value

    def _expiry(self, f):
        """The stored expiry (a timestamp, or None for never), or False when it has passed."""
        expiry = pickle.load(f)  # noqa: S301 - the site alone writes its cache folder, as in Django's own
        if expiry is not None and expiry < time.time():
            return False
        return expiry

    @staticmethod
    def _load(f):
        return pickle.loads(zlib.decompress(f.read()))  # noqa: S301 - as above

    @staticmethod
    def _remaining(expiry):
        if expiry is None:
            return None
        return max(expiry - time.time(), 0.001)
