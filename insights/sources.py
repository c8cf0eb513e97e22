"""Registries that other apps plug into, so insights never needs editing when a capability lands.

Community activity sources
    Each is something a member does in the community (a forum post, a like, a photo post, a
    review, a referral...). `register_activity(key, label, queryset)` where `queryset()` returns a
    queryset with exactly two columns, in this order: the member's id as `insights_member` and the
    moment as `insights_at`, e.g.

        register_activity("forum_post", _("forum posts and replies"), lambda: Post.objects
                          .filter(deleted_at__isnull=True)
                          .values(insights_member=F("author_id"), insights_at=F("created_at")))

    A member is "active in the community" in a period when any source has a row for them in it;
    the monthly active members of the engagement figures are counted from the same rows. The
    built-in sources (forum, photo posts, reviews, referrals, and engagement's surveys answered and
    challenges joined: engagement sits below insights) register in insights.builtin_sources; a
    layer above insights registers its own from its AppConfig.ready() with
    `from insights.sources import register_activity`.

Segments
    A split of customers (the community effect page): `register_segment(Segment(...))`. A segment
    has groups; `groups(date_range)` returns [(key, label, member_ids_queryset or None), ...],
    tried in order: a customer is in the first group whose queryset holds their member id, guests
    (orders without a member) in the group whose queryset is None. The last group with a queryset
    of `ALL_MEMBERS` catches every other member.

Engagement series
    `register_series(key, label, function)`: `function(periods)` returns one number (or None) per
    period, e.g. newsletter subscribers confirmed in each month (content.newsletter registers it:
    content sits above insights and may import it).
"""

from dataclasses import dataclass, field

ALL_MEMBERS = "all-members"

_activity = {}
_segments = {}
_series = {}


@dataclass(frozen=True)
class ActivitySource:
    key: str
    label: str
    queryset: object  # a callable returning the (insights_member, insights_at) queryset


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    groups: object  # callable(date_range) -> [(key, label, queryset | None | ALL_MEMBERS)]
    order: int = 100
    description: str = field(default="")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: object  # callable(periods) -> [number | None]
    order: int = 100


def register_activity(key, label, queryset):
    _activity[key] = ActivitySource(key, label, queryset)


def activity_sources():
    return [_activity[key] for key in sorted(_activity)]


def register_segment(segment):
    _segments[segment.key] = segment


def segments():
    return sorted(_segments.values(), key=lambda s: (s.order, s.key))


def segment(key):
    return _segments.get(key)


def register_series(key, label, values, order=100):
    _series[key] = Series(key, label, values, order)


def series():
    return sorted(_series.values(), key=lambda s: (s.order, s.key))
