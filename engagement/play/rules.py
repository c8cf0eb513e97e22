"""The badge rules: what a member must have done, counted from the rows themselves (so a rule can
be checked again at any time, by an event, a replay or `manage.py badges_recompute`, and says the
same). Each rule names the events that may make it true (receivers.py)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    FIRST_POST = "first_post", _("first forum post")
    FIRST_REVIEW = "first_review", _("first review")
    HELPFUL_10 = "helpful_10", _("ten helpful votes")
    SOLVED_5 = "solved_5", _("five solved answers")
    REFERRALS_3 = "referrals_3", _("three friends referred")
    FEATURED_PHOTO = "featured_photo", _("a featured photo")
    MEMBER_YEAR = "member_year", _("a member for a year")
    MANUAL = "manual", _("awarded by editors")


def _forum_posts(member, now):
    from community.forum.models import Post

    return Post.objects.filter(author=member, deleted_at__isnull=True, hidden=False, approved=True,
                               topic__deleted_at__isnull=True).exists()


def _published_reviews(member):
    from community.reviews.models import Review

    return Review.objects.filter(author=member, status=Review.Status.PUBLISHED, hidden=False)


def _first_review(member, now):
    return _published_reviews(member).exists()


def _helpful(member, now):
    total = _published_reviews(member).aggregate(total=Sum("helpful_count"))["total"] or 0
    return total >= 10


def _solved(member, now):
    from community.forum.models import Topic

    return Topic.objects.filter(solution__author=member, deleted_at__isnull=True).exclude(author=member).count() >= 5


def _referrals(member, now):
    from referrals.models import Referral

    return Referral.objects.filter(referrer=member, qualified_at__isnull=False).count() >= 3


def _featured(member, now):
    from community.posts.models import Post

    return Post.objects.live().filter(author=member, featured_at__isnull=False).exists()


def _year(member, now):
    return member.date_joined <= now - datetime.timedelta(days=365)


@dataclass(frozen=True)
class RuleSpec:
    label: str
    description: str
    met: Callable


RULES = {
    Rule.FIRST_POST: RuleSpec(_("First post"), _("Wrote a first post in the forum."), _forum_posts),
    Rule.FIRST_REVIEW: RuleSpec(_("First review"), _("Reviewed a product for the first time."), _first_review),
    Rule.HELPFUL_10: RuleSpec(_("Helpful"), _("Reviews found helpful ten times."), _helpful),
    Rule.SOLVED_5: RuleSpec(_("Problem solver"), _("Five answers marked as the solution."), _solved),
    Rule.REFERRALS_3: RuleSpec(_("Ambassador"), _("Three friends referred who ordered."), _referrals),
    Rule.FEATURED_PHOTO: RuleSpec(_("Featured"), _("A photo post featured by the team."), _featured),
    Rule.MEMBER_YEAR: RuleSpec(_("One year with us"), _("A member for a year."), _year),
}


def rule_met(rule, member, now=None):
    spec = RULES.get(rule)
    return spec is not None and bool(spec.met(member, now or timezone.now()))
