"""Reads of badges, challenges and support timings."""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from .cache import badge_defs_key, member_badges_key
from .models import Badge, BadgeAward, Challenge, ChallengeEntry, SupportQuestion

SHOWN_BESIDE_NAME = 3  # at most this many badges beside a name; the profile shows them all
CACHE_SECONDS = 24 * 3600


def badge_defs():
    """{badge id: Badge} of the active badges (cached; one query on a miss)."""
    key = badge_defs_key()
    defs = cache.get(key)
    if defs is None:
        defs = {badge.pk: badge for badge in Badge.objects.filter(active=True).select_related("image")}
        cache.set(key, defs, CACHE_SECONDS)
    return defs


def badges_for_members(member_ids):
    """{member id: [Badge, ...]} in award order, for the members a page shows. One cache round
    trip, plus one query for the members not cached (and one for the badges when not cached)."""
    ids = sorted({pk for pk in member_ids if pk})
    if not ids:
        return {}
    keys = {member_badges_key(pk): pk for pk in ids}
    found = cache.get_many(list(keys))
    by_member = {keys[key]: value for key, value in found.items()}
    missing = [pk for pk in ids if pk not in by_member]
    if missing:
        fetched = {pk: [] for pk in missing}
        for member_id, badge_id in (BadgeAward.objects.filter(member_id__in=missing)
                                    .order_by("awarded_at", "pk").values_list("member_id", "badge_id")):
            fetched[member_id].append(badge_id)
        cache.set_many({member_badges_key(pk): value for pk, value in fetched.items()}, CACHE_SECONDS)
        by_member.update(fetched)
    defs = badge_defs() if any(by_member.values()) else {}
    return {pk: [defs[b] for b in by_member.get(pk, []) if b in defs] for pk in ids}


def member_awards(member):
    """The member's awards with their badges, newest first (the profile and /me/)."""
    return list(BadgeAward.objects.filter(member=member, badge__active=True)
                .select_related("badge", "badge__image").order_by("-awarded_at", "-pk"))


# --- challenges ----------------------------------------------------------------------------------

def challenges_listed(now=None):
    """Published challenges: open and upcoming first, then recent past ones."""
    now = now or timezone.now()
    published = Challenge.objects.published().select_related("hero_image")
    return {
        "open": list(published.filter(starts_at__lte=now, ends_at__gt=now).order_by("ends_at", "pk")),
        "upcoming": list(published.filter(starts_at__gt=now).order_by("starts_at", "pk")[:10]),
        "past": list(published.filter(ends_at__lte=now).order_by("-ends_at", "pk")[:10]),
    }


def challenge_entry(challenge, member):
    if member is None or not member.is_authenticated:
        return None
    return ChallengeEntry.objects.filter(challenge=challenge, member=member).first()


def challenge_leaderboard(challenge, limit=20):
    """Members who opted in, by progress then who completed first; display names only."""
    if not challenge.leaderboard:
        return []
    return list(ChallengeEntry.objects.filter(challenge=challenge, on_leaderboard=True, member__is_active=True,
                                              member__deleted_at__isnull=True)
                .select_related("member").order_by("-progress", "completed_at", "joined_at", "pk")[:limit])


def member_challenges(member, now=None):
    """The member's entries in open challenges and those completed in the last 30 days (for /me/)."""
    now = now or timezone.now()
    return list(ChallengeEntry.objects.filter(member=member)
                .filter(Q(challenge__ends_at__gt=now) | Q(completed_at__gte=now - timedelta(days=30)))
                .filter(challenge__published=True).select_related("challenge").order_by("challenge__ends_at", "pk"))


def challenge_counts(challenge):
    return ChallengeEntry.objects.filter(challenge=challenge).aggregate(
        joined=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))


# --- support -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupportFigures:
    asked: int
    answered: int
    unanswered: int
    median: timedelta | None
    within_24h: float | None  # share of the questions asked (answered or not) answered within 24 h


def support_figures(*, since=None, until=None, now=None):
    """Time to the first staff answer of the questions asked in [since, until): the median over the
    answered ones, and the share of all questions old enough to judge (asked more than 24 h ago, or
    already answered) that were answered within 24 hours."""
    now = now or timezone.now()
    questions = SupportQuestion.objects.all()
    if since is not None:
        questions = questions.filter(asked_at__gte=since)
    if until is not None:
        questions = questions.filter(asked_at__lt=until)
    rows = list(questions.values_list("asked_at", "first_answer_at"))
    waits = sorted(answered - asked for asked, answered in rows if answered is not None)
    day = timedelta(hours=24)
    judged = [(asked, answered) for asked, answered in rows if answered is not None or now - asked >= day]
    within = sum(1 for asked, answered in judged if answered is not None and answered - asked <= day)
    return SupportFigures(
        asked=len(rows), answered=len(waits), unanswered=len(rows) - len(waits),
        median=statistics.median(waits) if waits else None,
        within_24h=(within / len(judged)) if judged else None,
    )


def support_waiting(limit=50):
    return list(SupportQuestion.objects.filter(first_answer_at__isnull=True, topic__deleted_at__isnull=True)
                .select_related("topic", "topic__author").order_by("asked_at")[:limit])


def support_recent(limit=50):
    return list(SupportQuestion.objects.filter(first_answer_at__isnull=False)
                .select_related("topic", "first_answer__author").order_by("-asked_at")[:limit])
