"""The community activity and segments that exist when insights lands, registered from insights
itself (the layers below know nothing of insights). Later capabilities register their own."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from . import sources


def _forum_posts():
    from community.forum.models import Post

    return Post.objects.filter(deleted_at__isnull=True).values(insights_member=F("author_id"), insights_at=F("created_at"))


def _forum_likes():
    from community.forum.models import PostLike

    return PostLike.objects.values(insights_member=F("member_id"), insights_at=F("created_at"))


def _photo_posts():
    from community.posts.models import Post

    return Post.objects.values(insights_member=F("author_id"), insights_at=F("created_at"))


def _photo_likes():
    from community.posts.models import PostLike

    return PostLike.objects.values(insights_member=F("member_id"), insights_at=F("created_at"))


def _photo_comments():
    from community.posts.models import Comment

    return Comment.objects.filter(deleted_at__isnull=True).values(insights_member=F("author_id"),
                                                                  insights_at=F("created_at"))


def _reviews():
    from community.reviews.models import Review

    return Review.objects.values(insights_member=F("author_id"), insights_at=F("created_at"))


def _review_votes():
    from community.reviews.models import HelpfulVote

    return HelpfulVote.objects.values(insights_member=F("member_id"), insights_at=F("created_at"))


def _referrals_made():
    from referrals.models import Referral

    return Referral.objects.values(insights_member=F("referrer_id"), insights_at=F("created_at"))


def _survey_answers():
    from engagement.lifecycle.models import Survey

    return Survey.objects.filter(answered_at__isnull=False, member__isnull=False).values(
        insights_member=F("member_id"), insights_at=F("answered_at"))


def _challenges_joined():
    from engagement.play.models import ChallengeEntry

    return ChallengeEntry.objects.values(insights_member=F("member_id"), insights_at=F("joined_at"))


def _community_groups(date_range):
    from .selectors import active_member_ids

    return [
        ("active", _("active in the community"), active_member_ids(date_range.since, date_range.until)),
        ("quiet", _("members not active in it"), sources.ALL_MEMBERS),
        ("guest", _("guests (no account)"), None),
    ]


def _referred_groups(date_range):
    from referrals.models import Referral

    return [
        ("referred", _("members referred by a friend"), Referral.objects.values("friend_id")),
        ("not_referred", _("members who came by themselves"), sources.ALL_MEMBERS),
        ("guest", _("guests (no account)"), None),
    ]


def _tier_groups(date_range):
    from referrals.loyalty.models import LoyaltyAccount, Tier

    groups = [
        (f"tier-{tier.pk}", tier.name, LoyaltyAccount.objects.filter(tier=tier).values("member_id"))
        for tier in Tier.objects.order_by("-threshold")[:12]
    ]
    return groups + [("no_tier", _("members in the first tier"), sources.ALL_MEMBERS),
                     ("guest", _("guests (no account)"), None)]


def register():
    sources.register_activity("forum_post", _("forum topics and replies"), _forum_posts)
    sources.register_activity("forum_like", _("forum likes"), _forum_likes)
    sources.register_activity("photo_post", _("photo posts"), _photo_posts)
    sources.register_activity("photo_like", _("photo post likes"), _photo_likes)
    sources.register_activity("photo_comment", _("photo post comments"), _photo_comments)
    sources.register_activity("review", _("product reviews"), _reviews)
    sources.register_activity("review_vote", _("helpful votes on reviews"), _review_votes)
    sources.register_activity("referral", _("friends referred"), _referrals_made)
    # engagement (below insights): the surveys members answered and the challenges they joined
    sources.register_activity("survey", _("surveys answered"), _survey_answers)
    sources.register_activity("challenge", _("challenges joined"), _challenges_joined)
    sources.register_segment(sources.Segment(
        "community", _("Active in the community or not"), _community_groups, order=10,
        description=_("Members who posted, replied, liked, commented, reviewed, voted or referred a friend in the "
                      "period, against members who did none of it, and guests.")))
    sources.register_segment(sources.Segment(
        "referred", _("Referred by a friend or not"), _referred_groups, order=20,
        description=_("Members who joined through a friend's referral, against members who did not, and guests.")))
    sources.register_segment(sources.Segment(
        "tier", _("Loyalty tier"), _tier_groups, order=30,
        description=_("Members by their loyalty tier today (not the tier they had in the period), and guests.")))
