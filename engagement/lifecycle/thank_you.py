"""The "thank you after the first paid order" kind is referrals' own e-mail (referrals.thank_you:
its order_paid receiver, its once-per-member row and its `referral_ask` preference). Lifecycle adds
what the other kinds have: the editor's text in the member's language, and a row in the send log.
"""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from community.members.i18n import member_language
from core.absolute import email_subject

from .kinds import Kind
from .models import EmailText, SendLog
from .texts import render

EVENT = "first-paid-order"


def thank_you_render(member, context):
    """referrals' renderer hook: the editor's text for the member's language, or None (referrals'
    own templates) when there is none."""
    text = EmailText.objects.filter(kind=Kind.THANK_YOU, language=member_language(member)).first()
    if text is None:
        return None
    programme = context.get("programme")
    values = {"name": member.public_name, "site_name": context["site_name"], "site_url": context["site_url"],
              "referral_link": context["link"], "friend_offer": getattr(programme, "friend_offer", "") or ""}
    subject, body_text, body_html = render(Kind.THANK_YOU, values, (text.subject, text.body))
    page = {**context, "kind": Kind.THANK_YOU, "subject": subject, "body_text": body_text, "body_html": body_html,
            "scale": None}
    return (email_subject(subject, context["site_name"]).split("] ", 1)[-1],
            render_to_string("lifecycle/email/message.txt", page), render_to_string("lifecycle/email/message.html", page))


def thank_you_logged(sender, member, order, **kwargs):
    """referrals' thank_you_sent: the log row, in the sending transaction (a savepoint, so a row
    there already changes nothing)."""
    try:
        with transaction.atomic():
            SendLog.objects.create(kind=Kind.THANK_YOU, member=member, event_key=EVENT, sent_at=timezone.now())
    except IntegrityError:
        pass
