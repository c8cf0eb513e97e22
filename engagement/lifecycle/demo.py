"""Lifecycle demo data for `manage.py load_demo` (after loyalty). Idempotent and deterministic.

- Editors' texts: the birthday greeting in English and Greek, and the care tips in English (the
  other kinds and languages use the site's default texts).
- Survey answers for the demo members' paid orders over the last months, NPS and CSAT, some with
  a comment, so Lifecycle → Surveys shows months of figures; unhappy ones wait in the follow-up
  queue, one already contacted with a note.
- The nightly pass runs once (the e-mails it sends go to var/mail/ like every demo e-mail).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from shop.models import Order

from .kinds import Kind
from .models import EmailText, Survey
from .passes import EARNS, lifecycle_nightly
from .surveys import needs_follow_up

TEXTS = [
    (Kind.BIRTHDAY, "en", "Happy birthday, {name}!",
     "Hello {name},\n\nall of us at {site_name} wish you a wonderful birthday.\n\n"
     "Your present: {points} points, waiting in your account: {points_url}\n\nEnjoy your day!"),
    (Kind.BIRTHDAY, "el", "Χρόνια πολλά, {name}!",
     "Γεια σου {name},\n\nόλοι εμείς στο {site_name} σου ευχόμαστε χρόνια πολλά.\n\n"
     "Το δώρο σου: {points} πόντοι σε περιμένουν στον λογαριασμό σου: {points_url}"),
    (Kind.CARE_TIPS, "en", "Make it last: care tips for order {order}",
     "Hello {name},\n\nyour order {order} should have arrived. Well cared for, it lasts for years:\n\n{care_tips}\n\n"
     "Questions? Ask the community at {site_url}"),
]
# (score, comment) in turn for the members' orders, NPS first then CSAT
NPS_ANSWERS = [(10, "Best linen I own. Told my sister about you."), (9, ""), (7, ""), (4, "The parcel took three weeks."),
               (8, "Good, a little pricey."), (10, ""), (6, "Sizes run small; I had to return a shirt."), (9, "")]
CSAT_ANSWERS = [(5, "Perfect fit."), (4, ""), (2, "A button was missing."), (5, ""), (3, ""), (1, "Wrong colour sent.")]


def load(stdout):
    made_texts = 0
    for kind, language, subject, body in TEXTS:
        _text, created = EmailText.objects.get_or_create(kind=kind, language=language,
                                                         defaults={"subject": subject, "body": body})
        made_texts += created
    orders = list(Order.objects.filter(member__isnull=False, status__in=EARNS, paid_at__isnull=False)
                  .select_related("member").order_by("paid_at", "pk"))
    made = 0
    for n, order in enumerate(orders):
        for survey_type, answers, days in ((Survey.Type.NPS, NPS_ANSWERS, 30), (Survey.Type.CSAT, CSAT_ANSWERS, 10)):
            if survey_type == Survey.Type.NPS and n % 2:
                continue  # NPS for every other order: members are not asked each time
            sent_at = order.paid_at + datetime.timedelta(days=days)
            if sent_at > timezone.now():
                continue
            score, comment = answers[n % len(answers)]
            follow = Survey.FollowUp.NEW if needs_follow_up(survey_type, score) else Survey.FollowUp.NONE
            note = ""
            if follow and n % 3 == 0:
                follow, note = Survey.FollowUp.CONTACTED, "Called them; a replacement is on its way."
            with transaction.atomic():
                _survey, created = Survey.objects.get_or_create(type=survey_type, order=order, defaults={
                    "member": order.member, "sent_at": sent_at, "score": score,
                    "answered_at": sent_at + datetime.timedelta(hours=3), "comment": comment,
                    "follow_up": follow, "follow_up_note": note})
            made += created
    sent = lifecycle_nightly()
    stdout.write(f"Demo lifecycle: {len(TEXTS)} e-mail texts ({made_texts} new), {made} survey answers new; "
                 f"the nightly pass sent {sum(sent.values())} e-mails")
