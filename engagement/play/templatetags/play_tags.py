"""Badges and challenges on pages other apps own (community sits below engagement, so its
templates load this library; its Python never imports it).

Beside names, without a query per name: a list template calls
    {% badges_preload posts %}            (or reviews: anything with an author_id)
once, and each name then
    {% member_badges post.author %}
reads the preloaded map. Without a preload, member_badges reads that one member (one cache lookup).
"""

from collections.abc import Mapping

from django import template

from ..selectors import SHOWN_BESIDE_NAME, badges_for_members, member_awards, member_challenges

register = template.Library()

CONTEXT_KEY = "play_badges"


class _Once(Mapping):
    """A mapping made by `make()` the first time it is read: a list whose items come whole from the
    cache (forum posts kept for every visitor) never reads the badges at all."""

    def __init__(self, make):
        self._make, self._made = make, None

    @property
    def _mapping(self):
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key):
        return self._mapping[key]

    def __iter__(self):
        return iter(self._mapping)

    def __len__(self):
        return len(self._mapping)


@register.simple_tag(takes_context=True)
def badges_preload(context, items):
    """Read the badges of every author in `items` at once (renders nothing), when first needed."""
    ids = [getattr(item, "author_id", None) for item in items]
    known = context.get(CONTEXT_KEY)
    known = {} if known is None else known

    def read():
        wanted = [pk for pk in ids if pk and pk not in known]
        return {**known, **badges_for_members(wanted)} if wanted else dict(known)

    context.dicts[0][CONTEXT_KEY] = _Once(read)
    return ""


@register.inclusion_tag("play/includes/name_badges.html", takes_context=True)
def member_badges(context, member):
    """A member's first badges as small chips beside their name."""
    if member is None or not member.pk or getattr(member, "is_deleted", False):
        return {"badges": []}
    known = context.get(CONTEXT_KEY)
    if known is None or member.pk not in known:
        badges = badges_for_members([member.pk]).get(member.pk, [])
    else:
        badges = known[member.pk]
    return {"badges": badges[:SHOWN_BESIDE_NAME], "more": max(0, len(badges) - SHOWN_BESIDE_NAME)}


@register.inclusion_tag("play/includes/profile_badges.html")
def member_badge_list(member, ):
    """Every badge of the member, with its picture and when (their profile). One query."""
    awards = member_awards(member) if member is not None and not member.is_deleted else []
    return {"awards": awards, "member": member}


@register.inclusion_tag("play/includes/dashboard_card.html")
def play_card(member):
    """The card on /me/: progress in the challenges the member joined, and their badges (two queries)."""
    return {"entries": member_challenges(member), "awards": member_awards(member)}


@register.filter
def duration_words(delta):
    """A wait in days, hours and minutes ("1 day 3 h", "45 min"), for the support report."""
    from django.utils.translation import gettext, ngettext

    if delta is None:
        return ""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(gettext("%(n)d h") % {"n": hours})
    if minutes or not parts:
        parts.append(gettext("%(n)d min") % {"n": minutes})
    return " ".join(parts)


@register.simple_tag(takes_context=True)
def badges_signatures(context):
    """{member id: what their badges beside a name look like} for the members badges_preload read:
    a part of the key under which a list keeps each item's rendered HTML (forum posts)."""
    known = context.get(CONTEXT_KEY)
    known = {} if known is None else known
    return _Once(lambda: {
        pk: tuple((badge.pk, str(badge.label), str(badge.explanation)) for badge in badges[:SHOWN_BESIDE_NAME + 1])
        + (len(badges),) for pk, badges in known.items()})
