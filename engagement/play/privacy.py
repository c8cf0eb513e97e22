"""Badges' and challenges' part in a member's data export and account deletion
(community.members.signals). Export: the member's badges (with when) and challenge entries
(joined, progress, completed, leaderboard choice). Deletion: both go (the challenge points stay in
the ledger, which referrals keeps with the tombstone). Support timings name no member beyond the
forum topic, which the forum erases."""

from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting

from .models import BadgeAward, ChallengeEntry
from .services import badges_erase_member, challenges_erase_member

SECTION = "badges_and_challenges"


def _iso(value):
    return value.isoformat() if value else None


def play_export(member):
    """Two queries."""
    awards = BadgeAward.objects.filter(member=member).select_related("badge").order_by("awarded_at", "pk")
    entries = ChallengeEntry.objects.filter(member=member).select_related("challenge").order_by("joined_at", "pk")
    return {
        "badges": [{"badge": str(a.badge.label), "awarded_at": _iso(a.awarded_at)} for a in awards],
        "challenges": [{"challenge": e.challenge.title, "joined_at": _iso(e.joined_at), "progress": e.progress,
                        "goal": e.challenge.goal_count, "completed_at": _iso(e.completed_at),
                        "on_leaderboard": e.on_leaderboard} for e in entries],
    }


@receiver(member_data_requested, dispatch_uid="play_export")
def export_play(sender, member, **kwargs):
    return SECTION, play_export(member)


@receiver(member_deleting, dispatch_uid="play_delete")
def forget_play(sender, member, **kwargs):
    badges_erase_member(member)
    challenges_erase_member(member)
