"""Writes of badges, challenges and support timings. Each takes no request: receivers, views, the
admin, the demo and the commands call them.

Every write that could happen twice (a replayed signal, two workers at once) is made idempotent by
a unique constraint, never by looking first: a BadgeAward per (badge, member), a ChallengeStep per
(entry, source key), the completion by a conditional UPDATE, and the points by the ledger's unique
source key.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community.members.i18n import in_language_of
from community.members.notifications import notification_send
from community.posts.hashtags import hashtag_key
from referrals import ledger
from referrals.loyalty.tiers import tier_update
from referrals.models import LedgerEntry

from .cache import badges_shown_changed
from .models import Badge, BadgeAward, Challenge, ChallengeEntry, ChallengeStep, Goal, SupportQuestion, SupportSettings
from .notification_kinds import BADGE, CHALLENGE_DONE
from .rules import RULES, rule_met

logger = logging.getLogger(__name__)


def _eligible(member):
    return (member is not None and member.pk is not None and member.is_active
            and getattr(member, "deleted_at", None) is None)


# --- badges --------------------------------------------------------------------------------------

def badge_award(badge, member, *, by=None, note="", now=None):
    """Give `member` the badge once. Returns the new BadgeAward, or None (already had it, an
    inactive badge, a closed account). Announces it with a notification after commit."""
    if not badge.active or not _eligible(member):
        return None
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(badge=badge, member=member, awarded_by=by, note=note[:200],
                                              awarded_at=now or timezone.now())
    except IntegrityError:  # the member has it already (or got it a moment ago in another worker)
        return None
    badges_shown_changed(member.pk)
    transaction.on_commit(lambda: _announce(award), robust=True)
    return award


def _announce(award):
    member = award.member
    with in_language_of(member):
        title = _("You earned the badge “%(badge)s”") % {"badge": award.badge.label}
        excerpt = str(award.badge.explanation)
    notification_send(member, BADGE, url=member.get_absolute_url(), title=title, excerpt=excerpt,
                      source_key=f"play:badge:{award.badge_id}")


def badges_check(member, rules, *, now=None):
    """Award the rule badges among `rules` whose rule the member now meets. Returns the new awards."""
    if not _eligible(member):
        return []
    badges = Badge.objects.filter(rule__in=list(rules), active=True).exclude(awards__member=member)
    return [award for badge in badges if rule_met(badge.rule, member, now)
            and (award := badge_award(badge, member, now=now)) is not None]


def badges_recompute(members, *, now=None):
    """Check every rule for these members (the daily run for "a year a member", the demo, and a repair
    after signals were lost). Returns how many badges were awarded."""
    return sum(len(badges_check(member, RULES, now=now)) for member in members)


def rule_badges_ensure(using="default"):
    """One badge per rule (names empty: the rule's translated name shows). Safe to run twice."""
    for position, rule in enumerate(RULES, start=1):
        Badge.objects.using(using).get_or_create(rule=rule, defaults={"position": position})


def badges_erase_member(member):
    BadgeAward.objects.filter(member=member).delete()
    badges_shown_changed(member.pk)


# --- challenges ----------------------------------------------------------------------------------

def challenge_key(challenge, member):
    return f"play:challenge:{challenge.pk}:{member.pk}"


class JoinRefused(Exception):
    pass


def challenge_join(challenge, member, *, leaderboard=False, now=None):
    """Join an open challenge; joining again keeps the first entry. Returns (entry, created)."""
    now = now or timezone.now()
    if not challenge.is_open(now):
        raise JoinRefused(_("This challenge is not open."))
    if not _eligible(member):
        raise JoinRefused(_("Your account cannot join challenges."))
    try:
        with transaction.atomic():
            return ChallengeEntry.objects.create(challenge=challenge, member=member, joined_at=now,
                                                 on_leaderboard=bool(leaderboard and challenge.leaderboard)), True
    except IntegrityError:
        return ChallengeEntry.objects.get(challenge=challenge, member=member), False


def challenge_leaderboard_choose(entry, show):
    ChallengeEntry.objects.filter(pk=entry.pk).update(on_leaderboard=bool(show))
    entry.on_leaderboard = bool(show)
    return entry


def challenge_event(member, goal, source_key, *, hashtags=(), at=None):
    """Something that counts towards `goal` happened (`source_key` names it: the same event twice
    counts once). Every open challenge of that goal the member joined before it moves one step;
    a challenge whose count is reached is completed and pays its points once. Returns the entries
    that were completed now."""
    at = at or timezone.now()
    if not _eligible(member):
        return []
    entries = (ChallengeEntry.objects.select_related("challenge")
               .filter(member=member, completed_at__isnull=True, joined_at__lte=at,
                       challenge__in=Challenge.objects.open_at(at).filter(goal=goal)))
    keys = {hashtag_key(tag) for tag in hashtags}
    completed = []
    for entry in entries:
        challenge = entry.challenge
        if goal == Goal.PHOTO_POSTS and hashtag_key(challenge.hashtag) not in keys:
            continue
        if _step(entry, source_key, at):
            done = _complete(entry, at)
            if done is not None:
                completed.append(done)
    return completed


def _step(entry, source_key, at):
    try:
        with transaction.atomic():
            ChallengeStep.objects.create(entry=entry, source_key=source_key[:100], created_at=at)
            ChallengeEntry.objects.filter(pk=entry.pk).update(progress=F("progress") + 1)
    except IntegrityError:  # this event already counted
        return False
    return True


def _complete(entry, at):
    """Mark the entry completed if its count is reached, once (a conditional UPDATE: of two events
    that reach the goal at once, one wins), and pay the points through the ledger under a unique key."""
    challenge = entry.challenge
    with transaction.atomic():
        won = ChallengeEntry.objects.filter(pk=entry.pk, completed_at__isnull=True,
                                            progress__gte=challenge.goal_count).update(completed_at=at)
        if not won:
            return None
        member = entry.member
        if challenge.points:
            _entry, created = ledger.append(
                member, challenge.points, kind=LedgerEntry.Kind.CHALLENGE, status=LedgerEntry.Status.APPROVED,
                source_key=challenge_key(challenge, member), note=challenge.title[:300], at=at)
            if created:
                tier_update(member, now=at)
    entry.completed_at = at
    transaction.on_commit(lambda: _announce_completion(entry), robust=True)
    return entry


def _announce_completion(entry):
    member, challenge = entry.member, entry.challenge
    with in_language_of(member):
        title = _("You completed the challenge “%(title)s”") % {"title": challenge.title}
        excerpt = _("%(points)s points were added to your account.") % {"points": challenge.points}
    notification_send(member, CHALLENGE_DONE, url=challenge.get_absolute_url(), title=title, excerpt=excerpt,
                      source_key=f"play:challenge:{challenge.pk}")


def challenges_erase_member(member):
    ChallengeEntry.objects.filter(member=member).delete()


# --- support -------------------------------------------------------------------------------------

def ask_category_id():
    settings = SupportSettings.load()
    return settings.ask_category_id


def support_topic_started(topic):
    """A topic was started: if it is in the "Ask the team" category, time it. Returns the question."""
    category_id = ask_category_id()
    if category_id is None or topic.category_id != category_id:
        return None
    question, _created = SupportQuestion.objects.get_or_create(topic=topic, defaults={"asked_at": topic.created_at})
    return question


def support_post_written(post):
    """A reply was written: if its author is staff and the topic is a question to the team not yet
    answered by staff, this is its first staff answer (set once, by a conditional update)."""
    author = post.author
    if post.number <= 1 or not (author.is_staff or author.is_superuser):
        return False
    question = support_topic_started(post.topic)
    if question is None or question.first_answer_at is not None:
        return False
    return bool(SupportQuestion.objects.filter(pk=question.pk, first_answer_at__isnull=True)
                .update(first_answer=post, first_answer_at=post.created_at))


def play_daily(*, now=None, batch=500):
    """The daily run: "one year with us" for every active member who joined a year ago and has not
    got it, in batches (queries grow with those awarded, not with all members). Returns how many."""
    import datetime

    from django.contrib.auth import get_user_model

    from .rules import Rule

    now = now or timezone.now()
    badge = Badge.objects.filter(rule=Rule.MEMBER_YEAR, active=True).first()
    if badge is None:
        return 0
    due = (get_user_model().objects.filter(is_active=True, deleted_at__isnull=True,
                                           date_joined__lte=now - datetime.timedelta(days=365))
           .exclude(badge_awards__badge=badge).order_by("pk"))
    count = 0
    for member in due.iterator(chunk_size=batch):
        count += badge_award(badge, member, now=now) is not None
    return count
