"""On PostgreSQL, through the real code paths: the same survey answered from eight clicks at once
records one answer; two nightly passes at once send each e-mail once."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from engagement.lifecycle import passes
from engagement.lifecycle.models import SendLog, Survey
from engagement.lifecycle.surveys import survey_token_make
from tests.factories import MemberFactory
from tests.race import race

from .helpers import NOW, care_due, care_product, paid_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_clicks_at_once_record_one_answer(on_postgres):
    survey = Survey.objects.create(type="nps", member=MemberFactory())
    token = survey_token_make(survey)
    scores = [0, 3, 6, 7, 8, 9, 10, 5]

    def click(i):
        return Client().post(reverse("lifecycle:survey", args=[token, scores[i]])).status_code

    statuses = race(8, click)
    survey.refresh_from_db()
    assert survey.score in scores
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 409}
    # exactly the clicks with the recorded score (or the first one) are 200; a different score is 409
    assert all(status == 409 for status, score in zip(statuses, scores, strict=True) if score != survey.score)


def test_two_nightly_passes_at_once_send_each_e_mail_once(on_postgres):
    for n in range(6):
        member = MemberFactory(birthday=NOW.date().replace(year=1980 + n))
        paid_order(member, [care_product()], paid_at=care_due())
    mail.outbox.clear()
    results = race(4, lambda i: passes.lifecycle_nightly(NOW))
    assert sum(r["birthday"] for r in results) == 6
    assert sum(r["care_tips"] for r in results) == 6
    assert SendLog.objects.count() == 12
    assert len(mail.outbox) == 12
