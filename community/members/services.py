"""Writes for member accounts: profile edits, avatars, data export, account deletion.

Notifications are written in notifications.py; the functions other apps call are re-exported
here: `from community.members.services import notification_send, notifications_mark_read`.
"""

import logging
import uuid

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from core.renditions import image_delete_on_commit, renditions_schedule
from shop.selectors import orders_for_member

from .notifications import notification_send as notification_send
from .notifications import notifications_delete_for_member
from .notifications import notifications_mark_read as notifications_mark_read
from .selectors import notifications_export
from .signals import member_data_requested, member_deleting

logger = logging.getLogger(__name__)

def member_update_profile(member, *, display_name, bio, birthday, marketing_consent, avatar=None, remove_avatar=False):
    """Save the editable profile. `avatar` is a checked image (core.images.image_process(...).content),
    or None to keep the current one; its renditions are made in the background.

    Marketing consent records the moment it was given; withdrawing it clears the date, and
    ticking an already-ticked box keeps the original date.
    """
    with transaction.atomic():
        member.display_name = display_name.strip()
        member.bio = bio.strip()
        member.birthday = birthday
        if marketing_consent and member.marketing_consent_at is None:
            member.marketing_consent_at = timezone.now()
        elif not marketing_consent:
            member.marketing_consent_at = None
        if (avatar is not None or remove_avatar) and member.avatar:
            image_delete_on_commit(member.avatar, member.avatar_renditions)
            member.avatar_renditions = {}
        if avatar is not None:
            member.avatar.save(avatar.name, avatar, save=False)
        elif remove_avatar:
            member.avatar = None
        member.save()
        if avatar is not None:
            renditions_schedule(member, "avatar", "avatar_renditions", "avatar")
    return member


def member_export_data(member):
    """Everything the site holds about a member, as a JSON-able dict (GDPR data portability)."""
    emails = list(EmailAddress.objects.filter(user=member).order_by("-primary", "email").values("email", "verified", "primary"))
    data = {
        "format": "brand-community-member-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": member.username,
            "display_name": member.display_name,
            "bio": member.bio,
            "birthday": member.birthday.isoformat() if member.birthday else None,
            "marketing_consent_at": member.marketing_consent_at.isoformat() if member.marketing_consent_at else None,
            "avatar_url": member.avatar.url if member.avatar else None,
            "date_joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "email_addresses": emails,
        "orders": [
            {
                "shop": order.source,
                "order_id": order.external_id,
                "placed_at": order.placed_at.isoformat(),
                "status": order.status,
                "currency": order.currency,
                "total": str(order.total),
                "refunded": str(order.refunded_total),
                "discount_codes": order.discount_codes,
                "lines": [{"sku": line.sku, "name": line.name, "quantity": line.quantity, "unit_price": str(line.unit_price)}
                          for line in order.lines.all()],
            }
            for order in orders_for_member(member)
        ],
        **notifications_export(member),
    }
    for _receiver, response in member_data_requested.send(sender=type(member), member=member):
        if response:
            name, section = response
            data[name] = section
    return data


def member_delete(member):
    """Delete a member's account: personal data goes, the row stays as a "deleted member" tombstone.

    Other apps remove their own personal data through the member_deleting signal inside the same
    transaction; content that others rely on (replies, reviews) keeps pointing at the tombstone.
    """
    with transaction.atomic():
        member_deleting.send(sender=type(member), member=member)
        image_delete_on_commit(member.avatar, member.avatar_renditions)
        notifications_delete_for_member(member)
        EmailAddress.objects.filter(user=member).delete()
        member.groups.clear()
        member.user_permissions.clear()
        member.username = f"deleted-{uuid.uuid4().hex[:16]}"
        member.email = ""
        member.first_name = ""
        member.last_name = ""
        member.display_name = ""
        member.bio = ""
        member.birthday = None
        member.marketing_consent_at = None
        member.avatar = None
        member.avatar_renditions = {}
        member.is_active = False
        member.is_staff = False
        member.is_superuser = False
        member.deleted_at = timezone.now()
        member.set_unusable_password()
        member.save()
    logger.info("member account deleted", extra={"member_id": member.pk})
    return member
