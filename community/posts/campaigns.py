"""Hashtag campaigns: editors set them up in the Wagtail admin (Posts → Campaigns); each has a page
at /posts/campaigns/<slug>/ with its hero image, description, prize, dates, a countdown and its
entries, and the running ones are listed at /posts/campaigns/.

The rules:
- A campaign runs from `starts_at` (included) to `ends_at` (excluded).
- Its entries are the live posts (published, not hidden) under its hashtag that were published
  while it ran: a post from before the start or after the end is not an entry, even under the
  same hashtag. Newest first as on the wall, a page at a time (core.pagination.cursor_paginate).
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
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pagecache import scopes_changed
from core.pagination import cursor_paginate

from .app_settings import app_settings
from .models import Campaign, Post, TaggedPost
from .selectors import NEWEST, posts_for_tiles

# Moves when an editor saves or deletes a campaign: the campaign pages name it (and the wall's
# scope, which every new or changed post moves, and their entries' authors).
CAMPAIGNS_SCOPE = "posts:campaigns"


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

    @property
    def iso(self):
        """The target for <time datetime>, in UTC to the second (what HTML and Date.parse accept)."""
        if self.target is None:
            return ""
        return self.target.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def campaign_countdown(campaign, now=None):
    now = now or timezone.now()
    state = campaign_state(campaign, now)
    target = {"upcoming": campaign.starts_at, "running": campaign.ends_at}.get(state)
    return Countdown(state, target, countdown_text(target, now) if target else "")


def campaign_entries_all(campaign):
    """Every entry: live posts under the campaign's hashtag published while it ran."""
    return (Post.objects.live()
            .filter(pk__in=TaggedPost.objects.filter(tag_id=campaign.hashtag_id).values("content_object"),
                    published_at__gte=campaign.starts_at, published_at__lt=campaign.ends_at))


def campaign_entries(campaign, cursor=None, per_page=None):
    """One page of the campaign's entries, newest first (a core.pagination.CursorPage): two
    queries whatever the page size (the posts with their authors, their first photos)."""
    return cursor_paginate(posts_for_tiles(campaign_entries_all(campaign)), cursor,
                           per_page or app_settings.PER_PAGE, NEWEST)


def campaigns_changed():
    scopes_changed(CAMPAIGNS_SCOPE)


def _campaign_saved(sender, **kwargs):
    campaigns_changed()


def connect():
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_campaign_saved, sender=Campaign, dispatch_uid="posts-campaign-saved")
    post_delete.connect(_campaign_saved, sender=Campaign, dispatch_uid="posts-campaign-deleted")
