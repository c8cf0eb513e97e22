"""The words of each lifecycle e-mail: the editor's text for the member's language (EmailText), or
the site's default text translated into it; placeholders filled in; plain text and HTML.

Placeholders are {name} in braces; only the kind's own (kinds.PLACEHOLDERS) are replaced, and a
value is inserted as text (escaped in the HTML), never as markup.
"""

from django.template.defaultfilters import urlize
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .kinds import PLACEHOLDERS, Kind
from .models import PLACEHOLDER_RE, EmailText

BR = mark_safe("<br>")  # a constant

DEFAULTS = {
    Kind.THANK_YOU: (
        _("Thank you for your first order"),
        _("Hello {name},\n\nthank you for your first order with {site_name}. We hope you love it.\n\n"
          "If a friend would like it too, share your own link: {referral_link}\n\n{friend_offer}")),
    Kind.CARE_TIPS: (
        _("How to look after what you bought"),
        _("Hello {name},\n\nyour order {order} should be with you by now. A few words on keeping it good "
          "for years:\n\n{care_tips}")),
    Kind.BIRTHDAY: (
        _("Happy birthday, {name}!"),
        _("Hello {name},\n\neveryone at {site_name} wishes you a happy birthday. {points} points are waiting "
          "for you as a present: {points_url}")),
    Kind.WIN_BACK: (
        _("We miss you, {name}"),
        _("Hello {name},\n\nit has been a while since your last order. Customers who bought what you did "
          "also liked these:\n\n{products}\n\nWe would be glad to see you again at {site_url}")),
    Kind.DIGEST: (
        _("This week in the forum"),
        _("Hello {name},\n\nthe forum's liveliest topics this week:\n\n{topics}\n\nJoin in: {forum_url}")),
    Kind.NPS: (
        _("One question, one click"),
        _("Hello {name},\n\nhow likely are you to recommend {site_name} to a friend? Choose a number from "
          "0 (not at all likely) to 10 (extremely likely) below.")),
    Kind.CSAT: (
        _("How was your order {order}?"),
        _("Hello {name},\n\nhow happy are you with your order {order}? Choose from 1 (not at all) to 5 "
          "(very happy) below.")),
}


def texts_for(kind, languages):
    """{language: (subject, body)} of editors' texts for `kind` in `languages`: one query."""
    return {t.language: (t.subject, t.body) for t in EmailText.objects.filter(kind=kind, language__in=list(languages))}


def fill(template, kind, values):
    allowed = PLACEHOLDERS.get(kind, ())

    def replace(match):
        name = match.group(1)
        if name not in allowed or name not in values:
            return match.group(0)
        return str(values[name])

    return PLACEHOLDER_RE.sub(replace, str(template))


def render(kind, values, editor_text=None):
    """(subject, text, html) for one member, in the active language. `editor_text` is the editor's
    (subject, body) for that language, or None for the default text."""
    subject, body = editor_text or DEFAULTS[kind]
    subject = " ".join(fill(subject, kind, values).split())
    text = fill(body, kind, values).replace("\r\n", "\n").strip()
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    # the urlize filter escapes the text around the links it makes and marks the result safe
    html = format_html_join("", "<p>{}</p>", (
        (format_html_join(BR, "{}", ((urlize(line, autoescape=True),) for line in p.split("\n"))),)
        for p in paragraphs))
    return subject, text, html
