"""Surveys: NPS and CSAT figures against hand-worked fixtures, and the survey link's every case
(answered, reused, expired, tampered, another member's, a score off the scale, huge ids), through
the real views. No GET writes."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from engagement.lifecycle import selectors
from engagement.lifecycle.models import COMMENT_MAX, Survey
from engagement.lifecycle.surveys import SURVEY_LINK, survey_answer, survey_token_make
from tests.factories import MemberFactory

from .helpers import make_survey

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))


def answered(type, score, when, **kwargs):
    return Survey.objects.create(type=type, score=score, answered_at=when, **kwargs)


def at(month, day=10, year=2026):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


# --- figures -------------------------------------------------------------------------------------------

def test_nps_per_month_against_hand_worked_months():
    # June: 3 promoters (10, 9, 9), 1 passive (7), 1 detractor (3): (3 - 1) / 5 = 40
    for score in (10, 9, 9, 7, 3):
        answered("nps", score, at(6))
    # May: only passives: 0, not "no NPS"
    for score in (7, 8, 8):
        answered("nps", score, at(5))
    # April: no answers at all (a CSAT answer and an unanswered NPS do not count)
    answered("csat", 5, at(4))
    Survey.objects.create(type="nps", sent_at=at(4))
    # March: 1 promoter, 2 detractors: (1 - 2) / 3 = -33.3 -> -33
    for score in (10, 0, 6):
        answered("nps", score, at(3))
    # February: 2 promoters of 3 -> 66.7 -> 67
    for score in (9, 10, 8):
        answered("nps", score, at(2))
    months = {m.month.month: m for m in selectors.nps_by_month(5, now=NOW)}
    assert (months[6].promoters, months[6].passives, months[6].detractors, months[6].nps) == (3, 1, 1, 40)
    assert (months[5].answers, months[5].nps) == (3, 0)
    assert (months[4].answers, months[4].nps) == (0, None)
    assert months[3].nps == -33
    assert months[2].nps == 67
    assert [m.month.month for m in selectors.nps_by_month(5, now=NOW)] == [6, 5, 4, 3, 2]


@pytest.mark.parametrize("promoters, passives, detractors, nps", [
    (0, 0, 0, None), (1, 0, 0, 100), (0, 0, 1, -100), (0, 5, 0, 0), (2, 1, 1, 25), (1, 1, 1, 0), (1, 2, 0, 33),
])
def test_nps_table(promoters, passives, detractors, nps):
    assert selectors.nps_score(promoters, passives, detractors) == nps


def test_csat_average_and_share_happy():
    assert selectors.csat_summary() == {"average": None, "answers": 0, "happy": None}
    for score in (5, 4, 2, 1):
        answered("csat", score, at(6))
    answered("nps", 10, at(6))
    Survey.objects.create(type="csat")
    assert selectors.csat_summary() == {"average": 3.0, "answers": 4, "happy": 50}


# --- the link ----------------------------------------------------------------------------------------

def link(survey, score):
    return reverse("lifecycle:survey", args=[survey_token_make(survey), score])


def test_get_shows_the_answer_and_writes_nothing_post_records_once(client):
    member = MemberFactory()
    survey = make_survey(member)
    response = client.get(link(survey, 8))
    assert response.status_code == 200
    assert "Send my answer" in response.content.decode()
    survey.refresh_from_db()
    assert survey.score is None
    response = client.post(link(survey, 8))
    assert response.status_code == 200
    assert "Your answer is recorded" in response.content.decode()
    survey.refresh_from_db()
    assert (survey.score, survey.follow_up) == (8, "")
    # the same link again: already answered, nothing changes
    response = client.post(link(survey, 8))
    assert response.status_code == 200 and "answered already" in response.content.decode()
    # another score from the same e-mail: the first counts
    response = client.post(link(survey, 2))
    assert response.status_code == 409
    survey.refresh_from_db()
    assert survey.score == 8


def test_the_page_shows_the_scale_with_the_choice_and_another_score_can_be_sent(client):
    member = MemberFactory()
    survey = make_survey(member)
    page = client.get(link(survey, 3)).content.decode()
    assert page.count('name="score"') == 11  # NPS: 0 to 10
    assert 'value="3" aria-describedby="score-help" checked' in page
    # the member clicked 3 by mistake and picks 9 on the page: 9 is recorded, no follow-up
    response = client.post(link(survey, 3), {"score": "9"})
    assert response.status_code == 200
    survey.refresh_from_db()
    assert (survey.score, survey.follow_up) == (9, "")


@pytest.mark.parametrize("sent", ["11", "-1", "x", "", "٣", "9" * 50])
def test_a_score_off_the_scale_from_the_page_is_refused(client, sent):
    survey = make_survey(MemberFactory())
    assert client.post(link(survey, 3), {"score": sent}).status_code == 400
    survey.refresh_from_db()
    assert survey.score is None


def test_a_detractor_goes_to_the_queue_and_the_comment_comes_after(client):
    survey = make_survey(MemberFactory())
    token = survey_token_make(survey)
    comment_url = reverse("lifecycle:survey_comment", args=[token])
    assert client.post(comment_url, {"comment": "too early"}).status_code == 409  # nothing answered yet
    client.post(link(survey, 3))
    survey.refresh_from_db()
    assert survey.follow_up == Survey.FollowUp.NEW
    assert client.post(comment_url, {"comment": "   "}).status_code == 400
    assert client.post(comment_url, {"comment": "x" * (COMMENT_MAX + 1)}).status_code == 400
    response = client.post(comment_url, {"comment": "The parcel took three weeks."})
    assert response.status_code == 200
    client.post(comment_url, {"comment": "A second one changes nothing."})
    survey.refresh_from_db()
    assert survey.comment == "The parcel took three weeks."


@pytest.mark.parametrize("survey_type, score, queued", [
    ("nps", 0, True), ("nps", 6, True), ("nps", 7, False), ("nps", 10, False),
    ("csat", 1, True), ("csat", 2, True), ("csat", 3, False), ("csat", 5, False),
])
def test_who_is_followed_up(survey_type, score, queued):
    survey = make_survey(MemberFactory(), type=survey_type)
    assert survey_answer(survey, score)
    assert (survey.follow_up == Survey.FollowUp.NEW) is queued


def test_tampered_expired_other_member_bad_score_and_gone(client, settings):
    member, other = MemberFactory(), MemberFactory()
    survey = make_survey(member, type="csat")
    token = survey_token_make(survey)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged_other = SURVEY_LINK.make({"s": survey.pk, "m": other.pk})  # genuine signature, wrong member: gone
    cases = [
        (reverse("lifecycle:survey", args=[tampered, 4]), 400),
        (reverse("lifecycle:survey", args=["not-a-token", 4]), 400),
        (reverse("lifecycle:survey", args=[signing.Signer(salt="other").sign_object({"s": survey.pk, "m": member.pk}), 4]), 400),
        (reverse("lifecycle:survey", args=[token, 6]), 400),  # CSAT is 1-5
        (reverse("lifecycle:survey", args=[token, 0]), 400),
        (reverse("lifecycle:survey", args=[token, 99999999999999999999]), 400),
        (reverse("lifecycle:survey", args=[forged_other, 4]), 404),
        (reverse("lifecycle:survey", args=[SURVEY_LINK.make({"s": 2**62, "m": member.pk}), 4]), 404),
        (reverse("lifecycle:survey", args=[SURVEY_LINK.make({"s": 2**70, "m": member.pk}), 4]), 400),
    ]
    for url, status in cases:
        assert client.get(url).status_code == status, url
        assert client.post(url).status_code == status, url
    client.force_login(other)
    assert client.post(link(survey, 4)).status_code == 403
    client.force_login(member)
    settings.LIFECYCLE_SURVEY_LINK_DAYS = 30
    old = SURVEY_LINK._signer()
    old.timestamp = lambda: signing.b62_encode(int((timezone.now() - datetime.timedelta(days=31)).timestamp()))
    expired = old.sign_object({"s": survey.pk, "m": member.pk})
    assert client.post(reverse("lifecycle:survey", args=[expired, 4])).status_code == 410
    survey.refresh_from_db()
    assert survey.score is None
    assert client.post(link(survey, 4)).status_code == 200  # signed in as the member: fine
    survey.refresh_from_db()
    assert survey.score == 4


def test_closed_account_link_is_gone(client):
    member = MemberFactory()
    survey = make_survey(member)
    member.is_active = False
    member.save()
    assert client.post(link(survey, 9)).status_code == 404


def test_answers_are_rate_limited(client, settings):
    settings.LIFECYCLE_SURVEY_POSTS_PER_HOUR = 2
    surveys = [make_survey(MemberFactory()) for _ in range(3)]
    assert [client.post(link(s, 9)).status_code for s in surveys] == [200, 200, 429]
