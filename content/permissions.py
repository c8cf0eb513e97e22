"""Who may see what of the content. Views and templates ask these functions, never the user
object directly, so the rule lives in one place.

Members-only pages (content.models.MembersOnlyPage) show their body to signed-in, active members;
everyone else sees the title, teaser and picture with an invitation to join. A page may also be
opened early to a loyalty tier (referrals.loyalty): while `early_access_tier` is set and
`early_access_until` has not passed (or is empty: for as long as the tier is set), only members
in that tier or a higher one (by threshold) read the body; the others see the same friendly gate,
which names the tier and, for a member, how far they are from it. Never a 404, never a login
wall: the teaser stays public.
"""

from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class MembersGate:
    """Why the body is closed to a viewer: `reason` "join" (not signed in) or "tier" (signed in,
    below the page's early-access tier). `tier`: the early-access tier (or None), `until`: when
    the page opens to every member (or None), `needed`: what a member still lacks for the tier
    (points, or whole currency units with `by_amount`), None for visitors."""

    reason: str
    tier: object = None
    until: object = None
    needed: object = None
    by_amount: bool = False
    currency: str = ""


def early_access_tier(page, now=None):
    """The tier a page is reserved for right now, or None (open to every member)."""
    tier_id = getattr(page, "early_access_tier_id", None)
    if tier_id is None:
        return None
    until = getattr(page, "early_access_until", None)
    if until is not None and (now or timezone.now()) >= until:
        return None
    return page.early_access_tier


def members_gate(user, page=None, now=None):
    """None when `user` may read the page's members' content, else a MembersGate saying why.
    Queries: none for a page without early access; for a signed-in member while it lasts, one or
    two for their tier (and one more for the distance to it when they fall short)."""
    from referrals.loyalty.selectors import member_tier, tier_needed

    tier = early_access_tier(page, now) if page is not None else None
    until = page.early_access_until if tier is not None else None
    if not (user is not None and user.is_authenticated and user.is_active):
        return MembersGate("join", tier=tier, until=until)
    if tier is None:
        return None
    mine = member_tier(user)
    if mine is not None and mine.threshold >= tier.threshold:
        return None
    needed, by_amount, currency = tier_needed(user, tier)
    return MembersGate("tier", tier=tier, until=until, needed=needed, by_amount=by_amount, currency=currency)


def can_view_members_content(user, page=None, now=None):
    """Members-only pages show their body to signed-in, active members (of the page's early-access
    tier or above while it lasts); everyone else sees the teaser."""
    return members_gate(user, page, now) is None
