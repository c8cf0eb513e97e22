"""Counting clicks on `/r/<code>`: the one GET of the site that writes.

When a post goes viral every click is a write, so with Redis (production: REDIS_URL) a click is
one RPUSH onto a list in Redis, and `clicks_flush()` moves the list into `Click` rows in batches:

- The per-address click limit (core.ratelimit.window_hit's counter: same key, same window) and
  the RPUSH are one Lua call, so a click costs one round trip to Redis.
- The buffer lives in Redis, outside the app processes: a worker that restarts (or is killed)
  loses nothing it has answered, because it answers only after the RPUSH.
- A flush first RENAMEs the buffer to a "flushing" list (atomic: new clicks go to a fresh buffer),
  then takes it in chunks: bulk_create(ignore_conflicts=True) on the unique `Click.token`, then
  LTRIM of what was written. A flush that dies between the two leaves the chunk in place, and the
  next flush writes it again: the tokens make the second insert a no-op, so nothing counts twice.
  A lock (SET NX with an expiry) keeps two flushes from working at once; one that dies releases
  it by expiry.
- A flush runs when the buffer reaches REFERRAL_CLICK_FLUSH_SIZE (the click that fills it enqueues
  `clicks_flush_task`; with the immediate task backend it runs in that request), and from
  `manage.py referral_clicks_flush`, which cron runs every minute or so, so quiet hours are
  written too. Counts on /me/referrals/ and in the reports lag by at most that long.
- Redis must not evict the buffer: the list has no expiry, so `noeviction` or any `volatile-*`
  maxmemory policy keeps it (not `allkeys-*`).

On the embedded default (SQLite, the file cache) clicks are written straight through, one INSERT
each. A buffer in core.cache.FileCache would cost about what it saves: each buffered click is still
a file written under the cache's exclusive lock (then read and deleted again by the flush), where
SQLite in WAL mode with synchronous=NORMAL commits the INSERT without an fsync; and the file cache
culls entries beyond MAX_ENTRIES, so a buffer there could lose clicks. Measured with
`tests/bench/referral_clicks.py --embedded` (2 gunicorn workers, 2 cores shared with wrk and other
work): 259 clicks/s written through, every click recorded (2100 of 2100) - more than an embedded
site sees. A FileCache buffer was not built, for the reasons above, so it was not measured.
REFERRAL_CLICK_BUFFER chooses:
"auto" (Redis when the default cache is django-redis, else straight through), "redis" or "off".
"""

import json
import logging
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_tasks import task

from core.ratelimit import window_hit

from .models import Channel, Click, Referral, ReferralCode

logger = logging.getLogger(__name__)

BUFFER_KEY = "referrals:clicks"
FLUSHING_KEY = "referrals:clicks:flushing"
LOCK_KEY = "referrals:clicks:lock"
LOCK_SECONDS = 300
CHUNK = 1000


def flush_size():
    return max(1, int(getattr(settings, "REFERRAL_CLICK_FLUSH_SIZE", 500)))


def buffered():
    """Whether clicks go through the Redis buffer (REFERRAL_CLICK_BUFFER, see the module doc)."""
    mode = getattr(settings, "REFERRAL_CLICK_BUFFER", "auto")
    if mode == "off":
        return False
    is_redis = settings.CACHES["default"]["BACKEND"].startswith("django_redis.")
    if mode == "redis" and not is_redis:
        raise RuntimeError("REFERRAL_CLICK_BUFFER is 'redis' but the default cache is not django-redis")
    return is_redis


def _redis():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _key(name):
    return cache.make_key(name)  # the cache's prefix and version: tests on Redis get their own keys


def channel_clean(value):
    """`?via=` as a Channel: a plain link without it, `other` for anything unknown."""
    if not value:
        return Channel.LINK
    value = str(value)[:16].lower()
    return value if value in Channel.values else Channel.OTHER


# One round trip for the click on Redis: core.ratelimit.window_hit's counter (the same key, the
# same fixed window, the same expiry), and the RPUSH only while within the limit. Returns the
# buffer's new length, or 0 over the limit.
_LIMITED_PUSH = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return redis.call('RPUSH', KEYS[2], ARGV[3])
"""


def click_record(code, *, channel=Channel.LINK, ip_hash="", device_hash="", user_agent="", at=None,
                 limit_name=None, limit=None, period=60):
    """Count one click on `code` (a ReferralCode); returns the click's token (a UUID), which the
    attribution cookie carries. Buffered or written at once, as the module doc says. With
    `limit_name`, the click counts only while core.ratelimit.window_hit(limit_name, limit, period)
    would allow it; over the limit nothing is written and None is returned."""
    token = uuid.uuid4()
    at = at or timezone.now()
    if not buffered():
        if limit_name is not None and not window_hit(limit_name, limit, period):
            return None
        try:  # in autocommit (the click view's case) a broken foreign key fails right here
            Click.objects.create(code=code, token=token, at=at, channel=channel, ip_hash=ip_hash,
                                 device_hash=device_hash, user_agent=user_agent[:300])
        except IntegrityError:  # the code went with its member since code_lookup_fast remembered it
            return None
        return token
    payload = json.dumps({"c": code.pk, "t": token.hex, "a": at.timestamp(), "v": channel, "i": ip_hash,
                          "d": device_hash, "u": user_agent[:300]}, separators=(",", ":"))
    redis = _redis()
    if limit_name is None:
        length = redis.rpush(_key(BUFFER_KEY), payload)
    else:
        window = _key(f"{limit_name}:{int(time.time() // period)}")  # window_hit's key
        length = redis.eval(_LIMITED_PUSH, 2, window, _key(BUFFER_KEY), limit, period + 5, payload)
        if not length:
            return None
    if length % flush_size() == 0:
        clicks_flush_task.enqueue()
    return token


def _decode(raw):
    try:
        data = json.loads(raw)
        return Click(code_id=int(data["c"]), token=uuid.UUID(data["t"]),
                     at=datetime.fromtimestamp(float(data["a"]), tz=UTC), channel=channel_clean(data["v"]),
                     ip_hash=str(data["i"])[:64], device_hash=str(data["d"])[:64], user_agent=str(data["u"])[:300])
    except (ValueError, KeyError, TypeError, OverflowError):
        logger.warning("skipped an unreadable buffered click: %r", raw[:200])
        return None


def _write(raws):
    clicks = [c for c in map(_decode, raws) if c is not None]
    live = set(ReferralCode.objects.filter(pk__in={c.code_id for c in clicks}).values_list("pk", flat=True))
    clicks = [c for c in clicks if c.code_id in live]  # a code deleted with its member since the click
    Click.objects.bulk_create(clicks, ignore_conflicts=True, batch_size=CHUNK)
    # friends who joined while their click waited here: link their referral to it now
    tokens = [c.token for c in clicks]
    waiting = Referral.objects.filter(click__isnull=True, click_token__in=tokens)
    if waiting.exists():
        waiting.update(click=Subquery(Click.objects.filter(token=OuterRef("click_token")).values("pk")[:1]))
    return len(clicks)


def clicks_flush(chunk=CHUNK):
    """Write the buffered clicks into Click rows; returns how many were written (a chunk written
    again after a crash counts again here, but not in the table). 0 without a buffer, or when
    another flush holds the lock."""
    if not buffered():
        return 0
    redis = _redis()
    buffer, flushing, lock = _key(BUFFER_KEY), _key(FLUSHING_KEY), _key(LOCK_KEY)
    owner = uuid.uuid4().hex
    if not redis.set(lock, owner, nx=True, ex=LOCK_SECONDS):
        return 0
    written = 0
    try:
        # What a crashed flush left first, then one snapshot of the buffer (clicks arriving
        # meanwhile wait for the next flush, so a busy site cannot keep one flush going forever).
        for take_buffer in (False, True):
            if take_buffer:
                if redis.exists(flushing):
                    break
                try:
                    redis.rename(buffer, flushing)
                except Exception as error:  # no buffer: nothing clicked since the last flush
                    if "no such key" not in str(error).lower():
                        raise
                    break
            while raws := redis.lrange(flushing, 0, chunk - 1):
                written += _write(raws)
                redis.ltrim(flushing, len(raws), -1)
                redis.expire(lock, LOCK_SECONDS)
    finally:
        # release only our own lock (one that expired may be another flush's by now)
        redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
                   1, lock, owner)
    return written


def clicks_pending():
    """Clicks waiting in the buffer (0 without one)."""
    if not buffered():
        return 0
    redis = _redis()
    return redis.llen(_key(BUFFER_KEY)) + redis.llen(_key(FLUSHING_KEY))


@task()
def clicks_flush_task():
    return clicks_flush()
