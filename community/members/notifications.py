"""Writes for site-wide notifications: sending, marking read, preferences, and the batched e-mail.

Every app above members (forum, posts, reviews, referrals) sends through notification_send, with a
kind it registered in community.members.notification_kinds:

    notification_send(recipient, REPLY, actor=author, url=post_path,
                      title=..., excerpt=..., source_key=f"forum:post:{post.pk}:reply")

The unique (recipient, source_key) constraint makes a repeated event a no-op. E-mail is batched:
the first notification a member gets in a window of NOTIFICATION_EMAIL_BATCH_SECONDS schedules a
task for the end of the window, and that task sends one e-mail with everything still unread and
not yet e-mailed. On a task backend that cannot defer (the immediate one in development and
tests) the task runs as soon as the transaction commits.
"""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from core.absolute import absolute_url, base_url_carried, email_subject, site_name

from .app_settings import app_settings
from .i18n import in_language_of
from .models import Notification, NotificationPreference, User
from .notification_kinds import notification_kind_get, notification_kinds
from .selectors import notification_preference_for_member, notification_preferences_for_member, notifications_unread_cache_key
from .tasks import notification_digest_send
from .tokens import unsubscribe_token_make
from .validators import is_site_path

logger = logging.getLogger(__name__)

DIGEST_MAX_LISTED = 20  # an e-mail lists at most this many; the rest are "and N more"


def batch_seconds():
    return app_settings.NOTIFICATION_EMAIL_BATCH_SECONDS


def digest_cache_key(member_id):
    return f"notify:digest:{member_id}"


def _unread_count_changed(member_id):
    # Now for this request, and again after commit so a page that read the old count in between
    # does not keep it in the cache.
    key = notifications_unread_cache_key(member_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def notification_send(recipient, kind, *, actor=None, url, title, excerpt="", source_key):
    """Notify `recipient` of an event; returns the new Notification, or None when nothing was sent.

    Nothing is sent to the actor themself, to an inactive or deleted member, to a member who has
    switched this kind off on the site, or a second time for the same (recipient, source_key).
    `url` is a path on this site ("/forum/..."); title and excerpt are plain text, cut to fit.
    """
    kind = notification_kind_get(kind).code  # UnknownNotificationKind (a ValueError) for a kind nobody registered
    if not is_site_path(url) or len(url) > Notification._meta.get_field("url").max_length:
        raise ValueError(f"notification url must be a site path of at most 500 characters, not {url!r}")
    if not source_key or len(source_key) > Notification._meta.get_field("source_key").max_length:
        raise ValueError("source_key must be 1 to 200 characters")
    if recipient is None or recipient.pk is None:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    if not recipient.is_active or recipient.deleted_at is not None:
        return None
    preference = notification_preference_for_member(recipient, kind)
    if not preference.in_app:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, actor=actor, url=url, source_key=source_key,
                title=Truncator(" ".join(str(title).split())).chars(200),
                excerpt=Truncator(" ".join(str(excerpt).split())).chars(300),
            )
    except IntegrityError:  # this event was already sent to this member
        return None
    _unread_count_changed(recipient.pk)
    if preference.email:
        _digest_schedule(recipient.pk)
    return notification


def _digest_schedule(member_id):
    """After commit: unless a digest is already due for this member, enqueue one for the end of
    the batching window (or at once when the task backend cannot defer). The digest's links use
    the address of the request that caused the notification (core.absolute)."""
    base_url = base_url_carried()

    def enqueue():
        seconds = batch_seconds()
        key = digest_cache_key(member_id)
        if seconds > 0 and not cache.add(key, 1, timeout=seconds):
            return  # a digest is already on its way; it will pick this one up
        digest = notification_digest_send
        if seconds > 0 and digest.get_backend().supports_defer:
            digest = digest.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds))
        try:
            digest.enqueue(member_id, base_url=base_url)
        except Exception:
            cache.delete(key)  # let the next notification try again
            raise

    # robust: a queue that is down is logged, and never undoes or breaks what sent the notification
    transaction.on_commit(enqueue, robust=True)


def notifications_mark_read(member, urls=None, *, created_before=None):
    """Mark the member's unread notifications read: all of them, or those whose url is in `urls`
    (the forum passes a topic's path when the member opens it). `created_before` leaves out those
    that arrived after the member looked at the list. Returns how many were marked."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if urls is not None:
        urls = [urls] if isinstance(urls, str) else list(urls)
        if not urls:
            return 0
        unread = unread.filter(url__in=urls)
    if created_before is not None:
        unread = unread.filter(created_at__lte=created_before)
    count = unread.update(read_at=timezone.now())
    if count:
        _unread_count_changed(member.pk)
    return count


def notification_mark_read(notification):
    """Mark one notification read (opening it). Reading it twice keeps the first time."""
    if notification.read_at is not None:
        return notification
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now
        _unread_count_changed(notification.recipient_id)
    return notification


def notification_preferences_save(member, choices):
    """Store the member's choices, {kind: (in_app, email)}, for the kinds given. One query."""
    rows = [
        NotificationPreference(member=member, kind=notification_kind_get(kind).code, in_app=bool(in_app), email=bool(email))
        for kind, (in_app, email) in choices.items()
    ]
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["member", "kind"], update_fields=["in_app", "email"],
    )


def notification_email_off(member, kinds):
    """Stop e-mail about `kinds` (the unsubscribe link); the on-site choice stays as it was.
    Doing it again changes nothing."""
    current = notification_preferences_for_member(member)
    notification_preferences_save(member, {kind: (current[kind].in_app, False) for kind in kinds})


def notifications_delete_for_member(member):
    """Remove a member's notifications and notification settings (account deletion)."""
    Notification.objects.filter(recipient=member).delete()
    NotificationPreference.objects.filter(member=member).delete()
    _unread_count_changed(member.pk)


def notifications_forget_actor(member):
    """Remove, from everyone's lists, the notifications a member caused (account deletion): their
    titles name the member and their excerpts quote what the member wrote."""
    recipients = set(Notification.objects.filter(actor=member).values_list("recipient_id", flat=True).distinct())
    Notification.objects.filter(actor=member).delete()
    for recipient_id in recipients:
        _unread_count_changed(recipient_id)


def notifications_forget_excerpts(urls):
    """Blank the excerpts of notifications about the given addresses (account deletion: the
    posts there were erased, whoever's notification quotes them)."""
    urls = list(urls)
    for start in range(0, len(urls), 500):
        Notification.objects.filter(url__in=urls[start:start + 500]).exclude(excerpt="").update(excerpt="")


# --- The batched e-mail ---------------------------------------------------------------------

def notification_digest_email(member_id):
    """Send the member one e-mail listing their unread notifications not e-mailed yet (of the
    kinds they want by e-mail), and mark those e-mailed. Returns how many the e-mail covered.

    Run by the notification_digest_send task, so it reads everything afresh: a notification read
    on the site in the meantime is left out, and so is everything for a closed account.
    """
    member = User.objects.active().filter(pk=member_id).first()
    if member is None or not member.email:
        return 0
    if not EmailAddress.objects.filter(user=member, email__iexact=member.email, verified=True).exists():
        return 0  # only to an address its owner confirmed, never to one someone else typed in
    prefs = notification_preferences_for_member(member)
    kinds = [kind for kind, pref in prefs.items() if pref.in_app and pref.email]
    if not kinds:
        return 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=member, read_at__isnull=True, emailed_at__isnull=True, kind__in=kinds)
            .select_related("actor").order_by("-created_at", "-pk")
        )
        if not pending:
            return 0
        _digest_message(member, pending).send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    logger.info("notification e-mail sent", extra={"member_id": member.pk, "notifications": len(pending)})
    return len(pending)


def notification_unsubscribe_url(member, kinds):
    """The one-click link that stops e-mail about `kinds` (one kind or several) for the member."""
    return absolute_url(reverse("members:notification_unsubscribe", args=[unsubscribe_token_make(member, kinds)]))


def _digest_message(member, notifications):
    position = {kind.code: n for n, kind in enumerate(notification_kinds())}
    kinds = sorted({n.kind for n in notifications}, key=position.__getitem__)
    with in_language_of(member):
        unsubscribe_all = notification_unsubscribe_url(member, kinds)
        context = {
            "site_name": site_name(),
            "site_url": absolute_url("/"),
            "member": member,
            "count": len(notifications),
            "items": [
                {"notification": n, "kind": notification_kind_get(n.kind).label, "link": absolute_url(n.url)}
                for n in notifications[:DIGEST_MAX_LISTED]
            ],
            "more": max(0, len(notifications) - DIGEST_MAX_LISTED),
            "unsubscribe": [
                {
                    "kind": notification_kind_get(kind).label,
                    "link": notification_unsubscribe_url(member, kind),
                }
                for kind in kinds
            ],
            "preferences_url": absolute_url(reverse("members:notification_preferences")),
            "notifications_url": absolute_url(reverse("members:notifications")),
        }
        subject = render_to_string("members/email/notifications_subject.txt", context)
        body = render_to_string("members/email/notifications_message.txt", context)
    return EmailMultiAlternatives(
        subject=email_subject(subject, context["site_name"]),
        body=body,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
