"""Writes for member accounts: profile edits, avatars, data export, account deletion.

Notifications are written in notifications.py; the functions other apps call are re-exported
here: `from community.members.services import notification_send, notifications_mark_read`.
"""

import io
import logging
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shop.selectors import orders_for_member

from .notifications import notification_send as notification_send
from .notifications import notifications_delete_for_member
from .notifications import notifications_mark_read as notifications_mark_read
from .selectors import notifications_export
from .signals import member_data_requested, member_deleting

logger = logging.getLogger(__name__)

ALLOWED_AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def image_reencode(uploaded, *, max_bytes, max_pixels, square=None, max_side=None):
    """Check an uploaded image and return it re-encoded as WebP: (ContentFile, width, height).

    Refuses files over `max_bytes`, anything Pillow cannot identify as JPEG, PNG, WebP or GIF, and
    images over `max_pixels` (checked from the header, before decoding). The picture is cropped to
    a `square` of that many pixels, or shrunk to at most `max_side` pixels on its longer side.
    Re-encoding drops EXIF data (camera, GPS position) and anything smuggled after the image data;
    the file gets a random name, so nothing of the original name leaks into its URL.
    """
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{uploaded.size / 1_048_576:.1f}", "limit": max_bytes // 1_048_576},
            code="too_large",
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_AVATAR_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="format")
            if width * height > max_pixels:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            probe.verify()
        uploaded.seek(0)
        with Image.open(uploaded) as img:
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB")
            if square:
                img = ImageOps.fit(img, (square, square), method=Image.Resampling.LANCZOS)
            elif max_side and max(img.size) > max_side:
                img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            img.save(out, format="WEBP", quality=85, method=4)
            size = img.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("That file is not an image we can read."), code="invalid") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp"), size[0], size[1]


def avatar_process(uploaded):
    """Check an uploaded avatar and return it re-encoded as a square WebP (see image_reencode)."""
    content, _width, _height = image_reencode(uploaded, max_bytes=settings.AVATAR_MAX_BYTES,
                                              max_pixels=settings.AVATAR_MAX_PIXELS, square=settings.AVATAR_SIZE)
    return content


def _delete_file_on_commit(field_file):
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete():
        try:
            storage.delete(name)
        except OSError:  # a missing file must not undo the change that removed it
            logger.warning("could not delete media file %s", name)

    transaction.on_commit(delete)


def member_update_profile(member, *, display_name, bio, birthday, marketing_consent, avatar=None, remove_avatar=False):
    """Save the editable profile. `avatar` is the output of avatar_process, or None to keep it.

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
        old_avatar = member.avatar if (avatar is not None or remove_avatar) and member.avatar else None
        if old_avatar:
            _delete_file_on_commit(old_avatar)
        if avatar is not None:
            member.avatar.save(avatar.name, avatar, save=False)
        elif remove_avatar:
            member.avatar = None
        member.save()
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
        _delete_file_on_commit(member.avatar)
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
        member.is_active = False
        member.is_staff = False
        member.is_superuser = False
        member.deleted_at = timezone.now()
        member.set_unusable_password()
        member.save()
    logger.info("member account deleted", extra={"member_id": member.pk})
    return member
