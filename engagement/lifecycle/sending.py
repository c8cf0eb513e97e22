"""Sending lifecycle e-mails in batches, never twice for one event.

`send_batch(kind, items)` takes what one pass found (a member, the event's key, the values of the
e-mail's placeholders, and for a survey the order) and, with a fixed number of queries however many
members the batch holds:
- leaves out closed accounts, addresses nobody confirmed, members who switched the kind's e-mail
  off (their notification preference), and events already in the send log;
- writes the SendLog rows (and the surveys) and hands the e-mails to one mail connection in ONE
  transaction: the unique (kind, member, event) constraint makes a concurrent or repeated run fail
  to insert instead of sending again, and a mail server that fails undoes the rows, so the next run
  tries again. A batch that meets a row another run wrote meanwhile is retried one member at a time.
"""

import dataclasses
import logging

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from community.members.consent import marketing_consent_given_among
from community.members.i18n import in_language_of, member_language
from community.members.models import NotificationPreference
from community.members.notification_kinds import notification_kind_get
from community.members.notifications import notification_unsubscribe_url
from core.absolute import absolute_url, base_url_carried, base_url_use, email_subject, site_base_url, site_name

from .app_settings import app_settings
from .kinds import MARKETING, PREFERENCE, Kind
from .models import SendLog, Survey
from .texts import render, texts_for

logger = logging.getLogger(__name__)

SURVEY_KINDS = {Kind.NPS: Survey.Type.NPS, Kind.CSAT: Survey.Type.CSAT}


@dataclasses.dataclass
class Item:
    member: object
    event_key: str
    values: dict = dataclasses.field(default_factory=dict)  # placeholder values (callables are called in the member's language)
    order: object = None  # the survey's order
    survey: object = None  # made by send_batch for a survey kind


def eligible(kind, members):
    """The ids of `members` that may get `kind` by e-mail now: active, confirmed address, preference
    on (for a marketing kind, "not refused"); for a marketing kind under LIFECYCLE_MARKETING_CONSENT
    "explicit", the marketing consent given too. Two queries (three for that)."""
    members = [m for m in members if m.is_active and m.deleted_at is None and m.email]
    if not members:
        return set()
    pref_kind = PREFERENCE[kind]
    default = notification_kind_get(pref_kind).email_by_default
    stored = dict(NotificationPreference.objects.filter(member__in=members, kind=pref_kind).values_list("member_id", "email"))
    wanted = [m for m in members if stored.get(m.pk, default)]
    confirmed = {
        (user_id, email.lower()) for user_id, email in
        EmailAddress.objects.filter(user__in=wanted, verified=True).values_list("user_id", "email")}
    ids = {m.pk for m in wanted if (m.pk, m.email.lower()) in confirmed}
    if kind in MARKETING and app_settings.MARKETING_CONSENT == "explicit":
        ids &= marketing_consent_given_among(ids)
    return ids


def _message(kind, item, editor_texts, language=None, brand=None):
    """The e-mail for one item, in the member's language (or `language`, for the admin's preview).
    `brand`: the site's name, read once per batch."""
    member = item.member
    with (translation.override(language) if language else in_language_of(member)):
        values = {"name": member.public_name, "site_name": brand or site_name(), "site_url": absolute_url("/")}
        values.update({k: (v() if callable(v) else v) for k, v in item.values.items()})
        subject, text, html = render(kind, values, editor_texts.get(language or member_language(member)))
        unsubscribe = notification_unsubscribe_url(member, PREFERENCE[kind])
        context = {
            "kind": kind, "subject": subject, "body_text": text, "body_html": html, "site_name": values["site_name"],
            "site_url": values["site_url"], "unsubscribe_url": unsubscribe,
            "preferences_url": absolute_url(reverse("members:notification_preferences")),
            "scale": survey_scale(item.survey) if item.survey is not None else None,
            "marketing": kind in MARKETING,
        }
        body = render_to_string("lifecycle/email/message.txt", context)
        body_html = render_to_string("lifecycle/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=email_subject(subject, values["site_name"]), body=body, to=[member.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message.attach_alternative(body_html, "text/html")
    return message


def survey_scale(survey):
    """[(score, absolute link)] of a survey's e-mail: one link per answer."""
    from .surveys import survey_token_make

    if survey.pk is None:  # the admin's preview: no survey, no working link
        return [(score, absolute_url("/")) for score in survey.scale]
    token = survey_token_make(survey)
    return [(score, absolute_url(reverse("lifecycle:survey", args=[token, score]))) for score in survey.scale]


def _write(kind, items, now):
    SendLog.objects.bulk_create([SendLog(kind=kind, member=i.member, event_key=i.event_key, sent_at=now) for i in items])
    if kind in SURVEY_KINDS:
        surveys = [Survey(type=SURVEY_KINDS[kind], member=i.member, order=i.order, sent_at=now) for i in items]
        Survey.objects.bulk_create(surveys)
        for item, survey in zip(items, surveys, strict=True):
            item.survey = survey


def send_batch(kind, items, *, now=None, connection=None):
    """Send `kind` to each item that may have it and has not had it for its event; returns how many
    were sent."""
    now = now or timezone.now()
    if not items:
        return 0
    allowed = eligible(kind, [i.member for i in items])
    items = [i for i in items if i.member.pk in allowed]
    if not items:
        return 0
    done = set(SendLog.objects.filter(kind=kind, member_id__in=[i.member.pk for i in items],
                                      event_key__in={i.event_key for i in items}).values_list("member_id", "event_key"))
    seen, todo = set(), []
    for item in items:
        key = (item.member.pk, item.event_key)
        if key not in done and key not in seen:
            seen.add(key)
            todo.append(item)
    if not todo:
        return 0
    editor_texts = texts_for(kind, {member_language(i.member) for i in todo})
    connection = connection or get_connection()
    brand = site_name()
    with base_url_use(base_url_carried() or site_base_url()):
        try:
            with transaction.atomic():
                _write(kind, todo, now)
                connection.send_messages([_message(kind, item, editor_texts, brand=brand) for item in todo])
            sent = len(todo)
        except IntegrityError:  # another run wrote some of these meanwhile: one at a time
            sent = 0
            for item in todo:
                try:
                    with transaction.atomic():
                        _write(kind, [item], now)
                        connection.send_messages([_message(kind, item, editor_texts, brand=brand)])
                    sent += 1
                except IntegrityError:
                    continue
    if sent:
        logger.info("lifecycle e-mails sent", extra={"kind": kind, "count": sent})
    return sent


def message_for(kind, item, language=None):
    """The e-mail `item` would get (for the admin's preview and test send): nothing is logged."""
    language = language or member_language(item.member)
    return _message(kind, item, texts_for(kind, [language]), language=language)
