from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac

from core.pagination import paginate

from .models import Notification, NotificationPreference, ReservedUsername, User
from .notification_kinds import notification_kind_get, notification_kinds
from .permissions import visible_members
from .tokens import TokenInvalid, unsubscribe_token_read

NOTIFICATIONS_PER_PAGE = 30
# The header's unread count is cached per member; every write that changes it deletes the key.
UNREAD_COUNT_CACHE_SECONDS = 300


def member_get_visible(username):
    """The public profile owner, or 404 for an unknown, inactive or deleted member."""
    return get_object_or_404(visible_members(), username=username.lower())


def username_hash(username):
    """A keyed hash of a username, case-folded: what ReservedUsername keeps of a deleted account's
    name. Keyed with SECRET_KEY, so nobody can test a list of names against the table."""
    return salted_hmac("members.reserved-username", username.casefold(), algorithm="sha256").hexdigest()


def username_is_reserved(username):
    """Whether `username` belonged to a deleted account (and so may never be taken again)."""
    return ReservedUsername.objects.filter(name_hash=username_hash(username)).exists()


# --- Notifications ------------------------------------------------------------------------------

def notifications_unread_cache_key(member_id):
    return f"notify:unread:{member_id}"


def notifications_unread_count(member):
    """How many notifications the member has not read. Cached, so a page usually pays no query."""
    if not getattr(member, "is_authenticated", False):
        return 0
    key = notifications_unread_cache_key(member.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=member, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_CACHE_SECONDS)
    return count


def notifications_for_member(member):
    """The member's notifications, newest first, with their actors."""
    return Notification.objects.filter(recipient=member).select_related("actor").order_by("-created_at", "-pk")


def notifications_page(member, number):
    """A page of the member's notifications (core.pagination's rules: past the end is a 404)."""
    return paginate(notifications_for_member(member), number, NOTIFICATIONS_PER_PAGE)


def notification_get_for_member(member, pk):
    """One of the member's own notifications, or 404 (also for another member's)."""
    return get_object_or_404(Notification, pk=pk, recipient=member)


@dataclass(frozen=True)
class KindPreference:
    kind: str
    in_app: bool
    email: bool

    @property
    def label(self):
        return notification_kind_get(self.kind).label


def notification_preferences_for_member(member):
    """{kind: KindPreference} for every registered kind, in the registry's order: the stored choice
    or the kind's default. One query, however many kinds there are."""
    stored = {p.kind: p for p in NotificationPreference.objects.filter(member=member)}
    prefs = {}
    for kind in notification_kinds():
        row = stored.get(kind.code)
        if row is None:
            prefs[kind.code] = KindPreference(kind.code, in_app=True, email=kind.email_by_default)
        else:
            prefs[kind.code] = KindPreference(kind.code, in_app=row.in_app, email=row.email)
    return prefs


def notification_preference_for_member(member, kind):
    """The member's KindPreference for one registered kind (UnknownNotificationKind otherwise). One query."""
    default_email = notification_kind_get(kind).email_by_default
    row = NotificationPreference.objects.filter(member=member, kind=kind).only("in_app", "email").first()
    if row is None:
        return KindPreference(kind, in_app=True, email=default_email)
    return KindPreference(kind, in_app=row.in_app, email=row.email)


@dataclass(frozen=True)
class UnsubscribeLink:
    member: User
    kinds: list

    @property
    def labels(self):
        return [notification_kind_get(kind).label for kind in self.kinds]


def notification_unsubscribe_resolve(token):
    """What an unsubscribe link points at, or None for a forged link or a closed account."""
    try:
        member_id, kinds = unsubscribe_token_read(token)
    except TokenInvalid:
        return None
    member = User.objects.active().filter(pk=member_id).first()
    if member is None:
        return None
    return UnsubscribeLink(member, kinds)


def notifications_export(member):
    """The member's notifications and notification settings, for their data export."""
    prefs = notification_preferences_for_member(member)
    return {
        "notification_preferences": [{"kind": p.kind, "on_the_site": p.in_app, "by_email": p.email} for p in prefs.values()],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "excerpt": n.excerpt,
                "url": n.url,
                "from": n.actor.public_name if n.actor else None,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in notifications_for_member(member)
        ],
    }
