"""Hashtag campaigns: editors set them up in the Wagtail admin (Posts → Campaigns); each has a page
at /posts/campaigns/<slug>/ with its hero image, description, prize, dates, a countdown and its
entries, and the running ones are listed at /posts/campaigns/.

The rules:
- A campaign runs from `starts_at` (included) to `ends_at` (excluded).
- Its entries are the live posts (published, not hidden) under its hashtag that were published
  while it ran: a post from before the start or after the end is not an entry, even under the
  same hashtag. Newest first, a page at a time with a cursor (the last entry shown).
- The countdown counts whole days while a day or more is left, then hours, then minutes: "in 3
  days", "in 5 hours", "in 12 minutes", "in less than a minute". Before the start it counts to the
  start. A small script (static/js/countdown.js) keeps it ticking in the browser; without it the
  page says what was true when it was made.
- The hashtag is typed as text in the admin: its normalised key finds the Hashtag, or a new one
  is made with the spelling typed (community.posts.services.hashtags_get).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Campaign, Post, PostPhoto

ENTRIES_PER_PAGE = 24


# --- the hashtag as editors type it ---------------------------------------------------------------

def campaign_hashtag(text):
    """The Hashtag for what an editor typed ("#Sommerlook" or "sommerlook"), found by its key or
    made with that spelling; ValidationError with a message when it is not one hashtag."""
    from .hashtags import hashtags_validate
    from .services import hashtags_get

    text = (text or "").strip()
    written = text if text.startswith("#") else f"#{text}"
    pairs = hashtags_validate(written)
    if len(pairs) != 1 or f"#{pairs[0][0]}" != written:
        raise ValidationError(
            _("Type one hashtag: letters, digits and _ only, for example #sommerlook or #καλοκαίρι."),
            code="not_a_hashtag",
        )
    return hashtags_get(pairs)[0]


# --- reads ----------------------------------------------------------------------------------------

def campaign_get(slug):
    return get_object_or_404(Campaign.objects.select_related("hashtag", "hero_image"), slug=slug)


def campaigns_running(now=None):
    """The campaigns running now, the one ending soonest first."""
    now = now or timezone.now()
    return list(Campaign.objects.filter(starts_at__lte=now, ends_at__gt=now)
                .select_related("hashtag", "hero_image").order_by("ends_at", "pk"))


def campaigns_upcoming(now=None, limit=6):
    now = now or timezone.now()
    return list(Campaign.objects.filter(starts_at__gt=now).select_related("hashtag", "hero_image")
                .order_by("starts_at", "pk")[:limit])


def campaign_state(campaign, now=None):
    """"upcoming", "running" or "ended"."""
    now = now or timezone.now()
    if now < campaign.starts_at:
        return "upcoming"
    return "running" if now < campaign.ends_at else "ended"


def countdown_text(until, now=None):
    """How long until `until`, as the countdown says it ("in 3 days"); "" once it has passed."""
    now = now or timezone.now()
    left = until - now
    if left <= datetime.timedelta(0):
        return ""
    days, seconds = left.days, left.seconds
    if days >= 1:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    hours = seconds // 3600
    if hours >= 1:
        return ngettext("in %(count)d hour", "in %(count)d hours", hours) % {"count": hours}
    minutes = seconds // 60
    if minutes >= 1:
        return ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}
    return _("in less than a minute")


@dataclass(frozen=True)
class Countdown:
    state: str  # upcoming, running, ended
    target: datetime.datetime | None  # what it counts to (None once ended)
    text: str  # "in 3 days"


def campaign_countdown(campaign, now=None):
    now = now or timezone.now()
    state = campaign_state(campaign, now)
    target = {"upcoming": campaign.starts_at, "running": campaign.ends_at}.get(state)
    return Countdown(state, target, countdown_text(target, now) if target else "")


def cursor_make(post):
    return f"{post.published_at.isoformat()}~{post.pk}"


def cursor_read(value):
    """(published_at, pk) from a cursor, or None for a missing or mangled one (the first page)."""
    if not value or "~" not in value or len(value) > 80:
        return None
    when, _sep, pk = value.rpartition("~")
    try:
        moment, number = parse_datetime(when), int(pk)
    except (ValueError, TypeError):
        return None
    if moment is None or number < 1 or timezone.is_naive(moment):
        return None
    return moment, number


def campaign_entries_all(campaign):
    return (Post.objects.live()
            .filter(tagged_items__tag_id=campaign.hashtag_id,
                    published_at__gte=campaign.starts_at, published_at__lt=campaign.ends_at))


def campaign_entries(campaign, cursor=None, per_page=ENTRIES_PER_PAGE):
    """One page of the campaign's entries, newest first, after `cursor` (a cursor_make value):
    (posts, next cursor or None). Three queries whatever the page size: the posts with their
    authors, their photos; nothing per post."""
    from django.db.models import Prefetch

    queryset = campaign_entries_all(campaign)
    after = cursor_read(cursor)
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    photos = PostPhoto.objects.order_by("position", "pk")
    rows = list(queryset.select_related("author").prefetch_related(Prefetch("photos", queryset=photos))
                .order_by("-published_at", "-pk")[:per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, (cursor_make(rows[-1]) if more and rows else None)
