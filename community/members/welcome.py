"""After sign-up (issue 17, item 17): the welcome page's first steps and the welcome e-mail.

The e-mail goes once, when a member confirms their first address (allauth's email_confirmed with
exactly one verified address: a second address confirmed later is not a new member), so it never
lands in a mailbox nobody has proved is theirs."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.absolute import absolute_url, email_subject, site_name

from .consent import marketing_consent_for
from .i18n import in_language_of

logger = logging.getLogger(__name__)


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # an app that is switched off
        return ""


def welcome_steps(member):
    """What to do first, in order: [{"title", "text", "url", "done"}] (steps whose page is missing
    are left out)."""
    steps = [
        {"title": _("Complete your profile"),
         "text": _("A picture and a line about you, so others know who they are talking to."),
         "url": _url("members:profile_edit"), "done": bool(member.avatar or member.bio)},
        {"title": _("Introduce yourself in the forum"), "text": _("Say hello, and what you wear most often."),
         "url": _url("forum:topic_new"), "done": member.forum_posts.exists()},
        {"title": _("Subscribe to the newsletter"), "text": _("New collections, events and repair evenings, once a month."),
         "url": _url("newsletter:subscribe"), "done": bool(marketing_consent_for(member).since)},
        {"title": _("Invite a friend"), "text": _("Share your own link: your friend gets a welcome reward and you earn points."),
         "url": _url("referrals:dashboard"), "done": False},
    ]
    return [step for step in steps if step["url"]]


def welcome_email_send(member):
    """Send the welcome e-mail to the member's address; True when sent."""
    if not member.email or member.is_deleted:
        return False
    with in_language_of(member):
        context = {
            "member": member,
            "site_name": site_name(),
            "site_url": absolute_url("/"),
            "steps": [{**step, "url": absolute_url(step["url"])} for step in welcome_steps(member)],
            "welcome_url": absolute_url(reverse("members:welcome")),
        }
        subject = render_to_string("members/email/welcome_subject.txt", context)
        text = render_to_string("members/email/welcome_message.txt", context)
        html = render_to_string("members/email/welcome_message.html", context)
    message = EmailMultiAlternatives(subject=email_subject(subject, context["site_name"]), body=text, to=[member.email])
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("welcome e-mail sent", extra={"member_id": member.pk})
    return True


def on_email_confirmed(sender, request, email_address, **kwargs):
    """allauth's email_confirmed: a member's first confirmed address gets the welcome e-mail."""
    from allauth.account.models import EmailAddress

    member = email_address.user
    if EmailAddress.objects.filter(user=member, verified=True).count() == 1:
        welcome_email_send(member)


def connect():
    from allauth.account.signals import email_confirmed

    email_confirmed.connect(on_email_confirmed, dispatch_uid="members-welcome-email")
