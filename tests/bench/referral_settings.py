"""Settings for tests/bench/referral_clicks.py: the dev settings (DATABASE_URL, REDIS_URL, DEBUG
from the environment) with the per-address click limit lifted, because wrk sends every click from
one address and the bench checks that each one is recorded."""

import os

from website.settings.dev import *  # noqa: F403

REFERRAL_CLICKS_PER_MINUTE = 10**9

# `--write-through` compares the buffer with a plain INSERT per click on PostgreSQL.
REFERRAL_CLICK_BUFFER = os.environ.get("BENCH_CLICK_BUFFER", "auto")
# `BENCH_CLICK_FLUSH_SIZE` moves the flushes out of the timed run when set very high.
REFERRAL_CLICK_FLUSH_SIZE = int(os.environ.get("BENCH_CLICK_FLUSH_SIZE", "500"))
