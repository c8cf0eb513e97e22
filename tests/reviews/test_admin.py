"""Reviews in the Wagtail admin and the shared moderation queue: approve, reject only with a fixed
reason (logged with the rating), hide and restore, the brand's reply, the rejections-by-rating
report; moderators only; list query counts pinned."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from community.moderation import registry
from community.reviews import services
from community.reviews.models import ProductRating, Review, ReviewRejection
from tests.factories import MemberFactory, ProductFactory

ADMIN_LIST_QUERIES = 11


def submit(member, product, **changes):
    data = {"rating": 2, "title": "Not for me", "body": "It shrank in the wash.", **changes}
    return services.review_submit(member, product, **data)


@pytest.fixture
def held(alice, product):
    return submit(alice, product, body="Cheaper at https://elsewhere.example")


def test_reviews_are_a_moderation_kind_in_the_queue(client, moderator, held):
    kind = registry.get("review")
    assert kind is not None and list(kind.waiting()) == [held]
    preview = kind.preview(held)
    assert preview.waiting and "link" in preview.note
    client.force_login(moderator)
    html = client.get(reverse("moderation_queue:index")).content.decode()
    assert "Not for me" in html
    response = client.post(reverse("moderation_queue:act"), {"item": f"approve@review:{held.pk}"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "published" and ProductRating.objects.get(product=held.product).count == 1
    client.post(reverse("moderation_queue:act"), {"item": f"hide@review:{held.pk}"})
    held.refresh_from_db()
    assert held.hidden and ProductRating.objects.get(product=held.product).count == 0


@pytest.mark.parametrize("who", ["anonymous", "member", "admin_user_not_moderator"])
def test_non_moderators_cannot_open_or_act(client, alice, held, who):
    user = {"anonymous": None, "member": alice, "admin_user_not_moderator": MemberFactory()}[who]
    if who == "admin_user_not_moderator":
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if user is not None:
        client.force_login(user)
    for url in (reverse("review_admin:index"), reverse("review_admin:detail", args=[held.pk]),
                reverse("review_admin:rejections")):
        assert client.get(url).status_code in (302, 403), url
    client.post(reverse("review_admin:act", args=[held.pk]), {"action": "reject", "reason": "spam"})
    client.post(reverse("review_admin:detail", args=[held.pk]), {"brand_reply": "hijacked"})
    held.refresh_from_db()
    assert held.status == "pending" and held.brand_reply == ""


def test_approve_reject_hide_restore_from_the_review_page(client, moderator, held):
    client.force_login(moderator)
    act = reverse("review_admin:act", args=[held.pk])
    html = client.get(reverse("review_admin:detail", args=[held.pk])).content.decode()
    assert "never for being negative" in html and 'value="spam"' in html
    response = client.post(act, {"action": "reject", "reason": "negative"})
    assert response.status_code == 302
    response = client.post(act, {"action": "reject"})
    held.refresh_from_db()
    assert held.status == "pending" and not ReviewRejection.objects.exists()
    client.post(act, {"action": "reject", "reason": "off_topic"})
    held.refresh_from_db()
    assert (held.status, held.reject_reason) == ("rejected", "off_topic")
    assert list(ReviewRejection.objects.values_list("rating", "reason", "moderator")) == [(2, "off_topic", moderator.pk)]
    client.post(act, {"action": "approve"})
    held.refresh_from_db()
    assert held.status == "published" and ProductRating.objects.get(product=held.product).count == 1
    client.post(act, {"action": "hide"})
    held.refresh_from_db()
    assert held.hidden
    client.post(act, {"action": "restore"})
    held.refresh_from_db()
    assert not held.hidden
    assert client.post(act, {"action": "explode"}).status_code == 400
    assert client.get(act).status_code == 405


def test_brand_reply_written_in_the_admin_and_shown_under_the_review(client, moderator, alice, product):
    review = submit(alice, product)
    client.force_login(moderator)
    url = reverse("review_admin:detail", args=[review.pk])
    assert client.post(url, {"brand_reply": "Sorry to hear it: write to us for a swap."}).status_code == 302
    assert client.post(url, {"brand_reply": "x" * 6000}).status_code == 400
    review.refresh_from_db()
    assert review.brand_reply == "Sorry to hear it: write to us for a swap." and review.brand_reply_by == moderator
    client.logout()
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Reply from" in html and "write to us for a swap" in html


def test_rejections_by_rating_report(client, moderator, product):
    for rating, reason in [(1, "spam"), (1, "abusive"), (5, "spam")]:
        services.review_reject(moderator, submit(MemberFactory(), product, rating=rating), reason)
    submit(MemberFactory(), product, rating=1)
    client.force_login(moderator)
    response = client.get(reverse("review_admin:rejections"))
    rows = {row["rating"]: row for row in response.context["rows"]}
    assert rows[1]["total"] == 2 and rows[1]["spam"] == 1 and rows[1]["abusive"] == 1 and rows[1]["published"] == 1
    assert rows[5]["total"] == 1 and rows[3]["total"] == 0
    assert rows[1]["rejected_percent"] == pytest.approx(66.7)


def test_admin_list_queries_do_not_grow(client, moderator, assert_queries):
    client.force_login(moderator)

    def more():
        for _ in range(10):
            submit(MemberFactory(), ProductFactory(), body="see www.x.example")

    more()
    assert_queries(ADMIN_LIST_QUERIES, lambda: client.get(reverse("review_admin:index")), grow=more)
    assert Review.objects.filter(status="pending").count() == 20
