"""Writes for member accounts: profile edits, avatars, data export, account deletion.

Notifications are written in notifications.py; the functions other apps call are re-exported
here: `from community.members.services import notification_send, notifications_mark_read`.
"""

import json
import logging
import shutil
import uuid
import zipfile

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.renditions import image_delete_on_commit, renditions_schedule
from shop.privacy import orders_erase_personal_data, orders_export

from .consent import marketing_consent_for, marketing_consent_set, marketing_language_set
from .models import ReservedUsername
from .notifications import notification_send as notification_send
from .notifications import notifications_delete_for_member, notifications_forget_actor
from .notifications import notifications_mark_read as notifications_mark_read
from .selectors import notifications_export, username_hash
from .signals import member_data_requested, member_deleting, member_files_requested
from .social import social_logins_delete, social_logins_export

logger = logging.getLogger(__name__)
ZIP_CHUNK_BYTES = 64 * 1024

def member_update_profile(member, *, display_name, bio, birthday, marketing_consent=None, language=None,
                          avatar=None, remove_avatar=False, preferred_language=None):
    """Save the editable profile. `avatar` is a checked image (core.images.image_process(...).content),
    or None to keep the current one; its renditions are made in the background.

    `marketing_consent`: True gives it, False withdraws it, None (the box was not changed) leaves it
    as it is. It is the same consent as the newsletter's (consent.py): giving it again keeps the
    date it was first given, and withdrawing it stops the newsletter too. `language` is the one
    the member reads the site in, for the newsletter. `preferred_language` ("" for the site's
    default, None to leave it) is the member's own language: their e-mails are written in it
    (community.members.i18n), and the newsletter follows it.
    """
    with transaction.atomic():
        member.display_name = display_name.strip()
        member.bio = bio.strip()
        member.birthday = birthday
        if preferred_language is not None and (preferred_language == "" or preferred_language in dict(settings.LANGUAGES)):
            member.language = preferred_language
            # The newsletter to the member's addresses follows (one UPDATE, which changes nothing
            # when it already agrees; the profile form has set the instance's language already, so
            # "did it change" cannot be read from it). A non-member's keeps the language it was
            # signed up in.
            marketing_language_set(member, member.language or settings.LANGUAGE_CODE)
        if marketing_consent is not None:
            marketing_consent_set(member, marketing_consent,
                                  language=member.language or language or settings.LANGUAGE_CODE)
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


EXPORT_LAYOUT = "brand-community-member-export"
EXPORT_VERSION = 2
# Every section of the export, always present (empty when there is nothing): README.md, "Members'
# data", says what each holds. Sections of other apps come from their member_data_requested receivers.
EXPORT_SECTIONS = (
    "account", "email_addresses", "orders", "notification_preferences", "notifications", "forum", "moderation",
    "newsletter", "referrals", "files",
)
AVATAR_FILE = "files/avatar/{name}"


def _iso(value):
    return value.isoformat() if value else None


def member_export_files(member):
    """[(name in the zip, FieldFile)] of the files the member uploaded: avatar, then other apps'."""
    files = []
    if member.avatar:
        files.append((AVATAR_FILE.format(name=member.avatar.name.rsplit("/", 1)[-1]), member.avatar))
    for _receiver, response in member_files_requested.send(sender=type(member), member=member):
        files.extend(response or ())
    return files


def member_export_data(member):
    """Everything the site holds about a member, as a JSON-able dict (GDPR access and portability),
    in the documented layout: `layout` and `version` name it, and every section is present."""
    emails = list(EmailAddress.objects.filter(user=member).order_by("-primary", "email").values("email", "verified", "primary"))
    files = member_export_files(member)
    data = {
        "layout": EXPORT_LAYOUT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": member.username,
            "display_name": member.display_name,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "bio": member.bio,
            "birthday": _iso(member.birthday),
            # the date of the consent the newsletter section records (with its log of events)
            "marketing_consent_at": _iso(marketing_consent_for(member).since),
            "avatar_url": member.avatar.url if member.avatar else None,
            "avatar_file": files[0][0] if member.avatar else None,
            "date_joined": member.date_joined.isoformat(),
            "last_login": _iso(member.last_login),
            "social_logins": social_logins_export(member),
        },
        "email_addresses": emails,
        "orders": orders_export(member),
        **notifications_export(member),
        "forum": {},
        "moderation": {},
        "newsletter": {},
        "referrals": {},
        "reviews": {},
        "files": [name for name, _file in files],
    }
    for _receiver, response in member_data_requested.send(sender=type(member), member=member):
        if response:
            name, section = response
            data[name] = section
    return data


def member_export_zip(member, out):
    """Write the member's data to the binary file `out` as a zip: data.json and, under files/,
    everything they uploaded. Files are copied in chunks, so memory stays bounded whatever their
    size; pictures are already compressed, so they are stored as they are."""
    data = member_export_data(member)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name, fieldfile in member_export_files(member):
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            try:
                with fieldfile.storage.open(fieldfile.name, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, ZIP_CHUNK_BYTES)
            except FileNotFoundError:  # listed in the data, gone from storage: nothing to copy
                logger.warning("export: missing file", extra={"member_id": member.pk, "file": fieldfile.name})
    return out


def member_delete(member):
    """Delete a member's account: personal data goes, the row stays as a "deleted member" tombstone.

    Other apps remove their own personal data through the member_deleting signal inside the same
    transaction; what stays, and why, is in README.md ("Members' data"). The username is reserved
    (as a keyed hash) so that nobody else can take it and inherit old @mentions and links.
    """
    with transaction.atomic():
        emails = sorted({address.lower() for address in EmailAddress.objects.filter(user=member, verified=True)
                         .values_list("email", flat=True)})
        member_deleting.send(sender=type(member), member=member, emails=emails)
        orders_erase_personal_data(member, emails)
        image_delete_on_commit(member.avatar, member.avatar_renditions)
        notifications_delete_for_member(member)
        notifications_forget_actor(member)
        EmailAddress.objects.filter(user=member).delete()
        social_logins_delete(member)
        ReservedUsername.objects.get_or_create(name_hash=username_hash(member.username))
        member.groups.clear()
        member.user_permissions.clear()
        member.username = f"deleted-{uuid.uuid4().hex[:16]}"
        member.email = ""
        member.first_name = ""
        member.last_name = ""
        member.display_name = ""
        member.bio = ""
        member.birthday = None
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
