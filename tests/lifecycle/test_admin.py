"""The lifecycle admin: who may open it, the surveys page, the follow-up queue, the preview with a
member's data and the test send to oneself, and the texts' placeholders checked on save."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engagement.lifecycle.kinds import Kind
from engagement.lifecycle.models import EmailText, SendLog, Survey
from tests.factories import MemberFactory

from .helpers import care_product, make_survey, paid_order

pytestmark = pytest.mark.django_db

SURVEYS_QUERIES = 13
FOLLOW_UP_QUERIES = 10


@pytest.fixture
def staff():
    user = MemberFactory(username="staff", email="staff@example.com")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def urls(survey):
    return [reverse("lifecycle_surveys:index"), reverse("lifecycle_follow_up:index"),
            reverse("lifecycle_follow_up:detail", args=[survey.pk]), reverse("lifecycle_preview:index"),
            reverse("lifecycle_texts:index"), reverse("lifecycle_sends:index")]


@pytest.mark.parametrize("who", ["anonymous", "member", "admin_without_permissions"])
def test_others_cannot_open_or_act(client, who):
    survey = make_survey(MemberFactory(), score=2, answered_at=timezone.now(), follow_up="new")
    user = None if who == "anonymous" else MemberFactory()
    if who == "admin_without_permissions":
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if user is not None:
        client.force_login(user)
    for url in urls(survey):
        assert client.get(url).status_code in (302, 403), url
    client.post(reverse("lifecycle_follow_up:detail", args=[survey.pk]), {"state": "resolved", "note": "x"})
    client.post(reverse("lifecycle_preview:index"), {"kind": "birthday", "language": "en", "member": survey.member.email})
    survey.refresh_from_db()
    assert survey.follow_up == "new" and mail.outbox == []


def test_viewing_is_not_following_up(client):
    viewer = MemberFactory()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_survey"]))
    client.force_login(viewer)
    survey = make_survey(MemberFactory(), score=2, answered_at=timezone.now(), follow_up="new")
    assert client.get(reverse("lifecycle_follow_up:detail", args=[survey.pk])).status_code == 200
    response = client.post(reverse("lifecycle_follow_up:detail", args=[survey.pk]), {"state": "resolved", "note": "x"})
    assert response.status_code in (302, 403)
    survey.refresh_from_db()
    assert survey.follow_up == "new"


def test_surveys_page_shows_nps_csat_and_comments_beside_their_order(client, staff, assert_queries):
    client.force_login(staff)
    member = MemberFactory(display_name="Réka Kovács")
    order = paid_order(member, paid_at=timezone.now())
    make_survey(member, order=order, type="csat", score=2, answered_at=timezone.now(), comment="Wrong colour sent.")
    make_survey(member, score=10, answered_at=timezone.now())

    def more():
        for n in range(5):
            other = MemberFactory()
            make_survey(other, order=paid_order(other, paid_at=timezone.now()), type="csat", score=4,
                        answered_at=timezone.now(), comment=f"Fine {n}")

    response = assert_queries(SURVEYS_QUERIES, lambda: client.get(reverse("lifecycle_surveys:index")), grow=more)
    html = response.content.decode()
    assert "Wrong colour sent." in html and f"#{order.external_id}" in html and "Réka Kovács" in html
    assert "Average 3.67 out of 5 from 6 answers" in html


def test_follow_up_queue_and_states(client, staff, assert_queries):
    client.force_login(staff)

    def more():
        for _ in range(4):
            make_survey(MemberFactory(), score=1, answered_at=timezone.now(), follow_up="new", comment="Bad")

    more()
    assert_queries(FOLLOW_UP_QUERIES, lambda: client.get(reverse("lifecycle_follow_up:index")), grow=more)
    survey = Survey.objects.first()
    url = reverse("lifecycle_follow_up:detail", args=[survey.pk])
    assert client.post(url, {"state": "bogus"}).status_code == 400
    response = client.post(url, {"state": "contacted", "note": "Phoned; a new button is in the post."})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.follow_up, survey.follow_up_by) == ("contacted", staff)
    assert survey.follow_up_note == "Phoned; a new button is in the post."
    listing = client.get(reverse("lifecycle_follow_up:index") + "?state=contacted").content.decode()
    assert url in listing
    assert client.get(reverse("lifecycle_follow_up:index") + "?state=<script>").status_code == 200
    assert client.get(reverse("lifecycle_follow_up:detail", args=[2**63])).status_code == 404
    answered_fine = make_survey(MemberFactory(), score=10, answered_at=timezone.now())
    assert client.get(reverse("lifecycle_follow_up:detail", args=[answered_fine.pk])).status_code == 404


def test_preview_with_a_members_data_and_a_test_send_to_oneself(client, staff):
    client.force_login(staff)
    member = MemberFactory(display_name="Ágnes Nagy")
    order = paid_order(member, [care_product(name="Linen dress")], paid_at=timezone.now())
    EmailText.objects.create(kind=Kind.CARE_TIPS, language="hu", subject="Ápolási tanácsok: {order}",
                             body="Kedves {name}!\n\n{care_tips}")
    params = {"kind": "care_tips", "language": "hu", "member": member.username}
    response = client.get(reverse("lifecycle_preview:index"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Ápolási tanácsok: #{order.external_id}" in html and "Kedves Ágnes Nagy!" in html and "Linen dress" in html
    mail.outbox.clear()
    client.post(reverse("lifecycle_preview:index"), params)
    [message] = mail.outbox
    assert message.to == ["staff@example.com"]
    assert "Ápolási tanácsok" in message.subject and "Linen dress" in message.body
    assert not SendLog.objects.exists() and not Survey.objects.exists()
    # every kind previews, for a member with no orders at all too
    newcomer = MemberFactory()
    for kind, _label in Kind.choices:
        response = client.get(reverse("lifecycle_preview:index"), {"kind": kind, "language": "el", "member": newcomer.email})
        assert response.status_code == 200, kind
    response = client.get(reverse("lifecycle_preview:index"), {"kind": "nps", "language": "en", "member": "nobody"})
    assert "No active member" in response.content.decode()


def test_texts_refuse_unknown_placeholders(client, staff):
    client.force_login(staff)
    response = client.post(reverse("lifecycle_texts:add"), {
        "kind": "birthday", "language": "en", "subject": "Hi {name}", "body": "Your code: {referral_link}"})
    assert response.status_code == 200
    assert "Unknown placeholders: {referral_link}" in response.content.decode()
    assert not EmailText.objects.exists()
    response = client.post(reverse("lifecycle_texts:add"), {
        "kind": "birthday", "language": "en", "subject": "Hi {name}", "body": "{points} points: {points_url}"})
    assert response.status_code == 302
    assert EmailText.objects.get().body == "{points} points: {points_url}"
